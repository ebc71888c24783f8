"""The `alliance-c2` command line: each command parses, calls one library function, prints.

Imports of heavy modules happen inside the commands so that `alliance-c2 analyze` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer.exceptions import TyperException

from .cli_support import (
    all_option,
    arrangement,
    fail,
    is_help_request,
    lang_option,
    print_json,
    resolve_lang,
    situation_names,
    split_list,
    t,
    usage_error_line,
)

app = typer.Typer(
    name="alliance-c2",
    help="Alliance C2 Workbench: model, check, simulate and compare alliance command arrangements.\n\n"
    "同盟指揮統制ワークベンチ: 日米同盟の指揮統制メカニズムをモデル化し、検証・比較する。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ARCH_HELP = "A bundled arrangement id (see `alliance-c2 architectures`) or a path to a YAML file."
SITUATION_HELP = "Legal situation, e.g. peacetime, gray-zone, armed-attack (see `alliance-c2 situations`)."



def _situation(value: str) -> str:
    from .model import SITUATIONS, UnknownIdError

    if value not in SITUATIONS:
        raise UnknownIdError("situation", value, list(SITUATIONS))
    return value


def _console() -> Any:
    from .cli_support import console

    return console()


@app.command()
def architectures(json_out: bool = typer.Option(False, "--json", help="Print JSON."), lang: str | None = lang_option()) -> None:
    """List the bundled arrangements. / 収録された指揮統制体制の一覧。"""
    from .analysis import interoperability_level
    from .model import bundled_architectures

    lang = resolve_lang(lang)
    rows = []
    for arch_id in bundled_architectures():
        arch = arrangement(arch_id)
        rows.append(
            {
                "id": arch.id,
                "name_en": arch.name_en,
                "name_ja": arch.name_ja,
                "guidelines": arch.guidelines,
                "era": arch.era,
                "organizations": len(arch.organizations),
                "relations": len(arch.relations),
                "level_armed_attack": interoperability_level(arch, "armed-attack")[0],
                "level_peacetime": interoperability_level(arch, "peacetime")[0],
            }
        )
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    from .analysis.render import level_name

    names = situation_names(lang)
    table = Table(title=t(lang, "Bundled arrangements", "収録された指揮統制体制"))
    for col in ("id", t(lang, "name", "名称"), t(lang, "orgs", "組織数"), names["peacetime"], names["armed-attack"]):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["id"],
            r["name_ja"] if lang == "ja" else r["name_en"],
            str(r["organizations"]),
            level_name(r["level_peacetime"], lang),
            level_name(r["level_armed_attack"], lang),
        )
    _console().print(table)


@app.command()
def show(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show an arrangement as a tree of authority. / 指揮系統を木構造で表示する。"""
    from .model.tree import arrangement_dict, authority_tree

    lang = resolve_lang(lang)
    architecture = arrangement(arch)
    if json_out:
        print_json(arrangement_dict(architecture))
        return
    _console().print(authority_tree(architecture, lang, situation_names(lang)))


@app.command()
def validate(
    file: Path = typer.Argument(..., help="Any catalog file; its kind comes from its top-level `kind:` key."),
    strict: bool = typer.Option(False, "--strict", help="Treat incompleteness (missing names, sources, civilian chain) as errors."),
) -> None:
    """Validate a catalog file: exit 0, or exit 2 with FILE:LINE: message. / カタログファイルを検証する。"""
    from .validators import validate_any

    problems = validate_any(file, strict=strict)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        sys.stderr.write(f"{errors[0]}\n")
        if len(errors) > 1:
            sys.stderr.write(f"({len(errors) - 1} more error(s); fix this one first)\n")
        raise typer.Exit(2)
    for p in problems:
        sys.stderr.write(f"{p} (warning)\n")
    sys.stdout.write(f"{file}: valid" + (f" with {len(problems)} warning(s)" if problems else "") + "\n")


@app.command()
def analyze(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    situation: str = typer.Option("armed-attack", "--situation", "-s", help=SITUATION_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    lang: str | None = lang_option(),
    show_all: bool = all_option(),
) -> None:
    """Derive level, chains of command, civilian control and single points of failure. / 構造分析。"""
    from .analysis import analyze as run

    lang = resolve_lang(lang)
    architecture = arrangement(arch)
    result = run(architecture, _situation(situation))
    if json_out:
        print_json(result.to_dict())
        return
    from .analysis.render import DEFAULT_LIMIT, print_analysis

    limit = None if show_all else DEFAULT_LIMIT
    print_analysis(_console(), architecture, result, lang, situation_names(lang), limit)


@app.command()
def compare(
    arch_a: str = typer.Argument(..., help=ARCH_HELP),
    arch_b: str = typer.Argument(..., help=ARCH_HELP),
    situation: str = typer.Option("armed-attack", "--situation", "-s", help=SITUATION_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    lang: str | None = lang_option(),
    show_all: bool = all_option(),
) -> None:
    """Compare two arrangements side by side. / 二つの体制を比較する。"""
    from .analysis import compare as run

    lang = resolve_lang(lang)
    archs = (arrangement(arch_a), arrangement(arch_b))
    result = run(*archs, _situation(situation))
    if json_out:
        print_json(result)
        return
    from .analysis.render import DEFAULT_LIMIT, print_comparison

    limit = None if show_all else DEFAULT_LIMIT
    print_comparison(_console(), result, archs, lang, situation_names(lang), limit)


@app.command("compare-all")
def compare_all(
    arch: str = typer.Option("", "--arch", help="Comma-separated arrangements (default: all bundled)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    lang: str | None = lang_option(),
) -> None:
    """Structural comparison of several arrangements in every situation. / 全体制の構造比較。"""
    from .analysis.render import comparison_rows, print_overview
    from .model import bundled_architectures

    lang = resolve_lang(lang)
    ids = split_list(arch) or bundled_architectures()
    rows = comparison_rows([arrangement(a) for a in ids])
    if json_out:
        print_json(rows)
        return
    print_overview(_console(), rows, lang, situation_names(lang))


@app.command()
def diagram(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    out: Path = typer.Option(..., "-o", "--out", help="Output SVG file."),
    lang: str | None = lang_option(),
    situation: str = typer.Option("armed-attack", "--situation", "-s", help=SITUATION_HELP),
) -> None:
    """Draw an arrangement as an SVG diagram with a legend. / 体制図をSVGで出力する。"""
    from .report.diagram import architecture_svg

    lang = resolve_lang(lang)
    svg = architecture_svg(arrangement(arch), lang=lang, situation=_situation(situation))
    try:
        out.write_text(svg, encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    sys.stdout.write(f"{out}\n")


@app.command("new")
def new(
    new_id: str = typer.Argument(..., metavar="ID", help="The new arrangement's id: lower-case letters, digits, hyphens."),
    source: str = typer.Option(..., "--from", help="The arrangement to start from. " + ARCH_HELP),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output YAML file (default: standard output)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Start your own arrangement: a commented YAML copy of one to edit. / 既存の体制を複製し編集用YAMLを作る。"""
    from .interop.yamlio import is_valid_id, template_yaml
    from .model import bundled_architectures

    if not is_valid_id(new_id):
        fail(f"ID: {new_id!r} is not a valid id; use lower-case letters, digits and hyphens (e.g. my-arrangement)")
    if new_id in bundled_architectures():
        fail(f"ID: {new_id!r} is a bundled arrangement's id; choose another (e.g. {new_id}-variant)")
    if out is not None and out.exists() and not force:
        fail(f"{out}: already exists; give --force to overwrite it")
    text = template_yaml(arrangement(source), new_id, str(out) if out else f"{new_id}.yaml")
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    sys.stdout.write(f"{out}\n")
    sys.stderr.write(f"next: edit it, then `alliance-c2 validate {out}` and `alliance-c2 analyze {out}`\n")


def _register_commands() -> None:
    from . import cli_exercise, cli_guidelines, cli_interop, cli_law, cli_report, cli_sim

    cli_report.register(app)
    cli_guidelines.register(app)
    cli_law.register(app)
    cli_sim.register(app)
    cli_interop.register(app)
    cli_exercise.register(app)


_register_commands()


def main_errors(exc: BaseException) -> tuple[int, str]:
    """The exit code and one-line message for an error that is the user's input, else re-raise."""
    from .model import CatalogError, UnknownIdError

    if isinstance(exc, CatalogError):
        return 2, f"alliance-c2: error: {exc.problems[0]}\n"
    if isinstance(exc, UnknownIdError):
        return 2, f"alliance-c2: error: {exc.describe()}\n"
    raise exc


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


if __name__ == "__main__":
    main()
