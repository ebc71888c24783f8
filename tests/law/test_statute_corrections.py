"""Three rules read again against the statute text (excerpts in tests/data, from shared/domain/sources/sdf-act-ja.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_c2.law import check
from alliance_c2.model import load_architecture

SHIP = "jpn-msdf-escort-flotilla-1"
DEFENSE_OP = ("nsc-deliberation", "cabinet-decision", "diet-approval", "pm-order")
EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "sdf-act-excerpts-ja.md"
SDF_ACT = Path(__file__).resolve().parents[3] / "shared" / "domain" / "sources" / "sdf-act-ja.md"


def _statute_says(sentence: str) -> None:
    """The quoted sentence is in the statute (the excerpts kept with the tests)."""
    assert sentence in EXCERPTS.read_text(encoding="utf-8")


def test_excerpts_are_verbatim() -> None:
    """Every paragraph kept in tests/data stands word for word in the statute source the project was built from."""
    if not SDF_ACT.exists():
        pytest.skip(f"the statute source {SDF_ACT} is not beside this checkout: excerpts not compared")
    source = SDF_ACT.read_text(encoding="utf-8")
    paragraphs = [line for line in EXCERPTS.read_text(encoding="utf-8").splitlines()[8:] if line]
    assert paragraphs and all(p in source for p in paragraphs)


def test_interdiction_in_an_armed_attack_is_a_defense_operation_power() -> None:
    """SDF Act Art. 94-8: 「第七十六条第一項の規定による出動を命ぜられた海上自衛隊の自衛官は、武力攻撃事態及び存立危機事態における
    外国軍用品等の海上輸送の規制に関する法律（平成十六年法律第百十六号）の定めるところにより、同法の規定による権限を行使することができる。」

    So it needs the defense operation order (PM order, Cabinet decision, Diet approval as for Art. 76), and the
    Ship Inspection Operations Act's conditions (UN resolution or flag-state consent) do not apply.
    """
    _statute_says("第七十六条第一項の規定による出動を命ぜられた海上自衛隊の自衛官は")
    verdict = check("2015-guidelines", "armed-attack", "ship-inspection", SHIP)
    assert verdict.allowed
    assert verdict.approvals == DEFENSE_OP
    assert "unsc-or-flag-state" not in {p.id for p in verdict.preconditions}
    assert "ordered-out-under-76" in {p.id for p in verdict.preconditions}
    assert "SDF Act Art. 94-8" in {c.article for c in verdict.citations}


def test_interdiction_covers_survival_threatening_situations_by_the_acts_own_title() -> None:
    """The Act is titled 「武力攻撃事態及び存立危機事態における外国軍用品等の海上輸送の規制に関する法律」: survival-threatening
    situations are covered by its title, not 'unconfirmed'."""
    _statute_says("武力攻撃事態及び存立危機事態における外国軍用品等の海上輸送の規制に関する法律")
    verdict = check("2015-guidelines", "survival-threatening", "ship-inspection", SHIP)
    assert verdict.allowed
    assert verdict.approvals == ("nsc-deliberation", "cabinet-decision", "diet-prior-approval", "pm-order")
    assert not any(c.unconfirmed for c in verdict.citations if "94-8" in c.article)


@pytest.mark.parametrize("situation", ["peacetime", "gray-zone", "important-influence", "armed-attack"])
def test_asset_protection_needs_a_request_and_the_defense_ministers_judgment_only(situation: str) -> None:
    """SDF Act Art. 95-2(2): 「前項の警護は、合衆国軍隊等から要請があつた場合であつて、防衛大臣が必要と認めるときに限り、
    自衛官が行うものとする。」 The same two conditions in every situation: no Cabinet decision in an important influence
    situation."""
    _statute_says("前項の警護は、合衆国軍隊等から要請があつた場合であつて、防衛大臣が必要と認めるときに限り")
    verdict = check("2015-guidelines", situation, "asset-protection", SHIP)
    assert verdict.allowed
    assert verdict.approvals == ("request", "defense-minister-order")


def test_bmd_in_an_armed_attack_is_use_of_force_under_a_defense_operation() -> None:
    """SDF Act Art. 82-3(1) lets the Defense Minister order destruction of missiles 「我が国に飛来するおそれがあり」; the MOD
    White Paper (2006) reads it as the route only where the missile is not an armed attack: 「それが武力攻撃としての弾道
    ミサイル攻撃に対する迎撃である場合は、武力攻撃事態における防衛出動により対処する」 (Arts. 76 and 88)."""
    _statute_says("防衛大臣は、弾道ミサイル等")
    verdict = check("2015-guidelines", "armed-attack", "bmd-intercept", SHIP)
    assert verdict.allowed and verdict.use_of_force
    assert verdict.approvals == DEFENSE_OP
    assert verdict.route == "primary"
    assert {"SDF Act Art. 76(1)", "SDF Act Art. 88"} <= {c.article for c in verdict.citations}
    peacetime = check("2015-guidelines", "peacetime", "bmd-intercept", SHIP)
    assert not peacetime.use_of_force and "SDF Act Art. 82-3" in {c.article for c in peacetime.citations}


def test_no_japanese_authority_can_order_a_us_unit_under_article_82_3(tmp_path: Path) -> None:
    """SDF Act Art. 82-3(1): the Defense Minister orders 「自衛隊の部隊に対し」 (to SDF units): a U.S. unit cannot be given
    that order by any Japanese authority, even one that holds OPCON over it under a transfer law."""
    _statute_says("内閣総理大臣の承認を得て、自衛隊の部隊に対し、我が国に向けて現に飛来する弾道ミサイル等を")
    arch = load_architecture("2024-proposal")
    japanese = [o.id for o in arch.organizations.values() if o.nation == "JPN"]
    for ordered_by in japanese:
        verdict = check(arch, "peacetime", "bmd-intercept", "usa-7th-fleet", ordered_by, ["opcon-transfer-act"])
        assert not verdict.allowed, ordered_by
    # With OPCON in peacetime (a user's arrangement), command is there but Art. 82-3 still bars the order.
    marker = "{from: jpn-sdf-fleet, to: usa-7th-fleet, kind: opcon, active_in: [armed-attack, survival-threatening], " \
             "interpreted_in: [survival-threatening], "
    source = Path(arch.path or "").read_text(encoding="utf-8")
    assert marker in source
    text = source.replace(marker, "{from: jpn-sdf-fleet, to: usa-7th-fleet, kind: opcon, ")
    path = tmp_path / "peacetime-opcon.yaml"
    path.write_text(text.replace("id: 2024-proposal\n", "id: peacetime-opcon\n", 1), encoding="utf-8")
    verdict = check(path, "peacetime", "bmd-intercept", "usa-7th-fleet", "jpn-sdf-fleet", ["opcon-transfer-act"])
    assert [b.rule for b in verdict.blocked_by] == ["sdf-units-only"]
    own_chain = check(path, "peacetime", "bmd-intercept", "usa-7th-fleet")
    assert own_chain.allowed and own_chain.approvals == ("us-national-authority",)
