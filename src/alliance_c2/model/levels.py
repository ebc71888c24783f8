"""The study's four levels of interoperability, quoted, and the tests this project derives them by.

`catalog/levels.yaml` holds the study's definitions (Japanese original and English reading) and,
for each level, the structural rules `alliance_c2.analysis` applies, each marked as this project's
interpretation. The validated catalog is kept as a pickle keyed by the file's content, so
`alliance-c2 analyze` does not pay for pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cache import cached
from .errors import CatalogError, Problem
from .load import parse_spec, validator_of
from .paths import CATALOG_DIR
from .yamlsource import YamlDocument, read_yaml

LEVELS_FILE = CATALOG_DIR / "levels.yaml"
# The structural tests `alliance_c2.analysis` implements, tried from the highest level down; levels.yaml
# says which level each derives and quotes its basis, so each must be there.
UNIFIED_RULE = "combined-commander-opcon"
COMBINED_STAFF_RULE = "combined-staff"
TACON_RULE = "cross-national-tacon"
COORDINATION_RULE = "coordination-body"
DECONFLICT_RULE = "no-joining-structure"
RULES = (UNIFIED_RULE, COMBINED_STAFF_RULE, TACON_RULE, COORDINATION_RULE, DECONFLICT_RULE)


@dataclass(frozen=True, slots=True)
class LevelRule:
    """A structural test that derives `level`; this project's interpretation of the study."""

    id: str
    level: str
    text_en: str
    text_ja: str
    note_en: str | None
    note_ja: str | None
    source: str | None
    assumption: bool


@dataclass(frozen=True, slots=True)
class LevelDefinition:
    """One of the study's levels: its name and its definition, quoted with the English reading."""

    id: str
    name_en: str
    name_ja: str
    definition_ja: str
    definition_en: str
    source: str | None

    def name(self, lang: str = "en") -> str:
        """The level's name in `lang`: the study's term."""
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en


@dataclass(frozen=True)
class LevelCatalog:
    levels: Mapping[str, LevelDefinition]
    rules: Mapping[str, LevelRule]
    basis_en: str
    basis_ja: str
    source: str

    def definition(self, level: str) -> LevelDefinition:
        """The study's definition of `level` (one of `level_ids()`)."""
        return self.levels[level]

    @property
    def ids(self) -> tuple[str, ...]:
        """The levels, lowest first (the catalog's order)."""
        return tuple(self.levels)

    def rule(self, rule_id: str) -> LevelRule:
        """The rule with this id (one of `RULES`)."""
        return self.rules[rule_id]


def level_catalog() -> LevelCatalog:
    """The bundled level catalog (validated once, then read from the cache)."""
    return _bundled(str(LEVELS_FILE))


def level_ids() -> tuple[str, ...]:
    """The interoperability levels, lowest first."""
    return level_catalog().ids


def lowest_level() -> str:
    """The level of an arrangement in which nothing joins the nations' forces."""
    return level_catalog().ids[0]


@lru_cache(maxsize=2)
def _bundled(path: str) -> LevelCatalog:
    data = Path(path).read_bytes()
    return cached("levels", [data], LevelCatalog, lambda: _load(Path(path)))


def _load(path: Path) -> LevelCatalog:
    catalog, problems = _from_document(read_yaml(path), strict=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors or catalog is None:
        raise CatalogError(errors or problems)
    return catalog


def _from_document(doc: YamlDocument, strict: bool) -> tuple[LevelCatalog | None, list[Problem]]:
    # Imported here: pydantic costs start-up time, and the cached catalog needs none.
    from .schema import LevelsSpec

    spec = parse_spec(LevelsSpec, doc, "levels")
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    levels: dict[str, LevelDefinition] = {}
    rules: dict[str, LevelRule] = {}
    for i, item in enumerate(spec.items):
        if item.id in levels:
            problems.append(doc.problem(("items", i, "id"), f"items[{i}].id: duplicate level {item.id!r}"))
        if not item.name_en or not item.name_ja:
            problems.append(doc.problem(("items", i), f"items[{i}] {item.id!r}: needs name_en and name_ja", soft))
        if not item.source:
            problems.append(doc.problem(("items", i), f"items[{i}] {item.id!r}: the study's definition needs a source", soft))
        levels[item.id] = LevelDefinition(
            item.id, item.name_en or item.id, item.name_ja or "", item.definition_ja, item.definition_en, item.source
        )
        for j, rule in enumerate(item.rules):
            loc = ("items", i, "rules", j)
            if rule.id in rules:
                problems.append(doc.problem((*loc, "id"), f"items[{i}].rules[{j}].id: duplicate rule id {rule.id!r}"))
            if not rule.source and not rule.assumption:
                problems.append(doc.problem(loc, f"rule {rule.id!r}: no source (add source: or assumption: true)", soft))
            rules[rule.id] = LevelRule(
                rule.id, item.id, rule.text_en, rule.text_ja, rule.note_en, rule.note_ja, rule.source, rule.assumption
            )
    missing = [r for r in RULES if r not in rules]
    if missing:
        problems.insert(0, doc.problem(("items",), f"items: missing rule(s) {', '.join(missing)}: the structural "
                                       "analysis implements them, so each needs its level here"))
    catalog = LevelCatalog(levels, rules, spec.basis_en, spec.basis_ja, spec.source)
    return catalog, problems


VALIDATORS = {"levels": validator_of(_from_document)}
