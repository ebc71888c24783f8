"""Canonical JSON: the one text a value has (sorted keys, no spaces, UTF-8 kept), and objects kept with it.

The audit log hashes entries over this text. An order's verdict is stored several times (in its log
entry, its row and its answer) and repeated by every order of the same kind: a `Canonical` object
carries its text, encoded once, and every encoding here puts that text in its place.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping
from typing import Any


class Canonical(Mapping[str, Any]):
    """A JSON object (read-only) kept with its canonical text, so that a value stored many times (an order's
    verdict: in its log entry, its row and its answer) is encoded once. `canonical_json` and `json_text`
    put the text in place of the object."""

    __slots__ = ("_value", "text")

    def __init__(self, value: dict[str, Any]) -> None:
        self._value = value
        self.text = _encoded(value, True)

    def __getitem__(self, key: str) -> Any:
        return self._value[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"Canonical({self._value!r})"


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return _encoded(value, True)


def json_text(value: Any) -> str:
    """JSON for storage and answers (compact, UTF-8 kept; a `Canonical` object as its text)."""
    return _encoded(value, True)


_MARK = f"\x00ac2-{secrets.token_hex(6)}-"  # no text a request carries holds a NUL (web.schemas refuses it)


def _encoded(value: Any, sort_keys: bool) -> str:
    pieces: list[str] = []

    def splice(found: Any) -> str:
        if isinstance(found, Canonical):
            pieces.append(found.text)
            return f"{_MARK}{len(pieces) - 1}"
        raise TypeError(f"{type(found).__name__} is not JSON")

    text = json.JSONEncoder(sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                            default=splice).encode(value)
    for number, piece in enumerate(pieces):
        text = text.replace(json.dumps(f"{_MARK}{number}"), piece, 1)
    return text
