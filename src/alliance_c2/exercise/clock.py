"""The exercise clock: game time in seconds since start, running at a speed, paused and resumed.

The clock is stored as an anchor (wall time and game time at the last change) plus the speed,
so every server process computes the same game time without a ticking task.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from .store import Exercise

ClockAction = Literal["start", "pause", "resume", "speed"]
MAX_SPEED = 3600.0


class ClockError(ValueError):
    """A clock change that does not fit the clock's state (e.g. pausing a paused clock)."""


@dataclass(frozen=True, slots=True)
class ClockState:
    state: str
    speed: float
    game_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "speed": self.speed, "game_seconds": round(self.game_seconds, 3)}


def game_seconds(exercise: Exercise, now: float | None = None) -> float:
    """Game time now; frozen while ready or paused."""
    if exercise.clock_state != "running":
        return exercise.clock_anchor_game
    wall = time.time() if now is None else now
    return exercise.clock_anchor_game + max(0.0, wall - exercise.clock_anchor_wall) * exercise.clock_speed


def state(exercise: Exercise, now: float | None = None) -> ClockState:
    return ClockState(exercise.clock_state, exercise.clock_speed, game_seconds(exercise, now))


def change(exercise: Exercise, action: ClockAction, speed: float | None = None, now: float | None = None) -> None:
    """Apply a control-cell clock action to the exercise row (the caller commits and logs it)."""
    wall = time.time() if now is None else now
    current = game_seconds(exercise, wall)
    if speed is not None and not 0 < speed <= MAX_SPEED:
        raise ClockError(f"speed must be above 0 and at most {MAX_SPEED:g}")
    allowed = {"start": ("ready",), "pause": ("running",), "resume": ("paused",), "speed": ("ready", "running", "paused")}
    if exercise.clock_state not in allowed[action]:
        raise ClockError(f"cannot {action} the clock while it is {exercise.clock_state}")
    exercise.clock_anchor_game = current
    exercise.clock_anchor_wall = wall
    if speed is not None:
        exercise.clock_speed = speed
    if action in ("start", "resume"):
        exercise.clock_state = "running"
    elif action == "pause":
        exercise.clock_state = "paused"
