"""Safe XML reading: no entity expansion, no network, no huge trees, bounded file size.

Every failure becomes a `CatalogError` with one `Problem(path, line, reason)`, so the command
line prints `FILE:LINE: reason` and exits 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..model import CatalogError, Problem
from ..model.yamlsource import read_input_file

MAX_XML_BYTES = 64 * 1024 * 1024

# libxml2's words for its protective limits, and what they mean to the reader of the file.
_ENTITIES = "DOCTYPE with entity declarations is not allowed (entity expansion is disabled)"
_LIMITS = (
    ("entity amplification", _ENTITIES),
    ("entity reference loop", _ENTITIES),
    ("Excessive depth", "elements are nested too deeply (more than 256 levels); refused"),
    ("xmlSAX2Characters: huge text node", "a text node is too large; refused"),
    ("Huge input lookup", "a single line or name is too large; refused"),
)


def safe_parser() -> etree.XMLParser:
    """A parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_xml(path: str | Path, max_bytes: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Read and parse an XML file safely; CatalogError naming the file and line otherwise."""
    return parse_xml(read_input_file(path, max_bytes), str(path), max_bytes)


def parse_xml(data: bytes, path: str, max_bytes: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Parse XML bytes safely; reject oversized input, malformed XML and DTDs with entities."""
    if len(data) > max_bytes:
        raise _error(path, 1, f"file too large ({len(data)} bytes; limit {max_bytes})")
    if not data.strip():
        raise _error(path, 1, "file is empty")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise _error(path, line, _syntax_message(_reason(exc))) from None
    tree = root.getroottree()
    _reject_dtd(tree, data, path)
    return tree


def _reject_dtd(tree: etree._ElementTree, data: bytes, path: str) -> None:
    """Entity declarations (billion laughs) and external DTDs are refused outright."""
    info = tree.docinfo
    dtd = info.internalDTD
    declares_entities = dtd is not None and any(True for _ in dtd.iterentities())
    external = bool(info.system_url or info.public_id)
    if declares_entities or external:
        offset = data.find(b"<!DOCTYPE")
        line = data.count(b"\n", 0, offset) + 1 if offset >= 0 else 1
        message = _ENTITIES if declares_entities else "DOCTYPE with an external DTD is not allowed"
        raise _error(path, line, message)


def _syntax_message(reason: str) -> str:
    """Plain words for a parser error: the reader never sees the parser's option names."""
    for needle, plain in _LIMITS:
        if needle.lower() in reason.lower():
            return plain
    return "XML syntax error: " + re.sub(r",? (use|see) (XML_PARSE_HUGE|xml\w+)[^.]*\.?", "", reason).rstrip(" ,")


def _reason(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc).strip()
    return message.split(", line ")[0] if ", line " in message else message


def _error(path: str, line: int, message: str) -> CatalogError:
    return CatalogError([Problem(path, line, message)])
