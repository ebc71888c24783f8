"""Each nation's law and the treaties between the nations, applied to one order.

The rules are data (`law/<nation>/rules.yaml`, `law/treaties/*.yaml`); this module only reads them: it works out
once, for the order, the facts a rule's `when:` can ask about (whose unit acts, whose members direct it, whether
the order reaches it through another nation's OPCON, whether the nation's forces enter hostilities), then applies
every rule in force whose conditions hold: an approval the order needs, a refusal, a bound (a limit in time), or a
note that binds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..model import Architecture, Relation
from .catalog import LawCatalog, NationalLaw, Rule, Treaty, When
from .order import Order, Record
from .paths import TRANSFER_KINDS, national_chain
from .verdict import Advisory, Bound

STAFF_KINDS = frozenset({"support"})  # by which another nation's headquarters staffs a combined headquarters


@dataclass(frozen=True, slots=True)
class Asked:
    """One approval a rule asks for, with whose authority gives it and which legal order asks."""

    approval: str
    nation: str
    law: str
    kind: str
    rule: str | None
    source: str | None
    per_situation: bool | None = None  # None: as the jurisdiction's statute and recognition say
    pre_delegable: bool = False
    transfers_control: bool = False


@lru_cache(maxsize=65_536)
def commander_nation(arch: Architecture, org_id: str) -> str:
    """The nation whose officer commands the organization: its `commander_nation`, else (a combined headquarters)
    that of the combined headquarters above it, else its own nation. Cached: arrangements are immutable."""
    seen: set[str] = set()
    node = arch.organizations[org_id]
    while node.commander_nation is None and node.combined and node.id not in seen:
        seen.add(node.id)
        above = arch.national_superior(node.id)
        if above is None or not arch.organizations[above.from_id].combined:
            break
        node = arch.organizations[above.from_id]
    return node.commander_nation or node.nation


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Facts:
    """What the rules can ask about one order."""

    unit_nation: str
    directing: frozenset[str]  # nations whose commanders or combined staff direct the unit (not the unit's)
    foreign_kinds: frozenset[str]  # relation kinds another nation's commander holds over the unit on the path
    # "foreign": the order reaches the unit through another nation's commander; "national": through its own
    # nation's; None: it does not reach it at all (no authority: not an order).
    command: str | None
    own_chain_lost: bool  # the unit has no chain to its own head of government in the situation
    nations_present: frozenset[str]


def facts(o: Order, chain: tuple[str, ...], path: tuple[Relation, ...]) -> Facts:
    """The facts of the order, from the arrangement, the chain it travels and the relations on it."""
    arch = o.arch
    orgs = arch.organizations
    unit_nation = o.unit.nation
    kinds = frozenset(
        rel.kind for rel in path
        if rel.kind in TRANSFER_KINDS and orgs[rel.to_id].belongs_to(unit_nation)
        and commander_nation(arch, rel.from_id) != unit_nation
    )
    directing: set[str] = set()
    for org_id in (*chain[:-1], *((o.ordered_by,) if o.ordered_by else ())):
        org = orgs[org_id]
        if org.is_military:
            directing.add(commander_nation(arch, org_id))
        if org.combined:
            directing.update(_staffing(arch, org_id, o.situation.id))
    reaches = o.ordered_by is None or o.ordered_by == o.unit.id or bool(path)
    return Facts(
        unit_nation=unit_nation,
        directing=frozenset(directing - {unit_nation}),
        foreign_kinds=kinds,
        command=("foreign" if kinds else "national") if reaches else None,
        own_chain_lost=_own_chain_lost(arch, o.situation.id, o.unit.id),
        nations_present=nations_present(arch),
    )


@lru_cache(maxsize=65_536)
def _own_chain_lost(arch: Architecture, situation: str, unit: str) -> bool:
    """Whether the unit's own national chain fails to reach its nation's head of government in the situation."""
    top, _ = national_chain(arch, situation, unit)
    head = arch.organizations[top[0]]
    return not (head.head_of_government and head.nation == arch.organizations[unit].nation)


@lru_cache(maxsize=1024)
def nations_present(arch: Architecture) -> frozenset[str]:
    """Every nation an organization of the arrangement belongs to (found once per arrangement)."""
    return frozenset(n for org in arch.organizations.values() for n in org.member_nations())


@lru_cache(maxsize=16_384)
def _staffing(arch: Architecture, hq_id: str, situation: str) -> frozenset[str]:
    """The nations whose officers serve on a combined headquarters: its commander's, and those of the other nations'
    headquarters that staff it (a `support` relation into it, e.g. the U.S. deputy at JJOC)."""
    staff = {commander_nation(arch, hq_id)}
    for rel in arch.relations_to(hq_id, situation):
        sup = arch.organizations[rel.from_id]
        if rel.kind in STAFF_KINDS and sup.is_military and not sup.bilateral:
            staff.add(sup.nation)
    return frozenset(staff)


def _holds(w: When, o: Order, f: Facts, role: str, hostile: bool, article_v: frozenset[str]) -> bool:
    """Whether the order meets every condition of `w` (`role`: the nation's part in it, "unit" or "staff")."""
    action, situation = o.action.id, o.situation.id
    return (
        role in w.forces
        and (not w.unit_nations or f.unit_nation in w.unit_nations)
        and (not w.based_in or o.unit.based_in in w.based_in)
        and (w.command is None or w.command == f.command)
        and (not w.own_chain_lost or f.own_chain_lost)
        and (w.hostilities is None or w.hostilities == hostile)
        and (not w.actions or action in w.actions)
        and action not in w.not_actions
        and (not w.situations or situation in w.situations)
        and situation not in w.not_situations
        and (not w.outside_article_v or situation not in article_v)
    )


@dataclass(slots=True, eq=False, repr=False)
class Applied:
    """What every nation's law and the treaties ask of one order."""

    asked: list[Asked]
    advisories: list[Advisory]
    bounds: list[Bound]
    laws: list[str]  # the nations' laws and treaties that said something about the order


def apply_laws(o: Order, rec: Record, f: Facts) -> Applied:
    """Apply the rules in force of the unit's nation, of the nations directing it, and of the treaties in force
    between nations of the arrangement, in that order."""
    out = Applied([], [], [], [])
    law = o.law
    roles = [(f.unit_nation, "unit"), *((n, "staff") for n in sorted(f.directing))]
    for nation, role in roles:
        found = law.nations.get(nation)
        if found is None:
            continue
        hostile = o.action.id in found.hostility_actions or o.situation.id in found.hostility_situations
        _apply(o, rec, f, _rules_on(law, nation, o.day), nation, role, hostile, frozenset(), out, found)
    for treaty in _treaties(law, f.nations_present, o.day):
        _apply(o, rec, f, _rules_on(law, treaty.id, o.day), f.unit_nation, "unit", False, treaty.article_v_situations,
               out, None)
    return out


@lru_cache(maxsize=1024)
def _treaties(law: LawCatalog, present: frozenset[str], day: date) -> tuple[Treaty, ...]:
    """Treaties in force on the day whose parties all have organizations in the arrangement."""
    return tuple(t for t in law.treaties.values() if t.in_force_on(day) and set(t.parties) <= present)


@lru_cache(maxsize=4096)
def _rules_on(law: LawCatalog, law_id: str, day: date) -> tuple[tuple[Rule, str], ...]:
    """A nation's (or treaty's) rules that apply to orders on `day`, each with its article as numbered then."""
    found = law.nations.get(law_id) or law.treaties.get(law_id)
    rules = found.rules if found is not None else ()
    return tuple((r, r.article_on(day)) for r in rules if r.when is not None and r.in_force_on(day))


def _apply(o: Order, rec: Record, f: Facts, rules: tuple[tuple[Rule, str], ...], nation: str, role: str,
           hostile: bool, article_v: frozenset[str], out: Applied, law: NationalLaw | None) -> None:
    for rule, article in rules:
        if not _holds(rule.when, o, f, role, hostile, article_v):  # type: ignore[arg-type]
            continue
        lifted = o.lifts_rule(rule.id)
        if rule.law not in out.laws:
            out.laws.append(rule.law)
        if rule.approval is not None and not lifted:
            spec = o.law.approvals.get(rule.approval)
            giver = spec.nation if spec is not None and spec.nation else nation
            out.asked.append(Asked(rule.approval, giver, rule.law, rule.kind, rule.id, rule.source, rule.per_situation,
                                   rule.pre_delegable, rule.transfers_control))
            rec.cite(article, rule.source, rule.assumption, rule.unconfirmed, rule.note_en)
        elif rule.block_en is not None:
            _refuse(o, rec, rule, article, law)
        elif rule.bound_days is not None:
            out.bounds.append(Bound(rule.id, rule.law, nation, rule.bound_days, rule.bound_extension_days,
                                    rule.lifted_by, lifted, rule.source))
            rec.cite(article, rule.source, rule.assumption, rule.unconfirmed, rule.note_en)
        elif rule.advisory:
            out.advisories.append(Advisory(rule.id, rule.law, nation, rule.kind, rule.text_en, rule.text_ja,
                                           rule.source))
        if rule.constraint is not None and not lifted and rule.block_en is None:
            rec.rule_finding(rule, "warning", _collision_en(o, rule, article), _collision_ja(o, rule, article))


def _fill(o: Order, text: str, lang: str) -> str:
    sit = o.situation.name_ja if lang == "ja" else o.situation.name_en
    act = o.action.name_ja if lang == "ja" else o.action.name_en
    return text.format(unit=o.unit.name(lang) if lang == "ja" else o.unit.id, situation=sit, action=act)


def _refuse(o: Order, rec: Record, rule: Rule, article: str, law: NationalLaw | None) -> None:
    assert rule.block_en is not None and rule.block_ja is not None
    en, ja = _fill(o, rule.block_en, "en"), _fill(o, rule.block_ja, "ja")
    rec.block(rule.id, f"{en} ({article})", f"{ja}（{article}）", rule.source, rule.constraint)
    if rule.constraint is not None:
        rec.rule_finding(rule, "error", f"{en} ({article})", f"{ja}（{article}）")


def _collision_en(o: Order, rule: Rule, article: str) -> str:
    return f"{rule.name_en} applies to {o.unit.id} ({article}; {rule.kind})."


def _collision_ja(o: Order, rule: Rule, article: str) -> str:
    return f"{o.unit.name('ja')}に{rule.name_ja}が適用される（{article}、{_KIND_JA.get(rule.kind, rule.kind)}）。"


_KIND_JA = {"statute": "法律", "treaty": "条約", "policy": "政策", "practice": "慣行"}


def clear_cache() -> None:
    """Forget what was found per arrangement."""
    commander_nation.cache_clear()
    nations_present.cache_clear()
    _staffing.cache_clear()
    _own_chain_lost.cache_clear()
    _treaties.cache_clear()
    _rules_on.cache_clear()


def relation_rules(law: LawCatalog, arch: Architecture, rel: Relation, day: object) -> list[tuple[Rule, str]]:
    """The structural rules a cross-national command relation meets: (rule, the nation whose law it is).

    A relation crosses nations when its superior's commander and its subordinate are of different nations; each
    nation's law says whether the kind needs a law to cross (`transfer_needs_law`), raises a finding over its own
    forces (`own_forces_under_foreign`), or may never be held by another nation's commander (`keeps`)."""
    orgs = arch.organizations
    sub = orgs[rel.to_id]
    sup_nation = commander_nation(arch, rel.from_id)
    if (rel.kind not in TRANSFER_KINDS and rel.kind != "adcon") or sub.belongs_to(sup_nation):
        return []
    out: list[tuple[Rule, str]] = []
    for nation in dict.fromkeys((sup_nation, sub.nation)):
        found = law.nations.get(nation)
        if found is None:
            continue
        for rule in found.rules:
            if not rule.in_force_on(day):  # type: ignore[arg-type]
                continue
            own = nation == sub.nation
            if rel.kind in rule.transfer_needs_law or (own and rel.kind in (rule.own_forces_under_foreign | rule.keeps)):
                out.append((rule, nation))
    return out
