"""The history of the Guidelines for Japan-U.S. Defense Cooperation as data: show and diff versions."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .errors import CatalogError, Problem, UnknownIdError
from .load import parse_spec, validator_of
from .paths import CATALOG_DIR
from .yamlsource import YamlDocument, read_yaml

GUIDELINES_DIR = CATALOG_DIR / "guidelines"

# YAML 1.2 reads an unquoted 2015-04-27 as a date and 1978 as a number; both are text here.
Text = Annotated[str, BeforeValidator(lambda v: v if v is None or isinstance(v, str) else str(v))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class NamingNote(_Sourced):
    text_en: str
    text_ja: str | None = None


class Approved(_Sourced):
    date: Text | None = None
    by_en: str | None = None
    by_ja: str | None = None
    status: str | None = None


class Drafter(_Sourced):
    name_en: str
    name_ja: str


class Section(_Sourced):
    id: str
    title_en: str
    title_ja: str


class Element(_Sourced):
    id: str
    category: str
    name_en: str
    name_ja: str
    replaces: list[str] = Field(default_factory=list)
    established: Text | None = None
    reform: str | None = None
    naming_note: NamingNote | None = None


class Dropped(_Sourced):
    id: str


class LegislationStatus(_Sourced):
    value: str


class Law(_Sourced):
    id: str
    kind: str | None = None
    name_en: str
    name_ja: str
    date: Text | None = None
    enacted: Text | None = None
    promulgated: Text | None = None
    signed: Text | None = None
    in_force: Text | None = None
    part_of: str | None = None
    amends_en: list[str] = Field(default_factory=list)
    amends_ja: list[str] = Field(default_factory=list)
    relation: str | None = None
    status: str | None = None
    reform: str | None = None


class GuidelinesVersion(_Sourced):
    """One version of the Guidelines: context, sections, elements it set up, laws that followed."""

    kind: str
    id: Text
    name_en: str
    name_ja: str
    approved: Approved
    architecture: str | None = None
    replaces: Text | None = None
    drafted_by: Drafter | None = None
    context_en: str
    context_ja: str
    sections_note_en: str | None = None
    sections_note_ja: str | None = None
    sections: list[Section]
    role_division_en: str
    role_division_ja: str
    role_division_source: str | None = None
    elements: list[Element]
    dropped: list[Dropped] = Field(default_factory=list)
    legislation_status: LegislationStatus | None = None
    legislation: list[Law] = Field(default_factory=list)
    naming_note: NamingNote | None = None

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def listing(self) -> dict[str, Any]:
        """The version's line in `alliance-c2 guidelines --json`."""
        return {"id": self.id, "name_en": self.name_en, "name_ja": self.name_ja, "date": self.approved.date,
                "status": self.approved.status or "approved", "architecture": self.architecture,
                "elements": len(self.elements), "laws": len(self.legislation)}


def guidelines_versions() -> list[str]:
    """Version ids in chronological order."""
    versions = [load_guidelines_file(p).id for p in sorted(GUIDELINES_DIR.glob("*.yaml"))]
    return sorted(versions, key=lambda v: (v[:4], v))


def _version_from_document(doc: YamlDocument, strict: bool) -> tuple[GuidelinesVersion, list[Problem]]:
    spec = parse_spec(GuidelinesVersion, doc, "guidelines")
    severity = "error" if strict else "warning"
    problems: list[Problem] = []
    groups: tuple[tuple[str, Sequence[Section | Element | Law]], ...] = (
        ("sections", spec.sections),
        ("elements", spec.elements),
        ("legislation", spec.legislation),
    )
    for key, items in groups:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(doc.problem((key, i, "id"), f"{key}[{i}].id: duplicate id {item.id!r}"))
            seen.add(item.id)
            if not item.source and not item.assumption:
                problems.append(doc.problem((key, i), f"{key}[{i}] {item.id!r}: no source (add source: or assumption: true)", severity))
    return spec, problems


@lru_cache(maxsize=16)
def load_guidelines_file(path: Path) -> GuidelinesVersion:
    spec, problems = _version_from_document(read_yaml(path), strict=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return spec


def load_guidelines(version: str) -> GuidelinesVersion:
    """One bundled version by id (1978, 1997, 2015, 2024-proposal)."""
    path = GUIDELINES_DIR / f"{version}.yaml"
    if not path.exists():
        raise UnknownIdError("Guidelines version", version, guidelines_versions())
    return load_guidelines_file(path)


def diff_guidelines(a: str, b: str) -> dict[str, Any]:
    """What version `b` added, replaced, changed, kept and removed relative to version `a`.

    Elements match by id; `replaces:` on an element of `b` names the elements of `a` it supersedes
    (for versions further apart, replacements are followed through the versions in between).
    """
    va, vb = load_guidelines(a), load_guidelines(b)
    chain = _replacement_map(a, b)
    a_ids = {e.id for e in va.elements}
    b_ids = {e.id for e in vb.elements}
    replaced: list[dict[str, Any]] = []
    replaced_a: set[str] = set()
    for element in vb.elements:
        olds = sorted(chain.get(element.id, set()) & a_ids - {element.id})
        if olds:
            replaced_a.update(olds)
            replaced.append(
                {
                    "from": olds,
                    "from_names_en": [va.element(o).name_en for o in olds if va.element(o)],  # type: ignore[union-attr]
                    "from_names_ja": [va.element(o).name_ja for o in olds if va.element(o)],  # type: ignore[union-attr]
                    "to": element.id,
                    "to_name_en": element.name_en,
                    "to_name_ja": element.name_ja,
                    "summary_en": f"{', '.join(olds)} → {element.id}",
                    "source": element.source,
                }
            )
    added = [_brief(e) for e in vb.elements if e.id not in a_ids and not (chain.get(e.id, set()) & a_ids)]
    changed = [
        {**_brief(e), "was_en": va.element(e.id).name_en, "was_ja": va.element(e.id).name_ja}  # type: ignore[union-attr]
        for e in vb.elements
        if e.id in a_ids and va.element(e.id).name_en != e.name_en  # type: ignore[union-attr]
    ]
    kept = [e.id for e in vb.elements if e.id in a_ids]
    removed = [_brief(e) for e in va.elements if e.id not in b_ids and e.id not in replaced_a]
    return {
        "from": a,
        "to": b,
        "added": added,
        "replaced": replaced,
        "changed": changed,
        "kept": kept,
        "removed": removed,
        "legislation_after": [
            {"id": law.id, "name_en": law.name_en, "name_ja": law.name_ja, "date": law.date, "status": law.status}
            for law in vb.legislation
        ],
    }


def _brief(e: Element) -> dict[str, Any]:
    return {"id": e.id, "category": e.category, "name_en": e.name_en, "name_ja": e.name_ja, "source": e.source}


def _replacement_map(a: str, b: str) -> dict[str, set[str]]:
    """For each element of `b`, the element ids of `a` it descends from through `replaces:`."""
    versions = guidelines_versions()
    if versions.index(a) >= versions.index(b):
        return {e.id: set(e.replaces) for e in load_guidelines(b).elements}
    span = versions[versions.index(a) + 1 : versions.index(b) + 1]
    ancestry: dict[str, set[str]] = {}
    for version in span:
        step: dict[str, set[str]] = {}
        for element in load_guidelines(version).elements:
            roots: set[str] = set()
            for old in [*element.replaces, element.id]:
                roots |= ancestry.get(old, {old} if version == span[0] else set())
            step[element.id] = roots | set(element.replaces if version == span[0] else ())
        ancestry = step
    return ancestry


VALIDATORS = {"guidelines": validator_of(_version_from_document)}
