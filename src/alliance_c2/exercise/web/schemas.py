"""Pydantic models of the HTTP API: what requests may carry and what responses look like.

Every text a request carries is `Text`, which shows what it is: NUL and the other C0 and C1 control
characters are refused (422) on every database alike, except tab, line feed and carriage return (a
browser's line ends), and so are the invisible format characters (Unicode category Cf: bidirectional
embeddings, overrides and isolates, direction marks, zero-width characters, the byte-order mark, tag
characters ...) and the line and paragraph separators U+2028 and U+2029, which could make a text
render reversed or start a line where none shows. The subject, body and note of a message are
`Prose`: beyond that, a line may not read as a classification marking (`SECRET //`, `REL TO JPN`,
`【秘】` ...), which only the classification field gives.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode's format characters (Cf) and the line and paragraph separators (Zl, Zp)
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_MARKING = re.compile(
    r"^\s*(?:(?:TOP\s+)?SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED)\s*(?://|/|REL\s*TO\b)"
    r"|\bREL(?:EASABLE)?\s*TO\s*:?\s*[A-Z]{2,3}\b"
    r"|^\s*[【\[(（〔]\s*(?:特定秘密|極秘|秘|取扱注意|注意)\s*[】\])）〕]",
    re.IGNORECASE | re.MULTILINE)


def no_controls(value: str) -> str:
    """`value` unless it holds a control character other than tab and line ends, or an invisible format
    character or line separator."""
    found = _CONTROL.search(value) or _INVISIBLE.search(value)
    if found:
        char = found.group()
        name = unicodedata.name(char, "a control character")
        raise ValueError(f"U+{ord(char):04X} ({name}) at position {found.start()} is not allowed: control, "
                         "invisible and direction-changing characters are refused (tab and line breaks are allowed)")
    return value


def no_marking(value: str) -> str:
    """`value` unless one of its lines reads as a classification marking."""
    found = _MARKING.search(unicodedata.normalize("NFKC", value))
    if found:
        raise ValueError(f"{found.group().strip()!r} reads as a classification marking; markings come from the "
                         "classification field alone")
    return value


Text = Annotated[str, AfterValidator(no_controls)]
Prose = Annotated[str, AfterValidator(no_controls), AfterValidator(no_marking)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Classification = Literal["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"]


class LoginIn(_In):
    name: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=256)


class LoginOut(BaseModel):
    token: str
    csrf: str
    user: str


class ExerciseIn(_In):
    name: Text = Field(min_length=1, max_length=200)
    arrangement: Text = Field(min_length=1, max_length=100)
    scenario: Text | None = Field(default=None, max_length=100)
    situation: Text | None = Field(default=None, max_length=64)
    reforms: list[Text] = Field(default=[], max_length=20)
    auto_injects: bool = Field(default=False, description="release the scenario's injects when the clock reaches them")
    auto_approvals: bool = Field(
        default=False,
        description="grant approvals that no seat holds once the approval's typical duration has passed in game time",
    )


class SwitchIn(_In):
    enabled: bool


class GrantUnseatedIn(_In):
    note: Prose = Field(default="", max_length=2000)


class SeatIn(_In):
    user: Text = Field(min_length=1, max_length=64)
    organization: Text | None = Field(default=None, max_length=100)
    role: Literal["control", "player", "observer"] = "player"
    clearance: Classification = "UNCLASSIFIED"


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
    situation: Text = Field(min_length=1, max_length=64)
    basis: Literal["cabinet-decision", "diet-approval"]
    note: Prose = Field(default="", max_length=2000)


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
    classification: Classification = "UNCLASSIFIED"
    rel_to: list[Text] = Field(min_length=1, max_length=16)


class OrderIn(LabelIn):
    action: Text = Field(min_length=1, max_length=64)
    unit: Text = Field(min_length=1, max_length=100)
    subject: Prose = Field(min_length=1, max_length=300)
    body: Prose = Field(default="", max_length=20_000)
    as_organization: Text | None = Field(default=None, max_length=100)
    reply_to: int | None = Field(default=None, ge=1, le=2**31 - 1)


class PreviewIn(_In):
    """An order to preview: what matters is action, unit and (control) the organization it is given as;
    the rest of an order's body (subject, text, label, reply) is accepted as the order form sends it."""

    action: Text = Field(min_length=1, max_length=64)
    unit: Text = Field(min_length=1, max_length=100)
    as_organization: Text | None = Field(default=None, max_length=100)
    subject: Prose | None = Field(default=None, max_length=300)
    body: Prose = Field(default="", max_length=20_000)
    classification: Classification | None = None
    rel_to: list[Text] = Field(default=[], max_length=16)
    reply_to: int | None = Field(default=None, ge=1, le=2**31 - 1)


class MessageIn(LabelIn):
    kind: Literal["request", "report"]
    recipients: list[Text] = Field(min_length=1, max_length=64)
    subject: Prose = Field(min_length=1, max_length=300)
    body: Prose = Field(default="", max_length=20_000)
    as_organization: Text | None = Field(default=None, max_length=100)
    reply_to: int | None = Field(default=None, ge=1, le=2**31 - 1)


class InjectIn(_In):
    inject_id: Text | None = Field(default=None, max_length=100)
    recipients: list[Text] = Field(default=[], max_length=64)
    subject: Prose | None = Field(default=None, max_length=300)
    body: Prose = Field(default="", max_length=20_000)
    classification: Classification | None = None
    rel_to: list[Text] = Field(default=[], max_length=16)


class DecisionIn(_In):
    decision: Literal["grant", "deny"]
    note: Prose = Field(default="", max_length=2000)


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
    problems: list[str]
    notes: list[str]
    database_problems: list[str]
    frozen: bool
    frozen_since: str | None


class Problem(BaseModel):
    detail: str
