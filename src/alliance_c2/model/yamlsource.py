"""Line-aware YAML: plain dicts and lists that remember the line each value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CatalogError, Problem

_MAX_BYTES = 64 * 1024 * 1024

try:  # the C loader is much faster on large files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


_STR_TAG = "tag:yaml.org,2002:str"
_SCALARS = yaml.constructor.SafeConstructor()


class LineDict(dict[str, Any]):
    """A mapping from YAML with `line` (its own) and `key_lines` (line of each key)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence from YAML with `line` (its own) and `item_lines`."""

    line: int = 0
    item_lines: list[int]


def _convert(node: yaml.Node, path: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in out.key_lines:
                raise CatalogError([Problem(path, line, f"duplicate key {key!r}")])
            out[key] = _convert(value_node, path)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LineList(_convert(item, path) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    if node.tag == _STR_TAG:
        return node.value
    # Other scalars: the safe constructor resolves the tag (int, bool, null, float, date).
    return _SCALARS.construct_object(node, deep=True)


def parse_yaml(text: str | bytes, path: str) -> Any:
    """Parse YAML text into LineDict/LineList values; raise CatalogError naming path and line."""
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise CatalogError([Problem(path, 1, "not a text file (binary content)")])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            raise CatalogError([Problem(path, line, "not valid UTF-8 text")]) from None
    if not text.strip():
        raise CatalogError([Problem(path, 1, "file is empty")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or exc.context or "invalid YAML"
        raise CatalogError([Problem(path, line, f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([Problem(path, 1, f"YAML error: {exc}")]) from None
    if node is None:
        raise CatalogError([Problem(path, 1, "file is empty")])
    try:
        return _convert(node, path)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise CatalogError([Problem(path, line, f"YAML error: {exc}")]) from None


def read_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file with line information."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > _MAX_BYTES:
            raise CatalogError([Problem(str(p), 1, f"file too large ({size} bytes; limit {_MAX_BYTES})")])
        data = p.read_bytes()
    except IsADirectoryError:
        raise CatalogError([Problem(str(p), 1, "is a directory, not a file")]) from None
    except FileNotFoundError:
        raise CatalogError([Problem(str(p), 1, "no such file")]) from None
    except PermissionError:
        raise CatalogError([Problem(str(p), 1, "permission denied")]) from None
    return parse_yaml(data, str(p))


def line_of(data: Any, loc: tuple[int | str, ...]) -> int:
    """The line of the value at `loc` (a pydantic error location) inside parsed YAML."""
    line = getattr(data, "line", 1) or 1
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
