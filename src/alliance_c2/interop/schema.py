"""The vendored C2SIM schemas: editions, namespaces, compiled validators (cached per edition).

Two editions share the namespace `.../C2SIM/1.1`: CWIX2025 (`1.1`) and the 1.0.0 edition of
2019-2024. A file in that namespace is tried against CWIX2025 first, then 1.0.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from ..model import CatalogError, Problem, UnknownIdError
from .xmlsafe import safe_parser

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
NAMESPACE_PREFIX = "http://www.sisostds.org/schemas/C2SIM/"
_QUALIFIED = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class SchemaVersion:
    """One supported C2SIM schema edition.

    `layout` says how units are written: "unit" (MilitaryOrganization/Unit with EchelonCode and
    CommandRelation, 1.1 and 2.0.0) or "entity-type" (MilitaryOrganization with EntityType
    children, 1.0.0). `single_receiver`: the header and an order name exactly one receiver.
    """

    key: str
    namespace: str
    file: str
    label: str
    layout: str
    single_receiver: bool


SCHEMAS: dict[str, SchemaVersion] = {
    "2.0.0": SchemaVersion(
        "2.0.0",
        NAMESPACE_PREFIX + "2.0.0-cwix2026",
        "C2SIM_SMX_LOX_v2.0.0-cwix2026.xsd",
        "2.0.0-cwix2026",
        "unit",
        False,
    ),
    "1.1": SchemaVersion(
        "1.1", NAMESPACE_PREFIX + "1.1", "C2SIM_SMX_LOX_CWIX2025.xsd", "1.1 (CWIX2025)", "unit", True
    ),
    "1.0.0": SchemaVersion(
        "1.0.0", NAMESPACE_PREFIX + "1.1", "C2SIM_SMX_LOX_v1.0.0.xsd", "1.0.0", "entity-type", True
    ),
}
DEFAULT_SCHEMA = "2.0.0"


def schema_version(key: str) -> SchemaVersion:
    """The schema edition for `key` ("2.0.0", "1.1" or "1.0.0"); UnknownIdError otherwise."""
    try:
        return SCHEMAS[key]
    except KeyError:
        raise UnknownIdError("C2SIM schema edition", key, list(SCHEMAS)) from None


def editions_for_namespace(namespace: str) -> list[SchemaVersion]:
    """The supported editions whose target namespace is `namespace`, newest first."""
    return [v for v in SCHEMAS.values() if v.namespace == namespace]


@cache
def compiled_schema(key: str) -> etree.XMLSchema:
    """The compiled XMLSchema for an edition (compiled once per process)."""
    version = schema_version(key)
    doc = etree.parse(str(SCHEMA_DIR / version.file), safe_parser())
    return etree.XMLSchema(doc)


def schema_problems(tree: etree._ElementTree, key: str, path: str) -> list[Problem]:
    """Every schema violation of `tree` against edition `key`, as FILE:LINE problems."""
    schema = compiled_schema(key)
    if schema.validate(tree):
        return []
    return [
        Problem(path, err.line or 1, f"not valid C2SIM {SCHEMAS[key].label}: {plain_schema_message(err.message)}")
        for err in schema.error_log
    ]


def plain_schema_message(message: str) -> str:
    """A validator message without namespace-qualified names ('{http://...}Unit' -> 'Unit')."""
    return _QUALIFIED.sub("", message)


def validate_c2sim(tree: etree._ElementTree, key: str, path: str) -> None:
    """Raise CatalogError with the first schema violation, if any."""
    problems = schema_problems(tree, key, path)
    if problems:
        raise CatalogError(problems)
