"""Reading a C2SIM order (any supported edition) into typed tasks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .message import ORDER, C2simMessage, parse_message, read_message
from .xmlsafe import MAX_XML_BYTES


@dataclass(frozen=True)
class C2simTask:
    """One task of an order: who performs it (a UUID, and a name if the order defines one) and its verb."""

    uuid: str
    name: str | None
    performer: str
    performer_name: str | None
    verb: str
    line: int


@dataclass(frozen=True)
class C2simOrder:
    """An order message: its edition, sender, receivers and tasks in document order."""

    path: str
    edition: str
    edition_label: str
    order_id: str
    sender: str
    receivers: tuple[str, ...]
    tasks: tuple[C2simTask, ...]


def read_order(path: str | Path, *, edition: str | None = None, max_bytes: int = MAX_XML_BYTES) -> C2simOrder:
    """Read a C2SIM order file; CatalogError (FILE:LINE: reason) for anything else."""
    return order_of(read_message(path, ORDER, edition=edition, max_bytes=max_bytes))


def parse_order(
    data: bytes, path: str = "order.xml", *, edition: str | None = None, max_bytes: int = MAX_XML_BYTES
) -> C2simOrder:
    """Parse a C2SIM order from bytes (an HTTP body); `path` names it in errors."""
    return order_of(parse_message(data, path, ORDER, edition=edition, max_bytes=max_bytes))


def order_of(message: C2simMessage) -> C2simOrder:
    """The tasks of an order message already read and checked (its body is the `OrderBody`)."""
    ns, body = message.ns, message.body
    names = _entity_names(body, ns)
    tasks = []
    for task in body.iterfind(f"{{{ns}}}Task/{{{ns}}}ManeuverWarfareTask"):
        performer = _lower(task.findtext(f"{{{ns}}}PerformingEntity"))
        tasks.append(
            C2simTask(
                uuid=_lower(task.findtext(f"{{{ns}}}UUID")),
                name=_strip(task.findtext(f"{{{ns}}}Name")),
                performer=performer,
                performer_name=names.get(performer),
                verb=_strip(task.findtext(f"{{{ns}}}TaskActionCode")) or "",
                line=task.sourceline or 1,
            )
        )
    return C2simOrder(
        path=message.path,
        edition=message.edition.key,
        edition_label=message.edition.label,
        order_id=_lower(body.findtext(f"{{{ns}}}OrderID")),
        sender=_lower(body.findtext(f"{{{ns}}}FromSender")),
        receivers=tuple(_lower(r.text) for r in body.iterfind(f"{{{ns}}}ToReceiver")),
        tasks=tuple(tasks),
    )


def _entity_names(body: etree._Element, ns: str) -> dict[str, str]:
    """UUID -> name of the entities an order defines inline (so tasks can be matched by name)."""
    names: dict[str, str] = {}
    for entity in body.iterfind(f"{{{ns}}}Entity"):
        for el in entity.iter(f"{{{ns}}}UUID"):
            parent = el.getparent()
            name = None if parent is None else _strip(parent.findtext(f"{{{ns}}}Name"))
            if name:
                names[_lower(el.text)] = name
    return names


def _strip(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _lower(text: str | None) -> str:
    return (text or "").strip().lower()
