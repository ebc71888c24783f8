"""C2SIM export: an arrangement as a C2SIM initialization message, valid against the official schema.

Each nation becomes a force side; every organization an entity with a stable UUID (uuid5 of the
arrangement id and organization id). Military organizations and liaison cells are
`MilitaryOrganization/Unit` (echelon code, APP-6C SIDC, command relations); political
authorities, ministries and consultative bodies are `NonMilitaryOrganization`. Relations C2SIM has
no code for are left out and counted (`C2simExport.warnings`); see docs/interchange.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from ..model import Architecture, CatalogError, Organization, Problem, Relation
from .codes import (
    COMMAND_CODES,
    ECHELON_CODES,
    ID_NAMESPACE,
    INEXPRESSIBLE_KINDS,
    KIND_NAMESPACE,
    SUPPORT_CODE,
    UNIT_KINDS,
    c2sim_sidc,
    stable_uuid,
)
from .schema import DEFAULT_SCHEMA, schema_problems, schema_version

PROTOCOL = "SISO-STD-C2SIM"
# What the reference server's samples carry in both editions (the namespace says the edition).
PROTOCOL_VERSION = "1.0.2"
SENDING_SYSTEM = "alliance-c2"
# C2SIM requires a scenario start; an arrangement has none, so a fixed placeholder keeps re-exports identical.
PLACEHOLDER_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_SUPERIOR_PRIORITY = {"command": 1, "opcon": 2, "tacon": 3, "adcon": 4}

RelationKey = tuple[str, str, str]
_NO_SLOT = "C2SIM has no slot for it: only units carry command relations, and an entity has one superior"
_REASONS = dict.fromkeys(INEXPRESSIBLE_KINDS, "C2SIM has no code for this kind")


@dataclass(frozen=True)
class C2simExport:
    """A C2SIM document and what it could not carry."""

    xml: bytes
    left_out: tuple[tuple[str, int], ...]
    relations: frozenset[RelationKey]
    notes: tuple[str, ...] = ()

    @property
    def warnings(self) -> list[str]:
        """One line per kind of loss, with counts (what the CLI prints on stderr)."""
        lines = [
            f"{what}: {n} relation(s) left out ({_REASONS.get(what, _NO_SLOT)})" for what, n in self.left_out
        ]
        return lines + list(self.notes)


def organization_uuid(arch_id: str, org_id: str) -> str:
    """The stable C2SIM UUID of an organization in an arrangement."""
    return stable_uuid(arch_id, "organization", org_id)


def side_uuid(arch_id: str, nation: str) -> str:
    """The stable C2SIM UUID of a nation's force side in an arrangement."""
    return stable_uuid(arch_id, "side", nation)


def c2sim_datetime(moment: datetime) -> str:
    """ISO date-time in the form C2SIM's pattern accepts (UTC, seconds, trailing Z)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Writer:
    """Builds elements in one C2SIM namespace (qualified tag names cached)."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._tags: dict[str, str] = {}

    def tag(self, name: str) -> str:
        qualified = self._tags.get(name)
        if qualified is None:
            qualified = self._tags[name] = f"{{{self.namespace}}}{name}"
        return qualified

    def root(self, name: str) -> etree._Element:
        return etree.Element(self.tag(name), nsmap={None: self.namespace})

    def sub(self, parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, self.tag(name))
        if text is not None:
            el.text = text
        return el

    def path(self, parent: etree._Element, *names: str) -> etree._Element:
        """A chain of nested elements; returns the innermost."""
        for name in names:
            parent = self.sub(parent, name)
        return parent


def message_root(
    writer: Writer, schema: str, conversation: str, message: str, sending_system: str, to_system: str | None
) -> tuple[etree._Element, etree._Element]:
    """A `Message` with its header; returns the message and its (empty) `MessageBody`."""
    root = writer.root("Message")
    header = writer.sub(root, "C2SIMHeader")
    if schema == "1.1":
        writer.sub(header, "CommunicativeActTypeCode", "Inform")
    writer.sub(header, "ConversationID", conversation)
    writer.sub(header, "FromSendingSystem", sending_system)
    writer.sub(header, "MessageID", message)
    writer.sub(header, "Protocol", PROTOCOL)
    writer.sub(header, "ProtocolVersion", PROTOCOL_VERSION)
    # The 1.1 header requires exactly one receiving system; 2.0.0 broadcasts when there is none.
    if to_system is not None or schema == "1.1":
        writer.sub(header, "ToReceivingSystem", to_system or "ALL")
    return root, writer.sub(root, "MessageBody")


def finish(root: etree._Element, schema: str, what: str, validate: bool) -> bytes:
    """Serialize a message; with `validate`, refuse (CatalogError) a schema-invalid one."""
    tree = root.getroottree()
    if validate:
        problems = schema_problems(tree, schema, what)
        if problems:
            first = problems[0]
            raise CatalogError(
                [Problem(what, 1, f"C2SIM export is not schema-valid (line {first.line}): {first.message}")]
            )
    xml: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


@dataclass
class _Plan:
    """What each organization carries: superior, command relations, subordinates."""

    superior: dict[str, Relation]
    command_relations: dict[str, list[tuple[str, str]]]
    subordinates: dict[str, list[str]]
    carried: set[RelationKey]
    left_out: Counter[str]
    conditional: int


def export_c2sim(
    arch: Architecture,
    *,
    schema: str = DEFAULT_SCHEMA,
    situation: str | None = None,
    scenario_time: datetime | None = None,
    sending_system: str = SENDING_SYSTEM,
    to_system: str | None = None,
    validate: bool = True,
) -> C2simExport:
    """The arrangement as a C2SIM initialization message (validated against `schema` unless told not to).

    With `situation`, only relations active in it are exported; otherwise all are, and relations
    limited to some situations are counted in the warnings.
    """
    version = schema_version(schema)
    plan = _plan(arch, situation)
    writer = Writer(version.namespace)
    root, body = message_root(
        writer,
        schema,
        stable_uuid(arch.id, "conversation"),
        stable_uuid(arch.id, "initialization", schema, situation or "all"),
        sending_system,
        to_system,
    )
    init = writer.sub(body, "C2SIMInitializationBody")
    definitions = writer.sub(init, "ObjectDefinitions")
    _force_sides(writer, definitions, arch)
    sidc_changed = 0
    for org in arch.organizations.values():
        sidc_changed += _entity(writer, definitions, arch, org, plan)
    setting = writer.sub(init, "ScenarioSetting")
    writer.sub(
        writer.sub(setting, "DateTime"), "IsoDateTime", c2sim_datetime(scenario_time or PLACEHOLDER_TIME)
    )
    writer.sub(setting, "Version", arch.id)
    entities = writer.sub(init, "SystemEntityList")
    for org_id in arch.organizations:
        writer.sub(entities, "ActorReference", organization_uuid(arch.id, org_id))
    writer.sub(entities, "SystemName", sending_system)
    xml = finish(root, schema, str(arch.path or arch.id), validate)
    return C2simExport(
        xml=xml,
        left_out=tuple(plan.left_out.items()),
        relations=frozenset(plan.carried),
        notes=tuple(_notes(plan, sidc_changed)),
    )


def _notes(plan: _Plan, sidc_changed: int) -> Iterable[str]:
    if plan.conditional:
        yield (
            f"C2SIM has no situations: {plan.conditional} relation(s) that hold only in some situations "
            "are exported as always in force (choose one with --situation)"
        )
    if sidc_changed:
        yield (
            f"C2SIM SIDCs carry no country code: positions 13-14 set to '--' "
            f"for {sidc_changed} organization(s) "
            "(the nation is the force side)"
        )


def _plan(arch: Architecture, situation: str | None) -> _Plan:
    orgs = arch.organizations
    active = [r for r in arch.relations if situation is None or r.active(situation)]
    superior = _superiors(arch, active)
    plan = _Plan(superior, {}, {}, set(), Counter(), 0)
    for org_id, rel in superior.items():
        plan.subordinates.setdefault(rel.from_id, []).append(org_id)
    for rel in active:
        key = (rel.from_id, rel.to_id, rel.kind)
        if rel.kind in INEXPRESSIBLE_KINDS:
            plan.left_out[rel.kind] += 1
            continue
        if rel.kind == "support":
            if orgs[rel.from_id].kind in UNIT_KINDS:
                plan.command_relations.setdefault(rel.from_id, []).append((rel.to_id, SUPPORT_CODE))
            else:
                plan.left_out["support given by a non-military organization"] += 1
                continue
        elif orgs[rel.to_id].kind in UNIT_KINDS:
            code = _command_code(orgs[rel.from_id], orgs[rel.to_id], rel.kind)
            plan.command_relations.setdefault(rel.to_id, []).append((rel.from_id, code))
        elif superior.get(rel.to_id) is not rel:
            plan.left_out[f"{rel.kind} over a non-military organization"] += 1
            continue
        plan.carried.add(key)
        if rel.active_in is not None and situation is None:
            plan.conditional += 1
    return plan


def _superiors(arch: Architecture, relations: list[Relation]) -> dict[str, Relation]:
    """Each organization's one C2SIM superior: own-nation command first, then command, OPCON, TACON, ADCON."""
    best: dict[str, tuple[int, Relation]] = {}
    for rel in relations:
        rank = _SUPERIOR_PRIORITY.get(rel.kind)
        # Without a CommandRelation slot, a non-military superior can only mean command.
        if rank is None or (rank > 1 and arch.organizations[rel.to_id].kind not in UNIT_KINDS):
            continue
        if (
            rel.kind == "command"
            and arch.organizations[rel.from_id].nation == arch.organizations[rel.to_id].nation
        ):
            rank = 0
        current = best.get(rel.to_id)
        if current is None or rank < current[0]:
            best[rel.to_id] = (rank, rel)
    return {org_id: rel for org_id, (_, rel) in best.items()}


def _command_code(superior: Organization, unit: Organization, kind: str) -> str:
    if kind != "command":
        return COMMAND_CODES[kind]
    organic = superior.kind in UNIT_KINDS and superior.nation == unit.nation
    return "ORGANC" if organic else "COMD"


def _force_sides(writer: Writer, parent: etree._Element, arch: Architecture) -> None:
    nations = arch.nations
    for nation in nations:
        side = writer.path(parent, "AbstractObject", "ForceSide")
        writer.sub(side, "Name", nation)
        writer.sub(side, "UUID", side_uuid(arch.id, nation))
        for other in nations:
            if other == nation:
                continue
            relation = writer.sub(side, "ForceSideRelation")
            hostile = "XXX" in (nation, other)
            writer.sub(relation, "HostilityStatusCode", "HO" if hostile else "FR")
            writer.sub(relation, "OtherSide", side_uuid(arch.id, other))


def _entity(
    writer: Writer, parent: etree._Element, arch: Architecture, org: Organization, plan: _Plan
) -> int:
    """Write one organization; returns 1 if its SIDC had to be adapted to the C2SIM pattern."""
    collective = writer.path(parent, "Entity", "ActorEntity", "CollectiveEntity")
    is_unit = org.kind in UNIT_KINDS
    el = (
        writer.path(collective, "MilitaryOrganization", "Unit")
        if is_unit
        else writer.sub(collective, "NonMilitaryOrganization")
    )
    descriptor = writer.sub(el, "EntityDescriptor")
    writer.sub(descriptor, "Side", side_uuid(arch.id, org.nation))
    superior = plan.superior.get(org.id)
    if superior is not None:
        writer.sub(descriptor, "Superior", organization_uuid(arch.id, superior.from_id))
    for sub_id in plan.subordinates.get(org.id, ()):
        writer.sub(el, "Subordinate", organization_uuid(arch.id, sub_id))
    changed = False
    if org.sidc:
        sidc, changed = c2sim_sidc(org.sidc)
        writer.sub(writer.sub(el, "APP6CSymbol"), "APP6C-SIDC", sidc)
    writer.sub(el, "Name", org.name_en or org.id)
    _named_type(writer, el, org.kind, KIND_NAMESPACE)
    _named_type(writer, el, org.id, ID_NAMESPACE)
    writer.sub(el, "UUID", organization_uuid(arch.id, org.id))
    if is_unit:
        for actor, code in plan.command_relations.get(org.id, ()):
            relation = writer.sub(el, "CommandRelation")
            writer.sub(relation, "ActorReference", organization_uuid(arch.id, actor))
            writer.sub(relation, "CommandRelationCode", code)
        writer.sub(el, "EchelonCode", _echelon_code(org.echelon))
    return int(changed)


def _named_type(writer: Writer, parent: etree._Element, name: str, namespace: str) -> None:
    named = writer.sub(parent, "NamedEntityType")
    writer.sub(named, "EntityTypeName", name)
    writer.sub(named, "EntityTypeNamespace", namespace)


def _echelon_code(echelon: str | None) -> str:
    if echelon is None:
        return "NKN"
    return ECHELON_CODES.get(echelon, "NOS")
