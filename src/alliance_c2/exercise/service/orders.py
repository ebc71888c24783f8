"""Orders: the law engine decides, approvals are routed, orders wait or go.

An order is checked with `alliance_c2.law.check` against the exercise's arrangement, current
situation and reforms. Not allowed: it is stored as `refused` with the reasons. An order is addressed
to its delivery chain only once delivered: until then (refused, waiting, denied) only its sender,
the holders of its approval tasks (through the tasks) and control see it. Approvals needed
before acting: one approval task at a time (in the engine's order) goes to the organizations that
hold it, and the order is `awaiting-approval`; approvals the sender holds itself count as given, and
so do those the scenario's standing order covers. When the last is granted the order is `delivered`
down the chain of command; approvals due after the action (a later Diet approval, a report to the
Diet) are then routed without holding it up. Approval tasks are messages too, so the one visibility
filter covers them.

One way through an order: `issue_order` asks `drafts` once what the seat may do (`drafts.act_of`),
decides on the resulting `Act` (the law engine's verdict, the approvals routed), and hands the
changes to `exercises.store` once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from ...interop import organization_for
from ...law import check
from ...model import Architecture, UnknownIdError
from ..db import projection
from ..db.auditlog import Canonical
from ..db.projection import Change
from ..db.rows import MessageRecord
from .drafts import Act, act_of, label_of, new_message, require_releasable
from .errors import invalid
from .exercises import Seated, store
from .releasability import Label

Checker = Callable[..., Any]
SENDER_HOLDS = "held by the sender / 発令者が保持"
STANDING = "given in advance by the scenario's standing order / シナリオの事前命令により付与"


@dataclass(frozen=True, slots=True)
class Step:
    """One approval of an order and the organizations that may give it (empty: control plays it).

    `standing`: the scenario's standing order for the action covers this approval (the engine marks
    it pre-delegable), so it counts as given when the order is issued instead of being routed.
    """

    approval: str
    holders: tuple[str, ...]
    phase: str
    standing: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"approval": self.approval, "holders": list(self.holders), "phase": self.phase,
                "standing": self.standing}


@dataclass(frozen=True, slots=True)
class OrderPlan:
    """What would happen to an order: the verdict, the reasons it is refused, approvals, delivery."""

    allowed: bool
    reasons: tuple[str, ...]
    steps: tuple[Step, ...]
    deliver_to: tuple[str, ...]
    verdict: dict[str, Any] = field(default_factory=dict)
    reasons_ja: tuple[str, ...] = ()
    recorded: Canonical | None = field(default=None, compare=False)  # `to_dict`, encoded once (the order's verdict)

    def record(self) -> Canonical:
        """What an order keeps of its plan (`to_dict`), encoded once however often orders repeat it."""
        return self.recorded if self.recorded is not None else Canonical(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": list(self.reasons),
            "reasons_ja": list(self.reasons_ja),
            "approvals": [s.to_dict() for s in self.steps],
            "deliver_to": list(self.deliver_to),
            "verdict": self.verdict,
        }


def default_checker() -> Checker:
    return check


def order_targets(arch: Architecture) -> list[str]:
    """The organizations an order can name as its unit: headquarters, component commands and units."""
    return sorted(o.id for o in arch.military())


def plan_order(
    arch: Architecture, situation: str, reforms: Iterable[str], action: str, unit: str, ordered_by: str,
    checker: Checker, standing_orders: Iterable[str] = (),
) -> OrderPlan:
    """The law engine's verdict on an order, turned into routing: pure, nothing is stored.

    `standing_orders`: actions the scenario has standing orders for (e.g. `bmd-intercept` under SDF
    Act Art. 82-3(3)); their pre-delegable approvals are marked `standing`. The same order in the same
    arrangement, situation and reforms gets the same plan, kept (`PLAN_CACHE` of them per process) with
    its verdict encoded once: exercises repeat their orders, and the law and the catalog do not change
    while a server runs.
    """
    chosen = tuple(sorted(set(reforms)))
    standing = frozenset(standing_orders)
    key = (id(arch), situation, chosen, action, unit, ordered_by, checker, standing)
    with _PLANS_LOCK:
        found = _PLANS.get(key)
        if found is not None and found[0] is arch:
            _PLANS.move_to_end(key)
            return found[1]
    plan = _planned(arch, situation, chosen, action, unit, ordered_by, checker, standing)
    plan = replace(plan, recorded=Canonical(plan.to_dict()))
    with _PLANS_LOCK:
        _PLANS[key] = (arch, plan)
        while len(_PLANS) > PLAN_CACHE:
            _PLANS.popitem(last=False)
    return plan


PLAN_CACHE = 1024
_PLANS: OrderedDict[tuple[Any, ...], tuple[Architecture, OrderPlan]] = OrderedDict()
_PLANS_LOCK = threading.Lock()


def _planned(arch: Architecture, situation: str, reforms: tuple[str, ...], action: str, unit: str, ordered_by: str,
             checker: Checker, standing_orders: frozenset[str]) -> OrderPlan:
    _check_unit(arch, unit)
    try:
        verdict = checker(arch, situation, action, unit, ordered_by=ordered_by, reforms=reforms)
    except UnknownIdError as exc:
        raise invalid(str(exc)) from None
    standing = action in standing_orders
    steps = tuple(
        Step(s.id, tuple(h for h in s.holders if h in arch.organizations), s.phase,
             standing and bool(getattr(s, "pre_delegable", False)))
        for s in getattr(verdict, "approval_steps", ())
    )
    reasons = tuple(_reason(b, "en") for b in verdict.blocked_by)
    reasons_ja = tuple(_reason(b, "ja") for b in verdict.blocked_by)
    return OrderPlan(bool(verdict.allowed), reasons, steps, _delivery(tuple(verdict.chain), ordered_by, unit),
                     verdict.to_dict(), reasons_ja)


def _check_unit(arch: Architecture, unit: str) -> None:
    targets = order_targets(arch)
    if unit in targets:
        return
    if unit in arch.organizations:
        org = arch.organizations[unit]
        raise invalid(f"unit {unit!r} ({org.name('en')}, a {org.kind}) does not receive orders; choose a "
                      f"headquarters, component command or unit: {', '.join(targets)}")
    raise invalid(f"unit {unit!r} not in {arch.id}; choose from: {', '.join(targets)}")


def _reason(block: Any, lang: str) -> str:
    return str(block.reason(lang)) if hasattr(block, "reason") else str(block)


def plan_for(act: Act, action: str, unit: str, checker: Checker) -> OrderPlan:
    """`plan_order` for an order given in `act` (its arrangement, situation, reforms, the scenario's
    standing orders, the organization it speaks as)."""
    return plan_order(act.arch, act.situation, act.reforms, action, unit, act.sender, checker, act.standing_orders)


def preview(who: Seated, action: str, unit: str, as_organization: str | None, checker: Checker) -> OrderPlan:
    """The verdict and routing for an order the seat (or control, as an organization) would give."""
    sender = as_organization if who.is_control and as_organization else who.seat.organization
    if sender not in who.arch.organizations:
        raise invalid("control previews an order as an organization: set as_organization")
    standing = who.scenario.standing_orders if who.scenario is not None else frozenset()
    return plan_order(who.arch, who.exercise.situation, who.exercise.reforms, action, unit, sender, checker,
                      standing)


def partner_unit(arch: Architecture, reference: str) -> str:
    """The organization a partner's reference to a unit names (its id, a C2SIM UUID or a name); the
    reference itself when none does (the law check then names the choices)."""
    return organization_for(arch, reference) or reference


def _delivery(chain: tuple[str, ...], sender: str, unit: str) -> tuple[str, ...]:
    """The chain below the sender down to the unit (the unit alone when the sender is not on it)."""
    if sender in chain:
        below = chain[chain.index(sender) + 1:]
        return below if unit in below else (*below, unit)
    return (unit,)


def issue_order(
    session: Session, who: Seated, action: str, unit: str, subject: str, body: str, label: Label,
    as_organization: str | None, reply_to: int | None, checker: Checker,
) -> MessageRecord:
    """Check, store and route one order from the seat; the order as stored.

    `unit` is an organization id, or a partner's reference to one (a C2SIM UUID or a name), as a C2SIM
    order names its performing entity."""
    act = act_of(session, who, as_organization, reply_to)
    order, changes = _issued(session, act, action, unit, subject, body, label, checker)
    store(session, who, changes)
    return order


def _issued(session: Session, act: Act, action: str, unit: str, subject: str, body: str, label: Label,
            checker: Checker) -> tuple[MessageRecord, list[Change]]:
    """The order the law engine's verdict makes of the request, and the changes that store it and route it."""
    unit = partner_unit(act.arch, unit)
    plan = plan_for(act, action, unit, checker)
    require_releasable(act.arch, (unit,), label)
    status = "refused" if not plan.allowed else "awaiting-approval"
    # addressed to nobody until delivered: a refused order, or one waiting for approvals, stays with its sender
    order = new_message(session, act, "order", status, act.sender, [], label, subject, body, action=action, unit=unit,
                        verdict=plan.record(), parent_id=act.parent_id)
    changes = [projection.message_created("order.issued", order)]
    if plan.allowed:
        order, routed = advance(session, act, order, [])
        changes += routed
    return order, changes


def advance(session: Session, act: Act, order: MessageRecord,
            tasks: Sequence[MessageRecord]) -> tuple[MessageRecord, list[Change]]:
    """Route the order's next outstanding approval, or deliver it when none is left: the order afterwards
    and the changes (nothing stored). `tasks`: its approval tasks so far, as they now stand."""
    steps = [Step(s["approval"], tuple(s["holders"]), s["phase"], bool(s.get("standing")))
             for s in (order.verdict or {})["approvals"]]
    done = {t.approval: t.status for t in tasks}
    changes: list[Change] = []
    for step in (s for s in steps if s.phase != "after"):
        if done.get(step.approval) == "granted":
            continue
        if step.approval in done:
            return order, changes
        if order.sender_org in step.holders or step.standing:
            note = SENDER_HOLDS if order.sender_org in step.holders else STANDING
            changes.append(_task(session, act, order, step, "granted", note))
            continue
        changes.append(_task(session, act, order, step, "pending"))
        return order, changes
    label = label_of(order)
    targets = [o for o in (order.verdict or {}).get("deliver_to", ()) if label.releasable_to(act.arch.organizations[o].nation)]
    delivered = replace(order, status="delivered", decided_at_game=act.now, recipients=tuple(sorted(targets)))
    changes.append(projection.message_changed("order.delivered", order, delivered, to=targets))
    changes += [_task(session, act, order, step, "pending") for step in steps if step.phase == "after"]
    return delivered, changes


def _task(session: Session, act: Act, order: MessageRecord, step: Step, status: str, note: str = "") -> Change:
    subject = f"Approval {step.approval} for order #{order.id}: {order.action} by {order.unit}"
    task = new_message(session, act, "approval", status, order.sender_org, step.holders, label_of(order),
                       subject[:300], note, action=order.action, unit=order.unit, approval=step.approval,
                       parent_id=order.id, decided_at_game=act.now if status == "granted" else None)
    act_name = "approval.routed" if status == "pending" else "approval.granted"
    return projection.message_created(act_name, task, order=order.id, approval=step.approval, phase=step.phase)
