"""Interchange: `export`, `import`, `order export`, `order check` (C2SIM, JSON, GraphML, catalog YAML)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .support import (
    ARCH_HELP,
    REFORM_HELP,
    bad_input_ends_here,
    console,
    fail,
    json_option,
    lang_option,
    print_json,
    resolve_lang,
)

EXPORT_FORMATS = ("c2sim", "json", "graphml", "yaml")
IMPORT_FORMATS = ("c2sim", "json")
EDITIONS = ("2.0.0", "1.1", "1.0.0")
_SUFFIX_FORMATS = {".xml": "c2sim", ".json": "json"}
_EDITION_HELP = "C2SIM schema edition: 2.0.0 (cwix2026), 1.1 (CWIX2025) or 1.0.0. / C2SIMスキーマの版。"
EXIT_NOT_ALLOWED = 1

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
    arch: str = typer.Argument(..., help=ARCH_HELP),
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
    # Imported when the command runs: start-up time.
    from .. import api
    from ..model import UnknownIdError, situation_ids

    _choose(fmt, EXPORT_FORMATS, "--format")
    _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    if situation is not None and situation not in situation_ids():
        fail(f"--situation: {UnknownIdError('situation', situation, list(situation_ids())).describe()}")
    with bad_input_ends_here():
        exported = api.export(arch, fmt, c2sim_schema=c2sim_schema, situation=situation)
    for line in exported.warnings:
        sys.stderr.write(f"alliance-c2: warning: {line}\n")
    _write(exported.content, out)


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
    # Imported when the command runs: start-up time.
    from .. import api

    with bad_input_ends_here():
        imported = api.import_file(file, kind, c2sim_schema=c2sim_schema, yaml_path=str(out) if out else None)
    _write(imported.yaml.encode("utf-8"), out)
    if json_out:
        print_json({**imported.to_dict(), "output": str(out)})
        return
    if imported.edition is not None:
        sys.stderr.write(f"alliance-c2: read C2SIM edition {imported.edition}\n")
    for line in imported.warnings:
        sys.stderr.write(f"alliance-c2: warning: {line}\n")
    soft = imported.validation_warnings
    if soft:
        target = out or "FILE.yaml"
        sys.stderr.write(
            f"alliance-c2: warning: the arrangement has {len(soft)} validation warning(s); "
            f"`alliance-c2 validate {target}` lists them\n"
        )


def order_export_command(
    arch: str = typer.Option(..., "--arch", help=ARCH_HELP),
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
    # Imported when the command runs: start-up time.
    from .. import api

    with bad_input_ends_here(ValueError, name=lambda exc: f"--unit: {exc}"):
        xml = api.order(arch, action, unit, ordered_by, c2sim_schema=c2sim_schema)
    if situation is not None:
        with bad_input_ends_here():
            verdict = api.check(arch, situation, action, unit, ordered_by)
        word = "allowed" if verdict.allowed else "NOT allowed"
        reasons = "; ".join(b.reason("en") for b in verdict.blocked_by)
        sys.stderr.write(f"alliance-c2: note: in {verdict.situation} this order is {word}"
                         + (f": {reasons}" if reasons else "") + "\n")
    _write(xml, out)


def order_check_command(
    file: Path = typer.Argument(..., help="A C2SIM order message (any supported edition). / C2SIM命令。"),
    arch: str = typer.Option(..., "--arch", help=ARCH_HELP),
    situation: str | None = typer.Option(
        None, "--situation", "-s",
        help="Legal situation (default: the ordinary one, while none is recognized). / 事態（既定：事態の認定がない状態）。",
    ),
    reform: list[str] = typer.Option([], "--reform", help=REFORM_HELP),
    c2sim_schema: str | None = typer.Option(None, "--c2sim-schema", help=_EDITION_HELP),
    lang: str | None = lang_option(),
    json_out: bool = json_option(),
) -> None:
    """Check every task of a partner's C2SIM order against the law. / 受領したC2SIM命令の各任務を法的に審査する。

    Exit 0 when every task is allowed, 1 when any is not allowed or cannot be mapped, 2 on bad input.
    終了コード：全任務可なら0、不可・未審査があれば1、入力不備は2。
    """
    language = resolve_lang(lang)
    if c2sim_schema is not None:
        _choose(c2sim_schema, EDITIONS, "--c2sim-schema")
    # Imported when the command runs: start-up time.
    from .. import api

    with bad_input_ends_here():
        result = api.check_order_file(file, arch, situation, reform, c2sim_schema=c2sim_schema)
    if json_out:
        print_json(result)
    else:
        # Imported when the command runs: start-up time.
        from .render.order import print_order_check

        print_order_check(console(), result, language)
    if not result.all_allowed:
        raise typer.Exit(EXIT_NOT_ALLOWED)


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
