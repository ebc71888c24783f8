"""JSON interchange: the arrangement in the shape of its catalog YAML, with full fidelity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..model import Architecture, CatalogError, Problem
from ..model.load import architecture_from_document
from ..model.serialize import arrangement_dict
from ..model.yamlsource import YamlDocument, decode_utf8, read_input_file
from .xmlsafe import MAX_XML_BYTES

MAX_JSON_BYTES = MAX_XML_BYTES


def arrangement_data(arch: Architecture) -> dict[str, Any]:
    """The arrangement as plain data; loading it again gives an identical arrangement."""
    data = arrangement_dict(arch)
    # An explicit empty `active_in` (never active) differs from an absent one (always active).
    for rel, out in zip(arch.relations, data.get("relations", []), strict=True):
        if rel.active_in is not None and not rel.active_in:
            out["active_in"] = []
    return data


def export_json(arch: Architecture) -> str:
    """The arrangement as JSON text (UTF-8, Japanese kept readable)."""
    return json.dumps(arrangement_data(arch), ensure_ascii=False, indent=2) + "\n"


def import_json(
    path: str | Path, *, strict: bool = False, max_bytes: int = MAX_JSON_BYTES
) -> tuple[Architecture, dict[str, Any], list[Problem]]:
    """Read a JSON arrangement; returns it, its data and its warnings. CatalogError on errors."""
    p = Path(path)
    text = decode_utf8(read_input_file(p, max_bytes), str(p))
    return arrangement_from_json(text, str(p), strict=strict)


def arrangement_from_json(
    text: str, path: str, *, strict: bool = False
) -> tuple[Architecture, dict[str, Any], list[Problem]]:
    """Parse and validate JSON text as an arrangement (problems name lines of the JSON text)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError([Problem(path, exc.lineno, f"JSON syntax error: {exc.msg}")]) from None
    except RecursionError:
        raise CatalogError([Problem(path, 1, "JSON nested too deeply")]) from None
    if not isinstance(data, dict) or data.get("kind") != "architecture":
        raise CatalogError([Problem(path, 1, 'expected a JSON object with "kind": "architecture"')])
    arch, problems = architecture_from_document(_JsonDocument(data, text, path), strict=strict)
    errors = [p for p in problems if p.severity == "error"]
    if errors or arch is None:
        raise CatalogError(errors or problems)
    return arch, data, problems


class _JsonDocument(YamlDocument):
    """JSON is YAML, so line look-ups work; a JSON quirk YAML rejects falls back to line 1."""

    def line(self, loc: tuple[int | str, ...] = ()) -> int:
        try:
            return super().line(loc)
        except yaml.YAMLError:
            return 1


