"""Reads of the exercise tables, as typed records (`rows`).

Inside a write transaction every read first writes what the transaction has queued (`tx.flush`),
so it sees the transaction's own changes; an exercise locked in the transaction is read once and
then taken from the transaction's memory, where the writes that change it keep it current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session

from . import tx
from .rows import (
    EXERCISE_FIELDS,
    MESSAGE_FIELDS,
    SEAT_FIELDS,
    C2simClientRecord,
    ExerciseRecord,
    MessageRecord,
    SeatRecord,
)
from .tables import C2simClient, Exercise, LogEntry, Message, Recipient, Release, Seat, User, table_of

_EX = table_of(Exercise)
_SEAT = table_of(Seat)
_MSG = table_of(Message)


def _exercise(row: Any) -> ExerciseRecord:
    return ExerciseRecord(
        id=row.id, name=row.name, arrangement=row.arrangement, scenario=row.scenario, situation=row.situation,
        reforms=tuple(row.reforms or ()), created_by=row.created_by, clock_state=row.clock_state,
        clock_speed=row.clock_speed, clock_anchor_wall=row.clock_anchor_wall, clock_anchor_game=row.clock_anchor_game,
        auto_injects=bool(row.auto_injects), auto_approvals=bool(row.auto_approvals), log_count=row.log_count,
        log_head=row.log_head, uid=row.uid, legacy_anchor=bool(row.legacy_anchor),
        c2sim_session=row.c2sim_session, c2sim_state=row.c2sim_state,
        c2sim_schema=row.c2sim_schema, c2sim_description=row.c2sim_description,
    )


def _seat(row: Any) -> SeatRecord:
    return SeatRecord(id=row.id, exercise_id=row.exercise_id, user_id=row.user_id, nation=row.nation,
                      organization=row.organization, role=row.role, clearance=row.clearance)


_EXERCISE_COLUMNS = tuple(_EX.c)
_SEAT_COLUMNS = tuple(_SEAT.c)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def exercise(session: Session, exercise_id: int) -> ExerciseRecord | None:
    """The exercise as stored (no lock)."""
    row = session.execute(select(*_EXERCISE_COLUMNS).where(_EX.c.id == exercise_id)).first()
    return None if row is None else _exercise(row)


def lock_exercise(session: Session, exercise_id: int) -> ExerciseRecord | None:
    """The exercise, locked for the transaction (FOR UPDATE; SQLite holds the write lock already) and
    kept in its memory from then on."""
    state = tx.state(session)
    found = state.exercises.get(exercise_id)
    if found is None:
        stmt = select(*_EXERCISE_COLUMNS).where(_EX.c.id == exercise_id)
        row = session.execute(stmt if _is_sqlite(session) else stmt.with_for_update()).first()
        if row is None:
            return None
        found = tx.hold(session, _exercise(row))
    return found


def seated(session: Session, exercise_id: int, user_id: int, lock: bool) -> tuple[ExerciseRecord, SeatRecord] | None:
    """The exercise and the user's seat in it; with `lock`, the exercise locked as by `lock_exercise`,
    read together with the seat in one query the first time."""
    if not lock:
        row = session.execute(_SEATED, {"eid": exercise_id, "uid": user_id}).first()
        return None if row is None else (_exercise(row), _seat_of(row))
    state = tx.state(session)
    known = state.exercises.get(exercise_id)
    if known is None:
        row = session.execute(_SEATED if _is_sqlite(session) else _SEATED_LOCKED,
                              {"eid": exercise_id, "uid": user_id}).first()
        if row is None:
            return None
        known = tx.hold(session, _exercise(row))
        state.seats[(exercise_id, user_id)] = _seat_of(row)
    seat = state.seats.get((exercise_id, user_id))
    if seat is None and exercise_id not in state.seats_read:
        # every seat of the locked exercise at once; seats added later in the transaction join them there
        for found in session.execute(select(*_SEAT_COLUMNS).where(_SEAT.c.exercise_id == exercise_id)):
            state.seats.setdefault((exercise_id, found.user_id), _seat(found))
        state.seats_read.add(exercise_id)
        seat = state.seats.get((exercise_id, user_id))
    return None if seat is None else (known, seat)


_SEAT_ALIASES = tuple(c.label(f"seat_{c.name}") for c in _SEAT.c)
_SEATED = (
    select(*_EXERCISE_COLUMNS, *_SEAT_ALIASES)
    .join(_SEAT, and_(_SEAT.c.exercise_id == _EX.c.id, _SEAT.c.user_id == bindparam("uid")))
    .where(_EX.c.id == bindparam("eid"))
)
_SEATED_LOCKED = _SEATED.with_for_update(of=_EX)


def _seat_of(row: Any) -> SeatRecord:
    return SeatRecord(id=row.seat_id, exercise_id=row.seat_exercise_id, user_id=row.seat_user_id,
                      nation=row.seat_nation, organization=row.seat_organization, role=row.seat_role,
                      clearance=row.seat_clearance)


def seats(session: Session, exercise_id: int) -> list[tuple[SeatRecord, str]]:
    """Every seat of the exercise with its user's name, in the order they were added."""
    tx.flush(session)
    rows = session.execute(select(*_SEAT_COLUMNS, User.name.label("user_name")).join(User, User.id == _SEAT.c.user_id)
                           .where(_SEAT.c.exercise_id == exercise_id).order_by(_SEAT.c.id))
    return [(_seat(r), r.user_name) for r in rows]


def exercises_of(session: Session, user_id: int) -> list[tuple[ExerciseRecord, SeatRecord]]:
    rows = session.execute(select(*_EXERCISE_COLUMNS, *_SEAT_ALIASES).join(_SEAT, _SEAT.c.exercise_id == _EX.c.id)
                           .where(_SEAT.c.user_id == user_id).order_by(_EX.c.id))
    return [(_exercise(r), _seat_of(r)) for r in rows]


def exercise_named(session: Session, c2sim_session: str) -> int | None:
    """The exercise created under this C2SIM session name, if any."""
    return session.execute(select(_EX.c.id).where(_EX.c.c2sim_session == c2sim_session)).scalar()


_CLIENT = table_of(C2simClient)


def c2sim_clients(session: Session, exercise_id: int, active_only: bool = True) -> list[C2simClientRecord]:
    """The C2SIM clients of an exercise's session (the joined ones, unless `active_only` is False)."""
    tx.flush(session)
    stmt = select(*_CLIENT.c).where(_CLIENT.c.exercise_id == exercise_id).order_by(_CLIENT.c.id)
    if active_only:
        stmt = stmt.where(_CLIENT.c.active.is_(True))
    return [C2simClientRecord(r.id, r.exercise_id, r.client_id, r.user_id, r.seat_id, r.display_name,
                              r.system_name, bool(r.active), r.joined_at) for r in session.execute(stmt)]


def latest_entry(session: Session, exercise_id: int, acts: Sequence[str]) -> tuple[int, str, str] | None:
    """The newest log entry of the exercise whose act is one of `acts`: (sequence number, act, data)."""
    tx.flush(session)
    row = session.execute(select(LogEntry.seq, LogEntry.act, LogEntry.data).where(
        LogEntry.exercise_id == exercise_id, LogEntry.act.in_(list(acts))).order_by(LogEntry.seq.desc()).limit(1)).first()
    return None if row is None else (int(row.seq), str(row.act), str(row.data))


def running_with_clockwork(session: Session) -> list[ExerciseRecord]:
    """Exercises whose clock runs and that release injects or grant approvals on it."""
    rows = session.execute(select(*_EXERCISE_COLUMNS).where(
        or_(_EX.c.auto_injects.is_(True), _EX.c.auto_approvals.is_(True)), _EX.c.clock_state == "running"))
    return [_exercise(r) for r in rows]


def messages(session: Session, condition: ColumnElement[bool], after: int = 0, limit: int | None = 200,
             newest_first: bool = False, kind: str | None = None) -> list[MessageRecord]:
    """Messages meeting `condition` with id above `after`, oldest first (or newest first), with labels."""
    tx.flush(session)
    stmt = select(_MSG).where(condition, _MSG.c.id > after)
    if kind:
        stmt = stmt.where(_MSG.c.kind == kind)
    stmt = stmt.order_by(_MSG.c.id.desc() if newest_first else _MSG.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _with_labels(session, list(session.execute(stmt)))


def message_family(session: Session, exercise_id: int, message_id: int) -> list[MessageRecord]:
    """A message, its parent, and every message whose parent is either (an order with its approval tasks)."""
    tx.flush(session)
    head = session.execute(select(_MSG.c.parent_id).where(_MSG.c.id == message_id,
                                                          _MSG.c.exercise_id == exercise_id)).first()
    if head is None:
        return []
    ids = [message_id] if head.parent_id is None else [message_id, head.parent_id]
    stmt = select(_MSG).where(_MSG.c.exercise_id == exercise_id,
                              or_(_MSG.c.id.in_(ids), _MSG.c.parent_id.in_(ids))).order_by(_MSG.c.id)
    return _with_labels(session, list(session.execute(stmt)))


def released_injects(session: Session, exercise_id: int) -> dict[str, int]:
    """Scenario inject id -> the message that released it."""
    tx.flush(session)
    rows = session.execute(select(_MSG.c.inject_id, _MSG.c.id).where(
        _MSG.c.exercise_id == exercise_id, _MSG.c.kind == "inject", _MSG.c.inject_id.is_not(None)))
    return {inject: mid for inject, mid in rows if inject is not None}


def _with_labels(session: Session, rows: Sequence[Row[Any]]) -> list[MessageRecord]:
    labels = _labels(session, [r.id for r in rows])
    return [MessageRecord(
        id=r.id, exercise_id=r.exercise_id, kind=r.kind, status=r.status, sender_seat_id=r.sender_seat_id,
        sender_org=r.sender_org, classification=r.classification, subject=r.subject, body=r.body, action=r.action,
        unit=r.unit, approval=r.approval, parent_id=r.parent_id, inject_id=r.inject_id, verdict=r.verdict,
        situation=r.situation, game_time=r.game_time, decided_at_game=r.decided_at_game,
        recipients=tuple(sorted(labels.get(r.id, ({}, {}))[0])), rel_to=tuple(sorted(labels.get(r.id, ({}, {}))[1])),
    ) for r in rows]


def _labels(session: Session, ids: Iterable[int]) -> dict[int, tuple[set[str], set[str]]]:
    """message id -> (recipients, REL TO nations), in one query."""
    wanted = list(ids)
    if not wanted:
        return {}
    both = union_all(
        select(Recipient.message_id, literal("r").label("part"), Recipient.organization.label("value"))
        .where(Recipient.message_id.in_(wanted)),
        select(Release.message_id, literal("n").label("part"), Release.nation.label("value"))
        .where(Release.message_id.in_(wanted)),
    )
    found: dict[int, tuple[set[str], set[str]]] = {}
    for mid, part, value in session.execute(both):
        found.setdefault(mid, (set(), set()))[0 if part == "r" else 1].add(value)
    return found


def table_rows(session: Session, exercise_id: int) -> tuple[dict[str, Any], dict[int, dict[str, Any]],
                                                            dict[int, dict[str, Any]]]:
    """The exercise's row, seats and messages as plain values (for comparison with its replayed log)."""
    found = exercise(session, exercise_id)
    ex = {} if found is None else {f: getattr(found, f) for f in EXERCISE_FIELDS}
    seat_rows = {s.id: {f: getattr(s, f) for f in SEAT_FIELDS} for s, _ in seats(session, exercise_id)}
    msgs = {m.id: {**{f: getattr(m, f) for f in MESSAGE_FIELDS}, "recipients": list(m.recipients),
                   "rel_to": list(m.rel_to)}
            for m in messages(session, _MSG.c.exercise_id == exercise_id, limit=None)}
    return ex, seat_rows, msgs
