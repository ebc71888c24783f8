"""The catalog's vocabulary: situations, actions, approvals, relation kinds and nations, with their names.

Read from `catalog/situations.yaml`, the statute's `law/<nation>/actions.yaml`, `approvals.yaml`, `relation-kinds.yaml`, `nations.yaml`
and `guideline-categories.yaml`: code refers to these ids and takes their order and their English and Japanese names from
here, never from a copy. Only the ids and names are read (no pydantic), and kept as a pickle keyed by the
files' content, so start-up stays cheap; the law catalog reads and validates the law in the first three.
The levels are `levels.py`'s.

The sets below give relation-kind ids their meaning in the code (which kinds carry authority, which give
operational control); the kinds of organization and the echelons are the catalog's format (`schema.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

from .cache import cached
from .errors import CatalogError, Problem, UnknownIdError
from .paths import CATALOG_DIR, actions_file, national_law_files
from .yamlsource import YamlDocument, read_yaml

# Relations that carry authority to direct; a cycle among them is an error.
COMMAND_KINDS: Final = frozenset({"political-direction", "command", "opcon", "tacon", "adcon"})
# Relations along which a unit reaches its own civilian head of government.
CIVILIAN_CHAIN_KINDS: Final = frozenset({"political-direction", "command"})
# Relations that give operational authority to order a unit.
OPERATIONAL_KINDS: Final = frozenset({"command", "opcon", "tacon"})
COORDINATION_KINDS: Final = frozenset({"coordination", "consultation", "liaison"})
# Relations by which an organization takes part in a body (`to` is the body).
MEMBERSHIP_KINDS: Final = frozenset({"coordination", "consultation"})

ORGANIZATION_KINDS: Final = (
    "political-authority",
    "ministry",
    "consultative-body",
    "headquarters",
    "component-command",
    "unit",
    "liaison-cell",
)
MILITARY_KINDS: Final = frozenset({"headquarters", "component-command", "unit"})
CIVILIAN_KINDS: Final = frozenset({"political-authority", "ministry", "consultative-body"})

ECHELONS: Final = (
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
)

# Scenario files: the components a force answers with, and the domains an inject happens in.
COMPONENTS: Final = ("ground", "maritime", "air", "missile-defense", "cyber", "space", "joint")
DOMAINS: Final = ("air-missile", "maritime", "ground", "air", "cyber", "space", "disaster", "multi")

_FILES: Final = {
    "situations": "situations.yaml",
    "actions": "actions.yaml",
    "approvals": "approvals.yaml",
    "relation-kinds": "relation-kinds.yaml",
    "nations": "nations.yaml",
    "guideline-categories": "guideline-categories.yaml",
}
_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Term:
    """One id of the vocabulary with its names."""

    id: str
    name_en: str
    name_ja: str

    def name(self, lang: str = "en") -> str:
        """The name in `lang` (English when there is no Japanese name)."""
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en


@dataclass(frozen=True, slots=True)
class KeptAuthority:
    """Relation kinds a nation's law never lets another nation's commander hold over its forces, and why."""

    kinds: frozenset[str]
    rule: str
    article: str
    reason_en: str
    reason_ja: str


@dataclass(frozen=True)
class Vocabulary:
    """The catalog's terms, each tuple in the catalog's order."""

    situations: tuple[Term, ...]
    actions: tuple[Term, ...]
    approvals: tuple[Term, ...]
    relation_kinds: tuple[Term, ...]
    nations: tuple[Term, ...]
    guideline_categories: tuple[Term, ...]
    ordinary_situation: str  # in force while none has been recognized
    reference_situation: str  # arrangements are analyzed, compared and drawn in it unless one is named
    # Nation -> the authority its law keeps from other nations' commanders (law/<nation>/rules.yaml `keeps:`).
    kept_by_law: Mapping[str, KeptAuthority] = field(default_factory=dict)


def vocabulary() -> Vocabulary:
    """The vocabulary of the catalog in use (read once per process, cached by the files' content)."""
    return _read(str(CATALOG_DIR))


@lru_cache(maxsize=4)
def _read(directory: str) -> Vocabulary:
    paths = [actions_file(Path(directory)) if kind == "actions" else Path(directory) / name for kind, name in _FILES.items()]
    laws = national_law_files(Path(directory))
    try:
        contents = [p.read_bytes() for p in (*paths, *laws)]
    except OSError as exc:
        raise CatalogError([Problem(str(exc.filename or directory), 1, f"cannot read: {exc.strerror}")]) from None
    return cached("vocabulary", contents, Vocabulary, lambda: _build(paths, laws))


def _build(paths: Sequence[Path], laws: Sequence[Path]) -> Vocabulary:
    docs = {kind: read_yaml(path) for kind, path in zip(_FILES, paths, strict=True)}
    terms = {kind: _terms(doc, kind) for kind, doc in docs.items()}
    situations = docs["situations"]
    ids = [t.id for t in terms["situations"]]
    return Vocabulary(
        terms["situations"],
        terms["actions"],
        terms["approvals"],
        terms["relation-kinds"],
        terms["nations"],
        terms["guideline-categories"],
        _situation_key(situations, "ordinary", ids),
        _situation_key(situations, "reference", ids),
        _kept(laws),
    )


def _kept(laws: Sequence[Path]) -> dict[str, KeptAuthority]:
    """Only the `keeps:` of each nation's law (the law catalog validates the rest)."""
    out: dict[str, KeptAuthority] = {}
    for path in laws:
        data = read_yaml(path).data
        if not isinstance(data, dict) or not isinstance(data.get("nation"), str):
            continue
        for rule in data.get("rules") or ():
            if isinstance(rule, dict) and rule.get("keeps"):
                out[data["nation"]] = KeptAuthority(
                    frozenset(rule["keeps"]), str(rule["id"]), str(rule.get("article") or rule["id"]),
                    str(rule.get("keeps_reason_en") or rule.get("name_en") or ""),
                    str(rule.get("keeps_reason_ja") or rule.get("name_ja") or ""))
    return out


def _terms(doc: YamlDocument, kind: str) -> tuple[Term, ...]:
    problems = vocabulary_problems(doc, kind, strict=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return tuple(
        Term(item["id"], str(item.get("name_en") or item["id"]), str(item.get("name_ja") or ""))
        for item in doc.data["items"]
    )


def _situation_key(doc: YamlDocument, key: str, ids: list[str]) -> str:
    value = doc.data.get(key)
    if value not in ids:
        found = "missing" if value is None else f"unknown situation {value!r}"
        raise CatalogError([doc.problem((key,), f"{key}: {found}; name one of: {', '.join(ids)}")])
    return str(value)


def vocabulary_problems(doc: YamlDocument, kind: str, strict: bool) -> list[Problem]:
    """What is wrong with the ids and names of a vocabulary file (`kind:` and `items:` with unique ids)."""
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != kind:
        return [doc.problem(("kind",), f"expected 'kind: {kind}' at top level")]
    items = data.get("items")
    if not isinstance(items, list) or not items:
        return [doc.problem(("items",), "items: a list of entries with id, name_en and name_ja is required")]
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        loc: tuple[int | str, ...] = ("items", i)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not _ID.match(item["id"]):
            problems.append(doc.problem(loc, f"items[{i}]: needs an id of letters, digits and hyphens"))
            continue
        if item["id"] in seen:
            problems.append(doc.problem((*loc, "id"), f"items[{i}].id: duplicate id {item['id']!r}"))
        seen.add(item["id"])
        for key in ("name_en", "name_ja"):
            if not isinstance(item.get(key), str) or not item[key]:
                problems.append(doc.problem(loc, f"items[{i}] {item['id']!r}: missing {key}", soft))
    return problems


def _extra_problems(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Sources for the files only this module reads (relation kinds, nations): per item or for the file."""
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    file_source = doc.data.get("source") if isinstance(doc.data, dict) else None
    allowed = {"id", "name_en", "name_ja", "source", "assumption", "note_en", "note_ja"}
    for i, item in enumerate(doc.data.get("items") or []):
        if not isinstance(item, dict):
            continue
        for key in sorted(set(item) - allowed):
            problems.append(doc.problem(("items", i, key), f"items[{i}].{key}: unknown key"))
        if not (item.get("source") or item.get("assumption") or file_source):
            problems.append(doc.problem(("items", i), f"items[{i}]: no source (add source: or assumption: true)", soft))
    for key in sorted(set(doc.data) - {"kind", "source", "items"}):
        problems.append(doc.problem((key,), f"{key}: unknown key"))
    return problems


def _validate_terms(kind: str) -> Callable[[YamlDocument, bool], list[Problem]]:
    def validate(doc: YamlDocument, strict: bool) -> list[Problem]:
        problems = vocabulary_problems(doc, kind, strict)
        if any(p.severity == "error" and "kind" in p.message for p in problems):
            return problems
        return problems + _extra_problems(doc, strict)

    return validate


VALIDATORS = {kind: _validate_terms(kind) for kind in ("relation-kinds", "nations", "guideline-categories")}


def term_name(terms: Sequence[Term], term_id: str, lang: str) -> str:
    """The name in `lang` of the term with this id among `terms` (the id itself when there is none)."""
    found = next((t for t in terms if t.id == term_id), None)
    return found.name(lang) if found is not None else term_id


def ids(terms: Sequence[Term]) -> tuple[str, ...]:
    """The ids of `terms`, in order."""
    return tuple(t.id for t in terms)


def situation_ids() -> tuple[str, ...]:
    """Every situation id, in the catalog's order."""
    return ids(vocabulary().situations)


def action_ids() -> tuple[str, ...]:
    """Every action id, in the catalog's order."""
    return ids(vocabulary().actions)


def relation_kind_ids() -> tuple[str, ...]:
    """Every relation kind, in the catalog's order."""
    return ids(vocabulary().relation_kinds)


def ordinary_situation() -> str:
    """The situation in force while none has been recognized."""
    return vocabulary().ordinary_situation


def reference_situation() -> str:
    """The situation arrangements are analyzed, compared and drawn in unless one is named."""
    return vocabulary().reference_situation


def require_situation(situation: str) -> str:
    """`situation` if the catalog has it; UnknownIdError (with a close match) otherwise."""
    known = situation_ids()
    if situation not in known:
        raise UnknownIdError("situation", situation, list(known))
    return situation
