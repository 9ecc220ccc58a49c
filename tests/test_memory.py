"""Actor memory: learn from one article, use in the next, review and correct (real files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eventwire.api import code_text
from eventwire.config import Config
from eventwire.knowledge.memory import ActorMemory

FIRST = (
    "Admiral Jane Holt, the head of the U.S. Pacific Command, said on Monday that China had sent "
    "warships to the Solomon Islands."
)
LATER = "Jane Holt accused Beijing of arming militias in the region."


def speaker_codes(events):
    return {(a.canonical, a.code, a.sector) for e in events for a in e.actor}


def test_a_person_learned_from_one_article_is_coded_in_the_next(tmp_path: Path):
    path = tmp_path / "actors.json"
    cfg = Config(actor_memory=str(path))
    # without memory, the later article alone cannot say who Jane Holt is
    assert not [e for e in code_text(LATER, published="2024-03-08") if e.actor[0].code == "USA"]
    code_text(FIRST, published="2024-03-04", config=cfg)
    saved = json.loads(path.read_text())
    entry = next(e for e in saved["entries"] if e["name"] == "Jane Holt")
    assert (entry["code"], entry["sector"], entry["status"]) == ("USA", "MIL", "learned")
    assert "Pacific Command" in entry["evidence"]
    events = code_text(LATER, published="2024-03-08", config=cfg)
    ev = next(e for e in events if e.type == "ACCUSE")
    holt = ev.actor[0]
    assert (holt.code, holt.sector) == ("USA", "MIL")
    assert any("actor memory" in why for why in holt.evidence)
    assert ev.recipient[0].code == "CHN"


def test_a_correction_wins_and_forget_removes(tmp_path: Path):
    path = tmp_path / "actors.json"
    cfg = Config(actor_memory=str(path))
    code_text(FIRST, published="2024-03-04", config=cfg)
    mem = ActorMemory(path)
    entry = mem.set("jane  holt", "AUS", "MIL", note="seconded to Australia")
    mem.save()
    assert entry.status == "corrected" and entry.name == "Jane Holt"
    # the same (cached) pipeline sees the file changed on disk
    ev = next(e for e in code_text(LATER, published="2024-03-08", config=cfg) if e.type == "ACCUSE")
    assert ev.actor[0].code == "AUS"
    assert ActorMemory(path).forget("Jane Holt") is True


def test_memory_cli_lists_sets_and_forgets(tmp_path: Path):
    path = tmp_path / "actors.json"
    exe = str(Path(sys.executable).with_name("eventwire"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([exe, "actors", "memory", *args, "--memory", str(path)], capture_output=True, text=True, timeout=120)

    assert run("set", "Omar Haddad", "--code", "JOR", "--sector", "GOV").returncode == 0
    listed = run("list", "--json")
    assert json.loads(listed.stdout)[0]["code"] == "JOR"
    assert run("forget", "Omar Haddad").returncode == 0
    assert run("forget", "Omar Haddad").returncode == 1


def test_a_run_saves_what_its_workers_learned(tmp_path: Path):
    """`eventwire run` has one writer: workers hand their learned entries back with their results."""
    from eventwire.runner import run

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(FIRST, encoding="utf-8")
    (corpus / "b.txt").write_text("Jane Holt visited Manila on Friday to meet Philippine defence officials.",
                                  encoding="utf-8")
    path = tmp_path / "memory" / "actors.json"
    run([str(corpus)], tmp_path / "store", workers=1, progress=False, config=Config(actor_memory=str(path)))
    saved = json.loads(path.read_text())
    entry = next(e for e in saved["entries"] if e["name"] == "Jane Holt")
    assert (entry["code"], entry["sector"]) == ("USA", "MIL")
    assert "Pacific Command" in entry["evidence"]


def test_merge_keeps_reviewed_entries(tmp_path: Path):
    from eventwire.knowledge.memory import MemoryEntry

    mem = ActorMemory(tmp_path / "m.json")
    mem.set("Jane Holt", "GBR", "GOV", note="checked")
    assert mem.merge([MemoryEntry("Jane Holt", "USA", "MIL", article_id="x")]) == 0
    assert mem.merge([MemoryEntry("Omar Diallo", "SEN", "GOV", article_id="y")]) == 1
    mem.save()
    again = ActorMemory(tmp_path / "m.json")
    assert again.lookup("Jane Holt").code == "GBR" and again.lookup("Omar Diallo").code == "SEN"
