"""The approval steps of a verdict: each approval with its holders, phase, whether it waits for the action, and the
legal order and rule that ask for it."""

from __future__ import annotations

from .jurisdiction import Approvals
from .order import Order
from .paths import in_arrangement
from .verdict import ApprovalStep


def approval_step(o: Order, approvals: Approvals, approval: str) -> ApprovalStep:
    """One approval of the order: who holds it, when, whether a standing order may give it, and if it is shared."""
    spec = o.law.approvals.get(approval)
    route = o.route
    detail = route.approval_details.get(approval) if route is not None else None
    recognition = {p.approval for p in o.situation.procedure if p.phase == "before"}
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
