"""The vendored C2SIM schemas: versions, namespaces, compiled validators (cached per version)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from ..model import CatalogError, Problem, UnknownIdError
from .xmlsafe import safe_parser

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
NAMESPACE_PREFIX = "http://www.sisostds.org/schemas/C2SIM/"


@dataclass(frozen=True)
class SchemaVersion:
    """One supported C2SIM schema edition."""

    key: str
    namespace: str
    file: str
    label: str


SCHEMAS: dict[str, SchemaVersion] = {
    "2.0.0": SchemaVersion(
        "2.0.0", NAMESPACE_PREFIX + "2.0.0-cwix2026", "C2SIM_SMX_LOX_v2.0.0-cwix2026.xsd", "2.0.0-cwix2026"
    ),
    "1.1": SchemaVersion("1.1", NAMESPACE_PREFIX + "1.1", "C2SIM_SMX_LOX_CWIX2025.xsd", "1.1 (CWIX2025)"),
}
DEFAULT_SCHEMA = "2.0.0"


def schema_version(key: str) -> SchemaVersion:
    """The schema edition for `key` ("2.0.0" or "1.1"); UnknownIdError otherwise."""
    try:
        return SCHEMAS[key]
    except KeyError:
        raise UnknownIdError("C2SIM schema version", key, list(SCHEMAS)) from None


def version_for_namespace(namespace: str) -> SchemaVersion | None:
    """The supported edition whose target namespace is `namespace`, if any."""
    return next((v for v in SCHEMAS.values() if v.namespace == namespace), None)


@cache
def compiled_schema(key: str) -> etree.XMLSchema:
    """The compiled XMLSchema for a version (compiled once per process)."""
    version = schema_version(key)
    doc = etree.parse(str(SCHEMA_DIR / version.file), safe_parser())
    return etree.XMLSchema(doc)


def schema_problems(tree: etree._ElementTree, key: str, path: str) -> list[Problem]:
    """Every schema violation of `tree` against version `key`, as FILE:LINE problems."""
    schema = compiled_schema(key)
    if schema.validate(tree):
        return []
    return [
        Problem(path, err.line or 1, f"not valid C2SIM {SCHEMAS[key].label}: {err.message}")
        for err in schema.error_log
    ]


def validate_c2sim(tree: etree._ElementTree, key: str, path: str) -> None:
    """Raise CatalogError with the first schema violation, if any."""
    problems = schema_problems(tree, key, path)
    if problems:
        raise CatalogError(problems)
