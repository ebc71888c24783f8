"""Pydantic models of the five law files: the edge where YAML becomes typed data.

Imported only when a file is validated (a cache miss or `alliance-c2 validate`), never on the
hot path of `check`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.schema import ID_PATTERN

ApprovalPhase = Literal["before", "after"]
DietApproval = Literal["none", "diet-prior-approval", "diet-approval", "diet-approval-after", "diet-report"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    """A mapping that states a rule: it cites a source or says it is an assumption."""

    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class CitationSpec(_Rule):
    article: str
    provision: str | None = None  # id in provisions.yaml: dates the citation and gives its number on a date


class PreconditionSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    text_en: str
    text_ja: str | None = None


class ConditionalApprovalSpec(_Rule):
    approval: str
    when_en: str
    when_ja: str | None = None


class ApprovalDetailSpec(_Rule):
    within_days: int | None = None
    per_situation: bool = False  # given once for the situation (e.g. the defense operation order), shared by orders
    statutory: str | None = None
    waivable_when_en: str | None = None
    pre_delegation_assumption: bool = False


class FastTrackSpec(_Rule):
    approval: str
    by_telephone: bool = False


class AlternativeSpec(_Rule):
    route: str = Field(pattern=ID_PATTERN)
    approvals: list[str]
    requires: list[str] | None = None
    sdf_units_only: bool | None = None
    use_of_force: bool | None = None
    ordered_by: str | None = None
    request_by: list[str] | None = None
    preconditions: list[PreconditionSpec] = Field(default_factory=list)
    legal_basis: list[CitationSpec] | None = None


class LawfulEntrySpec(_Rule):
    approvals: list[str]
    # Provisions (provisions.yaml) that must all be in force on the date for this entry to apply.
    requires: list[str] = Field(default_factory=list)
    # The statute lets Japanese authorities give this order to SDF units only (e.g. SDF Act Art. 82-3).
    sdf_units_only: bool = False
    pre_delegable: list[str] = Field(default_factory=list)
    conditional_approvals: list[ConditionalApprovalSpec] = Field(default_factory=list)
    approval_details: dict[str, ApprovalDetailSpec] = Field(default_factory=dict)
    statutory_approvals: list[str] | None = None
    preconditions: list[PreconditionSpec] = Field(default_factory=list)
    use_of_force: bool | None = None
    ordered_by: str | None = None
    legal_basis: list[CitationSpec] | None = None
    fast_track: FastTrackSpec | None = None
    alternatives: list[AlternativeSpec] = Field(default_factory=list)


class NotLawfulSpec(_Rule):
    situations: list[str]


class GuidelinesRefSpec(_Rule):
    section: str


class ActionSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    use_of_force: bool = False
    ordered_by: str
    request_by: list[str] = Field(default_factory=list)
    case_by_case_political_decision: bool = False
    legal_basis: list[CitationSpec] = Field(default_factory=list)
    preconditions: list[PreconditionSpec] = Field(default_factory=list)
    weapons_use_en: str | None = None
    weapons_use_ja: str | None = None
    time_window_minutes: int | None = None
    time_window_source: str | None = None
    guidelines: GuidelinesRefSpec | None = None
    # One entry, or dated versions (oldest first) when the law for the situation changed over time.
    lawful_in: dict[str, LawfulEntrySpec | list[LawfulEntrySpec]] = Field(default_factory=dict)
    not_lawful_in: NotLawfulSpec | None = None
    not_lawful_in_note_en: str | None = None


class ForeignRuleSpec(_Rule):
    approvals: list[str]
    pre_delegable: list[str] = Field(default_factory=list)
    pre_delegable_note_en: str | None = None


class ActionsFileSpec(_Strict):
    kind: Literal["actions"]
    jurisdiction: str = Field(default="JPN", pattern=r"^[A-Z]{2,3}$")
    scope_en: str | None = None
    source: str | None = None
    foreign_units: dict[str, ForeignRuleSpec] = Field(default_factory=dict)
    items: list[ActionSpec]


class ApprovalSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    holder: str
    holder_alternatives: list[str] = Field(default_factory=list)
    phase: ApprovalPhase
    rank: int = Field(ge=1)
    may_follow_action_when_urgent: bool = False
    typical_minutes: int | None = None
    description_en: str | None = None
    description_ja: str | None = None


class RequesterSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    organization: str | None = None


class ApprovalsFileSpec(_Strict):
    kind: Literal["approvals"]
    ordering_en: str | None = None
    source: str | None = None
    items: list[ApprovalSpec]
    requesters: list[RequesterSpec] = Field(default_factory=list)


class ConstraintSpec(_Rule):
    id: str = Field(pattern=r"^C[0-9]+-[a-z0-9-]+$")
    name_en: str
    name_ja: str
    text_en: str
    text_ja: str
    engine_hint_en: str | None = None
    engine_hint_assumption: bool = False


class ConstraintsFileSpec(_Strict):
    kind: Literal["constraints"]
    source: str | None = None
    items: list[ConstraintSpec]


class LiftSpec(_Rule):
    constraint: str
    effect: Literal["lifts", "eases"]


class EffectSpec(_Rule):
    kind: Literal["allow-cross-national-relation", "pre-agreed-plans"]
    relations: list[Literal["command", "opcon", "tacon", "adcon"]] = Field(default_factory=list)


class ReformSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    measure: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    lifts: list[LiftSpec] = Field(default_factory=list)
    effects: list[EffectSpec] = Field(default_factory=list)
    does_not_lift_note_en: str | None = None


class ReformsFileSpec(_Strict):
    kind: Literal["reforms"]
    source: str | None = None
    items: list[ReformSpec]


class RecognitionSpec(_Rule):
    required: bool
    by: str | None = None
    instrument_en: str | None = None
    instrument_ja: str | None = None
    how_en: str | None = None
    how_ja: str | None = None
    nsc_deliberation: bool = False
    nsc_unconfirmed: bool = False


class DietSpec(_Rule):
    approval: DietApproval
    statutory_approval: DietApproval | None = None
    within_days: int | None = None
    each_house_within_days: int | None = None
    reapproval_after_years: int | None = None
    unconfirmed_note_en: str | None = None


class TransitionSpec(_Rule):
    situation: str  # a situation of the same file (checked by the validator)


class StepSpec(_Rule):
    step: int = Field(ge=1)
    approval: str
    organization: str
    phase: ApprovalPhase
    typical_minutes: int | None = None
    typical_minutes_source: str | None = None
    max_minutes: int | None = None
    within_days: int | None = None
    fast_track: bool = False
    may_follow_action_when_urgent: bool = False


class SituationPreconditionSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    text_en: str
    text_ja: str | None = None


class SituationEraSpec(_Rule):
    """The situation as an earlier law defined it, until the day the current law took over."""

    until: date
    requires: list[str] = Field(default_factory=list)
    name_en: str | None = None
    name_ja: str | None = None
    statutory_basis: list[CitationSpec] | None = None
    procedure: list[StepSpec] | None = None


class SituationSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    requires: list[str] = Field(default_factory=list)
    eras: list[SituationEraSpec] = Field(default_factory=list)
    definition_en: str | None = None
    definition_ja: str | None = None
    statutory: bool
    statutory_basis: list[CitationSpec] = Field(default_factory=list)
    use_of_force_permitted: bool
    three_conditions_apply: bool = False
    use_of_force_note_en: str | None = None
    use_of_force_unconfirmed: bool = False
    use_of_force_unconfirmed_note_en: str | None = None
    preconditions: list[SituationPreconditionSpec] = Field(default_factory=list)
    recognition: RecognitionSpec
    diet: DietSpec
    transitions_from: list[TransitionSpec] = Field(default_factory=list)
    may_coexist_with: list[TransitionSpec] = Field(default_factory=list)
    procedure: list[StepSpec] = Field(default_factory=list)


class SituationsFileSpec(_Strict):
    kind: Literal["situations"]
    source: str | None = None
    # The situation in force while none is recognized, and the one arrangements are analyzed in by default.
    ordinary: str
    reference: str
    reference_source: str | None = None
    items: list[SituationSpec]


class NumberingSpec(_Rule):
    article: str
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None


class ProvisionSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    act_year: int = Field(ge=1946)
    in_force: date
    until: date | None = None
    replaced_by: str | None = None
    numbering: list[NumberingSpec] = Field(default_factory=list)
    policy: bool = False


class ProvisionsFileSpec(_Strict):
    kind: Literal["provisions"]
    source: str | None = None
    items: list[ProvisionSpec]
