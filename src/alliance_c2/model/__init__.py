"""The model: typed arrangements loaded from the catalog, with line-aware validation."""

from .architecture import Architecture, Organization, Plan, Relation, Role, Side
from .errors import CatalogError, Problem, UnknownIdError
from .load import (
    ARCHITECTURES_DIR,
    CATALOG_DIR,
    bundled_architectures,
    civilian_reach,
    load_architecture,
    parse_spec,
    validate_file,
)
from .vocabulary import LEVELS, RELATION_KINDS, SITUATIONS

__all__ = [
    "ARCHITECTURES_DIR",
    "CATALOG_DIR",
    "LEVELS",
    "RELATION_KINDS",
    "SITUATIONS",
    "Architecture",
    "CatalogError",
    "Organization",
    "Plan",
    "Problem",
    "Relation",
    "Role",
    "Side",
    "UnknownIdError",
    "bundled_architectures",
    "civilian_reach",
    "load_architecture",
    "parse_spec",
    "validate_file",
]
