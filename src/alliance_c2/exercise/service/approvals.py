"""Approval decisions: a holder (or control, playing an unseated holder) grants or denies a pending task.

A decision reads the task together with its order and the order's other tasks (one read), decides in
memory what follows (the next approval routed, the order delivered or denied) and stores it all at
once. Control may grant every task no seat holds in one act, and the clock may grant them once the
law catalog's typical duration has passed (`auto_approvals`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_
from sqlalchemy.orm import Session

from ..db import projection, queries
from ..db.projection import Change
from ..db.rows import ExerciseRecord, MessageRecord
from ..db.tables import Message, table_of
from . import catalog, clock
from .drafts import act_of
from .errors import conflict, forbidden, invalid, not_found
from .exercises import Seated, require_control, require_sender, store
from .messages import may_read
from .orders import advance

_MAX_ROUNDS = 32  # more than the longest approval sequence in the catalog
_MESSAGES = table_of(Message)


def decide(session: Session, who: Seated, task_id: int, grant: bool, note: str) -> MessageRecord:
    """Grant or deny a pending approval task; the task as decided."""
    require_sender(who)
    family = {m.id: m for m in queries.message_family(session, who.exercise.id, task_id)}
    task = family.get(task_id)
    if task is None or not may_read(who, task):
        raise not_found(f"message {task_id}")
    if task.kind != "approval":
        raise invalid(f"message {task_id} is not an approval task")
    if not who.is_control and who.seat.organization not in task.recipients:
        raise forbidden(f"approval {task.approval} is held by {', '.join(task.recipients) or 'control'}, not your seat")
    if task.status != "pending":
        raise conflict(f"approval task {task_id} is already {task.status}")
    decided = replace(task, status="granted" if grant else "denied", decided_at_game=who.now, body=note)
    changes = [projection.message_changed(f"approval.{decided.status}", task, decided, order=task.parent_id,
                                          approval=task.approval, note=note)]
    order = family.get(task.parent_id) if task.parent_id is not None else None
    if order is not None and order.status == "awaiting-approval":
        tasks = [decided if m.id == task_id else m for m in family.values()
                 if m.parent_id == order.id and m.kind == "approval"]
        changes += _follow(session, who, order, tasks, decided)
    store(session, who, changes)
    return decided


def _follow(session: Session, who: Seated, order: MessageRecord, tasks: list[MessageRecord],
            decided: MessageRecord) -> list[Change]:
    """What a decision means for its order: the next step routed (or the order delivered), or the order denied."""
    if decided.status == "granted":
        return advance(session, act_of(session, who, None, None), order, tasks)[1]
    denied = replace(order, status="denied", decided_at_game=who.now)
    return [projection.message_changed("order.denied", order, denied, approval=decided.approval, note=decided.body)]


def grant_unseated(session: Session, who: Seated, note: str) -> list[MessageRecord]:
    """Control grants every pending approval that no seat holds, again and again as granting routes the
    next step of an order, until each order waits for a seated holder or is delivered."""
    require_control(who)
    granted: list[MessageRecord] = []
    for _ in range(_MAX_ROUNDS):
        tasks = unseated_pending(session, who.exercise.id)
        if not tasks:
            break
        granted += [decide(session, who, t.id, True, note or "granted by control for an unseated holder")
                    for t in tasks]
    return granted


def unseated_pending(session: Session, exercise_id: int) -> list[MessageRecord]:
    """Pending approval tasks none of whose holders has a player seated (observers cannot decide)."""
    tasks = queries.messages(session, and_(_MESSAGES.c.exercise_id == exercise_id, _MESSAGES.c.kind == "approval",
                                           _MESSAGES.c.status == "pending"), limit=None)
    if not tasks:
        return []
    seated = {s.organization for s, _ in queries.seats(session, exercise_id) if s.role == "player"}
    return [t for t in tasks if not seated & set(t.recipients)]


def due_approvals(session: Session, exercise: ExerciseRecord) -> list[MessageRecord]:
    """With `auto_approvals`: `unseated_pending` tasks whose typical duration (the law catalog's
    `typical_minutes`, an assumption there unless sourced) has passed in game time since routed."""
    if not exercise.auto_approvals or exercise.clock_state != "running":
        return []
    now = clock.game_seconds(exercise)
    return [t for t in unseated_pending(session, exercise.id)
            if (minutes := catalog.typical_minutes(t.approval)) is not None and t.game_time + minutes * 60.0 <= now]


def grant_due(session: Session, who: Seated) -> list[MessageRecord]:
    """Grant, as control on the clock, each approval `due_approvals` finds (a granted step may route the
    order's next one, which then takes its own typical time)."""
    granted = []
    for task in due_approvals(session, who.exercise):
        minutes = catalog.typical_minutes(task.approval)
        note = (f"granted on the clock for an unseated holder after the typical {minutes} min "
                f"(approvals.yaml) / 空席の権限者に代わり標準所要時間（{minutes}分）経過後に自動承認")
        granted.append(decide(session, who, task.id, True, note))
    return granted
