"""Synthetic arrangements of any size, for benchmarks (shared by every benchmark).

`make_arrangement(n, seed)`: two nations, each a command tree of branching about 5 under its head
of government, coordination bodies joining the two chains at each level, and about 10% of units
under the other nation's OPCON.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

from alliance_c2.model import Architecture
from alliance_c2.model.load import architecture_from_document
from alliance_c2.model.yamlsource import parse_yaml

NATIONS = (("JPN", "jpn", "日本"), ("USA", "usa", "米国"))


def make_arrangement_data(n: int, seed: int) -> dict[str, Any]:
    """The arrangement as YAML-shaped data with about `n` organizations."""
    rng = random.Random(seed)
    orgs: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    levels: dict[int, list[str]] = {}
    leaves: dict[str, list[str]] = {}
    inner: dict[str, list[tuple[int, str]]] = {}
    per_nation = max(3, (n - 2 * 2) // 2)
    for nation, prefix, name_ja in NATIONS:
        head = f"{prefix}-head"
        orgs.append(_org(head, f"{nation} head of government", f"{name_ja}首脳", nation, "political-authority", head_of_government=True))
        frontier = [(head, 0)]
        count = 1
        leaves[nation] = []
        inner[nation] = []
        queue_index = 0
        while count < per_nation and queue_index < len(frontier):
            parent, depth = frontier[queue_index]
            queue_index += 1
            for _ in range(max(1, int(rng.gauss(5, 1)))):
                if count >= per_nation:
                    break
                oid = f"{prefix}-{count}"
                kind = "headquarters" if depth == 0 else "component-command"
                orgs.append(_org(oid, f"{nation} organization {count}", f"{name_ja}組織{count}", nation, kind))
                rels.append({"from": parent, "to": oid, "kind": "political-direction" if depth == 0 else "command", "source": "synthetic"})
                frontier.append((oid, depth + 1))
                levels.setdefault(depth + 1, []).append(oid)
                count += 1
        children = {r["from"] for r in rels}
        for org in orgs:
            if org["nation"] == nation and org["id"] != head:
                if org["id"] in children:
                    inner[nation].append((0, org["id"]))
                else:
                    org["kind"] = "unit"
                    leaves[nation].append(org["id"])
    for depth, members in sorted(levels.items()):
        body = f"coord-{depth}"
        orgs.append(_org(body, f"Coordination body level {depth}", f"調整機関 第{depth}階層", "JPN", "consultative-body"))
        for oid in members[:: max(1, len(members) // 20)]:
            rels.append({"from": oid, "to": body, "kind": "coordination", "source": "synthetic"})
    for (nation, _, _), (other, _, _) in (NATIONS, NATIONS[::-1]):
        commanders = [oid for _, oid in inner[other]]
        for unit in leaves[nation]:
            if commanders and rng.random() < 0.10:
                rels.append({"from": rng.choice(commanders), "to": unit, "kind": "opcon", "active_in": ["armed-attack"], "source": "synthetic"})
    return {
        "kind": "architecture",
        "id": f"synthetic-{n}",
        "name_en": f"Synthetic arrangement ({n} organizations)",
        "name_ja": f"合成体制（{n}組織）",
        "source": "benchmarks/synthetic.py",
        "organizations": orgs,
        "relations": rels,
    }


def _org(oid: str, name_en: str, name_ja: str, nation: str, kind: str, head_of_government: bool = False) -> dict[str, Any]:
    org: dict[str, Any] = {"id": oid, "name_en": name_en, "name_ja": name_ja, "nation": nation, "kind": kind, "source": "synthetic"}
    if head_of_government:
        org["head_of_government"] = True
    return org


def make_arrangement_yaml(n: int, seed: int) -> str:
    """The synthetic arrangement as YAML text (what a user file of that size looks like)."""
    return yaml.safe_dump(make_arrangement_data(n, seed), allow_unicode=True, sort_keys=False)


def make_arrangement(n: int, seed: int) -> Architecture:
    """A loaded, validated synthetic arrangement with about `n` organizations."""
    text = make_arrangement_yaml(n, seed)
    arch, problems = architecture_from_document(parse_yaml(text, "synthetic.yaml"))
    errors = [p for p in problems if p.severity == "error"]
    if arch is None or errors:
        raise RuntimeError(f"synthetic arrangement invalid: {errors[0] if errors else 'no arrangement'}")
    return arch
