"""Reading one C2SIM message: which edition it is, what kind of message it is, and its body.

The kind is told before the schema is asked, so a report handed to `import` is named as a report
even when no edition accepts it. A file in the `.../C2SIM/1.1` namespace is tried against every
edition of that namespace (CWIX2025, then 1.0.0) and the first that accepts it is its edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..model import CatalogError, Problem
from .schema import NAMESPACE_PREFIX, SCHEMAS, SchemaVersion, editions_for_namespace, schema_problems
from .xmlsafe import MAX_XML_BYTES, parse_xml, read_xml

INITIALIZATION = "initialization"
ORDER = "order"

# Body element -> (kind, what it is in plain words).
_BODIES: dict[str, tuple[str, str]] = {
    "C2SIMInitializationBody": (INITIALIZATION, "an initialization"),
    "ObjectInitializationBody": (INITIALIZATION, "an object initialization"),
    "OrderBody": (ORDER, "an order"),
    "ReportBody": ("report", "a report"),
    "PlanBody": ("plan", "a plan"),
    "RequestBody": ("request", "a request"),
    "AcknowledgementBody": ("acknowledgement", "an acknowledgement"),
    "SystemAcknowledgementBody": ("system-acknowledgement", "a system acknowledgement"),
    "SystemCommandBody": ("system-command", "a system command"),
    "SystemMessageBody": ("system-message", "a system message"),
}
_WRAPPERS = frozenset({"Message", "MessageBody", "DomainMessageBody"})
_EXPECTED = {INITIALIZATION: "an initialization (C2SIMInitializationBody)", ORDER: "an order (OrderBody)"}
_PURPOSE = {INITIALIZATION: "nothing to import", ORDER: "no tasks to check"}


@dataclass(frozen=True)
class C2simMessage:
    """A schema-valid C2SIM message of the expected kind."""

    path: str
    edition: SchemaVersion
    body: etree._Element

    @property
    def ns(self) -> str:
        return self.edition.namespace


def read_message(
    path: str | Path, expect: str, *, edition: str | None = None, max_bytes: int = MAX_XML_BYTES
) -> C2simMessage:
    """Read a C2SIM file that must be of kind `expect` (INITIALIZATION or ORDER).

    `edition` forces one schema edition; otherwise the namespace and the schemas decide. Raises
    CatalogError with one FILE:LINE problem for anything else.
    """
    return message_from_tree(read_xml(path, max_bytes), str(path), expect, edition=edition)


def parse_message(
    data: bytes, path: str, expect: str, *, edition: str | None = None, max_bytes: int = MAX_XML_BYTES
) -> C2simMessage:
    """Like `read_message`, for bytes already in memory (an HTTP body); `path` names them in errors."""
    return message_from_tree(parse_xml(data, path, max_bytes), path, expect, edition=edition)


def message_from_tree(
    tree: etree._ElementTree, path: str, expect: str, *, edition: str | None = None
) -> C2simMessage:
    """Check a parsed document: namespace, kind, then schema (edition by edition)."""
    root = tree.getroot()
    candidates = _candidates(root, path, edition)
    body = _body(root, candidates[0].namespace)
    if not isinstance(body.tag, str) or etree.QName(body).localname not in _BODIES:
        name = etree.QName(body).localname if isinstance(body.tag, str) else "nothing"
        raise _error(
            path,
            body.sourceline,
            f"{name} is not a C2SIM message body (expected one of {', '.join(_BODIES)}): {_PURPOSE[expect]}",
        )
    kind, what = _BODIES[etree.QName(body).localname]
    if kind != expect:
        raise _error(
            path,
            body.sourceline,
            f"this is {what} message ({etree.QName(body).localname}), not {_EXPECTED[expect]}: {_PURPOSE[expect]}",
        )
    return C2simMessage(path, _valid_edition(tree, path, candidates), body)


def _candidates(root: etree._Element, path: str, forced: str | None) -> list[SchemaVersion]:
    namespace = etree.QName(root).namespace or ""
    found = editions_for_namespace(namespace)
    if forced is not None:
        version = SCHEMAS.get(forced)
        if version is None:
            raise _error(path, 1, f"unknown C2SIM edition {forced!r}; choose from: {', '.join(SCHEMAS)}")
        if version not in found:
            shown = repr(namespace) if namespace else "no namespace"
            raise _error(
                path,
                root.sourceline,
                f"root element is in {shown}, but C2SIM {version.label} uses {version.namespace}",
            )
        return [version]
    if found:
        return found
    supported = ", ".join(dict.fromkeys(v.namespace for v in SCHEMAS.values()))
    if namespace.startswith(NAMESPACE_PREFIX):
        edition = namespace[len(NAMESPACE_PREFIX) :]
        message = f"unsupported C2SIM schema version {edition!r}; supported namespaces: {supported}"
    else:
        shown = repr(namespace) if namespace else "no namespace"
        message = f"not a C2SIM document: root element in {shown}; expected one of {supported}"
    raise _error(path, root.sourceline, message)


def _body(root: etree._Element, ns: str) -> etree._Element:
    """The specific body element, looking through Message / MessageBody / DomainMessageBody.

    Returns the first element that is not a wrapper (the caller tells a body from anything else),
    or the innermost wrapper when it is empty.
    """
    el = root
    while etree.QName(el).localname in _WRAPPERS and etree.QName(el).namespace == ns:
        inner = next((c for c in el if isinstance(c.tag, str) and etree.QName(c).localname != "C2SIMHeader"), None)
        if inner is None:
            return el
        el = inner
    return el


def _valid_edition(tree: etree._ElementTree, path: str, candidates: list[SchemaVersion]) -> SchemaVersion:
    """The first candidate edition whose schema accepts the document; one line naming why not."""
    failures: list[Problem] = []
    for version in candidates:
        problems = schema_problems(tree, version.key, path)
        if not problems:
            return version
        failures.append(problems[0])
    first = failures[0]
    if len(failures) == 1:
        raise CatalogError([first])
    others = "; ".join(
        f"nor C2SIM {version.label} (line {p.line}: {p.message.split(': ', 1)[1]})"
        for version, p in zip(candidates[1:], failures[1:], strict=True)
    )
    raise CatalogError([Problem(path, first.line, f"{first.message}; {others}")])


def _error(path: str, line: int | None, message: str) -> CatalogError:
    return CatalogError([Problem(path, line or 1, message)])
