"""Terminal output of the Guidelines' versions, one version, and the difference between two (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from ...labels import guideline_category_name, pick
from ...model.guidelines import GuidelinesVersion, guidelines_versions, load_guidelines
from ..support import console


def print_versions(items: Sequence[GuidelinesVersion], lang: str) -> None:
    """One line per version: id, date, name, how many elements and laws."""
    table = Table(title=pick(lang, "Guidelines for Japan-U.S. Defense Cooperation", "日米防衛協力のための指針"))
    for col in ("id", pick(lang, "date", "日付"), pick(lang, "name", "名称"), pick(lang, "elements", "要素"),
                pick(lang, "laws", "関連法")):
        table.add_column(col)
    for g in items:
        table.add_row(g.id, g.approved.date or "", pick(lang, g.name_en, g.name_ja), str(len(g.elements)),
                      str(len(g.legislation)))
    console().print(table)


def print_version(g: GuidelinesVersion, lang: str) -> None:
    """Context, role division, sections, the elements it set up and the laws that followed."""
    out = console()
    name = pick(lang, g.name_en, g.name_ja)
    out.print(f"[bold]{name}[/bold] [dim]({g.id})[/dim]")
    by = pick(lang, g.approved.by_en or "", g.approved.by_ja or "")
    out.print(f"{pick(lang, 'Approved', '決定')}: {g.approved.date or '—'} {by or ''} {('[yellow]' + g.approved.status + '[/yellow]') if g.approved.status else ''}")
    out.print(f"\n[bold]{pick(lang, 'Context', '背景')}[/bold]\n{pick(lang, g.context_en, g.context_ja)}")
    out.print(f"\n[bold]{pick(lang, 'Role division', '役割分担')}[/bold]\n{pick(lang, g.role_division_en, g.role_division_ja)}\n")
    table = Table(title=pick(lang, "Sections", "構成"))
    table.add_column("")
    table.add_column(pick(lang, "title", "見出し"))
    for s in g.sections:
        table.add_row(s.id, pick(lang, s.title_en, s.title_ja))
    out.print(table)
    table = Table(title=pick(lang, "What this version set up", "この版が定めたもの"))
    # Element ids are English identifiers: the Japanese table names elements, replaced ones too.
    columns = (pick(lang, "category", "分類"), "id", pick(lang, "element", "要素"), pick(lang, "replaces", "置き換え"))
    for col in columns if lang != "ja" else (columns[0], *columns[2:]):
        table.add_column(col)
    names = _element_names(lang)
    for e in g.elements:
        cat = guideline_category_name(e.category, lang) if lang == "ja" else e.category
        flag = pick(lang, " [dim](assumption)[/dim]", " [dim]（仮定）[/dim]") if e.assumption else ""
        name = pick(lang, e.name_en, e.name_ja) + flag
        if lang == "ja":
            table.add_row(cat, name, "、".join(names.get(r, r) for r in e.replaces))
        else:
            table.add_row(cat, e.id, name, ", ".join(e.replaces))
    out.print(table)
    table = Table(title=pick(lang, "Laws that followed", "その後の法整備"))
    table.add_column(pick(lang, "date", "日付"))
    table.add_column(pick(lang, "law", "法令"))
    for law in g.legislation:
        status = f" [yellow]({law.status})[/yellow]" if law.status else ""
        table.add_row(law.date or "—", pick(lang, law.name_en, law.name_ja) + status)
    if g.legislation_status is not None and not g.legislation:
        table.add_row("—", pick(lang, g.legislation_status.note_en or '', g.legislation_status.note_ja or '') or g.legislation_status.value)
    out.print(table)


def _element_names(lang: str) -> dict[str, str]:
    """Every Guidelines element id -> its name in `lang`, latest version first."""
    names: dict[str, str] = {}
    for version in reversed(guidelines_versions()):
        for e in load_guidelines(version).elements:
            names.setdefault(e.id, pick(lang, e.name_en, e.name_ja))
    return names


def print_diff(result: dict[str, Any], lang: str) -> None:
    """Replaced, added, removed and changed elements, then the laws that followed."""
    out = console()
    suffix = "ja" if lang == "ja" else "en"
    out.print(f"[bold]{pick(lang, 'Guidelines', 'ガイドライン')} {result['from']} → {result['to']}[/bold]")
    if result["replaced"]:
        out.print(f"\n[bold]{pick(lang, 'Replaced', '置き換え')}[/bold]")
        for r in result["replaced"]:
            olds = " + ".join(r[f"from_names_{suffix}"])
            out.print(f"  [red]{olds}[/red]\n    → [green]{r[f'to_name_{suffix}']}[/green]")
    for key, title_en, title_ja, style in (
        ("added", "Added", "新設", "green"),
        ("removed", "Removed", "廃止", "red"),
    ):
        if result[key]:
            out.print(f"\n[bold]{pick(lang, title_en, title_ja)}[/bold]")
            for e in result[key]:
                element_id = f" [dim]{e['id']}[/dim]" if lang != "ja" else ""
                out.print(f"  [{style}]{e[f'name_{suffix}']}[/{style}]{element_id}")
    if result["changed"]:
        out.print(f"\n[bold]{pick(lang, 'Changed', '変更')}[/bold]")
        for e in result["changed"]:
            out.print(f"  {e[f'was_{suffix}']}\n    → {e[f'name_{suffix}']}")
    if result["legislation_after"]:
        out.print(f"\n[bold]{pick(lang, 'Laws after', 'その後の法整備')} {result['to']}[/bold]")
        for law in result["legislation_after"]:
            status = f" ({law['status']})" if law["status"] else ""
            out.print(f"  {law['date'] or '—'} {law[f'name_{suffix}']}{status}")
