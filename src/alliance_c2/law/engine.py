"""The authority engine: may this unit do this action, in this situation, on this order?

`check` answers with a `Verdict`: whether the order is allowed, the approvals in order, what
blocks it, the study's constraints it raises (C1-C6), the chain of command it travels and the
articles it rests on. The engine reads only the catalog (data) and the arrangement: a new
situation, action or reform is a YAML entry.

An order is worked through five questions, each in its own module: (a) is the action lawful in the
situation on that day and (d) which approvals does each bound nation's law require (`jurisdiction`),
(b) who may order the unit (`authority`), (c) has each cross-national relation a basis in law
(`authority`), (e) the political decision force rests on (`jurisdiction`).

Verdicts are pure functions of (arrangement, catalog, situation, action, unit, order, reforms),
so they are cached; arrangements and catalogs are identity-hashed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Architecture, Relation, UnknownIdError, load_architecture
from .authority import authority, check_relations, directing_nations
from .build import load_law_catalog
from .catalog import LawCatalog, ProcedureStep
from .jurisdiction import basis, national_law, political_decision, with_rules
from .national import apply_laws, facts, relation_rules
from .national import clear_cache as clear_national_cache
from .order import Order, Record, reform_answer
from .order import clear_cache as clear_answer_cache
from .paths import clear_cache as clear_path_cache
from .steps import approval_steps
from .steps import clear_cache as clear_step_cache
from .verdict import EARLIEST_LAW_DATE, Verdict

CACHE_SIZE = 65_536


# --- public API ------------------------------------------------------------------------------

_default_catalog: LawCatalog | None = None


def default_catalog() -> LawCatalog:
    """The bundled law catalog, loaded once."""
    global _default_catalog
    if _default_catalog is None:
        _default_catalog = load_law_catalog()
    return _default_catalog


def check(
    arch: Architecture | str | Path,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None = None,
    reforms: Iterable[str] = (),
    *,
    as_of: date | None = None,
    catalog: LawCatalog | None = None,
) -> Verdict:
    """Whether `unit` may carry out `action` in `situation` on the order of `ordered_by`.

    Args:
        arch: the arrangement (object, bundled id or YAML path).
        situation, action, unit, ordered_by: catalog and arrangement ids; without `ordered_by` the
            unit's own national chain of command gives the order.
        reforms: reform ids switched on.
        as_of: the date whose law applies; default the arrangement's `law_as_of`, else today.
        catalog: a law catalog other than the bundled one.

    Returns:
        The Verdict. Unknown ids raise UnknownIdError listing the valid choices; a date before the
        SDF Act (1954-07-01) raises ValueError.
    """
    law = catalog or default_catalog()
    architecture = arch if isinstance(arch, Architecture) else load_architecture(arch)
    active = frozenset(reforms)
    if situation not in law.situations:
        law.situation(situation)
    if action not in law.actions:
        law.action(action)
    _require_unit(architecture, unit)
    if ordered_by is not None and ordered_by not in architecture.organizations:
        raise UnknownIdError(f"organization in {architecture.id}", ordered_by, list(architecture.organizations))
    for reform in active:
        law.reform(reform)
    day = law_date(architecture, as_of)
    return _verdict(architecture, law, situation, action, unit, ordered_by, active, day)


def law_date(arch: Architecture, as_of: date | None = None) -> date:
    """The date whose law applies: `as_of`, else the arrangement's `law_as_of`, else today."""
    day = as_of or arch.law_as_of or date.today()
    if day < EARLIEST_LAW_DATE:
        raise ValueError(f"{day.isoformat()} is before the SDF Act took effect ({EARLIEST_LAW_DATE.isoformat()})")
    return day


def procedure(
    situation: str, *, as_of: date | None = None, catalog: LawCatalog | None = None
) -> tuple[ProcedureStep, ...]:
    """The ordered political steps to recognize `situation` under the law of `as_of` (default today)."""
    law = catalog or default_catalog()
    defined = law.situation_on(situation, as_of or date.today())
    return defined.procedure if defined is not None else ()


def relations_without_basis(
    arch: Architecture, reforms: Iterable[str] = (), *, catalog: LawCatalog | None = None,
    as_of: date | None = None,
) -> tuple[Relation, ...]:
    """Cross-national command, OPCON or TACON relations of `arch` that no law allows.

    A relation between two nations' forces needs a law letting command authority pass between them wherever either
    nation's law says so (Japan's: constraint C4), and only the active reforms can supply one; a kind a nation's law
    never lets another nation's commander hold (COCOM of U.S. forces) is never allowed.
    """
    law = catalog or default_catalog()
    allowed = {kind for r in reforms for kind in law.reform(r).allows_cross_national}
    day = law_date(arch, as_of)
    out = []
    for rel in arch.relations:
        for rule, _ in relation_rules(law, arch, rel, day):
            if (rel.kind in rule.transfer_needs_law and rel.kind not in allowed) or rel.kind in rule.keeps:
                out.append(rel)
                break
    return tuple(out)


def clear_cache() -> None:
    """Forget cached verdicts (e.g. after editing a catalog in a notebook)."""
    _verdict.cache_clear()
    _reach.clear()
    _answered.clear()
    clear_answer_cache()
    clear_step_cache()
    clear_path_cache()
    clear_national_cache()


def _require_unit(arch: Architecture, unit: str) -> None:
    org = arch.organizations.get(unit)
    if org is None or not org.is_military:
        raise UnknownIdError(f"unit in {arch.id}", unit, [o.id for o in arch.military()])


# --- evaluation ------------------------------------------------------------------------------

# (arch, law, situation, unit, ordered_by, day) -> (chain, path, facts, blocks, citations) of the authority question
_reach: dict[tuple[object, ...], tuple[Any, ...]] = {}
# (arch, law, situation, action, unit, ordered_by, day) -> the verdicts found so far, each with the questions its
# check asked about the active reforms and their answers. A check depends on the reforms only through those
# answers (`Order.asked`), so a set of reforms that answers them alike has that verdict: an audit of every reform
# (or a simulation compiled under each) works each order out once per distinct answer, not once per set.
_answered: dict[tuple[object, ...], list[tuple[tuple[tuple[tuple[str, str], Any], ...], Verdict]]] = {}


@lru_cache(maxsize=CACHE_SIZE)
def _verdict(
    arch: Architecture,
    law: LawCatalog,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None,
    reforms: frozenset[str],
    day: date,
) -> Verdict:
    key = (arch, law, situation, action, unit, ordered_by, day)
    known = _answered.get(key)
    if known is not None:
        for asked, found in known:
            if all(reform_answer(law, reforms, q) == a for q, a in asked):
                return _with_reforms(found, tuple(sorted(reforms)))
    verdict = _worked_out(arch, law, situation, action, unit, ordered_by, reforms, day)
    if known is None:
        if len(_answered) > CACHE_SIZE:
            _answered.clear()
        known = _answered[key] = []
    known.append((tuple(verdict[1].items()), verdict[0]))
    return verdict[0]


def _with_reforms(found: Verdict, reforms: tuple[str, ...]) -> Verdict:
    """`found` as the verdict under `reforms` (the same answer). A copy of its fields, not `dataclasses.replace`:
    replace runs the 25-field __init__ again (7 us against 0.7 us), and an audit asks this tens of thousands of times."""
    if found.reforms == reforms:
        return found
    out = object.__new__(Verdict)
    out.__dict__.update(found.__dict__)
    object.__setattr__(out, "reforms", reforms)
    return out


def _worked_out(arch: Architecture, law: LawCatalog, situation: str, action: str, unit: str, ordered_by: str | None,
                reforms: frozenset[str], day: date) -> tuple[Verdict, dict[tuple[str, str], Any]]:
    """The verdict, worked out, and the questions it asked about the reforms with their answers."""
    o = Order.of(arch, law, situation, action, unit, ordered_by, reforms, day)
    rec = Record(o)
    # Who may order the unit, and the facts the nations' rules ask about, do not depend on the action: worked out
    # once per (unit, orderer, situation, day) and replayed (an audit asks every action of each).
    reach = _reach.get((arch, law, situation, unit, ordered_by, day))
    if reach is None:
        blocks, citations = len(rec.blocks), len(rec.citations)
        chain, path = authority(o, rec)
        f = facts(o, chain, path)
        reach = _reach[(arch, law, situation, unit, ordered_by, day)] = (
            chain, path, f, tuple(rec.blocks[blocks:]), tuple(rec.citations[citations:]))
        if len(_reach) > CACHE_SIZE:
            _reach.clear()
    else:
        chain, path, f, blocked, cited = reach
        rec.blocks.extend(blocked)
        rec.citations.extend(cited)
    directing = directing_nations(o, chain)
    if law.jurisdiction in f.directing:
        directing.add(law.jurisdiction)  # its officers on a combined staff are bound by its law too (C2)
    bound = (o.unit.nation, *sorted(directing - {o.unit.nation}))
    approvals = national_law(o, rec, bound)
    applied = apply_laws(o, rec, f)
    approvals = with_rules(o, approvals, applied)
    check_relations(o, rec, path)
    political_decision(o, rec, bound)
    findings = rec.findings_after_reforms()
    steps = approval_steps(o, approvals)
    route = o.route if law.jurisdiction in bound and not rec.blocks else None
    laws = tuple(dict.fromkeys((*bound, *applied.laws)))
    verdict = Verdict(
        architecture=arch.id,
        situation=o.situation.id,
        action=o.action.id,
        unit=o.unit.id,
        ordered_by=ordered_by,
        reforms=tuple(sorted(reforms)),
        allowed=not rec.blocks,
        approvals=approvals.ids,
        approval_steps=steps,
        blocked_by=tuple(rec.blocks),
        findings=findings,
        chain=chain,
        chain_relations=tuple(r.kind for r in path) if path else (),
        citations=tuple(dict.fromkeys(rec.citations)),
        preconditions=route.preconditions if route else (),
        alternatives=route.alternatives if route else (),
        use_of_force=o.force,
        laws_applied=bound,
        as_of=day,
        route=route.name if route is not None else None,
        basis=basis(o, route is not None),
        advisories=tuple(applied.advisories),
        bounds=tuple(applied.bounds),
        laws=laws,
    )
    return verdict, o.asked
