"""The exercise's rows as typed values: what the service reads, changes in memory and hands back.

Plain frozen dataclasses, never attached to a session: a write that is refused half-way leaves no
changed object behind. Loading them is `queries.py`; writing them is `projection.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EXERCISE_FIELDS = ("name", "arrangement", "scenario", "situation", "reforms", "created_by", "clock_state",
                   "clock_speed", "clock_anchor_wall", "clock_anchor_game", "auto_injects", "auto_approvals", "uid",
                   "c2sim_session", "c2sim_state", "c2sim_schema", "c2sim_description")
# Fields the logs of older exercises do not state (the uid; the C2SIM session's).
LATER_EXERCISE_FIELDS = frozenset({"uid", "c2sim_session", "c2sim_state", "c2sim_schema", "c2sim_description"})
SEAT_FIELDS = ("user_id", "nation", "organization", "role", "clearance")
MESSAGE_FIELDS = ("kind", "status", "sender_seat_id", "sender_org", "classification", "subject", "body", "action",
                  "unit", "approval", "parent_id", "inject_id", "verdict", "situation", "game_time", "decided_at_game")


@dataclass(frozen=True, slots=True)
class ExerciseRecord:
    id: int
    name: str
    arrangement: str
    scenario: str | None
    situation: str
    reforms: tuple[str, ...]
    created_by: int
    clock_state: str
    clock_speed: float
    clock_anchor_wall: float
    clock_anchor_game: float
    auto_injects: bool
    auto_approvals: bool
    log_count: int
    log_head: str
    uid: str = ""
    legacy_anchor: bool = False
    c2sim_session: str | None = None
    c2sim_state: str = "UNINITIALIZED"
    c2sim_schema: str = "2.0.0"
    c2sim_description: str = ""

    def values(self) -> dict[str, Any]:
        """The fields the log records (`EXERCISE_FIELDS`), JSON-ready."""
        return {f: list(self.reforms) if f == "reforms" else getattr(self, f) for f in EXERCISE_FIELDS}


@dataclass(frozen=True, slots=True)
class SeatRecord:
    id: int
    exercise_id: int
    user_id: int
    nation: str
    organization: str
    role: str
    clearance: int

    @property
    def is_control(self) -> bool:
        return self.role == "control"

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in SEAT_FIELDS}


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    name: str
    control: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """A message with its recipients and REL TO nations (both sorted)."""

    id: int
    exercise_id: int
    kind: str
    status: str
    sender_seat_id: int | None
    sender_org: str
    classification: int
    subject: str
    body: str
    action: str | None
    unit: str | None
    approval: str | None
    parent_id: int | None
    inject_id: str | None
    verdict: Mapping[str, Any] | None  # a `auditlog.Canonical` for an order just planned
    situation: str
    game_time: float
    decided_at_game: float | None
    recipients: tuple[str, ...] = ()
    rel_to: tuple[str, ...] = ()

    def values(self) -> dict[str, Any]:
        """Every field the log records for a new message (`MESSAGE_FIELDS`, recipients, REL TO)."""
        return {**{f: getattr(self, f) for f in MESSAGE_FIELDS},
                "recipients": list(self.recipients), "rel_to": list(self.rel_to)}


@dataclass(frozen=True, slots=True)
class C2simClientRecord:
    """A C2SIM client joined (or once joined: `active` False after it resigned) to an exercise's session."""

    id: int
    exercise_id: int
    client_id: str
    user_id: int
    seat_id: int
    display_name: str
    system_name: str
    active: bool
    joined_at: str

    def values(self) -> dict[str, Any]:
        return {"client_id": self.client_id, "user_id": self.user_id, "seat_id": self.seat_id,
                "display_name": self.display_name, "system_name": self.system_name, "active": self.active,
                "joined_at": self.joined_at}
