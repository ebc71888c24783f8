"""Messages being written: who an act speaks as, to whom it may go under its label, and the new records.

An act that writes messages first asks here, once, what it needs of the seat (`act_of`: may it send,
as which organization, in reply to what it may read) and gets an `Act`: plain facts of the exercise at
the act's game time. From then on it decides on the `Act` alone (orders route approvals on it), builds
its records with `new_message`, and hands its changes to `exercises.store`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ...model import Architecture
from ..db import queries, tx
from ..db.rows import MessageRecord
from ..db.tables import Message, table_of
from .errors import forbidden, invalid, not_found
from .exercises import CONTROL_ORG, Seated
from .releasability import CLASSIFICATIONS, Label, visible_to

_MESSAGES = table_of(Message)


@dataclass(frozen=True, slots=True)
class Act:
    """What an act that writes messages knows of its exercise and seat: the organization it speaks as, the
    message it answers (if any), the arrangement, situation, reforms, the scenario's standing orders,
    and the act's game time."""

    exercise_id: int
    seat_id: int
    sender: str
    parent_id: int | None
    arch: Architecture
    situation: str
    reforms: tuple[str, ...]
    standing_orders: frozenset[str]
    now: float


def act_of(session: Session, who: Seated, as_organization: str | None, reply_to: int | None) -> Act:
    """The act of a seat that sends (observers do not), as itself or, for control, as an organization it
    plays, in reply to a message it may read."""
    if who.seat.role == "observer":
        raise forbidden("observers cannot send")
    sender = sender_org(who, as_organization)
    parent = None if reply_to is None else visible_one(session, who, reply_to).id
    return Act(who.exercise.id, who.seat.id, sender, parent, who.arch, who.exercise.situation, who.exercise.reforms,
               who.scenario.standing_orders if who.scenario is not None else frozenset(), who.now)


def sender_org(who: Seated, as_organization: str | None) -> str:
    """The organization a message goes out as: the seat's, or (control only) one it plays."""
    if as_organization is None or as_organization == who.seat.organization:
        return who.seat.organization if not who.is_control else (as_organization or CONTROL_ORG)
    if not who.is_control:
        raise forbidden("only control may act as another organization")
    if as_organization not in who.arch.organizations:
        raise invalid(f"as_organization {as_organization!r} not in {who.arch.id}")
    return as_organization


def visible_one(session: Session, who: Seated, message_id: int) -> MessageRecord:
    """A message the seat may read, by id (404 otherwise)."""
    found = queries.messages(session, visible_to(who.seat) & (_MESSAGES.c.id == message_id), limit=1)
    if not found:
        raise not_found(f"message {message_id}")
    return found[0]


def label_of(message: MessageRecord) -> Label:
    return Label(CLASSIFICATIONS[message.classification], message.rel_to)


def check_recipients(arch: Architecture, recipients: Sequence[str], most: int) -> list[str]:
    """The recipients once each, all organizations of the arrangement, at least one and at most `most`."""
    targets = list(dict.fromkeys(recipients))
    if not targets:
        raise invalid("recipients: name at least one organization")
    if len(targets) > most:
        raise invalid(f"recipients: at most {most}")
    unknown = [o for o in targets if o not in arch.organizations]
    if unknown:
        raise invalid(f"recipients: {', '.join(unknown)} not in {arch.id}")
    return targets


def require_releasable(arch: Architecture, organizations: Iterable[str], label: Label) -> None:
    """Refuse to address an organization whose nation the label does not release the item to."""
    barred = [f"{o} ({arch.organizations[o].nation})" for o in organizations
              if not label.releasable_to(arch.organizations[o].nation)]
    if barred:
        raise invalid(f"{label.marking()} is not releasable to recipient(s) {', '.join(barred)}")


def new_message(session: Session, act: Act, kind: str, status: str, sender: str, recipients: Sequence[str],
                label: Label, subject: str, body: str, **fields: Any) -> MessageRecord:
    """A message record with a new id, written in `act` (not yet stored)."""
    values: dict[str, Any] = {"action": None, "unit": None, "approval": None, "parent_id": None, "inject_id": None,
                              "verdict": None, "decided_at_game": None, **fields}
    return MessageRecord(
        id=tx.next_id(session, _MESSAGES, many=True), exercise_id=act.exercise_id, kind=kind, status=status,
        sender_seat_id=act.seat_id, sender_org=sender, classification=label.rank, subject=subject, body=body,
        situation=act.situation, game_time=act.now, recipients=tuple(sorted(dict.fromkeys(recipients))),
        rel_to=tuple(sorted(label.rel_to)), **values,
    )
