"""How workbench vocabulary maps onto C2SIM (JC3IEDM) codes, both ways, and stable UUIDs."""

from __future__ import annotations

import uuid
from typing import Final

from ..model.schema import SIDC_PATTERN

# Every UUID the workbench writes is uuid5 under this namespace, so re-exports match.
UUID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:alliance-c2:c2sim")
# Workbench fields carried in `NamedEntityType` (2.0.0, 1.1: EntityTypeName + EntityTypeNamespace;
# 1.0.0: EntityTypeString "namespace#name"), so that an import restores them.
KIND_NAMESPACE: Final = "urn:alliance-c2:organization-kind"
ID_NAMESPACE: Final = "urn:alliance-c2:organization-id"
ECHELON_NAMESPACE: Final = "urn:alliance-c2:organization-echelon"
NAME_JA_NAMESPACE: Final = "urn:alliance-c2:organization-name-ja"
FLAG_NAMESPACE: Final = "urn:alliance-c2:organization-flag"
ALTERNATE_NAMESPACE: Final = "urn:alliance-c2:organization-alternate"
PREDECESSOR_NAMESPACE: Final = "urn:alliance-c2:organization-predecessor-of"
# 1.0.0 has no CommandRelation: the kind of the one superior relation travels here instead.
SUPERIOR_KIND_NAMESPACE: Final = "urn:alliance-c2:superior-relation"
# A relation no C2SIM slot carries (or one limited to some situations), on the entity it points to:
# "KIND FROM-ID" or "KIND FROM-ID SITUATION,SITUATION" ("-" for none).
RELATION_NAMESPACE: Final = "urn:alliance-c2:relation"
# Boolean organization fields carried as flags (flag name -> Organization attribute).
FLAGS: Final = {
    "combined": "combined",
    "head-of-government": "head_of_government",
    "assumption": "assumption",
    "unconfirmed": "unconfirmed",
}
NULL_UUID: Final = "00000000-0000-0000-0000-000000000000"

# Relations a unit stands in toward its superior; `command` splits into ORGANC/COMD at export.
COMMAND_CODES: Final = {"opcon": "OPCON", "tacon": "TACCNT", "adcon": "ADMCON"}
SUPPORT_CODE: Final = "GENSUP"
# C2SIM codes read back, and the workbench kind each one means (no others are guessed).
CODE_KINDS: Final = {
    "COMD": "command",
    "ORGANC": "command",
    "OPCON": "opcon",
    "TACCNT": "tacon",
    "ADMCON": "adcon",
    "GENSUP": "support",
    "DIRSUP": "support",
    "CLSSUP": "support",
    "GENSRI": "support",
}
# Kinds C2SIM has no code for; the export leaves them out and says how many.
INEXPRESSIBLE_KINDS: Final = ("political-direction", "coordination", "consultation", "liaison")

ECHELON_CODES: Final = {
    "army": "ARMY",
    "corps": "CORPS",
    "division": "DIV",
    "brigade": "BDE",
    "regiment": "RGT",
    "battalion": "BN",
    "company": "COY",
}
ECHELONS_FROM_CODE: Final = {code: echelon for echelon, code in ECHELON_CODES.items()}
# C2SIM echelon codes that carry no information (not otherwise specified / not known).
SILENT_ECHELON_CODES: Final = frozenset({"NOS", "NKN"})

# Organizations that become MilitaryOrganization/Unit; the rest become NonMilitaryOrganization.
UNIT_KINDS: Final = frozenset({"headquarters", "component-command", "unit", "liaison-cell"})

# APP-6C exercise affiliations have no place in the C2SIM SIDC pattern: the real one stands in.
_EXERCISE_AFFILIATIONS: Final = {"G": "P", "W": "U", "M": "A", "D": "F", "L": "N"}
_ORDER_OF_BATTLE: Final = frozenset("AECGNSX-*")


def stable_uuid(*parts: str) -> str:
    """A UUID derived only from `parts` (uuid5), identical on every run."""
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(parts)))


def c2sim_sidc(sidc: str) -> tuple[str, bool]:
    """The SIDC as the C2SIM pattern accepts it, and whether anything had to change.

    C2SIM requires positions 13-14 (country) to be dashes, allows no exercise affiliations and
    only the APP-6C order-of-battle letters in position 15.
    """
    chars = list(sidc)
    chars[1] = _EXERCISE_AFFILIATIONS.get(chars[1], chars[1])
    chars[12:14] = ["-", "-"]
    if chars[14] not in _ORDER_OF_BATTLE:
        chars[14] = "-"
    out = "".join(chars)
    return out, out != sidc


def workbench_sidc(sidc: str) -> str | None:
    """A C2SIM SIDC if it is also a valid workbench SIDC (APP-6C warfighting letter code)."""
    return sidc if SIDC_PATTERN.match(sidc) else None


# APP-6C position 12 for each workbench echelon of a land unit.
LAND_ECHELON_CODES: Final = {
    "command": "N",
    "army": "K",
    "corps": "J",
    "division": "I",
    "brigade": "H",
    "regiment": "G",
    "battalion": "F",
    "company": "E",
}
LIAISON_FUNCTION: Final = "UHGL--"


def sidc_rule_problems(kind: str, echelon: str | None, sidc: str) -> list[str]:
    """Where a SIDC disagrees with the organization's kind and echelon (docs/interchange.md, Symbols).

    Headquarters carry the headquarters marker (position 11 "A"), formations do not; only land
    symbols carry headquarters and echelon markers (positions 11-12), and a land symbol's echelon
    is the organization's; a liaison cell is the land liaison symbol (LO).
    """
    problems: list[str] = []
    dimension, marker, level = sidc[2], sidc[10], sidc[11]
    if kind == "liaison-cell" and (dimension != "G" or sidc[4:10] != LIAISON_FUNCTION):
        problems.append(f"a liaison cell is the land liaison symbol (function {LIAISON_FUNCTION})")
    if dimension != "G":
        if marker != "-" or level != "-":
            problems.append("air, sea and space symbols carry no headquarters or echelon marker (positions 11-12)")
        return problems
    if (marker == "A") != (kind == "headquarters"):
        problems.append(
            "the headquarters marker belongs to headquarters only"
            if marker == "A"
            else "a headquarters carries the headquarters marker (position 11 'A')"
        )
    expected = LAND_ECHELON_CODES.get(echelon or "", "-")
    if level != expected:
        problems.append(f"echelon {echelon or 'none'} is position 12 {expected!r}, not {level!r}")
    return problems
