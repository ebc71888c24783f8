"""Law that keeps its dates: every provision applies from the day it came into force, and not the day before."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from alliance_c2.law import check, default_catalog
from alliance_c2.model import CATALOG_DIR

SHIP = "jpn-msdf-escort-flotilla-1"
TODAY = "2015-guidelines"


def boundary(provision: str, situation: str, action: str, day: str, unit: str = SHIP) -> object:
    return pytest.param(provision, situation, action, date.fromisoformat(day), unit, id=f"{provision}@{day}")


# One order per provision that rests on it alone (beside older law): lawful from `day`, not the day before.
BOUNDARIES = [
    boundary("sdf-act-82-3", "peacetime", "bmd-intercept", "2006-03-27"),
    boundary("anti-piracy-act", "peacetime", "counter-piracy", "2009-07-24"),
    boundary("sdf-act-95-2", "peacetime", "asset-protection", "2016-03-29"),
    boundary("sdf-act-84-3", "peacetime", "rescue-of-nationals", "2016-03-29"),
    boundary("survival-threatening-situation", "survival-threatening", "use-of-force", "2016-03-29"),
    boundary("sdf-act-76-1-ii", "survival-threatening", "minesweeping", "2016-03-29"),
    boundary("peace-security-legislation", "survival-threatening", "logistics-support", "2016-03-29"),
    boundary("international-peace-support-act", "international-peace-cooperation", "logistics-support", "2016-03-29"),
    boundary("important-influence-situations-act", "important-influence", "logistics-support", "2016-03-29"),
    boundary("surrounding-situations-act", "important-influence", "search-and-rescue", "1999-08-25"),
    boundary("ship-inspection-act", "important-influence", "ship-inspection", "2001-03-01"),
    boundary("armed-attack-situations-act", "anticipated-armed-attack", "defense-facilities", "2003-06-13"),
    boundary("sdf-act-77-2", "armed-attack", "defense-facilities", "2003-06-13"),
    boundary("civil-protection-act", "armed-attack", "civil-protection-dispatch", "2004-09-17"),
    boundary("us-military-actions-act", "anticipated-armed-attack", "logistics-support", "2004-06-18"),
    boundary("maritime-transportation-restriction-act", "armed-attack", "ship-inspection", "2004-12-17"),
    boundary("sdf-act-79-2-81-2", "peacetime", "guarding-operation", "2001-11-02"),
    boundary("transport-of-nationals", "peacetime", "transport-of-nationals", "1994-11-18", "jpn-asdf-2nd-air-wing"),
    boundary("sdf-act", "armed-attack", "use-of-force", "1954-07-01"),
]


@pytest.mark.parametrize(("provision", "situation", "action", "day", "unit"), BOUNDARIES)
def test_each_provision_applies_from_its_day(provision: str, situation: str, action: str, day: date, unit: str) -> None:
    on = check(TODAY, situation, action, unit, as_of=day)
    assert on.allowed, [b.reason_en for b in on.blocked_by]
    assert provision in {b.provision for b in on.basis}
    if provision == "important-influence-situations-act":
        # It replaced the Surrounding Situations Act: the day before, the old Act was the basis.
        before = check(TODAY, situation, action, unit, as_of=day - timedelta(days=1))
        assert before.allowed and [b.provision for b in before.basis] == ["surrounding-situations-act"]
        assert "surrounding-situations-act" not in {b.provision for b in on.basis}
    elif day > date(1954, 7, 1):
        before = check(TODAY, situation, action, unit, as_of=day - timedelta(days=1))
        assert not before.allowed
        assert any(b.rule == "no-legal-basis-on-date" for b in before.blocked_by)
        assert any((day - timedelta(days=1)).isoformat() in b.reason_en for b in before.blocked_by)


def test_every_provision_has_a_boundary_test() -> None:
    """Every statute dates the orders resting on it; a policy document (kind: policy) dates none."""
    tested = {p.values[0] for p in BOUNDARIES}  # type: ignore[attr-defined]
    statutes = {p.id for p in default_catalog().provisions.values() if not p.policy}
    assert statutes - {"gray-zone-fast-track"} == tested


def test_counterstrike_rests_on_article_88_not_on_the_2022_documents() -> None:
    """Striking the bases of an attacker is use of force under SDF Act Art. 88 in a defense operation; the government
    has held since 1956 that 「誘導弾等による攻撃を防御するのに、他に手段がないと認められる限り、誘導弾等の基地をたたくことは、
    法理的には自衛の範囲に含まれ、可能である」. The December 2022 documents are policy (capability), not the basis."""
    catalog = default_catalog()
    assert catalog.provisions["counterstrike-policy"].kind == "policy"
    before = check(TODAY, "armed-attack", "counterstrike", "jpn-asdf-2nd-air-wing", as_of=date(2020, 1, 1))
    assert before.allowed, [b.reason_en for b in before.blocked_by]
    assert "counterstrike-policy" not in {b.provision for b in before.basis}
    assert any("1956-02-29" in c.article for c in before.citations)


def test_transport_of_nationals_dates_from_the_1994_amendment_as_article_100_8() -> None:
    """Act 102 of 1994 (in force on promulgation, 1994-11-18): 「第百条の七の次に次の一条を加える。（在外邦人等の輸送）第百条の八
    長官は、外務大臣から外国における災害、騒乱その他の緊急事態に際して生命又は身体の保護を要する邦人の輸送の依頼があつた場合において」."""
    wing = "jpn-asdf-2nd-air-wing"
    in_1995 = check(TODAY, "peacetime", "transport-of-nationals", wing, as_of=date(1995, 1, 1))
    assert in_1995.allowed
    assert "SDF Act Art. 100-8" in {b.article_en.split(" (")[0] for b in in_1995.basis}
    assert check(TODAY, "peacetime", "transport-of-nationals", wing, as_of=date(2020, 1, 1)).basis[-1].article_en \
        .startswith("SDF Act Art. 84-4")


def test_1978_cannot_intercept_missiles_under_a_2005_provision() -> None:
    verdict = check("1978-guidelines", "peacetime", "bmd-intercept", "jpn-sdf-fleet", "jpn-jda-director-general")
    assert not verdict.allowed
    assert verdict.as_of == date(1980, 1, 1)
    reason = verdict.blocked_by[0].reason_en
    assert reason.startswith("no legal basis on 1980-01-01: SDF Act Art. 82-3 (2005)")
    assert "2006-03-27" in reason


def test_asset_protection_before_2016_is_not_allowed_even_in_todays_arrangement() -> None:
    verdict = check(TODAY, "peacetime", "asset-protection", SHIP, as_of=date(2010, 1, 1))
    assert not verdict.allowed
    assert "SDF Act Art. 95-2 (2015)" in verdict.blocked_by[0].reason_en


def test_bmd_article_carries_its_number_of_the_day() -> None:
    """Act 55 of 2009 inserted counter-piracy as Art. 82-2 and renumbered the BMD article 82-3."""
    before = check(TODAY, "peacetime", "bmd-intercept", SHIP, as_of=date(2009, 7, 23))
    after = check(TODAY, "peacetime", "bmd-intercept", SHIP, as_of=date(2009, 7, 24))
    assert [b.article_en for b in before.basis] == ["SDF Act Art. 82-2 (2005)"]
    assert [b.article_en for b in after.basis] == ["SDF Act Art. 82-3 (2005)"]
    assert "SDF Act Art. 82-2" in [c.article for c in before.citations]


def test_1997_important_influence_is_the_surrounding_situations_act_situation() -> None:
    catalog = default_catalog()
    old = catalog.situation_on("important-influence", date(2002, 1, 1))
    new = catalog.situation_on("important-influence", date(2016, 3, 29))
    assert old is not None and old.name_ja == "周辺事態" and old.requires == ("surrounding-situations-act",)
    assert new is not None and new.name_ja == "重要影響事態"
    assert catalog.situation_on("important-influence", date(1999, 8, 24)) is None
    verdict = check("1997-guidelines", "important-influence", "logistics-support", "jpn-sdf-fleet")
    assert verdict.allowed and [b.provision for b in verdict.basis] == ["surrounding-situations-act"]


def test_gray_zone_fast_track_only_since_may_2015() -> None:
    catalog = default_catalog()
    before = catalog.situation_on("gray-zone", date(2015, 5, 13))
    after = catalog.situation_on("gray-zone", date(2015, 5, 14))
    assert before is not None and not any(s.fast_track for s in before.procedure)
    assert after is not None and any(s.fast_track for s in after.procedure)


def test_situations_that_did_not_exist_block_every_order() -> None:
    verdict = check("1997-guidelines", "survival-threatening", "use-of-force", "jpn-sdf-fleet")
    assert not verdict.allowed
    assert "Armed Attack Situations Response Act Art. 2(4) (2015)" in verdict.blocked_by[0].reason_en


def test_each_bundled_arrangement_declares_a_cited_law_date() -> None:
    for path in sorted((CATALOG_DIR / "architectures").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data["law_as_of"], date), path.name
        assert data["law_as_of_source"], path.name


def test_every_dated_rule_cites_its_provision_source() -> None:
    for p in default_catalog().provisions.values():
        assert p.source, p.id
        assert p.in_force >= date(1954, 7, 1)
        if p.unconfirmed:
            assert p.note_en, p.id


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliance_c2.cli", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("value", ["2010-13-01", "yesterday", "1954-06-30"])
def test_bad_as_of_is_one_line_and_exit_2(value: str) -> None:
    proc = _cli("check", "--arch", TODAY, "--situation", "peacetime", "--action", "asset-protection",
                "--unit", SHIP, "--as-of", value)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "--as-of" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_json_shows_the_date_and_the_basis_used() -> None:
    proc = _cli("check", "--arch", "1997-guidelines", "--situation", "important-influence", "--action",
                "ship-inspection", "--unit", "jpn-sdf-fleet", "--json")
    data = json.loads(proc.stdout)
    assert data["as_of"] == "2002-01-01"
    assert [b["provision"] for b in data["legal_basis"]] == ["surrounding-situations-act", "ship-inspection-act"]
    assert data["legal_basis"][1]["in_force"] == "2001-03-01"


def test_situations_and_actions_json_show_dates() -> None:
    situations = {s["id"]: s for s in json.loads(_cli("situations", "--json").stdout)}
    assert situations["survival-threatening"]["in_force"] == "2016-03-29"
    assert situations["important-influence"]["earlier"][0]["name_ja"] == "周辺事態"
    actions = {a["id"]: a for a in json.loads(_cli("actions", "--json").stdout)}
    assert actions["bmd-intercept"]["versions"]["peacetime"][0]["in_force"] == "2006-03-27"


def test_arrangement_without_law_as_of_uses_today_with_a_warning(tmp_path: Path) -> None:
    source = (CATALOG_DIR / "architectures" / "2015-guidelines.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in source.splitlines() if not line.startswith("law_as_of"))
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    proc = _cli("validate", str(path))
    assert proc.returncode == 0
    assert "no law_as_of" in proc.stdout + proc.stderr
    verdict = json.loads(_cli("check", "--arch", str(path), "--situation", "peacetime", "--action",
                              "asset-protection", "--unit", SHIP, "--json").stdout)
    assert verdict["as_of"] == date.today().isoformat()
