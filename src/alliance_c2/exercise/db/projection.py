"""The tables as a projection of the audit log: one rule writes them and one replays them.

Every state change of an exercise is a log entry whose data says what changed in the tables:
`{"message": id, "new": {...}}` (a message with its recipients and REL TO), `{"message": id, "set":
{...}}` (its status, decision time, note, recipients added on delivery), `{"seat": id, "new": {...}}`,
or `{"new": {...}}` / `{"set": {...}}` for the exercise itself; beside these an entry may carry any
description of the act. `save` appends the entries and queues the same changes for the tables;
`replay` applies the entries of a log to empty tables in memory, and `differences` names every
place where stored tables and the replayed log disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from . import auditlog, tx
from .rows import (
    EXERCISE_FIELDS,
    LATER_EXERCISE_FIELDS,
    MESSAGE_FIELDS,
    SEAT_FIELDS,
    ExerciseRecord,
    MessageRecord,
    SeatRecord,
)
from .tables import Exercise, Message, Recipient, Release, Seat, table_of, utcnow

_MESSAGES = table_of(Message)
_RECIPIENTS = table_of(Recipient)
_RELEASES = table_of(Release)
_SEATS = table_of(Seat)
_EXERCISES = table_of(Exercise)
_SETTABLE = ("status", "decided_at_game", "body")  # what changes in a message once it exists


@dataclass(frozen=True, slots=True)
class Change:
    """One act: its name and its log data (what changed, as above, and how it is described)."""

    act: str
    data: dict[str, Any]


def message_created(act: str, message: MessageRecord, **description: Any) -> Change:
    return Change(act, {**description, "message": message.id, "new": message.values()})


def message_changed(act: str, before: MessageRecord, after: MessageRecord, **description: Any) -> Change:
    """What changed between two versions of a message (only status, decision time, note and recipients can)."""
    changed: dict[str, Any] = {f: getattr(after, f) for f in _SETTABLE if getattr(after, f) != getattr(before, f)}
    added = [o for o in after.recipients if o not in before.recipients]
    if added:
        changed["recipients_added"] = added
    return Change(act, {**description, "message": after.id, "set": changed})


def seat_added(act: str, seat: SeatRecord, **description: Any) -> Change:
    return Change(act, {**description, "seat": seat.id, "new": seat.values()})


def exercise_created(act: str, exercise: ExerciseRecord, **description: Any) -> Change:
    return Change(act, {**description, "new": exercise.values()})


def exercise_changed(act: str, before: ExerciseRecord, after: ExerciseRecord, **description: Any) -> Change:
    changed = {f: v for f, v in after.values().items() if v != before.values()[f]}
    return Change(act, {**description, "set": changed})


def save(session: Session, exercise: ExerciseRecord, actor: str, game_time: float,
         changes: Sequence[Change]) -> ExerciseRecord:
    """Append each change to the exercise's log and queue it for the tables; the exercise afterwards.

    The caller holds the exercise's lock and has made every check: nothing here refuses.
    """
    at = auditlog.now_text()
    created = utcnow()
    for change in changes:
        exercise = _apply_to_exercise(exercise, change.data)
        _queue(session, exercise.id, change.data, created)
        exercise = auditlog.append(session, exercise, actor, change.act, change.data, game_time, at)
    return exercise


def _apply_to_exercise(exercise: ExerciseRecord, data: dict[str, Any]) -> ExerciseRecord:
    if "message" in data or "seat" in data or "set" not in data:
        return exercise
    values: dict[str, Any] = {k: tuple(v) if k == "reforms" else v for k, v in data["set"].items()}
    return replace(exercise, **values)


def _queue(session: Session, exercise_id: int, data: dict[str, Any], created: datetime) -> None:
    if "message" in data:
        mid = int(data["message"])
        if "new" in data:
            new = data["new"]
            tx.queue_insert(session, _MESSAGES, [{"id": mid, "exercise_id": exercise_id, "created_at": created,
                                                  **{f: new[f] for f in MESSAGE_FIELDS}}])
            tx.queue_insert(session, _RECIPIENTS, [{"message_id": mid, "organization": o} for o in new["recipients"]])
            tx.queue_insert(session, _RELEASES, [{"message_id": mid, "nation": n} for n in new["rel_to"]])
        elif "set" in data:
            _queue_message_update(session, mid, data["set"])
    elif "seat" in data and "new" in data:
        new = data["new"]
        tx.queue_insert(session, _SEATS, [{"id": int(data["seat"]), "exercise_id": exercise_id,
                                           **{f: new[f] for f in SEAT_FIELDS}}])
        tx.state(session).seats[(exercise_id, new["user_id"])] = SeatRecord(
            int(data["seat"]), exercise_id, **{f: new[f] for f in SEAT_FIELDS})
    elif "new" in data:
        # its count and head, like every later change of the row, are stored at commit (`auditlog.store_heads`)
        tx.queue_insert(session, _EXERCISES, [{"id": exercise_id, "created_at": created, "log_count": 0,
                                               "log_head": auditlog.GENESIS, **data["new"]}])


def _queue_message_update(session: Session, message_id: int, changed: dict[str, Any]) -> None:
    settable = {f: changed[f] for f in _SETTABLE if f in changed}
    if settable:
        tx.queue_update(session, _update_for(tuple(sorted(settable))), {"mid": message_id, **settable})
    added = changed.get("recipients_added") or []
    tx.queue_insert(session, _RECIPIENTS, [{"message_id": message_id, "organization": o} for o in added])


_UPDATES: dict[tuple[str, ...], Any] = {}


def _update_for(columns: tuple[str, ...]) -> Any:
    """One cached UPDATE statement per set of changed columns."""
    found = _UPDATES.get(columns)
    if found is None:
        found = _UPDATES[columns] = (update(_MESSAGES).where(_MESSAGES.c.id == bindparam("mid"))
                                     .values(**{c: bindparam(c) for c in columns}))
    return found


@dataclass(slots=True)
class Replayed:
    """Tables rebuilt from a log: the exercise's fields, seats and messages (with recipients and REL TO)."""

    exercise: dict[str, Any] = field(default_factory=dict)
    seats: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    unreadable: list[int] = field(default_factory=list)  # sequence numbers whose data says nothing usable


def replay(entries: Iterable[tuple[int, dict[str, Any]]]) -> Replayed:
    """Apply (sequence number, data) pairs in order to empty tables."""
    state = Replayed()
    for seq, data in entries:
        try:
            _replay_one(state, data)
        except (KeyError, TypeError, ValueError):
            state.unreadable.append(seq)
    return state


def _replay_one(state: Replayed, data: dict[str, Any]) -> None:
    if "message" in data:
        mid = int(data["message"])
        if "new" in data:
            new = data["new"]
            state.messages[mid] = {**{f: new[f] for f in MESSAGE_FIELDS}, "recipients": sorted(new["recipients"]),
                                   "rel_to": sorted(new["rel_to"])}
        elif "set" in data:
            row = state.messages[mid]
            changed = data["set"]
            row.update({f: changed[f] for f in _SETTABLE if f in changed})
            row["recipients"] = sorted({*row["recipients"], *changed.get("recipients_added", [])})
    elif "seat" in data and "new" in data:
        state.seats[int(data["seat"])] = {f: data["new"][f] for f in SEAT_FIELDS}
    elif "new" in data:
        new = data["new"]
        state.exercise = {f: new[f] for f in EXERCISE_FIELDS if f in new or f not in LATER_EXERCISE_FIELDS}
    elif "set" in data:
        state.exercise.update({k: v for k, v in data["set"].items() if k in EXERCISE_FIELDS})


def differences(replayed: Replayed, exercise: dict[str, Any], seats: dict[int, dict[str, Any]],
                messages: dict[int, dict[str, Any]]) -> list[str]:
    """Where the stored tables (plain values, as `Replayed` holds them) disagree with the replayed log."""
    problems = [f"exercise: {f} is {_show(exercise.get(f))} in the table, {_show(v)} by the log"
                for f, v in replayed.exercise.items() if _normal(exercise.get(f)) != _normal(v)]
    problems += _table_differences("seat", replayed.seats, seats)
    problems += _table_differences("message", replayed.messages, messages)
    return problems


def _table_differences(kind: str, logged: dict[int, dict[str, Any]], stored: dict[int, dict[str, Any]]) -> list[str]:
    problems = [f"{kind} {i} is in the table but not in the log" for i in sorted(stored.keys() - logged.keys())]
    problems += [f"{kind} {i} is in the log but not in the table" for i in sorted(logged.keys() - stored.keys())]
    for i in sorted(stored.keys() & logged.keys()):
        problems += [f"{kind} {i}: {f} is {_show(stored[i].get(f))} in the table, {_show(v)} by the log"
                     for f, v in logged[i].items() if _normal(stored[i].get(f)) != _normal(v)]
    return problems


def _normal(value: Any) -> Any:
    """Lists and tuples compare alike; booleans stored as 0/1 compare with True/False."""
    if isinstance(value, tuple | list):
        return [_normal(v) for v in value]
    if isinstance(value, bool):
        return int(value)
    return value


def _show(value: Any) -> str:
    text = repr(list(value) if isinstance(value, tuple) else value)
    return text if len(text) <= 80 else text[:77] + "..."
