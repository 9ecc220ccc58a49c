"""One configuration: defaults < TOML file < environment < keywords; documented in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from eventwire.config import Config, load_config
from eventwire.errors import ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_priority_of_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    toml = tmp_path / "ew.toml"
    toml.write_text('[eventwire]\nmax_bytes = 1000\nkeep_negated = true\ndefault_outlet = "File Wire"\n')
    monkeypatch.setenv("EVENTWIRE_DEFAULT_OUTLET", "Env Wire")
    cfg = load_config(toml, keep_negated=False)
    assert cfg.max_bytes == 1000  # file over default
    assert cfg.default_outlet == "Env Wire"  # environment over file
    assert cfg.keep_negated is False  # keyword over file
    assert cfg.languages == ("en",)  # default


def test_bad_settings_are_clear_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="unknown setting 'max_byte'"):
        Config().with_overrides(max_byte=3)
    with pytest.raises(ConfigError, match="must be a int"):
        Config().with_overrides(max_bytes="lots")
    bad = tmp_path / "bad.toml"
    bad.write_text("max_bytes = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for f in dataclasses.fields(Config):
        assert f"| `{f.name}` | `{f.default!r}` |" in text, f.name
