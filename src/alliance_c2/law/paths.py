"""Authority paths in an arrangement: who can order whom in a situation, and each organization's national
chain up to its head of government. Cached per arrangement and situation (arrangements are immutable).
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

from ..model import Architecture, Relation
from ..model.vocabulary import CIVILIAN_CHAIN_KINDS

# Relations along which an order travels down, and those whose crossing a border transfers authority.
AUTHORITY_KINDS = frozenset({"political-direction", "command", "opcon", "tacon"})
TRANSFER_KINDS = frozenset({"command", "opcon", "tacon"})


@lru_cache(maxsize=4096)
def in_arrangement(arch: Architecture, org_id: str) -> str:
    """The organization standing for `org_id` in this arrangement (an era-correct predecessor)."""
    if org_id in arch.organizations:
        return org_id
    for org in arch.organizations.values():
        if org.predecessor_of == org_id:
            return org.id
    return org_id


@lru_cache(maxsize=256)
def _adjacency(arch: Architecture, situation: str | None) -> dict[str, tuple[Relation, ...]]:
    down: dict[str, list[Relation]] = {}
    for rel in arch.relations:
        if rel.kind in AUTHORITY_KINDS and rel.active(situation):
            down.setdefault(rel.from_id, []).append(rel)
    return {k: tuple(v) for k, v in down.items()}


def authority_path(arch: Architecture, situation: str | None, start: str, goal: str) -> tuple[Relation, ...] | None:
    """The shortest path of authority relations from `start` down to `goal` (None if there is none)."""
    if start == goal:
        return ()
    down = _adjacency(arch, situation)
    came: dict[str, Relation] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for rel in down.get(node, ()):
            if rel.to_id in seen:
                continue
            seen.add(rel.to_id)
            came[rel.to_id] = rel
            if rel.to_id == goal:
                return _unwind(came, start, goal)
            queue.append(rel.to_id)
    return None


def _unwind(came: dict[str, Relation], start: str, goal: str) -> tuple[Relation, ...]:
    path: list[Relation] = []
    node = goal
    while node != start:
        rel = came[node]
        path.append(rel)
        node = rel.from_id
    return tuple(reversed(path))


@lru_cache(maxsize=256)
def _parents(arch: Architecture, situation: str) -> dict[str, Relation]:
    """Each organization's first own-nation political-direction/command superior (as in analysis)."""
    orgs = arch.organizations
    parent: dict[str, Relation] = {}
    for rel in arch.relations:
        if (
            rel.kind in CIVILIAN_CHAIN_KINDS
            and rel.to_id not in parent
            and rel.active(situation)
            and orgs[rel.from_id].nation == orgs[rel.to_id].nation
        ):
            parent[rel.to_id] = rel
    return parent


def national_chain(arch: Architecture, situation: str, org_id: str) -> tuple[tuple[str, ...], tuple[Relation, ...]]:
    """Ids from the top of `org_id`'s own national chain down to it, and the relations between them."""
    parent = _parents(arch, situation)
    ids = [org_id]
    rels: list[Relation] = []
    while ids[-1] in parent and len(ids) <= len(arch.organizations):
        rel = parent[ids[-1]]
        rels.append(rel)
        ids.append(rel.from_id)
    return tuple(reversed(ids)), tuple(reversed(rels))


def clear_cache() -> None:
    """Forget the cached paths."""
    _adjacency.cache_clear()
    _parents.cache_clear()
