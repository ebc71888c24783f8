"""Shared pieces of the command line: languages, output, errors that end with exit code 2."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])

LANG_HELP = "Language of names and messages: en or ja (default: $ALLIANCE_C2_LANG or en)."


def lang_option() -> Any:
    return typer.Option(None, "--lang", help=LANG_HELP)


def resolve_lang(lang: str | None) -> str:
    value = lang or os.environ.get("ALLIANCE_C2_LANG") or "en"
    if value not in ("en", "ja"):
        fail(f"--lang: unknown language {value!r}; choose from: en, ja")
    return value


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2: the contract for every bad input."""
    sys.stderr.write(f"alliance-c2: error: {message}\n")
    raise typer.Exit(2)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(obj: Any) -> Any:
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def split_list(value: str | None) -> list[str]:
    """Comma-separated ids -> list (blank entries dropped)."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def t(lang: str, en: str, ja: str) -> str:
    """Pick the English or Japanese form of a user-facing string."""
    return ja if lang == "ja" else en


def console() -> Any:
    """A rich console; wide enough for the comparison tables when output is piped or captured."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=140)


AS_OF_HELP = ("Apply the law in force on this date, YYYY-MM-DD (default: the arrangement's law_as_of). / "
              "この日付（YYYY-MM-DD）に施行されていた法を適用（既定：体制の law_as_of）。")


def as_of_option() -> Any:
    return typer.Option(None, "--as-of", help=AS_OF_HELP)


def parse_as_of(value: str | None) -> date | None:
    """`--as-of YYYY-MM-DD` -> a date; one line and exit 2 if it is not a date or is before the SDF Act."""
    if value is None:
        return None
    from .law import EARLIEST_LAW_DATE

    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")
    if day < EARLIEST_LAW_DATE:
        fail(f"--as-of: {value} is before the SDF Act took effect ({EARLIEST_LAW_DATE.isoformat()}); "
             "the law catalog starts there")
    return day
