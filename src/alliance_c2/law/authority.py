"""Who may order the unit: (b) the chain of authority the order travels, and (c) whether each cross-national
command relation on it has a basis in law (C4), with the sovereignty and law-gap findings it raises (C3, C6).
"""

from __future__ import annotations

from ..model import Relation
from .catalog import Citation
from .order import Order, Record
from .paths import TRANSFER_KINDS, authority_path, national_chain
from .verdict import C3, C4, C6


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
    """Nations of the organizations that give or relay the order (whose law binds them)."""
    orgs = o.arch.organizations
    directing = {orgs[o].nation for o in chain[:-1] if orgs[o].is_military}
    if o.ordered_by is not None:
        directing.add(orgs[o.ordered_by].nation)
    return directing


def check_relations(o: Order, rec: Record, path: tuple[Relation, ...]) -> None:
    """(c) Each cross-national command relation on the path needs its own basis in law (C4) and raises C3 or C6."""
    orgs, home = o.arch.organizations, o.law.jurisdiction
    for rel in path:
        sup, sub = orgs[rel.from_id], orgs[rel.to_id]
        if sup.nation == sub.nation or rel.kind not in TRANSFER_KINDS or home not in (sup.nation, sub.nation):
            continue
        allowing = [r for r in o.reforms if rel.kind in o.law.reforms[r].allows_cross_national]
        if not allowing:
            _transfer_law_missing(o, rec, rel)
        if sub.nation == home:
            rec.finding(
                C3,
                "warning",
                f"{sub.id} ({home}) is under {rel.kind.upper()} of {sup.id} ({sup.nation}): seen as contrary "
                "to sovereignty and independence.",
                f"{rec.ja(sub.id)}（自衛隊）が{rec.ja(sup.id)}（{rec.nation_ja(sup.nation)}）の{rel.kind.upper()}下にある。主権と独立に反するとみられる。",
            )
        else:
            rec.finding(
                C6,
                "warning",
                f"{sub.id} ({sub.nation}) is under {rel.kind.upper()} of {sup.id} ({home}): the gap between "
                f"{sub.nation} military law and the SDF Act applies.",
                f"{rec.ja(sub.id)}（{rec.nation_ja(sub.nation)}）が{rec.ja(sup.id)}（日本）の{rel.kind.upper()}下にある。米国の軍法と自衛隊法のギャップが制約となる。",
            )


def _transfer_law_missing(o: Order, rec: Record, rel: Relation) -> None:
    fixes = tuple(r.id for r in o.law.reforms.values() if rel.kind in r.allows_cross_national)
    rec.block(
        "no-transfer-law",
        f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} crosses the two nations' forces, and no "
        f"{o.law.jurisdiction} law yet allows command authority to pass between them.",
        f"{rec.ja(rel.from_id)}→{rec.ja(rel.to_id)}の{rel.kind.upper()}は両国部隊にまたがるが、指揮統制権の移管を認める法律がまだない。",
        rec.constraint_source(C4),
        C4,
    )
    rec.finding(
        C4,
        "error",
        f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} rests on no law: transferring command authority "
        f"needs a new law ({', '.join(fixes) or 'none in the catalog'}).",
        f"{rec.ja(rel.from_id)}→{rec.ja(rel.to_id)}の{rel.kind.upper()}には法的根拠がない（指揮統制権移管の法律が必要）。",
        resolved_by=fixes,
    )
