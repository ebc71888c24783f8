"""C2SIM export: an arrangement as a C2SIM initialization message, valid against the official schema.

Force sides are the arrangement's `sides:` as declared (names, UUIDs, hostility codes); a nation on
no declared side gets a side of its own. Every organization is an entity with its kept
`c2sim_uuid`, else a stable uuid5 of the arrangement id and organization id. Military
organizations and liaison cells are military units (echelon, APP-6C SIDC, command relations);
political authorities, ministries and consultative bodies are non-military organizations.
Workbench fields with no C2SIM element travel as `NamedEntityType` in `urn:alliance-c2:*`
namespaces; what cannot travel at all is counted (`C2simExport.warnings`, docs/interchange.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from ..model import Architecture, CatalogError, Organization, Problem, Relation
from .codes import (
    ALTERNATE_NAMESPACE,
    COMMAND_CODES,
    ECHELON_CODES,
    ECHELON_NAMESPACE,
    FLAG_NAMESPACE,
    FLAGS,
    ID_NAMESPACE,
    INEXPRESSIBLE_KINDS,
    KIND_NAMESPACE,
    NAME_JA_NAMESPACE,
    PREDECESSOR_NAMESPACE,
    RELATION_NAMESPACE,
    SUPERIOR_KIND_NAMESPACE,
    SUPPORT_CODE,
    UNIT_KINDS,
    c2sim_sidc,
    stable_uuid,
)
from .schema import DEFAULT_SCHEMA, SchemaVersion, schema_problems, schema_version

PROTOCOL = "SISO-STD-C2SIM"
# What the reference server's samples carry in every edition (the namespace says the edition).
PROTOCOL_VERSION = "1.0.2"
SENDING_SYSTEM = "alliance-c2"
# C2SIM requires a scenario start; an arrangement has none, so a fixed placeholder keeps re-exports identical.
PLACEHOLDER_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_SUPERIOR_PRIORITY = {"command": 1, "opcon": 2, "tacon": 3, "adcon": 4}

RelationKey = tuple[str, str, str]
_EXTENSION = f"carried only as {RELATION_NAMESPACE} NamedEntityType, which other C2SIM systems ignore"
_NO_SLOT = "no C2SIM slot: only units carry command relations, and an entity has one superior"
_REASONS = dict.fromkeys(INEXPRESSIBLE_KINDS, "no C2SIM code for this kind")


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
            f"{what}: {n} relation(s) not in a C2SIM relation slot ({_REASONS.get(what, _NO_SLOT)}); {_EXTENSION}"
            for what, n in self.left_out
        ]
        return lines + list(self.notes)


def organization_uuid(arch_id: str, org_id: str) -> str:
    """The stable C2SIM UUID of an organization in an arrangement (when it kept none)."""
    return stable_uuid(arch_id, "organization", org_id)


def entity_uuid(arch: Architecture, org_id: str) -> str:
    """The UUID an organization has in C2SIM: the one it was imported with, else the stable one."""
    return arch.organizations[org_id].c2sim_uuid or organization_uuid(arch.id, org_id)


def side_uuid(arch_id: str, nation: str) -> str:
    """The stable C2SIM UUID of a nation's own force side in an arrangement."""
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
    writer: Writer,
    version: SchemaVersion,
    conversation: str,
    message: str,
    sending_system: str,
    to_system: str | None,
    *,
    act: str = "Inform",
    in_reply_to: str | None = None,
) -> tuple[etree._Element, etree._Element]:
    """A `Message` with its header; returns the message and its (empty) `MessageBody`.

    `act`: the FIPA communicative act (1.1 and 1.0.0 carry it; 2.0.0 has no such field). `in_reply_to`: the
    `MessageID` this message answers."""
    root = writer.root("Message")
    header = writer.sub(root, "C2SIMHeader")
    if version.single_receiver:
        writer.sub(header, "CommunicativeActTypeCode", act)
    writer.sub(header, "ConversationID", conversation)
    writer.sub(header, "FromSendingSystem", sending_system)
    if in_reply_to is not None:
        writer.sub(header, "InReplyToMessageID", in_reply_to)
    writer.sub(header, "MessageID", message)
    writer.sub(header, "Protocol", PROTOCOL)
    writer.sub(header, "ProtocolVersion", PROTOCOL_VERSION)
    # 1.1 and 1.0.0 require exactly one receiving system; 2.0.0 broadcasts when there is none.
    if to_system is not None or version.single_receiver:
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
    extension: dict[str, list[str]]


@dataclass(frozen=True)
class _SideOut:
    name: str
    uuid: str
    relations: tuple[tuple[str, str], ...]  # (HostilityStatusCode, other side's UUID)


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
    plan = _plan(arch, situation, version.layout == "unit")
    writer = Writer(version.namespace)
    root, body = message_root(
        writer,
        version,
        stable_uuid(arch.id, "conversation"),
        stable_uuid(arch.id, "initialization", schema, situation or "all"),
        sending_system,
        to_system,
    )
    init = writer.sub(body, "C2SIMInitializationBody")
    definitions = writer.sub(init, "ObjectDefinitions")
    sides, side_of = _sides(arch)
    for side in sides:
        _force_side(writer, definitions, side)
    sidc_changed = 0
    for org in arch.organizations.values():
        sidc_changed += _entity(writer, definitions, arch, org, plan, side_of[org.nation], version)
    setting = writer.sub(init, "ScenarioSetting")
    writer.sub(
        writer.sub(setting, "DateTime"), "IsoDateTime", c2sim_datetime(scenario_time or PLACEHOLDER_TIME)
    )
    writer.sub(setting, "Version", arch.id)
    entities = writer.sub(init, "SystemEntityList")
    for org_id in arch.organizations:
        writer.sub(entities, "ActorReference", entity_uuid(arch, org_id))
    writer.sub(entities, "SystemName", sending_system)
    xml = finish(root, schema, str(arch.path or arch.id), validate)
    return C2simExport(
        xml=xml,
        left_out=tuple(plan.left_out.items()),
        relations=frozenset(plan.carried),
        notes=tuple(_notes(arch, plan, sidc_changed)),
    )


def _notes(arch: Architecture, plan: _Plan, sidc_changed: int) -> Iterable[str]:
    if plan.conditional:
        yield (
            f"C2SIM has no situations: {plan.conditional} relation(s) that hold only in some situations "
            f"are in force for other C2SIM systems (their situations are {_EXTENSION}; "
            "choose one situation with --situation)"
        )
    if sidc_changed:
        yield (
            f"C2SIM SIDCs carry no country code: positions 13-14 set to '--' "
            f"for {sidc_changed} organization(s) "
            "(the nation is the force side)"
        )
    lost = [what if n is None else f"{what} ({n})" for what, n in uncarried_fields(arch)]
    if lost:
        yield f"not carried by C2SIM (JSON and YAML keep them): {', '.join(lost)}"


def uncarried_fields(arch: Architecture) -> list[tuple[str, int | None]]:
    """Fields no C2SIM element or NamedEntityType carries, with counts (None: the arrangement's own)."""
    orgs = list(arch.organizations.values())
    counts = [
        ("organization notes", sum(1 for o in orgs if o.note_en or o.note_ja)),
        ("organization sources", sum(1 for o in orgs if o.source)),
        ("roles", sum(len(o.roles) for o in orgs)),
        ("relation notes", sum(1 for r in arch.relations if r.note_en or r.note_ja)),
        ("relation sources", sum(1 for r in arch.relations if r.source)),
        ("relation assumption/unconfirmed marks", sum(1 for r in arch.relations if r.assumption or r.unconfirmed)),
        ("plans", len(arch.plans)),
        ("side sources", sum(1 for s in arch.sides if s.source or s.assumption)),
    ]
    header = [
        ("arrangement name", arch.name_en or arch.name_ja),
        ("era", arch.era),
        ("descriptions", arch.description_en or arch.description_ja),
        ("guidelines version", arch.guidelines),
        ("arrangement source", arch.source),
    ]
    found: list[tuple[str, int | None]] = [(what, n) for what, n in counts if n]
    return found + [(what, None) for what, value in header if value]


def _plan(arch: Architecture, situation: str | None, has_command_relations: bool) -> _Plan:
    orgs = arch.organizations
    active = [r for r in arch.relations if situation is None or r.active(situation)]
    superior = _superiors(arch, active)
    plan = _Plan(superior, {}, {}, set(), Counter(), 0, {})
    for org_id, rel in superior.items():
        plan.subordinates.setdefault(rel.from_id, []).append(org_id)
    for rel in active:
        key = (rel.from_id, rel.to_id, rel.kind)
        if not _in_standard_slot(plan, orgs, rel, has_command_relations):
            plan.extension.setdefault(rel.to_id, []).append(_relation_tag(rel, situation))
            continue
        plan.carried.add(key)
        if rel.active_in is not None and situation is None:
            plan.conditional += 1
            plan.extension.setdefault(rel.to_id, []).append(_relation_tag(rel, situation))
    return plan


def _relation_tag(rel: Relation, situation: str | None) -> str:
    """'KIND FROM' or 'KIND FROM SIT,SIT' for the relation NamedEntityType (see codes.py)."""
    if situation is not None or rel.active_in is None:
        return f"{rel.kind} {rel.from_id}"
    return f"{rel.kind} {rel.from_id} {','.join(sorted(rel.active_in)) or '-'}"


def _in_standard_slot(
    plan: _Plan, orgs: Mapping[str, Organization], rel: Relation, has_command_relations: bool
) -> bool:
    """Put `rel` in a C2SIM slot if one fits; False (and counted) when none does."""
    superior = plan.superior
    if rel.kind in INEXPRESSIBLE_KINDS:
        plan.left_out[rel.kind] += 1
        return False
    if not has_command_relations:
        if superior.get(rel.to_id) is not rel:
            plan.left_out[f"{rel.kind} besides the superior"] += 1
            return False
    elif rel.kind == "support":
        if orgs[rel.from_id].kind not in UNIT_KINDS:
            plan.left_out["support given by a non-military organization"] += 1
            return False
        plan.command_relations.setdefault(rel.from_id, []).append((rel.to_id, SUPPORT_CODE))
    elif orgs[rel.to_id].kind in UNIT_KINDS:
        code = _command_code(orgs[rel.from_id], orgs[rel.to_id], rel.kind)
        plan.command_relations.setdefault(rel.to_id, []).append((rel.from_id, code))
    elif superior.get(rel.to_id) is not rel:
        plan.left_out[f"{rel.kind} over a non-military organization"] += 1
        return False
    return True


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


def _sides(arch: Architecture) -> tuple[list[_SideOut], dict[str, str]]:
    """The force sides to write, and each nation's side UUID.

    Declared sides go out as they came; a nation on no declared side gets its own side, friendly
    to every other side (hostile to and from the opposing force, nation XXX).
    """
    declared = {side.id: side.c2sim_uuid or stable_uuid(arch.id, "force-side", side.id) for side in arch.sides}
    side_of = {nation: declared[side.id] for side in arch.sides for nation in side.nations}
    own = [n for n in arch.nations if n not in side_of]
    side_of.update({n: side_uuid(arch.id, n) for n in own})
    out = [
        _SideOut(side.name_en or side.id, declared[side.id], tuple((code, declared[o]) for o, code in side.hostility))
        for side in arch.sides
    ]
    every = list(declared.values()) + [side_of[n] for n in own]
    for nation in own:
        mine = side_of[nation]
        relations = tuple(
            ("HO" if "XXX" in (nation, _nation_of(side_of, other)) else "FR", other) for other in every if other != mine
        )
        out.append(_SideOut(nation, mine, relations))
    return out, side_of


def _nation_of(side_of: dict[str, str], uuid: str) -> str | None:
    return next((n for n, u in side_of.items() if u == uuid), None)


def _force_side(writer: Writer, parent: etree._Element, side: _SideOut) -> None:
    el = writer.path(parent, "AbstractObject", "ForceSide")
    writer.sub(el, "Name", side.name)
    writer.sub(el, "UUID", side.uuid)
    for code, other in side.relations:
        relation = writer.sub(el, "ForceSideRelation")
        writer.sub(relation, "HostilityStatusCode", code)
        writer.sub(relation, "OtherSide", other)


def _entity(
    writer: Writer,
    parent: etree._Element,
    arch: Architecture,
    org: Organization,
    plan: _Plan,
    side: str,
    version: SchemaVersion,
) -> int:
    """Write one organization; returns 1 if its SIDC had to be adapted to the C2SIM pattern."""
    collective = writer.path(parent, "Entity", "ActorEntity", "CollectiveEntity")
    is_unit = org.kind in UNIT_KINDS
    unit_layout = version.layout == "unit"
    if not is_unit:
        el = writer.sub(collective, "NonMilitaryOrganization")
    elif unit_layout:
        el = writer.path(collective, "MilitaryOrganization", "Unit")
    else:
        el = writer.sub(collective, "MilitaryOrganization")
    descriptor = writer.sub(el, "EntityDescriptor")
    writer.sub(descriptor, "Side", side)
    superior = plan.superior.get(org.id)
    if superior is not None:
        writer.sub(descriptor, "Superior", entity_uuid(arch, superior.from_id))
    for sub_id in sorted(plan.subordinates.get(org.id, ())):
        writer.sub(el, "Subordinate", entity_uuid(arch, sub_id))
    sidc, changed = c2sim_sidc(org.sidc) if org.sidc else (None, False)
    tags = list(_tags(org, superior, unit_layout))
    tags += [(RELATION_NAMESPACE, tag) for tag in sorted(plan.extension.get(org.id, ()))]
    if unit_layout:
        if sidc:
            writer.sub(writer.sub(el, "APP6CSymbol"), "APP6C-SIDC", sidc)
        writer.sub(el, "Name", org.name_en or org.id)
        for namespace, name in tags:
            named = writer.sub(el, "NamedEntityType")
            writer.sub(named, "EntityTypeName", name)
            writer.sub(named, "EntityTypeNamespace", namespace)
    else:
        if sidc:
            writer.sub(writer.path(el, "EntityType", "APP6-SIDC"), "SIDCString", sidc)
        for namespace, name in tags:
            writer.sub(writer.path(el, "EntityType", "NamedEntityType"), "EntityTypeString", f"{namespace}#{name}")
        writer.sub(el, "Name", org.name_en or org.id)
    writer.sub(el, "UUID", entity_uuid(arch, org.id))
    if is_unit and unit_layout:
        # Sorted, so that the document does not depend on the order relations are listed in.
        for actor, code in sorted(plan.command_relations.get(org.id, ()), key=lambda ac: (ac[1], ac[0])):
            relation = writer.sub(el, "CommandRelation")
            writer.sub(relation, "ActorReference", entity_uuid(arch, actor))
            writer.sub(relation, "CommandRelationCode", code)
        writer.sub(el, "EchelonCode", _echelon_code(org.echelon))
    return int(changed)


def _tags(org: Organization, superior: Relation | None, unit_layout: bool) -> Iterator[tuple[str, str]]:
    """(namespace, name) pairs for the workbench fields C2SIM has no element for."""
    yield KIND_NAMESPACE, org.kind
    yield ID_NAMESPACE, org.id
    if org.echelon:
        yield ECHELON_NAMESPACE, org.echelon
    if org.name_ja:
        yield NAME_JA_NAMESPACE, org.name_ja
    for flag, attribute in FLAGS.items():
        if getattr(org, attribute):
            yield FLAG_NAMESPACE, flag
    if org.alternate:
        yield ALTERNATE_NAMESPACE, org.alternate
    if org.predecessor_of:
        yield PREDECESSOR_NAMESPACE, org.predecessor_of
    if not unit_layout and superior is not None and superior.kind != "command":
        yield SUPERIOR_KIND_NAMESPACE, superior.kind


def _echelon_code(echelon: str | None) -> str:
    if echelon is None:
        return "NKN"
    return ECHELON_CODES.get(echelon, "NOS")
