"""Checking the law catalog's files (`alliance-c2 validate`): structure, references, order, sources.

`VALIDATORS` maps each file kind to its check; every problem names its file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..model.errors import CatalogError, Problem
from ..model.load import parse_spec
from ..model.paths import actions_file, catalog_root_of, national_law_files, provisions_file, treaty_files
from ..model.yamlsource import YamlDocument, read_yaml

Loc = tuple[int | str, ...]



class _Check:
    """Collects problems for one document; `soft` ones are warnings unless strict."""

    def __init__(self, doc: YamlDocument, strict: bool) -> None:
        self.doc = doc
        self.soft_severity = "error" if strict else "warning"
        self.problems: list[Problem] = []

    def error(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message))

    def soft(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message, self.soft_severity))

    def sourced(self, loc: Loc, what: str, data: Any) -> None:
        if isinstance(data, dict) and not data.get("source") and not data.get("assumption"):
            self.soft(loc, f"{what}: no source (add source: or assumption: true)")
        if isinstance(data, dict) and data.get("unconfirmed") and not data.get("note_en"):
            self.soft(loc, f"{what}: unconfirmed: true needs a note_en saying what was not confirmed")

    def unique_ids(self, items: list[Any], what: str) -> list[str]:
        return self.unique_ids_of(items, "items", what)

    def unique_ids_of(self, items: list[Any], key: str, what: str) -> list[str]:
        seen: list[str] = []
        for i, item in enumerate(items):
            if item["id"] in seen:
                self.error((key, i, "id"), f"{key}[{i}].id: duplicate {what} id {item['id']!r}")
            seen.append(item["id"])
        return seen


def _parse(doc: YamlDocument, kind: str) -> list[Problem] | None:
    # Imported here: pydantic's import and schema build cost start-up time only validation should pay.
    from . import specs

    model: Any = {
        "provisions": specs.ProvisionsFileSpec,
        "national-law": specs.NationalLawFileSpec,
        "treaty": specs.TreatyFileSpec,
        "situations": specs.SituationsFileSpec,
        "actions": specs.ActionsFileSpec,
        "approvals": specs.ApprovalsFileSpec,
        "constraints": specs.ConstraintsFileSpec,
        "reforms": specs.ReformsFileSpec,
    }[kind]
    try:
        parse_spec(model, doc, kind)
    except CatalogError as exc:
        return exc.problems
    return None


def _sibling(doc: YamlDocument, kind: str) -> Any:
    """The raw data of another law file of the catalog `doc` belongs to (else the bundled catalog's)."""
    here = Path(doc.path).parent / f"{kind}.yaml"
    root = catalog_root_of(Path(doc.path))
    path = here if here.exists() else actions_file(root) if kind == "actions" else provisions_file(root) \
        if kind == "provisions" else root / f"{kind}.yaml"
    try:
        return read_yaml(path).data
    except CatalogError:
        return {}


def _ids(data: Any, key: str = "items") -> set[str]:
    if not isinstance(data, dict):
        return set()
    return {item["id"] for item in data.get(key) or () if isinstance(item, dict) and "id" in item}


def validate_situations(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Structure, unique ids, known approvals and situations, sources."""
    parsed = _parse(doc, "situations")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    items = doc.data["items"]
    ids = set(check.unique_ids(items, "situation"))
    approvals = _ids(_sibling(doc, "approvals"))
    provisions = _ids(_sibling(doc, "provisions"))
    check.sourced((), "situations file", doc.data)
    for i, item in enumerate(items):
        check.sourced(("items", i), f"situation {item['id']!r}", item)
        if item.get("statutory") and not item.get("requires"):
            check.soft(("items", i), f"situation {item['id']!r}: no requires: (the provisions that define it)")
        _check_requires(check, ("items", i, "requires"), f"situation {item['id']!r}", item.get("requires") or (), provisions)
        for j, step in enumerate(item.get("procedure") or ()):
            loc: Loc = ("items", i, "procedure", j)
            check.sourced(loc, f"situation {item['id']!r} procedure step {step['step']}", step)
            if approvals and step["approval"] not in approvals:
                check.error(loc, f"situation {item['id']!r}: unknown approval {step['approval']!r}")
        for j, era in enumerate(item.get("eras") or ()):
            era_loc: Loc = ("items", i, "eras", j)
            check.sourced(era_loc, f"situation {item['id']!r} era until {era['until']}", era)
            _check_requires(check, (*era_loc, "requires"), f"situation {item['id']!r} era", era.get("requires") or (), provisions)
            for k, step in enumerate(era.get("procedure") or ()):
                if approvals and step["approval"] not in approvals:
                    check.error((*era_loc, "procedure", k), f"situation {item['id']!r}: unknown approval {step['approval']!r}")
        for key in ("transitions_from", "may_coexist_with"):
            for j, tr in enumerate(item.get(key) or ()):
                check.sourced(("items", i, key, j), f"situation {item['id']!r} {key}", tr)
                if tr["situation"] not in ids:
                    check.error(("items", i, key, j), f"situation {item['id']!r}: unknown situation {tr['situation']!r}")
    for key in ("ordinary", "reference"):
        if doc.data[key] not in ids:
            check.error((key,), f"{key}: unknown situation {doc.data[key]!r}")
    if not doc.data.get("reference_source"):
        check.soft(("reference",), "reference: no reference_source saying why arrangements are analyzed in it")
    return check.problems


def validate_actions(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Structure, references, approval order, sources, and self-contradictions.

    A rule file contradicts itself when an action is both lawful and forbidden in one situation:
    listed under `lawful_in` and under `not_lawful_in`, or lawful as use of force where the
    situations file says force is not permitted.
    """
    parsed = _parse(doc, "actions")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    data = doc.data
    situations_data = _sibling(doc, "situations")
    situations = {s["id"]: s for s in situations_data.get("items") or ()} if isinstance(situations_data, dict) else {}
    approvals_data = _sibling(doc, "approvals")
    ranks = {a["id"]: a.get("rank", 0) for a in (approvals_data.get("items") or ())} if isinstance(approvals_data, dict) else {}
    requesters = _ids(approvals_data, "requesters")
    provisions = _ids(_sibling(doc, "provisions"))
    for nation, rule in (data.get("foreign_units") or {}).items():
        check.sourced(("foreign_units", nation), f"foreign_units.{nation}", rule)
        _check_approval_list(check, ("foreign_units", nation, "approvals"), rule["approvals"], ranks)
    check.unique_ids(data["items"], "action")
    for i, item in enumerate(data["items"]):
        _check_action(check, i, item, _Refs(situations, ranks, requesters, provisions))
    return check.problems


@dataclass(frozen=True)
class _Refs:
    """The ids an actions file may refer to, read from its sibling law files."""

    situations: dict[str, Any]
    ranks: dict[str, int]
    requesters: set[str]
    provisions: set[str]


def _check_requires(check: _Check, loc: Loc, what: str, names: Any, provisions: set[str]) -> None:
    for j, name in enumerate(names):
        if provisions and name not in provisions:
            check.error((*loc, j), f"{what}: unknown provision {name!r}; choose from: {', '.join(sorted(provisions))}")


def _check_action(check: _Check, i: int, item: dict[str, Any], refs: _Refs) -> None:
    aid = item["id"]
    situations = refs.situations
    check.sourced(("items", i), f"action {aid!r}", item)
    for j, basis in enumerate(item.get("legal_basis") or ()):
        check.sourced(("items", i, "legal_basis", j), f"action {aid!r} legal_basis", basis)
        if basis.get("provision"):
            _check_requires(check, ("items", i, "legal_basis", j, "provision"), f"action {aid!r}", [basis["provision"]], refs.provisions)
    for j, pre in enumerate(item.get("preconditions") or ()):
        check.sourced(("items", i, "preconditions", j), f"action {aid!r} precondition {pre['id']!r}", pre)
    _check_requesters(check, ("items", i, "request_by"), item.get("request_by") or (), refs.requesters)
    forbidden = (item.get("not_lawful_in") or {}).get("situations") or []
    if item.get("not_lawful_in"):
        check.sourced(("items", i, "not_lawful_in"), f"action {aid!r} not_lawful_in", item["not_lawful_in"])
    for j, situation in enumerate(forbidden):
        loc: Loc = ("items", i, "not_lawful_in", "situations", j)
        if situations and situation not in situations:
            check.error(loc, f"action {aid!r}: unknown situation {situation!r} in not_lawful_in")
        elif situation in (item.get("lawful_in") or {}):
            check.error(
                loc,
                f"action {aid!r} contradicts itself: {situation!r} is both in lawful_in and in not_lawful_in",
            )
    for situation, entries in (item.get("lawful_in") or {}).items():
        loc = ("items", i, "lawful_in", situation)
        if situations and situation not in situations:
            check.error(loc, f"action {aid!r}: unknown situation {situation!r} in lawful_in")
            continue
        if isinstance(entries, list):
            for j, entry in enumerate(entries):
                _check_entry(check, (*loc, j), aid, situation, entry, item, refs)
            _check_versions(check, loc, f"action {aid!r} in {situation!r}", entries)
        else:
            _check_entry(check, loc, aid, situation, entries, item, refs)


def _check_versions(check: _Check, loc: Loc, what: str, entries: list[Any]) -> None:
    """Dated versions of one rule must name what dates them, and no two may rest on the same provisions."""
    seen: set[tuple[str, ...]] = set()
    for j, entry in enumerate(entries):
        key = tuple(sorted(entry.get("requires") or ()))
        if not key:
            check.error((*loc, j), f"{what}: a dated version needs requires: (the provisions that date it)")
        elif key in seen:
            check.error((*loc, j), f"{what}: two versions rest on the same provisions {list(key)}")
        seen.add(key)


def _check_entry(
    check: _Check,
    loc: Loc,
    aid: str,
    situation: str,
    entry: dict[str, Any],
    item: dict[str, Any],
    refs: _Refs,
) -> None:
    what = f"action {aid!r} in {situation!r}"
    ranks = refs.ranks
    check.sourced(loc, what, entry)
    if not entry.get("requires"):
        check.soft(loc, f"{what}: no requires: (the provisions in provisions.yaml that date this rule)")
    _check_requires(check, (*loc, "requires"), what, entry.get("requires") or (), refs.provisions)
    _check_approval_list(check, (*loc, "approvals"), entry["approvals"], ranks)
    for j, basis in enumerate(entry.get("legal_basis") or ()):
        check.sourced((*loc, "legal_basis", j), f"{what} legal_basis", basis)
    for j, pre in enumerate(entry.get("preconditions") or ()):
        check.sourced((*loc, "preconditions", j), f"{what} precondition {pre['id']!r}", pre)
    for j, cond in enumerate(entry.get("conditional_approvals") or ()):
        check.sourced((*loc, "conditional_approvals", j), f"{what} conditional approval", cond)
        if ranks and cond["approval"] not in ranks:
            check.error((*loc, "conditional_approvals", j), f"{what}: unknown approval {cond['approval']!r}")
    extra = [a for a in entry.get("pre_delegable") or () if a not in entry["approvals"]]
    if extra:
        check.error((*loc, "pre_delegable"), f"{what}: pre_delegable {extra} not in approvals")
    for name in entry.get("approval_details") or {}:
        if name not in entry["approvals"]:
            check.error((*loc, "approval_details", name), f"{what}: approval_details for {name!r}, which is not in approvals")
    _check_force(check, loc, what, situation, entry.get("use_of_force", item.get("use_of_force", False)), refs.situations)
    for j, alt in enumerate(entry.get("alternatives") or ()):
        alt_loc: Loc = (*loc, "alternatives", j)
        check.sourced(alt_loc, f"{what} alternative {alt['route']!r}", alt)
        _check_requires(check, (*alt_loc, "requires"), what, alt.get("requires") or (), refs.provisions)
        _check_approval_list(check, (*alt_loc, "approvals"), alt["approvals"], ranks)
        _check_requesters(check, (*alt_loc, "request_by"), alt.get("request_by") or (), refs.requesters)
        force = alt.get("use_of_force", entry.get("use_of_force", item.get("use_of_force", False)))
        _check_force(check, alt_loc, f"{what} alternative {alt['route']!r}", situation, force, refs.situations)


def _check_force(
    check: _Check, loc: Loc, what: str, situation: str, force: bool, situations: dict[str, Any]
) -> None:
    if force and situations and not situations[situation].get("use_of_force_permitted", False):
        check.error(
            loc,
            f"{what} contradicts the situations file: lawful as use of force where "
            f"{situation!r} does not permit force (use_of_force_permitted: false)",
        )


def _check_approval_list(check: _Check, loc: Loc, approvals: list[str], ranks: dict[str, int]) -> None:
    if not ranks:
        return
    for j, name in enumerate(approvals):
        if name not in ranks:
            check.error((*loc, j), f"unknown approval {name!r}; choose from: {', '.join(ranks)}")
            return
    if len(set(approvals)) != len(approvals):
        check.error(loc, f"approvals listed twice: {approvals}")
    order = [ranks[a] for a in approvals]
    if order != sorted(order):
        check.error(loc, f"approvals not in rank order (request, NSC, Cabinet, Diet, PM, orders, after): {approvals}")


def _check_requesters(check: _Check, loc: Loc, names: Any, requesters: set[str]) -> None:
    for j, name in enumerate(names):
        if requesters and name not in requesters:
            check.error((*loc, j), f"unknown requester {name!r}; choose from: {', '.join(sorted(requesters))}")


def validate_approvals(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "approvals")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "approval")
    for i, item in enumerate(doc.data["items"]):
        if item.get("typical_minutes") is not None:
            check.sourced(("items", i), f"approval {item['id']!r}", item)
        elif not item.get("source") and not item.get("assumption"):
            check.soft(("items", i), f"approval {item['id']!r}: no source (add source: or assumption: true)")
    for i, req in enumerate(doc.data.get("requesters") or ()):
        check.sourced(("requesters", i), f"requester {req['id']!r}", req)
    return check.problems


def validate_constraints(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "constraints")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "constraint")
    for i, item in enumerate(doc.data["items"]):
        check.sourced(("items", i), f"constraint {item['id']!r}", item)
    return check.problems


def validate_reforms(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "reforms")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "reform")
    constraints = _ids(_sibling(doc, "constraints"))
    for i, item in enumerate(doc.data["items"]):
        check.sourced(("items", i), f"reform {item['id']!r}", item)
        for j, lift in enumerate(item.get("lifts") or ()):
            check.sourced(("items", i, "lifts", j), f"reform {item['id']!r} lifts", lift)
            if constraints and lift["constraint"] not in constraints:
                check.error(("items", i, "lifts", j), f"reform {item['id']!r}: unknown constraint {lift['constraint']!r}")
        for j, effect in enumerate(item.get("effects") or ()):
            check.sourced(("items", i, "effects", j), f"reform {item['id']!r} effect", effect)
        rules = _rule_ids(doc)
        for j, lift in enumerate(item.get("lifts_rules") or ()):
            check.sourced(("items", i, "lifts_rules", j), f"reform {item['id']!r} lifts_rules", lift)
            if rules and lift["rule"] not in rules:
                check.error(("items", i, "lifts_rules", j, "rule"),
                            f"reform {item['id']!r}: unknown rule {lift['rule']!r}; choose from: {', '.join(sorted(rules))}")
    return check.problems


def _rule_ids(doc: YamlDocument) -> set[str]:
    """The rule ids of every nation's law and treaty in the catalog `doc` belongs to."""
    root = catalog_root_of(Path(doc.path))
    found: set[str] = set()
    for path in (*national_law_files(root), *treaty_files(root)):
        try:
            found |= _ids(read_yaml(path).data, "rules")
        except CatalogError:
            continue
    return found


def validate_national_law(doc: YamlDocument, strict: bool) -> list[Problem]:
    """A nation's law: unique rule ids, sources, dates that run forward, known ids, one effect per rule."""
    parsed = _parse(doc, "national-law")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.sourced((), "national-law file", doc.data)
    if doc.data.get("hostilities"):
        check.sourced(("hostilities",), "hostilities", doc.data["hostilities"])
        _known(check, ("hostilities",), "hostilities", doc.data["hostilities"], _Known.of(doc))
    _check_rules(check, doc, doc.data["rules"])
    return check.problems


def validate_treaty(doc: YamlDocument, strict: bool) -> list[Problem]:
    """A treaty: its dates, parties and rules, as for a nation's law."""
    parsed = _parse(doc, "treaty")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    data = doc.data
    check.sourced((), f"treaty {data['id']!r}", data)
    if _day(data["in_force"]) < _day(data["signed"]):  # type: ignore[operator]
        check.error(("in_force",), f"treaty {data['id']!r}: in_force {data['in_force']} is before signed {data['signed']}")
    known = _Known.of(doc)
    for j, situation in enumerate(data.get("article_v_situations") or ()):
        if known.situations and situation not in known.situations:
            check.error(("article_v_situations", j), f"treaty {data['id']!r}: unknown situation {situation!r}")
    _check_rules(check, doc, data["rules"])
    return check.problems


@dataclass(frozen=True)
class _Known:
    """The ids a nation's law or a treaty may refer to, read from its catalog."""

    situations: set[str]
    actions: set[str]
    approvals: set[str]
    constraints: set[str]
    reforms: set[str]

    @classmethod
    def of(cls, doc: YamlDocument) -> _Known:
        return cls(_ids(_sibling(doc, "situations")), _ids(_sibling(doc, "actions")), _ids(_sibling(doc, "approvals")),
                   _ids(_sibling(doc, "constraints")), _ids(_sibling(doc, "reforms")))


def _known(check: _Check, loc: Loc, what: str, data: dict[str, Any], known: _Known) -> None:
    for key, ids, noun in (("actions", known.actions, "action"), ("not_actions", known.actions, "action"),
                           ("situations", known.situations, "situation"),
                           ("not_situations", known.situations, "situation")):
        for j, value in enumerate(data.get(key) or ()):
            if ids and value not in ids:
                check.error((*loc, key, j), f"{what}: unknown {noun} {value!r}; choose from: {', '.join(sorted(ids))}")


_EFFECTS = ("approval", "block", "bound", "advisory")


def _check_rules(check: _Check, doc: YamlDocument, rules: list[dict[str, Any]]) -> None:
    known = _Known.of(doc)
    check.unique_ids_of(rules, "rules", "rule")
    for i, rule in enumerate(rules):
        loc: Loc = ("rules", i)
        what = f"rule {rule['id']!r}"
        check.sourced(loc, what, rule)
        start, end = _day(rule["in_force"]), _day(rule.get("until"))
        if start is not None and end is not None and end <= start:
            check.error((*loc, "until"), f"{what}: until {end} is not after in_force {start}")
        for j, n in enumerate(rule.get("numbering") or ()):
            check.sourced((*loc, "numbering", j), f"{what} numbering {n['article']!r}", n)
        effects = [e for e in _EFFECTS if rule.get(e)]
        if len(effects) > 1:
            check.error(loc, f"{what}: give one of {', '.join(_EFFECTS)}, not {' and '.join(effects)}")
        if effects and rule.get("when") is None:
            check.error(loc, f"{what}: {effects[0]} needs when: (the orders it applies to)")
        if rule.get("when"):
            _known(check, (*loc, "when"), what, rule["when"], known)
        if rule.get("approval") and known.approvals and rule["approval"] not in known.approvals:
            check.error((*loc, "approval"), f"{what}: unknown approval {rule['approval']!r}; choose from: "
                        f"{', '.join(sorted(known.approvals))}")
        for key in ("per_situation", "pre_delegable", "transfers_control"):
            if rule.get(key) and not rule.get("approval"):
                check.error((*loc, key), f"{what}: {key} needs an approval")
        if rule.get("constraint") and known.constraints and rule["constraint"] not in known.constraints:
            check.error((*loc, "constraint"), f"{what}: unknown constraint {rule['constraint']!r}")
        for j, reform in enumerate(rule.get("lifted_by") or ()):
            if known.reforms and reform not in known.reforms:
                check.error((*loc, "lifted_by", j), f"{what}: unknown reform {reform!r}; choose from: "
                            f"{', '.join(sorted(known.reforms))}")
        if rule.get("constraint") and not rule.get("lifted_by") and not rule.get("lifted_by_note_en") \
                and (rule.get("approval") or rule.get("block") or rule.get("bound")):
            check.soft(loc, f"{what}: raises {rule['constraint']} but names no lifted_by: (a reform) or "
                       "lifted_by_note_en (what else would lift it)")
        if rule.get("unconfirmed") and not rule.get("note_en"):
            check.soft(loc, f"{what}: unconfirmed: true needs a note_en saying what was not confirmed")


def validate_provisions(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Unique ids, sources, and dates that run forward (in force before it ends; numbers in order)."""
    parsed = _parse(doc, "provisions")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    ids = set(check.unique_ids(doc.data["items"], "provision"))
    for i, item in enumerate(doc.data["items"]):
        what = f"provision {item['id']!r}"
        check.sourced(("items", i), what, item)
        start, end = _day(item["in_force"]), _day(item.get("until"))
        if start is not None and end is not None and end <= start:
            check.error(("items", i, "until"), f"{what}: until {end} is not after in_force {start}")
        if item.get("replaced_by") and item["replaced_by"] not in ids:
            check.error(("items", i, "replaced_by"), f"{what}: unknown provision {item['replaced_by']!r}")
        for j, n in enumerate(item.get("numbering") or ()):
            check.sourced(("items", i, "numbering", j), f"{what} numbering {n['article']!r}", n)
    return check.problems


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


VALIDATORS: dict[str, Callable[[YamlDocument, bool], list[Problem]]] = {
    "provisions": validate_provisions,
    "national-law": validate_national_law,
    "treaty": validate_treaty,
    "situations": validate_situations,
    "actions": validate_actions,
    "approvals": validate_approvals,
    "constraints": validate_constraints,
    "reforms": validate_reforms,
}
