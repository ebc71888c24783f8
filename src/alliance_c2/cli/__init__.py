"""The `alliance-c2` command line: one module per command group, each command parses its arguments,
calls one function of the public API (`alliance_c2.api`), and prints the result (`--json`: its
serialization).

Every group module has `register(app)`, which adds its commands (and sub-groups) to the Typer app.
A command imports the API when it runs, so that `alliance-c2 check` and `analyze` start fast.
"""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

from . import arrangements, exercise, guidelines, interop, law, report, sim, studio
from .support import input_error_line, is_help_request, usage_error_line

app = typer.Typer(
    name="alliance-c2",
    help="Alliance C2 Workbench: model, check, simulate and compare alliance command arrangements.\n\n"
    "同盟指揮統制ワークベンチ: 日米同盟の指揮統制メカニズムをモデル化し、検証・比較する。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

for _group in (arrangements, report, guidelines, law, sim, interop, exercise, studio):
    _group.register(app)


def main_errors(exc: BaseException) -> tuple[int, str]:
    """The exit code and one-line message for an error that is the user's input, else re-raise."""
    line = input_error_line(exc)
    if line is None:
        raise exc
    return 2, f"alliance-c2: error: {line}\n"


def run(argv: list[str]) -> int:
    """Run one command line and return its exit code; usage errors are one line on stderr, code 2."""
    try:
        code = app(args=argv, prog_name="alliance-c2", standalone_mode=False)
    except TyperException as exc:
        if is_help_request(exc):
            return 0
        sys.stderr.write(usage_error_line(exc))
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("alliance-c2: aborted\n")
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # only input errors are turned into a message; others re-raise
        code, message = main_errors(exc)
        sys.stderr.write(message)
        return code
    return code if isinstance(code, int) else 0


def main() -> None:
    """Entry point: bad input ends with one line on stderr and exit code 2, never a traceback."""
    sys.exit(run(sys.argv[1:]))
