"""Messages as a seat sees them: what it may read, the typed view it gets, requests and reports it sends.

Every read goes through the one visibility rule (`releasability.visible_to`). A message leaves the
service as a `MessageView` for a seat, which carries the one "pending for this seat" rule
(`pending_for`): the API lists, the pages and their script all take it from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from ..db import auditlog, projection, queries
from ..db.rows import MessageRecord, SeatRecord
from ..db.tables import Message, table_of
from . import catalog
from .drafts import act_of, check_recipients, label_of, new_message, require_releasable, visible_one
from .errors import invalid
from .exercises import Seated, store
from .releasability import Label, LabelError, make_label, may_see, visible_to

__all__ = ["MessageView", "label_for", "may_read", "pending", "pending_for", "send", "view", "visible", "visible_by_ids",
           "visible_one"]

FREE_KINDS = ("request", "report")
MAX_RECIPIENTS = 64


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message as the API and the pages give it to one seat.

    `subject_ja`: the scenario's Japanese name of a scripted inject. `pending_for_you`: an approval
    task this seat may decide now.
    """

    id: int
    kind: str
    status: str
    sender: str
    recipients: tuple[str, ...]
    classification: str
    rel_to: tuple[str, ...]
    marking: str
    subject: str
    subject_ja: str | None
    body: str
    action: str | None
    unit: str | None
    approval: str | None
    parent_id: int | None
    inject_id: str | None
    situation: str
    game_time: float
    decided_at_game: float | None
    verdict: Mapping[str, Any] | None
    pending_for_you: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (shallow: the verdict is shared, not copied)."""
        return {**{f.name: getattr(self, f.name) for f in _VIEW_FIELDS}, "recipients": list(self.recipients),
                "rel_to": list(self.rel_to)}


_VIEW_FIELDS = fields(MessageView)


def pending_for(seat: SeatRecord, message: MessageRecord) -> bool:
    """An approval task waiting for this seat: pending, and held by its organization (control decides any;
    observers none)."""
    return (message.kind == "approval" and message.status == "pending" and seat.role != "observer"
            and (seat.is_control or seat.organization in message.recipients))


def view(who: Seated, message: MessageRecord) -> MessageView:
    """The message as `who`'s seat gets it."""
    label = label_of(message)
    return MessageView(
        id=message.id, kind=message.kind, status=message.status, sender=message.sender_org,
        recipients=message.recipients, classification=label.classification, rel_to=label.rel_to,
        marking=label.marking(), subject=message.subject, subject_ja=_inject_name_ja(who, message.inject_id),
        body=message.body, action=message.action, unit=message.unit, approval=message.approval,
        parent_id=message.parent_id, inject_id=message.inject_id, situation=message.situation,
        game_time=message.game_time, decided_at_game=message.decided_at_game,
        verdict=message.verdict if message.kind == "order" else None, pending_for_you=pending_for(who.seat, message),
    )


def _inject_name_ja(who: Seated, inject_id: str | None) -> str | None:
    if not inject_id or not who.exercise.scenario:
        return None
    found = catalog.injects_by_id(who.exercise.scenario).get(inject_id)
    return found.name_ja if found is not None and found.name_ja else None


def label_for(who: Seated, classification: str, rel_to: Iterable[str]) -> Label:
    try:
        return make_label(classification, rel_to, who.arch.nations)
    except LabelError as exc:
        raise invalid(str(exc)) from None


def visible(session: Session, who: Seated, kind: str | None = None, after: int = 0, limit: int | None = 200,
            newest_first: bool = False) -> list[MessageRecord]:
    """Messages the seat may read, oldest first (or newest first), with id above `after`."""
    return queries.messages(session, visible_to(who.seat), after, limit, newest_first, kind)


def visible_by_ids(session: Session, who: Seated, ids: Iterable[int]) -> list[MessageRecord]:
    """Those of the messages `ids` the seat may read, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return queries.messages(session, visible_to(who.seat) & table_of(Message).c.id.in_(wanted), limit=None)


def pending(session: Session, who: Seated) -> list[MessageRecord]:
    """Approval tasks waiting for the seat (control: every pending task)."""
    return [m for m in visible(session, who, "approval", 0, None) if pending_for(who.seat, m)]


def changed_since(session: Session, who: Seated, seq: int, limit: int = 1000) -> tuple[set[int], int]:
    """Ids of the messages changed by log entries after `seq` (and of the orders whose approval tasks
    were decided), and the last entry read."""
    entries = auditlog.entries(session, who.exercise.id, seq, limit)
    ids: set[int] = set()
    for data in (e.decoded() for e in entries):
        if "set" in data and "message" in data:
            ids.add(int(data["message"]))
            if isinstance(data.get("order"), int):
                ids.add(data["order"])
    return ids, entries[-1].seq if entries else who.exercise.log_count


def may_read(who: Seated, message: MessageRecord) -> bool:
    """`visible_to` for a message already in hand (the same rule, evaluated in Python)."""
    return may_see(who.seat, message.exercise_id, message.sender_org, message.recipients, label_of(message))


def send(session: Session, who: Seated, kind: str, recipients: Sequence[str], subject: str, body: str, label: Label,
         as_organization: str | None, reply_to: int | None) -> MessageRecord:
    """A request or report, delivered at once to organizations the label releases it to."""
    act = act_of(session, who, as_organization, reply_to)
    if kind not in FREE_KINDS:
        raise invalid(f"kind {kind!r}: send orders to /orders and injects to /injects; here: {', '.join(FREE_KINDS)}")
    targets = check_recipients(act.arch, recipients, MAX_RECIPIENTS)
    require_releasable(act.arch, targets, label)
    message = new_message(session, act, kind, "delivered", act.sender, targets, label, subject, body,
                          parent_id=act.parent_id)
    store(session, who, [projection.message_created("message.sent", message)])
    return message
