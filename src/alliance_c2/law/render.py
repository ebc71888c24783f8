"""Human output for verdicts, audits and the law catalog (rich, English or Japanese)."""

from __future__ import annotations

from typing import Any

from .audit import AuditReport
from .catalog import LawCatalog
from .engine import Verdict

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _t(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


def print_verdict(console: Any, verdict: Verdict, catalog: LawCatalog, lang: str = "en") -> None:
    """A few lines: the answer, why, the approvals in order, the chain, the findings, the articles."""
    sit = catalog.situations[verdict.situation]
    act = catalog.actions[verdict.action]
    if verdict.allowed:
        head = _t(lang, "[bold green]ALLOWED[/]", "[bold green]可[/]")
    else:
        head = _t(lang, "[bold red]NOT ALLOWED[/]", "[bold red]不可[/]")
    order = verdict.ordered_by or _t(lang, "its own national chain", "自国の指揮系統")
    console.print(
        f"{head}  {act.name(lang)} / {verdict.unit} / {sit.name(lang)} / "
        f"{_t(lang, 'ordered by', '命令者')} {order} [dim]({verdict.architecture})[/]"
    )
    basis = "; ".join(b.article_ja if lang == "ja" else b.article_en for b in verdict.basis)
    console.print(f"  [dim]{_t(lang, 'Law as of', '適用法の基準日')} {verdict.as_of.isoformat()}"
                  f"{': ' + basis if basis else ''}[/]")
    for block in verdict.blocked_by:
        console.print(f"  [red]✗[/] {block.reason(lang)} [dim]({block.source or _t(lang, 'no source', '出典なし')})[/]")
    if verdict.approvals:
        console.print(f"  {_t(lang, 'Approvals', '必要な承認')}: " + " → ".join(_approval_label(s, catalog, lang) for s in verdict.approval_steps))
    if verdict.chain:
        console.print(f"  {_t(lang, 'Chain', '指揮系統')}: " + " → ".join(verdict.chain))
    for finding in verdict.findings:
        style = _SEVERITY_STYLE.get(finding.severity, "")
        fix = ""
        if finding.resolved_by:
            fix = _t(lang, f" (lifted by {', '.join(finding.resolved_by)})", f"（{', '.join(finding.resolved_by)}で解消）")
        console.print(f"  [{style}]{finding.constraint}[/] {finding.message(lang)}{fix}")
    for pre in verdict.preconditions:
        text = pre.text_ja if lang == "ja" and pre.text_ja else pre.text_en
        console.print(f"  [dim]{_t(lang, 'if', '前提')}: {text}[/]")
    articles = [c.article for c in verdict.citations if not c.article.startswith(("jpn-", "usa-", "rok-", "cfc"))]
    if articles:
        console.print(f"  [dim]{_t(lang, 'Cites', '根拠')}: {'; '.join(dict.fromkeys(articles))}[/]")


def _approval_label(step: Any, catalog: LawCatalog, lang: str) -> str:
    spec = catalog.approvals.get(step.id)
    name = spec.name(lang) if spec else step.id
    after = _t(lang, " (after)", "（事後）") if step.phase == "after" else ""
    standing = _t(lang, " (standing order)", "（事前の命令可）") if step.pre_delegable else ""
    return f"{name}{after}{standing}"


def print_audit(console: Any, report: AuditReport, catalog: LawCatalog, lang: str = "en") -> None:
    """The constraints × situations matrix, the cross-national relations and the reforms that clear."""
    from rich.table import Table

    title = _t(lang, f"Legal audit: {report.architecture}", f"法的監査: {report.architecture}")
    if report.reforms:
        title += f" [{', '.join(report.reforms)}]"
    table = Table(title=title)
    table.add_column(_t(lang, "situation", "事態"))
    matrix = report.matrix()
    for c in matrix:
        table.add_column(c.split("-")[0], justify="right")
    for s in report.situations:
        name = catalog.situations[s].name(lang) if s in catalog.situations else s
        table.add_row(name, *(str(matrix[c][s]) if matrix[c][s] else "·" for c in matrix))
    console.print(table)
    clear = report.reforms_that_clear()
    for c in report.raised():
        name = catalog.constraints[c].name(lang) if c in catalog.constraints else c
        fix = ", ".join(clear.get(c, [])) or _t(lang, "no reform in the catalog", "該当する改革なし")
        console.print(f"  {c} ({name}): {_t(lang, 'lifted by', '解消')}: {fix}")
    for rel in report.relations:
        raised = ", ".join(f["constraint"] for f in rel["findings"]) or _t(lang, "none", "なし")
        console.print(f"  {rel['from']} → {rel['to']} ({rel['kind']}, {', '.join(rel['active_in'])}): {raised}")
    console.print(
        _t(
            lang,
            f"{report.orders_checked} orders checked, {report.orders_blocked} not allowed.",
            f"{report.orders_checked}件の命令を検査、{report.orders_blocked}件が不可。",
        )
    )


def print_situations(console: Any, catalog: LawCatalog, lang: str = "en") -> None:
    from rich.table import Table

    table = Table(title=_t(lang, "Legal situations", "事態"))
    for col in ("id", _t(lang, "name", "名称"), _t(lang, "in force", "施行"), _t(lang, "force", "武力行使"),
                _t(lang, "Diet", "国会"), _t(lang, "steps", "手続")):
        table.add_column(col)
    for s in catalog.situations.values():
        steps = " → ".join(p.approval for p in s.procedure) or "—"
        since = catalog.in_force_from(s.eras[0].requires if s.eras else s.requires)
        table.add_row(s.id, s.name(lang), since.isoformat() if since else "—",
                      "✓" if s.use_of_force_permitted else "—", s.diet_approval, steps)
    console.print(table)


def print_actions(console: Any, catalog: LawCatalog, lang: str = "en") -> None:
    from rich.table import Table

    table = Table(title=_t(lang, f"Actions ({catalog.jurisdiction} law)", "行動（日本法）"))
    table.add_column("id")
    table.add_column(_t(lang, "name", "名称"))
    table.add_column(_t(lang, "lawful in (since)", "可能な事態（施行）"))
    for a in catalog.actions.values():
        lawful = ", ".join(
            f"{s} ({d.isoformat()})" if (d := routes[0].in_force) else s for s, routes in a.history.items()
        )
        table.add_row(a.id, a.name(lang), lawful or "—")
    console.print(table)


def print_reforms(console: Any, catalog: LawCatalog, lang: str = "en") -> None:
    from rich.table import Table

    table = Table(title=_t(lang, "Reforms", "改革"))
    for col in ("id", _t(lang, "name", "名称"), _t(lang, "measure", "方策"), _t(lang, "effect", "効果")):
        table.add_column(col)
    for r in catalog.reforms.values():
        effect = ", ".join(f"{e} {c}" for c, e in r.lifts.items())
        table.add_row(r.id, r.name(lang), r.measure or "—", effect)
    console.print(table)
