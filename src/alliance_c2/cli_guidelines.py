"""`alliance-c2 guidelines`: browse and diff the versions of the Guidelines."""

from __future__ import annotations

from typing import Any

import typer

from .cli_support import console, lang_option, print_json, resolve_lang, t

CATEGORY_JA = {
    "coordination": "調整",
    "planning": "計画",
    "command": "指揮",
    "role-division": "役割分担",
    "cooperation-area": "協力分野",
    "premise": "前提",
}


def register(app: typer.Typer) -> None:
    """Add the `guidelines` command group to the app."""
    group = typer.Typer(
        help="The Guidelines for Japan-U.S. Defense Cooperation, version by version. / 日米防衛協力のための指針の変遷。",
        invoke_without_command=True,
        no_args_is_help=False,
    )

    @group.callback()
    def versions(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        lang: str | None = lang_option(),
    ) -> None:
        """List the versions (or use `show VERSION` / `diff A B`). / 版の一覧。"""
        if ctx.invoked_subcommand is not None:
            return
        from rich.table import Table

        from .model.guidelines import guidelines_versions, load_guidelines

        lang = resolve_lang(lang)
        rows: list[dict[str, Any]] = []
        for version in guidelines_versions():
            g = load_guidelines(version)
            rows.append(
                {
                    "id": g.id,
                    "name_en": g.name_en,
                    "name_ja": g.name_ja,
                    "date": g.approved.date,
                    "status": g.approved.status or "approved",
                    "architecture": g.architecture,
                    "elements": len(g.elements),
                    "laws": len(g.legislation),
                }
            )
        if json_out:
            print_json(rows)
            return
        table = Table(title=t(lang, "Guidelines for Japan-U.S. Defense Cooperation", "日米防衛協力のための指針"))
        for col in ("id", t(lang, "date", "日付"), t(lang, "name", "名称"), t(lang, "elements", "要素"), t(lang, "laws", "関連法")):
            table.add_column(col)
        for r in rows:
            table.add_row(r["id"], r["date"] or "", r["name_ja"] if lang == "ja" else r["name_en"], str(r["elements"]), str(r["laws"]))
        console().print(table)

    @group.command("show")
    def show(
        version: str = typer.Argument(..., help="1978, 1997, 2015 or 2024-proposal."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        lang: str | None = lang_option(),
    ) -> None:
        """Show one version: context, sections, elements, laws that followed. / 版の内容。"""
        from .model.guidelines import load_guidelines

        lang = resolve_lang(lang)
        g = load_guidelines(version)
        if json_out:
            print_json(g.model_dump(exclude_none=True))
            return
        _print_version(g, lang)

    @group.command("diff")
    def diff(
        version_a: str = typer.Argument(..., help="Earlier version."),
        version_b: str = typer.Argument(..., help="Later version."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        lang: str | None = lang_option(),
    ) -> None:
        """What one version added, replaced, changed and removed. / 版の間の差分。"""
        from .model.guidelines import diff_guidelines

        lang = resolve_lang(lang)
        result = diff_guidelines(version_a, version_b)
        if json_out:
            print_json(result)
            return
        _print_diff(result, lang)

    app.add_typer(group, name="guidelines")


def _print_version(g: Any, lang: str) -> None:
    from rich.table import Table

    out = console()
    name = g.name_ja if lang == "ja" else g.name_en
    out.print(f"[bold]{name}[/bold] [dim]({g.id})[/dim]")
    by = g.approved.by_ja if lang == "ja" else g.approved.by_en
    out.print(f"{t(lang, 'Approved', '決定')}: {g.approved.date or '—'} {by or ''} {('[yellow]' + g.approved.status + '[/yellow]') if g.approved.status else ''}")
    out.print(f"\n[bold]{t(lang, 'Context', '背景')}[/bold]\n{g.context_ja if lang == 'ja' else g.context_en}")
    out.print(f"\n[bold]{t(lang, 'Role division', '役割分担')}[/bold]\n{g.role_division_ja if lang == 'ja' else g.role_division_en}\n")
    table = Table(title=t(lang, "Sections", "構成"))
    table.add_column("")
    table.add_column(t(lang, "title", "見出し"))
    for s in g.sections:
        table.add_row(s.id, s.title_ja if lang == "ja" else s.title_en)
    out.print(table)
    table = Table(title=t(lang, "What this version set up", "この版が定めたもの"))
    # Element ids are English identifiers: the Japanese table names elements, replaced ones too.
    columns = (t(lang, "category", "分類"), "id", t(lang, "element", "要素"), t(lang, "replaces", "置き換え"))
    for col in columns if lang != "ja" else (columns[0], *columns[2:]):
        table.add_column(col)
    names = _element_names(lang)
    for e in g.elements:
        cat = CATEGORY_JA.get(e.category, e.category) if lang == "ja" else e.category
        flag = t(lang, " [dim](assumption)[/dim]", " [dim]（仮定）[/dim]") if e.assumption else ""
        name = (e.name_ja if lang == "ja" else e.name_en) + flag
        if lang == "ja":
            table.add_row(cat, name, "、".join(names.get(r, r) for r in e.replaces))
        else:
            table.add_row(cat, e.id, name, ", ".join(e.replaces))
    out.print(table)
    table = Table(title=t(lang, "Laws that followed", "その後の法整備"))
    table.add_column(t(lang, "date", "日付"))
    table.add_column(t(lang, "law", "法令"))
    for law in g.legislation:
        status = f" [yellow]({law.status})[/yellow]" if law.status else ""
        table.add_row(law.date or "—", (law.name_ja if lang == "ja" else law.name_en) + status)
    if g.legislation_status is not None and not g.legislation:
        table.add_row("—", (g.legislation_status.note_ja if lang == "ja" else g.legislation_status.note_en) or g.legislation_status.value)
    out.print(table)


def _element_names(lang: str) -> dict[str, str]:
    """Every Guidelines element id -> its name in `lang`, latest version first."""
    from .model.guidelines import guidelines_versions, load_guidelines

    names: dict[str, str] = {}
    for version in reversed(guidelines_versions()):
        for e in load_guidelines(version).elements:
            names.setdefault(e.id, e.name_ja if lang == "ja" else e.name_en)
    return names


def _print_diff(result: dict[str, Any], lang: str) -> None:
    out = console()
    suffix = "ja" if lang == "ja" else "en"
    out.print(f"[bold]{t(lang, 'Guidelines', 'ガイドライン')} {result['from']} → {result['to']}[/bold]")
    if result["replaced"]:
        out.print(f"\n[bold]{t(lang, 'Replaced', '置き換え')}[/bold]")
        for r in result["replaced"]:
            olds = " + ".join(r[f"from_names_{suffix}"])
            out.print(f"  [red]{olds}[/red]\n    → [green]{r[f'to_name_{suffix}']}[/green]")
    for key, title_en, title_ja, style in (
        ("added", "Added", "新設", "green"),
        ("removed", "Removed", "廃止", "red"),
    ):
        if result[key]:
            out.print(f"\n[bold]{t(lang, title_en, title_ja)}[/bold]")
            for e in result[key]:
                element_id = f" [dim]{e['id']}[/dim]" if lang != "ja" else ""
                out.print(f"  [{style}]{e[f'name_{suffix}']}[/{style}]{element_id}")
    if result["changed"]:
        out.print(f"\n[bold]{t(lang, 'Changed', '変更')}[/bold]")
        for e in result["changed"]:
            out.print(f"  {e[f'was_{suffix}']}\n    → {e[f'name_{suffix}']}")
    if result["legislation_after"]:
        out.print(f"\n[bold]{t(lang, 'Laws after', 'その後の法整備')} {result['to']}[/bold]")
        for law in result["legislation_after"]:
            status = f" ({law['status']})" if law["status"] else ""
            out.print(f"  {law['date'] or '—'} {law[f'name_{suffix}']}{status}")
