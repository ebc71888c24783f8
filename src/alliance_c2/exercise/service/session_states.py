"""The C2SIM shared session's state machine, and how it moves the exercise clock.

States and triggers as the reference server's page names them (server-interface/state-machine.md):
UNINITIALIZED → INITIALIZING (SubmitInitialization) → INITIALIZED (ShareScenario) → RUNNING
(StartScenario) ⇄ PAUSED (PauseScenario, ResumeScenario); StopScenario returns a running or paused
session to INITIALIZED and ResetScenario any session to UNINITIALIZED. The page gives no diagram in
text, so which states each trigger leaves from is this project's reading of it (docs/exercise.md).
The control page's clock buttons move the state too (start and resume: RUNNING, pause: PAUSED), so the
pages and the C2SIM clients always see the same state.
"""

from __future__ import annotations

from dataclasses import dataclass

STATES = ("UNINITIALIZED", "INITIALIZING", "INITIALIZED", "RUNNING", "PAUSED")
DEFAULT_STATE = "UNINITIALIZED"


@dataclass(frozen=True, slots=True)
class Trigger:
    """A C2SIM system message that moves the session: the states it may come in, the state it leaves."""

    name: str
    sources: tuple[str, ...]
    target: str


TRIGGERS: dict[str, Trigger] = {t.name: t for t in (
    Trigger("SubmitInitialization", ("UNINITIALIZED",), "INITIALIZING"),
    Trigger("InitializationComplete", ("INITIALIZING",), "INITIALIZING"),
    Trigger("ShareScenario", ("INITIALIZING",), "INITIALIZED"),
    Trigger("StartScenario", ("INITIALIZED",), "RUNNING"),
    Trigger("PauseScenario", ("RUNNING",), "PAUSED"),
    Trigger("ResumeScenario", ("PAUSED",), "RUNNING"),
    Trigger("StopScenario", ("RUNNING", "PAUSED"), "INITIALIZED"),
    Trigger("ResetScenario", STATES, "UNINITIALIZED"),
)}


class StateError(ValueError):
    """A trigger the session's state does not allow."""


def after(state: str, trigger: str) -> str:
    """The state after `trigger`; StateError when the state does not allow it."""
    found = TRIGGERS[trigger]
    if state not in found.sources:
        raise StateError(f"{trigger} is not allowed while the session is {state} "
                         f"(only from {', '.join(found.sources)})")
    return found.target


def clock_action(trigger: str, clock_state: str) -> str | None:
    """What the exercise clock does on `trigger`, given its state (`ready`, `running`, `paused`): start,
    pause, resume, or nothing (None). The clock keeps its game time through a stop or a reset, so the
    record's game times never run backwards."""
    target = TRIGGERS[trigger].target
    if target == "RUNNING" and trigger in ("StartScenario", "ResumeScenario"):
        return {"ready": "start", "paused": "resume"}.get(clock_state)
    if trigger in ("PauseScenario", "StopScenario", "ResetScenario") and clock_state == "running":
        return "pause"
    return None


def after_clock(state: str, action: str) -> str:
    """The session's state after control moves the clock on the page (start/resume, pause, speed)."""
    return {"start": "RUNNING", "resume": "RUNNING", "pause": "PAUSED"}.get(action, state)
