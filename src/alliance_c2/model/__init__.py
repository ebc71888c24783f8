"""The model: typed arrangements loaded from the catalog, with line-aware validation."""

from .architecture import Architecture, Organization, Plan, Relation, Role, Side
from .errors import CatalogError, Problem, UnknownIdError
from .levels import level_catalog, level_ids
from .load import (
    bundled_architectures,
    civilian_reach,
    load_architecture,
    parse_spec,
    validate_file,
)
from .paths import ARCHITECTURES_DIR, CATALOG_DIR
from .vocabulary import (
    Term,
    ordinary_situation,
    reference_situation,
    relation_kind_ids,
    require_situation,
    situation_ids,
    vocabulary,
)

__all__ = [
    "ARCHITECTURES_DIR",
    "CATALOG_DIR",
    "Architecture",
    "CatalogError",
    "Organization",
    "Plan",
    "Problem",
    "Relation",
    "Role",
    "Side",
    "Term",
    "UnknownIdError",
    "bundled_architectures",
    "civilian_reach",
    "level_catalog",
    "level_ids",
    "load_architecture",
    "ordinary_situation",
    "parse_spec",
    "reference_situation",
    "relation_kind_ids",
    "require_situation",
    "situation_ids",
    "validate_file",
    "vocabulary",
]
