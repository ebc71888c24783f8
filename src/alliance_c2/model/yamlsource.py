"""YAML documents that can say which line a value came from.

Values are parsed with yaml-rs (Rust, YAML 1.2): about 25 times faster than PyYAML with libyaml
on a 10,000-organization file (0.10 s against 2.6 s, benchmarks/bench_model.py). Line numbers
are needed only when something is wrong, so PyYAML composes the node tree lazily, on the first
question about a line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from .errors import CatalogError, Problem

MAX_BYTES = 64 * 1024 * 1024

try:  # the C loader is faster on large files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_RS_LINE = re.compile(r"line (\d+)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class YamlDocument:
    """Parsed YAML `data` with its `path`; `line(loc)` finds where a value is in the text."""

    def __init__(self, data: Any, text: str, path: str) -> None:
        self.data = data
        self.text = text
        self.path = path
        self._root: yaml.Node | None = None

    def line(self, loc: tuple[int | str, ...] = ()) -> int:
        """The 1-based line of the value at `loc` (keys and list indexes), or of its nearest parent."""
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:  # yaml-rs accepted what PyYAML rejects: no finer position
                return 1
        node: yaml.Node | None = self._root
        line = node.start_mark.line + 1 if node is not None else 1
        for part in loc:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
                if match is None:
                    break
                line = match[0].start_mark.line + 1
                node = match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def problem(self, loc: tuple[int | str, ...], message: str, severity: str = "error") -> Problem:
        return Problem(self.path, self.line(loc), message, severity)


def parse_yaml(text: str | bytes, path: str) -> YamlDocument:
    """Parse YAML text; raise CatalogError naming path and line on anything unreadable."""
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise CatalogError([Problem(path, 1, "not a text file (binary content)")])
        text = decode_utf8(text, path)
    if not text.strip():
        raise CatalogError([Problem(path, 1, "file is empty")])
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise CatalogError([Problem(path, line, f"control character U+{ord(bad.group()):04X} is not allowed in YAML")])
    try:
        data = yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError as exc:
        raise CatalogError([_syntax_problem(text, path, str(exc))]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise CatalogError([Problem(path, 1, f"YAML error: {exc}")]) from None
    if data is None:
        raise CatalogError([Problem(path, 1, "file is empty")])
    return YamlDocument(data, text, path)


def _syntax_problem(text: str, path: str, rs_message: str) -> Problem:
    """Locate a syntax error: PyYAML's mark where it agrees, else the line yaml-rs reports."""
    first = rs_message.strip().splitlines()[0] if rs_message.strip() else "invalid YAML"
    reason = rs_message.strip().splitlines()[-1].strip() if rs_message.strip() else first
    try:
        yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pyreason = exc.problem or exc.context or reason
        return Problem(path, mark.line + 1 if mark else 1, f"YAML syntax error: {pyreason}")
    except yaml.YAMLError:
        pass
    match = _RS_LINE.search(first)
    line = int(match.group(1)) if match else 1
    if "duplicate" in first:
        reason = first
    return Problem(path, line, f"YAML syntax error: {reason}")


def read_input_file(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a user's input file; CatalogError naming it when missing, unreadable or too large.

    The limit counts the bytes actually read, not the size the file system reports: devices and
    pipes (/dev/zero, /dev/stdin) report 0 and may never end.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise CatalogError([Problem(str(p), 1, "is a directory, not a file")]) from None
    except FileNotFoundError:
        raise CatalogError([Problem(str(p), 1, "no such file")]) from None
    except PermissionError:
        raise CatalogError([Problem(str(p), 1, "permission denied")]) from None
    except OSError as exc:
        raise CatalogError([Problem(str(p), 1, f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > max_bytes:
        raise CatalogError([Problem(str(p), 1, f"file too large (more than {_size(max_bytes)}, the limit for input files)")])
    return data


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n} bytes"


def decode_utf8(raw: bytes, path: str) -> str:
    """UTF-8 text, or CatalogError naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError([Problem(path, line, "not valid UTF-8 text")]) from None


def read_yaml(path: str | Path, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse a YAML file."""
    return parse_yaml(read_input_file(path, max_bytes), str(path))
