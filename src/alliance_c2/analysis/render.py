"""Terminal rendering of analyses and comparisons (rich), in English or Japanese.

Organizations are named from the arrangement, situations from the names the caller passes (the
law catalog's), levels and relation kinds in the reader's language; an id is shown only beside
its name. Listings cut at `limit` rows say how many were left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..model import Architecture
from ..model.levels import level_catalog
from ..model.tree import kind_label, nation_label
from ..model.vocabulary import NATION_NAMES, SITUATIONS
from .levels import levels_by_situation
from .structure import Analysis, analyze

SITUATION_NAMES = {
    "peacetime": ("peacetime", "平時"),
    "gray-zone": ("gray zone", "グレーゾーン事態"),
    "important-influence": ("important influence", "重要影響事態"),
    "anticipated-armed-attack": ("anticipated armed attack", "武力攻撃予測事態"),
    "armed-attack": ("armed attack", "武力攻撃事態"),
    "survival-threatening": ("survival-threatening", "存立危機事態"),
    "international-peace-cooperation": ("international peace cooperation", "国際平和共同対処事態"),
    "emergency-response": ("emergency response", "緊急対処事態"),
}
DEFAULT_LIMIT = 15
ALL_HINT = ("--all lists them", "--all で全件表示")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")

def _t(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


def level_name(level: str, lang: str) -> str:
    """The level's name from the catalog: the study's Japanese term, or the id in English."""
    return level_catalog().definition(level).name_ja if lang == "ja" else level


def org_name(arch: Architecture, org_id: str, lang: str) -> str:
    """An organization's name in `lang` (its id if the arrangement does not have it)."""
    org = arch.organizations.get(org_id)
    return org.name(lang) if org is not None else org_id


def _names(arch: Architecture, ids: Sequence[str], lang: str, sep: str = ", ") -> str:
    return sep.join(org_name(arch, i, lang) for i in ids)


def _situation(situations: Mapping[str, str], situation: str) -> str:
    return situations.get(situation, situation)


def _more(lang: str, hidden: int) -> str:
    return _t(lang, f"… and {hidden} more ({ALL_HINT[0]})", f"…ほか{hidden}件（{ALL_HINT[1]}）")


def _cut(items: Sequence[Any], limit: int | None) -> tuple[Sequence[Any], int]:
    """The first `limit` items (all when None) and how many were left out."""
    if limit is None or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def named(arch: Architecture, text: str, lang: str) -> str:
    """`text` with organization ids and nation codes replaced by their names in `lang` (ids stay in English)."""
    if lang != "ja":
        return text
    orgs = arch.organizations

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in orgs:
            return org_name(arch, token, lang)
        return nation_label(token, lang) if token in NATION_NAMES else token

    return _TOKEN.sub(name, text)


def print_analysis(
    console: Console,
    arch: Architecture,
    an: Analysis,
    lang: str,
    situations: Mapping[str, str],
    limit: int | None = DEFAULT_LIMIT,
) -> None:
    """A few readable blocks: level and why, chains, single points, hops."""
    console.print(
        f"[bold]{arch.name(lang)}[/bold] [dim]{arch.id}[/dim] — {_t(lang, 'situation', '事態')}: "
        f"{_situation(situations, an.situation)}"
    )
    console.print(f"{_t(lang, 'Interoperability level', '相互運用性レベル')}: [bold cyan]{level_name(an.level, lang)}[/bold cyan]")
    _print_level_basis(console, arch, an, lang)
    ok = an.civilian_control["ok"]
    console.print(
        f"{_t(lang, 'Civilian control', '文民統制')}: "
        + ("[green]OK[/green]" if ok else "[red]" + _names(arch, an.civilian_control["without_civilian_chain"], lang) + "[/red]")
    )
    hops = an.coordination_hops
    if hops.get("mean") is not None:
        nations = _t(lang, "-", "・").join(nation_label(n, lang) for n in hops["nations"])
        console.print(
            f"{_t(lang, 'Coordination hops for a shared task', '共同任務の調整ホップ数')} "
            f"({nations}): {_t(lang, 'mean', '平均')} {hops['mean']}, "
            f"{_t(lang, 'e.g.', '例')} {_names(arch, hops['example'], lang, ' → ')}"
        )
    console.print(f"{_t(lang, 'Command depth', '指揮階層の深さ')}: {an.command_depth}")
    if an.cross_national:
        _print_cross_national(console, arch, an, lang)
    _print_single_points(console, arch, an, lang, limit)
    _print_chains(console, arch, an, lang)


def _print_cross_national(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    table = Table(title=_t(lang, "Cross-national command relations", "国をまたぐ指揮関係"))
    for col in (_t(lang, "from", "指揮する側"), _t(lang, "to", "指揮される側"), _t(lang, "kind", "種別")):
        table.add_column(col)
    for c in an.cross_national:
        table.add_row(
            f"{org_name(arch, c['from'], lang)} ({nation_label(c['from_nation'], lang)})",
            f"{org_name(arch, c['to'], lang)} ({nation_label(c['to_nation'], lang)})",
            kind_label(c["kind"], lang),
        )
    console.print(table)


def _print_single_points(console: Console, arch: Architecture, an: Analysis, lang: str, limit: int | None) -> None:
    shown, hidden = _cut(an.single_points_of_failure, limit)
    table = Table(title=_t(lang, "Single points of failure", "単一障害点"))
    table.add_column(_t(lang, "organization", "組織"))
    table.add_column(_t(lang, "units cut off", "切り離される部隊数"), justify="right")
    for p in shown:
        table.add_row(f"{org_name(arch, p.id, lang)} [dim]({p.id})[/dim]", str(p.units_cut))
    console.print(table)
    if hidden:
        console.print(_more(lang, hidden))


def _print_chains(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    table = Table(title=_t(lang, "Chains of command (units)", "指揮系統（部隊）"))
    table.add_column(_t(lang, "unit", "部隊"))
    table.add_column(_t(lang, "chain", "系統"))
    table.add_column(_t(lang, "path", "経路"))
    for unit, chains in an.chains.items():
        if arch.organizations[unit].kind != "unit":
            continue
        for chain in chains:
            kind = _t(lang, chain.kind, "国家" if chain.kind == "national" else "作戦")
            table.add_row(org_name(arch, unit, lang), kind, _names(arch, chain.path, lang, " → "))
    console.print(table)


def _print_level_basis(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    """The study's definition (quoted), then the rule that decided it, labelled as our interpretation."""
    catalog = level_catalog()
    decision = an.level_decision
    definition = catalog.definition(decision.level)
    rule = catalog.rule(decision.rule)
    console.print(f"  {_t(lang, 'The study', '検討の定義')}: 「{definition.definition_ja}」")
    if lang != "ja":
        console.print(f"  [dim]({definition.definition_en})[/dim]")
    label = _t(lang, "Rule (this project's interpretation)", "判定基準（本プロジェクトの解釈）")
    console.print(f"  {label} [dim]{rule.id}[/dim]: {_t(lang, rule.text_en, rule.text_ja)}")
    for ev in decision.evidence_ja if lang == "ja" else decision.evidence:
        console.print(f"  · {named(arch, ev, lang)}")
    if decision.interpretation:
        console.print(
            "  [yellow]"
            + _t(
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
    situations: Mapping[str, str],
    limit: int | None = DEFAULT_LIMIT,
) -> None:
    """The two arrangements side by side, then what exists or is related in only one of them."""
    a, b = result["a"], result["b"]
    arch_a, arch_b = archs
    situation = _situation(situations, result["situation"])
    table = Table(title=_t(lang, f"Comparison in {situation}", f"比較（{situation}）"))
    table.add_column("")
    table.add_column(a["id"])
    table.add_column(b["id"])

    def orgs(side: dict[str, Any], arch: Architecture, key: str, cut: int | None = None) -> str:
        shown, hidden = _cut(side[key], cut)
        text = _names(arch, shown, lang) or "—"
        return text + (_t(lang, f" (+{hidden} more)", f"（ほか{hidden}件）") if hidden else "")

    spof_limit = None if limit is None else 5
    rows = [
        (_t(lang, "level", "レベル"), level_name(a["level"], lang), level_name(b["level"], lang)),
        (_t(lang, "organizations", "組織数"), str(a["organizations"]), str(b["organizations"])),
        (_t(lang, "active relations", "有効な関係"), str(a["relations"]), str(b["relations"])),
        (_t(lang, "command depth", "指揮階層"), str(a["command_depth"]), str(b["command_depth"])),
        (_t(lang, "coordination hops", "調整ホップ"), str(a["coordination_hops_mean"]), str(b["coordination_hops_mean"])),
        (_t(lang, "cross-national OPCON/TACON", "国をまたぐ作戦統制"), str(a["cross_national_opcon"]), str(b["cross_national_opcon"])),
        (_t(lang, "combined HQ", "連合司令部"), orgs(a, arch_a, "combined_headquarters"), orgs(b, arch_b, "combined_headquarters")),
        (
            _t(lang, "single points of failure", "単一障害点"),
            orgs(a, arch_a, "single_points_of_failure", spof_limit),
            orgs(b, arch_b, "single_points_of_failure", spof_limit),
        ),
        (_t(lang, "civilian control", "文民統制"), "OK" if a["civilian_control_ok"] else "NG", "OK" if b["civilian_control_ok"] else "NG"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for key, arch, label in (
        ("organizations_only_in_a", arch_a, _t(lang, f"only in {a['id']}", f"{a['id']} のみ")),
        ("organizations_only_in_b", arch_b, _t(lang, f"only in {b['id']}", f"{b['id']} のみ")),
    ):
        if result[key]:
            console.print(f"[bold]{label}[/bold]: {_names(arch, result[key], lang)}")
    added, removed = result["relations_only_in_b"], result["relations_only_in_a"]
    console.print(
        _t(lang, "Relations added", "追加された関係")
        + f": {len(added)}, "
        + _t(lang, "removed", "削除された関係")
        + f": {len(removed)}"
    )
    for rels, arch, mark in ((added, arch_b, "[green]+[/green]"), (removed, arch_a, "[red]-[/red]")):
        shown, hidden = _cut(rels, limit)
        for rel in shown:
            console.print(
                f"  {mark} {org_name(arch, rel[0], lang)} —{kind_label(rel[2], lang)}→ {org_name(arch, rel[1], lang)}"
            )
        if hidden:
            console.print(f"    {_more(lang, hidden)}")


def comparison_rows(archs: list[Architecture]) -> list[dict[str, Any]]:
    """One row per arrangement: levels in every situation and the armed-attack structure."""
    rows = []
    for arch in archs:
        an = analyze(arch, "armed-attack")
        rows.append(
            {
                "id": arch.id,
                "name_en": arch.name_en,
                "name_ja": arch.name_ja,
                "levels": levels_by_situation(arch),
                "organizations": an.counts["organizations"],
                "command_depth": an.command_depth,
                "coordination_hops_mean": an.coordination_hops.get("mean"),
                "cross_national_opcon": len([c for c in an.cross_national if c["kind"] in ("opcon", "tacon")]),
                "single_points_of_failure": len(an.single_points_of_failure),
                "civilian_control_ok": an.civilian_control["ok"],
            }
        )
    return rows


def print_overview(console: Console, rows: list[dict[str, Any]], lang: str, situations: Mapping[str, str]) -> None:
    """Levels by situation (situations down, arrangements across), then structure in armed attack."""
    table = Table(title=_t(lang, "Interoperability level by situation", "事態別の相互運用性レベル"))
    table.add_column(_t(lang, "situation", "事態"))
    for r in rows:
        table.add_column(r["id"])
    for s in SITUATIONS:
        table.add_row(_situation(situations, s), *[_level_cell(r["levels"][s], lang) for r in rows])
    console.print(table)
    title = _t(lang, f"Structure in {_situation(situations, 'armed-attack')}", f"{_situation(situations, 'armed-attack')}における構造")
    table = Table(title=title)
    table.add_column("")
    for r in rows:
        table.add_column(r["id"])
    for key, en, ja in (
        ("organizations", "organizations", "組織数"),
        ("command_depth", "command depth", "指揮階層の深さ"),
        ("coordination_hops_mean", "hops for a shared task", "共同任務の調整ホップ"),
        ("cross_national_opcon", "cross-national OPCON/TACON", "他国部隊への作戦統制"),
        ("single_points_of_failure", "single points of failure", "単一障害点"),
    ):
        table.add_row(_t(lang, en, ja), *[str(r[key]) for r in rows])
    table.add_row(_t(lang, "civilian control", "文民統制"), *["OK" if r["civilian_control_ok"] else "NG" for r in rows])
    console.print(table)


def _level_cell(level: str, lang: str) -> str:
    style = {"deconflict": "dim", "coordinated": "yellow", "integrated": "cyan", "unified": "bold green"}[level]
    return f"[{style}]{level_name(level, lang)}[/{style}]"


def __getattr__(name: str) -> Any:
    # `LEVEL_JA` (level -> Japanese name) now comes from catalog/levels.yaml; kept by this name for
    # the report, which imports it.
    if name == "LEVEL_JA":
        return {level: d.name_ja for level, d in level_catalog().levels.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
