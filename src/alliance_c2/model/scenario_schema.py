"""Pydantic models of scenario files (`kind: scenario`): the edge where a scenario's YAML becomes typed data.

Situation and action ids are the catalog's; `scenario.py` checks them against its vocabulary, with lines.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .vocabulary import COMPONENTS

Component = Literal["ground", "maritime", "air", "missile-defense", "cyber", "space", "joint"]

assert len(Component.__args__) == len(COMPONENTS)  # type: ignore[attr-defined]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Sourced(_Spec):
    source: str | None = None
    assumption: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class ForceSpec(_Spec):
    nation: str = Field(pattern=r"^[A-Z]{2,3}$")
    component: Component


class ResponseSpec(_Sourced):
    action: str
    nation: str = Field(pattern=r"^[A-Z]{2,3}$")
    component: Component
    deadline_minutes: float = Field(gt=0)


class FaultSpec(_Sourced):
    organization: str
    effect: Literal["lost", "degraded"] = "degraded"
    factor: float = Field(default=3.0, ge=1.0)


class TargetingSpec(_Sourced):
    """Targets must be nominated before strike orders: quickly from an agreed target list, slowly without one."""

    plan: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")


class InjectSpec(_Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    time: float = Field(ge=0)
    name_en: str | None = None
    name_ja: str | None = None
    domain: str
    place: str
    detected_by: list[ForceSpec] = Field(min_length=1)
    detection_minutes: float = Field(default=1.0, ge=0)
    situation: str | None = None  # a situation id (situations.yaml), checked on loading
    synchronize: bool = False
    responses: list[ResponseSpec] = Field(min_length=1)
    faults: list[FaultSpec] = []
    targeting: TargetingSpec | None = None


class RecognitionSpec(_Sourced):
    """The moment the political process to recognize a situation begins (before the first inject in it)."""

    situation: str
    time: float = Field(ge=0)


class DurationSpec(_Sourced):
    """How long the contingency commits the nations' forces (days): what a time limit on a commitment is held to."""

    days: float = Field(gt=0)


class ScenarioSpec(_Sourced):
    kind: Literal["scenario"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_en: str | None = None
    name_ja: str | None = None
    short_name_en: str | None = None  # for chart axes and table headers
    short_name_ja: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    situation: str
    standing_orders: list[str] = []
    standing_orders_source: str | None = None
    recognitions: list[RecognitionSpec] = []
    # One of the situations the study itself puts its weight on (IAMD with counterstrike, Taiwan, compound).
    study_focus: bool = False
    # The contingency's expected length, for the War Powers Resolution's 60-day bound (no scenario gives it: an
    # assumption everywhere).
    duration: DurationSpec | None = None
    injects: list[InjectSpec] = Field(min_length=1)
