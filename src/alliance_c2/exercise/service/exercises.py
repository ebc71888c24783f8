"""Exercises and seats: creation by a control account, the caller's seat, the clock, the legal situation.

Every act reads what it needs, checks, and hands its changes to `store` once: they become entries of
the exercise's audit log and, through the same entries, rows of its tables (`db.projection`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from ...model import Architecture, ordinary_situation
from ...model.scenario import Scenario
from ..db import projection, queries, tx
from ..db.auditlog import GENESIS
from ..db.projection import Change
from ..db.rows import ExerciseRecord, SeatRecord, UserRecord
from ..db.tables import Exercise, Seat, table_of
from ..db.users import by_name
from . import catalog, clock, session_states
from .errors import ExerciseError, conflict, forbidden, invalid
from .releasability import CLASSIFICATIONS, ROLES, LabelError, clearance_rank

CONTROL_ORG = "exercise-control"
CONTROL_NATION = "CONTROL"
SITUATION_BASES = ("cabinet-decision", "diet-approval")


@dataclass(frozen=True, slots=True)
class Seated:
    """Who acts where: the user, their seat, the exercise as read for this act, and its arrangement.

    `now`: the act's game time, read once, so everything one act stores carries the same instant (an
    order delivered at once by a standing order shows no delay). `acting`: the actor the log names
    when not the user (the clock acting for control). `scenario`: the exercise's scenario, read once
    per process from the bundled catalog.
    """

    user: UserRecord
    seat: SeatRecord
    exercise: ExerciseRecord
    arch: Architecture
    now: float
    acting: str | None = None
    scenario: Scenario | None = None

    @property
    def actor(self) -> str:
        return self.acting or f"{self.user.name}@{self.seat.organization}"

    @property
    def is_control(self) -> bool:
        return self.seat.is_control


def seated(session: Session, exercise_id: int, user: UserRecord, lock: bool = False) -> Seated:
    """The user's seat in the exercise; 404 when the exercise does not exist or the user holds no seat.

    With `lock` (writes) the exercise is locked for the transaction and then kept in its memory.
    """
    found = queries.seated(session, exercise_id, user.id, lock)
    if found is None:
        raise ExerciseError(404, "exercise not found (or you hold no seat in it)")
    exercise, seat = found
    return Seated(user, seat, exercise, catalog.arrangement(exercise.arrangement), clock.game_seconds(exercise),
                  scenario=catalog.scenario_of(exercise.scenario))


def store(session: Session, who: Seated, changes: Sequence[Change]) -> ExerciseRecord:
    """Log `changes` as `who` at the act's game time and queue them for the tables; the exercise afterwards."""
    return projection.save(session, tx.held(session, who.exercise.id), who.actor, who.now, changes)


def require_control(who: Seated) -> None:
    if not who.is_control:
        raise forbidden("only the exercise control cell may do this")


def require_sender(who: Seated) -> None:
    if who.seat.role == "observer":
        raise forbidden("observers cannot send")


def create_exercise(
    session: Session, user: UserRecord, name: str, arch_id: str, scenario_id: str | None, situation: str | None,
    reforms: list[str], auto_injects: bool = False, auto_approvals: bool = False, c2sim_session: str | None = None,
    c2sim_schema: str = "2.0.0", c2sim_description: str = "",
) -> Seated:
    """A new exercise whose creator holds its control seat; every reference is checked first.

    `c2sim_session`: the C2SIM shared session name it is created under (else it is `exercise-<id>`)."""
    if not user.control:
        raise forbidden("only control accounts create exercises (on the server: alliance-c2 users add NAME --control)")
    arch = catalog.arrangement(arch_id)
    scenario = catalog.scenario_of(scenario_id)
    start = situation or (scenario.situation if scenario is not None else ordinary_situation())
    catalog.check_situation(start)
    catalog.check_reforms(reforms)
    exercise = ExerciseRecord(
        id=tx.next_id(session, table_of(Exercise)), name=name, arrangement=arch.id, scenario=scenario_id,
        situation=start, reforms=tuple(sorted(set(reforms))), created_by=user.id, clock_state="ready",
        clock_speed=1.0, clock_anchor_wall=0.0, clock_anchor_game=0.0,
        auto_injects=auto_injects and scenario is not None, auto_approvals=auto_approvals, log_count=0,
        log_head=GENESIS, uid=uuid.uuid4().hex, c2sim_session=c2sim_session, c2sim_schema=c2sim_schema,
        c2sim_description=c2sim_description,
    )
    seat = SeatRecord(id=tx.next_id(session, table_of(Seat)), exercise_id=exercise.id, user_id=user.id,
                      nation=CONTROL_NATION, organization=CONTROL_ORG, role="control",
                      clearance=len(CLASSIFICATIONS) - 1)
    tx.hold(session, exercise)
    who = Seated(user, seat, exercise, arch, 0.0, scenario=scenario)
    stored = store(session, who, [projection.exercise_created("exercise.created", exercise),
                                        projection.seat_added("seat.added", seat, user=user.name)])
    return replace(who, exercise=stored)


def exercises_of(session: Session, user: UserRecord) -> list[tuple[ExerciseRecord, SeatRecord]]:
    return queries.exercises_of(session, user.id)


def seats(session: Session, who: Seated) -> list[tuple[SeatRecord, str]]:
    return queries.seats(session, who.exercise.id)


def add_seat(session: Session, who: Seated, user_name: str, organization: str | None, role: str,
             clearance: str) -> SeatRecord:
    """Seat a user in the exercise: bound to an organization (and so its nation), a role and a clearance."""
    require_control(who)
    if role not in ROLES:
        raise invalid(f"role {role!r} unknown; choose from: {', '.join(ROLES)}")
    found = by_name(session, user_name)
    if found is None or not found[0].active:
        raise invalid(f"user {user_name!r} does not exist (create it with `alliance-c2 users add`)")
    user = found[0]
    org, nation = _seat_position(who.arch, organization, role)
    if any(s.user_id == user.id for s, _ in queries.seats(session, who.exercise.id)):
        raise conflict(f"user {user_name!r} already holds a seat in this exercise")
    try:
        rank = clearance_rank(clearance)
    except LabelError as exc:
        raise invalid(str(exc)) from None
    seat = SeatRecord(id=tx.next_id(session, table_of(Seat)), exercise_id=who.exercise.id, user_id=user.id,
                      nation=nation, organization=org, role=role, clearance=rank)
    store(session, who, [projection.seat_added("seat.added", seat, user=user_name)])
    return seat


def change_clock(session: Session, who: Seated, action: clock.ClockAction, speed: float | None) -> ExerciseRecord:
    require_control(who)
    try:
        after = clock.changed(who.exercise, action, speed)
    except clock.ClockError as exc:
        raise conflict(str(exc)) from None
    after = replace(after, c2sim_state=session_states.after_clock(after.c2sim_state, action))
    return _change(session, who, f"clock.{action}", after, speed=after.clock_speed)


def change_situation(session: Session, who: Seated, situation: str, basis: str, note: str) -> ExerciseRecord:
    """The modeled Cabinet decision or Diet approval that moves the exercise to a new legal situation."""
    require_control(who)
    catalog.check_situation(situation)
    if basis not in SITUATION_BASES:
        raise invalid(f"basis {basis!r} unknown; choose from: {', '.join(SITUATION_BASES)}")
    after = replace(who.exercise, situation=situation)
    return _change(session, who, "situation.changed", after, **{"from": who.exercise.situation, "to": situation,
                                                                "basis": basis, "note": note})


def set_auto_injects(session: Session, who: Seated, enabled: bool) -> ExerciseRecord:
    """Control switches the release of scenario injects on the clock on or off."""
    require_control(who)
    if enabled and not who.exercise.scenario:
        raise invalid("this exercise has no scenario, so there are no injects to release on the clock")
    return _change(session, who, "injects.auto", replace(who.exercise, auto_injects=enabled), enabled=enabled)


def set_auto_approvals(session: Session, who: Seated, enabled: bool) -> ExerciseRecord:
    """Control switches on or off the granting, on the clock, of approvals that no seat holds."""
    require_control(who)
    return _change(session, who, "approvals.auto", replace(who.exercise, auto_approvals=enabled), enabled=enabled)


def _change(session: Session, who: Seated, act: str, after: ExerciseRecord, **description: Any) -> ExerciseRecord:
    return store(session, who, [projection.exercise_changed(act, who.exercise, after, **description)])


def as_control(session: Session, exercise_id: int, acting: str) -> Seated | None:
    """The exercise (locked) as its first control seat, with the log naming `acting`; None if it is gone."""
    control = next(((s, name) for s, name in queries.seats(session, exercise_id) if s.is_control), None)
    if control is None:
        return None
    seat, name = control
    exercise = queries.lock_exercise(session, exercise_id)
    if exercise is None:
        return None
    return Seated(UserRecord(seat.user_id, name), seat, exercise, catalog.arrangement(exercise.arrangement),
                  clock.game_seconds(exercise), acting, catalog.scenario_of(exercise.scenario))


def _seat_position(arch: Architecture, organization: str | None, role: str) -> tuple[str, str]:
    if role == "control":
        return CONTROL_ORG, CONTROL_NATION
    if not organization or organization not in arch.organizations:
        raise invalid(
            f"organization {organization!r} not in {arch.id}; choose from: {', '.join(sorted(arch.organizations))}"
        )
    return organization, arch.organizations[organization].nation
