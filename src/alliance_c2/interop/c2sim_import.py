"""C2SIM import: an initialization message becomes an arrangement (YAML-shaped data, validated).

Force sides become nations, `MilitaryOrganization/Unit` and `NonMilitaryOrganization` entities
become organizations, `Superior` and `CommandRelation` become relations. Codes with no exact
workbench meaning and references to entities not in the file are reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from ..model import Architecture, CatalogError, Problem
from ..model.load import architecture_from_document
from ..model.schema import ID_PATTERN
from ..model.vocabulary import COMMAND_KINDS, ORGANIZATION_KINDS
from ..model.yamlsource import parse_yaml
from .codes import (
    CODE_KINDS,
    ECHELONS_FROM_CODE,
    ID_NAMESPACE,
    KIND_NAMESPACE,
    NULL_UUID,
    SILENT_ECHELON_CODES,
    workbench_sidc,
)
from .schema import NAMESPACE_PREFIX, SCHEMAS, validate_c2sim, version_for_namespace
from .xmlsafe import MAX_XML_BYTES, read_xml

_ID_RE = re.compile(ID_PATTERN)
_NATION_RE = re.compile(r"^[A-Z]{2,3}$")
_OTHER_BODIES = (
    "OrderBody",
    "ReportBody",
    "PlanBody",
    "RequestBody",
    "AcknowledgementBody",
    "ObjectInitializationBody",
    "SystemAcknowledgementBody",
    "SystemMessageBody",
)
_BODY_NAMES = {
    "OrderBody": "an order",
    "ReportBody": "a report",
    "PlanBody": "a plan",
    "RequestBody": "a request",
    "AcknowledgementBody": "an acknowledgement",
    "ObjectInitializationBody": "an object initialization",
    "SystemAcknowledgementBody": "a system acknowledgement",
    "SystemMessageBody": "a system message",
}


@dataclass(frozen=True)
class C2simImport:
    """An imported arrangement: its data, the validated model, and what the import had to say."""

    data: dict[str, Any]
    architecture: Architecture
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...]

    def yaml(self) -> str:
        """The arrangement as catalog YAML."""
        return arrangement_yaml(self.data)


@dataclass
class _Entity:
    uuid: str
    line: int
    military: bool
    name: str | None = None
    side: str | None = None
    superior: str | None = None
    sidc: str | None = None
    echelon_code: str | None = None
    kind_hint: str | None = None
    id_hint: str | None = None
    relations: list[tuple[str, str, int]] = field(default_factory=list)


class _Notes:
    """Import warnings, grouped so that one kind of problem is one line with a count."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._groups: dict[str, tuple[int, int]] = {}

    def add(self, line: int, message: str) -> None:
        first, count = self._groups.get(message, (line, 0))
        self._groups[message] = (first, count + 1)

    def lines(self) -> list[str]:
        out = []
        for message, (line, count) in self._groups.items():
            suffix = f" ({count} times)" if count > 1 else ""
            out.append(f"{self.path}:{line}: {message}{suffix}")
        return out


def arrangement_yaml(data: dict[str, Any]) -> str:
    """Catalog YAML text for arrangement data (keys in catalog order, Japanese kept readable)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def import_c2sim(
    path: str | Path, *, yaml_path: str | None = None, max_bytes: int = MAX_XML_BYTES
) -> C2simImport:
    """Read a C2SIM initialization message as an arrangement.

    Raises CatalogError (FILE:LINE: reason) for unsafe, malformed or schema-invalid XML, a
    namespace that is not a supported C2SIM edition, a message that is not an initialization,
    or an initialization with no organizations.
    """
    name = str(path)
    tree = read_xml(path, max_bytes)
    root = tree.getroot()
    key = _schema_key(root, name)
    validate_c2sim(tree, key, name)
    namespace = SCHEMAS[key].namespace
    init = _initialization_body(root, namespace, name)
    notes = _Notes(name)
    sides = _sides(init, namespace, notes)
    entities, others = _entities(init, namespace)
    if not entities:
        raise CatalogError(
            [
                Problem(
                    name,
                    init.sourceline or 1,
                    "initialization has no units (no MilitaryOrganization or NonMilitaryOrganization): "
                    "nothing to import",
                )
            ]
        )
    if others:
        notes.add(
            others[0], f"{len(others)} platform, person or physical entities are not organizations: left out"
        )
    data = _arrangement(init, namespace, Path(name), key, sides, entities, notes)
    text = arrangement_yaml(data)
    arch, problems = architecture_from_document(parse_yaml(text, yaml_path or f"{name} (imported)"))
    errors = [p for p in problems if p.severity == "error"]
    if errors or arch is None:
        raise CatalogError(errors or problems)
    return C2simImport(data, arch, tuple(notes.lines()), tuple(problems))


def _schema_key(root: etree._Element, path: str) -> str:
    namespace = etree.QName(root).namespace or ""
    version = version_for_namespace(namespace)
    if version is not None:
        return version.key
    supported = ", ".join(v.namespace for v in SCHEMAS.values())
    line = root.sourceline or 1
    if namespace.startswith(NAMESPACE_PREFIX):
        edition = namespace[len(NAMESPACE_PREFIX) :]
        raise CatalogError(
            [
                Problem(
                    path,
                    line,
                    f"unsupported C2SIM schema version {edition!r}; supported namespaces: {supported}",
                )
            ]
        )
    shown = repr(namespace) if namespace else "no namespace"
    raise CatalogError(
        [Problem(path, line, f"not a C2SIM document: root element in {shown}; expected one of {supported}")]
    )


def _initialization_body(root: etree._Element, ns: str, path: str) -> etree._Element:
    """The C2SIMInitializationBody; a clear error if the message is of another kind."""
    if etree.QName(root).localname == "C2SIMInitializationBody":
        return root
    init = root.find(f".//{{{ns}}}C2SIMInitializationBody")
    if init is not None:
        return init
    for body in _OTHER_BODIES:
        found = root.find(f".//{{{ns}}}{body}")
        if found is not None:
            what = _BODY_NAMES[body]
            raise CatalogError(
                [
                    Problem(
                        path,
                        found.sourceline or 1,
                        f"this is {what} message ({body}), not an initialization "
                        "(C2SIMInitializationBody): nothing to import",
                    )
                ]
            )
    raise CatalogError(
        [Problem(path, root.sourceline or 1, "no C2SIMInitializationBody in this message: nothing to import")]
    )


def _text(el: etree._Element, ns: str, name: str) -> str | None:
    child = el.find(f"{{{ns}}}{name}")
    text: str | None = None if child is None else child.text
    return None if text is None else text.strip()


def _sides(init: etree._Element, ns: str, notes: _Notes) -> dict[str, tuple[str, bool]]:
    """Force side UUID -> (nation code, whether any side is hostile to it)."""
    sides: dict[str, tuple[str, bool]] = {}
    used: set[str] = set()
    for side in init.iterfind(f"{{{ns}}}ObjectDefinitions/{{{ns}}}AbstractObject/{{{ns}}}ForceSide"):
        uuid = (_text(side, ns, "UUID") or "").lower()
        name = _text(side, ns, "Name") or ""
        nation = _nation_code(name, used)
        if nation != name:
            notes.add(
                side.sourceline or 1, f"force side {name!r} has no nation code: recorded as nation {nation}"
            )
        used.add(nation)
        codes = [
            rel.findtext(f"{{{ns}}}HostilityStatusCode")
            for rel in side.iterfind(f"{{{ns}}}ForceSideRelation")
        ]
        sides[uuid] = (nation, "HO" in codes)
    return sides


def _nation_code(name: str, used: set[str]) -> str:
    if _NATION_RE.match(name) and name not in used:
        return name
    letters = re.sub(r"[^A-Za-z]", "", name).upper() or "SIDE"
    candidate = letters[:3].ljust(2, "X")
    filler = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    while candidate in used:
        candidate = letters[:2].ljust(2, "X") + next(filler)
    return candidate


def _entities(init: etree._Element, ns: str) -> tuple[list[_Entity], list[int]]:
    """Organizations in document order, and the lines of entities that are not organizations."""
    orgs: list[_Entity] = []
    others: list[int] = []
    for entity in init.iterfind(f"{{{ns}}}ObjectDefinitions/{{{ns}}}Entity"):
        actor = entity.find(f"{{{ns}}}ActorEntity/{{{ns}}}CollectiveEntity")
        if actor is None:
            others.append(entity.sourceline or 1)
            continue
        unit = actor.find(f"{{{ns}}}MilitaryOrganization/{{{ns}}}Unit")
        el = unit if unit is not None else actor.find(f"{{{ns}}}NonMilitaryOrganization")
        if el is not None:
            orgs.append(_entity(el, ns, military=unit is not None))
    return orgs, others


def _entity(el: etree._Element, ns: str, military: bool) -> _Entity:
    item = _Entity(uuid=(_text(el, ns, "UUID") or "").lower(), line=el.sourceline or 1, military=military)
    item.name = _text(el, ns, "Name")
    descriptor = el.find(f"{{{ns}}}EntityDescriptor")
    if descriptor is not None:
        item.side = (_text(descriptor, ns, "Side") or "").lower() or None
        superior = (_text(descriptor, ns, "Superior") or "").lower()
        item.superior = superior if superior and superior != NULL_UUID else None
    item.sidc = el.findtext(f"{{{ns}}}APP6CSymbol/{{{ns}}}APP6C-SIDC")
    item.echelon_code = _text(el, ns, "EchelonCode")
    for named in el.iterfind(f"{{{ns}}}NamedEntityType"):
        type_namespace = _text(named, ns, "EntityTypeNamespace")
        type_name = _text(named, ns, "EntityTypeName")
        if type_namespace == KIND_NAMESPACE:
            item.kind_hint = type_name
        elif type_namespace == ID_NAMESPACE:
            item.id_hint = type_name
    for rel in el.iterfind(f"{{{ns}}}CommandRelation"):
        actor = (_text(rel, ns, "ActorReference") or "").lower()
        item.relations.append((actor, _text(rel, ns, "CommandRelationCode") or "", rel.sourceline or 1))
    return item


def _arrangement(
    init: etree._Element,
    ns: str,
    path: Path,
    key: str,
    sides: dict[str, tuple[str, bool]],
    entities: list[_Entity],
    notes: _Notes,
) -> dict[str, Any]:
    source = f"{path.name} (C2SIM {SCHEMAS[key].label} import)"
    ids = _assign_ids(entities)
    orgs = [_organization(e, ids[e.uuid], sides, source, notes) for e in entities]
    relations = list(_relations(entities, ids, source, notes))
    _government_notes(orgs, sides, notes, init.sourceline or 1)
    version = init.findtext(f"{{{ns}}}ScenarioSetting/{{{ns}}}Version")
    # Our exports carry the arrangement id there; a plain version number ("1") is not an id.
    usable = version and _ID_RE.match(version) and re.search("[a-z]", version)
    arch_id = version if usable else _slug(path.stem) or "imported"
    return {
        "kind": "architecture",
        "id": arch_id,
        "name_en": f"Imported from C2SIM file {path.name}",
        "name_ja": f"C2SIMファイル {path.name} から取り込んだ体制",
        "guidelines": "none",
        "source": source,
        "organizations": orgs,
        "relations": relations,
    }


def _assign_ids(entities: list[_Entity]) -> dict[str, str]:
    """Entity UUID -> organization id: the workbench id if the file carries one, else from the name."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for e in entities:
        base = (
            e.id_hint
            if e.id_hint and _ID_RE.match(e.id_hint)
            else _slug(e.name or "") or f"unit-{e.uuid[:8]}"
        )
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids[e.uuid] = candidate
    return ids


def _slug(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    return re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")


def _organization(
    e: _Entity, org_id: str, sides: dict[str, tuple[str, bool]], source: str, notes: _Notes
) -> dict[str, Any]:
    nation = sides[e.side][0] if e.side in sides else None
    if nation is None:
        notes.add(e.line, "entity without a known force side: recorded as nation UNK")
        nation = "UNK"
    org: dict[str, Any] = {
        "id": org_id,
        "name_en": e.name or org_id,
        "nation": nation,
        "kind": _kind(e, notes),
    }
    echelon = _echelon(e, notes)
    if echelon:
        org["echelon"] = echelon
    if e.sidc:
        sidc = workbench_sidc(e.sidc)
        if sidc:
            org["sidc"] = sidc
        else:
            notes.add(
                e.line,
                f"SIDC {e.sidc!r} is not an APP-6C warfighting letter code the workbench accepts: left out",
            )
    org["source"] = source
    return org


def _kind(e: _Entity, notes: _Notes) -> str:
    if e.kind_hint in ORGANIZATION_KINDS:
        return e.kind_hint
    if e.military:
        return "unit"
    notes.add(e.line, "non-military organization with no workbench kind: recorded as ministry")
    return "ministry"


def _echelon(e: _Entity, notes: _Notes) -> str | None:
    code = e.echelon_code
    if code in ECHELONS_FROM_CODE:
        return ECHELONS_FROM_CODE[code]
    if e.sidc and len(e.sidc) == 15 and e.sidc[11] == "N":
        return "command"
    if code and code not in SILENT_ECHELON_CODES:
        notes.add(e.line, f"echelon code {code} has no workbench echelon: left out")
    return None


def _relations(
    entities: list[_Entity], ids: dict[str, str], source: str, notes: _Notes
) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    for e in entities:
        me = ids[e.uuid]
        for actor, code, line in e.relations:
            kind = CODE_KINDS.get(code)
            if kind is None:
                notes.add(line, f"command relation code {code} has no workbench relation kind: left out")
                continue
            if actor not in ids:
                notes.add(line, "command relation refers to an entity that is not in this file: left out")
                continue
            pair = (me, ids[actor], kind) if kind == "support" else (ids[actor], me, kind)
            if pair[0] != pair[1] and pair not in seen:
                seen.add(pair)
                yield {"from": pair[0], "to": pair[1], "kind": kind, "source": source}
        if e.superior is None:
            continue
        if e.superior not in ids:
            notes.add(e.line, "superior is not defined in this file: relation left out")
            continue
        boss = ids[e.superior]
        if any((boss, me, k) in seen for k in COMMAND_KINDS):
            continue
        seen.add((boss, me, "command"))
        yield {"from": boss, "to": me, "kind": "command", "source": source}


def _government_notes(
    orgs: list[dict[str, Any]], sides: dict[str, tuple[str, bool]], notes: _Notes, line: int
) -> None:
    notes.add(
        line,
        "C2SIM carries one name per entity: names are English only "
        f"(name_ja left empty for {len(orgs)} organizations)",
    )
    nations = sorted({o["nation"] for o in orgs})
    hostile = sorted({nation for nation, is_hostile in sides.values() if is_hostile and nation in nations})
    text = (
        f"C2SIM carries no governments: nations {', '.join(nations)} have no head of government, "
        "so no unit has a civilian chain"
    )
    if hostile:
        text += f" (sides with a hostile force-side relation: {', '.join(hostile)})"
    notes.add(line, text)
