"""Small graph algorithms over an arrangement's relations.

Written here rather than taken from networkx because importing networkx costs about 0.35 s,
more than half of the 0.5 s budget for `alliance-c2 analyze` (measured with `python -X importtime`);
the algorithms needed are short and linear.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping


def dominators(root: str, successors: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Immediate dominators of every node reachable from `root` (Cooper, Harvey and Kennedy)."""
    order: list[str] = []
    seen = {root}
    stack: list[tuple[str, Iterable[str]]] = [(root, iter(successors.get(root, ())))]
    preds: dict[str, list[str]] = {root: []}
    while stack:
        node, it = stack[-1]
        for nxt in it:
            preds.setdefault(nxt, []).append(node)
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, iter(successors.get(nxt, ()))))
                break
        else:
            stack.pop()
            order.append(node)
    rpo = order[::-1]
    index = {n: i for i, n in enumerate(rpo)}
    idom: dict[str, str] = {root: root}

    def intersect(a: str, b: str) -> str:
        while a != b:
            while index[a] > index[b]:
                a = idom[a]
            while index[b] > index[a]:
                b = idom[b]
        return a

    changed = True
    while changed:
        changed = False
        for node in rpo[1:]:
            new: str | None = None
            for p in preds[node]:
                if p in idom and p in index:
                    new = p if new is None else intersect(p, new)
            if new is not None and idom.get(node) != new:
                idom[node] = new
                changed = True
    return idom


def bfs_from(sources: Iterable[str], neighbours: Mapping[str, Iterable[str]]) -> dict[str, str | None]:
    """Breadth-first search from several sources; returns each reached node's parent (None at a source)."""
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for s in sources:
        if s not in parent:
            parent[s] = None
            queue.append(s)
    while queue:
        node = queue.popleft()
        for nxt in neighbours.get(node, ()):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return parent


def path_to_source(node: str, parent: Mapping[str, str | None]) -> list[str]:
    """The BFS path from `node` back to the source that reached it."""
    path = [node]
    step = parent.get(node)
    while step is not None:
        path.append(step)
        step = parent.get(step)
    return path
