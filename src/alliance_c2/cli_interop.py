"""The `export`, `import` and `order` commands (C2SIM, JSON, GraphML), registered on the main Typer app.

Kept apart from cli.py so that interchange grows without touching the other commands; like
cli.py, heavy modules are imported inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from .cli_support import fail, lang_option, print_json, resolve_lang

EXPORT_FORMATS = ("c2sim", "json", "graphml", "yaml")
IMPORT_FORMATS = ("c2sim", "json")
EDITIONS = ("2.0.0", "1.1", "1.0.0")
_SUFFIX_FORMATS = {".xml": "c2sim", ".json": "json"}
_EDITION_HELP = "C2SIM schema edition: 2.0.0 (cwix2026), 1.1 (CWIX2025) or 1.0.0. / C2SIMスキーマの版。"

order_app = typer.Typer(
    help="C2SIM orders: write one, or check a partner's against the law. / C2SIM命令の出力と法的審査。",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add `export`, `import` and the `order` group to `app`."""
    app.command("export")(export_command)
    app.command("import")(import_command)
    order_app.command("export")(order_export_command)
    order_app.command("check")(order_check_command)
    app.add_typer(order_app, name="order")


def export_command(
    arch: str = typer.Argument(..., help="A bundled arrangement id or a path to a YAML file."),
    fmt: str = typer.Option(..., "--format", "-f", help="c2sim | json | graphml | yaml."),
    c2sim_schema: str = typer.Option("2.0.0", "--c2sim-schema", help=_EDITION_HELP),
    situation: str | None = typer.Option(
        None,
        "--situation",
        "-s",
        help="C2SIM only: export the relations active in this situation (default: all).",
    ),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output file (default: standard output)."),
) -> None:
    """Export an arrangement as C2SIM XML, JSON, GraphML or catalog YAML. / 体制をC2SIM・JSON・GraphML・YAMLで出力する。

    C2SIM cannot carry every relation; what it leaves out is counted on stderr (docs/interchange.md).
    C2SIMで表せない関係は除外し、その件数を標準エラーに表示する。
    """
    _choose(fmt, EXPORT_FORMATS, "--format")
    _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    with _clean_errors():
        architecture = _arch(arch)
        content = _export(architecture, fmt, c2sim_schema, _situation(situation))
    _write(content, out)


def import_command(
    file: Path = typer.Argument(..., help="A C2SIM initialization message (.xml) or a JSON arrangement."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="c2sim | json (default: from the file suffix)."
    ),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output YAML file (default: standard output)."),
    c2sim_schema: str | None = typer.Option(
        None, "--c2sim-schema", help=_EDITION_HELP + " Default: told by the namespace and the schemas."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary (needs -o)."),
) -> None:
    """Import a C2SIM initialization or JSON arrangement as catalog YAML. / C2SIM・JSONから体制YAMLを作る。

    A C2SIM file in the .../C2SIM/1.1 namespace is checked against CWIX2025, then 1.0.0; the edition
    read is printed on stderr. / 名前空間 .../C2SIM/1.1 はCWIX2025、次に1.0.0で検証し、読んだ版を表示する。
    The file's arrangement id is kept unless a bundled arrangement has it; then it becomes ID-imported.
    """
    kind = fmt or _SUFFIX_FORMATS.get(file.suffix.lower())
    if kind is None:
        fail(f"{file}: cannot tell the format from the suffix; give --format c2sim or --format json")
    _choose(kind, IMPORT_FORMATS, "--format")
    if c2sim_schema is not None:
        _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    if json_out and out is None:
        fail("--json needs -o FILE (the YAML goes to that file)")
    with _clean_errors():
        text, arch, warnings, problems, edition = _import(file, kind, out, c2sim_schema)
    from .interop.yamlio import distinct_from_bundled

    text, arch, renamed = distinct_from_bundled(text, arch)
    warnings = [*warnings, renamed] if renamed else warnings
    _write(text.encode("utf-8"), out)
    soft = [p for p in problems if p.severity == "warning"]
    if json_out:
        print_json(
            {
                "file": str(file),
                "output": str(out),
                "edition": edition,
                "id": arch.id,
                "organizations": len(arch.organizations),
                "relations": len(arch.relations),
                "sides": len(arch.sides),
                "warnings": warnings,
                "validation_warnings": len(soft),
            }
        )
        return
    if edition is not None:
        sys.stderr.write(f"alliance-c2: read C2SIM edition {edition}\n")
    for line in warnings:
        sys.stderr.write(f"alliance-c2: warning: {line}\n")
    if soft:
        target = out or "FILE.yaml"
        sys.stderr.write(
            f"alliance-c2: warning: the arrangement has {len(soft)} validation warning(s); "
            f"`alliance-c2 validate {target}` lists them\n"
        )


def _export(arch: Any, fmt: str, schema: str, situation: str | None) -> bytes:
    if fmt == "yaml":
        from .interop.yamlio import export_yaml

        return export_yaml(arch).encode("utf-8")
    if fmt == "json":
        from .interop import export_json

        return export_json(arch).encode("utf-8")
    if fmt == "graphml":
        from .interop import export_graphml

        return export_graphml(arch)
    from .interop import export_c2sim

    result = export_c2sim(arch, schema=schema, situation=situation)
    for line in result.warnings:
        sys.stderr.write(f"alliance-c2: warning: {line}\n")
    return result.xml


def _import(
    file: Path, fmt: str, out: Path | None, edition: str | None
) -> tuple[str, Any, list[str], list[Any], str | None]:
    if fmt == "json":
        from .interop import arrangement_data, arrangement_yaml, import_json

        arch, _, problems = import_json(file)
        return arrangement_yaml(arrangement_data(arch)), arch, [], problems, None
    from .interop import import_c2sim

    result = import_c2sim(file, yaml_path=str(out) if out else None, edition=edition)
    return result.yaml(), result.architecture, list(result.warnings), list(result.problems), result.edition_label


def order_export_command(
    arch: str = typer.Option(..., "--arch", help="A bundled arrangement id or a path to a YAML file. / 体制。"),
    action: str = typer.Option(..., "--action", "-a", help="Action (see `alliance-c2 actions`). / 行動。"),
    unit: str = typer.Option(..., "--unit", "-u", help="The military unit that performs the task. / 実行部隊。"),
    ordered_by: str = typer.Option(..., "--ordered-by", help="The organization that issues the order. / 命令者。"),
    situation: str | None = typer.Option(
        None,
        "--situation",
        "-s",
        help="Also check the order in this situation and say the verdict on stderr. / 事態を与えると適法性も表示。",
    ),
    c2sim_schema: str = typer.Option("2.0.0", "--c2sim-schema", help=_EDITION_HELP),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output XML file (default: standard output)."),
) -> None:
    """Write a C2SIM order: ORDERED-BY orders UNIT to do ACTION. / C2SIM命令を出力する。

    Unit UUIDs are those of `alliance-c2 export ARCH --format c2sim` (or the ones the arrangement
    was imported with). / 部隊のUUIDは初期化メッセージの出力と同じ。
    """
    _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    with _clean_errors():
        architecture = _arch(arch)
        xml = _order_xml(architecture, action, unit, ordered_by, c2sim_schema)
        if situation is not None:
            _order_note(architecture, situation, action, unit, ordered_by)
    _write(xml, out)


def _order_xml(architecture: Any, action: str, unit: str, ordered_by: str, schema: str) -> bytes:
    from datetime import UTC, datetime

    from .interop import OrderRecord, order_message

    now = datetime.now(UTC).replace(microsecond=0)
    try:
        return order_message(architecture, [OrderRecord(ordered_by, unit, action, now)], schema=schema, issued=now)
    except ValueError as exc:
        fail(f"--unit: {exc}")


def _order_note(architecture: Any, situation: str, action: str, unit: str, ordered_by: str) -> None:
    from .law import check

    verdict = check(architecture, situation, action, unit, ordered_by)
    word = "allowed" if verdict.allowed else "NOT allowed"
    reasons = "; ".join(b.reason("en") for b in verdict.blocked_by)
    sys.stderr.write(f"alliance-c2: note: in {verdict.situation} this order is {word}" + (f": {reasons}" if reasons else "") + "\n")


def order_check_command(
    file: Path = typer.Argument(..., help="A C2SIM order message (any supported edition). / C2SIM命令。"),
    arch: str = typer.Option(..., "--arch", help="A bundled arrangement id or a path to a YAML file. / 体制。"),
    situation: str = typer.Option(
        "peacetime", "--situation", "-s", help="Legal situation (default: peacetime). / 事態（既定：平時）。"
    ),
    reform: list[str] = typer.Option([], "--reform", help="A reform to switch on (repeat for several). / 改革。"),
    c2sim_schema: str | None = typer.Option(None, "--c2sim-schema", help=_EDITION_HELP),
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """Check every task of a partner's C2SIM order against the law. / 受領したC2SIM命令の各任務を法的に審査する。

    Exit 0 when every task is allowed, 1 when any is not allowed or cannot be mapped, 2 on bad input.
    終了コード：全任務可なら0、不可・未審査があれば1、入力不備は2。
    """
    language = resolve_lang(lang)
    if c2sim_schema is not None:
        _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    from .interop import check_order, read_order

    with _clean_errors():
        architecture = _arch(arch)
        order = read_order(file, edition=c2sim_schema)
        result = check_order(architecture, order, situation, reform)
    if json_out:
        print_json(result.to_dict())
    else:
        from .cli_support import console
        from .interop.render import print_order_check
        from .law import default_catalog

        print_order_check(console(), result, default_catalog(), language)
    if not result.all_allowed:
        raise typer.Exit(1)


def _arch(ref: str) -> Any:
    from .model import load_architecture

    return load_architecture(ref)


def _situation(value: str | None) -> str | None:
    from .model import SITUATIONS

    if value is not None and value not in SITUATIONS:
        fail(f"--situation: unknown situation {value!r}; choose from: {', '.join(SITUATIONS)}")
    return value


def _choose(value: str, choices: tuple[str, ...], option: str) -> None:
    if value not in choices:
        fail(f"{option}: unknown value {value!r}; choose from: {', '.join(choices)}")


def _write(content: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(content)
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Bad input (CatalogError, UnknownIdError) ends as one line and exit code 2, as in cli.main()."""
    from .model import CatalogError, UnknownIdError

    try:
        yield
    except CatalogError as exc:
        fail(str(exc.problems[0]))
    except UnknownIdError as exc:
        fail(exc.describe())
