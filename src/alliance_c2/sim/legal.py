"""What the simulation needs from the law: approvals in order, what a standing order covers, findings.

`check_action` asks the authority engine (`alliance_c2.law.check`) when it is available and reads the
law catalog directly otherwise (approvals of the first lawful route, no constraint findings). Step
facts the verdict does not carry (holder, phase, rank, which approvals a standing order pre-delegates,
the situation's recognition procedure) come from the catalog files themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import Architecture
from ..model.load import CATALOG_DIR
from ..model.yamlsource import read_yaml


@dataclass(frozen=True, slots=True)
class ApprovalInfo:
    id: str
    holder: str  # organization id, "requester" or "head-of-government"
    phase: str  # "before" | "after"
    rank: int
    urgent_may_follow: bool


@dataclass(frozen=True, slots=True)
class LegalCheck:
    allowed: bool
    approvals: tuple[str, ...]
    pre_delegable: frozenset[str]
    findings: tuple[str, ...]
    blocked_by: tuple[str, ...]
    request_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProcedureStep:
    approval: str
    organization: str
    phase: str
    fast_track: bool


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Any]:
    actions = read_yaml(CATALOG_DIR / "actions.yaml").data
    approvals = read_yaml(CATALOG_DIR / "approvals.yaml").data
    situations = read_yaml(CATALOG_DIR / "situations.yaml").data
    return {
        "actions": {a["id"]: a for a in actions.get("items", [])},
        "foreign": actions.get("foreign_units", {}),
        "approvals": {a["id"]: a for a in approvals.get("items", [])},
        "requesters": {r["id"]: r for r in approvals.get("requesters", [])},
        "situations": {s["id"]: s for s in situations.get("items", [])},
    }


def approval_info(approval_id: str) -> ApprovalInfo:
    item = _catalog()["approvals"].get(approval_id, {})
    return ApprovalInfo(
        approval_id,
        str(item.get("holder", "head-of-government")),
        str(item.get("phase", "before")),
        int(item.get("rank", 6)),
        bool(item.get("may_follow_action_when_urgent", False)),
    )


def requester_organization(requester_id: str) -> str | None:
    item = _catalog()["requesters"].get(requester_id)
    return None if item is None else item.get("organization") or (requester_id if requester_id.startswith("jpn-") else None)


def law_engine_available() -> bool:
    try:
        from .. import law

        return hasattr(law, "check")
    except ImportError:
        return False


def check_action(
    arch: Architecture,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None,
    reforms: tuple[str, ...] = (),
) -> LegalCheck:
    """The legal verdict the process model acts on, for one order to one unit."""
    entry = _lawful_entry(action, situation)
    pre = frozenset(entry.get("pre_delegable", ()) if entry else ())
    action_item = _catalog()["actions"].get(action, {})
    request_by = tuple((entry or {}).get("request_by") or action_item.get("request_by") or ())
    nation = arch.organizations[unit].nation
    if law_engine_available():
        from ..law import check

        verdict: Any = check(arch, situation, action, unit, ordered_by=ordered_by, reforms=reforms)
        findings = tuple(sorted({str(getattr(f, "constraint", f)) for f in getattr(verdict, "findings", ())}))
        blocked = getattr(verdict, "blocked_by", ()) or ()
        blocked_t = (str(blocked),) if isinstance(blocked, str) else tuple(str(getattr(b, "constraint", b)) for b in blocked)
        return LegalCheck(
            bool(verdict.allowed),
            tuple(verdict.approvals),
            pre if nation == "JPN" else frozenset(),
            findings,
            blocked_t,
            request_by,
        )
    if nation != "JPN":
        foreign = _catalog()["foreign"]
        rule = foreign.get(nation) or foreign.get("default") or {"approvals": ["national-authority"]}
        return LegalCheck(True, tuple(rule.get("approvals", ())), frozenset(), (), (), request_by)
    if entry is None:
        return LegalCheck(False, (), frozenset(), (), (f"{action} is not lawful in {situation}",), request_by)
    return LegalCheck(True, tuple(entry.get("approvals", ())), pre, (), (), request_by)


def _lawful_entry(action: str, situation: str) -> dict[str, Any] | None:
    item = _catalog()["actions"].get(action)
    if item is None:
        return None
    entry = (item.get("lawful_in") or {}).get(situation)
    return entry if isinstance(entry, dict) else None


@lru_cache(maxsize=32)
def recognition_procedure(situation: str) -> tuple[ProcedureStep, ...]:
    """The ordered political steps to recognize `situation` (law.procedure, or the catalog)."""
    steps: list[Any] = []
    try:
        from ..law import procedure

        steps = list(procedure(situation))
    except (ImportError, AttributeError):
        steps = list(_catalog()["situations"].get(situation, {}).get("procedure") or [])
    out = []
    for step in steps:
        get = step.get if isinstance(step, dict) else lambda k, d=None, s=step: getattr(s, k, d)
        approval = get("approval")
        if not approval:
            continue
        out.append(
            ProcedureStep(
                str(approval),
                str(get("organization", "") or ""),
                str(get("phase", "before") or "before"),
                bool(get("fast_track", False)),
            )
        )
    return tuple(out)
