"""An arrangement being edited: its data in the shape of its YAML file, the edits, their validation and history.

Every edit is applied to a copy of the data, which is then validated exactly as `alliance-c2 validate`
validates a file (`architecture_from_document` on the YAML text the download would give), so the studio
shows the same messages, tied to the form field they are about. An edit with errors changes nothing; one with
warnings is kept and its warnings shown. Each browser tab edits its own `Draft` (undo and redo are its own).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..law import default_catalog
from ..model import Architecture, CatalogError, Problem, UnknownIdError
from ..model.load import architecture_from_document
from ..model.serialize import arrangement_dict
from ..model.yamlsource import parse_yaml

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
HISTORY = 200
EDITED_SUFFIX = "edited"
# "relations[3].from: unknown organization 'x'" -> ("relations", 3, "from")
_FIELD = re.compile(r"^(organizations|relations|plans|sides)\[(\d+)\](?:\.(\w+))?")
RELATION_KEYS = ("from", "to", "kind", "active_in", "assumption", "source", "note_en", "note_ja")
ORGANIZATION_KEYS = ("id", "name_en", "name_ja", "nation", "kind", "echelon", "combined", "source", "assumption")


class EditError(ValueError):
    """An edit that cannot be applied: its problems, each tied to a field where it can be."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__(problems[0]["message"] if problems else "invalid edit")


def to_yaml(data: dict[str, Any]) -> str:
    """The catalog YAML of the arrangement data (what the studio downloads)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def check(data: dict[str, Any], name: str = "studio.yaml") -> tuple[Architecture | None, list[Problem]]:
    """Validate arrangement data as `alliance-c2 validate` validates its YAML file."""
    try:
        return architecture_from_document(parse_yaml(to_yaml(data), name))
    except CatalogError as exc:
        return None, exc.problems


def field_of(problem: Problem) -> dict[str, Any]:
    """A problem as the page shows it: the message, and the list, index and key it is about (when it says)."""
    message = problem.message
    found = _FIELD.match(message)
    out: dict[str, Any] = {"message": message, "line": problem.line, "severity": problem.severity}
    if found:
        out.update(section=found.group(1), index=int(found.group(2)), key=found.group(3))
    return out


def _problems(problems: list[Problem], edited: tuple[str, int] | None) -> list[dict[str, Any]]:
    """Problems for the page; those about the element just edited carry `at: "edit"` so the form shows them."""
    out = []
    for p in problems:
        item = field_of(p)
        if edited is not None and item.get("section") == edited[0] and item.get("index") == edited[1]:
            item["at"] = "edit"
        out.append(item)
    return out


def open_data(arch: Architecture, bundled: bool) -> dict[str, Any]:
    """The data a draft starts from; a bundled arrangement is copied under its own id and names, so that the
    copy is never taken for the original in a comparison or a report."""
    data = arrangement_dict(arch)
    if bundled:
        data["id"] = f"{arch.id}-{EDITED_SUFFIX}"
        short_en = arch.short_name_en or arch.id
        short_ja = arch.short_name_ja or short_en
        data["short_name_en"] = f"{short_en}, edited"
        data["short_name_ja"] = f"{short_ja}（編集）"
        data["name_en"] = f"{arch.name_en} (edited in the studio)"
        data["name_ja"] = f"{arch.name_ja or arch.name_en}（スタジオで編集）"
    return data


@dataclass
class Draft:
    """One tab's arrangement: the states it went through and where it is among them (undo/redo)."""

    states: list[dict[str, Any]]
    position: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""  # what the last edit did, for the page ("added opcon jpn-jjoc -> usa-7th-fleet")

    @property
    def data(self) -> dict[str, Any]:
        return self.states[self.position]

    @property
    def previous(self) -> dict[str, Any] | None:
        return self.states[self.position - 1] if self.position > 0 else None

    def can_undo(self) -> bool:
        return self.position > 0

    def can_redo(self) -> bool:
        return self.position < len(self.states) - 1

    def undo(self) -> None:
        if self.can_undo():
            self.position -= 1

    def redo(self) -> None:
        if self.can_redo():
            self.position += 1

    def apply(self, edit: dict[str, Any]) -> Architecture:
        """Apply one edit (validated as a file is); EditError with the problems when it has errors."""
        data = copy.deepcopy(self.data)
        where, label = _apply(data, edit)
        arch, problems = check(data)
        shown = _problems(problems, where)
        errors = [p for p in shown if p["severity"] == "error"]
        if errors or arch is None:
            raise EditError(errors or shown)
        del self.states[self.position + 1:]
        self.states.append(data)
        if len(self.states) > HISTORY:
            self.states.pop(0)
        self.position = len(self.states) - 1
        self.warnings = [p for p in shown if p["severity"] == "warning"]
        self.label = label
        return arch


def _bad(message: str, key: str | None = None) -> EditError:
    return EditError([{"message": message, "severity": "error", "key": key, "at": "edit"}])


def _relation(given: Any) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise _bad("relation: expected an object with from, to and kind")
    rel: dict[str, Any] = {}
    for key in RELATION_KEYS:
        value = given.get(key)
        if value in (None, "", []) and key != "active_in":
            continue
        if key == "active_in":
            if value is None:
                continue
            if not isinstance(value, list) or not value:
                raise _bad("active_in: choose at least one situation, or none for always", "active_in")
            rel[key] = sorted({str(v) for v in value})
        elif key == "assumption":
            if value:
                rel[key] = True
        else:
            rel[key] = str(value).strip()
    for key in ("from", "to", "kind"):
        if not rel.get(key):
            raise _bad(f"{key}: required", key)
    if not rel.get("source") and not rel.get("assumption"):
        raise _bad("source: cite a source or mark the relation as an assumption", "source")
    return rel


def _index(data: dict[str, Any], section: str, given: Any) -> int:
    items = data.get(section, [])
    if not isinstance(given, int) or not 0 <= given < len(items):
        raise _bad(f"{section}: no entry {given!r}")
    return given


def _apply(data: dict[str, Any], edit: dict[str, Any]) -> tuple[tuple[str, int] | None, str]:
    """Change `data` by `edit`; the element edited (section, index) and a short description."""
    op = edit.get("op")
    rels: list[dict[str, Any]] = data.setdefault("relations", [])
    orgs: list[dict[str, Any]] = data.setdefault("organizations", [])
    if op == "add-relation":
        rel = _relation(edit.get("relation"))
        rels.append(rel)
        return ("relations", len(rels) - 1), f"+ {rel['kind']} {rel['from']} → {rel['to']}"
    if op == "change-relation":
        i = _index(data, "relations", edit.get("index"))
        rels[i] = _relation(edit.get("relation"))
        return ("relations", i), f"~ {rels[i]['kind']} {rels[i]['from']} → {rels[i]['to']}"
    if op == "remove-relation":
        i = _index(data, "relations", edit.get("index"))
        gone = rels.pop(i)
        return None, f"− {gone['kind']} {gone['from']} → {gone['to']}"
    if op == "add-organization":
        given = edit.get("organization")
        if not isinstance(given, dict):
            raise _bad("organization: expected an object with id, names, nation and kind")
        org = {k: given[k] for k in ORGANIZATION_KEYS if given.get(k) not in (None, "", False)}
        for key in ("id", "nation", "kind"):
            if not org.get(key):
                raise _bad(f"{key}: required", key)
        if not org.get("source") and not org.get("assumption"):
            raise _bad("source: cite a source or mark the organization as an assumption", "source")
        orgs.append(org)
        return ("organizations", len(orgs) - 1), f"+ {org['id']}"
    if op == "remove-organization":
        org_id = edit.get("id")
        if not any(o.get("id") == org_id for o in orgs):
            raise _bad(f"organization {org_id!r} is not in the arrangement", "id")
        data["organizations"] = [o for o in orgs if o.get("id") != org_id]
        data["relations"] = [r for r in rels if org_id not in (r.get("from"), r.get("to"))]
        return None, f"− {org_id}"
    if op == "set-combined":
        org_id = edit.get("id")
        found = next((o for o in orgs if o.get("id") == org_id), None)
        if found is None:
            raise _bad(f"organization {org_id!r} is not in the arrangement", "id")
        if edit.get("combined"):
            found["combined"] = True
        else:
            found.pop("combined", None)
        return ("organizations", orgs.index(found)), f"{'+' if edit.get('combined') else '−'} combined {org_id}"
    if op == "set-reforms":
        reforms = edit.get("reforms")
        if not isinstance(reforms, list) or not all(isinstance(r, str) for r in reforms):
            raise _bad("reforms: expected a list of reform ids", "reforms")
        known = default_catalog().reforms
        unknown = [r for r in reforms if r not in known]
        if unknown:
            raise _bad(UnknownIdError("reform", unknown[0], list(known)).describe(), "reforms")
        if reforms:
            data["presupposes_reforms"] = sorted(set(reforms))
        else:
            data.pop("presupposes_reforms", None)
        return None, f"reforms: {', '.join(sorted(set(reforms))) or '—'}"
    raise _bad(f"op: unknown edit {op!r}; choose from: add-relation, change-relation, remove-relation, "
               "add-organization, remove-organization, set-combined, set-reforms", "op")
