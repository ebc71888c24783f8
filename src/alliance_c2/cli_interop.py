"""The `export` and `import` commands (C2SIM, JSON, GraphML), registered on the main Typer app.

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

from .cli_support import fail, print_json

EXPORT_FORMATS = ("c2sim", "json", "graphml", "yaml")
IMPORT_FORMATS = ("c2sim", "json")
_SUFFIX_FORMATS = {".xml": "c2sim", ".json": "json"}


def register(app: typer.Typer) -> None:
    """Add `export` and `import` to `app`."""
    app.command("export")(export_command)
    app.command("import")(import_command)


def export_command(
    arch: str = typer.Argument(..., help="A bundled arrangement id or a path to a YAML file."),
    fmt: str = typer.Option(..., "--format", "-f", help="c2sim | json | graphml | yaml."),
    c2sim_schema: str = typer.Option(
        "2.0.0", "--c2sim-schema", help="C2SIM schema edition: 2.0.0 (cwix2026) or 1.1."
    ),
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
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary (needs -o)."),
) -> None:
    """Import a C2SIM initialization or JSON arrangement as catalog YAML. / C2SIM・JSONから体制YAMLを作る。

    The file's arrangement id is kept unless a bundled arrangement has it; then it becomes ID-imported.
    """
    kind = fmt or _SUFFIX_FORMATS.get(file.suffix.lower())
    if kind is None:
        fail(f"{file}: cannot tell the format from the suffix; give --format c2sim or --format json")
    _choose(kind, IMPORT_FORMATS, "--format")
    if json_out and out is None:
        fail("--json needs -o FILE (the YAML goes to that file)")
    with _clean_errors():
        text, arch, warnings, problems = _import(file, kind, out)
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
                "id": arch.id,
                "organizations": len(arch.organizations),
                "relations": len(arch.relations),
                "warnings": warnings,
                "validation_warnings": len(soft),
            }
        )
        return
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


def _import(file: Path, fmt: str, out: Path | None) -> tuple[str, Any, list[str], list[Any]]:
    if fmt == "json":
        from .interop import arrangement_data, arrangement_yaml, import_json

        arch, _, problems = import_json(file)
        return arrangement_yaml(arrangement_data(arch)), arch, [], problems
    from .interop import import_c2sim

    result = import_c2sim(file, yaml_path=str(out) if out else None)
    return result.yaml(), result.architecture, list(result.warnings), list(result.problems)


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
