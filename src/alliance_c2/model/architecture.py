"""Typed, immutable arrangements: organizations, relations and plans with fast look-ups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from .errors import UnknownIdError
from .vocabulary import CIVILIAN_CHAIN_KINDS, MEMBERSHIP_KINDS, MILITARY_KINDS


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name_en: str
    name_ja: str


@dataclass(frozen=True, slots=True)
class Home:
    """Where an organization is based: a named place and its WGS 84 position, sourced or assumed."""

    name_en: str
    name_ja: str
    lat: float
    lon: float
    source: str | None = None
    assumption: bool = False


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name_en: str
    name_ja: str
    nation: str
    kind: str
    echelon: str | None = None
    sidc: str | None = None
    combined: bool = False
    head_of_government: bool = False
    roles: tuple[Role, ...] = ()
    alternate: str | None = None
    predecessor_of: str | None = None
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    note_ja: str | None = None
    c2sim_uuid: str | None = None
    home: Home | None = None
    # Every nation a bilateral body belongs to, its host (`nation`) first; empty for a national body.
    nations: tuple[str, ...] = ()
    # The nation whose officer commands it, where that is not its own (a combined headquarters recorded under its
    # host nation, e.g. the CFC under a U.S. general); None: its own nation's.
    commander_nation: str | None = None
    # The nation whose territory it is based in (None: not given); e.g. U.S. forces in Japan.
    based_in: str | None = None

    @property
    def is_military(self) -> bool:
        """Headquarters, component commands and units (liaison cells are not in a chain)."""
        return self.kind in MILITARY_KINDS

    @property
    def bilateral(self) -> bool:
        """Whether the organization belongs to more than one nation (SCC, ACG, a planning cell ...)."""
        return len(self.nations) > 1

    def member_nations(self) -> tuple[str, ...]:
        """The nations the organization belongs to: both (or all) for a bilateral body."""
        return self.nations or (self.nation,)

    def shares_nation(self, other: Organization) -> bool:
        """Whether the two belong to a common nation (a bilateral body shares each of its nations)."""
        if not self.nations and not other.nations:
            return self.nation == other.nation
        return not set(self.member_nations()).isdisjoint(other.member_nations())

    def belongs_to(self, nation: str) -> bool:
        """Whether `nation` is the organization's nation or one of a bilateral body's nations."""
        return nation == self.nation or nation in self.nations

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en or self.id


@dataclass(frozen=True, slots=True)
class Relation:
    from_id: str
    to_id: str
    kind: str
    active_in: frozenset[str] | None = None
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    note_ja: str | None = None
    # Situations in which the relation is active only by this project's interpretation of its source.
    interpreted_in: frozenset[str] = frozenset()

    def active(self, situation: str | None) -> bool:
        """Whether the relation exists in `situation` (None: in any situation)."""
        return self.active_in is None or situation is None or situation in self.active_in

    def interpreted(self, situation: str) -> bool:
        """Whether the relation is active in `situation` only as this project's marked interpretation."""
        return situation in self.interpreted_in


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    name_en: str
    name_ja: str
    owner: str | None = None
    source: str | None = None
    assumption: bool = False
    directed_by: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en or self.id


@dataclass(frozen=True, slots=True)
class Side:
    """A force side (C2SIM `ForceSide`): its nations and its hostility code toward other sides."""

    id: str
    name_en: str
    name_ja: str
    nations: tuple[str, ...]
    hostility: tuple[tuple[str, str], ...] = ()
    c2sim_uuid: str | None = None
    source: str | None = None
    assumption: bool = False

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en or self.id


@dataclass(frozen=True, slots=True)
class Nation:
    """A nation an arrangement declares beyond the catalog's nations.yaml (e.g. a C2SIM file's force side)."""

    id: str
    name_en: str
    name_ja: str
    source: str | None = None
    assumption: bool = False


@dataclass(frozen=True, eq=False)
class Architecture:
    """One command-and-control arrangement. Identity-hashed, so it can key caches."""

    id: str
    name_en: str
    name_ja: str
    organizations: Mapping[str, Organization]
    relations: tuple[Relation, ...]
    plans: tuple[Plan, ...] = ()
    guidelines: str | None = None
    era: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    source: str | None = None
    path: Path | None = None
    law_as_of: date | None = None
    law_as_of_source: str | None = None
    presupposes_reforms: tuple[str, ...] = ()
    short_name_en: str | None = None
    short_name_ja: str | None = None
    sides: tuple[Side, ...] = ()
    other_nations: tuple[Nation, ...] = ()
    _out: dict[str, tuple[Relation, ...]] = field(default_factory=dict, repr=False)
    _in: dict[str, tuple[Relation, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        out: dict[str, list[Relation]] = {}
        into: dict[str, list[Relation]] = {}
        for rel in self.relations:
            out.setdefault(rel.from_id, []).append(rel)
            into.setdefault(rel.to_id, []).append(rel)
        self._out.update({k: tuple(v) for k, v in out.items()})
        self._in.update({k: tuple(v) for k, v in into.items()})

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en or self.id

    def with_relations(self, relations: tuple[Relation, ...], without: frozenset[str] = frozenset()) -> Architecture:
        """A copy with other relations (and without the organizations in `without`); every other field kept."""
        return replace(
            self, relations=relations, organizations={k: v for k, v in self.organizations.items() if k not in without},
            _out={}, _in={},
        )

    def short_name(self, lang: str = "en") -> str:
        """A short name for prose and legends (the id when the file gives none)."""
        found = self.short_name_ja if lang == "ja" else self.short_name_en
        return found or self.id

    def organization(self, org_id: str) -> Organization:
        """The organization with this id; UnknownIdError listing the valid ids otherwise."""
        try:
            return self.organizations[org_id]
        except KeyError:
            raise UnknownIdError(f"organization in {self.id}", org_id, list(self.organizations)) from None

    def relations_from(self, org_id: str, situation: str | None = None) -> tuple[Relation, ...]:
        """Relations where `org_id` is the superior / member side, active in `situation`."""
        rels = self._out.get(org_id, ())
        return rels if situation is None else tuple(r for r in rels if r.active(situation))

    def relations_to(self, org_id: str, situation: str | None = None) -> tuple[Relation, ...]:
        """Relations where `org_id` is the subordinate / body side, active in `situation`."""
        rels = self._in.get(org_id, ())
        return rels if situation is None else tuple(r for r in rels if r.active(situation))

    def active_relations(self, situation: str | None) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.active(situation))

    @property
    def nations(self) -> list[str]:
        seen: dict[str, None] = {}
        for org in self.organizations.values():
            seen.setdefault(org.nation, None)
        return list(seen)

    def side_of(self, nation: str) -> Side | None:
        """The declared force side a nation belongs to, if any."""
        return next((s for s in self.sides if nation in s.nations), None)

    def heads_of_government(self) -> Mapping[str, str]:
        """Nation -> id of its civilian head of government (found once: every law check asks)."""
        return self._heads

    @cached_property
    def _heads(self) -> Mapping[str, str]:
        return {o.nation: o.id for o in self.organizations.values() if o.head_of_government}

    def military(self) -> Iterable[Organization]:
        return (o for o in self.organizations.values() if o.is_military)

    def national_superior(self, org_id: str) -> Relation | None:
        """The first political-direction/command relation above `org_id` from its own nation."""
        nation = self.organizations[org_id].nation
        for rel in self._in.get(org_id, ()):
            if rel.kind in CIVILIAN_CHAIN_KINDS and self.organizations[rel.from_id].belongs_to(nation):
                return rel
        return None


def carries_authority(rel: Relation, target: Organization, nation: str) -> bool:
    """Whether `rel` carries `nation`'s authority down to `target`.

    Political direction and command reach the nation's own organizations; a bilateral body is also
    reached through membership (coordination, consultation) of that nation's organizations, because
    each member answers to its own government.
    """
    if not target.belongs_to(nation):
        return False
    return rel.kind in CIVILIAN_CHAIN_KINDS or (rel.kind in MEMBERSHIP_KINDS and target.bilateral)
