"""GraphML export (yEd, Gephi, Cytoscape): organizations as nodes, relations as directed edges."""

from __future__ import annotations

from lxml import etree

from ..model import Architecture

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_NODE_KEYS = (
    ("label", "string"),
    ("name_en", "string"),
    ("name_ja", "string"),
    ("nation", "string"),
    ("kind", "string"),
    ("echelon", "string"),
    ("sidc", "string"),
    ("combined", "boolean"),
    ("head_of_government", "boolean"),
)
_EDGE_KEYS = (("relation", "string"), ("active_in", "string"))


def export_graphml(arch: Architecture) -> bytes:
    """The arrangement as GraphML: node attributes name_en/name_ja/nation/kind, edge attribute `relation`."""
    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap={None: GRAPHML_NS})
    _key(root, "graph", "arrangement", "string")
    for name, kind in _NODE_KEYS:
        _key(root, "node", name, kind)
    for name, kind in _EDGE_KEYS:
        _key(root, "edge", name, kind)
    graph = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id=arch.id, edgedefault="directed")
    _data(graph, "g_arrangement", arch.name_en)
    for org in arch.organizations.values():
        node = etree.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=org.id)
        values = {
            "label": org.name_en or org.id,
            "name_en": org.name_en,
            "name_ja": org.name_ja,
            "nation": org.nation,
            "kind": org.kind,
            "echelon": org.echelon or "",
            "sidc": org.sidc or "",
            "combined": "true" if org.combined else "false",
            "head_of_government": "true" if org.head_of_government else "false",
        }
        for name, value in values.items():
            _data(node, f"n_{name}", value)
    for index, rel in enumerate(arch.relations):
        edge = etree.SubElement(
            graph, f"{{{GRAPHML_NS}}}edge", id=f"e{index}", source=rel.from_id, target=rel.to_id
        )
        _data(edge, "e_relation", rel.kind)
        _data(edge, "e_active_in", ",".join(sorted(rel.active_in)) if rel.active_in is not None else "all")
    xml: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def _key(root: etree._Element, domain: str, name: str, kind: str) -> None:
    attrs = {"id": f"{domain[0]}_{name}", "for": domain, "attr.name": name, "attr.type": kind}
    etree.SubElement(root, f"{{{GRAPHML_NS}}}key", attrs)


def _data(parent: etree._Element, key: str, value: str) -> None:
    etree.SubElement(parent, f"{{{GRAPHML_NS}}}data", key=key).text = value
