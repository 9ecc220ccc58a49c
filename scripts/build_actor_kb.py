"""Generate eventwire's derived actor data files from reference dictionaries.

Usage::

    python scripts/build_actor_kb.py [SHARED_REFERENCE_DIR]

Reads (default ``../shared/reference``):

* ``actor-lists/CountryInfo.120116.txt`` (CC BY-SA 3.0, Philip A. Schrodt) ->
  ``src/eventwire/data/actors/countryinfo.json``: per country, the name forms and
  nationality adjectives, capitals, and the dated leader list (facts only).
* ``phoenix-dictionaries/Phoenix.International.actors.txt`` and
  ``Phoenix.MilNonState.actors.txt`` (MIT, Open Event Data Alliance) ->
  ``src/eventwire/data/actors/organizations_phoenix.json``: organisation names with
  their country/international code and sector, translated from CAMEO to PLOVER.
* the country blocks of ``Phoenix.Countries.actors.txt`` (``SUDAN_ [SDN]`` followed by
  ``+DARFUR_``...) and the ``<Regions>`` of CountryInfo -> ``places_phoenix.json``:
  regions, provinces and towns that stand for their country.
* ``actor-lists/PLOVER_agents.txt`` (MIT, Open Event Data Alliance) ->
  ``agents_plover.json``: generic agent nouns ("militiaman", "human rights group") with
  their PLOVER sector, or the international code (IGO/NGO) they imply.

The outputs are committed; this script only needs re-running when the sources change.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwire" / "data" / "actors"
#: PLOVER keeps these non-independent territories as separate country names.
SEPARATE = {"HKG", "PSE", "ATA"}
PLOVER_SECTORS = {
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS",
    "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
}
#: CAMEO agent codes whose PLOVER sector differs (PLOVER manual, sector note 4, and merges).
CAMEO_SECTOR = {"HLH": "MED", "MED": "JRN", "CIV": "CVL", "INS": "REB", "SEP": "REB", "RAD": "REB",
                "HRI": "SOC", "ENV": "SOC", "DEV": "SOC", "IGO": None, "NGO": None, "MOS": "REL",
                "CHR": "REL", "JEW": "REL", "BUD": "REL", "HIN": "REL", "SPY": "SPY"}
INTERNATIONAL = {"IGO", "NGO", "IMG", "MNC", "ISM"}


def _name(raw: str) -> str:
    """CountryInfo/TABARI phrase (``SOUTH_KOREA_``) -> plain text (``south korea``)."""
    raw = re.sub(r"\(.*?\)", " ", raw)
    return " ".join(raw.replace("_", " ").lower().split())


def _block(text: str, tag: str) -> str:
    m = re.search(rf"<{re.escape(tag)}>(.*?)</{re.escape(tag)}>", text, re.DOTALL)
    return m.group(1) if m else ""


def _date(s: str) -> str:
    s = s.strip()
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}" if len(s) == 8 and s.isdigit() else ""


def parse_countryinfo(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = text.split("-->", 1)[1]
    countries: dict[str, dict] = {}
    for chunk in text.split("<Country>")[1:]:
        alpha3 = _block(chunk, "ISO3166-alpha3").strip()
        code = _block(chunk, "CountryCode").strip()[:3] or alpha3
        if alpha3 in SEPARATE or (_valid_code(alpha3) and not _valid_code(code)):
            code = alpha3  # e.g. CountryInfo's old TMP -> TLS
        if not re.fullmatch(r"[A-Z]{3}", code or ""):
            continue
        entry = countries.setdefault(code, {"code": code, "names": [], "capitals": [], "leaders": [], "officials": []})
        for tag, key in (("CountryName", "names"), ("Nationality", "names"), ("Capital", "capitals")):
            for line in _block(chunk, tag).splitlines():
                line = line.split("#", 1)[0].strip()
                n = _name(line)
                if n and len(n) > 2 and n not in entry[key]:
                    entry[key].append(n)
        for title, body in re.findall(r"<([^>/]+)>(.*?)</\1>", _block(chunk, "Leaders"), re.DOTALL):
            for line in body.splitlines():
                line = line.split("#", 1)[0].strip()
                m = re.match(r"((?:\{[^}]*\}\s*)+|[A-Z][A-Z.'\-_]+)\s+(.*)", line)
                if not m:
                    continue
                names = re.findall(r"\{([^}]*)\}", m.group(1)) or [m.group(1)]
                for rng in re.findall(r"\[([<>]?\d{8}(?:\s*-\s*\d{8})?)\]", m.group(2)):
                    start, _, end = rng.partition("-")
                    if start.startswith(">"):
                        start, end = start[1:], ""
                    for alias in (a for a in names if _name(a)):
                        entry["leaders"].append({
                            "name": _name(alias).title(), "title": title.strip(),
                            "start": _date(start.lstrip("<")), "end": _date(end),
                        })
        for line in _block(chunk, "Government").splitlines():
            body, _, comment = line.partition("#")
            m = re.match(r"\s*([A-Z][A-Z.'\-_]+)\s+(.*)", body)
            if not m:
                continue
            for gcode, rng in re.findall(r"\[([A-Z]{3,})\s*([^\]]*)\]", m.group(2)):
                sector = _cameo_to_plover(gcode)
                dates = re.findall(r"\d{8}", rng)
                start = _date(dates[0]) if dates and not rng.strip().startswith("<") else ""
                end = _date(dates[-1]) if dates and (len(dates) > 1 or rng.strip().startswith("<")) else ""
                entry["officials"].append({
                    "name": _name(m.group(1)).title(), "title": comment.strip()[:80],
                    "sector": (sector[1] if sector and sector[0] == code else None) or "GOV",
                    "start": start, "end": end,
                })
    return sorted(countries.values(), key=lambda c: c["code"])


def _cameo_to_plover(code: str) -> tuple[str, str | None] | None:
    code = code.strip().split()[0] if code.strip() else ""
    if len(code) < 3 or not code[:3].isalpha():
        return None
    head, rest = code[:3], [code[i:i + 3] for i in range(3, len(code), 3)]
    if head == "IGO":
        if rest[:1] == ["UNO"]:
            head = "UNO"
        elif "EEC" in rest or "EUR" in rest[:1] and "EEC" in code:
            head = "EUR"
    sector = None
    for part in rest:
        mapped = CAMEO_SECTOR.get(part, part)
        if mapped in PLOVER_SECTORS:
            sector = mapped
            break
    return head, sector


def _valid_code(code: str) -> bool:
    """ISO alpha-3 country, KOS, or a PLOVER international code (drops CAMEO regions)."""
    import pycountry

    return code in INTERNATIONAL | {"UNO", "EUR", "KOS"} or pycountry.countries.get(alpha_3=code) is not None


def parse_phoenix(path: Path, institutions_only: bool = False) -> list[dict]:
    """Organisation entries of a Phoenix actor dictionary. With ``institutions_only``
    (the country file), people (names ending in "_", or dated codes) are left out:
    leaders come from CountryInfo with their dates instead."""
    entries: list[dict] = []
    cur: dict | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("!"):
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        body = re.sub(r"\[[^\]]*\]", "", line).strip()
        if line.startswith("+") and cur is not None:
            cur["names"].append(_name(body[1:]))
        elif body and not line[0].isspace():
            cur = {"names": [_name(body)], "codes": [], "person": body.endswith("_"), "dated": False}
            entries.append(cur)
        if cur is not None:
            cur["dated"] = cur["dated"] or any(re.search(r"\d", c) for c in codes)
            cur["codes"].extend(c for c in codes if not re.search(r"\d", c) or ">" in c)
    out = []
    for e in entries:
        if not e["codes"] or (institutions_only and (e["person"] or e["dated"])):
            continue
        mapped = _cameo_to_plover(e["codes"][-1])
        if mapped is None:
            continue
        names = sorted({n for n in e["names"] if len(n) > 2 and not n.isdigit()})
        if names and _valid_code(mapped[0]):
            out.append({"names": names, "code": mapped[0], "sector": mapped[1], "source": path.name})
    return out


def parse_places(path: Path) -> dict[str, list[str]]:
    """Synonyms listed under a bare country entry of the Phoenix country file
    (``SUDAN_  [SDN]`` then ``+DARFUR_``): regions and towns coded as that country."""
    places: dict[str, list[str]] = {}
    cur: str | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        m = re.fullmatch(r"([A-Z][A-Z_'\-]*)\s*\[([A-Z]{3})\]", line.strip()) if line and not line[0].isspace() else None
        if m and not line.startswith("+"):
            cur = m.group(2) if _valid_code(m.group(2)) and m.group(2) not in INTERNATIONAL else None
            continue
        if line.startswith("+") and cur is not None:
            name = _name(line[1:].split("[")[0])
            if len(name) > 3 and not name.isdigit():
                places.setdefault(cur, []).append(name)
        elif line.strip() and not line.startswith("+"):
            cur = None
    return places


def countryinfo_regions(path: Path) -> dict[str, list[str]]:
    """``<Regions>`` of each CountryInfo country (WordNet meronyms)."""
    text = path.read_text(encoding="utf-8", errors="replace").split("-->", 1)[1]
    out: dict[str, list[str]] = {}
    for chunk in text.split("<Country>")[1:]:
        code = _block(chunk, "ISO3166-alpha3").strip()
        for line in _block(chunk, "Regions").splitlines():
            name = _name(line.split("#", 1)[0])
            if re.fullmatch(r"[A-Z]{3}", code) and _valid_code(code) and len(name) > 3:
                out.setdefault(code, []).append(name)
    return out


def _plurals(phrase: str) -> list[str]:
    """Regular English plural of the last word (PETRARCH generates these itself)."""
    head, _, last = phrase.rpartition(" ")
    if last.endswith("man"):
        plural = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return [f"{head} {plural}".strip()]


def parse_agents(path: Path) -> dict[str, str]:
    """PLOVER agents dictionary -> {phrase: PLOVER sector or IGO/NGO code}; first entry wins."""
    subs: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" in line and line.startswith("!"):
            key, _, vals = line.partition("=")
            subs[key.strip()] = [v.strip() for v in vals.split(",") if v.strip()]
            continue
        m = re.fullmatch(r"([A-Z!][A-Z_!\-']*)\s*(?:\{([^}]*)\})?\s*\[~([A-Z]{3})[A-Z]*\]", line)
        if not m:
            continue
        # The agents file is written in PLOVER sector codes (MED = medical, JRN = media),
        # not CAMEO agent codes: no CAMEO_SECTOR translation here.
        label = m.group(3)
        if label not in PLOVER_SECTORS | {"IGO", "NGO"} or label == "UNK":
            continue
        forms = [m.group(1)]
        for key, vals in subs.items():
            if key in m.group(1):
                forms = [f.replace(key, v) for f in forms for v in vals]
        phrases = [_name(f) for f in forms]
        extra = [_name(p) for p in (m.group(2) or "").split(",") if p.strip()]
        for ph in phrases + extra + [p for ph in phrases for p in _plurals(ph)] if not extra \
                else phrases + extra:
            if len(ph) > 2:
                out.setdefault(ph, label)
    return out


def main(ref: Path) -> None:
    ci = parse_countryinfo(ref / "actor-lists" / "CountryInfo.120116.txt")
    (OUT / "countryinfo.json").write_text(json.dumps(
        {"source": "CountryInfo.120116.txt (CC BY-SA 3.0, Philip A. Schrodt), generated by scripts/build_actor_kb.py",
         "countries": ci}, indent=None, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    orgs = []
    for name in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        orgs += parse_phoenix(ref / "phoenix-dictionaries" / name)
    orgs += parse_phoenix(ref / "phoenix-dictionaries" / "Phoenix.Countries.actors.txt", institutions_only=True)
    (OUT / "organizations_phoenix.json").write_text(json.dumps(
        {"source": "petrarch2 Phoenix dictionaries (MIT, Open Event Data Alliance), generated by scripts/build_actor_kb.py",
         "organizations": orgs}, indent=None, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    places = parse_places(ref / "phoenix-dictionaries" / "Phoenix.Countries.actors.txt")
    for code, names in countryinfo_regions(ref / "actor-lists" / "CountryInfo.120116.txt").items():
        places.setdefault(code, []).extend(names)
    places = {code: sorted(set(names)) for code, names in sorted(places.items())}
    (OUT / "places_phoenix.json").write_text(json.dumps(
        {"source": "Phoenix.Countries.actors.txt country synonyms (MIT, Open Event Data Alliance) and CountryInfo "
                   "<Regions> (CC BY-SA 3.0, Philip A. Schrodt), generated by scripts/build_actor_kb.py",
         "places": places}, indent=None, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    agents = parse_agents(ref / "actor-lists" / "PLOVER_agents.txt")
    (OUT / "agents_plover.json").write_text(json.dumps(
        {"source": "PLOVER_agents.txt (NGEC/OEDA, MIT), generated by scripts/build_actor_kb.py",
         "agents": dict(sorted(agents.items()))}, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(places)} countries with places, {sum(map(len, places.values()))} places, {len(agents)} agent nouns")
    print(f"{len(ci)} countries, {sum(len(c['leaders']) for c in ci)} leader terms, "
          f"{sum(len(c['officials']) for c in ci)} official terms, {len(orgs)} organisations")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference")
