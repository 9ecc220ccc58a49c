"""The command line as a user runs it: a real subprocess of the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXE = Path(sys.executable).with_name("eventwire")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_DEBUG"}
    return subprocess.run([str(EXE), *args], input=stdin, capture_output=True, timeout=300, env=env)


def assert_clean_error(proc: subprocess.CompletedProcess, path: Path, words: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("eventwire: error: ")
    assert str(path) in lines[0]
    assert words in lines[0].lower()
    assert proc.stdout == b""


@pytest.mark.parametrize(
    "name,content,words",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n\t  \n", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02" * 20, "binary"),
        ("latin1.txt", "Le ministre a déclaré que la réunion était terminée. ".encode("latin-1") * 5, "utf-8"),
        (
            "french.txt",
            "Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendront la semaine "
            "prochaine, selon un communiqué publié par le ministère du Travail.".encode(),
            "english",
        ),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, name: str, content: bytes, words: str):
    path = tmp_path / name
    path.write_bytes(content)
    assert_clean_error(run("code", str(path)), path, words)


def test_huge_file_is_refused(tmp_path: Path):
    path = tmp_path / "huge.txt"
    line = b"The committee met again on Tuesday and discussed the budget in detail.\n"
    with open(path, "wb") as fh:
        for _ in range((50 * 1024 * 1024) // len(line) + 1):
            fh.write(line)
    assert path.stat().st_size >= 50 * 1024 * 1024
    assert_clean_error(run("code", str(path)), path, "over the limit")


def test_missing_file(tmp_path: Path):
    path = tmp_path / "nope.txt"
    assert_clean_error(run("code", str(path)), path, "no such file")


def test_code_stdin_jsonl_is_plover_json():
    text = b"Ghana imposed sanctions on Mali on Monday, the foreign ministry said.\n"
    proc = run("code", "-", "--published", "2024-03-08", "--outlet", "Test Wire", stdin=text)
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert rec["event"] == ["SANCTION"]
    assert rec["actor"][0]["code"] == "GHA" and rec["recipient"][0]["code"] == "MLI"
    assert rec["date"] == "2024-03-04"
    assert rec["attribution"][0] == {**rec["attribution"][0], "kind": "outlet", "name": "Test Wire"}
    assert rec["attribution"][-1]["cue"]["text"] == "said"
    assert text.decode()[rec["evidence"]["trigger"]["start"] : rec["evidence"]["trigger"]["end"]] == "imposed"


def test_bad_date_option_is_a_clear_error():
    proc = run("code", "-", "--published", "March 3", stdin=b"Ghana imposed sanctions on Mali on Monday.")
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert "Traceback" not in err and "YYYY-MM-DD" in err


def test_demo_prints_a_table_of_events():
    proc = run("demo")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    for word in ("ASSAULT", "AID", "SANCTION", "attributed to"):
        assert word in out


def test_help_of_every_command_has_an_example():
    for cmd in (["code"], ["demo"], ["info"], ["run"], ["bench"], ["query"], ["serve"], ["train"], ["actors", "explain"], ["actors", "memory", "list"], ["classify"], ["eval", "gold"], ["eval", "plv"], ["eval", "dyads"], ["eval", "actors"], ["eval", "geo"], ["eval", "attribution"]):
        proc = run(*cmd, "--help")
        assert proc.returncode == 0
        assert "Example: eventwire" in proc.stdout.decode(), cmd


def test_help_shows_bracketed_text_literally_and_examples_on_one_line():
    # Rich markup once swallowed "[eventwire]", "[train]" and "[start,end]" from the help
    assert "table [eventwire]" in run("code", "--help").stdout.decode()
    out = run("train", "--help").stdout.decode()
    assert ".[train]" in out and "[start,end]" in out
    out = run("query", "--help").stdout.decode()
    assert "Example: eventwire query --store store/ --country IRN --type ASSAULT --format icews -o iran.tsv" in out


@pytest.mark.skipif(not (SHARED / "examples" / "iran-venezuela").is_dir(), reason="../shared/examples is not present")
def test_eval_gold_prints_the_documented_keys():
    proc = run("eval", "gold", str(SHARED / "examples" / "iran-venezuela"), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    for key in ("recall", "precision", "sector", "date", "location", "attribution", "matched", "required", "predicted"):
        assert key in result
    assert result["required"] == 7


def test_a_missing_option_is_a_usage_error_not_an_internal_one():
    proc = run("query")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "internal error" not in err and "Traceback" not in err
    assert "--store" in err


def test_eval_dyads_scores_labelled_jsonl(tmp_path: Path):
    lines = [
        ("Chilean troops shelled Peruvian border posts on Monday.", "Chilean troops", "Peruvian border posts", "ASSAULT"),
        ("Bolivia imposed sanctions on Paraguay after the vote.", "Bolivia", "Paraguay", "SANCTION"),
        ("Ecuador held talks with Colombia in Quito.", "Ecuador", "Colombia", "CONSULT"),
        ("The weather in Peru was mild and markets in Chile were calm.", "Peru", "Chile", "NONE"),
    ]
    data = tmp_path / "dyads.jsonl"
    with data.open("w") as fh:
        for text, src, tgt, label in lines:
            s, t = text.index(src), text.index(tgt)
            fh.write(json.dumps({"text": text, "source": [s, s + len(src)], "target": [t, t + len(tgt)], "label": label}) + "\n")
    proc = run("eval", "dyads", str(data), "--fast", "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    assert result["n"] == 4 and result["classifier"] == "patterns"
    assert result["accuracy"] == 1.0 and set(result["per_type"]) == {"ASSAULT", "SANCTION", "CONSULT", "NONE"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n')
    assert_clean_error(run("eval", "dyads", str(bad)), bad, "lacks the field 'label'")


def test_actors_explain_shows_code_and_reasons(tmp_path: Path):
    proc = run("actors", "explain", "the senior commander of Brazilian forces")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "BRA MIL" in out and "Brazilian" in out
    story = tmp_path / "story.txt"
    story.write_text(
        "Admiral Jane Holt, the head of the U.S. Pacific Command, visited Manila on Monday.\n\n"
        "Holt said the navy would send two ships to the Philippines.\n"
    )
    proc = run("actors", "explain", "Holt", "--text", str(story))
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert out.count("USA MIL") >= 2 and "coreference" in out
