"""The exercise clock: game time in seconds since start, running at a speed, paused and resumed.

The clock is stored as an anchor (wall time and game time at the last change) plus the speed,
so every server process computes the same game time without a ticking task.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..db.rows import ExerciseRecord

ClockAction = Literal["start", "pause", "resume", "speed"]
MAX_SPEED = 3600.0
_ALLOWED = {"start": ("ready",), "pause": ("running",), "resume": ("paused",), "speed": ("ready", "running", "paused")}


class ClockError(ValueError):
    """A clock change that does not fit the clock's state (e.g. pausing a paused clock)."""


@dataclass(frozen=True, slots=True)
class ClockState:
    state: str
    speed: float
    game_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "speed": self.speed, "game_seconds": round(self.game_seconds, 3)}


def game_seconds(exercise: ExerciseRecord, now: float | None = None) -> float:
    """Game time now; frozen while ready or paused."""
    if exercise.clock_state != "running":
        return exercise.clock_anchor_game
    wall = time.time() if now is None else now
    return exercise.clock_anchor_game + max(0.0, wall - exercise.clock_anchor_wall) * exercise.clock_speed


def state(exercise: ExerciseRecord, now: float | None = None) -> ClockState:
    return ClockState(exercise.clock_state, exercise.clock_speed, game_seconds(exercise, now))


def changed(exercise: ExerciseRecord, action: ClockAction, speed: float | None = None,
            now: float | None = None) -> ExerciseRecord:
    """The exercise after a control-cell clock action (ClockError when the clock's state forbids it)."""
    wall = time.time() if now is None else now
    if speed is not None and not 0 < speed <= MAX_SPEED:
        raise ClockError(f"speed must be above 0 and at most {MAX_SPEED:g}")
    if exercise.clock_state not in _ALLOWED[action]:
        raise ClockError(f"cannot {action} the clock while it is {exercise.clock_state}")
    running = {"start": "running", "resume": "running", "pause": "paused"}.get(action, exercise.clock_state)
    return replace(exercise, clock_anchor_game=game_seconds(exercise, wall), clock_anchor_wall=wall,
                   clock_speed=exercise.clock_speed if speed is None else speed, clock_state=running)
