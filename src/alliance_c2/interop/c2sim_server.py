"""C2SIM messages as a C2SIM server handles them: one `Message` of any kind, checked against the one
edition a shared session uses; the messages a server sends itself (state changes, refusals); and the
locations that initializations and position reports give.

Kinds follow the reference server's table of message kinds (`/Message/MessageBody/...`): the
initialization, an object initialization, the domain messages (order, report, request, plan,
acknowledgement) and the system messages (StartScenario ...), each named by its element.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from lxml import etree

from ..model import CatalogError, Problem
from .c2sim import SENDING_SYSTEM, Writer, finish, message_root
from .codes import NULL_UUID
from .schema import SCHEMAS, SchemaVersion, schema_problems, schema_version
from .xmlsafe import parse_xml

INITIALIZATION = "C2SIMInitializationBody"
OBJECT_INITIALIZATION = "ObjectInitializationBody"
DOMAIN = "DomainMessageBody"
SYSTEM = "SystemMessageBody"
SYSTEM_ACKNOWLEDGEMENT = "SystemAcknowledgementBody"
_CATEGORIES = (INITIALIZATION, OBJECT_INITIALIZATION, DOMAIN, SYSTEM, SYSTEM_ACKNOWLEDGEMENT)
# What a C2SIM server refuses a request with: the request was denied.
REFUSAL_CODE = "ACKREQDEN"


class C2simMessageError(CatalogError):
    """A document a C2SIM server cannot take: `reason` is `xml` (not well-formed or unsafe), `namespace`
    (not this session's edition), `xsd` (schema-invalid) or `message` (not one C2SIM `Message`)."""

    def __init__(self, reason: str, problem: Problem) -> None:
        super().__init__([problem])
        self.reason = reason
        self.problem = problem


@dataclass(frozen=True)
class ServerMessage:
    """One schema-valid C2SIM `Message`: its category (the `MessageBody` child), its kind (the element
    inside it: `OrderBody`, `ReportBody`, `StartScenario` ...; the initialization's own name), header
    fields, and the document."""

    edition: SchemaVersion
    category: str
    kind: str
    body: etree._Element
    message_id: str
    conversation_id: str
    from_system: str
    classification: str | None
    tree: etree._ElementTree

    @property
    def ns(self) -> str:
        return self.edition.namespace

    def text(self) -> str:
        """The document as text (UTF-8, without comments or processing instructions)."""
        text: str = etree.tostring(self.tree, encoding="unicode")
        return text


def read_server_message(data: bytes, edition: str, path: str = "message.xml", max_bytes: int = 16 * 1024 * 1024
                        ) -> ServerMessage:
    """Parse `data` safely and check it is one C2SIM `Message` valid against `edition` ("2.0.0", "1.1" or
    "1.0.0"); C2simMessageError naming the line and what is wrong otherwise."""
    version = schema_version(edition)
    try:
        tree = parse_xml(data, path, max_bytes)
    except CatalogError as exc:
        raise C2simMessageError("xml", exc.problems[0]) from None
    root = tree.getroot()
    name = etree.QName(root)
    if name.namespace != version.namespace:
        shown = repr(name.namespace) if name.namespace else "no namespace"
        raise C2simMessageError("namespace", Problem(path, root.sourceline or 1, (
            f"root element is in {shown}, but this session uses C2SIM {version.label} ({version.namespace})")))
    if name.localname != "Message":
        raise C2simMessageError("message", Problem(path, root.sourceline or 1, (
            f"root element is {name.localname}: send one C2SIM Message (<Message> with C2SIMHeader and MessageBody)")))
    problems = schema_problems(tree, version.key, path)
    if problems:
        raise C2simMessageError("xsd", problems[0])
    ns = version.namespace
    body = root.find(f"{{{ns}}}MessageBody")
    category = _first_child(body)
    assert category is not None and body is not None, "the schema requires a message body"
    category_name = etree.QName(category).localname
    inner = category if category_name in (INITIALIZATION, OBJECT_INITIALIZATION, SYSTEM_ACKNOWLEDGEMENT) \
        else _first_child(category)
    kind = etree.QName(inner).localname if inner is not None else category_name
    header = root.find(f"{{{ns}}}C2SIMHeader")
    return ServerMessage(
        edition=version, category=category_name, kind=kind, body=inner if inner is not None else category,
        message_id=_text(header, ns, "MessageID"), conversation_id=_text(header, ns, "ConversationID"),
        from_system=_text(header, ns, "FromSendingSystem"),
        classification=_text(header, ns, "SecurityClassificationCode") or None, tree=tree,
    )


def _first_child(el: etree._Element | None) -> etree._Element | None:
    if el is None:
        return None
    return next((c for c in el if isinstance(c.tag, str)), None)


def _text(el: etree._Element | None, ns: str, name: str) -> str:
    found = None if el is None else el.findtext(f"{{{ns}}}{name}")
    return (found or "").strip()


def receivers(message: ServerMessage) -> list[str]:
    """The `ToReceiver` UUIDs of a domain message (lower case), the null UUID ("everyone") left out."""
    ns = message.ns
    found = [(r.text or "").strip().lower() for r in message.body.iterfind(f"{{{ns}}}ToReceiver")]
    return [r for r in found if r and r != NULL_UUID]


def sender(message: ServerMessage) -> str | None:
    """The `FromSender` UUID of a domain message (lower case), or None."""
    found = (message.body.findtext(f"{{{message.ns}}}FromSender") or "").strip().lower()
    return found or None


def locations(body: etree._Element, ns: str) -> dict[str, tuple[float, float]]:
    """Entity UUID -> (latitude, longitude) for every geodetic location an initialization gives an entity
    (the nearest enclosing element with its own `UUID` is the entity located)."""
    found: dict[str, tuple[float, float]] = {}
    for point in body.iter(f"{{{ns}}}GeodeticCoordinate"):
        where = _coordinate(point, ns)
        if where is None:
            continue
        owner = point.getparent()
        while owner is not None and owner is not body and owner.find(f"{{{ns}}}UUID") is None:
            owner = owner.getparent()
        if owner is not None and owner is not body:
            found.setdefault((owner.findtext(f"{{{ns}}}UUID") or "").strip().lower(), where)
    return found


def reported_positions(body: etree._Element, ns: str) -> list[tuple[str, float, float]]:
    """(subject UUID, latitude, longitude) for each position report content of a report body, in order."""
    out = []
    for content in body.iter(f"{{{ns}}}PositionReportContent"):
        subject = (content.findtext(f"{{{ns}}}SubjectEntity") or "").strip().lower()
        point = content.find(f".//{{{ns}}}GeodeticCoordinate")
        where = None if point is None else _coordinate(point, ns)
        if subject and where is not None:
            out.append((subject, *where))
    return out


def _coordinate(point: etree._Element, ns: str) -> tuple[float, float] | None:
    try:
        return float(point.findtext(f"{{{ns}}}Latitude") or ""), float(point.findtext(f"{{{ns}}}Longitude") or "")
    except ValueError:
        return None


def state_notification(edition: str, trigger: str, conversation: str | None = None) -> bytes | None:
    """The message a server sends every client when the session's state changes (`trigger`: the
    `SystemMessageBody` element, e.g. `StartScenario`); None when the edition has no system messages
    (1.0.0)."""
    if not supports_system_messages(edition):
        return None
    version = schema_version(edition)
    writer = Writer(version.namespace)
    root, body = message_root(writer, version, conversation or str(uuid.uuid4()), str(uuid.uuid4()),
                              SENDING_SYSTEM, None)
    writer.path(body, SYSTEM, trigger)
    return finish(root, edition, "state notification", validate=False)


def refusal(edition: str, in_reply_to: str, conversation: str, from_sender: str, to_receiver: str) -> bytes:
    """The acknowledgement a server sends the sender of a refused message: `ACKREQDEN` (request denied),
    in reply to its `MessageID` (1.1 and 1.0.0: communicative act `Refuse`)."""
    version = schema_version(edition)
    writer = Writer(version.namespace)
    root, body = message_root(writer, version, conversation, str(uuid.uuid4()), SENDING_SYSTEM, None,
                              act="Refuse", in_reply_to=in_reply_to)
    ack = writer.path(body, DOMAIN, "AcknowledgementBody")
    writer.sub(ack, "FromSender", from_sender)
    writer.sub(ack, "ToReceiver", to_receiver)
    writer.sub(ack, "AcknowledgeTypeCode", REFUSAL_CODE)
    return finish(root, edition, "refusal", validate=False)


@cache
def supports_system_messages(edition: str) -> bool:
    """Whether the edition's schema defines `SystemMessageBody` (2.0.0 and 1.1 do; 1.0.0 does not)."""
    version = schema_version(edition)
    writer = Writer(version.namespace)
    root, body = message_root(writer, version, NULL_UUID, NULL_UUID, SENDING_SYSTEM, None)
    writer.path(body, SYSTEM, "StartScenario")
    return not schema_problems(root.getroottree(), edition, "probe")


def edition_keys() -> list[str]:
    return list(SCHEMAS)


__all__ = [
    "DOMAIN",
    "INITIALIZATION",
    "OBJECT_INITIALIZATION",
    "REFUSAL_CODE",
    "SYSTEM",
    "C2simMessageError",
    "ServerMessage",
    "locations",
    "read_server_message",
    "receivers",
    "refusal",
    "reported_positions",
    "sender",
    "state_notification",
    "supports_system_messages",
]
