"""A verdict found for one set of reforms is given to another set only when every question the check asked
about the reforms gets the same answer from both: the verdicts are exactly those worked out afresh."""

from __future__ import annotations

import itertools

import pytest

from alliance_c2.law import check, clear_cache, default_catalog
from alliance_c2.law.order import reform_answer
from alliance_c2.model import load_architecture

ARCHS = ["2015-guidelines", "2024-proposal", "us-rok-future-cfc"]


def _orders(arch_id: str) -> list[tuple[str, str, str, str | None]]:
    law = default_catalog()
    arch = load_architecture(arch_id)
    units = [o.id for o in arch.military()]
    commanders = [None, *(r.from_id for r in arch.relations[:6])]
    return [(s, a, u, c) for s in law.situations for a in law.actions for u in units[:5] for c in commanders[:3]
            if c is None or c in arch.organizations]


def _reform_sets() -> list[tuple[str, ...]]:
    reforms = sorted(default_catalog().reforms)
    return [(), *((r,) for r in reforms), *itertools.combinations(reforms, 2), tuple(reforms)]


@pytest.mark.parametrize("arch_id", ARCHS)
def test_verdicts_shared_between_reform_sets_equal_fresh_ones(arch_id: str) -> None:
    orders = _orders(arch_id)
    sets = _reform_sets()
    clear_cache()
    shared = {(o, rs): check(arch_id, *o[:3], o[3], rs).to_dict() for rs in sets for o in orders}
    differs = 0
    for rs in sets:
        clear_cache()  # nothing worked out for another set can be reused
        for o in orders:
            fresh = check(arch_id, *o[:3], o[3], rs).to_dict()
            assert shared[(o, rs)] == fresh, (arch_id, o, rs)
            differs += fresh != shared[(o, ())]
    assert differs > 0  # some reform changes some verdict: the sets were not all alike


def test_the_questions_are_answered_by_the_catalog() -> None:
    law = default_catalog()
    transfer = next(r for r in law.reforms.values() if r.allows_cross_national)
    kind = sorted(transfer.allows_cross_national)[0]
    assert reform_answer(law, frozenset({transfer.id}), ("transfer", kind)) is True
    assert reform_answer(law, frozenset(), ("transfer", kind)) is False
    lifting = next(r for r in law.reforms.values() if r.lifts_rules)
    rule = sorted(lifting.lifts_rules)[0]
    assert reform_answer(law, frozenset({lifting.id}), ("rule", rule)) is True
    easing = next(r for r in law.reforms.values() if r.lifts)
    constraint, effect = sorted(easing.lifts.items())[0]
    assert reform_answer(law, frozenset({easing.id}), ("constraint", constraint)) == (effect == "lifts",
                                                                                         effect == "eases")
    with pytest.raises(ValueError, match="unknown question"):
        reform_answer(law, frozenset({easing.id}), ("colour", "blue"))
