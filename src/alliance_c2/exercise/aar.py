"""The after-action report: the timeline, the fate of every order and the time from inject to action.

`report_data` gathers plain data (JSON-ready) from the store; `render_html` fills the Jinja2
template `templates/aar.html` with it. Times are game minutes since the exercise clock started.
"""

from __future__ import annotations

import json
from collections import defaultdict
from statistics import mean, median
from typing import Any

from sqlalchemy import select

from .exercises import Context, seats
from .releasability import CLASSIFICATIONS
from .store import LogEntry, Message, Recipient

ORDER_OUTCOMES = ("delivered", "refused", "denied", "awaiting-approval")


def report_data(ctx: Context) -> dict[str, Any]:
    """Everything the report shows, for one exercise."""
    session = ctx.session
    eid = ctx.exercise.id
    messages = list(session.execute(select(Message).where(Message.exercise_id == eid).order_by(Message.id)).scalars())
    recipients: dict[int, set[str]] = defaultdict(set)
    for mid, org in session.execute(
        select(Recipient.message_id, Recipient.organization).join(Message, Message.id == Recipient.message_id)
        .where(Message.exercise_id == eid)
    ):
        recipients[mid].add(org)
    orders = [_order_row(m, messages, recipients) for m in messages if m.kind == "order"]
    log = session.execute(select(LogEntry).where(LogEntry.exercise_id == eid).order_by(LogEntry.seq)).scalars()
    return {
        "exercise": {"id": eid, "name": ctx.exercise.name, "arrangement": ctx.exercise.arrangement,
                     "scenario": ctx.exercise.scenario, "situation": ctx.exercise.situation},
        "timeline": [_timeline_row(e) for e in log],
        "orders": orders,
        "totals": {k: sum(1 for o in orders if o["status"] == k) for k in ORDER_OUTCOMES}
        | {"delayed_by_approvals": sum(1 for o in orders if o["approval_delay_min"])},
        "seats": _per_seat(ctx, orders),
    }


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 2)


def _timeline_row(entry: LogEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "minute": _minutes(entry.game_time), "at": entry.at, "actor": entry.actor,
            "act": entry.act, "data": json.loads(entry.data)}


def _order_row(order: Message, messages: list[Message], recipients: dict[int, set[str]]) -> dict[str, Any]:
    tasks = [m for m in messages if m.kind == "approval" and m.parent_id == order.id]
    delay = (order.decided_at_game - order.game_time) if order.status == "delivered" and order.decided_at_game else None
    inject = _trigger(order, messages, recipients)
    return {
        "id": order.id, "seat": order.sender_seat_id, "sender": order.sender_org, "action": order.action,
        "unit": order.unit, "status": order.status, "classification": CLASSIFICATIONS[order.classification],
        "minute": _minutes(order.game_time), "situation": order.situation,
        "approvals": [{"approval": t.approval, "status": t.status} for t in tasks],
        "approval_delay_min": _minutes(delay) if tasks and delay else None,
        "reasons": list((order.verdict or {}).get("reasons", [])),
        "reasons_ja": list((order.verdict or {}).get("reasons_ja", [])),
        "inject": inject.inject_id or inject.id if inject else None,
        "inject_to_action_min": _minutes(order.game_time - inject.game_time) if inject else None,
    }


def _trigger(order: Message, messages: list[Message], recipients: dict[int, set[str]]) -> Message | None:
    """The inject the order answers: the one it replies to, else the latest one its sender had received."""
    by_id = {m.id: m for m in messages}
    parent = by_id.get(order.parent_id) if order.parent_id else None
    if parent is not None and parent.kind == "inject":
        return parent
    earlier = [m for m in messages if m.kind == "inject" and m.id < order.id and order.sender_org in recipients[m.id]]
    return earlier[-1] if earlier else None


def _per_seat(ctx: Context, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for seat, user in seats(ctx):
        mine = [o for o in orders if o["seat"] == seat.id]
        lags = [o["inject_to_action_min"] for o in mine if o["inject_to_action_min"] is not None]
        rows.append({
            "seat": seat.id, "user": user, "organization": seat.organization, "nation": seat.nation,
            "role": seat.role, "orders": len(mine),
            **{k: sum(1 for o in mine if o["status"] == k) for k in ORDER_OUTCOMES},
            "inject_to_action_mean_min": round(mean(lags), 2) if lags else None,
            "inject_to_action_median_min": round(median(lags), 2) if lags else None,
        })
    return rows


def render_html(data: dict[str, Any], lang: str = "en", names: dict[str, dict[str, str]] | None = None) -> str:
    """The report as one self-contained HTML page: headings in both languages, names, outcomes, reasons
    and acts in `lang` (`names`: `i18n.catalog_names` of the exercise; ids are shown without them)."""
    from .i18n import translator
    from .pages import templates

    t = translator(lang)

    def say(key: str, fallback: str) -> str:
        try:
            return t(key)
        except KeyError:
            return fallback

    return templates().get_template("aar.html").render(data=data, lang=lang, names=names or {}, say=say)
