"""Who may order the unit: (b) the chain of authority the order travels, and (c) whether each cross-national
command relation on it meets both nations' law (a law to transfer command, C4; sovereignty, C3; command a nation
never lets go, C6), as each nation's rules say.
"""

from __future__ import annotations

from ..model import Relation
from .catalog import Citation, Rule
from .national import commander_nation, relation_rules
from .order import Order, Record
from .paths import authority_path, national_chain


def authority(o: Order, rec: Record) -> tuple[tuple[str, ...], tuple[Relation, ...]]:
    """(b) The chain from the top authority to the unit, and the relations it runs along."""
    if o.ordered_by is None:
        chain, rels = national_chain(o.arch, o.situation.id, o.unit.id)
        head = o.arch.organizations[chain[0]]
        if not head.head_of_government:
            rec.block(
                "no-civilian-chain",
                f"{o.unit.id} has no chain of command to its head of government in {o.situation.id} "
                f"(its chain stops at {head.id}).",
                f"{rec.ja(o.unit.id)}は{o.situation.name_ja}において自国の政府の長に至る指揮系統を持たない（{rec.ja(head.id)}で途切れる）。",
                "SDF Act Art. 7 (legal-digest.yaml command.art7, S16)",
            )
        return chain, rels
    path = authority_path(o.arch, o.situation.id, o.ordered_by, o.unit.id)
    if path is None:
        _no_authority(o, rec)
        return (), ()
    top, top_rels = national_chain(o.arch, o.situation.id, o.ordered_by)
    for rel in (*top_rels, *path):
        if rel.source:
            rec.citations.append(Citation(f"{rel.from_id} → {rel.to_id} ({rel.kind})", rel.source, rel.assumption))
    return (*top, *(r.to_id for r in path)), (*top_rels, *path)


def _no_authority(o: Order, rec: Record) -> None:
    assert o.ordered_by is not None
    elsewhere = authority_path(o.arch, None, o.ordered_by, o.unit.id)
    extra_en = extra_ja = ""
    if elsewhere is not None:
        limited = [r for r in elsewhere if r.active_in is not None]
        if limited:
            when = ", ".join(sorted(set().union(*(r.active_in or () for r in limited))))
            kinds = ", ".join(sorted({r.kind for r in limited}))
            extra_en = f" The {kinds} relation on that path is active only in: {when}."
            when_ja = "、".join(o.law.situations[s].name_ja for s in sorted(set().union(*(r.active_in or () for r in limited))))
            extra_ja = f" その経路の{kinds.upper()}関係は次の事態でのみ有効：{when_ja}。"
    rec.block(
        "no-command-authority",
        f"{o.ordered_by} holds no command, OPCON or TACON over {o.unit.id} in {o.situation.id}: "
        f"its order is not an order (coordination is not command).{extra_en}",
        f"{rec.ja(o.ordered_by)}は{o.situation.name_ja}において{rec.ja(o.unit.id)}に対する指揮権・作戦統制権・戦術統制権を持たない。"
        f"その命令は命令ではない（調整は指揮ではない）。{extra_ja}",
        o.arch.source,
    )


def directing_nations(o: Order, chain: tuple[str, ...]) -> set[str]:
    """Nations of the commanders who give or relay the order (whose law binds them)."""
    orgs = o.arch.organizations
    directing = {commander_nation(o.arch, org) for org in chain[:-1] if orgs[org].is_military}
    if o.ordered_by is not None:
        directing.add(commander_nation(o.arch, o.ordered_by))
    return directing


def check_relations(o: Order, rec: Record, path: tuple[Relation, ...]) -> None:
    """(c) Each cross-national command relation on the path meets the law of both nations: a kind that needs a law
    to cross (C4), a finding over a nation's own forces (C3), a kind a nation never lets go (COCOM, C6)."""
    orgs = o.arch.organizations
    for rel in path:
        for rule, nation in relation_rules(o.law, o.arch, rel, o.day):
            sub = orgs[rel.to_id]
            sup_nation = commander_nation(o.arch, rel.from_id)
            if rel.kind in rule.transfer_needs_law:
                if not o.transfer_allowed(rel.kind):
                    _transfer_law_missing(o, rec, rel, rule, nation)
            elif rel.kind in rule.keeps:
                _kept(o, rec, rel, rule, sup_nation)
            elif rel.kind in rule.own_forces_under_foreign and rule.constraint:
                rec.finding(
                    rule.constraint,
                    "warning",
                    f"{sub.id} ({sub.nation}) is under {rel.kind.upper()} of {rel.from_id} ({sup_nation}): seen as "
                    "contrary to sovereignty and independence.",
                    f"{rec.ja(sub.id)}が{rec.ja(rel.from_id)}（{rec.nation_ja(sup_nation)}）の{rel.kind.upper()}下にある。"
                    "主権と独立に反するとみられる。",
                )


def _kept(o: Order, rec: Record, rel: Relation, rule: Rule, sup_nation: str) -> None:
    sub = o.arch.organizations[rel.to_id]
    article = rule.article_on(o.day)
    en = (f"{rel.from_id} ({sup_nation}) cannot hold {rel.kind} of {sub.id} ({sub.nation}): its nation's law keeps "
          f"that authority with its own commander ({article})")
    ja = f"{rec.ja(rel.from_id)}は{rec.ja(sub.id)}の{rel.kind.upper()}を持てない（{article}）"
    rec.block(rule.id, en, ja, rule.source, rule.constraint)
    if rule.constraint:
        rec.rule_finding(rule, "error", en, ja)


def _transfer_law_missing(o: Order, rec: Record, rel: Relation, rule: Rule, nation: str) -> None:
    fixes = tuple(r.id for r in o.law.reforms.values() if rel.kind in r.allows_cross_national)
    constraint = rule.constraint or ""
    rec.block(
        "no-transfer-law",
        f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} crosses the two nations' forces, and no "
        f"{nation} law yet allows command authority to pass between them.",
        f"{rec.ja(rel.from_id)}→{rec.ja(rel.to_id)}の{rel.kind.upper()}は両国部隊にまたがるが、指揮統制権の移管を認める法律がまだない。",
        rec.constraint_source(constraint),
        constraint,
    )
    rec.finding(
        constraint,
        "error",
        f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} rests on no law: transferring command authority "
        f"needs a new law ({', '.join(fixes) or 'none in the catalog'}).",
        f"{rec.ja(rel.from_id)}→{rec.ja(rel.to_id)}の{rel.kind.upper()}には法的根拠がない（指揮統制権移管の法律が必要）。",
        resolved_by=fixes,
    )
