"""Tests for the actors stage (PLOVER country code + sector) and its knowledge base.

All sentences are invented for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

import eventwire
from eventwire.errors import EvalError
from eventwire.knowledge import get_kb
from eventwire.records import Article, Document
from eventwire.stages.actors import ActorCoder
from eventwire.stages.nlp import load_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"
GSR = SHARED / "eval" / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
DATA = Path(eventwire.__file__).parent / "data" / "actors"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("auto")


@pytest.fixture(scope="module")
def coder(nlp):
    c = ActorCoder()
    c._nlp = nlp
    return c


def coded(coder, nlp, text: str) -> Document:
    document = Document(article=Article(id="t", text=text), doc=nlp(text))
    return coder(document)


def mention(document: Document, word: str, nth: int = 0):
    """The actor recorded for the nth token whose text is ``word``."""
    toks = [t for t in document.doc if t.text == word]
    return document.mentions.get(toks[nth].i)


# -- data files ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sectors", "extras", "countryinfo", "organizations_phoenix", "places_phoenix",
                                  "agents_plover"])
def test_data_files_match_their_schema(name):
    schema_name = "organizations" if name == "organizations_phoenix" else name
    schema = json.loads((DATA / "schema" / f"{schema_name}.schema.json").read_text("utf-8"))
    data = json.loads((DATA / f"{name}.json").read_text("utf-8"))
    org_schema = json.loads((DATA / "schema" / "organizations.schema.json").read_text("utf-8"))
    registry = Registry().with_resource("organizations.schema.json", Resource.from_contents(org_schema))
    jsonschema.Draft202012Validator(schema, registry=registry).validate(data)


def test_all_25_plover_sectors_have_role_nouns():
    kb = get_kb()
    assert len(kb.sector_codes) == 25
    for code in ("COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR",
                 "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"):
        assert code in kb.sector_codes
        assert code in set(kb.sector_phrases.values())


def test_country_knowledge():
    kb = get_kb()
    assert kb.entity("U.S.").code == "USA"
    assert kb.entity("Britain").code == "GBR"
    assert kb.entity("Ukrainians").code == "UKR"
    assert kb.entity("Turkish").code == "TUR"
    assert kb.entity("Beijing").kind == "capital" and kb.entity("Beijing").code == "CHN"
    assert kb.entity("Kosovo").code == "KOS"
    assert kb.entity("NATO").code == "IGO"
    assert kb.entity("United Nations").code == "UNO"


# -- phrases -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "phrase, code, sector",
    [
        ("the senior commander of Brazilian forces", "BRA", "MIL"),
        ("Turkey's elite Special Forces", "TUR", "MIL"),
        ("an American drone strike", "USA", "MIL"),
        ("Beijing's intelligence service", "CHN", "SPY"),
        ("the French army", "FRA", "MIL"),
        ("thousands of Ukrainians", "UKR", "CVL"),  # a people: its civilians (ICEWS/CAMEO)
        ("Bolivia's opposition leader", "BOL", "OPP"),
        ("the rebels", None, "REB"),
        ("the Kenyan police", "KEN", "COP"),
        ("a Peruvian judge", "PER", "JUD"),
        ("Chilean lawmakers", "CHL", "LEG"),
        ("the Egyptian foreign ministry", "EGY", "GOV"),
        ("the prime minister of Portugal", "PRT", "GOV"),
        ("Ghanaian farmers", "GHA", "AGR"),
        ("Iran's Revolutionary Guards", "IRN", "MIL"),
        ("his Chilean counterpart", "CHL", "GOV"),  # a minister's counterpart is an official
        ("their Peruvian military counterparts", "PER", "MIL"),
        ("federal agents", None, "COP"),  # not spies
        ("a senior general", None, "MIL"),
    ],
)
def test_code_phrase(coder, phrase, code, sector):
    actor = coder.code_phrase(phrase)
    assert actor is not None, phrase
    assert (actor.code, actor.sector) == (code, sector), actor.evidence


def test_un_security_council_is_international(coder):
    actor = coder.code_phrase("the U.N. Security Council")
    assert actor.code in ("UNO", "IGO")


@pytest.mark.parametrize("phrase", ["the weather", "the general election", "a general strike",
                                    "forced relocation"])
def test_not_an_actor(coder, phrase):
    # an everyday adjective ("general") or a verb form ("forced": lemma "force") is no role word
    assert coder.code_phrase(phrase) is None


# -- documents: appositions, coreference, metonyms ------------------------------------------------
HOLT = (
    "Admiral Jane Holt, the head of the U.S. Pacific Command, said on Monday that the fleet was ready. "
    "Holt told reporters that she would meet officials in Manila. "
    "\"We are prepared for any outcome,\" Holt said."
)


def test_title_and_apposition(coder, nlp):
    d = coded(coder, nlp, HOLT)
    a = mention(d, "Holt", 0)
    assert (a.code, a.sector, a.kind, a.canonical) == ("USA", "MIL", "person", "Jane Holt")
    assert any("admiral" in e for e in a.evidence)
    assert any("apposition" in e for e in a.evidence)
    assert d.article.text[a.start:a.end].endswith("Jane Holt")


def test_surname_pronoun_and_quote_speaker_coreference(coder, nlp):
    d = coded(coder, nlp, HOLT)
    later = mention(d, "Holt", 1)
    assert (later.code, later.sector, later.canonical) == ("USA", "MIL", "Jane Holt")
    assert any(e.startswith("coreference") for e in later.evidence)
    she = mention(d, "she")
    assert (she.code, she.sector, she.canonical) == ("USA", "MIL", "Jane Holt")
    we = mention(d, "We")
    assert we is not None and we.canonical == "Jane Holt"
    assert any("quotation" in e for e in we.evidence)


def test_pronoun_records_the_span_it_resolves_to(coder, nlp):
    text = "Prime Minister Ama Kessy phoned Chilean President Tomas Arriaga to congratulate him."
    d = coded(coder, nlp, text)
    him = mention(d, "him")
    assert him.antecedent is not None
    assert text[him.antecedent[0]:him.antecedent[1]].endswith("Tomas Arriaga")
    assert mention(d, "Arriaga").antecedent is None  # a name is its own mention


def test_possessive_it_belongs_to_the_subject_of_its_clause(coder, nlp):
    text = "The Russian embassy declined an interview in Peru, preferring to give its view in writing."
    d = coded(coder, nlp, text)
    its = mention(d, "its")
    assert its is not None and its.code == "RUS"
    assert text[its.antecedent[0]:its.antecedent[1]] == "The Russian embassy"
    # without a subject to belong to, recency still decides
    text = "Troops from Peru crossed into Chile and took over its border posts."
    assert mention(coded(coder, nlp, text), "its").code == "CHL"


def test_a_state_noun_owned_by_a_pronoun_is_the_owners_government(coder, nlp):
    d = coded(coder, nlp, "Speaking in Moscow, Russian President Ama Kessy insisted his country owed Peru nothing.")
    country = mention(d, "country")
    assert (country.code, country.sector) == ("RUS", "GOV")
    assert mention(coded(coder, nlp, "The country owed Peru nothing, the minister insisted."), "country") is None


def test_capital_metonym_and_it(coder, nlp):
    d = coded(coder, nlp, "Moscow said it would respond. Aid was later sent to Chile.")
    moscow = mention(d, "Moscow")
    assert (moscow.code, moscow.sector) == ("RUS", "GOV")
    it = mention(d, "it")
    assert it.code == "RUS"
    chile = mention(d, "Chile")
    assert (chile.code, chile.sector, chile.kind) == ("CHL", None, "country")


def test_its_president_and_possessive_person(coder, nlp):
    text = ("Ecuador is preparing for talks. Its President Tomas Arriaga met the rebels on Friday. "
            "Arriaga's military was put on alert, and Arriaga said the talks would go on.")
    d = coded(coder, nlp, text)
    pres = mention(d, "Arriaga", 0)
    assert (pres.code, pres.sector, pres.canonical) == ("ECU", "GOV", "Tomas Arriaga")
    military = mention(d, "military")
    assert (military.code, military.sector) == ("ECU", "MIL")
    later = mention(d, "Arriaga", 2)
    assert (later.code, later.sector) == ("ECU", "GOV")
    rebels = mention(d, "rebels")
    assert rebels.sector == "REB"


def test_document_country_for_named_opposition_leader(coder, nlp):
    text = ("Bolivia faces a tense election. Bolivian officials met on Monday. "
            "Opposition leader Marta Quiroga was arrested in the capital.")
    d = coded(coder, nlp, text)
    a = mention(d, "Quiroga")
    assert (a.code, a.sector) == ("BOL", "OPP")


def test_relative_pronoun_takes_the_noun(coder, nlp):
    d = coded(coder, nlp, "The Nigerian army, which had been deployed in the north, withdrew.")
    which = mention(d, "which")
    assert which is not None and (which.code, which.sector) == ("NGA", "MIL")


def test_actor_for_without_running_the_stage(coder, nlp):
    text = "Dutch soldiers from the Netherlands navy patrolled the coast."
    document = Document(article=Article(id="t", text=text), doc=nlp(text))
    head = next(t for t in document.doc if t.dep_ == "nsubj")
    actor = coder.actor_for(document, head)
    assert (actor.code, actor.sector) == ("NLD", "MIL")


def test_explain_lists_reasons(coder):
    actor = coder.code_phrase("the Turkish navy")
    lines = coder.explain(actor)
    assert lines[0].startswith("'the Turkish navy' -> TUR MIL")
    assert any("adjective 'Turkish' -> TUR" in line for line in lines)
    assert any("MIL = Military" in line for line in lines)


# -- evaluation ------------------------------------------------------------------------------
def test_eval_rejects_bad_file(tmp_path):
    from eventwire.evaluate.actors import evaluate_actors

    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(EvalError):
        evaluate_actors(bad)


def test_eval_on_invented_records(tmp_path):
    from eventwire.evaluate.actors import evaluate_actors

    records = [
        {"id": "a", "event": "ASSAULT", "text": "Sudanese troops shelled villages near the border.",
         "source": [{"actorText": "Sudanese troops", "code": "SDN", "sector": "MIL"}],
         "target": [{"actorText": "villages", "code": "SDN", "sector": "CVL"}]},
        {"id": "b", "event": "ACCUSE", "text": "Chile accused Argentine police of abuses.",
         "source": [{"actorText": "Chile", "code": "CHL"}],
         "target": [{"actorText": "Argentine police", "code": "ARG", "sector": "COP"}]},
    ]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = evaluate_actors(path)
    assert result["n"] == 4 and result["n_sector"] == 3
    assert result["country_accuracy"] == 1.0
    assert result["sector_accuracy"] == 1.0


@pytest.mark.shared
@pytest.mark.skipif(not GSR.exists(), reason="../shared/eval/plover-gsr is not available")
def test_eval_on_plover_gold():
    from eventwire.evaluate.actors import evaluate_actors

    result = evaluate_actors(GSR)
    assert result["n"] > 600
    assert result["country_accuracy"] >= 0.85
    assert result["sector_accuracy"] >= 0.78


def test_things_from_a_country_are_not_actors(coder, nlp):
    d = coded(coder, nlp, "Estimates from India were revised as markets in Asia fell.")
    assert mention(d, "Estimates") is None
    asia = mention(d, "Asia")
    assert asia is None or asia.code is None
    shipments = coder.code_phrase("any Chinese missile shipments")
    assert shipments is not None and shipments.code == "CHN"


def test_ethnic_group_takes_the_country_it_lives_in(coder, nlp):
    d = coded(coder, nlp, "Ethnic Hungarians in Slovakia protested on Sunday.")
    a = mention(d, "Hungarians")
    assert (a.code, a.sector) == ("SVK", "CVL")


# -- general methods added for issue #4 (invented sentences) ---------------------------------
def test_region_names_stand_for_their_country(coder, nlp):
    d = coded(coder, nlp, "Rebels in Darfur attacked a convoy on Tuesday.")
    assert mention(d, "Rebels").code == "SDN"


def test_agent_nouns_from_the_plover_dictionary(coder):
    assert coder.code_phrase("a human rights group").code == "NGO"
    herders = coder.code_phrase("Tanzanian herdsmen")
    assert (herders.code, herders.sector) == ("TZA", "AGR"), herders.evidence


def test_generic_actor_takes_the_country_named_most_in_the_sentence(coder, nlp):
    d = coded(coder, nlp, "Kenyan police said the militants had crossed from Somalia into Kenyan "
                          "territory near Mandera.")
    assert mention(d, "militants").code == "KEN"


def test_anti_and_occupied_do_not_give_the_country(coder, nlp):
    d = coded(coder, nlp, "An anti-Japan activist was arrested in Seoul on Friday.")
    assert mention(d, "activist").code == "KOR"
    d = coded(coder, nlp, "Villagers of the Moroccan-occupied Western Sahara marched on Friday.")
    assert mention(d, "Villagers").code != "MAR"


def test_misspelt_leader_and_nationality(coder, nlp):
    d = coded(coder, nlp, "President Francois Mitterand met the Ghanians on Monday.")
    assert mention(d, "Mitterand").code == "FRA"
    assert mention(d, "Ghanians").code == "GHA"


def test_capital_after_by_is_its_government(coder, nlp):
    d = coded(coder, nlp, "The proposal was welcomed by Lisbon on Monday.")
    assert (mention(d, "Lisbon").code, mention(d, "Lisbon").sector) == ("PRT", "GOV")


def test_people_not_in_country_lists_are_civilians(coder, nlp):
    d = coded(coder, nlp, "Thousands of Turkish Kurds marched in the rain.")
    assert (mention(d, "Kurds").code, mention(d, "Kurds").sector) == ("TUR", "CVL")


def test_ethnic_adjective_names_a_people_not_the_state(coder, nlp):
    d = coded(coder, nlp, "Ethnic Serbian fighters operating in Bosnia laid down their arms.")
    a = mention(d, "fighters")
    assert a.code == "BIH", a.evidence


def test_town_shared_by_two_countries_follows_the_sentence(coder, nlp):
    d = coded(coder, nlp, "Gunmen in Tripoli fired at a Lebanese army post near the harbour.")
    assert mention(d, "Tripoli").code == "LBN", mention(d, "Tripoli").evidence
    d = coded(coder, nlp, "Gunmen in Tripoli fired at a police post near the harbour.")
    assert mention(d, "Tripoli").code == "LBY"


def test_international_agent_noun_with_a_head_of_the_same_sector(coder):
    force = coder.code_phrase("a regional peacekeeping force")
    assert (force.code, force.sector) == ("IGO", "MIL"), force.evidence


def test_state_media_and_a_named_newspaper(coder, nlp):
    paper = coder.code_phrase("an official Ruritanian newspaper")
    assert paper.sector == "GOV", paper.evidence
    d = coded(coder, nlp, "Chile's government ordered the opposition newspaper El Faro to close.")
    assert mention(d, "Faro").sector == "JRN", mention(d, "Faro").evidence


def test_a_shelled_capital_is_the_city_and_homes_are_civilian(coder, nlp):
    d = coded(coder, nlp, "Rebels shelled Lima on Sunday.")
    assert (mention(d, "Lima").code, mention(d, "Lima").sector) == ("PER", "CVL")
    d = coded(coder, nlp, "The decision was welcomed by Lima on Monday.")
    assert mention(d, "Lima").sector == "GOV"
    homes = coder.code_phrase("Peruvian homes")
    assert (homes.code, homes.sector) == ("PER", "CVL")


def test_sentence_country_leaves_out_the_speaker_of_a_report(coder, nlp):
    # the officials who report are Malian; the kidnapping they report happened in Niger
    document = coded(coder, nlp, "Gunmen kidnapped two engineers in Niger, Malian officials said on Tuesday.")
    assert mention(document, "Gunmen").code == "NER"
    # when the report itself names no country, the speaker's is the best guess
    document = coded(coder, nlp, "Gunmen kidnapped two engineers, Malian officials said on Tuesday.")
    assert mention(document, "Gunmen").code == "MLI"


def test_unknown_group_takes_the_country_of_people_and_acronyms_in_its_sentence(coder, nlp):
    document = coded(coder, nlp, "President Nicolas Sarkozy said he was ready to meet the Union for Coastal "
                                 "Renewal next month.")
    assert mention(document, "Union").code == "FRA"  # from the leader list, not a place name
    document = coded(coder, nlp, "The Nigerien government and the MNJ signed a truce on Friday.")
    assert mention(document, "MNJ").code == "NER"  # an unknown acronym is a group
    assert mention(document, "MNJ").confidence < 1.0


def test_an_ally_or_proxy_is_not_of_the_country_it_serves(coder, nlp):
    document = coded(coder, nlp, "Rebels ambushed a convoy of Iran's militia allies in eastern Syria on Monday.")
    ally = mention(document, "allies")
    assert ally.code == "SYR" and ally.sector == "REB"
    assert any("related to IRN" in e for e in ally.evidence)


def test_province_names_from_iso_3166_2(coder, nlp):
    kb = get_kb()
    assert kb.entity("Helmand province").code == "AFG"
    assert kb.entity("province of Balochistan").code == "PAK"
    # one name, two countries: the kind word decides, and a bare name is not looked up
    assert kb.entity("Punjab province").code == "PAK" and kb.entity("Punjab state").code == "IND"
    assert kb.entity("Punjab") is None or kb.entity("Punjab").source != "pycountry subdivisions"
    document = coded(coder, nlp, "The governor of Balochistan province banned rallies for a month.")
    assert mention(document, "governor").label == "PAK GOV"


def test_unknown_international_organisation_by_its_kind_noun(coder, nlp):
    # not in the knowledge base: the name is international, the kind noun tells IGO from NGO
    document = coded(coder, nlp, "The Pan-African Federation of Midwives criticised Kenya on Monday.")
    assert mention(document, "Federation").code == "NGO"
    document = coded(coder, nlp, "The World Fisheries Office told Peru to cut its catch.")
    assert mention(document, "Office").code == "IGO"
    # a country named in the sentence does not make an international body national
    assert mention(document, "Office").confidence < 1.0


def test_well_known_organisations_with_sectors(coder):
    assert coder.code_phrase("NATO").label == "IGO MIL"
    assert coder.code_phrase("the Red Cross").label == "NGO MED"
    assert coder.code_phrase("the European Economic Community").code == "EUR"


def test_names_of_armed_movements_and_leaders_of_a_people(coder, nlp):
    document = coded(coder, nlp, "The army shelled camps of the Ogaden Liberation Front near Jijiga.")
    assert mention(document, "Front").sector == "REB"
    document = coded(coder, nlp, "The Ogaden People's Party criticised the army.")
    assert mention(document, "Party").sector != "REB"  # a party word outweighs the rest of the name
    document = coded(coder, nlp, "Zulu leaders met President Jacob Zuma in Durban on Friday.")
    assert mention(document, "leaders").sector == "ELI"  # like "tribal leaders", not the government
    for text in ("European leaders met in Brussels on Friday.", "Republican leaders rejected the plan."):
        assert mention(coded(coder, nlp, text), "leaders").sector != "ELI"


def test_leader_first_name_is_not_a_region(coder, nlp):
    from datetime import date

    def putin(day):
        text = "Vladimir Putin met workers in Omsk."
        document = coder(Document(article=Article(id="t", text=text, published=day), doc=nlp(text)))
        return mention(document, "Putin")

    assert putin(date(2004, 3, 1)).label == "RUS GOV"  # not "region 'Vladimir'"
    assert putin(date(2014, 3, 1)).label == "RUS GOV"


def test_a_union_is_coded_by_its_members(coder):
    assert coder.code_phrase("the Kenyan Union of Nurses").sector == "MED"
    assert coder.code_phrase("the Serbian Workers' Union").sector == "LAB"
    assert coder.code_phrase("a trade union").sector == "LAB"
    # a political union the knowledge base names is not organised labour
    assert coder.code_phrase("the European Union").label == "EUR"


def test_a_population_living_somewhere_is_of_that_place(coder, nlp):
    document = coded(coder, nlp, "The Turkish community in Germany protested on Sunday.")
    assert mention(document, "community").label == "DEU CVL"
    document = coded(coder, nlp, "The Palestinian population suffered.")
    assert mention(document, "population").code == "PSE"  # no place named: its own country


def test_a_place_noun_is_placed_by_place_names_not_nationalities(coder, nlp):
    document = coded(coder, nlp, "Chadian rebels attacked the villagers of the province after talks in Sudan collapsed.")
    assert mention(document, "villagers").code == "SDN"  # "Chadian" names the rebels, not the place


def test_a_labour_strike_is_not_a_military_actor(coder, nlp):
    document = coded(coder, nlp, "The nurses' union called a strike on Monday.")
    assert mention(document, "strike") is None
    document = coded(coder, nlp, "A Turkish drone strike killed two fighters near the border.")
    assert mention(document, "strike").label == "TUR MIL"


def test_it_falls_back_to_a_singular_institution_when_no_country_or_organisation_precedes(coder, nlp):
    d = coded(coder, nlp, "The Chilean army says it has opened an inquiry into the deaths of two farmers.")
    it = mention(d, "it")
    assert it is not None and (it.code, it.sector) == ("CHL", "MIL")
    # a country named before still wins: "its" is Peru's here, not the Chilean army's
    d = coded(coder, nlp, "Peru said the Chilean army shelled its border posts.")
    assert mention(d, "its").code == "PER"


def test_capitalised_party_names_are_parties_and_lower_case_labour_is_workers(coder, nlp):
    d = coded(coder, nlp, "On Monday the Conservatives attacked Labour over tax, and the Lib Dems agreed.")
    for word in ("Conservatives", "Labour", "Dems"):
        assert mention(d, word).sector == "PTY", word
    d = coded(coder, nlp, "In the north, organised labour opposed the reform.")
    assert mention(d, "labour").sector == "LAB"


def test_a_capital_spelt_like_an_adjective_is_not_a_place(coder, nlp):
    # "Male" is the capital of the Maldives; "Male MPs" names no country
    d = coded(coder, nlp, "Male MPs were more likely to be promoted, the study found.")
    assert mention(d, "MPs").code is None


def test_a_world_region_names_no_country(coder, nlp):
    d = coded(coder, nlp, "Iran wants to extend its influence into South America and Europe.")
    for word in ("America", "Europe"):
        m = mention(d, word)
        assert m is None or m.code is None, (word, m)


def test_an_event_noun_is_not_the_party_it_is_done_to_or_for(coder, nlp):
    # "support for farmers" is no farmer, "the arrest of students" no student ...
    d = coded(coder, nlp, "Brazil doubled its support for farmers in Angola last year.")
    assert mention(d, "support") is None
    assert mention(d, "farmers").sector == "AGR"
    d = coded(coder, nlp, "The arrest of students in Minsk drew a protest.")
    assert mention(d, "arrest") is None
    # ... but a request from a ministry comes from it
    d = coded(coder, nlp, "The bank ignored a request from the Peruvian ministry.")
    assert mention(d, "request") is not None and mention(d, "request").code == "PER"


def test_it_or_they_reporting_their_own_plans_is_the_speaker(coder, nlp):
    d = coded(coder, nlp, "The ferry workers' union said it will not end the stoppage before Easter.")
    it = mention(d, "it")
    assert it is not None and it.sector == "LAB" and "speaker" in " ".join(it.evidence)
    d = coded(coder, nlp, "Somali pirates have said that they will free the crew of a Danish tanker.")
    assert mention(d, "they").sector == mention(d, "pirates").sector is not None
    # one person saying "they" speaks of others
    d = coded(coder, nlp, "The Chilean minister said they would appeal.")
    they = mention(d, "they")
    assert they is None or they.entity_text != "The Chilean minister"


def test_several_states_are_governments_of_no_one_country(coder, nlp):
    d = coded(coder, nlp, "Some 30 countries urged Peru to free the activists.")
    m = mention(d, "countries")
    assert m is not None and (m.code, m.sector) == (None, "GOV")
    # not the country the sentence names most
    d = coded(coder, nlp, "Western governments condemned the raid on the Kenyan embassy.")
    assert (mention(d, "governments").code, mention(d, "governments").sector) == (None, "GOV")
    d = coded(coder, nlp, "The Kenyan government condemned the raid.")
    assert mention(d, "government").code == "KEN"


def test_him_or_her_after_a_role_noun_for_one_person_in_the_sentence(coder, nlp):
    d = coded(coder, nlp, "Police in Quito detained a Colombian smuggler and questioned him for hours.")
    him = mention(d, "him")
    assert him is not None and him.code == "COL" and "role noun" in " ".join(him.evidence)
    # an institution is not "him"
    d = coded(coder, nlp, "The Peruvian ministry summoned the envoy and told him to leave.")
    assert "envoy" in mention(d, "him").evidence[0]


def test_us_federal_agencies_by_name(coder, nlp):
    d = coded(coder, nlp, "The DEA and the Department of Homeland Security opened an office in Lima.")
    assert (mention(d, "DEA").code, mention(d, "DEA").sector) == ("USA", "COP")
    assert (mention(d, "Department").code, mention(d, "Department").sector) == ("USA", "GOV")
