"""Messages and order routing: the law engine decides, approvals are routed, orders wait or go.

An order is checked with `alliance_c2.law.check` against the exercise's arrangement, current
situation and reforms. Not allowed: it is stored as `refused` with the reasons. An order is addressed
to its delivery chain only once delivered: until then (refused, waiting, denied) only its sender,
the holders of its approval tasks (through the tasks) and control see it. Approvals needed
before acting: one approval task at a time (in the engine's order) goes to the organizations that
hold it, and the order is `awaiting-approval`; approvals the sender holds itself count as given.
When the last is granted the order is `delivered` down the chain of command; approvals due after
the action (a later Diet approval, a report to the Diet) are then routed without holding it up.
Approval tasks are messages too, so the one visibility filter covers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session

from ..model import Architecture, UnknownIdError
from . import clock
from .errors import ExerciseError, conflict, forbidden, invalid, not_found
from .exercises import CONTROL_ORG, Context, require_control, require_sender, scenario_of, seats
from .releasability import CLASSIFICATIONS, Label, LabelError, make_label, visible_to
from .store import Exercise, Message, Recipient, Release, Seat, defer_insert, flush_inserts, table_of, utcnow

Checker = Callable[..., Any]
KINDS = ("order", "request", "report", "inject", "approval")
FREE_KINDS = ("request", "report")
MAX_RECIPIENTS = 64


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

    @property
    def before(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.phase != "after")

    @property
    def after(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.phase == "after")

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
    from ..law import check

    return check


def plan_order(
    arch: Architecture, situation: str, reforms: Iterable[str], action: str, unit: str, ordered_by: str,
    checker: Checker, standing_orders: Iterable[str] = (),
) -> OrderPlan:
    """The law engine's verdict on an order, turned into routing: pure, nothing is stored.

    `standing_orders`: actions the scenario has standing orders for (e.g. `bmd-intercept` under SDF
    Act Art. 82-3(3)); their pre-delegable approvals are marked `standing`.
    """
    if unit not in arch.organizations:
        raise invalid(f"unit {unit!r} not in {arch.id}; choose from: {', '.join(sorted(arch.organizations))}")
    try:
        verdict = checker(arch, situation, action, unit, ordered_by=ordered_by, reforms=tuple(reforms))
    except UnknownIdError as exc:
        raise invalid(str(exc)) from None
    standing = action in set(standing_orders)
    steps = tuple(
        Step(s.id, tuple(h for h in s.holders if h in arch.organizations), s.phase,
             standing and bool(getattr(s, "pre_delegable", False)))
        for s in getattr(verdict, "approval_steps", ())
    )
    reasons = tuple(_reason(b, "en") for b in verdict.blocked_by)
    reasons_ja = tuple(_reason(b, "ja") for b in verdict.blocked_by)
    return OrderPlan(bool(verdict.allowed), reasons, steps, _delivery(tuple(verdict.chain), ordered_by, unit),
                     verdict.to_dict(), reasons_ja)


def _reason(block: Any, lang: str) -> str:
    return str(block.reason(lang)) if hasattr(block, "reason") else str(block)


def plan_for(ctx: Context, action: str, unit: str, sender: str, checker: Checker) -> OrderPlan:
    """`plan_order` in the exercise's arrangement, situation, reforms and scenario standing orders."""
    return plan_order(ctx.arch, ctx.exercise.situation, ctx.exercise.reforms, action, unit, sender, checker,
                      standing_orders_of(ctx))


def standing_orders_of(ctx: Context) -> frozenset[str]:
    scenario = scenario_of(ctx.exercise)
    return frozenset(scenario.standing_orders) if scenario is not None else frozenset()


def _delivery(chain: tuple[str, ...], sender: str, unit: str) -> tuple[str, ...]:
    """The chain below the sender down to the unit (the unit alone when the sender is not on it)."""
    if sender in chain:
        below = chain[chain.index(sender) + 1:]
        return below if unit in below else (*below, unit)
    return (unit,)


def issue_order(
    ctx: Context, action: str, unit: str, subject: str, body: str, label: Label, as_organization: str | None,
    reply_to: int | None, checker: Checker,
) -> Message:
    """Check, store and route one order from the context's seat."""
    require_sender(ctx)
    sender = _sender_org(ctx, as_organization)
    plan = plan_for(ctx, action, unit, sender, checker)
    _require_releasable(ctx.arch, (unit,), label)
    parent = _visible_parent(ctx, reply_to)
    status = "refused" if not plan.allowed else "awaiting-approval"
    # addressed to nobody until delivered: a refused order, or one waiting for approvals, stays with its sender
    order = _store(ctx, "order", status, sender, [], label, subject, body,
                   action=action, unit=unit, verdict=plan.to_dict(), parent_id=parent)
    ctx.record("order.issued", {**_summary(order, [], label), "deliver_to": _deliverable(ctx, plan.deliver_to, label),
                                "allowed": plan.allowed, "reasons": list(plan.reasons),
                                "approvals": [s.approval for s in plan.steps]})
    if plan.allowed:
        _advance(ctx, order, fresh=True)
    return order


def _advance(ctx: Context, order: Message, fresh: bool = False) -> None:
    """Route the next outstanding approval, or deliver the order when none is left (`fresh`: no tasks yet)."""
    plan_steps = [Step(s["approval"], tuple(s["holders"]), s["phase"], bool(s.get("standing")))
                  for s in (order.verdict or {})["approvals"]]
    done: dict[str | None, str] = {} if fresh else {t.approval: t.status for t in _tasks(ctx, order.id)}
    for step in (s for s in plan_steps if s.phase != "after"):
        if done.get(step.approval) == "granted":
            continue
        if step.approval in done:
            return
        if order.sender_org in step.holders:
            _task(ctx, order, step, "granted", note="held by the sender / 発令者が保持")
            continue
        if step.standing:
            _task(ctx, order, step, "granted", note="given in advance by the scenario's standing order / シナリオの事前命令により付与")
            continue
        _task(ctx, order, step, "pending")
        return
    _settle(ctx, order, "delivered")
    label = Label(CLASSIFICATIONS[order.classification], tuple(_releases(ctx, order.id)))
    targets = _deliverable(ctx, (order.verdict or {}).get("deliver_to", ()), label)
    defer_insert(ctx.session, _RECIPIENTS, [{"message_id": order.id, "organization": o} for o in targets])
    ctx.known[order.id] = (sorted(targets), list(label.rel_to))
    ctx.record("order.delivered", {"order": order.id, "to": targets})
    for step in (s for s in plan_steps if s.phase == "after"):
        _task(ctx, order, step, "pending")


def _deliverable(ctx: Context, chain: Iterable[str], label: Label) -> list[str]:
    """The organizations of an order's delivery chain whose nation its label releases it to."""
    return [o for o in chain if label.releasable_to(ctx.arch.organizations[o].nation)]


def _task(ctx: Context, order: Message, step: Step, status: str, note: str = "") -> Message:
    label = Label(CLASSIFICATIONS[order.classification], tuple(_releases(ctx, order.id)))
    subject = f"Approval {step.approval} for order #{order.id}: {order.action} by {order.unit}"
    decided = ctx.now() if status == "granted" else None
    task = _store(ctx, "approval", status, order.sender_org, list(step.holders), label, subject[:300], note,
                  action=order.action, unit=order.unit, approval=step.approval, parent_id=order.id,
                  decided_at_game=decided)
    ctx.record("approval.routed" if status == "pending" else "approval.granted", {
        "task": task.id, "order": order.id, "approval": step.approval, "holders": list(step.holders),
        "phase": step.phase, "note": note,
    })
    return task


def decide(ctx: Context, task_id: int, grant: bool, note: str) -> Message:
    """A holder (or control, playing an unseated holder) grants or denies a pending approval."""
    require_sender(ctx)
    task = _visible(ctx, task_id)
    if task.kind != "approval":
        raise invalid(f"message {task_id} is not an approval task")
    holders = _recipients(ctx, task.id)
    if not ctx.is_control and ctx.seat.organization not in holders:
        raise forbidden(f"approval {task.approval} is held by {', '.join(holders) or 'control'}, not your seat")
    if task.status != "pending":
        raise conflict(f"approval task {task_id} is already {task.status}")
    task.status = "granted" if grant else "denied"
    task.decided_at_game = ctx.now()
    task.body = note
    ctx.record(f"approval.{task.status}", {"task": task.id, "order": task.parent_id, "approval": task.approval,
                                             "note": note})
    order = ctx.session.get(Message, task.parent_id) if task.parent_id else None
    if order is not None and order.status == "awaiting-approval":
        if grant:
            _advance(ctx, order)
        else:
            order.status = "denied"
            order.decided_at_game = ctx.now()
            ctx.record("order.denied", {"order": order.id, "approval": task.approval, "note": note})
    return task


def grant_unseated(ctx: Context, note: str) -> list[Message]:
    """Control grants every pending approval that no seat holds, again and again as granting routes the
    next step of an order, until each order waits for a seated holder or is delivered."""
    require_control(ctx)
    granted: list[Message] = []
    for _ in range(_MAX_ROUNDS):
        tasks = unseated_pending(ctx.session, ctx.exercise)
        if not tasks:
            break
        granted += [decide(ctx, t.id, True, note or "granted by control for an unseated holder") for t in tasks]
    return granted


_MAX_ROUNDS = 32  # more than the longest approval sequence in the catalog


def unseated_pending(session: Session, exercise: Exercise) -> list[Message]:
    """Pending approval tasks none of whose holders has a player seated (observers cannot decide)."""
    flush_inserts(session)
    tasks = list(session.execute(
        select(Message).where(Message.exercise_id == exercise.id, Message.kind == "approval",
                              Message.status == "pending").order_by(Message.id)
    ).scalars())
    if not tasks:
        return []
    seated = set(session.execute(
        select(Seat.organization).where(Seat.exercise_id == exercise.id, Seat.role == "player")
    ).scalars())
    held: dict[int, set[str]] = {}
    for mid, org in session.execute(
        select(Recipient.message_id, Recipient.organization).where(Recipient.message_id.in_([t.id for t in tasks]))
    ):
        held.setdefault(mid, set()).add(org)
    return [t for t in tasks if not seated & held.get(t.id, set())]


def due_approvals(session: Session, exercise: Exercise) -> list[Message]:
    """With `auto_approvals`: `unseated_pending` tasks whose typical duration (the law catalog's
    `typical_minutes`, an assumption there unless sourced) has passed in game time since routed."""
    if not exercise.auto_approvals or exercise.clock_state != "running":
        return []
    now = clock.game_seconds(exercise)
    return [t for t in unseated_pending(session, exercise)
            if (minutes := typical_minutes(t.approval)) is not None and t.game_time + minutes * 60.0 <= now]


def typical_minutes(approval: str | None) -> int | None:
    """How long an approval typically takes (law catalog), or None when the catalog gives no figure."""
    from ..law import default_catalog

    found = default_catalog().approvals.get(approval or "")
    return found.typical_minutes if found is not None else None


def grant_due_approvals(ctx: Context) -> list[Message]:
    """Grant, as control on the clock, each approval `due_approvals` finds (a granted step may route the
    order's next one, which then takes its own typical time)."""
    granted = []
    for task in due_approvals(ctx.session, ctx.exercise):
        minutes = typical_minutes(task.approval)
        note = (f"granted on the clock for an unseated holder after the typical {minutes} min "
                f"(approvals.yaml) / 空席の権限者に代わり標準所要時間（{minutes}分）経過後に自動承認")
        granted.append(decide(ctx, task.id, True, note))
    return granted


def due_injects(session: Session, exercise: Exercise) -> list[Any]:
    """Scenario injects whose minute the clock has reached and that nobody has released yet."""
    scenario = scenario_of(exercise)
    if scenario is None or exercise.clock_state != "running":
        return []
    now = clock.game_seconds(exercise)
    due = [i for i in scenario.injects if i.time * 60.0 <= now]
    if not due:
        return []
    released = released_injects(session, exercise)
    return [i for i in due if i.id not in released]


def waiting_injects(session: Session, exercise: Exercise) -> list[Any]:
    """`due_injects` that someone of a detecting nation is seated to receive (what the clock releases)."""
    due = due_injects(session, exercise)
    if not due:
        return []
    nations = set(session.execute(
        select(Seat.nation).where(Seat.exercise_id == exercise.id, Seat.role != "control")
    ).scalars())
    return [i for i in due if nations & {n for n, _ in i.detected_by}]


def released_injects(session: Session, exercise: Exercise) -> dict[str, int]:
    """Scenario inject id -> the message that released it."""
    rows = session.execute(
        select(Message.inject_id, Message.id).where(Message.exercise_id == exercise.id, Message.kind == "inject",
                                                    Message.inject_id.is_not(None))
    )
    return {inject: mid for inject, mid in rows if inject is not None}


def release_due(ctx: Context) -> list[Message]:
    """Release, as the clock, each due inject to the seated organizations of the nations that detect it
    (one that nobody of those nations is seated to receive waits)."""
    return [release_inject(ctx, inject.id, _default_inject_recipients(ctx, inject, fall_back=False), None, "",
                           None, scheduled=inject.time)
            for inject in waiting_injects(ctx.session, ctx.exercise)]


def send(
    ctx: Context, kind: str, recipients: Sequence[str], subject: str, body: str, label: Label,
    as_organization: str | None, reply_to: int | None,
) -> Message:
    """A request or report, delivered at once to organizations the label releases it to."""
    require_sender(ctx)
    if kind not in FREE_KINDS:
        raise invalid(f"kind {kind!r}: send orders to /orders and injects to /injects; here: {', '.join(FREE_KINDS)}")
    sender = _sender_org(ctx, as_organization)
    targets = _check_recipients(ctx.arch, recipients)
    _require_releasable(ctx.arch, targets, label)
    message = _store(ctx, kind, "delivered", sender, targets, label, subject, body, parent_id=_visible_parent(ctx, reply_to))
    ctx.record("message.sent", _summary(message, targets, label))
    return message


def release_inject(
    ctx: Context, inject_id: str | None, recipients: Sequence[str], subject: str | None, body: str, label: Label | None,
    scheduled: float | None = None,
) -> Message:
    """Control releases a scenario inject (by id) or writes one; defaults come from the scenario."""
    require_control(ctx)
    scripted = _scripted(ctx, inject_id) if inject_id else None
    if scripted is not None and inject_id in released_injects(ctx.session, ctx.exercise):
        raise conflict(f"inject {inject_id!r} has already been released")
    targets = _check_recipients(ctx.arch, recipients or _default_inject_recipients(ctx, scripted))
    chosen = label or make_label("UNCLASSIFIED", sorted({ctx.arch.organizations[o].nation for o in targets}),
                                 ctx.arch.nations)
    _require_releasable(ctx.arch, targets, chosen)
    title = subject or (scripted.name_en if scripted else "")
    if not title:
        raise invalid("subject: a written inject needs a subject")
    text = body or (_inject_text(scripted) if scripted else "")
    message = _store(ctx, "inject", "delivered", CONTROL_ORG, targets, chosen, title[:300], text, inject_id=inject_id)
    extra = {} if scheduled is None else {"scheduled_minute": scheduled, "by": "clock"}
    ctx.record("inject.released", {**_summary(message, targets, chosen), "inject": inject_id, **extra})
    return message


def timeline(ctx: Context) -> list[dict[str, Any]]:
    """The scenario's injects in time order, each with whether (and as which message) it was released."""
    require_control(ctx)
    scenario = scenario_of(ctx.exercise)
    if scenario is None:
        return []
    released = released_injects(ctx.session, ctx.exercise)
    return [
        {"id": i.id, "minute": i.time, "name_en": i.name_en, "name_ja": i.name_ja, "domain": i.domain,
         "place": i.place, "situation": i.situation, "nations": sorted({n for n, _ in i.detected_by}),
         "released_as": released.get(i.id)}
        for i in scenario.injects
    ]


def visible_messages(
    ctx: Context, kind: str | None = None, after: int = 0, limit: int = 200, newest_first: bool = False
) -> list[Message]:
    """Messages the seat may read, oldest first (or newest first), with id above `after`."""
    flush_inserts(ctx.session)
    stmt = select(Message).where(visible_to(ctx.seat), Message.id > after)
    if kind:
        stmt = stmt.where(Message.kind == kind)
    order = Message.id.desc() if newest_first else Message.id
    return list(ctx.session.execute(stmt.order_by(order).limit(limit)).scalars())


def visible_by_ids(ctx: Context, ids: Iterable[int]) -> list[Message]:
    """Those of the messages `ids` the seat may read, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    flush_inserts(ctx.session)
    stmt = select(Message).where(visible_to(ctx.seat), Message.id.in_(wanted)).order_by(Message.id)
    return list(ctx.session.execute(stmt).scalars())


def _visible(ctx: Context, message_id: int) -> Message:
    flush_inserts(ctx.session)
    found = ctx.session.execute(
        select(Message).where(visible_to(ctx.seat), Message.id == message_id)
    ).scalar_one_or_none()
    if found is None:
        raise not_found(f"message {message_id}")
    return found


def visible_message(ctx: Context, message_id: int) -> Message:
    return _visible(ctx, message_id)


def view(ctx: Context, message: Message) -> dict[str, Any]:
    """The JSON form of a message as the API returns it."""
    label = Label(CLASSIFICATIONS[message.classification], tuple(_releases(ctx, message.id)))
    return {
        "id": message.id, "kind": message.kind, "status": message.status, "sender": message.sender_org,
        "recipients": list(_recipients(ctx, message.id)), "classification": label.classification,
        "rel_to": list(label.rel_to), "marking": label.marking(), "subject": message.subject, "body": message.body,
        "action": message.action, "unit": message.unit, "approval": message.approval,
        "parent_id": message.parent_id, "inject_id": message.inject_id, "situation": message.situation,
        "game_time": message.game_time, "decided_at_game": message.decided_at_game,
        "verdict": message.verdict if message.kind == "order" else None,
    }


def label_for(ctx: Context, classification: str, rel_to: Iterable[str]) -> Label:
    try:
        return make_label(classification, rel_to, ctx.arch.nations)
    except LabelError as exc:
        raise invalid(str(exc)) from None


def _store(
    ctx: Context, kind: str, status: str, sender: str, recipients: Sequence[str], label: Label, subject: str,
    body: str, **fields: Any,
) -> Message:
    """Insert a message, its recipients and REL TO with Core statements; the returned object is not in the session.

    Later changes to it are written with `_settle`, not by a flush.
    """
    values = {
        "exercise_id": ctx.exercise.id, "kind": kind, "status": status, "sender_seat_id": ctx.seat.id,
        "sender_org": sender, "classification": label.rank, "subject": subject, "body": body,
        "situation": ctx.exercise.situation, "game_time": ctx.now(), "created_at": utcnow(),
        # unset columns stay SQL NULL (a None for the JSON verdict would be stored as JSON null)
        **{k: v for k, v in fields.items() if v is not None},
    }
    message_id = int(ctx.session.connection().execute(_INSERT_MESSAGE, values).scalar_one())
    targets = list(dict.fromkeys(recipients))
    defer_insert(ctx.session, _RECIPIENTS, [{"message_id": message_id, "organization": o} for o in targets])
    defer_insert(ctx.session, _RELEASES, [{"message_id": message_id, "nation": n} for n in label.rel_to])
    ctx.known[message_id] = (sorted(targets), sorted(label.rel_to))
    return Message(id=message_id, **values)


def _settle(ctx: Context, message: Message, status: str) -> None:
    """Give a message its decided status and game time (Core UPDATE for objects stored by `_store`)."""
    message.status = status
    message.decided_at_game = ctx.now()
    if inspect(message).transient:
        ctx.session.connection().execute(_SETTLE_MESSAGE, {
            "mid": message.id, "status": message.status, "decided": message.decided_at_game,
        })


_MESSAGES = table_of(Message)
_INSERT_MESSAGE = insert(_MESSAGES).returning(_MESSAGES.c.id)
_RECIPIENTS = table_of(Recipient)
_RELEASES = table_of(Release)
_SETTLE_MESSAGE = (
    update(_MESSAGES).where(_MESSAGES.c.id == bindparam("mid"))
    .values(status=bindparam("status"), decided_at_game=bindparam("decided"))
)


def _recipients(ctx: Context, message_id: int) -> list[str]:
    if message_id in ctx.known:
        return ctx.known[message_id][0]
    flush_inserts(ctx.session)
    return list(ctx.session.execute(
        select(Recipient.organization).where(Recipient.message_id == message_id).order_by(Recipient.organization)
    ).scalars())


def _releases(ctx: Context, message_id: int) -> list[str]:
    if message_id in ctx.known:
        return ctx.known[message_id][1]
    flush_inserts(ctx.session)
    return list(ctx.session.execute(
        select(Release.nation).where(Release.message_id == message_id).order_by(Release.nation)
    ).scalars())


def _tasks(ctx: Context, order_id: int) -> list[Message]:
    return list(ctx.session.execute(
        select(Message).where(Message.parent_id == order_id, Message.kind == "approval").order_by(Message.id)
    ).scalars())


def _summary(message: Message, recipients: Sequence[str], label: Label) -> dict[str, Any]:
    return {
        "message": message.id, "kind": message.kind, "status": message.status, "sender": message.sender_org,
        "recipients": list(recipients), "marking": label.marking(), "subject": message.subject,
        "action": message.action, "unit": message.unit,
    }


def _sender_org(ctx: Context, as_organization: str | None) -> str:
    if as_organization is None or as_organization == ctx.seat.organization:
        return ctx.seat.organization if not ctx.is_control else (as_organization or CONTROL_ORG)
    if not ctx.is_control:
        raise forbidden("only control may act as another organization")
    if as_organization not in ctx.arch.organizations:
        raise invalid(f"as_organization {as_organization!r} not in {ctx.arch.id}")
    return as_organization


def _check_recipients(arch: Architecture, recipients: Sequence[str]) -> list[str]:
    targets = list(dict.fromkeys(recipients))
    if not targets:
        raise invalid("recipients: name at least one organization")
    if len(targets) > MAX_RECIPIENTS:
        raise invalid(f"recipients: at most {MAX_RECIPIENTS}")
    unknown = [o for o in targets if o not in arch.organizations]
    if unknown:
        raise invalid(f"recipients: {', '.join(unknown)} not in {arch.id}")
    return targets


def _require_releasable(arch: Architecture, organizations: Iterable[str], label: Label) -> None:
    """Refuse to address an organization whose nation the label does not release the item to."""
    barred = [f"{o} ({arch.organizations[o].nation})" for o in organizations
              if not label.releasable_to(arch.organizations[o].nation)]
    if barred:
        raise invalid(f"{label.marking()} is not releasable to recipient(s) {', '.join(barred)}")


def _visible_parent(ctx: Context, reply_to: int | None) -> int | None:
    return None if reply_to is None else _visible(ctx, reply_to).id


def _scripted(ctx: Context, inject_id: str) -> Any:
    scenario = scenario_of(ctx.exercise)
    if scenario is None:
        raise invalid("this exercise has no scenario; write the inject instead")
    for inject in scenario.injects:
        if inject.id == inject_id:
            return inject
    raise invalid(f"inject {inject_id!r} not in scenario {scenario.id}; choose from: "
                  f"{', '.join(i.id for i in scenario.injects)}")


def _default_inject_recipients(ctx: Context, scripted: Any, fall_back: bool = True) -> list[str]:
    """Seated organizations of the nations whose sensors detect the inject. When none of them is seated
    (or control writes the inject) and `fall_back`: the seated organizations of the nations with forces
    in the arrangement (never a liaison officer's nation that has none, e.g. TWN or UN)."""
    seated = [s for s, _ in seats(ctx) if s.role != "control"]
    detecting = {n for n, _ in scripted.detected_by} if scripted else set()
    orgs = [s.organization for s in seated if s.nation in detecting]
    if not orgs and fall_back:
        forces = {o.nation for o in ctx.arch.military()}
        orgs = [s.organization for s in seated if s.nation in forces]
    if not orgs:
        raise invalid("recipients: nobody of the nations that detect this inject is seated; name the recipients")
    return list(dict.fromkeys(orgs))


def _inject_text(inject: Any) -> str:
    responses = "; ".join(f"{r.nation} {r.component}: {r.action} within {r.deadline:g} min" for r in inject.responses)
    return f"{inject.name_en} ({inject.place}, {inject.domain}). Expected responses: {responses}."


def order_status_error(message: Message) -> ExerciseError:
    return conflict(f"order {message.id} is {message.status}")
