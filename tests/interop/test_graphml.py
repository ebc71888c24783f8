"""GraphML export: nodes with names, nation and kind; edges with the relation kind."""

from __future__ import annotations

from lxml import etree

from alliance_c2.interop import export_graphml, parse_xml
from alliance_c2.interop.graphml import GRAPHML_NS
from alliance_c2.model import load_architecture

G = f"{{{GRAPHML_NS}}}"


def _graph() -> etree._Element:
    return parse_xml(export_graphml(load_architecture("2024-proposal")), "a.graphml").getroot()


def test_every_organization_is_a_node_and_every_relation_an_edge() -> None:
    arch = load_architecture("2024-proposal")
    root = _graph()
    assert len(root.findall(f"{G}graph/{G}node")) == len(arch.organizations)
    assert len(root.findall(f"{G}graph/{G}edge")) == len(arch.relations)


def test_node_and_edge_attributes_are_declared_and_filled() -> None:
    root = _graph()
    declared = {(k.get("for"), k.get("attr.name")) for k in root.findall(f"{G}key")}
    for name in ("name_en", "name_ja", "nation", "kind"):
        assert ("node", name) in declared
    assert ("edge", "relation") in declared
    jjoc = root.find(f"{G}graph/{G}node[@id='jpn-jjoc']")
    assert jjoc is not None
    values = {d.get("key"): d.text for d in jjoc.findall(f"{G}data")}
    assert values["n_nation"] == "JPN" and values["n_name_ja"]
    kinds = {d.text for d in root.iterfind(f"{G}graph/{G}edge/{G}data[@key='e_relation']")}
    assert {"opcon", "coordination"} <= kinds
