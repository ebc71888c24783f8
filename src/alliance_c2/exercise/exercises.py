"""Exercises and seats: creation by a control cell, the seat context of a request, the clock and the
legal situation. Every change is appended to the exercise's audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import Architecture, bundled_architectures, load_architecture
from . import auditlog, clock
from .errors import ExerciseError, conflict, forbidden, invalid
from .releasability import CLASSIFICATIONS, ROLES, clearance_rank
from .store import Exercise, Seat, User, load_seated

CONTROL_ORG = "exercise-control"
CONTROL_NATION = "CONTROL"
SITUATION_BASES = ("cabinet-decision", "diet-approval")


@dataclass(slots=True)
class Context:
    """Who acts in which exercise: the request's user, their seat and the arrangement."""

    session: Session
    exercise: Exercise
    seat: Seat
    user: User
    arch: Architecture
    # message id -> (recipients, REL TO) of messages stored in this transaction, so views need no re-read
    known: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)
    game_time: float | None = None  # the act's one instant, fixed at its first reading
    acting: str | None = None  # the actor the log names when not the user (the clock releasing injects)

    @property
    def actor(self) -> str:
        return self.acting or f"{self.user.name}@{self.seat.organization}"

    @property
    def is_control(self) -> bool:
        return self.seat.role == "control"

    def now(self) -> float:
        """The game time of this act: read once, so everything one act stores carries the same instant
        (an order delivered at once by a standing order shows no delay)."""
        if self.game_time is None:
            self.game_time = clock.game_seconds(self.exercise)
        return self.game_time

    def record(self, act: str, data: dict[str, Any]) -> None:
        auditlog.append(self.session, self.exercise, self.actor, act, data, self.now())


@lru_cache(maxsize=32)
def arrangement(arch_id: str) -> Architecture:
    """A bundled arrangement (the web service never opens user paths)."""
    ids = list(bundled_architectures())
    if arch_id not in ids:
        raise invalid(f"arrangement {arch_id!r} unknown; choose from: {', '.join(ids)}")
    return load_architecture(arch_id)


def situations() -> tuple[str, ...]:
    from ..law import default_catalog

    return tuple(default_catalog().situations)


def create_exercise(
    session: Session,
    user: User,
    name: str,
    arch_id: str,
    scenario_id: str | None,
    situation: str | None,
    reforms: list[str],
    auto_injects: bool = False,
    auto_approvals: bool = False,
) -> Context:
    """A new exercise whose creator holds its control seat."""
    arch = arrangement(arch_id)
    start = situation or (_scenario(scenario_id).situation if scenario_id else "peacetime")
    _check_situation(start)
    _check_reforms(reforms)
    exercise = Exercise(
        name=name, arrangement=arch.id, scenario=scenario_id, situation=start, reforms=sorted(set(reforms)),
        created_by=user.id, clock_state="ready", clock_speed=1.0, clock_anchor_wall=0.0, clock_anchor_game=0.0,
        log_count=0, log_head=auditlog.GENESIS, auto_injects=auto_injects and scenario_id is not None,
        auto_approvals=auto_approvals,
    )
    session.add(exercise)
    session.flush()
    seat = Seat(
        exercise_id=exercise.id, user_id=user.id, nation=CONTROL_NATION, organization=CONTROL_ORG,
        role="control", clearance=len(CLASSIFICATIONS) - 1,
    )
    session.add(seat)
    session.flush()
    ctx = Context(session, exercise, seat, user, arch)
    ctx.record("exercise.created", {
        "name": name, "arrangement": arch.id, "scenario": scenario_id, "situation": start, "reforms": exercise.reforms,
        "auto_injects": exercise.auto_injects, "auto_approvals": auto_approvals,
    })
    ctx.record("seat.added", _seat_data(seat, user.name))
    return ctx


def context(session: Session, exercise_id: int, user: User, lock: bool = False) -> Context:
    """The user's seat in the exercise; 404 when the exercise does not exist or the user has no seat.

    One query reads the exercise (locked for the transaction when `lock`) together with the seat;
    a locked pair is remembered for the rest of the transaction (several writes share one, see
    `writer`), which forgets it when a write is rolled back.
    """
    remembered: dict[tuple[int, int], tuple[Exercise, Seat]] = session.info.setdefault(_SEATED, {})
    found = remembered.get((exercise_id, user.id)) if lock else None
    if found is None:
        found = load_seated(session, exercise_id, user.id, lock)
        if found is None:
            raise ExerciseError(404, "exercise not found (or you hold no seat in it)")
        if lock:
            remembered[(exercise_id, user.id)] = found
    exercise, seat = found
    return Context(session, exercise, seat, user, arrangement(exercise.arrangement))


_SEATED = "ac2_seated"  # Session.info key: (exercise id, user id) -> (exercise, seat), locked in this transaction


def require_control(ctx: Context) -> None:
    if not ctx.is_control:
        raise forbidden("only the exercise control cell may do this")


def require_sender(ctx: Context) -> None:
    if ctx.seat.role == "observer":
        raise forbidden("observers cannot send")


def exercises_of(session: Session, user: User) -> list[tuple[Exercise, Seat]]:
    rows = session.execute(
        select(Exercise, Seat).join(Seat, Seat.exercise_id == Exercise.id).where(Seat.user_id == user.id)
        .order_by(Exercise.id)
    )
    return [(e, s) for e, s in rows]


def seats(ctx: Context) -> list[tuple[Seat, str]]:
    rows = ctx.session.execute(
        select(Seat, User.name).join(User, User.id == Seat.user_id)
        .where(Seat.exercise_id == ctx.exercise.id).order_by(Seat.id)
    )
    return [(s, n) for s, n in rows]


def add_seat(ctx: Context, user_name: str, organization: str | None, role: str, clearance: str) -> Seat:
    """Seat a user in the exercise: bound to an organization (and so its nation), a role and a clearance."""
    require_control(ctx)
    if role not in ROLES:
        raise invalid(f"role {role!r} unknown; choose from: {', '.join(ROLES)}")
    user = ctx.session.execute(select(User).where(User.name == user_name)).scalar_one_or_none()
    if user is None:
        raise invalid(f"user {user_name!r} does not exist (create it with `alliance-c2 users add`)")
    org, nation = _seat_position(ctx.arch, organization, role)
    taken = ctx.session.execute(
        select(Seat.id).where(Seat.exercise_id == ctx.exercise.id, Seat.user_id == user.id)
    ).first()
    if taken:
        raise conflict(f"user {user_name!r} already holds a seat in this exercise")
    try:
        rank = clearance_rank(clearance)
    except ValueError as exc:
        raise invalid(str(exc)) from None
    seat = Seat(exercise_id=ctx.exercise.id, user_id=user.id, nation=nation, organization=org, role=role, clearance=rank)
    ctx.session.add(seat)
    ctx.session.flush()
    ctx.record("seat.added", _seat_data(seat, user_name))
    return seat


def change_clock(ctx: Context, action: clock.ClockAction, speed: float | None) -> None:
    require_control(ctx)
    try:
        clock.change(ctx.exercise, action, speed)
    except clock.ClockError as exc:
        raise conflict(str(exc)) from None
    ctx.record(f"clock.{action}", {"speed": ctx.exercise.clock_speed})


def set_auto_injects(ctx: Context, enabled: bool) -> None:
    """Control switches the release of scenario injects on the clock on or off."""
    require_control(ctx)
    if enabled and not ctx.exercise.scenario:
        raise invalid("this exercise has no scenario, so there are no injects to release on the clock")
    ctx.exercise.auto_injects = enabled
    ctx.record("injects.auto", {"enabled": enabled})


def set_auto_approvals(ctx: Context, enabled: bool) -> None:
    """Control switches on or off the granting, on the clock, of approvals that no seat holds."""
    require_control(ctx)
    ctx.exercise.auto_approvals = enabled
    ctx.record("approvals.auto", {"enabled": enabled})


def control_context(session: Session, exercise_id: int, acting: str) -> Context | None:
    """The exercise (locked) as its first control seat, with the log naming `acting`; None if it is gone."""
    found = session.execute(
        select(Seat, User).join(User, User.id == Seat.user_id)
        .where(Seat.exercise_id == exercise_id, Seat.role == "control").order_by(Seat.id).limit(1)
    ).first()
    if found is None:
        return None
    ctx = context(session, exercise_id, found[1], lock=True)
    ctx.acting = acting
    return ctx


def change_situation(ctx: Context, situation: str, basis: str, note: str) -> None:
    """The modeled Cabinet decision or Diet approval that moves the exercise to a new legal situation."""
    require_control(ctx)
    _check_situation(situation)
    if basis not in SITUATION_BASES:
        raise invalid(f"basis {basis!r} unknown; choose from: {', '.join(SITUATION_BASES)}")
    previous = ctx.exercise.situation
    ctx.exercise.situation = situation
    ctx.record("situation.changed", {"from": previous, "to": situation, "basis": basis, "note": note})


def _seat_position(arch: Architecture, organization: str | None, role: str) -> tuple[str, str]:
    if role == "control":
        return CONTROL_ORG, CONTROL_NATION
    if not organization or organization not in arch.organizations:
        raise invalid(
            f"organization {organization!r} not in {arch.id}; choose from: {', '.join(sorted(arch.organizations))}"
        )
    return organization, arch.organizations[organization].nation


def _seat_data(seat: Seat, user_name: str) -> dict[str, Any]:
    return {
        "seat": seat.id, "user": user_name, "organization": seat.organization, "nation": seat.nation,
        "role": seat.role, "clearance": CLASSIFICATIONS[seat.clearance],
    }


def _check_situation(situation: str) -> None:
    known = situations()
    if situation not in known:
        raise invalid(f"situation {situation!r} unknown; choose from: {', '.join(known)}")


def _check_reforms(reforms: list[str]) -> None:
    from ..law import default_catalog

    known = default_catalog().reforms
    unknown = [r for r in reforms if r not in known]
    if unknown:
        raise invalid(f"reform(s) {', '.join(unknown)} unknown; choose from: {', '.join(known)}")


@lru_cache(maxsize=32)
def _scenario(scenario_id: str) -> Any:
    """A bundled scenario (files shipped with the package, so read once per process)."""
    from ..sim.catalog import load_scenario, scenario_ids

    if scenario_id not in scenario_ids():
        raise invalid(f"scenario {scenario_id!r} unknown; choose from: {', '.join(scenario_ids())}")
    return load_scenario(scenario_id)


def scenario_of_id(scenario_id: str) -> Any:
    """A bundled scenario by id (sim.catalog.Scenario); 422 when unknown."""
    return _scenario(scenario_id)


def scenario_of(exercise: Exercise) -> Any:
    """The exercise's scenario (sim.catalog.Scenario), or None."""
    return _scenario(exercise.scenario) if exercise.scenario else None
