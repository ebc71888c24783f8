"""Terminal output of verdicts, audits and the law catalog (rich, English or Japanese).

Situations, actions, approvals, constraints and reforms are named from the law catalog, organizations
from the arrangement (`alliance_c2.labels`); ids are shown only in the catalog listings' id column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table

from ...labels import (
    approval_name,
    catalog_names,
    constraint_label,
    nation_name,
    org_name,
    org_names,
    pick,
    relation_kind_name,
)
from ...law import ApprovalStep, AuditReport, LawCatalog, Reform, Verdict, default_catalog
from ...model import Architecture

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _reforms(catalog: LawCatalog, ids: Iterable[str], lang: str) -> str:
    return catalog_names(catalog.reforms, ids, lang)


def _situations(catalog: LawCatalog, ids: Iterable[str], lang: str) -> str:
    return catalog_names(catalog.situations, ids, lang)


def print_verdict(console: Any, verdict: Verdict, lang: str = "en", arch: Architecture | None = None) -> None:
    """A few lines: the answer, why, the approvals in order, the chain, the findings, the articles."""
    catalog = default_catalog()
    sit = catalog.situations[verdict.situation]
    act = catalog.actions[verdict.action]
    if verdict.allowed:
        head = pick(lang, "[bold green]ALLOWED[/]", "[bold green]可[/]")
    else:
        head = pick(lang, "[bold red]NOT ALLOWED[/]", "[bold red]不可[/]")
    order = org_name(arch, verdict.ordered_by, lang) if verdict.ordered_by else pick(lang, "its own national chain", "自国の指揮系統")
    console.print(
        f"{head}  {act.name(lang)} / {org_name(arch, verdict.unit, lang)} / {sit.name(lang)} / "
        f"{pick(lang, 'ordered by', '命令者')} {order} [dim]({verdict.architecture})[/]"
    )
    basis = "; ".join(b.article_ja if lang == "ja" else b.article_en for b in verdict.basis)
    console.print(f"  [dim]{pick(lang, 'Law as of', '適用法の基準日')} {verdict.as_of.isoformat()}"
                  f"{': ' + basis if basis else ''}[/]")
    for block in verdict.blocked_by:
        cited = _readable(block.source, lang) if block.source else pick(lang, "no source", "出典なし")
        console.print(f"  [red]✗[/] {block.reason(lang)} [dim]({cited})[/]")
    if verdict.approvals:
        steps = " → ".join(_approval_label(s, catalog, lang) for s in verdict.approval_steps)
        console.print(f"  {pick(lang, 'Approvals', '必要な承認')}: {steps}")
        _print_by_nation(console, verdict, catalog, lang)
    for note in verdict.advisories:
        console.print(f"  [dim]{pick(lang, 'Also', 'また')} ({nation_name(note.nation, lang)}, "
                      f"{_kind(note.kind, lang)}): {pick(lang, note.text_en, note.text_ja)} "
                      f"{pick(lang, '(not a condition of the order)', '（命令の条件ではない）')}[/]")
    for bound in verdict.bounds:
        rule = catalog.rules.get(bound.rule)
        lifted = pick(lang, " (lifted: an active reform authorizes it)", "（有効な改革により解消）") if bound.lifted else ""
        console.print(
            f"  [yellow]{pick(lang, 'Bound', '期限')}[/] ({nation_name(bound.nation, lang)}): "
            + pick(lang, f"{rule.name_en if rule else bound.rule}: the commitment ends after {bound.days} days "
                         f"(+{bound.extension_days}) unless {_reforms(catalog, bound.lifted_by, lang) or 'authorized'}",
                   f"{rule.name_ja if rule else bound.rule}：{bound.days}日（+{bound.extension_days}日）で終了する"
                   f"（{_reforms(catalog, bound.lifted_by, lang) or '授権'}がない限り）")
            + lifted
        )
    if verdict.chain:
        console.print(f"  {pick(lang, 'Chain', '指揮系統')}: {org_names(arch, verdict.chain, lang, ' → ')}")
    for finding in verdict.findings:
        style = _SEVERITY_STYLE.get(finding.severity, "")
        fix = ""
        if finding.resolved_by:
            names = _reforms(catalog, finding.resolved_by, lang)
            fix = pick(lang, f" (lifted by {names})", f"（{names}で解消）")
        elif finding.otherwise_en:
            fix = pick(lang, f" ({finding.otherwise_en})", f"（{finding.otherwise_ja or finding.otherwise_en}）")
        console.print(f"  [{style}]{constraint_label(catalog, finding.constraint, lang)}[/] {finding.message(lang)}{fix}")
    for pre in verdict.preconditions:
        text = pre.text_ja if lang == "ja" and pre.text_ja else pre.text_en
        console.print(f"  [dim]{pick(lang, 'if', '前提')}: {text}[/]")
    articles = [c.article for c in verdict.citations if _is_article(c.article, catalog)]
    if articles:
        console.print(f"  [dim]{pick(lang, 'Cites', '根拠')}: {'; '.join(dict.fromkeys(articles))}[/]")


def _readable(source: str, lang: str) -> str:
    """A catalog citation as a reader can follow it: document titles, not the project's research-note files."""
    # Imported when a refusal is printed: the reference list is read from the catalog on first use.
    from ...report.references import readable

    return readable(source, lang)[0]


def _is_article(article: str, catalog: LawCatalog) -> bool:
    """Statute articles and documents: not the catalog entries, organizations and constraints already named."""
    head = article.split(":")[0].split(" ")[0]
    return not article.startswith(("jpn-", "usa-", "rok-", "cfc")) and head not in catalog.constraints and head not in catalog.actions


_KIND_JA = {"statute": "法律", "treaty": "条約", "policy": "政策", "practice": "慣行"}


def _kind(kind: str, lang: str) -> str:
    return _KIND_JA.get(kind, kind) if lang == "ja" else kind


def _print_by_nation(console: Any, verdict: Verdict, catalog: LawCatalog, lang: str) -> None:
    """Each ally's steps apart: whose authority gives each, under which law, of what kind, from what source (steps
    resting on the same rule and source on one line)."""
    groups: dict[str, list[list[ApprovalStep]]] = {}
    for step in verdict.approval_steps:
        runs = groups.setdefault(step.nation, [])
        if runs and (runs[-1][0].law, runs[-1][0].kind, runs[-1][0].source) == (step.law, step.kind, step.source):
            runs[-1].append(step)
        else:
            runs.append([step])
    for nation, runs in groups.items():
        console.print(f"  [bold]{nation_name(nation, lang)}[/]:")
        for steps in runs:
            first = steps[0]
            law = catalog.law_name(first.law, lang) if first.law else ""
            names = " → ".join(_approval_label(st, catalog, lang) for st in steps)
            console.print(f"    {names} [dim]({law}, {_kind(first.kind, lang)}; "
                          f"{first.source or pick(lang, 'no source', '出典なし')})[/]")


def _approval_label(step: ApprovalStep, catalog: LawCatalog, lang: str) -> str:
    name = approval_name(step.id, lang)
    after = pick(lang, " (after)", "（事後）") if step.phase == "after" else ""
    standing = pick(lang, " (standing order)", "（事前の命令可）") if step.pre_delegable else ""
    once = pick(lang, " (once for the situation)", "（事態ごとに一度）") if step.per_situation else ""
    return f"{name}{after}{standing}{once}"


def print_audit(console: Any, report: AuditReport, lang: str = "en", arch: Architecture | None = None) -> None:
    """The constraints × situations matrix, the cross-national relations and the reforms that clear."""
    catalog = default_catalog()
    title = pick(lang, f"Legal audit: {report.architecture}", f"法的監査: {report.architecture}")
    if report.reforms:
        title += f" [{_reforms(catalog, report.reforms, lang)}]"
    table = Table(title=title, caption=pick(
        lang, "Each cell: orders (unit × action × who orders) that raise the constraint in that situation; · none.",
        "各欄：その事態で当該制約に該当する命令（部隊×行動×命令者）の数。·は該当なし。"))
    table.add_column(pick(lang, "situation", "事態"))
    matrix = report.matrix()
    for c in matrix:
        table.add_column(c.split("-")[0] + pick(lang, " (orders)", "（命令数）"), justify="right")
    for s in report.situations:
        table.add_row(_situations(catalog, [s], lang), *(str(matrix[c][s]) if matrix[c][s] else "·" for c in matrix))
    console.print(table)
    clear = report.reforms_that_clear()
    for c in report.raised():
        name = catalog.constraints[c].name(lang) if c in catalog.constraints else c
        fix = _reforms(catalog, clear.get(c, []), lang) or pick(lang, "no reform in the catalog", "該当する改革なし")
        label = f"{c} ({name})" if lang != "ja" else constraint_label(catalog, c, lang)
        console.print(f"  {label}: {pick(lang, 'lifted by', '解消する改革')}: {fix}")
    _print_c6(console, report, catalog, lang)
    for rel in report.relations:
        raised = ", ".join(constraint_label(catalog, f["constraint"], lang) for f in rel["findings"])
        where = _situations(catalog, rel["active_in"], lang)
        console.print(
            f"  {org_name(arch, rel['from'], lang)} → {org_name(arch, rel['to'], lang)} "
            f"({relation_kind_name(rel['kind'], lang)}, {where}): {raised or pick(lang, 'none', 'なし')}"
        )
    console.print(
        pick(
            lang,
            f"{report.orders_checked} orders checked, {report.orders_blocked} not allowed.",
            f"{report.orders_checked}件の命令を検査、{report.orders_blocked}件が不可。",
        )
    )


def _print_c6(console: Any, report: AuditReport, catalog: LawCatalog, lang: str) -> None:
    """C6 computed: each U.S. and treaty rule the arrangement meets, on how many orders, and what lifts it."""
    rows = report.c6()
    if not rows:
        return
    table = Table(title=pick(lang, "C6: the rules of U.S. law and the Security Treaty the arrangement meets",
                             "C6：体制が抵触する米国法・安保条約の規定"))
    for col in (pick(lang, "rule", "規定"), pick(lang, "law", "法"), pick(lang, "kind", "種別"),
                pick(lang, "orders (refused)", "命令数（不可）"), pick(lang, "orders by situation", "事態別の命令数"),
                pick(lang, "lifted by", "解消するもの")):
        table.add_column(col)
    for c in rows:
        lift = _reforms(catalog, c.lifted_by, lang) or pick(lang, c.lifted_by_note_en or "—", c.lifted_by_note_ja or "—")
        where = ", ".join(f"{catalog.situations[sid].name(lang) if sid in catalog.situations else sid}: {n}"
                          for sid, n in c.situations.items()) or "—"
        table.add_row(f"{pick(lang, c.name_en, c.name_ja)} ({c.rule}; {c.article or ''})",
                      pick(lang, c.law_name_en, c.law_name_ja), _kind(c.kind, lang), f"{c.orders} ({c.blocked})",
                      where, lift)
    console.print(table)


def print_situations(console: Any, lang: str = "en") -> None:
    """The legal situations with whether force is permitted, the Diet's part and the steps to recognize them."""
    catalog = default_catalog()
    table = Table(title=pick(lang, "Legal situations", "事態"))
    for col in ("id", pick(lang, "name", "名称"), pick(lang, "in force", "施行"), pick(lang, "force", "武力行使"),
                pick(lang, "Diet", "国会"), pick(lang, "steps", "手続")):
        table.add_column(col)
    for s in catalog.situations.values():
        steps = " → ".join(approval_name(p.approval, lang) for p in s.procedure) or "—"
        diet = "—" if s.diet_approval == "none" else approval_name(s.diet_approval, lang)
        since = catalog.in_force_from(s.eras[0].requires if s.eras else s.requires)
        table.add_row(s.id, s.name(lang), since.isoformat() if since else "—",
                      "✓" if s.use_of_force_permitted else "—", diet, steps)
    console.print(table)


def print_actions(console: Any, lang: str = "en") -> None:
    """The actions and the situations each is lawful in."""
    catalog = default_catalog()
    table = Table(title=pick(lang, f"Actions ({catalog.jurisdiction} law)", "行動（日本法）"))
    table.add_column("id")
    table.add_column(pick(lang, "name", "名称"))
    table.add_column(pick(lang, "lawful in (since)", "可能な事態（施行）"))
    for a in catalog.actions.values():
        since = {s: routes[0].in_force for s, routes in a.history.items()}
        names = _situations(catalog, a.lawful_in, lang).split(", ") if a.lawful_in else []
        lawful = ", ".join(f"{name} ({d.isoformat()})" if (d := since.get(sid)) else name
                           for sid, name in zip(a.lawful_in, names, strict=False))
        table.add_row(a.id, a.name(lang), lawful or "—")
    console.print(table)


def print_reforms(console: Any, reforms: Sequence[Reform], lang: str = "en") -> None:
    """The reforms and what each does to the study's constraints."""
    catalog = default_catalog()
    table = Table(title=pick(lang, "Reforms", "改革"))
    for col in ("id", pick(lang, "name", "名称"), pick(lang, "nation", "国"), pick(lang, "kind", "種別"),
                pick(lang, "measure", "方策"), pick(lang, "effect", "効果")):
        table.add_column(col)
    for r in reforms:
        effect = ", ".join([*(_effect(catalog, c, e, lang) for c, e in r.lifts.items()),
                            *(pick(lang, f"lifts rule {x}", f"規定{x}を解消") for x in sorted(r.lifts_rules))])
        table.add_row(r.id, r.name(lang), ", ".join(nation_name(n, lang) for n in r.nations) or "—", _kind(r.kind, lang),
                      r.measure or "—", effect)
    console.print(table)


def print_approvals(console: Any, lang: str = "en") -> None:
    """Every approval: whose authority gives it, under which law, its kind, holder, phase and source."""
    catalog = default_catalog()
    table = Table(title=pick(lang, "Approvals (every procedural step, by the ally whose law asks for it)",
                             "承認（手続の各段階、求める側の国の法ごと）"))
    for col in ("id", pick(lang, "name", "名称"), pick(lang, "nation", "国"), pick(lang, "law", "法"),
                pick(lang, "kind", "種別"), pick(lang, "holder", "権限者"), pick(lang, "phase", "時期"),
                pick(lang, "source", "出典")):
        table.add_column(col)
    for a in catalog.approvals.values():
        phase = pick(lang, "after", "事後") if a.phase == "after" else pick(lang, "before", "事前")
        table.add_row(a.id, a.name(lang), nation_name(a.nation, lang) if a.nation else pick(lang, "the unit's", "部隊の国"),
                      catalog.law_name(a.law, lang) if a.law else "—", _kind(a.kind, lang), a.holder, phase,
                      a.source or pick(lang, "assumption", "仮定"))
    console.print(table)


def _effect(catalog: LawCatalog, constraint: str, effect: str, lang: str) -> str:
    if lang != "ja":
        return f"{effect} {constraint}"
    verb = {"lifts": "を解消", "eases": "を緩和"}.get(effect, effect)
    return f"{constraint_label(catalog, constraint, lang)}{verb}"
