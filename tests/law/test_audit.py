"""The legal audit: constraints × situations for each arrangement, and the reforms that clear them."""

from __future__ import annotations

from alliance_c2.law import audit

C4 = "C4-transfer-law"


def test_parallel_command_raises_no_cross_national_constraint() -> None:
    report = audit("2015-guidelines")
    assert set(report.raised()) == {"C1-constitution", "C5-political-decision"}
    assert report.relations == []


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


def test_the_opcon_transfer_act_clears_c4_and_nothing_else() -> None:
    before = audit("2024-proposal")
    after = audit("2024-proposal", ["opcon-transfer-act"])
    assert C4 not in after.raised()
    assert set(before.raised()) - set(after.raised()) == {C4}
    assert after.orders_blocked < before.orders_blocked


def test_the_korean_comparator_raises_no_japanese_constraint() -> None:
    report = audit("us-rok-cfc")
    assert report.raised() == []
    assert len(report.relations) == 3  # ROK units under ROK-hosted CFC are not cross-national
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
