"""Pieces every command shares: options, the language, output, and errors that end with exit code 2."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.exceptions import TyperException

from ..labels import LANGUAGES
from ..model import CatalogError, UnknownIdError

if TYPE_CHECKING:
    from rich.console import Console

LANG_HELP = "Language of names and messages: en or ja (default: $ALLIANCE_C2_LANG or en). / 表示言語。"
LANG_ENV = "ALLIANCE_C2_LANG"
PROG = "alliance-c2"
ARCH_HELP = "A bundled arrangement id (see `alliance-c2 architectures`) or a path to a YAML file. / 体制ID又はYAMLファイルのパス。"
SITUATION_HELP = "Legal situation: an id that `alliance-c2 situations` lists. / 事態（`alliance-c2 situations` の一覧のID）。"
def _reform_ids() -> list[str]:
    """The law catalog's reform ids, read from the file's text (the help must not wait for the law to load)."""
    # Imported on use: the help text reads the catalog's reform ids from the file.
    from ..model.paths import CATALOG_DIR

    try:
        text = (CATALOG_DIR / "reforms.yaml").read_text(encoding="utf-8")
    except OSError:
        return []
    return re.findall(r"^ {0,2}- id: ([a-z0-9-]+)\s*$", text, flags=re.MULTILINE)


REFORM_HELP = ("A reform to switch on; repeat for several. One of: " + ", ".join(_reform_ids())
               + " (`alliance-c2 reforms` says what each does). / 適用する改革（複数可）。")
JSON_HELP = "Print JSON. / JSONで出力。"
AS_OF_HELP = ("Apply the law in force on this date, YYYY-MM-DD (default: the arrangement's law_as_of). / "
              "この日付（YYYY-MM-DD）に施行されていた法を適用（既定：体制の law_as_of）。")


def lang_option() -> Any:
    """The `--lang` option every command that prints names takes."""
    return typer.Option(None, "--lang", help=LANG_HELP)


def json_option() -> Any:
    """The `--json` option: print the API's result as JSON."""
    return typer.Option(False, "--json", help=JSON_HELP)


def all_option() -> Any:
    """The `--all` option of commands whose listings are cut short by default."""
    return typer.Option(False, "--all", help="List everything instead of the first rows. / 省略せず全件を表示。")


def as_of_option() -> Any:
    """The `--as-of DATE` option of the commands that apply the law."""
    return typer.Option(None, "--as-of", help=AS_OF_HELP)


def resolve_lang(lang: str | None) -> str:
    """The language asked for by --lang, else by $ALLIANCE_C2_LANG, else English."""
    if lang is not None:
        if lang not in LANGUAGES:
            fail(f"--lang: unknown language {lang!r}; choose from: {', '.join(LANGUAGES)}")
        return lang
    value = os.environ.get(LANG_ENV) or "en"
    if value not in LANGUAGES:
        fail(f"{LANG_ENV}={value}: unknown language; choose from: {', '.join(LANGUAGES)} (or give --lang)")
    return value


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2: the contract for every bad input."""
    sys.stderr.write(f"{PROG}: error: {message}\n")
    raise typer.Exit(2)


def input_error_line(exc: BaseException) -> str | None:
    """The one line for an error that is the user's input (a catalog problem, an unknown id), else None."""
    if isinstance(exc, CatalogError):
        return str(exc.problems[0])
    if isinstance(exc, UnknownIdError):
        return exc.describe()
    return None


@contextmanager
def bad_input_ends_here(*also: type[Exception], name: Callable[[Exception], str] = str) -> Iterator[None]:
    """Bad input raised inside ends as one line on stderr and exit code 2.

    CatalogError and UnknownIdError always; the exception types in `also` with `name(exc)` as the line.
    """
    try:
        yield
    except (CatalogError, UnknownIdError) as exc:
        fail(input_error_line(exc) or str(exc))
    except also as exc:
        fail(name(exc))


def is_help_request(exc: TyperException) -> bool:
    """A group called without a command "fails" with its help text (already printed): not an error."""
    return type(exc).__name__ == "NoArgsIsHelpError"


def usage_error_line(exc: TyperException) -> str:
    """A click usage error (bad value, missing or unknown option) as one line naming the command."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else PROG
    hint = f" (see `{command} --help`)" if ctx is not None else ""
    return f"{command}: error: {message}{hint}\n"


def print_json(data: Any) -> None:
    """`data` (anything with `to_dict()`, or plain values) as indented JSON on stdout."""
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


def console() -> Console:
    """A rich console; wide enough for the comparison tables when output is piped or captured.

    On a terminal, or when $COLUMNS is set, rich takes the width from there.
    """
    # Imported when output is printed: start-up time (JSON output does not need rich).
    from rich.console import Console

    return Console() if sys.stdout.isatty() or os.environ.get("COLUMNS") else Console(width=140)


def parse_as_of(value: str | None) -> date | None:
    """`--as-of YYYY-MM-DD` -> a date; one line and exit 2 if it is not a date or is before the SDF Act."""
    if value is None:
        return None
    # Imported when a date is given: the law costs start-up time commands without dates should not pay.
    from ..law import EARLIEST_LAW_DATE

    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD)")
    if day < EARLIEST_LAW_DATE:
        fail(f"--as-of: {value} is before the SDF Act took effect ({EARLIEST_LAW_DATE.isoformat()}); "
             "the law catalog starts there")
    return day


def option_name(field: str) -> str:
    """The command-line option for a library argument name: `runs` -> `--runs`."""
    return field if field.startswith("-") else f"--{field}"
