"""Releasability: exercise markings, REL TO labels, and the one visibility filter.

A label is a classification (UNCLASSIFIED < CONFIDENTIAL < SECRET) plus the nations the item is
releasable to. `visible_to(seat)` is the SQL condition every endpoint and page uses to read
messages: the control cell sees its whole exercise; any other seat sees an item only when it is
addressed to (or sent by) the seat's organization, the seat's clearance covers the classification,
and the seat's nation is on the REL TO list. `may_see` is the same rule in Python, for checks on
objects already in hand and for the property tests that hold the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_, select

from ..db.rows import SeatRecord
from ..db.tables import Message, Recipient, Release

CLASSIFICATIONS = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET")
ROLES = ("control", "player", "observer")


class LabelError(ValueError):
    """A label that cannot be used: unknown marking, empty or unknown REL TO nation."""


@dataclass(frozen=True, slots=True)
class Label:
    classification: str
    rel_to: tuple[str, ...]

    @property
    def rank(self) -> int:
        return CLASSIFICATIONS.index(self.classification)

    def marking(self) -> str:
        """The banner line, e.g. `SECRET // REL TO JPN, USA`."""
        return f"{self.classification} // REL TO {', '.join(self.rel_to)}"

    def releasable_to(self, nation: str) -> bool:
        return nation in self.rel_to


def make_label(classification: str, rel_to: Iterable[str], nations: Iterable[str]) -> Label:
    """A checked label: a known marking and a non-empty REL TO list of nations in the arrangement."""
    marking = classification.strip().upper()
    if marking not in CLASSIFICATIONS:
        raise LabelError(f"classification {classification!r} unknown; choose from: {', '.join(CLASSIFICATIONS)}")
    known = set(nations)
    wanted = sorted({n.strip().upper() for n in rel_to})
    if not wanted:
        raise LabelError("rel_to must name at least one nation")
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise LabelError(f"rel_to: nation(s) {', '.join(unknown)} not in the arrangement; choose from: {', '.join(sorted(known))}")
    return Label(marking, tuple(wanted))


def parse_marking(text: str, nations: Iterable[str]) -> Label:
    """`SECRET // REL TO JPN, USA` (or `SECRET REL TO JPN,USA`) -> Label."""
    head, sep, tail = text.upper().partition("REL TO")
    if not sep:
        raise LabelError(f"marking {text!r} has no 'REL TO' part")
    return make_label(head.replace("/", " ").strip(), tail.replace(",", " ").split(), nations)


def clearance_rank(name: str) -> int:
    marking = name.strip().upper()
    if marking not in CLASSIFICATIONS:
        raise LabelError(f"clearance {name!r} unknown; choose from: {', '.join(CLASSIFICATIONS)}")
    return CLASSIFICATIONS.index(marking)


def visible_to(seat: SeatRecord) -> ColumnElement[bool]:
    """The SQL condition selecting the messages `seat` may read (always within its own exercise)."""
    same_exercise = Message.exercise_id == seat.exercise_id
    if seat.role == "control":
        return same_exercise
    addressed = or_(
        Message.sender_org == seat.organization,
        exists(select(Recipient.message_id).where(
            Recipient.message_id == Message.id, Recipient.organization == seat.organization
        )),
    )
    released = exists(select(Release.message_id).where(Release.message_id == Message.id, Release.nation == seat.nation))
    cleared = Message.classification <= seat.clearance
    return and_(same_exercise, addressed, released, cleared)


def may_see(
    seat: SeatRecord, exercise_id: int, sender_org: str, recipients: Iterable[str], label: Label
) -> bool:
    """`visible_to` evaluated in Python for one message."""
    if exercise_id != seat.exercise_id:
        return False
    if seat.role == "control":
        return True
    addressed = sender_org == seat.organization or seat.organization in set(recipients)
    return addressed and label.releasable_to(seat.nation) and label.rank <= seat.clearance

