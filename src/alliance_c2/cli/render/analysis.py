"""Terminal output of analyses and comparisons (rich), in English or Japanese.

Organizations are named from the arrangement, situations, levels and relation kinds from the catalog
(`alliance_c2.labels`); an id is shown only beside its name. Listings cut at `limit` rows say how many
were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ...analysis import Analysis, ArrangementSummary, OverviewRow
from ...labels import (
    level_name,
    level_rank,
    named,
    nation_name,
    org_name,
    org_names,
    pick,
    relation_kind_name,
)
from ...labels import situation_name as _situation
from ...model import Architecture, level_catalog, ordinary_situation, reference_situation, situation_ids

DEFAULT_LIMIT = 15
ALL_HINT = ("--all lists them", "--all で全件表示")
# Levels from the lowest up, by rank: the colour of a level cell.
_LEVEL_STYLES = ("dim", "yellow", "cyan", "bold green")


def _more(lang: str, hidden: int) -> str:
    return pick(lang, f"… and {hidden} more ({ALL_HINT[0]})", f"…ほか{hidden}件（{ALL_HINT[1]}）")


def _cut(items: Sequence[Any], limit: int | None) -> tuple[Sequence[Any], int]:
    """The first `limit` items (all when None) and how many were left out."""
    if limit is None or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def print_architectures(console: Console, rows: Sequence[ArrangementSummary], lang: str) -> None:
    """The bundled arrangements with their levels in the ordinary and the reference situation."""
    table = Table(title=pick(lang, "Bundled arrangements", "収録された指揮統制体制"))
    for col in ("id", pick(lang, "name", "名称"), pick(lang, "orgs", "組織数"),
                _situation(ordinary_situation(), lang), _situation(reference_situation(), lang)):
        table.add_column(col)
    for r in rows:
        table.add_row(r.id, pick(lang, r.name_en, r.name_ja), str(r.organizations),
                      level_name(r.level_ordinary, lang), level_name(r.level_reference, lang))
    console.print(table)


def print_analysis(
    console: Console,
    arch: Architecture,
    an: Analysis,
    lang: str,
    limit: int | None = DEFAULT_LIMIT,
) -> None:
    """A few readable blocks: level and why, chains, single points, hops."""
    console.print(
        f"[bold]{arch.name(lang)}[/bold] [dim]{arch.id}[/dim] — {pick(lang, 'situation', '事態')}: "
        f"{_situation(an.situation, lang)}"
    )
    console.print(f"{pick(lang, 'Interoperability level', '相互運用性レベル')}: [bold cyan]{level_name(an.level, lang)}[/bold cyan]")
    _print_level_basis(console, arch, an, lang)
    ok = an.civilian_control["ok"]
    console.print(
        f"{pick(lang, 'Civilian control', '文民統制')}: "
        + ("[green]OK[/green]" if ok else "[red]" + org_names(arch, an.civilian_control["without_civilian_chain"], lang) + "[/red]")
    )
    hops = an.coordination_hops
    if hops.get("mean") is not None:
        nations = pick(lang, "-", "・").join(nation_name(n, lang) for n in hops["nations"])
        console.print(
            f"{pick(lang, 'Coordination hops for a shared task', '共同任務の調整ホップ数')} "
            f"({nations}): {pick(lang, 'mean', '平均')} {hops['mean']}, "
            f"{pick(lang, 'e.g.', '例')} {org_names(arch, hops['example'], lang, ' → ')}"
        )
    console.print(f"{pick(lang, 'Command depth', '指揮階層の深さ')}: {an.command_depth}")
    if an.cross_national:
        _print_cross_national(console, arch, an, lang)
    _print_single_points(console, arch, an, lang, limit)
    _print_chains(console, arch, an, lang)


def _print_cross_national(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    table = Table(title=pick(lang, "Cross-national command relations", "国をまたぐ指揮関係"))
    for col in (pick(lang, "from", "指揮する側"), pick(lang, "to", "指揮される側"), pick(lang, "kind", "種別")):
        table.add_column(col)
    for c in an.cross_national:
        table.add_row(
            f"{org_name(arch, c['from'], lang)} ({nation_name(c['from_nation'], lang)})",
            f"{org_name(arch, c['to'], lang)} ({nation_name(c['to_nation'], lang)})",
            relation_kind_name(c["kind"], lang),
        )
    console.print(table)


def _print_single_points(console: Console, arch: Architecture, an: Analysis, lang: str, limit: int | None) -> None:
    shown, hidden = _cut(an.single_points_of_failure, limit)
    table = Table(title=pick(lang, "Single points of failure", "単一障害点"))
    table.add_column(pick(lang, "organization", "組織"))
    table.add_column(pick(lang, "units cut off", "切り離される部隊数"), justify="right")
    for p in shown:
        table.add_row(f"{org_name(arch, p.id, lang)} [dim]({p.id})[/dim]", str(p.units_cut))
    console.print(table)
    if hidden:
        console.print(_more(lang, hidden))


def _print_chains(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    table = Table(title=pick(lang, "Chains of command (units)", "指揮系統（部隊）"))
    table.add_column(pick(lang, "unit", "部隊"))
    table.add_column(pick(lang, "chain", "系統"))
    table.add_column(pick(lang, "path", "経路"))
    for unit, chains in an.chains.items():
        if arch.organizations[unit].kind != "unit":
            continue
        for chain in chains:
            kind = pick(lang, chain.kind, "国家" if chain.kind == "national" else "作戦")
            table.add_row(org_name(arch, unit, lang), kind, org_names(arch, chain.path, lang, " → "))
    console.print(table)


def _print_level_basis(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    """The study's definition (quoted), then the rule that decided it, labelled as our interpretation."""
    catalog = level_catalog()
    decision = an.level_decision
    definition = catalog.definition(decision.level)
    rule = catalog.rule(decision.rule)
    console.print(f"  {pick(lang, 'The study', '検討の定義')}: 「{definition.definition_ja}」")
    if lang != "ja":
        console.print(f"  [dim]({definition.definition_en})[/dim]")
    label = pick(lang, "Rule (this project's interpretation)", "判定基準（本プロジェクトの解釈）")
    console.print(f"  {label} [dim]{rule.id}[/dim]: {pick(lang, rule.text_en, rule.text_ja)}")
    for ev in decision.evidence_ja if lang == "ja" else decision.evidence:
        console.print(f"  · {named(arch, ev, lang)}")
    if decision.interpretation:
        console.print(
            "  [yellow]"
            + pick(
                lang,
                "This level rests on relations marked as this project's interpretation in this situation.",
                "この事態でのこのレベルは、本プロジェクトの解釈として明示した関係による。",
            )
            + "[/yellow]"
        )


def print_comparison(
    console: Console,
    result: dict[str, Any],
    archs: tuple[Architecture, Architecture],
    lang: str,
    limit: int | None = DEFAULT_LIMIT,
) -> None:
    """The two arrangements side by side, then what exists or is related in only one of them."""
    a, b = result["a"], result["b"]
    arch_a, arch_b = archs
    situation = _situation(result["situation"], lang)
    table = Table(title=pick(lang, f"Comparison in {situation}", f"比較（{situation}）"))
    table.add_column("")
    table.add_column(a["id"])
    table.add_column(b["id"])

    def orgs(side: dict[str, Any], arch: Architecture, key: str, cut: int | None = None) -> str:
        shown, hidden = _cut(side[key], cut)
        text = org_names(arch, shown, lang) or "—"
        return text + (pick(lang, f" (+{hidden} more)", f"（ほか{hidden}件）") if hidden else "")

    spof_limit = None if limit is None else 5
    rows = [
        (pick(lang, "level", "レベル"), level_name(a["level"], lang), level_name(b["level"], lang)),
        (pick(lang, "organizations", "組織数"), str(a["organizations"]), str(b["organizations"])),
        (pick(lang, "active relations", "有効な関係"), str(a["relations"]), str(b["relations"])),
        (pick(lang, "command depth", "指揮階層"), str(a["command_depth"]), str(b["command_depth"])),
        (pick(lang, "coordination hops", "調整ホップ"), str(a["coordination_hops_mean"]), str(b["coordination_hops_mean"])),
        (pick(lang, "cross-national OPCON/TACON", "国をまたぐ作戦統制"), str(a["cross_national_opcon"]), str(b["cross_national_opcon"])),
        (pick(lang, "combined HQ", "連合司令部"), orgs(a, arch_a, "combined_headquarters"), orgs(b, arch_b, "combined_headquarters")),
        (
            pick(lang, "single points of failure", "単一障害点"),
            orgs(a, arch_a, "single_points_of_failure", spof_limit),
            orgs(b, arch_b, "single_points_of_failure", spof_limit),
        ),
        (pick(lang, "civilian control", "文民統制"), "OK" if a["civilian_control_ok"] else "NG", "OK" if b["civilian_control_ok"] else "NG"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for key, arch, label in (
        ("organizations_only_in_a", arch_a, pick(lang, f"only in {a['id']}", f"{a['id']} のみ")),
        ("organizations_only_in_b", arch_b, pick(lang, f"only in {b['id']}", f"{b['id']} のみ")),
    ):
        if result[key]:
            console.print(f"[bold]{label}[/bold]: {org_names(arch, result[key], lang)}")
    added, removed = result["relations_only_in_b"], result["relations_only_in_a"]
    console.print(
        pick(lang, "Relations added", "追加された関係")
        + f": {len(added)}, "
        + pick(lang, "removed", "削除された関係")
        + f": {len(removed)}"
    )
    for rels, arch, mark in ((added, arch_b, "[green]+[/green]"), (removed, arch_a, "[red]-[/red]")):
        shown, hidden = _cut(rels, limit)
        for rel in shown:
            console.print(
                f"  {mark} {org_name(arch, rel[0], lang)} —{relation_kind_name(rel[2], lang)}→ {org_name(arch, rel[1], lang)}"
            )
        if hidden:
            console.print(f"    {_more(lang, hidden)}")


def print_overview(console: Console, rows: Sequence[OverviewRow], lang: str) -> None:
    """Levels by situation (situations down, arrangements across), then structure in the reference situation."""
    table = Table(title=pick(lang, "Interoperability level by situation", "事態別の相互運用性レベル"))
    table.add_column(pick(lang, "situation", "事態"))
    for r in rows:
        table.add_column(r.id)
    for s in situation_ids():
        table.add_row(_situation(s, lang), *[_level_cell(r.levels[s], lang) for r in rows])
    console.print(table)
    reference = _situation(reference_situation(), lang)
    table = Table(title=pick(lang, f"Structure in {reference}", f"{reference}における構造"))
    table.add_column("")
    for r in rows:
        table.add_column(r.id)
    for key, en, ja in (
        ("organizations", "organizations", "組織数"),
        ("command_depth", "command depth", "指揮階層の深さ"),
        ("coordination_hops_mean", "hops for a shared task", "共同任務の調整ホップ"),
        ("cross_national_opcon", "cross-national OPCON/TACON", "他国部隊への作戦統制"),
        ("single_points_of_failure", "single points of failure", "単一障害点"),
    ):
        table.add_row(pick(lang, en, ja), *[str(getattr(r, key)) for r in rows])
    table.add_row(pick(lang, "civilian control", "文民統制"), *["OK" if r.civilian_control_ok else "NG" for r in rows])
    console.print(table)


def _level_cell(level: str, lang: str) -> str:
    style = _LEVEL_STYLES[min(level_rank(level), len(_LEVEL_STYLES) - 1)]
    return f"[{style}]{level_name(level, lang)}[/{style}]"
