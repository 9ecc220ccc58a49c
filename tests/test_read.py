"""Tests for stages/read.py: decoding, rejection reasons, metadata, language check."""

from __future__ import annotations

import io
import json
import sys
import time
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from eventwire.config import Config
from eventwire.errors import InputError
from eventwire.stages.read import (
    article_id,
    detect_language,
    guess_title,
    read_bytes,
    read_path,
    read_text,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"

ENGLISH = (
    "Velmora accuses Tarsk of border raids\n"
    "\n"
    "The foreign minister of Velmora, Anika Dorrel, said on Tuesday that soldiers from Tarsk had "
    "crossed the river border twice this month. She told reporters in the capital that her "
    "government would ask the United Nations to send observers to the area.\n"
)
FRENCH = (
    "Le ministre des affaires étrangères a déclaré mardi que les soldats du pays voisin avaient "
    "franchi la frontière deux fois ce mois-ci. Il a demandé aux Nations unies d'envoyer des "
    "observateurs dans la région, selon un communiqué publié par le gouvernement."
)
GERMAN = (
    "Der Außenminister sagte am Dienstag, dass Soldaten aus dem Nachbarland die Grenze in diesem "
    "Monat zweimal überschritten hätten. Die Regierung werde die Vereinten Nationen bitten, "
    "Beobachter in die Region zu schicken, und sie habe auch mit den Nachbarn gesprochen."
)
SPANISH = (
    "El ministro de asuntos exteriores dijo el martes que los soldados del país vecino cruzaron la "
    "frontera dos veces este mes. El gobierno pidió a las Naciones Unidas que envíe observadores a "
    "la región, según un comunicado publicado por la cancillería."
)


def _reason(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.reason


# --------------------------------------------------------------------------- good input


def test_good_english_text_becomes_article(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text(ENGLISH, encoding="utf-8")
    art = read_path(str(f))
    assert art.text == ENGLISH
    assert art.title == "Velmora accuses Tarsk of border raids"
    assert art.language == "en"
    assert art.source == str(f)
    assert (
        art.id == article_id(ENGLISH)
        and art.id.startswith("sha1:")
        and len(art.id) == 5 + 16
    )
    assert read_path(str(f)).id == art.id  # stable


def test_crlf_is_normalised_and_offsets_refer_to_normalised_text(
    tmp_path: Path,
) -> None:
    f = tmp_path / "dos.txt"
    f.write_bytes(ENGLISH.replace("\n", "\r\n").encode("utf-8"))
    art = read_path(str(f))
    assert "\r" not in art.text
    assert art.text == ENGLISH
    i = art.text.index("Anika Dorrel")
    assert art.text[i : i + 12] == "Anika Dorrel"


@pytest.mark.parametrize(
    "codec,bom",
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_bom_encodings_are_accepted(codec: str, bom: bytes) -> None:
    art = read_bytes(bom + ENGLISH.encode(codec), "bom.txt")
    assert art.text == ENGLISH


def test_curly_quotes_and_nbsp_are_kept() -> None:
    text = "Officials in Velmora said the \u201cshipments\u201d had\u00a0arrived at the port on Monday."
    art = read_text(text, "x")
    assert art.text == text
    assert art.title is None  # a single sentence with a final period is not a headline


def test_title_guess_rules() -> None:
    assert guess_title("Short headline\n\nBody text follows here.") == "Short headline"
    assert guess_title("This is a sentence.\nAnother one.") is None
    assert guess_title("Only one line without period") is None


def test_url_gives_id_and_explicit_meta() -> None:
    art = read_text(
        ENGLISH,
        "x",
        url="https://news.example/a1",
        outlet="Example Post",
        published="2021-03-04T10:00:00Z",
        title="T",
    )
    assert art.id == article_id("", "https://news.example/a1")
    assert (
        art.outlet == "Example Post"
        and art.published == date(2021, 3, 4)
        and art.title == "T"
    )


def test_sidecar_meta_json(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "meta.json").write_text(
        json.dumps(
            {
                "id": "demo-1",
                "outlet": "The Velmora Herald",
                "byline": "Ines Marrow",
                "published": "2022-05-17",
                "title": "Meta title",
                "note": "ignored",
            }
        ),
        encoding="utf-8",
    )
    art = read_path(str(tmp_path / "article.txt"))
    assert (art.id, art.outlet, art.byline, art.published, art.title) == (
        "demo-1",
        "The Velmora Herald",
        "Ines Marrow",
        date(2022, 5, 17),
        "Meta title",
    )
    # explicit arguments win over the sidecar
    art2 = read_path(
        str(tmp_path / "article.txt"), outlet="Other", published=date(2022, 5, 18)
    )
    assert art2.outlet == "Other" and art2.published == date(2022, 5, 18)


def test_file_specific_sidecar_wins_over_folder_meta(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(
        '{"outlet": "Specific"}', encoding="utf-8"
    )
    (tmp_path / "meta.json").write_text(
        '{"outlet": "Folder", "file": "b.txt"}', encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text(ENGLISH, encoding="utf-8")
    assert read_path(str(tmp_path / "a.txt")).outlet == "Specific"
    assert (
        read_path(str(tmp_path / "c.txt")).outlet is None
    )  # folder meta names another file


def test_bad_sidecar_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "meta.json").write_text(
        '{"published": "last Tuesday"}', encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        read_path(str(tmp_path / "a.txt"))
    assert e.value.reason == "bad_meta" and "meta.json" in str(e.value)


def test_stdin_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(ENGLISH.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    art = read_path("-", outlet="Piped")
    assert art.source == "<stdin>" and art.text == ENGLISH and art.outlet == "Piped"


# --------------------------------------------------------------------------- rejections


def test_empty_and_whitespace(tmp_path: Path) -> None:
    for name, content in (("empty.txt", b""), ("blank.txt", b"  \n\t\n  ")):
        f = tmp_path / name
        f.write_bytes(content)
        with pytest.raises(InputError) as e:
            read_path(str(f))
        assert _reason(e) == "empty" and name in str(e.value)


@pytest.mark.parametrize(
    "data,label",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "GZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"The report\x00\x00\x01 said", "NUL"),
        (bytes(range(1, 32)) * 20 + b"text", "control"),
    ],
)
def test_binary_is_rejected(tmp_path: Path, data: bytes, label: str) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_path(str(f))
    assert _reason(e) == "binary"
    msg = str(e.value)
    assert msg.startswith(str(f)) and "binary" in msg and label in msg


def test_invalid_utf8_suggests_iconv(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(
        "The minister of Velmora said the caf\u00e9 was closed by police.".encode(
            "cp1252"
        )
    )
    with pytest.raises(InputError) as e:
        read_path(str(f))
    assert _reason(e) == "encoding"
    assert "UTF-8" in str(e.value) and "iconv -f cp1252 -t utf-8" in str(e.value)


def test_too_large_file_rejected_from_size_without_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    chunk = (
        "The council of Velmora met again on Friday to discuss the harbour. " * 1000
    ).encode()
    with f.open("wb") as fh:
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_path(str(f))
    assert time.perf_counter() - t0 < 0.5
    assert _reason(e) == "too_large" and "max_bytes" in str(e.value)


def test_too_large_bytes_and_text() -> None:
    cfg = Config(max_bytes=1000)
    with pytest.raises(InputError) as e:
        read_bytes(b"word " * 300, "<stdin>", cfg)
    assert _reason(e) == "too_large"
    with pytest.raises(InputError) as e2:
        read_text("é" * 600, "t", cfg)  # 1200 bytes in UTF-8
    assert _reason(e2) == "too_large"


def test_too_short() -> None:
    with pytest.raises(InputError) as e:
        read_text("Velmora wins.", "short.txt")
    assert _reason(e) == "too_short" and "min_chars" in str(e.value)


@pytest.mark.parametrize("text,lang", [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")])
def test_other_languages_rejected(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang
    with pytest.raises(InputError) as e:
        read_text(text, "foreign.txt")
    assert _reason(e) == "not_english" and f"({lang}," in str(e.value)
    # accepted when the language is allowed
    assert (
        read_text(text, "foreign.txt", Config(languages=("en", lang))).language == lang
    )


def test_non_latin_script() -> None:
    lang, conf = detect_language(
        "Министр иностранных дел заявил во вторник, что переговоры продолжатся."
    )
    assert lang == "ru" and conf > 0.9
    with pytest.raises(InputError) as e:
        read_text(
            "Министр иностранных дел заявил во вторник, что переговоры продолжатся.",
            "ru.txt",
        )
    assert _reason(e) == "not_english"


@pytest.mark.parametrize(
    "sentence",
    [
        "Agents of MIT detained a Velmoran courier under heavy rain.",
        "Velmoran troops no longer guard the bridge at Port Anselm.",
        "In Port Anselm, a drone strike hit a depot of the Tarsk militia.",
    ],
)
def test_short_english_sentences_are_not_rejected(sentence: str) -> None:
    assert read_text(sentence, "s").language in ("en", "und")


def test_english_confidence_high() -> None:
    lang, conf = detect_language(ENGLISH)
    assert lang == "en" and conf > 0.8


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_path(str(tmp_path / "nope.txt"))
    assert _reason(e) == "not_found"
    with pytest.raises(InputError) as e2:
        read_path(str(tmp_path))
    assert _reason(e2) == "not_a_file"


def test_stopwords_data_matches_schema() -> None:
    base = resources.files("eventwire") / "data" / "languages"
    data = yaml.safe_load((base / "stopwords.yaml").read_text(encoding="utf-8"))
    schema = json.loads((base / "stopwords.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


@pytest.mark.skipif(
    not (SHARED / "corpora" / "bbc-news").is_dir(),
    reason="../shared/corpora/bbc-news not present",
)
def test_bbc_sample_reads_as_english() -> None:
    files = sorted((SHARED / "corpora" / "bbc-news").glob("*/*.txt"))[::25]
    assert files
    for f in files:
        assert read_path(str(f)).language == "en", f
