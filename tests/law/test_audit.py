"""The legal audit: constraints × situations for each arrangement, and the reforms that clear them."""

from __future__ import annotations

from alliance_c2.law import audit

C4 = "C4-transfer-law"


def test_parallel_command_raises_no_command_constraint_but_meets_war_powers_and_prior_consultation() -> None:
    """Parallel command (2015 Guidelines III.B: "through their respective chains-of-command") puts no U.S. unit under
    a Japanese commander, so no C3, C4 or foreign-OPCON rule; but U.S. forces in hostilities start the War Powers
    clock (50 U.S.C. §1544(b)) and combat from Japan outside Art. V needs prior consultation (Exchange of Notes, 1960):
    C6 is raised by those two rules only."""
    report = audit("2015-guidelines")
    assert set(report.raised()) == {"C1-constitution", "C5-political-decision", "C6-law-gap"}
    assert report.relations == []
    c6 = {c.rule: c for c in report.c6()}
    assert {r for r, c in c6.items() if c.orders} == {"wpr-60-day", "prior-consultation"}
    assert c6["us-foreign-opcon"].orders == 0 and c6["us-cocom"].orders == 0
    assert "armed-attack" not in c6["prior-consultation"].situations  # Art. V


def test_the_proposal_raises_entanglement_transfer_law_and_law_gap() -> None:
    report = audit("2024-proposal")
    matrix = report.matrix()
    assert {"C2-entanglement", C4, "C6-law-gap"} <= set(report.raised())
    assert matrix["C2-entanglement"]["peacetime"] > 0
    assert matrix["C2-entanglement"]["armed-attack"] == 0
    assert matrix[C4]["armed-attack"] > 0 and matrix[C4]["peacetime"] == 0
    assert report.reforms_that_clear()[C4] == ["opcon-transfer-act"]
    assert len(report.relations) == 4
    assert all({f["constraint"] for f in rel["findings"]} == {C4, "C6-law-gap"} for rel in report.relations)
    assert all({f["rule"] for f in rel["findings"]} == {"jpn-transfer-law", "us-foreign-opcon"} for rel in report.relations)


def test_c6_is_computed_rule_by_rule_with_what_lifts_each() -> None:
    """C6 names the U.S. and treaty rules the proposal collides with, on how many orders, and the reform (or the
    political decision) that lifts each."""
    data = audit("2024-proposal", ["opcon-transfer-act"]).to_dict()
    c6 = {c["rule"]: c for c in data["c6"]}
    assert {"us-foreign-opcon", "us-cocom", "wpr-60-day", "prior-consultation"} <= set(c6)
    assert c6["us-foreign-opcon"]["lifted_by"] == ["us-standing-opcon-authorization"]
    assert set(c6["us-foreign-opcon"]["situations"]) == {"armed-attack", "survival-threatening"}
    assert c6["wpr-60-day"]["lifted_by"] == ["congressional-authorization"]
    assert c6["prior-consultation"]["lifted_by"] == [] and "political decision" in c6["prior-consultation"]["lifted_by_note_en"]
    assert c6["us-cocom"]["orders"] == 0  # COCOM stays with INDOPACOM in every situation
    assert {"us-foreign-opcon", "wpr-60-day", "prior-consultation"} <= set(data["rules_raised"])
    standing = {c["rule"]: c for c in audit("2024-proposal", ["opcon-transfer-act", "us-standing-opcon-authorization"])
                .to_dict()["c6"]}
    assert standing["us-foreign-opcon"]["orders"] == 0


def test_the_opcon_transfer_act_clears_c4_and_nothing_else() -> None:
    before = audit("2024-proposal")
    after = audit("2024-proposal", ["opcon-transfer-act"])
    assert C4 not in after.raised()
    assert set(before.raised()) - set(after.raised()) == {C4}
    assert after.orders_blocked < before.orders_blocked


def test_the_korean_comparator_raises_no_japanese_constraint() -> None:
    """No Japanese law applies to the CFC: C1-C5 stay silent. ROK units come under the U.S. commander's CFC (a
    cross-national relation without a finding: no law there asks for a transfer law); U.S. units under the CFC are
    under a U.S. commander (no foreign OPCON); U.S. forces in war start the War Powers clock (C6: wpr-60-day)."""
    report = audit("us-rok-cfc")
    assert report.raised() == ["C6-law-gap"]
    assert {c.rule for c in report.c6() if c.orders} == {"wpr-60-day"}
    assert {(r["from_nation"], r["to_nation"]) for r in report.relations} == {("USA", "ROK"), ("USA", "USA")}
    assert all(rel["findings"] == [] for rel in report.relations)


def test_audit_to_dict_is_a_constraints_by_situations_summary() -> None:
    data = audit("1997-guidelines").to_dict()
    assert set(data["matrix"]) == {
        "C1-constitution", "C2-entanglement", "C3-sovereignty", "C4-transfer-law", "C5-political-decision", "C6-law-gap"
    }
    assert all(len(row) == 8 for row in data["matrix"].values())
    assert data["orders_checked"] > 0
    cell = data["cells"][0]
    assert {"constraint", "situation", "severity", "orders", "examples", "resolved_by"} <= set(cell)
