"""Hypothesis strategies shared by the interop tests: small random arrangements as data."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from alliance_c2.model.vocabulary import (
    ECHELONS,
    ORGANIZATION_KINDS,
    relation_kind_ids,
    situation_ids,
    vocabulary,
)

NATIONS = ("JPN", "USA", "UN")
SIDCS = ("SFGPUCI----E---", "SFAPMF-----NJA-", "SFSPCLDD---H---", "SFGPUH-----N---")
COMMAND_TYPES = ("political-direction", "command", "opcon", "tacon", "adcon")
names = st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]", fullmatch=True)
japanese = st.text(alphabet="指揮統制部隊司令部日米同盟", min_size=1, max_size=6)


@st.composite
def arrangements(draw: st.DrawFn, *, rich: bool = False) -> dict[str, Any]:
    """Arrangement data: command-type relations only point forward in the list, so no cycles."""
    n = draw(st.integers(min_value=2, max_value=10))
    orgs = [_organization(draw, i, rich) for i in range(n)]
    rels: list[dict[str, Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=2 * n))):
        a, b = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        kind = draw(st.sampled_from(relation_kind_ids()))
        if kind not in COMMAND_TYPES and draw(st.booleans()):
            a, b = b, a
        if (a, b, kind) in seen or _kept(orgs[a], orgs[b], kind):
            continue
        seen.add((a, b, kind))
        rel: dict[str, Any] = {"from": orgs[a]["id"], "to": orgs[b]["id"], "kind": kind, "source": "test"}
        if draw(st.booleans()):
            rel["active_in"] = draw(st.lists(st.sampled_from(situation_ids()), unique=True, max_size=3))
        rels.append(rel)
    data: dict[str, Any] = {
        "kind": "architecture",
        "id": draw(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)),
        "name_en": draw(names),
        "name_ja": draw(japanese),
        "source": "test",
        "organizations": orgs,
        "relations": rels,
    }
    if rich:
        data["plans"] = [
            {
                "id": "plan-a",
                "name_en": "Plan A",
                "name_ja": "計画",
                "owner": orgs[0]["id"],
                "assumption": True,
            }
        ]
    return data


def _kept(sup: dict[str, Any], sub: dict[str, Any], kind: str) -> bool:
    """A relation the subordinate's nation's law never allows another nation's HQ (validate refuses it: COCOM)."""
    kept = vocabulary().kept_by_law.get(sub["nation"])
    military = sub["kind"] in ("headquarters", "component-command", "unit")
    return kept is not None and military and kind in kept.kinds and sup["nation"] != sub["nation"]


def _organization(draw: st.DrawFn, index: int, rich: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(ORGANIZATION_KINDS))
    org: dict[str, Any] = {
        "id": f"org-{index}",
        "name_en": draw(names),
        "name_ja": draw(japanese),
        "nation": draw(st.sampled_from(NATIONS)),
        "kind": kind,
        "source": "test",
    }
    if kind in ("headquarters", "component-command", "unit"):
        org["sidc"] = draw(st.sampled_from(SIDCS))
        org["echelon"] = draw(st.sampled_from(ECHELONS[2:]))
    if rich:
        if draw(st.booleans()):
            org["roles"] = [{"id": "jfacc", "name_en": "JFACC", "name_ja": "統合航空部隊指揮官"}]
        if draw(st.booleans()):
            org["note_en"] = draw(names)
            org["unconfirmed"] = True
        org["combined"] = draw(st.booleans())
    return org
