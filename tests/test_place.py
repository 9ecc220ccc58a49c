"""Tests for the place stage and `eval geo` (invented sentences)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import choose_place

from eventwire.evaluate.geo import evaluate_geo, is_correct, read_items
from eventwire.records import Actor, Article, Document, Event, Span
from eventwire.stages.place import DATA_DIR, load_gazetteer, trim_span

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "event-location" / "labeled_text.dev.jsonl"




@pytest.mark.parametrize(
    ("text", "verb", "place"),
    [
        ("The minister was killed in Lima by a car bomb.", "killed", "Lima"),
        ("Gunmen attacked a police post near Cusco on Tuesday.", "attacked", "Cusco"),
        ("Protesters marched outside the parliament in Santiago.", "marched", "Santiago"),
        ("Rebels shelled the border town of Tacna overnight.", "shelled", "Tacna"),
        ("Soldiers raided Pucallpa village before dawn.", "raided", "Pucallpa"),
        ("Chilean engineers are present in Arica to help rebuild the port.", "help", "Arica"),
        ("Peru said in Paris that Chile attacked a fishing boat.", "attacked", None),
        ("Chile is sending two frigates to Peru.", "sending", "Peru"),
        ("A farmer was shot and killed in Iquique on Sunday.", "shot", "Iquique"),
        ("The senator criticised the budget.", "criticised", None),
        ("In Bolivia, miners blocked the main highway.", "blocked", "Bolivia"),
    ],
)
def test_choose_location(nlp, resolver, text, verb, place):
    assert choose_place(nlp, resolver, text, verb) == place


def test_choose_location_on_a_sentence_span(nlp, resolver):
    text = "The talks ended. Troops clashed with rebels in Arequipa."
    doc = nlp(text)
    sent = list(doc.sents)[1]
    rel = sent.text.index("clashed")
    got = resolver.choose_location_span(sent, rel, rel + len("clashed"))
    assert got is not None and sent.text[got[0] : got[1]] == "Arequipa"


def test_gazetteer_countries_cities_states():
    gaz = load_gazetteer()
    assert gaz.lookup("Peru").country == "PER"
    assert gaz.lookup("the United States").country == "USA"
    assert gaz.lookup("Britain").country == "GBR"
    lima = gaz.lookup("Lima")
    assert lima.resolution == "city" and lima.country == "PER" and lima.lat is not None
    assert gaz.lookup("Texas").resolution == "admin1"
    assert gaz.lookup("Gaza Strip").country == "PSE"
    assert gaz.lookup("Xqzzville") is None


def test_ambiguous_city_prefers_document_country():
    gaz = load_gazetteer()
    assert gaz.lookup("Valencia").country == "VEN"  # the larger Valencia
    assert gaz.lookup("Valencia", hint_countries=["ESP"]).country == "ESP"
    # an alternate spelling of a town in a country the text never names is no match
    assert gaz.lookup("Namanga", hint_countries=["KEN", "TZA"]) is None  # not Namangan, Uzbekistan
    assert gaz.lookup("Namangan", hint_countries=["KEN"]).country == "UZB"  # its own name still counts
    assert gaz.lookup("Bombay", hint_countries=["PAK"]).country == "IND"  # a big city's old name
    # Kosovo carries PLOVER's code, as its actors do
    assert gaz.lookup("Kosovo").country == "KOS"
    assert gaz.lookup("Pristina").country == "KOS"


def test_resolve_geocodes_the_chosen_place(nlp, resolver):
    doc = nlp("Gunmen attacked a police post near Cusco on Tuesday.")
    place = resolver.resolve(doc[1])
    assert place is not None and place.country == "PER" and place.resolution == "city"
    assert place.span is not None and place.span.text == "Cusco"
    assert "near" in place.how


def test_stage_sets_place_with_document_hints(nlp, resolver):
    text = "Spain and France met. Protesters marched in Valencia on Sunday."
    start = text.index("marched")
    ev = Event(
        id="e1", article_id="a1", type="PROTEST", actor=[], recipient=[],
        trigger=Span(start, start + 7, "marched"), sentence=Span(0, len(text), text),
    )
    document = Document(article=Article(id="a1", text=text), doc=nlp(text), events=[ev])
    resolver(document)
    assert ev.place is not None and ev.place.country == "ESP"


def test_recipients_break_ties(nlp, resolver):
    doc = nlp("Rebels attacked a convoy in Valencia.")
    spain = Actor("Spain", 0, 5, code="ESP")
    assert resolver.resolve(doc[1], recipients=[spain]).country == "ESP"


@pytest.mark.parametrize("name", ["rules", "gazetteer"])
def test_data_files_match_schema(name):
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    schema = json.loads((DATA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def _record(text: str, verb: str, location: str | None) -> dict:
    tokens = [
        {"text": m.group(), "start": m.start(), "end": m.end(), "id": i}
        for i, m in enumerate(re.finditer(r"\w+|[^\w\s]", text))
    ]
    spans = []
    for label, word in (("VERB", verb), ("LOCATION", location)):
        if word:
            tok = next(t for t in tokens if t["text"] == word)
            spans.append({"label": label, "start": tok["start"], "end": tok["end"],
                          "token_start": tok["id"], "token_end": tok["id"]})
    return {"text": text, "tokens": tokens, "spans": spans}


def test_evaluate_geo_on_invented_file(tmp_path, nlp):
    path = tmp_path / "mini.jsonl"
    rows = [
        _record("Rebels attacked a checkpoint in Tumbes.", "attacked", "Tumbes"),
        _record("The senator criticised the budget.", "criticised", None),
        _record("Police arrested a smuggler near Puno.", "arrested", "Puno"),
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert len(list(read_items(path))) == 3
    result = evaluate_geo(path, nlp=nlp)
    assert result["n"] == 3 and result["accuracy"] == pytest.approx(1.0)


def test_is_correct():
    assert is_correct(None, [])
    assert not is_correct(None, [(1, 4)])
    assert is_correct((1, 4), [(0, 2), (1, 4)])
    assert not is_correct((1, 4), [])


@pytest.mark.shared
@pytest.mark.skipif(not DEV.exists(), reason="../shared/eval/event-location is not present")
def test_evaluate_geo_on_dev_sample(nlp):
    result = evaluate_geo(DEV, nlp=nlp, limit=300)
    assert result["n"] == 300
    assert result["accuracy"] > 0.5


def test_trim_span_drops_edge_punctuation_and_spaces():
    text = "shot in \u2018Arequipa,  then"
    start = text.index("\u2018")
    assert trim_span(text, start, start + len("\u2018Arequipa,  ")) == (start + 1, start + 9)
    assert trim_span(text, 0, 4) == (0, 4)
    assert trim_span(",,", 0, 2) == (0, 2)  # nothing left: unchanged


def test_gold_spans_are_trimmed(tmp_path):
    text = "Rebels attacked a checkpoint in Tumbes, officials said."
    tokens = [{"text": "Tumbes,", "start": 32, "end": 39, "id": 0},
              {"text": "attacked", "start": 7, "end": 15, "id": 1}]
    record = {"text": text, "tokens": tokens, "spans": [
        {"label": "VERB", "start": 7, "end": 15, "token_start": 1, "token_end": 1},
        {"label": "LOCATION", "start": 32, "end": 39, "token_start": 0, "token_end": 0}]}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    (item,) = read_items(path)
    assert [text[a:b] for a, b in item.locations] == ["Tumbes"]
