"""Pydantic models of the catalog files: the edge where YAML becomes typed data."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .vocabulary import ECHELONS, ORGANIZATION_KINDS

OrganizationKind = Literal[
    "political-authority",
    "ministry",
    "consultative-body",
    "headquarters",
    "component-command",
    "unit",
    "liaison-cell",
]
Echelon = Literal[
    "national",
    "ministerial",
    "command",
    "army",
    "corps",
    "division",
    "brigade",
    "regiment",
    "battalion",
    "company",
]

assert len(OrganizationKind.__args__) == len(ORGANIZATION_KINDS)  # type: ignore[attr-defined]
assert len(Echelon.__args__) == len(ECHELONS)  # type: ignore[attr-defined]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# C2SIM (JC3IEDM) HostilityStatusCode: how one force side regards another.
HostilityCode = Literal[
    "AFR", "AHO", "AIV", "ANT", "FAKER", "FR", "HO", "IV", "JOKER", "NEUTRL", "PENDNG", "SUSPCT", "UNK"
]
NATION_PATTERN = r"^[A-Z]{2,3}$"
NationCode = Annotated[str, Field(pattern=NATION_PATTERN)]
# APP-6C / 2525C letter SIDC: scheme, affiliation, dimension, status, function (6), HQ/TF, echelon,
# country (2), order of battle. Only the warfighting scheme is used here.
SIDC_PATTERN = re.compile(r"^S[PUAFNSHGWMDLJKO][PAGSUFXZ][AP][A-Z-]{6}[A-H-][A-N-][A-Z-]{2}[A-Z-]$")


class _Sourced(BaseModel):
    """Every element cites a source or says it is an assumption."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class RoleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None


class HomeSpec(_Sourced):
    """Where an organization is based (the exercise's map places it there until a report moves it)."""

    name_en: str = Field(min_length=1)
    name_ja: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _sourced(self) -> HomeSpec:
        if not self.source and not self.assumption:
            raise ValueError("a home location cites a source (source:) or says assumption: true")
        return self


class OrganizationSpec(_Sourced):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None
    nation: NationCode | None = None
    # A bilateral body names every nation it belongs to instead of one `nation` (host first).
    nations: list[NationCode] | None = Field(default=None, min_length=2)
    kind: OrganizationKind
    echelon: Echelon | None = None
    sidc: str | None = None
    combined: bool = False
    # The nation whose officer commands a combined headquarters recorded under another nation (e.g. CFC: USA).
    commander_nation: NationCode | None = None
    # The nation whose territory the organization is based in (U.S. forces in Japan: JPN).
    based_in: NationCode | None = None
    head_of_government: bool = False
    roles: list[RoleSpec] = Field(default_factory=list)
    alternate: str | None = None
    predecessor_of: str | None = None
    c2sim_uuid: str | None = Field(default=None, pattern=UUID_PATTERN)
    home: HomeSpec | None = None

    @field_validator("sidc")
    @classmethod
    def _sidc_format(cls, value: str | None) -> str | None:
        if value is not None and not SIDC_PATTERN.match(value):
            raise ValueError(
                f"SIDC {value!r} is not a 15-character APP-6C letter code (e.g. SFGPUCI----E---)"
            )
        return value

    @model_validator(mode="after")
    def _one_nation_key(self) -> OrganizationSpec:
        if (self.nation is None) == (self.nations is None):
            raise ValueError(
                "give either nation: (one nation) or nations: [JPN, USA] (a bilateral body), not both or neither"
            )
        if self.nations is not None and len(set(self.nations)) != len(self.nations):
            raise ValueError(f"nations: {self.nations} names a nation twice")
        return self

    @property
    def host_nation(self) -> str:
        """`nation`, or the first of a bilateral body's `nations`."""
        return self.nations[0] if self.nations else self.nation or ""


class RelationSpec(_Sourced):
    from_: str = Field(alias="from", pattern=ID_PATTERN)
    to: str = Field(pattern=ID_PATTERN)
    # Relation kinds and situations are the catalog's (relation-kinds.yaml, situations.yaml), checked on loading.
    kind: str
    active_in: list[str] | None = None
    # Situations (among active_in) where the relation is active only by this project's interpretation.
    interpreted_in: list[str] = Field(default_factory=list)


class PlanSpec(_Sourced):
    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None
    owner: str | None = None
    # The body on whose instruction the plan is drafted (the SCC for the study's Joint Target List).
    directed_by: str | None = None


class SideSpec(_Sourced):
    """A force side as C2SIM knows it: the nations on it and how it regards the other sides."""

    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None
    nations: list[str] = Field(default_factory=list)
    hostility: dict[str, HostilityCode] = Field(default_factory=dict)
    c2sim_uuid: str | None = Field(default=None, pattern=UUID_PATTERN)

    @field_validator("nations")
    @classmethod
    def _nation_codes(cls, value: list[str]) -> list[str]:
        bad = [n for n in value if not re.match(r"^[A-Z]{2,3}$", n)]
        if bad:
            raise ValueError(f"nation {bad[0]!r} is not a 2-3 letter code")
        return value


class OtherNationSpec(_Sourced):
    """A nation the catalog's nations.yaml does not list, declared by the arrangement (e.g. from a C2SIM file)."""

    id: NationCode
    name_en: str | None = None
    name_ja: str | None = None


class ArchitectureSpec(_Sourced):
    kind: Literal["architecture"]
    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None
    short_name_en: str | None = None  # for prose and chart legends, e.g. "Today (2015 Guidelines)"
    short_name_ja: str | None = None
    guidelines: str | None = None
    era: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    organizations: list[OrganizationSpec] = Field(min_length=1)
    relations: list[RelationSpec] = Field(default_factory=list)
    plans: list[PlanSpec] = Field(default_factory=list)
    # The date whose law applies to the arrangement (YYYY-MM-DD), cited; missing means today (a warning).
    law_as_of: date | None = None
    law_as_of_source: str | None = None
    law_as_of_note_en: str | None = None
    # Reforms (law catalog ids) the arrangement needs to be lawful: its "lawful variant" switches them on.
    presupposes_reforms: list[str] = Field(default_factory=list)
    presupposes_reforms_source: str | None = None
    sides: list[SideSpec] = Field(default_factory=list)
    # Nations beyond the catalog's nations.yaml that this arrangement's organizations may name.
    other_nations: list[OtherNationSpec] = Field(default_factory=list)


class LevelRuleSpec(_Sourced):
    """One structural test that derives a level: this project's interpretation, so sourced or assumed."""

    id: str = Field(pattern=ID_PATTERN)
    text_en: str
    text_ja: str


class LevelSpec(_Sourced):
    """One of the study's four levels of interoperability, quoted, with the tests that derive it."""

    id: str = Field(pattern=ID_PATTERN)
    name_en: str | None = None
    name_ja: str | None = None
    definition_ja: str
    definition_en: str
    rules: list[LevelRuleSpec] = Field(min_length=1)


class LevelsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["levels"]
    source: str
    basis_en: str
    basis_ja: str
    items: list[LevelSpec] = Field(min_length=1)
