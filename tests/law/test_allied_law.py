"""Both allies' law: U.S. command law, the War Powers Resolution, the Security Treaty and ROK law, as data.

Each test quotes the sentence of the digest (shared/domain/us-and-treaty-law.md, excerpts kept in tests/data) that
the rule it checks encodes; the digest names each rule's public source.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from alliance_c2.law import audit, check, default_catalog

EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "us-and-treaty-law-excerpts.md"
DIGEST = Path(__file__).resolve().parents[3] / "shared" / "domain" / "us-and-treaty-law.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "alliance_c2"
OPCON_ACT, STANDING = "opcon-transfer-act", "us-standing-opcon-authorization"
DEFENSE_OP = ("nsc-deliberation", "cabinet-decision", "diet-approval", "pm-order")
SHIP = "jpn-msdf-escort-flotilla-1"


def _digest_says(sentence: str) -> None:
    """The quoted sentence is in the digest (the excerpts kept with the tests)."""
    assert sentence in EXCERPTS.read_text(encoding="utf-8").replace("\\n", "\n")


def test_excerpts_are_verbatim() -> None:
    """Every sentence kept in tests/data stands word for word in the digest the rules were built from."""
    if not DIGEST.exists():
        pytest.skip(f"the digest {DIGEST} is not beside this checkout: excerpts not compared")
    source = DIGEST.read_text(encoding="utf-8")
    lines = [line.replace("\\n", "\n") for line in EXCERPTS.read_text(encoding="utf-8").splitlines()[8:] if line]
    assert lines and all(line in source for line in lines)


def test_no_nation_code_in_the_engine() -> None:
    """The engine has no nation-specific branch: no nation code or nation-prefixed id in law/, sim/, analysis/."""
    pattern = re.compile(r"JPN|USA|ROK|jpn-|usa-|rok-")
    found = [f"{p.relative_to(SRC)}:{n}" for folder in ("law", "sim", "analysis") for p in (SRC / folder).rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_the_president_decides_on_opcon_under_jjoc_and_a_war_powers_report_follows() -> None:
    """"OPCON of a U.S. unit to JJOC (a Japanese commander) needs a **presidential decision** (kind policy, holder
    `usa-president`), with a SecDef execute / transfer-of-authority order in practice; Japan's OPCON Transfer Act (M2)
    is Japanese law and cannot supply it." and "Absent a declaration of war, within 48 hours the President reports to
    the Speaker and the President pro tempore when U.S. forces are introduced (1) into hostilities or imminent
    hostilities;" """
    _digest_says("OPCON of a U.S. unit to JJOC (a Japanese commander) needs a **presidential decision**")
    _digest_says("within 48 hours the President reports to the Speaker and the President pro tempore")
    v = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT])
    assert v.allowed
    assert {"us-president-opcon", "wpr-report"} <= set(v.approvals)
    assert "C6-law-gap" in v.constraints
    opcon = next(s for s in v.approval_steps if s.id == "us-president-opcon")
    assert (opcon.nation, opcon.kind, opcon.holders, opcon.phase, opcon.per_situation) == \
        ("USA", "policy", ("usa-president",), "before", True)
    assert opcon.transfers_control
    report = next(s for s in v.approval_steps if s.id == "wpr-report")
    assert (report.phase, report.kind, report.rule) == ("after", "statute", "wpr-report-48h")
    assert v.approvals_by_nation == {"jpn": list(DEFENSE_OP), "usa": ["us-president-opcon", "wpr-report"]}


def test_a_standing_authorization_replaces_the_case_by_case_decision() -> None:
    """"A standing authorization for designated forces (as NATO's transfer of authority on activation) replaces the
    case-by-case decision." """
    _digest_says("A standing authorization for designated forces (as NATO's transfer of authority on activation)")
    v = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT, STANDING])
    assert v.allowed and "us-president-opcon" not in v.approvals
    assert "us-foreign-opcon" not in {f.rule for f in v.findings}
    assert "wpr-report" in v.approvals  # the reform touches nothing else


def test_prior_consultation_for_combat_from_japan_outside_article_v_only() -> None:
    """"Major changes in the deployment into Japan of United States armed forces, ... and the use of facilities and
    areas in Japan as bases for military combat operations to be undertaken from Japan other than those conducted
    under Article V of the said Treaty, shall be the subjects of prior consultation with the Government of Japan."
    "Scope by practice: only the **direct launch of combat operations** from Japan"; "Under Art. V (armed attack on
    territory under Japan's administration) none is needed." """
    _digest_says("shall be the subjects of prior consultation with the Government of Japan.")
    _digest_says("Scope by practice: only the **direct launch of combat operations** from Japan")
    _digest_says("Under Art. V (armed attack on territory under Japan's administration) none is needed.")
    strike = check("2015-guidelines", "important-influence", "use-of-force", "usa-5th-af", "usa-indopacom")
    assert strike.allowed and "japan-prior-consultation" in strike.approvals
    step = next(s for s in strike.approval_steps if s.id == "japan-prior-consultation")
    assert (step.nation, step.law, step.kind, step.holders) == ("JPN", "japan-us-security-treaty", "treaty", ("jpn-cabinet",))
    assert strike.approvals_by_nation["jpn"] == ["japan-prior-consultation"]
    assert "japan-us-security-treaty" in strike.laws
    armed = check("2015-guidelines", "armed-attack", "use-of-force", "usa-5th-af", "usa-indopacom")
    assert "japan-prior-consultation" not in armed.approvals
    isr = check("2015-guidelines", "important-influence", "isr", "usa-5th-af", "usa-indopacom")
    assert isr.approvals == ("us-national-authority",)


def test_prior_consultation_dates_from_the_treaty_and_the_war_powers_resolution_from_1973() -> None:
    """Era-correct: prior consultation from 1960 (the treaty in force 1960-06-23), War Powers from 1973-11-07."""
    strike = ("2015-guidelines", "important-influence", "use-of-force", "usa-5th-af", "usa-indopacom")
    before_wpr = check(*strike, as_of=date(1973, 11, 6))
    after_wpr = check(*strike, as_of=date(1973, 11, 7))
    assert "wpr-report" not in before_wpr.approvals and "wpr-report" in after_wpr.approvals
    assert default_catalog().treaties["japan-us-security-treaty"].in_force == date(1960, 6, 23)


def test_the_war_powers_report_covers_us_members_of_a_combined_headquarters() -> None:
    """"\"Introduction of United States Armed Forces\" includes assigning members \"to command, coordinate, participate
    in the movement of, or accompany\" a foreign country's forces when they are engaged, **or there exists an imminent
    threat that they will become engaged**, in hostilities." Even where only the SDF fights; a Japanese unit under a
    Japanese commander needs no U.S. step."""
    _digest_says("includes assigning members \"to command, coordinate, participate in the movement of, or accompany\"")
    combined = check("2024-proposal", "survival-threatening", "use-of-force", SHIP, "jpn-jjoc")
    assert combined.allowed and "wpr-report" in combined.approvals
    assert combined.approvals_by_nation["usa"] == ["wpr-report"]
    national = check("2015-guidelines", "survival-threatening", "use-of-force", SHIP, "jpn-jjoc")
    assert "usa" not in national.approvals_by_nation


def test_consultation_in_every_possible_instance_is_shown_not_awaited() -> None:
    """"The President shall consult Congress \"in every possible instance\" before introducing U.S. forces into
    hostilities ..." - labelled as such, not a condition of the order."""
    _digest_says("The President shall consult Congress \"in every possible instance\"")
    v = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", None)
    assert [a.rule for a in v.advisories] == ["wpr-consult"]
    assert "wpr-consult" not in v.approvals


def test_the_60_day_limit_is_a_bound_lifted_by_congressional_authorization() -> None:
    """"Within 60 days after a report is submitted **or required to be submitted under §1543(a)(1)** ... the use of
    forces ends unless Congress has declared war or specifically authorized it ...; +30 days only if the President
    certifies in writing ..." """
    _digest_says("the use of forces ends unless Congress has declared war or specifically authorized it")
    v = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", None)
    bound = next(b for b in v.bounds if b.rule == "wpr-60-day")
    assert (bound.days, bound.extension_days, bound.lifted) == (60, 30, False)
    assert bound.lifted_by == ("congressional-authorization",)
    lifted = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", None, ["congressional-authorization"])
    assert next(b for b in lifted.bounds if b.rule == "wpr-60-day").lifted
    assert "wpr-60-day" not in {f.rule for f in lifted.findings}


@pytest.mark.parametrize(("action", "article"), [
    ("maritime-security-operation", "SDF Act Art. 82"),
    ("public-security-operation", "SDF Act Art. 78"),
    ("disaster-relief", "SDF Act Art. 83"),
    ("asset-protection", "SDF Act Art. 95-2"),
])
def test_sdf_powers_belong_to_sdf_units(action: str, article: str) -> None:
    """"SDF Act powers (Arts. 78, 81-84-4, 95-2 ...) belong to SDF units and personnel: a U.S. unit under JJOC's OPCON
    is still a U.S. unit and acts under U.S. authority." """
    _digest_says("SDF Act powers (Arts. 78, 81-84-4, 95-2 ...) belong to SDF units and personnel")
    v = check("2024-proposal", "armed-attack", action, "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT])
    assert not v.allowed
    reasons = " ".join(b.reason_en for b in v.blocked_by)
    assert article in reasons and "SDF units only" in reasons
    own = check("2024-proposal", "armed-attack", action, SHIP, "jpn-jjoc", [OPCON_ACT])
    assert not any(b.rule == "sdf-units-only" for b in own.blocked_by)


def test_an_order_outside_the_approved_mission_goes_back_to_us_authorities() -> None:
    """"A JJOC order to a U.S. unit outside the mission the President approved (another situation or action) is not
    an order." """
    _digest_says("A JJOC order to a U.S. unit outside the mission the President approved")
    v = check("2024-proposal", "armed-attack", "rescue-of-nationals", "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT])
    assert "us-foreign-opcon-limits" in {b.rule for b in v.blocked_by}
    peacetime = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT])
    assert "no-command-authority" in {b.rule for b in peacetime.blocked_by}


def test_cocom_stays_with_the_us_combatant_commander(tmp_path: Path) -> None:
    """"COCOM stays with INDOPACOM in every arrangement: JJOC can hold at most OPCON/TACON of U.S. units; an
    arrangement that gives JJOC `command` of U.S. units is invalid." The edit of the issue: `new`, then the relation
    Self-Defense Fleet -> Seventh Fleet from opcon to command: validate exits 2 naming both organizations."""
    _digest_says("COCOM stays with INDOPACOM in every arrangement")
    path = tmp_path / "x.yaml"
    cli = [sys.executable, "-m", "alliance_c2.cli"]
    subprocess.run([*cli, "new", "x", "--from", "2024-proposal", "-o", str(path)], check=True, capture_output=True)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("- from: jpn-sdf-fleet\n  to: usa-7th-fleet\n  kind: opcon", "- from: jpn-sdf-fleet\n  to: usa-7th-fleet\n  kind: command")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    proc = subprocess.run([*cli, "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    line = proc.stderr.strip().splitlines()[0]
    assert re.match(rf"{re.escape(str(path))}:\d+: ", line)
    assert "jpn-sdf-fleet" in line and "usa-7th-fleet" in line and "10 U.S.C. §164" in line
    number = int(line.split(":")[1])
    assert edited.splitlines()[number - 1].strip() == "kind: command"  # at the relation's own line


def test_an_unknown_nation_code_is_an_error_at_its_own_line(tmp_path: Path) -> None:
    """`nation: US` on the President: FILE:LINE at that line, with "did you mean"."""
    path = tmp_path / "x.yaml"
    cli = [sys.executable, "-m", "alliance_c2.cli"]
    subprocess.run([*cli, "new", "x", "--from", "2015-guidelines", "-o", str(path)], check=True, capture_output=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: usa-president")
    nation = next(i for i in range(at, at + 8) if lines[i].strip() == "nation: USA")
    lines[nation] = lines[nation].replace("USA", "US")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run([*cli, "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    first = proc.stderr.strip().splitlines()[0]
    assert first.startswith(f"{path}:{nation + 1}: ")
    assert "'US'" in first and "did you mean 'USA'" in first


def test_an_unknown_reform_is_one_line_naming_the_choices(cli) -> None:
    code, _, err = cli("check", "--arch", "2015-guidelines", "--situation", "armed-attack", "--action", "use-of-force",
                       "--unit", SHIP, "--reform", "us-standing-authorisation")
    assert code == 2
    assert "us-standing-opcon-authorization" in err and len(err.strip().splitlines()) == 1


def test_reforms_and_approvals_list_their_nation_kind_and_source(cli) -> None:
    """The ids exist and are listed with their nation, kind and source (`reforms --json`, `approvals --json`)."""
    code, out, _ = cli("reforms", "--json")
    reforms = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    for rid, nation, kind in ((STANDING, "USA", "policy"), ("congressional-authorization", "USA", "statute"),
                              (OPCON_ACT, "JPN", "statute")):
        assert (reforms[rid]["nation"], reforms[rid]["kind"]) == (nation, kind) and reforms[rid]["source"]
    assert reforms[STANDING]["lifts_rules"] == ["us-foreign-opcon"]
    code, out, _ = cli("approvals", "--json")
    approvals = {a["id"]: a for a in json.loads(out)}
    expected = {"us-president-opcon": ("USA", "policy"), "wpr-report": ("USA", "statute"),
                "japan-prior-consultation": ("JPN", "treaty"), "us-national-authority": ("USA", "statute")}
    for aid, (nation, kind) in expected.items():
        assert (approvals[aid]["nation"], approvals[aid]["kind"]) == (nation, kind) and approvals[aid]["source"]
    assert approvals["japan-prior-consultation"]["unconfirmed"] is True  # who decides and how fast: UNCONF
    assert approvals["us-president-opcon"]["rules"] == ["us-foreign-opcon"]


def test_check_prints_each_allys_steps_apart(cli) -> None:
    code, out, _ = cli("check", "--arch", "2024-proposal", "--situation", "armed-attack", "--action", "use-of-force",
                       "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc", "--reform", OPCON_ACT)
    assert code == 0
    flat = " ".join(out.split())  # rich wraps long lines
    japan, us = flat.index(" Japan: "), flat.index(" United States: ")
    assert japan < flat.index("Prime Minister's order (once for the situation) (Japanese law, statute") < us
    assert us < flat.index("President's decision on OPCON under a foreign commander (once for the situation) "
                           "(United States law, policy")
    code, out, _ = cli("check", "--arch", "2024-proposal", "--situation", "armed-attack", "--action", "use-of-force",
                       "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc", "--reform", OPCON_ACT, "--lang", "ja")
    assert "米国:" in out and "日本:" in out and "政策" in out


def test_the_future_cfc_puts_us_units_under_a_foreign_commander_and_todays_does_not() -> None:
    """"The future CFC: the 50th SCM communiqué (2018-10-31) says it \"is to have an ROK four-star general as the
    Commander and a U.S. four-star general as the Deputy Commander\"" and "Today's CFC is **not** one: its commander is
    a U.S. general." """
    _digest_says("\"is to have an ROK four-star general as the Commander and a U.S. four-star general as the Deputy Commander\"")
    _digest_says("Today's CFC is **not** one: its commander is a U.S. general.")
    today = check("us-rok-cfc", "armed-attack", "use-of-force", "usa-8th-army", "cfc-gcc")
    future = check("us-rok-future-cfc", "armed-attack", "use-of-force", "usa-8th-army", "cfc-gcc")
    assert "us-president-opcon" not in today.approvals and "us-national-authority" in today.approvals
    assert "us-president-opcon" in future.approvals
    from alliance_c2.model import load_architecture

    arch = load_architecture("us-rok-future-cfc")
    assert arch.organizations["cfc"].commander_nation == "ROK"
    assert all(r.unconfirmed for r in arch.relations if r.kind == "opcon" and r.to_id.startswith("usa-"))


def test_c6_is_computed_with_what_lifts_each_rule() -> None:
    """The audit names the U.S. and treaty rules behind C6, their orders and their remedies, and no longer says
    C6 "remains with every reform": the rules are lifted one by one."""
    report = audit("2024-proposal", [OPCON_ACT])
    c6 = {c.rule: c for c in report.c6()}
    assert c6["us-foreign-opcon"].orders > 0 and c6["us-foreign-opcon"].lifted_by == (STANDING,)
    assert c6["wpr-60-day"].lifted_by == ("congressional-authorization",)
    everything = audit("2024-proposal", [OPCON_ACT, STANDING, "congressional-authorization"])
    remaining = {c.rule for c in everything.c6() if c.orders}
    assert "us-foreign-opcon" not in remaining and "wpr-60-day" not in remaining
    assert "prior-consultation" in remaining  # a political decision the study does not specify
