"""The stable vocabulary of DESIGN.md: identifiers used by the catalog, the CLI and the API."""

from __future__ import annotations

from typing import Final

RELATION_KINDS: Final = (
    "political-direction",
    "command",
    "opcon",
    "tacon",
    "adcon",
    "support",
    "coordination",
    "consultation",
    "liaison",
)
# Relations that carry authority to direct; a cycle among them is an error.
COMMAND_KINDS: Final = frozenset({"political-direction", "command", "opcon", "tacon", "adcon"})
# Relations along which a unit reaches its own civilian head of government.
CIVILIAN_CHAIN_KINDS: Final = frozenset({"political-direction", "command"})
# Relations that give operational authority to order a unit.
OPERATIONAL_KINDS: Final = frozenset({"command", "opcon", "tacon"})
COORDINATION_KINDS: Final = frozenset({"coordination", "consultation", "liaison"})
# Relations by which an organization takes part in a body (`to` is the body).
MEMBERSHIP_KINDS: Final = frozenset({"coordination", "consultation"})

ORGANIZATION_KINDS: Final = (
    "political-authority",
    "ministry",
    "consultative-body",
    "headquarters",
    "component-command",
    "unit",
    "liaison-cell",
)
MILITARY_KINDS: Final = frozenset({"headquarters", "component-command", "unit"})
CIVILIAN_KINDS: Final = frozenset({"political-authority", "ministry", "consultative-body"})

ECHELONS: Final = (
    "national",
    "ministerial",
    "command",
    "army",
    "corps",
    "division",
    "brigade",
    "regiment",
    "battalion",
    "company",
)

SITUATIONS: Final = (
    "peacetime",
    "gray-zone",
    "important-influence",
    "anticipated-armed-attack",
    "armed-attack",
    "survival-threatening",
    "international-peace-cooperation",
    "emergency-response",
)

LEVELS: Final = ("deconflict", "coordinated", "integrated", "unified")

GUIDELINES_VERSIONS: Final = ("1978", "1997", "2015", "2024-proposal")

NATION_NAMES: Final = {
    "JPN": ("Japan", "日本"),
    "USA": ("United States", "米国"),
    "ROK": ("Republic of Korea", "韓国"),
    "UN": ("United Nations", "国連"),
    "TWN": ("Taiwan", "台湾"),
    "AUS": ("Australia", "豪州"),
    "GBR": ("United Kingdom", "英国"),
    "PHL": ("Philippines", "フィリピン"),
    "XXX": ("Opposing force", "対抗部隊"),
}
