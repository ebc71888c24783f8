"""What the law of each nation bound by an order requires: (a) whether the action is lawful in the situation
on that day and (d) the approvals, in order; (e) the political decision force rests on (C5); and the
provisions a verdict rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .catalog import OWN_FORCES, Citation, LawCatalog, Route
from .national import Applied, Asked
from .order import Order, Record
from .verdict import C1, C2, C5, BasisUsed


@dataclass(slots=True)
class Approvals:
    """The approvals an order needs (in rank order), whose authority gives each, and the rule of a nation's law or a
    treaty that asks for it (none for the jurisdiction's statute per action)."""

    ids: tuple[str, ...]
    nations: dict[str, list[str]]
    asked: dict[str, Asked]


def national_law(o: Order, rec: Record, bound: tuple[str, ...]) -> Approvals:
    """(a) + (d) The approvals the law of every nation bound by the order requires: the jurisdiction's statute for the
    action (for its own units, or for the commanders and staff directing another nation's unit), and a generic
    national authority for a bound nation whose law the catalog does not hold. Each nation's rules and the treaties
    add theirs (`with_rules`)."""
    approvals: list[str] = []
    nations: dict[str, list[str]] = {}
    asked: dict[str, Asked] = {}
    for nation in sorted(bound, key=lambda n: n != o.law.jurisdiction):
        start = len(approvals)
        if nation == o.law.jurisdiction:
            approvals.extend(_jurisdiction_law(o, rec, nation == o.unit.nation))
        elif nation not in o.law.nations:
            rule = o.law.foreign_rule(nation)
            approvals.extend(rule.approvals)
            for approval in rule.approvals:
                asked.setdefault(approval, Asked(approval, nation, nation, "statute", None, rule.source,
                                                 None, nation == o.unit.nation and approval in rule.pre_delegable))
            label = f"{nation} national authority (law not encoded)"
            rec.citations.append(Citation(label, rule.source, rule.assumption, False, rule.note_en))
        for approval in approvals[start:]:
            nations.setdefault(approval, []).append(nation)
    return Approvals(tuple(approvals), nations, asked)


def with_rules(o: Order, approvals: Approvals, applied: Applied) -> Approvals:
    """The approvals with those each nation's rules and the treaties ask for, all in rank order."""
    ids = list(approvals.ids)
    nations = {k: list(v) for k, v in approvals.nations.items()}
    asked = dict(approvals.asked)
    for a in applied.asked:
        ids.append(a.approval)
        asked.setdefault(a.approval, a)
        givers = nations.setdefault(a.approval, [])
        if a.nation not in givers:
            givers.append(a.nation)
    ranks = o.law.approvals
    unique = list(dict.fromkeys(ids))
    return Approvals(tuple(sorted(unique, key=lambda a: ranks[a].rank if a in ranks else 99)), nations, asked)


def _jurisdiction_law(o: Order, rec: Record, own_unit: bool) -> tuple[str, ...]:
    """The statute for the unit (own forces) or for the commanders and staff (foreign forces)."""
    sit, act = o.situation, o.action
    if not o.situation_exists:
        _situation_not_in_law(o, rec)
        return ()
    if o.route is not None:
        rec.citations.extend(_dated(o, c) for c in o.route.legal_basis)
        if o.route.source:
            rec.citations.append(Citation(f"{act.id} in {sit.id}", o.route.source, o.route.assumption))
        if o.route.empowers == OWN_FORCES and not own_unit:
            _own_forces_only(o, rec)
            return ()
        return o.route.approvals
    later = o.action.later_routes(sit.id, o.day)
    if later:
        _no_basis_on_date(o, rec, later[0])
        return ()
    source = act.not_lawful_in_source if sit.id in act.not_lawful_in else act.source
    rec.citations.extend(act.legal_basis)
    why_en = f" {act.not_lawful_in_note_en}" if act.not_lawful_in_note_en else ""
    force_abroad = o.force and not sit.use_of_force_permitted
    if own_unit:
        rec.block(
            "not-lawful-in-situation",
            f"{act.name_en} is not lawful for {o.law.jurisdiction} forces in {sit.name_en}.{why_en}",
            f"{sit.name_ja}において{act.name_ja}は法律上認められていない。",
            source,
        )
        if force_abroad:
            lawful = [s for s in o.law.situations.values() if s.use_of_force_permitted]
            rec.finding(
                C1,
                "error",
                f"The order would have {o.law.jurisdiction} use force in {sit.name_en}, outside the three "
                f"new conditions ({' or '.join(s.name_en for s in lawful)} only).",
                f"{sit.name_ja}での武力の行使は新三要件（{'・'.join(s.name_ja for s in lawful)}に限る）を満たさない。",
            )
    elif force_abroad:
        rec.block(
            "staff-entanglement",
            f"A {o.law.jurisdiction} commander and staff would direct force in {sit.name_en}, where "
            f"{o.law.jurisdiction} may not use force: they would take part in its use even if only "
            f"{o.unit.nation} units act.",
            f"{sit.name_ja}では日本は武力を行使できない。日本の指揮官・幕僚が武力行使を指揮すれば、"
            "部隊が外国軍のみであっても武力行使に加担したとみなされる。",
            rec.constraint_source(C2),
            C2,
        )
        rec.finding(
            C2,
            "error",
            f"{o.ordered_by or 'A combined commander'} ({o.law.jurisdiction}) would direct "
            f"{act.name_en} by {o.unit.id} in {sit.name_en}: {o.law.jurisdiction} staff are "
            "entangled in a use of force their law does not allow.",
            f"{rec.ja(o.ordered_by) if o.ordered_by else '連合指揮官'}が{sit.name_ja}において{rec.ja(o.unit.id)}の{act.name_ja}を指揮すれば、"
            "日本人幕僚が法の認めない武力行使に加担することになる。",
        )
    else:
        rec.block(
            "commander-outside-law",
            f"{act.name_en} in {sit.name_en} is outside what {o.law.jurisdiction} law lets its commanders "
            f"direct, and {o.law.jurisdiction} law binds the commanders and staff giving this order.",
            f"{sit.name_ja}における{act.name_ja}は日本の法が日本の指揮官に認める範囲外であり、命令する日本の指揮官・幕僚を拘束する。",
            source,
        )
    return ()


def _dated(o: Order, c: Citation) -> Citation:
    """A citation numbered as on the date applied (e.g. Art. 82-2 before 2009, 82-3 after)."""
    if c.provision is None or c.provision not in o.law.provisions:
        return c
    return _dated_on(o.law, c, o.day)


@lru_cache(maxsize=4096)
def _dated_on(law: LawCatalog, c: Citation, day: date) -> Citation:
    article = law.provisions[c.provision or ""].article_on(day)
    return Citation(article or c.article, c.source, c.assumption, c.unconfirmed, c.note_en, c.provision)


def _no_basis_on_date(o: Order, rec: Record, later: Route) -> None:
    missing = o.law.missing_on(later.requires, o.day) or tuple(o.law.provisions[r] for r in later.requires)
    day = o.day.isoformat()
    en = "; ".join(f"{p.label()}, in force from {p.in_force.isoformat()}" for p in missing)
    ja = "、".join(f"{p.name_ja}（{p.in_force.isoformat()}施行）" for p in missing)
    rec.block(
        "no-legal-basis-on-date",
        f"no legal basis on {day}: {en}. {o.action.name_en} in {o.situation.name_en} rests on "
        f"{'it' if len(missing) == 1 else 'them'}.",
        f"{day}時点では法的根拠がない：{ja}。{o.situation.name_ja}における{o.action.name_ja}はこれに基づく。",
        "; ".join(p.source for p in missing if p.source) or None,
    )


def _situation_not_in_law(o: Order, rec: Record) -> None:
    sit = o.law.situations[o.situation.id]
    missing = o.law.missing_on(o.law.situation_requires(sit.id, o.day), o.day)
    day = o.day.isoformat()
    en = "; ".join(f"{p.label()}, in force from {p.in_force.isoformat()}" for p in missing)
    ja = "、".join(f"{p.name_ja}（{p.in_force.isoformat()}施行）" for p in missing)
    rec.block(
        "no-legal-basis-on-date",
        f"no legal basis on {day}: the law did not yet define the {sit.name_en} ({en}).",
        f"{day}時点では法的根拠がない：{sit.name_ja}は未だ法律に定められていない（{ja}）。",
        "; ".join(p.source for p in missing if p.source) or None,
    )


def _own_forces_only(o: Order, rec: Record) -> None:
    """The route's power belongs to the jurisdiction's own forces: its commanders cannot give it to another nation's
    unit, which stays that nation's unit under their OPCON and acts on its own nation's authority."""
    assert o.route is not None
    article = " / ".join(c.article for c in o.route.legal_basis[:1]) or o.action.name_en
    home = o.law.nations.get(o.law.jurisdiction)
    forces_en = home.forces_en if home is not None else f"{o.law.jurisdiction} forces"
    forces_ja = home.forces_ja if home is not None else o.law.jurisdiction
    by = o.arch.organizations[o.ordered_by] if o.ordered_by else None
    rec.block(
        "sdf-units-only",
        f"{article} empowers {forces_en} only: no {o.law.jurisdiction} authority can order {o.unit.id} "
        f"({o.unit.nation}) under it{f' ({by.id} gave it)' if by else ''}; a foreign unit under {o.law.jurisdiction} "
        "OPCON stays its own nation's unit and acts on its own nation's authority.",
        f"{article}の権限は{forces_ja}に対してのみ与えられており、日本のいかなる機関も{o.unit.name('ja')}にこれを命ずることはできない"
        "（作戦統制下の他国部隊は当該国の部隊として自国の権限で行動する）。",
        o.route.source,
    )


def political_decision(o: Order, rec: Record, bound: tuple[str, ...]) -> None:
    """(e) Force rests on a case-by-case political decision that cannot be delegated in advance (C5)."""
    if not (o.force and o.situation.use_of_force_permitted and o.law.jurisdiction in bound):
        return
    if o.route is None:
        return
    per_use = " per strike" if o.action.case_by_case_political_decision else ""
    rec.finding(
        C5,
        "warning",
        f"{o.action.name_en} rests on a case-by-case political decision{per_use} that it is the minimum "
        "necessary; it cannot be delegated to a combined commander in advance.",
        f"{o.action.name_ja}は必要最小限であるとの個別の政治的判断に依存し、連合指揮官に事前に委任できない。",
    )


def basis(o: Order, with_route: bool) -> tuple[BasisUsed, ...]:
    """The provisions the verdict rests on: the situation's, then the route's."""
    ids = list(o.law.situation_requires(o.situation.id, o.day))
    if with_route and o.route is not None:
        ids.extend(r for r in o.route.requires if r not in ids)
    return tuple(_used(o.law, i, o.day) for i in ids)


@lru_cache(maxsize=4096)
def _used(law: LawCatalog, provision: str, day: date) -> BasisUsed:
    p = law.provisions[provision]
    article = p.article_on(day)
    return BasisUsed(
        p.id, f"{article} ({p.act_year})" if article else f"{p.name_en}", p.name_ja, p.in_force, p.until,
        p.source, p.unconfirmed,
    )
