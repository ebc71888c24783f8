"""Pydantic models of the HTTP API: what requests may carry and what responses look like."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Id = Field(ge=1, le=2**31 - 1)
OrgId = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
Nation = Field(min_length=2, max_length=8, pattern=r"^[A-Za-z]{2,8}$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginIn(_In):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginOut(BaseModel):
    token: str
    csrf: str
    user: str


class ExerciseIn(_In):
    name: str = Field(min_length=1, max_length=200)
    arrangement: str = Field(min_length=1, max_length=100)
    scenario: str | None = Field(default=None, max_length=100)
    situation: str | None = Field(default=None, max_length=64)
    reforms: list[str] = Field(default=[], max_length=20)
    auto_injects: bool = Field(default=False, description="release the scenario's injects when the clock reaches them")
    auto_approvals: bool = Field(
        default=False,
        description="grant approvals that no seat holds once the approval's typical duration has passed in game time",
    )


class SwitchIn(_In):
    enabled: bool


class GrantUnseatedIn(_In):
    note: str = Field(default="", max_length=2000)


class SeatIn(_In):
    user: str = Field(min_length=1, max_length=64)
    organization: str | None = Field(default=None, max_length=100)
    role: Literal["control", "player", "observer"] = "player"
    clearance: Literal["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"] = "UNCLASSIFIED"


class SeatOut(BaseModel):
    id: int
    user: str
    nation: str
    organization: str
    role: str
    clearance: str


class ClockIn(_In):
    action: Literal["start", "pause", "resume", "speed"]
    speed: float | None = Field(default=None, gt=0, le=3600)


class ClockOut(BaseModel):
    state: str
    speed: float
    game_seconds: float


class SituationIn(_In):
    situation: str = Field(min_length=1, max_length=64)
    basis: Literal["cabinet-decision", "diet-approval"]
    note: str = Field(default="", max_length=2000)


class ExerciseOut(BaseModel):
    id: int
    name: str
    arrangement: str
    scenario: str | None
    situation: str
    reforms: list[str]
    auto_injects: bool
    auto_approvals: bool
    clock: ClockOut
    seat: SeatOut


class LabelIn(_In):
    classification: Literal["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"] = "UNCLASSIFIED"
    rel_to: list[str] = Field(min_length=1, max_length=16)


class OrderIn(LabelIn):
    action: str = Field(min_length=1, max_length=64)
    unit: str = Field(min_length=1, max_length=100)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(default="", max_length=20_000)
    as_organization: str | None = Field(default=None, max_length=100)
    reply_to: int | None = Field(default=None, ge=1, le=2**31 - 1)


class PreviewIn(_In):
    action: str = Field(min_length=1, max_length=64)
    unit: str = Field(min_length=1, max_length=100)
    as_organization: str | None = Field(default=None, max_length=100)


class MessageIn(LabelIn):
    kind: Literal["request", "report"]
    recipients: list[str] = Field(min_length=1, max_length=64)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(default="", max_length=20_000)
    as_organization: str | None = Field(default=None, max_length=100)
    reply_to: int | None = Field(default=None, ge=1, le=2**31 - 1)


class InjectIn(_In):
    inject_id: str | None = Field(default=None, max_length=100)
    recipients: list[str] = Field(default=[], max_length=64)
    subject: str | None = Field(default=None, max_length=300)
    body: str = Field(default="", max_length=20_000)
    classification: Literal["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"] | None = None
    rel_to: list[str] = Field(default=[], max_length=16)


class DecisionIn(_In):
    decision: Literal["grant", "deny"]
    note: str = Field(default="", max_length=2000)


class MessageOut(BaseModel):
    id: int
    kind: str
    status: str
    sender: str
    recipients: list[str]
    classification: str
    rel_to: list[str]
    marking: str
    subject: str
    body: str
    action: str | None
    unit: str | None
    approval: str | None
    parent_id: int | None
    inject_id: str | None
    situation: str
    game_time: float
    decided_at_game: float | None
    verdict: dict[str, Any] | None


class PreviewOut(BaseModel):
    allowed: bool
    reasons: list[str]
    reasons_ja: list[str]
    approvals: list[dict[str, Any]]
    deliver_to: list[str]
    verdict: dict[str, Any]


class LogEntryOut(BaseModel):
    seq: int
    at: str
    game_time: float
    actor: str
    act: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class VerifyOut(BaseModel):
    ok: bool
    entries: int
    bad_seq: int | None
    reason: str


class Problem(BaseModel):
    detail: str
