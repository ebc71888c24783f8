"""Arrangements: `architectures`, `show`, `validate`, `analyze`, `compare`, `compare-all`, `diagram`, `new`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ..labels import situation_names
from ..model.serialize import arrangement_dict
from .support import (
    ARCH_HELP,
    SITUATION_HELP,
    all_option,
    bad_input_ends_here,
    console,
    fail,
    json_option,
    lang_option,
    print_json,
    resolve_lang,
    split_list,
)


def register(app: typer.Typer) -> None:
    """Add the arrangement commands to `app`."""
    app.command("architectures")(architectures)
    app.command("show")(show)
    app.command("validate")(validate)
    app.command("analyze")(analyze)
    app.command("compare")(compare)
    app.command("compare-all")(compare_all)
    app.command("diagram")(diagram)
    app.command("new")(new)


def _situation_option() -> Any:
    return typer.Option(None, "--situation", "-s", help=SITUATION_HELP + " Default: the catalog's reference situation.")


def architectures(json_out: bool = json_option(), lang: str | None = lang_option()) -> None:
    """List the bundled arrangements. / 収録された指揮統制体制の一覧。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    rows = api.architectures()
    if json_out:
        print_json(rows)
        return
    # Imported when the command runs: start-up time.
    from .render.analysis import print_architectures

    print_architectures(console(), rows, language)


def show(arch: str = typer.Argument(..., help=ARCH_HELP), lang: str | None = lang_option(),
         json_out: bool = json_option()) -> None:
    """Show an arrangement as a tree of authority. / 指揮系統を木構造で表示する。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    architecture = api.load_architecture(arch)
    if json_out:
        print_json(arrangement_dict(architecture))
        return
    # Imported when the command runs: start-up time.
    from .render.tree import authority_tree

    console().print(authority_tree(architecture, language, situation_names(language)))


def validate(
    file: str = typer.Argument(..., help="Any catalog file (its kind comes from its top-level `kind:` key), or a "
                               "bundled arrangement or scenario id."),
    strict: bool = typer.Option(False, "--strict", help="Treat incompleteness (missing names, sources, civilian chain) as errors."),
    show_all: bool = typer.Option(False, "--all", help="List every error, also those on a line that already has one "
                                  "(by default one per line: the others usually follow from it). / 全エラーを表示。"),
) -> None:
    """Validate a catalog file: exit 0, or exit 2 with FILE:LINE: message per error. / カタログファイルを検証する。"""
    # Imported when the command runs: start-up time.
    from .. import api

    problems = api.validate(_catalog_file(file), strict=strict)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        shown = errors if show_all else _independent(errors)
        for p in shown:
            sys.stderr.write(f"{p}\n")
        if len(shown) < len(errors):
            sys.stderr.write(f"({len(errors) - len(shown)} more on the same lines; `--all` lists them)\n")
        raise typer.Exit(2)
    for p in problems:
        sys.stderr.write(f"{p} (warning)\n")
    sys.stdout.write(f"{file}: valid" + (f" with {len(problems)} warning(s)" if problems else "") + "\n")


def _catalog_file(ref: str) -> Path:
    """A path as given, else the bundled arrangement or scenario file with that id (`validate 2024-proposal`)."""
    path = Path(ref)
    if path.exists() or "/" in ref or ref.endswith((".yaml", ".yml")):
        return path
    # Imported when an id is given: the catalog's paths are needed only then.
    from ..model import ARCHITECTURES_DIR
    from ..model.paths import CATALOG_DIR

    for folder in (ARCHITECTURES_DIR, CATALOG_DIR / "scenarios"):
        if (folder / f"{ref}.yaml").exists():
            return folder / f"{ref}.yaml"
    return path


def _independent(errors: list[Any]) -> list[Any]:
    """The first error of each line (the others on a line, such as a field's type and its value, follow from it)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for p in errors:
        if (p.path, p.line) not in seen:
            seen.add((p.path, p.line))
            out.append(p)
    return out


def analyze(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    situation: str | None = _situation_option(),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
    show_all: bool = all_option(),
) -> None:
    """Derive level, chains of command, civilian control and single points of failure. / 構造分析。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    architecture = api.load_architecture(arch)
    result = api.analyze(architecture, situation)
    if json_out:
        print_json(result.to_dict())
        return
    # Imported when the command runs: start-up time.
    from .render.analysis import DEFAULT_LIMIT, print_analysis

    print_analysis(console(), architecture, result, language, None if show_all else DEFAULT_LIMIT)


def compare(
    arch_a: str = typer.Argument(..., help=ARCH_HELP),
    arch_b: str = typer.Argument(..., help=ARCH_HELP),
    situation: str | None = _situation_option(),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
    show_all: bool = all_option(),
) -> None:
    """Compare two arrangements side by side. / 二つの体制を比較する。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    archs = (api.load_architecture(arch_a), api.load_architecture(arch_b))
    result = api.compare(*archs, situation)
    if json_out:
        print_json(result)
        return
    # Imported when the command runs: start-up time.
    from .render.analysis import DEFAULT_LIMIT, print_comparison

    print_comparison(console(), result, archs, language, None if show_all else DEFAULT_LIMIT)


def compare_all(
    arch: str = typer.Option("", "--arch", help="Comma-separated arrangements (default: all bundled)."),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
) -> None:
    """Structural comparison of several arrangements in every situation. / 全体制の構造比較。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    rows = api.compare_all(split_list(arch))
    if json_out:
        print_json(rows)
        return
    # Imported when the command runs: start-up time.
    from .render.analysis import print_overview

    print_overview(console(), rows, language)


def diagram(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    out: Path = typer.Option(..., "-o", "--out", help="Output SVG file."),
    lang: str | None = lang_option(),
    situation: str | None = _situation_option(),
) -> None:
    """Draw an arrangement as an SVG diagram with a legend. / 体制図をSVGで出力する。"""
    # Imported when the command runs: start-up time.
    from .. import api

    svg = api.diagram(arch, lang=resolve_lang(lang), situation=situation)
    try:
        out.write_text(svg, encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    sys.stdout.write(f"{out}\n")


def new(
    new_id: str = typer.Argument(..., metavar="ID", help="The new arrangement's id: lower-case letters, digits, hyphens."),
    source: str = typer.Option(..., "--from", help="The arrangement to start from. " + ARCH_HELP),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output YAML file (default: standard output)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Start your own arrangement: a commented YAML copy of one to edit. / 既存の体制を複製し編集用YAMLを作る。"""
    # Imported when the command runs: start-up time.
    from .. import api

    with bad_input_ends_here(ValueError):
        text = api.new_arrangement(new_id, source, str(out) if out else f"{new_id}.yaml")
    if out is not None and out.exists() and not force:
        fail(f"{out}: already exists; give --force to overwrite it")
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    sys.stdout.write(f"{out}\n")
    sys.stderr.write(f"next: edit it, then `alliance-c2 validate {out}` and `alliance-c2 analyze {out}`\n")
