"""The approval steps of a verdict: each approval with its holders, phase, whether it waits for the action, and the
legal order and rule that ask for it."""

from __future__ import annotations

from .jurisdiction import Approvals
from .order import Order
from .paths import in_arrangement
from .verdict import ApprovalStep

# (law, arch, situation, day, action, approval, id(route), nations, asked) -> (route, step): an approval step depends
# on nothing else. The route is kept beside the step so that its id cannot be reused while the entry lives.
_STEPS: dict[tuple[object, ...], tuple[object, ApprovalStep]] = {}
_STEPS_MAX = 65_536


def approval_steps(o: Order, approvals: Approvals) -> tuple[ApprovalStep, ...]:
    """Every approval of the order, in order."""
    recognition: frozenset[str] | None = None
    out = []
    for a in approvals.ids:
        key = (o.law, o.arch, o.situation.id, o.day, o.action.id, a, id(o.route), tuple(approvals.nations.get(a, ())),
               approvals.asked.get(a))
        found = _STEPS.get(key)
        if found is None or found[0] is not o.route:
            if recognition is None:
                recognition = frozenset(p.approval for p in o.situation.procedure if p.phase == "before")
            if len(_STEPS) > _STEPS_MAX:
                _STEPS.clear()
            found = _STEPS[key] = (o.route, approval_step(o, approvals, a, recognition))
        out.append(found[1])
    return tuple(out)


def clear_cache() -> None:
    """Forget the steps worked out."""
    _STEPS.clear()


def approval_step(o: Order, approvals: Approvals, approval: str, recognition: frozenset[str]) -> ApprovalStep:
    """One approval of the order: who holds it, when, whether a standing order may give it, and if it is shared."""
    spec = o.law.approvals.get(approval)
    route = o.route
    detail = route.approval_details.get(approval) if route is not None else None
    nations = approvals.nations.get(approval, [])
    jurisdiction_approval = o.law.jurisdiction in nations and approval not in approvals.asked
    asked = approvals.asked.get(approval)
    if asked is not None and asked.per_situation is not None:
        per_situation = asked.per_situation
    else:
        per_situation = jurisdiction_approval and (
            approval in recognition or (route is not None and approval in route.per_situation))
    return ApprovalStep(
        id=approval,
        holders=_holders(o, approvals, approval),
        phase=spec.phase if spec else "before",
        rank=spec.rank if spec else 99,
        pre_delegable=(route is not None and jurisdiction_approval and approval in route.pre_delegable)
        or (asked is not None and asked.pre_delegable),
        within_days=detail.within_days if detail else None,
        waivable_when_en=detail.waivable_when_en if detail else None,
        may_follow_action_when_urgent=spec.may_follow_action_when_urgent if spec else False,
        typical_minutes=spec.typical_minutes if spec else None,
        nations=tuple(nations),
        per_situation=per_situation,
        law=asked.law if asked is not None else (spec.law if spec and spec.law else (nations[0] if nations else None)),
        kind=asked.kind if asked is not None else (spec.kind if spec else "statute"),
        rule=asked.rule if asked is not None else None,
        source=(asked.source if asked is not None else route.source if route is not None else None)
        or (spec.source if spec else None),
        transfers_control=asked is not None and asked.transfers_control,
    )


def _holders(o: Order, approvals: Approvals, approval: str) -> tuple[str, ...]:
    spec = o.law.approvals.get(approval)
    if spec is None:
        return ()
    if spec.holder == "requester":
        return o.route.request_by if o.route is not None and o.route.request_by else o.action.request_by
    if spec.holder == "head-of-government":
        heads = o.arch.heads_of_government()
        nations = approvals.nations.get(approval, [o.unit.nation])
        return tuple(heads[n] for n in nations if n in heads)
    return tuple(in_arrangement(o.arch, h) for h in (spec.holder, *spec.holder_alternatives))
