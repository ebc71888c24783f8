"""The authority engine against a table of cases, each traced to the article or document row it encodes."""

from __future__ import annotations

import pytest

from alliance_c2.law import check

NSC, CAB, DIET, DIET_PRIOR, DIET_AFTER, REPORT = (
    "nsc-deliberation", "cabinet-decision", "diet-approval", "diet-prior-approval", "diet-approval-after", "diet-report"
)
PM_APP, PM_ORDER, DM, REQ, USA = "pm-approval", "pm-order", "defense-minister-order", "request", "us-national-authority"
OPCON, WPR, CONSULT, ROK = "us-president-opcon", "wpr-report", "japan-prior-consultation", "national-authority"
DEFENSE_OP_AA = (NSC, CAB, DIET, PM_ORDER)
DEFENSE_OP_STS = (NSC, CAB, DIET_PRIOR, PM_ORDER)
SHIP = "jpn-msdf-escort-flotilla-1"
WING = "jpn-asdf-2nd-air-wing"
C1, C2, C3, C4, C5, C6 = (
    "C1-constitution", "C2-entanglement", "C3-sovereignty", "C4-transfer-law", "C5-political-decision", "C6-law-gap"
)
OPCON_ACT = "opcon-transfer-act"


def case(arch, situation, action, unit, ordered_by, allowed, approvals, constraints, source, reforms=()):
    return pytest.param(
        arch, situation, action, unit, ordered_by, tuple(reforms), allowed, approvals, set(constraints), source,
        id=f"{arch}:{situation}:{action}:{unit}:{ordered_by or 'own-chain'}{':' + '+'.join(reforms) if reforms else ''}",
    )


CASES = [
    # --- JSDF units on their own chain (2015 Guidelines as implemented today) ---
    case("2015-guidelines", "armed-attack", "use-of-force", SHIP, None, True, DEFENSE_OP_AA, {C5},
         "SDF Act Arts. 76(1)(i), 88; Armed Attack Situations Act Art. 9(4) (MOD Reference 10 row: defense operation)"),
    case("2015-guidelines", "survival-threatening", "use-of-force", SHIP, None, True, DEFENSE_OP_STS, {C5},
         "SDF Act Art. 76(1)(ii); legal-digest survival_threatening_situation.political_commitment (S36)"),
    case("2015-guidelines", "peacetime", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest use_of_force_three_new_conditions (S17): force only in armed attack / STS"),
    case("2015-guidelines", "gray-zone", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest peacetime_grayzone: police-type operations only"),
    case("2015-guidelines", "important-influence", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest important_influence_situation.limits: no use of force"),
    case("2015-guidelines", "anticipated-armed-attack", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest anticipated_armed_attack_situation.use_of_force: false"),
    case("2015-guidelines", "international-peace-cooperation", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest international_peace_cooperation_situation.use_of_force: false"),
    case("2015-guidelines", "emergency-response", "use-of-force", SHIP, None, False, (), {C1},
         "legal-digest emergency_response_situation.sdf (UNCONF: not a defense-operation trigger)"),
    case("2015-guidelines", "armed-attack", "counterstrike", WING, None, True, (*DEFENSE_OP_AA, PM_APP), {C5},
         "seed-summary.md §4 C5; SDF Act Arts. 76, 88 (docs/legal-interpretations.md point 2)"),
    case("2015-guidelines", "survival-threatening", "counterstrike", WING, None, True, (*DEFENSE_OP_STS, PM_APP), {C5},
         "seed-summary.md §4 C5; legal-digest political_commitment (S36)"),
    case("2015-guidelines", "anticipated-armed-attack", "counterstrike", WING, None, False, (), {C1},
         "legal-digest use_of_force_three_new_conditions (S17): never pre-emptive"),
    case("2015-guidelines", "peacetime", "bmd-intercept", SHIP, None, True, (PM_APP, DM, REPORT), set(),
         "SDF Act Art. 82-3(1), (3), (5); MOD Reference 10 row: destruction measures against ballistic missiles"),
    case("2015-guidelines", "armed-attack", "bmd-intercept", SHIP, None, True, DEFENSE_OP_AA, {C5},
         "SDF Act Arts. 76, 88: once an armed attack is recognized interception is use of force under a defense "
         "operation; Art. 82-3 applies only to missiles not recognized as an armed attack (MOD White Paper 2006)"),
    case("2015-guidelines", "peacetime", "asset-protection", SHIP, None, True, (REQ, DM), set(),
         "SDF Act Art. 95-2(2); legal-digest peacetime_grayzone.asset_protection_Art95_2 (S2, S15)"),
    case("2015-guidelines", "important-influence", "asset-protection", SHIP, None, True, (REQ, DM), set(),
         "SDF Act Art. 95-2(2): a request from the U.S. (or other) forces and the Defense Minister's judgment, "
         "in every situation"),
    case("2015-guidelines", "important-influence", "logistics-support", SHIP, None, True, (CAB, DIET, PM_APP, DM), set(),
         "Important Influence Situations Act Arts. 4, 5, 6; MOD Reference 10 row: logistics support activities"),
    case("2015-guidelines", "international-peace-cooperation", "logistics-support", SHIP, None, True,
         (CAB, DIET_PRIOR, PM_APP, DM), set(), "International Peace Support Act Art. 6: prior approval, no exception"),
    case("2015-guidelines", "peacetime", "logistics-support", SHIP, None, False, (), set(),
         "actions.yaml logistics-support not_lawful_in_note_en: no peacetime article in the material"),
    case("2015-guidelines", "anticipated-armed-attack", "logistics-support", SHIP, None, True,
         (NSC, CAB, PM_APP, DM, DIET_AFTER), set(), "SDF Act Art. 77-3; Armed Attack Situations Act Art. 9(7)"),
    case("2015-guidelines", "important-influence", "search-and-rescue", SHIP, None, True, (CAB, DIET, PM_APP, DM), set(),
         "Important Influence Situations Act Art. 7; MOD Reference 10 row: search and rescue"),
    case("2015-guidelines", "armed-attack", "search-and-rescue", SHIP, None, True, DEFENSE_OP_AA, {C5},
         "2015 Guidelines IV.C.2.c.ii (combat SAR under the defense operation; assumption)"),
    case("2015-guidelines", "important-influence", "ship-inspection", SHIP, None, True, (CAB, DIET, PM_APP, DM), set(),
         "Ship Inspection Operations Act Arts. 2, 4, 5; IIS Act Art. 5"),
    case("2015-guidelines", "international-peace-cooperation", "ship-inspection", SHIP, None, True,
         (CAB, DIET_PRIOR, PM_APP, DM), set(), "Ship Inspection Operations Act; International Peace Support Act Art. 6"),
    case("2015-guidelines", "peacetime", "ship-inspection", SHIP, None, False, (), set(),
         "Ship Inspection Operations Act Art. 2: only in IIS / international peace cooperation"),
    case("2015-guidelines", "gray-zone", "maritime-security-operation", SHIP, None, True, (CAB, PM_APP, DM), set(),
         "SDF Act Art. 82; legal-digest peacetime_grayzone.maritime_security_op_Art82 (S1)"),
    case("2015-guidelines", "peacetime", "public-security-operation", "jpn-gsdf-8th-division", None, True,
         (CAB, PM_ORDER, DIET_AFTER), set(), "SDF Act Art. 78(2): referred to the Diet within 20 days"),
    case("2015-guidelines", "peacetime", "guarding-operation", "jpn-gsdf-8th-division", None, True, (CAB, PM_ORDER), set(),
         "SDF Act Art. 81-2; legal-digest peacetime_grayzone.guarding_op_Art81_2 (S1)"),
    case("2015-guidelines", "peacetime", "airspace-violation-response", WING, None, True, (DM,), set(),
         "SDF Act Art. 84; legal-digest peacetime_grayzone.airspace_violation_Art84 (S1)"),
    case("2015-guidelines", "peacetime", "disaster-relief", "jpn-gsdf-8th-division", None, True, (REQ, DM), set(),
         "SDF Act Art. 83(1), (2); MOD Reference 10 row: disaster relief dispatch"),
    case("2015-guidelines", "peacetime", "rescue-of-nationals", "jpn-gsdf-8th-division", None, True, (REQ, PM_APP, DM),
         set(), "SDF Act Art. 84-3; legal-digest peacetime_grayzone.rescue_nationals_Art84_3 (S1, S2)"),
    case("2015-guidelines", "peacetime", "transport-of-nationals", WING, None, True, (REQ, DM), set(),
         "SDF Act Art. 84-4; legal-digest peacetime_grayzone.transport_nationals_Art84_4 (S1)"),
    case("2015-guidelines", "anticipated-armed-attack", "defense-facilities", "jpn-gsdf-8th-division", None, True,
         (NSC, CAB, PM_APP, DM, DIET_AFTER), set(), "SDF Act Art. 77-2; Armed Attack Situations Act Art. 9(7)"),
    case("2015-guidelines", "survival-threatening", "defense-facilities", "jpn-gsdf-8th-division", None, False, (), set(),
         "legal-digest survival_threatening_situation.excluded: Art. 77-2 limited to 76(1)(i)"),
    case("2015-guidelines", "emergency-response", "civil-protection-dispatch", "jpn-gsdf-8th-division", None, True,
         (REQ, PM_APP, DM), set(), "SDF Act Art. 77-4; legal-digest emergency_response_situation.sdf"),
    case("2015-guidelines", "peacetime", "civil-protection-dispatch", "jpn-gsdf-8th-division", None, False, (), set(),
         "SDF Act Art. 77-4: armed attack situations etc. and emergency response situations only"),
    case("2015-guidelines", "peacetime", "minesweeping", SHIP, None, True, (DM,), set(),
         "SDF Act Art. 84-2; MOD Reference 10 row: removal of mines"),
    case("2015-guidelines", "armed-attack", "minesweeping", SHIP, None, True, DEFENSE_OP_AA, {C5},
         "2015 Guidelines IV.D.3 (minesweeping 'involving the use of force'); docs/legal-interpretations.md point 18"),
    case("2015-guidelines", "peacetime", "counter-piracy", SHIP, None, True, (PM_APP, DM, REPORT), set(),
         "SDF Act Art. 82-2; legal-digest peacetime_grayzone.counter_piracy_Art82_2 (S1)"),
    case("2015-guidelines", "gray-zone", "isr", WING, None, True, (DM,), set(),
         "2015 Guidelines IV.A.1 (assumption: standing Defense Minister order)"),
    case("2015-guidelines", "peacetime", "cyber-defense", "jpn-cyber-defense-command", None, True, (DM,), set(),
         "2015 Guidelines VI.B (assumption: standing Defense Minister order)"),
    # --- cross-national command in every bundled arrangement ---
    case("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc", False, (CONSULT, WPR), {C2, C6},
         "BRIEF.md example; seed-summary.md §4 C2; us-and-treaty-law.md §3 (force from Japan outside Art. V: prior "
         "consultation), §2 (WPR report); no OPCON in peacetime, so no order and no U.S. OPCON decision"),
    case("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", False, (*DEFENSE_OP_AA, OPCON, WPR),
         {C4, C5, C6}, "seed-summary.md §4 C4, C6; §6 (JJOC holds OPCON over U.S. units)"),
    case("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", True, (*DEFENSE_OP_AA, OPCON, WPR),
         {C5, C6}, "seed-summary.md §4 M2 (OPCON transfer law) lifts C4; PDD-25, JP 3-16 (the President's OPCON "
         "decision); 50 U.S.C. §1543(a)(1)", reforms=(OPCON_ACT,)),
    case("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", True, (*DEFENSE_OP_AA, WPR),
         {C5, C6}, "us-and-treaty-law.md §1: a standing authorization replaces the case-by-case decision",
         reforms=(OPCON_ACT, "us-standing-opcon-authorization")),
    case("2024-proposal", "survival-threatening", "bmd-intercept", "usa-5th-af", "jpn-adc", True,
         (*DEFENSE_OP_STS, OPCON, WPR), {C5, C6}, "SDF Act Arts. 76(1)(ii), 88: interception is use of force in a defense operation; seed-summary.md "
         "§6 (JFACC = Air Defense Command)", reforms=(OPCON_ACT,)),
    case("2024-proposal", "peacetime", "bmd-intercept", "usa-7th-fleet", "usa-indopacom", True, (USA,), set(),
         "U.S. unit on its own chain: Japanese law does not apply (actions.yaml foreign_units.USA)"),
    case("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", None, True, (USA, WPR), {C6},
         "10 U.S.C. §162(b) (own U.S. chain); 50 U.S.C. §§1543(a)(1), 1544(b) (report; the 60-day bound raises C6)"),
    case("2024-proposal", "gray-zone", "isr", "usa-7th-fleet", "jpn-jjoc", False, (), set(),
         "DESIGN.md: OPCON of U.S. units active in armed-attack and survival-threatening only; the routine ISR "
         "route is the SDF's own (empowers: own-forces)"),
    case("2024-proposal", "armed-attack", "use-of-force", SHIP, "jpn-jjoc", True, (*DEFENSE_OP_AA, WPR), {C5, C6},
         "SDF Act Art. 8 (orders through the chain); Arts. 76, 88; 50 U.S.C. §1547(c): the U.S. deputy at the "
         "combined HQ coordinates SDF units in hostilities"),
    case("2024-proposal", "peacetime", "use-of-force", SHIP, "jpn-jjoc", False, (WPR,), {C1, C6},
         "legal-digest use_of_force_three_new_conditions (S17); 50 U.S.C. §1547(c) (U.S. deputy at JJOC)"),
    case("2024-integrated", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", False,
         (*DEFENSE_OP_AA, WPR), {C5, C6},
         "seed-ja.txt §4(2) ③ (Integrated: each nation keeps OPCON; shape inferred, 2024-integrated.yaml)"),
    case("2024-integrated", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc", False, (CONSULT, WPR),
         {C2, C6},
         "seed-summary.md §4 C2 (Japanese officers on the standing combined staff)"),
    case("2024-integrated", "armed-attack", "use-of-force", SHIP, "jpn-jjoc", True, (*DEFENSE_OP_AA, WPR), {C5, C6},
         "SDF Act Art. 8 (orders through the chain); Arts. 76, 88; 50 U.S.C. §1547(c) (U.S. deputy on the combined "
         "staff)"),
    case("2015-guidelines", "armed-attack", "use-of-force", SHIP, "jpn-jjoc", True, DEFENSE_OP_AA, {C5},
         "A Japanese unit under a Japanese commander needs no U.S. step (JJOC is not combined in 2015)"),
    case("2015-guidelines", "important-influence", "use-of-force", "usa-5th-af", "usa-indopacom", True,
         (USA, CONSULT, WPR), {C6}, "Exchange of Notes under Art. VI (1960): combat operations from Japan other "
         "than under Art. V need prior consultation"),
    case("2015-guidelines", "armed-attack", "use-of-force", "usa-5th-af", "usa-indopacom", True, (USA, WPR), {C6},
         "Security Treaty Art. V: none under Art. V"),
    case("2015-guidelines", "important-influence", "isr", "usa-5th-af", "usa-indopacom", True, (USA,), set(),
         "prior consultation by practice covers the direct launch of combat operations only, not ISR"),
    case("2015-guidelines", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", False,
         (*DEFENSE_OP_AA, WPR), {C5, C6},
         "2015 Guidelines III.B: respective chains of command (parallel C2)"),
    case("2015-guidelines", "armed-attack", "use-of-force", SHIP, "usa-indopacom", False, (*DEFENSE_OP_AA, WPR),
         {C5, C6},
         "legal-digest command.separate_command_statements (S26: SDF will not come under USFJ command)"),
    case("1997-guidelines", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jsc", False,
         (*DEFENSE_OP_AA, WPR), {C5, C6},
         "1997 Guidelines IV.2(3)a: respective command-and-control channels"),
    case("1978-guidelines", "armed-attack", "use-of-force", SHIP, None, True, DEFENSE_OP_AA, {C5},
         "SDF Act Arts. 76, 88 (1978 arrangement, era-correct chain)"),
    case("1978-guidelines", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-sdf-fleet", False,
         (*DEFENSE_OP_AA, WPR), {C5, C6}, "1978 Guidelines: coordination center only, no combined command"),
    case("us-rok-cfc", "armed-attack", "use-of-force", "usa-8th-army", "cfc-gcc", True, (USA, WPR), {C6},
         "comparators.md: wartime OPCON of all forces to CFC, whose commander is a U.S. general: no foreign OPCON"),
    case("us-rok-cfc", "peacetime", "use-of-force", "usa-8th-army", "cfc-gcc", False, (WPR,), {C6},
         "comparators.md: OPCON to CFC at the outbreak of hostilities only"),
    case("us-rok-cfc", "armed-attack", "use-of-force", "rok-designated-naval-units", "cfc-ncc", True,
         (ROK, WPR), {C6}, "ROK Constitution Art. 74(1); 50 U.S.C. §1547(c) (U.S. commander of CFC)"),
]


@pytest.mark.parametrize(
    ("arch", "situation", "action", "unit", "ordered_by", "reforms", "allowed", "approvals", "constraints", "source"),
    CASES,
)
def test_verdict(arch, situation, action, unit, ordered_by, reforms, allowed, approvals, constraints, source) -> None:
    verdict = check(arch, situation, action, unit, ordered_by, reforms)
    assert source
    assert verdict.allowed is allowed, [b.reason_en for b in verdict.blocked_by]
    assert verdict.approvals == tuple(approvals)
    assert set(verdict.constraints) == constraints
    assert all(f.constraint.startswith("C") and "-" in f.constraint for f in verdict.findings)


def test_table_is_large_enough_and_covers_every_action_and_arrangement() -> None:
    from alliance_c2.law import default_catalog
    from alliance_c2.model import bundled_architectures

    assert len(CASES) >= 40
    actions = {c.values[2] for c in CASES}
    assert set(default_catalog().actions) <= actions
    cross = {c.values[0] for c in CASES if c.values[4] is not None}
    assert set(bundled_architectures()) <= cross


def test_brief_example_is_not_allowed_with_entanglement() -> None:
    verdict = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc")
    assert not verdict.allowed
    assert "C2-entanglement" in verdict.constraints
    rules = {b.rule for b in verdict.blocked_by}
    assert {"no-command-authority", "staff-entanglement"} <= rules
    assert all(b.source for b in verdict.blocked_by)


def test_chain_runs_from_the_prime_minister_through_the_opcon_relation() -> None:
    verdict = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc", [OPCON_ACT])
    assert verdict.chain == (
        "jpn-pm", "jpn-defense-minister", "jpn-joint-staff", "jpn-jjoc", "jpn-sdf-fleet", "usa-7th-fleet"
    )
    assert verdict.chain_relations[-1] == "opcon"


def test_without_ordered_by_the_units_own_national_chain_is_used() -> None:
    verdict = check("2024-proposal", "armed-attack", "isr", "usa-7th-fleet")
    assert verdict.chain == ("usa-president", "usa-secdef", "usa-indopacom", "usa-7th-fleet")
    assert verdict.laws_applied == ("USA",)


def test_c4_finding_names_the_reform_that_resolves_it() -> None:
    verdict = check("2024-proposal", "armed-attack", "use-of-force", "usa-7th-fleet", "jpn-jjoc")
    c4 = next(f for f in verdict.findings if f.constraint == C4)
    assert c4.severity == "error"
    assert c4.resolved_by == (OPCON_ACT,)
    assert any(b.constraint == C4 for b in verdict.blocked_by)


def test_findings_are_reported_even_when_another_rule_blocks() -> None:
    verdict = check("2024-proposal", "peacetime", "counterstrike", "usa-7th-fleet", "jpn-jjoc")
    assert len(verdict.blocked_by) >= 2
    assert C2 in verdict.constraints


def test_alliance_political_mechanism_eases_c5_to_info() -> None:
    verdict = check("2024-proposal", "armed-attack", "counterstrike", WING, "jpn-jjoc", ["alliance-political-mechanism"])
    c5 = next(f for f in verdict.findings if f.constraint == C5)
    assert c5.severity == "info"
    assert c5.eased_by == ("alliance-political-mechanism",)


def test_approval_steps_carry_holders_phases_and_deadlines() -> None:
    verdict = check("2015-guidelines", "peacetime", "public-security-operation", "jpn-gsdf-8th-division")
    after = verdict.approval_steps[-1]
    assert (after.id, after.phase, after.within_days, after.holders) == (DIET_AFTER, "after", 20, ("jpn-diet",))
    bmd = check("2015-guidelines", "peacetime", "bmd-intercept", SHIP)
    assert [s.pre_delegable for s in bmd.approval_steps] == [True, True, False]


def test_era_predecessor_holds_the_defense_ministers_approval_in_1978() -> None:
    verdict = check("1978-guidelines", "peacetime", "airspace-violation-response", "jpn-asdf-2nd-air-wing")
    assert verdict.approval_steps[0].holders == ("jpn-jda-director-general",)


def test_rok_national_authority_is_held_by_the_rok_president() -> None:
    """Constitution of the Republic of Korea Art. 74(1): "The President shall be Commander-in-Chief of the Armed
    Forces under the conditions as prescribed by the Constitution and Act." """
    verdict = check("us-rok-cfc", "armed-attack", "use-of-force", "rok-designated-naval-units", "cfc-ncc")
    step = next(s for s in verdict.approval_steps if s.id == "national-authority")
    assert step.holders == ("rok-president",)
    assert (step.nation, step.law, step.kind, step.rule) == ("ROK", "ROK", "statute", "rok-national-command")


def test_verdict_to_dict_has_the_documented_keys() -> None:
    data = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc").to_dict()
    assert {"allowed", "approvals", "blocked_by", "findings", "chain", "citations"} <= set(data)
    assert {"rule", "reason", "source"} <= set(data["blocked_by"][0])
    assert {"constraint", "severity", "message", "resolved_by"} <= set(data["findings"][0])
    assert data["findings"][0]["constraint"] == "C2-entanglement"


def test_repeated_checks_return_the_cached_verdict() -> None:
    first = check("2024-proposal", "armed-attack", "isr", SHIP, "jpn-jjoc", ["opcon-transfer-act"])
    second = check("2024-proposal", "armed-attack", "isr", SHIP, "jpn-jjoc", ("opcon-transfer-act",))
    assert first is second


def test_c3_is_raised_for_sdf_units_under_us_opcon(tmp_path) -> None:
    from alliance_c2.model import load_architecture

    path = tmp_path / "us-led.yaml"
    path.write_text(
        """kind: architecture
id: us-led
name_en: U.S.-led
name_ja: 米国主導
source: test
organizations:
  - {id: jpn-pm, name_en: PM, name_ja: 首相, nation: JPN, kind: political-authority, head_of_government: true, source: t}
  - {id: jpn-ship, name_en: Ship, name_ja: 艦, nation: JPN, kind: unit, source: t}
  - {id: usa-president, name_en: P, name_ja: 大統領, nation: USA, kind: political-authority, head_of_government: true, source: t}
  - {id: usa-indopacom, name_en: I, name_ja: イ, nation: USA, kind: headquarters, source: t}
relations:
  - {from: jpn-pm, to: jpn-ship, kind: command, source: t}
  - {from: usa-president, to: usa-indopacom, kind: command, source: t}
  - {from: usa-indopacom, to: jpn-ship, kind: opcon, active_in: [armed-attack], source: t}
""",
        encoding="utf-8",
    )
    arch = load_architecture(path)
    verdict = check(arch, "armed-attack", "use-of-force", "jpn-ship", "usa-indopacom", [OPCON_ACT])
    assert verdict.allowed
    assert {C3, C5, C6} <= set(verdict.constraints)
    # U.S. commanders directing SDF units in hostilities: a War Powers report (50 U.S.C. §1547(c)), no U.S. step
    # before the order (the unit is Japanese).
    assert verdict.approvals == (*DEFENSE_OP_AA, WPR)
