"""C2SIM import: an initialization message becomes an arrangement (YAML-shaped data, validated).

Every supported edition is read: 2.0.0 and 1.1 (units with echelon codes and command relations)
and 1.0.0 (military organizations with `EntityType` children). Force sides become `sides:` with
their UUIDs and hostility codes, each side a nation; entities become organizations and keep their
UUID (`c2sim_uuid`), so a re-export names them as the partner did. `Superior` and
`CommandRelation` become relations. Codes with no exact workbench meaning and references to
entities not in the file are reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml_rs
from lxml import etree

from ..model import Architecture, CatalogError, Problem
from ..model.load import architecture_from_document, gc_paused
from ..model.schema import ID_PATTERN
from ..model.vocabulary import ECHELONS, ORGANIZATION_KINDS, relation_kind_ids, situation_ids, vocabulary
from ..model.vocabulary import ids as ids_of
from ..model.yamlsource import YamlDocument
from .c2sim import side_uuid
from .codes import (
    ALTERNATE_NAMESPACE,
    CODE_KINDS,
    ECHELON_NAMESPACE,
    ECHELONS_FROM_CODE,
    FLAG_NAMESPACE,
    FLAGS,
    ID_NAMESPACE,
    KIND_NAMESPACE,
    NAME_JA_NAMESPACE,
    NULL_UUID,
    PREDECESSOR_NAMESPACE,
    RELATION_NAMESPACE,
    SILENT_ECHELON_CODES,
    SUPERIOR_KIND_NAMESPACE,
    workbench_sidc,
)
from .message import INITIALIZATION, C2simMessage, read_message
from .xmlsafe import MAX_XML_BYTES

_ID_RE = re.compile(ID_PATTERN)
_NATION_RE = re.compile(r"^[A-Z]{2,3}$")
_SUPERIOR_KINDS = frozenset({"command", "opcon", "tacon", "adcon"})

_ITEM = re.compile(r"^  - ")


@dataclass(frozen=True)
class C2simImport:
    """An imported arrangement: its data, the validated model, and what the import had to say."""

    data: dict[str, Any]
    architecture: Architecture
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...]
    edition: str
    edition_label: str

    text: str | None = None

    def yaml(self) -> str:
        """The arrangement as catalog YAML."""
        return self.text if self.text is not None else arrangement_yaml(self.data)


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
    tags: dict[str, list[str]] = field(default_factory=dict)
    relations: list[tuple[str, str, int]] = field(default_factory=list)

    def tag(self, namespace: str) -> str | None:
        values = self.tags.get(namespace)
        return values[0] if values else None


@dataclass(frozen=True)
class _Side:
    id: str
    nation: str
    data: dict[str, Any]
    implicit: bool


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
    """Catalog YAML text for arrangement data (keys in catalog order, Japanese kept readable).

    yaml-rs writes it: 0.2 s for 10,000 organizations where PyYAML's representer takes 1.5 s.
    """
    text: str = yaml_rs.dumps(data)
    return text.removeprefix("---\n")


def import_c2sim(
    path: str | Path,
    *,
    yaml_path: str | None = None,
    max_bytes: int = MAX_XML_BYTES,
    edition: str | None = None,
) -> C2simImport:
    """Read a C2SIM initialization message as an arrangement.

    `edition` forces one schema edition ("2.0.0", "1.1", "1.0.0"); otherwise the namespace and
    the schemas decide (for `.../C2SIM/1.1`: CWIX2025, then 1.0.0). Raises CatalogError
    (FILE:LINE: reason) for unsafe, malformed or schema-invalid XML, a namespace that is not a
    supported C2SIM edition, a message that is not an initialization, or one with no organizations.
    """
    with gc_paused():
        message = read_message(path, INITIALIZATION, edition=edition, max_bytes=max_bytes)
        data, notes = _read(message)
        edition_key, label = message.edition.key, message.edition.label
        # The parsed document is no longer needed: free it before the model is built.
        del message
        doc = _ImportedDocument(data, yaml_path or f"{path} (imported)")
        arch, problems = architecture_from_document(doc)
    errors = [p for p in problems if p.severity == "error"]
    if errors or arch is None:
        raise CatalogError(errors or problems)
    return C2simImport(data, arch, tuple(notes.lines()), tuple(problems), edition_key, label, doc.text)


def _read(message: C2simMessage) -> tuple[dict[str, Any], _Notes]:
    """The arrangement data in a checked initialization message, and the import's notes."""
    name, ns, init = message.path, message.ns, message.body
    notes = _Notes(name)
    entities, others = _entities(init, ns, message.edition.layout == "unit")
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
    arch_id = _arrangement_id(init, ns, Path(name))
    sides = _sides(init, ns, arch_id, notes)
    data = _arrangement(Path(name), arch_id, message.edition.label, sides, entities, notes)
    _government_notes(data["organizations"], sides, notes, init.sourceline or 1)
    return data, notes


class _ImportedDocument(YamlDocument):
    """Imported data and its YAML text; a problem's line is that of its list item, found by index.

    The text is ours (yaml-rs block style: top-level keys at column 0, items as "  - "), so one
    pass over it gives every item's line: thousands of validation warnings cost no YAML parsing.
    """

    def __init__(self, data: dict[str, Any], path: str) -> None:
        super().__init__(data, arrangement_yaml(data), path)
        self._items: dict[str, list[int]] | None = None

    def line(self, loc: tuple[int | str, ...] = ()) -> int:
        if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
            return super().line(loc)
        if self._items is None:
            self._items = _item_lines(self.text)
        lines = self._items.get(loc[0], [])
        return lines[loc[1]] if 0 <= loc[1] < len(lines) else super().line(loc[:1])


def _item_lines(text: str) -> dict[str, list[int]]:
    """Top-level list key -> the 1-based line of each of its items."""
    items: dict[str, list[int]] = {}
    section: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line and not line[0].isspace():
            section = items.setdefault(line.split(":", 1)[0], [])
        elif _ITEM.match(line):
            section.append(number)
    return items


def _text(el: etree._Element, ns: str, name: str) -> str | None:
    child = el.find(f"{{{ns}}}{name}")
    text: str | None = None if child is None else child.text
    return None if text is None else text.strip()


def _arrangement_id(init: etree._Element, ns: str, path: Path) -> str:
    version = init.findtext(f"{{{ns}}}ScenarioSetting/{{{ns}}}Version")
    # Our exports carry the arrangement id there; a plain version number ("1") is not an id.
    usable = version and _ID_RE.match(version) and re.search("[a-z]", version)
    return version if usable else _slug(path.stem) or "imported"


def _sides(init: etree._Element, ns: str, arch_id: str, notes: _Notes) -> dict[str, _Side]:
    """Force side UUID -> side; each side is one nation (a code derived from its name if need be)."""
    found: list[tuple[str, str, str, etree._Element]] = []
    nations: set[str] = set()
    for el in init.iterfind(f"{{{ns}}}ObjectDefinitions/{{{ns}}}AbstractObject/{{{ns}}}ForceSide"):
        uuid = (_text(el, ns, "UUID") or "").lower()
        name = _text(el, ns, "Name") or ""
        nation = _nation_code(name, nations)
        if nation != name:
            notes.add(el.sourceline or 1, f"force side {name!r} has no nation code: recorded as nation {nation}")
        nations.add(nation)
        found.append((uuid, name, nation, el))
    ids = _unique_ids([_slug(name) or "side" for _, name, _, _ in found])
    by_uuid = {item[0]: side_id for item, side_id in zip(found, ids, strict=True)}
    sides: dict[str, _Side] = {}
    for (uuid, name, nation, el), side_id in zip(found, ids, strict=True):
        hostility: dict[str, str] = {}
        for rel in el.iterfind(f"{{{ns}}}ForceSideRelation"):
            other = (_text(rel, ns, "OtherSide") or "").lower()
            if other in by_uuid and other != uuid:
                hostility[by_uuid[other]] = _text(rel, ns, "HostilityStatusCode") or ""
            else:
                notes.add(rel.sourceline or 1, "force side relation to a side not in this file: left out")
        data: dict[str, Any] = {"id": side_id, "name_en": name or side_id, "nations": [nation]}
        if hostility:
            data["hostility"] = hostility
        data["c2sim_uuid"] = uuid
        # A side our own export made for a nation on no declared side is not a declared side.
        implicit = name == nation and uuid == side_uuid(arch_id, nation)
        sides[uuid] = _Side(side_id, nation, data, implicit)
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


def _entities(init: etree._Element, ns: str, unit_layout: bool) -> tuple[list[_Entity], list[int]]:
    """Organizations in document order, and the lines of entities that are not organizations."""
    orgs: list[_Entity] = []
    others: list[int] = []
    military, nonmilitary, unit = f"{{{ns}}}MilitaryOrganization", f"{{{ns}}}NonMilitaryOrganization", f"{{{ns}}}Unit"
    for entity in init.iterfind(f"{{{ns}}}ObjectDefinitions/{{{ns}}}Entity"):
        actor = entity.find(f"{{{ns}}}ActorEntity/{{{ns}}}CollectiveEntity")
        organization = None if actor is None else next(iter(actor), None)
        if organization is None or organization.tag not in (military, nonmilitary):
            others.append(entity.sourceline or 1)
            continue
        is_military = organization.tag == military
        if is_military and unit_layout:
            organization = organization.find(unit)
            if organization is None:
                others.append(entity.sourceline or 1)
                continue
        orgs.append(_entity(organization, ns, is_military))
    return orgs, others


def _entity(el: etree._Element, ns: str, military: bool) -> _Entity:
    """One organization element of either layout, read child by child."""
    item = _Entity(uuid="", line=el.sourceline or 1, military=military)
    prefix = len(ns) + 2
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = child.tag[prefix:]
        if name == "UUID":
            item.uuid = (child.text or "").strip().lower()
        elif name == "Name":
            item.name = (child.text or "").strip() or None
        elif name == "EntityDescriptor":
            item.side = (_text(child, ns, "Side") or "").lower() or None
            superior = (_text(child, ns, "Superior") or "").lower()
            item.superior = superior if superior and superior != NULL_UUID else None
        elif name == "APP6CSymbol":
            item.sidc = _text(child, ns, "APP6C-SIDC")
        elif name == "EchelonCode":
            item.echelon_code = (child.text or "").strip()
        elif name == "NamedEntityType":
            _add_tag(item, _text(child, ns, "EntityTypeNamespace"), _text(child, ns, "EntityTypeName"))
        elif name == "EntityType":
            _entity_type(item, child, ns)
        elif name == "CommandRelation":
            actor = (_text(child, ns, "ActorReference") or "").lower()
            item.relations.append((actor, _text(child, ns, "CommandRelationCode") or "", child.sourceline or 1))
    return item


def _entity_type(item: _Entity, el: etree._Element, ns: str) -> None:
    """1.0.0: `EntityType` holds an APP-6 SIDC or a NamedEntityType string ("namespace#name")."""
    sidc = el.findtext(f"{{{ns}}}APP6-SIDC/{{{ns}}}SIDCString")
    if sidc:
        item.sidc = sidc.strip()
    named = el.findtext(f"{{{ns}}}NamedEntityType/{{{ns}}}EntityTypeString")
    if named and "#" in named:
        namespace, _, value = named.partition("#")
        _add_tag(item, namespace, value)


def _add_tag(item: _Entity, namespace: str | None, value: str | None) -> None:
    if namespace and value:
        item.tags.setdefault(namespace, []).append(value)


def _arrangement(
    path: Path, arch_id: str, label: str, sides: dict[str, _Side], entities: list[_Entity], notes: _Notes
) -> dict[str, Any]:
    source = f"{path.name} (C2SIM {label} import)"
    ids = _assign_ids(entities)
    orgs = [_organization(e, ids[e.uuid], sides, source, notes) for e in entities]
    _drop_dangling(orgs, notes, entities)
    relations = list(_relations(entities, ids, source, notes))
    # Each entity's superior first: among equal relations the first listed is the superior on export.
    superior = {ids[e.uuid]: ids.get(e.superior or "") for e in entities}
    relations.sort(key=lambda r: r["from"] != superior.get(r["to"]))
    data: dict[str, Any] = {
        "kind": "architecture",
        "id": arch_id,
        "name_en": f"Imported from C2SIM file {path.name}",
        "name_ja": f"C2SIMファイル {path.name} から取り込んだ体制",
        "guidelines": "none",
        "source": source,
        "organizations": orgs,
        "relations": relations,
    }
    declared = [side.data | {"source": source} for side in sides.values() if not side.implicit]
    if declared:
        data["sides"] = declared
    known = set(ids_of(vocabulary().nations))
    names = {side.nation: side.data.get("name_en") or side.nation for side in sides.values()}
    others = sorted({o["nation"] for o in orgs} - known)
    if others:
        # Codes a C2SIM file gives (or its force sides' names yield) that the catalog does not know: declared here,
        # so a typed code elsewhere in the file is still caught.
        data["other_nations"] = [{"id": n, "name_en": names.get(n, n), "name_ja": names.get(n, n), "source": source}
                                 for n in others]
    return data


def _unique_ids(bases: list[str]) -> list[str]:
    used: set[str] = set()
    out = []
    for base in bases:
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out


def _assign_ids(entities: list[_Entity]) -> dict[str, str]:
    """Entity UUID -> organization id: the workbench id if the file carries one, else from the name."""
    bases = []
    for e in entities:
        hint = e.tag(ID_NAMESPACE)
        bases.append(hint if hint and _ID_RE.match(hint) else _slug(e.name or "") or f"unit-{e.uuid[:8]}")
    return dict(zip((e.uuid for e in entities), _unique_ids(bases), strict=True))


def _slug(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    return re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")


def _organization(
    e: _Entity, org_id: str, sides: dict[str, _Side], source: str, notes: _Notes
) -> dict[str, Any]:
    side = sides.get(e.side or "")
    if side is None:
        notes.add(e.line, "entity without a known force side: recorded as nation UNK")
    org: dict[str, Any] = {"id": org_id, "name_en": e.name or org_id}
    name_ja = e.tag(NAME_JA_NAMESPACE)
    if name_ja:
        org["name_ja"] = name_ja
    org["nation"] = side.nation if side else "UNK"
    org["kind"] = _kind(e, notes)
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
    flags = set(e.tags.get(FLAG_NAMESPACE, ()))
    for flag, attribute in FLAGS.items():
        if flag in flags:
            org[attribute] = True
    for namespace, key in ((ALTERNATE_NAMESPACE, "alternate"), (PREDECESSOR_NAMESPACE, "predecessor_of")):
        value = e.tag(namespace)
        if value:
            org[key] = value
    if e.uuid:
        org["c2sim_uuid"] = e.uuid
    org["source"] = source
    return org


def _drop_dangling(orgs: list[dict[str, Any]], notes: _Notes, entities: list[_Entity]) -> None:
    """An alternate command post must be in the file; a head of government must be political."""
    ids = {o["id"] for o in orgs}
    for org, e in zip(orgs, entities, strict=True):
        alternate = org.get("alternate")
        if alternate is not None and alternate not in ids:
            notes.add(e.line, "alternate command post is not in this file: left out")
            del org["alternate"]
        if org.get("head_of_government") and org["kind"] != "political-authority":
            del org["head_of_government"]


def _kind(e: _Entity, notes: _Notes) -> str:
    hint = e.tag(KIND_NAMESPACE)
    if hint in ORGANIZATION_KINDS:
        return hint
    if e.military:
        return "unit"
    notes.add(e.line, "non-military organization with no workbench kind: recorded as ministry")
    return "ministry"


def _echelon(e: _Entity, notes: _Notes) -> str | None:
    hint = e.tag(ECHELON_NAMESPACE)
    if hint in ECHELONS:
        return hint
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
    known = set(ids.values())
    for e in entities:
        for tag in e.tags.get(RELATION_NAMESPACE, ()):
            relation = _tagged_relation(tag, ids[e.uuid], known)
            if relation is None:
                notes.add(e.line, f"{RELATION_NAMESPACE} entry {tag!r} is not a relation of this file: left out")
            elif (relation["from"], relation["to"], relation["kind"]) not in seen:
                seen.add((relation["from"], relation["to"], relation["kind"]))
                yield relation | {"source": source}
    for e in entities:
        me = ids[e.uuid]
        # An actor named by any CommandRelation, mapped or not, is not also a plain `command` superior.
        coded: set[str] = set()
        for actor, code, line in e.relations:
            coded.add(actor)
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
        if e.superior is None or e.superior in coded:
            continue
        if e.superior not in ids:
            notes.add(e.line, "superior is not defined in this file: relation left out")
            continue
        boss = ids[e.superior]
        kind = e.tag(SUPERIOR_KIND_NAMESPACE) or "command"
        if kind not in _SUPERIOR_KINDS or (boss, me, kind) in seen or boss == me:
            continue
        seen.add((boss, me, kind))
        yield {"from": boss, "to": me, "kind": kind, "source": source}


def _tagged_relation(tag: str, to_id: str, known: set[str]) -> dict[str, Any] | None:
    """A relation written by our export as 'KIND FROM [SIT,SIT|-]' on the entity it points to."""
    parts = tag.split(" ")
    if len(parts) not in (2, 3) or parts[0] not in relation_kind_ids() or parts[1] not in known or parts[1] == to_id:
        return None
    relation: dict[str, Any] = {"from": parts[1], "to": to_id, "kind": parts[0]}
    if len(parts) == 3:
        situations = [] if parts[2] == "-" else parts[2].split(",")
        if any(s not in situation_ids() for s in situations):
            return None
        relation["active_in"] = situations
    return relation


def _government_notes(orgs: list[dict[str, Any]], sides: dict[str, _Side], notes: _Notes, line: int) -> None:
    missing_ja = sum(1 for o in orgs if "name_ja" not in o)
    if missing_ja:
        notes.add(
            line,
            "C2SIM carries one name per entity: names are English only "
            f"(name_ja left empty for {missing_ja} organizations)",
        )
    nations = sorted({o["nation"] for o in orgs})
    governed = {o["nation"] for o in orgs if o.get("head_of_government")}
    ungoverned = [n for n in nations if n not in governed]
    if ungoverned:
        notes.add(
            line,
            f"C2SIM carries no governments: nations {', '.join(ungoverned)} have no head of government, "
            "so their units have no civilian chain",
        )
    hostile = sorted(
        f"{side.data['name_en']} {code} {other}"
        for side in sides.values()
        for other, code in side.data.get("hostility", {}).items()
        if code in ("HO", "AHO", "SUSPCT", "FAKER", "JOKER")
    )
    if hostile:
        notes.add(line, f"force sides kept with their hostility codes: {'; '.join(hostile)}")
