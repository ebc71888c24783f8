"""Pydantic models of the law files: the edge where YAML becomes typed data.

Imported only when a file is validated (a cache miss or `alliance-c2 validate`), never on the
hot path of `check`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.schema import ID_PATTERN

ApprovalPhase = Literal["before", "after"]
# What kind of rule a rule is: law (statute, treaty) or not (policy, doctrine, practice).
RuleKind = Literal["statute", "treaty", "policy", "practice"]
# Whose units a route's power may be given to: the nation's own forces only, or any unit its commanders lawfully
# command (use of force in a defense operation, which a foreign unit carries out on its own nation's authority).
Empowers = Literal["own-forces", "forces-under-command"]
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
    empowers: Empowers | None = None
    use_of_force: bool | None = None
    ordered_by: str | None = None
    request_by: list[str] | None = None
    preconditions: list[PreconditionSpec] = Field(default_factory=list)
    legal_basis: list[CitationSpec] | None = None


class LawfulEntrySpec(_Rule):
    approvals: list[str]
    # Provisions (provisions.yaml) that must all be in force on the date for this entry to apply.
    requires: list[str] = Field(default_factory=list)
    # Whose units the power belongs to: the nation's own forces (most SDF Act powers, e.g. Arts. 78, 82, 82-3, 83,
    # 95-2), or any unit under its commanders' lawful command (use of force in a defense operation).
    empowers: Empowers = "own-forces"
    empowers_assumption: bool = False
    empowers_note_en: str | None = None
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
    # Whose authority gives it (None: the unit's own nation), the legal order that asks for it, and its kind.
    nation: str | None = Field(default=None, pattern=r"^[A-Z]{2,3}$")
    law: str | None = None
    kind: RuleKind = "statute"
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


class RuleLiftSpec(_Rule):
    rule: str  # a rule id of a nation's law or a treaty


class ReformSpec(_Rule):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    nation: str | None = Field(default=None, pattern=r"^[A-Z]{2,3}$")
    nations: list[str] | None = None
    kind: RuleKind = "statute"
    lifts_rules: list[RuleLiftSpec] = Field(default_factory=list)
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
    # A statute (law in force from its date) or a policy document (it dates a capability, never a legal basis).
    kind: RuleKind = "statute"
    act_year: int = Field(ge=1946)
    in_force: date
    until: date | None = None
    replaced_by: str | None = None
    numbering: list[NumberingSpec] = Field(default_factory=list)


class ProvisionsFileSpec(_Strict):
    kind: Literal["provisions"]
    source: str | None = None
    items: list[ProvisionSpec]


# --- each nation's law and the treaties between the nations ---------------------------------------------------

CommandPath = Literal["national", "foreign"]
RuleRole = Literal["unit", "staff"]


class WhenSpec(_Strict):
    """The orders a rule applies to. Every key given must hold."""

    # national law: the order's unit is the nation's (`unit`), or the nation's members command or coordinate it
    # (they direct it, or serve on a combined headquarters the order passes through: `staff`).
    forces: list[RuleRole] = Field(default_factory=lambda: list[RuleRole](["unit"]))
    # a treaty: the unit belongs to one of these nations, and is based in one of these.
    unit_nations: list[str] = Field(default_factory=list)
    based_in: list[str] = Field(default_factory=list)
    # the order reaches the unit through its own nation's commanders, or through another nation's OPCON or TACON.
    command: CommandPath | None = None
    # the unit loses its own nation's chain of command in the situation.
    own_chain_lost: bool = False
    # the order introduces the nation's forces into hostilities (the file's `hostilities:`).
    hostilities: bool | None = None
    actions: list[str] = Field(default_factory=list)
    not_actions: list[str] = Field(default_factory=list)
    situations: list[str] = Field(default_factory=list)
    not_situations: list[str] = Field(default_factory=list)
    # a treaty: the situation is not an armed attack under its Article V (`article_v_situations:`).
    outside_article_v: bool = False


class BlockSpec(_Strict):
    reason_en: str
    reason_ja: str


class BoundSpec(_Strict):
    days: int = Field(ge=1)
    extension_days: int = Field(default=0, ge=0)


class NumberedSpec(_Rule):
    article: str
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None


class NationalRuleSpec(_Rule):
    """One rule of a nation's law or of a treaty: what it says, its kind, dates, and what it does to an order."""

    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    kind: RuleKind
    article: str | None = None
    text_en: str
    text_ja: str
    in_force: date
    until: date | None = None
    numbering: list[NumberedSpec] = Field(default_factory=list)
    when: WhenSpec | None = None
    # What the rule does to an order it applies to (at most one of the four), and the constraint it raises.
    approval: str | None = None
    block: BlockSpec | None = None
    bound: BoundSpec | None = None
    advisory: bool = False
    per_situation: bool = False
    pre_delegable: bool = False
    pre_delegable_assumption: bool = False
    pre_delegable_note_en: str | None = None
    # Until this approval is given the unit stays under its own chain (it transfers control to the other nation).
    transfers_control: bool = False
    constraint: str | None = None
    lifted_by: list[str] = Field(default_factory=list)
    lifted_by_note_en: str | None = None
    lifted_by_note_ja: str | None = None
    # Structural rules: relation kinds another nation's commander may never hold over the nation's forces; kinds that
    # need a law to cross between the nation's forces and another's; kinds that raise a finding over its forces.
    keeps: list[Literal["command", "opcon", "tacon", "adcon"]] = Field(default_factory=list)
    keeps_reason_en: str | None = None
    keeps_reason_ja: str | None = None
    transfer_needs_law: list[Literal["command", "opcon", "tacon"]] = Field(default_factory=list)
    own_forces_under_foreign: list[Literal["command", "opcon", "tacon"]] = Field(default_factory=list)
    not_actions_assumption: bool = False
    actions_assumption: bool = False
    actions_note_en: str | None = None
    scope_kind: RuleKind | None = None
    scope_source: str | None = None


class HostilitiesSpec(_Rule):
    actions: list[str] = Field(default_factory=list)
    situations: list[str] = Field(default_factory=list)


class NationalLawFileSpec(_Strict):
    kind: Literal["national-law"]
    nation: str = Field(pattern=r"^[A-Z]{2,3}$")
    name_en: str
    name_ja: str
    forces_en: str
    forces_ja: str
    source: str | None = None
    hostilities: HostilitiesSpec | None = None
    rules: list[NationalRuleSpec]


class TreatyFileSpec(_Strict):
    kind: Literal["treaty"]
    id: str = Field(pattern=ID_PATTERN)
    name_en: str
    name_ja: str
    parties: list[str] = Field(min_length=2)
    signed: date
    in_force: date
    until: date | None = None
    source: str | None = None
    article_v_situations: list[str] = Field(default_factory=list)
    article_v_source: str | None = None
    rules: list[NationalRuleSpec]
