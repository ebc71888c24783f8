"""The after-action report: the timeline, the fate of every order and the time from inject to action.

Built from the audit log alone (replayed with `db.projection.replay`), so an edited table cannot
change it: what the report says is what the signed record says. Plain, JSON-ready data; the pages
render it. Times are game minutes since the exercise clock started.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean, median
from typing import Any

from sqlalchemy.orm import Session

from ..db import auditlog, projection
from ..db.auditlog import Entry
from .exercises import Seated, require_control
from .releasability import CLASSIFICATIONS

ORDER_OUTCOMES = ("delivered", "refused", "denied", "awaiting-approval")


def report_data(session: Session, who: Seated) -> dict[str, Any]:
    """Everything the report shows, for one exercise (control only)."""
    require_control(who)
    return from_log(who.exercise.id, auditlog.entries(session, who.exercise.id, limit=None))


def from_log(exercise_id: int, log: Sequence[Entry]) -> dict[str, Any]:
    """The report of the exercise whose audit log is `log`."""
    decoded = [(e.seq, e.decoded()) for e in log]
    record = projection.replay(decoded)
    messages = dict(sorted(record.messages.items()))
    orders = [_order_row(mid, m, messages) for mid, m in messages.items() if m["kind"] == "order"]
    users = {int(d["seat"]): str(d.get("user") or "") for _, d in decoded if "seat" in d and "new" in d}
    return {
        "exercise": {"id": exercise_id,
                     **{k: record.exercise.get(k) for k in ("name", "arrangement", "scenario", "situation")}},
        "timeline": [_timeline_row(e, data) for e, (_, data) in zip(log, decoded, strict=True)],
        "orders": orders,
        "totals": {k: sum(1 for o in orders if o["status"] == k) for k in ORDER_OUTCOMES}
        | {"delayed_by_approvals": sum(1 for o in orders if o["approval_delay_min"])},
        "seats": [_seat_row(sid, seat, users.get(sid, ""), orders) for sid, seat in sorted(record.seats.items())],
    }


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 2)


def _timeline_row(entry: Entry, data: dict[str, Any]) -> dict[str, Any]:
    return {"seq": entry.seq, "minute": _minutes(entry.game_time), "at": entry.at, "actor": entry.actor,
            "act": entry.act, "data": data}


def _order_row(order_id: int, order: dict[str, Any], messages: dict[int, dict[str, Any]]) -> dict[str, Any]:
    tasks = [m for m in messages.values() if m["kind"] == "approval" and m["parent_id"] == order_id]
    decided = order["decided_at_game"]
    delay = decided - order["game_time"] if order["status"] == "delivered" and decided else None
    inject_id, inject = _trigger(order_id, order, messages)
    verdict = order["verdict"] or {}
    return {
        "id": order_id, "seat": order["sender_seat_id"], "sender": order["sender_org"], "action": order["action"],
        "unit": order["unit"], "status": order["status"], "classification": CLASSIFICATIONS[order["classification"]],
        "minute": _minutes(order["game_time"]), "situation": order["situation"],
        "approvals": [{"approval": t["approval"], "status": t["status"]} for t in tasks],
        "approval_delay_min": _minutes(delay) if tasks and delay else None,
        "reasons": list(verdict.get("reasons", [])),
        "reasons_ja": list(verdict.get("reasons_ja", [])),
        "inject": (inject["inject_id"] or inject_id) if inject is not None else None,
        "inject_to_action_min": _minutes(order["game_time"] - inject["game_time"]) if inject is not None else None,
    }


def _trigger(order_id: int, order: dict[str, Any],
             messages: dict[int, dict[str, Any]]) -> tuple[int | None, dict[str, Any] | None]:
    """The inject the order answers: the one it replies to, else the latest one its sender had received."""
    parent = messages.get(order["parent_id"]) if order["parent_id"] else None
    if parent is not None and parent["kind"] == "inject":
        return order["parent_id"], parent
    earlier = [(mid, m) for mid, m in messages.items()
               if m["kind"] == "inject" and mid < order_id and order["sender_org"] in m["recipients"]]
    return earlier[-1] if earlier else (None, None)


def _seat_row(seat_id: int, seat: dict[str, Any], user: str, orders: list[dict[str, Any]]) -> dict[str, Any]:
    mine = [o for o in orders if o["seat"] == seat_id]
    lags = [o["inject_to_action_min"] for o in mine if o["inject_to_action_min"] is not None]
    return {
        "seat": seat_id, "user": user, "organization": seat["organization"], "nation": seat["nation"],
        "role": seat["role"], "orders": len(mine),
        **{k: sum(1 for o in mine if o["status"] == k) for k in ORDER_OUTCOMES},
        "inject_to_action_mean_min": round(mean(lags), 2) if lags else None,
        "inject_to_action_median_min": round(median(lags), 2) if lags else None,
    }
