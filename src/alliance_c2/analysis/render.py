"""Terminal rendering of analyses and comparisons (rich), in English or Japanese."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..model import Architecture
from ..model.levels import level_catalog
from ..model.vocabulary import SITUATIONS
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


def _t(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


def level_name(level: str, lang: str) -> str:
    """The level's name from the catalog: Japanese with the id, or the id in English."""
    return f"{level_catalog().definition(level).name_ja} ({level})" if lang == "ja" else level


def print_analysis(console: Console, arch: Architecture, an: Analysis, lang: str) -> None:
    """A few readable blocks: level and why, chains, single points, hops."""
    console.print(f"[bold]{arch.name(lang)}[/bold] [dim]{arch.id}[/dim] — {_t(lang, 'situation', '事態')}: {an.situation}")
    console.print(f"{_t(lang, 'Interoperability level', '相互運用性レベル')}: [bold cyan]{level_name(an.level, lang)}[/bold cyan]")
    _print_level_basis(console, an, lang)
    ok = an.civilian_control["ok"]
    console.print(
        f"{_t(lang, 'Civilian control', '文民統制')}: "
        + ("[green]OK[/green]" if ok else "[red]" + ", ".join(an.civilian_control["without_civilian_chain"]) + "[/red]")
    )
    hops = an.coordination_hops
    if hops.get("mean") is not None:
        console.print(
            f"{_t(lang, 'Coordination hops for a shared task', '共同任務の調整ホップ数')} "
            f"({'-'.join(hops['nations'])}): {_t(lang, 'mean', '平均')} {hops['mean']}, "
            f"{_t(lang, 'e.g.', '例')} {' → '.join(hops['example'])}"
        )
    console.print(f"{_t(lang, 'Command depth', '指揮階層の深さ')}: {an.command_depth}")
    if an.cross_national:
        table = Table(title=_t(lang, "Cross-national command relations", "国をまたぐ指揮関係"))
        for col in ("from", "to", "kind"):
            table.add_column(col)
        for c in an.cross_national:
            table.add_row(f"{c['from']} ({c['from_nation']})", f"{c['to']} ({c['to_nation']})", c["kind"])
        console.print(table)
    table = Table(title=_t(lang, "Single points of failure", "単一障害点"))
    table.add_column(_t(lang, "organization", "組織"))
    table.add_column(_t(lang, "units cut off", "切り離される部隊数"), justify="right")
    for p in an.single_points_of_failure[:12]:
        table.add_row(f"{arch.organizations[p.id].name(lang)} [dim]{p.id}[/dim]", str(p.units_cut))
    console.print(table)
    table = Table(title=_t(lang, "Chains of command (units)", "指揮系統（部隊）"))
    table.add_column(_t(lang, "unit", "部隊"))
    table.add_column(_t(lang, "chain", "系統"))
    table.add_column(_t(lang, "path", "経路"))
    for unit, chains in an.chains.items():
        if arch.organizations[unit].kind != "unit":
            continue
        for chain in chains:
            kind = _t(lang, chain.kind, "国家" if chain.kind == "national" else "作戦")
            table.add_row(arch.organizations[unit].name(lang), kind, " → ".join(chain.path))
    console.print(table)


def _print_level_basis(console: Console, an: Analysis, lang: str) -> None:
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
        console.print(f"  · {ev}")
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


def print_comparison(console: Console, result: dict[str, Any], lang: str) -> None:
    a, b = result["a"], result["b"]
    table = Table(title=_t(lang, f"Comparison in {result['situation']}", f"比較（{result['situation']}）"))
    table.add_column("")
    table.add_column(a["id"])
    table.add_column(b["id"])
    rows = [
        (_t(lang, "level", "レベル"), level_name(a["level"], lang), level_name(b["level"], lang)),
        (_t(lang, "organizations", "組織数"), str(a["organizations"]), str(b["organizations"])),
        (_t(lang, "active relations", "有効な関係"), str(a["relations"]), str(b["relations"])),
        (_t(lang, "command depth", "指揮階層"), str(a["command_depth"]), str(b["command_depth"])),
        (_t(lang, "coordination hops", "調整ホップ"), str(a["coordination_hops_mean"]), str(b["coordination_hops_mean"])),
        (_t(lang, "cross-national OPCON/TACON", "国をまたぐ作戦統制"), str(a["cross_national_opcon"]), str(b["cross_national_opcon"])),
        (_t(lang, "combined HQ", "連合司令部"), ", ".join(a["combined_headquarters"]) or "—", ", ".join(b["combined_headquarters"]) or "—"),
        (_t(lang, "single points of failure", "単一障害点"), ", ".join(a["single_points_of_failure"][:5]) or "—", ", ".join(b["single_points_of_failure"][:5]) or "—"),
        (_t(lang, "civilian control", "文民統制"), "OK" if a["civilian_control_ok"] else "NG", "OK" if b["civilian_control_ok"] else "NG"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for key, label in (
        ("organizations_only_in_a", _t(lang, f"only in {a['id']}", f"{a['id']} のみ")),
        ("organizations_only_in_b", _t(lang, f"only in {b['id']}", f"{b['id']} のみ")),
    ):
        if result[key]:
            console.print(f"[bold]{label}[/bold]: {', '.join(result[key])}")
    console.print(
        _t(lang, "Relations added", "追加された関係")
        + f": {len(result['relations_only_in_b'])}, "
        + _t(lang, "removed", "削除された関係")
        + f": {len(result['relations_only_in_a'])}"
    )
    for rel in result["relations_only_in_b"][:15]:
        console.print(f"  [green]+[/green] {rel[0]} —{rel[2]}→ {rel[1]}")
    for rel in result["relations_only_in_a"][:15]:
        console.print(f"  [red]-[/red] {rel[0]} —{rel[2]}→ {rel[1]}")


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


def print_overview(console: Console, rows: list[dict[str, Any]], lang: str) -> None:
    """Levels by situation (situations down, arrangements across), then structure in armed attack."""
    table = Table(title=_t(lang, "Interoperability level by situation", "事態別の相互運用性レベル"))
    table.add_column(_t(lang, "situation", "事態"))
    for r in rows:
        table.add_column(r["id"])
    for s in SITUATIONS:
        en, ja = SITUATION_NAMES[s]
        table.add_row(_t(lang, en, ja), *[_level_cell(r["levels"][s], lang) for r in rows])
    console.print(table)
    table = Table(title=_t(lang, "Structure in an armed-attack situation", "武力攻撃事態における構造"))
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
    name = level_catalog().definition(level).name_ja if lang == "ja" else level
    return f"[{style}]{name}[/{style}]"


def __getattr__(name: str) -> Any:
    # `LEVEL_JA` (level -> Japanese name) now comes from catalog/levels.yaml; kept by this name for
    # the report, which imports it.
    if name == "LEVEL_JA":
        return {level: d.name_ja for level, d in level_catalog().levels.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
