"""Views of an arrangement: a tree of authority for the terminal and a plain dict for JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.tree import Tree

from .architecture import Architecture
from .vocabulary import COMMAND_KINDS, NATION_NAMES

KIND_LABELS: dict[str, tuple[str, str]] = {
    "political-direction": ("political direction", "政治的指示"),
    "command": ("command", "指揮"),
    "opcon": ("OPCON", "作戦統制"),
    "tacon": ("TACON", "戦術統制"),
    "adcon": ("ADCON", "行政統制"),
    "support": ("support", "支援"),
    "coordination": ("coordination", "調整"),
    "consultation": ("consultation", "協議"),
    "liaison": ("liaison", "連絡"),
}


def kind_label(kind: str, lang: str) -> str:
    en, ja = KIND_LABELS.get(kind, (kind, kind))
    return ja if lang == "ja" else en


def nation_label(nation: str, lang: str) -> str:
    en, ja = NATION_NAMES.get(nation, (nation, nation))
    return ja if lang == "ja" else en


def authority_tree(arch: Architecture, lang: str = "en", situations: Mapping[str, str] | None = None) -> Tree:
    """Heads of government at the roots, command-type relations as branches, other ties listed.

    `situations` names the situations a relation is limited to (id -> name; default: the ids).
    """
    title = f"[bold]{arch.name(lang)}[/bold] [dim]({arch.id})[/dim]"
    root = Tree(title)
    placed: set[str] = set()

    def label(org_id: str, via: str | None) -> str:
        org = arch.organizations[org_id]
        other = org.name_en if lang == "ja" else org.name_ja
        roles = ", ".join(r.name_ja if lang == "ja" and r.name_ja else r.name_en or r.id for r in org.roles)
        text = f"{org.name(lang)} [dim]{other} · {org.id}[/dim]"
        if org.combined:
            text += " [magenta]" + ("連合司令部" if lang == "ja" else "combined HQ") + "[/magenta]"
        if roles:
            text += f" [cyan]({roles})[/cyan]"
        if via:
            text = f"[yellow]{kind_label(via, lang)}[/yellow] → " + text
        return text

    def grow(node: Tree, org_id: str, trail: frozenset[str]) -> None:
        for rel in arch.relations_from(org_id):
            if rel.kind not in COMMAND_KINDS or rel.to_id in trail:
                continue
            suffix = ""
            if rel.active_in is not None:
                named = [(situations or {}).get(s, s) for s in sorted(rel.active_in)]
                suffix = " [dim](" + ", ".join(named) + ")[/dim]"
            already = rel.to_id in placed
            child = node.add(label(rel.to_id, rel.kind) + suffix + (" [dim]↑[/dim]" if already else ""))
            if not already:
                placed.add(rel.to_id)
                grow(child, rel.to_id, trail | {rel.to_id})

    heads = arch.heads_of_government()
    roots = list(heads.values()) + [
        o.id
        for o in arch.organizations.values()
        if o.id not in heads.values()
        and not any(r.kind in COMMAND_KINDS for r in arch.relations_to(o.id))
        and any(r.kind in COMMAND_KINDS for r in arch.relations_from(o.id))
    ]
    for head in roots:
        placed.add(head)
        branch = root.add(f"[bold]{label(head, None)}[/bold] [dim]{nation_label(arch.organizations[head].nation, lang)}[/dim]")
        grow(branch, head, frozenset({head}))
    others = [o for o in arch.organizations.values() if o.id not in placed]
    if others:
        heading = "調整・協議・連絡機関" if lang == "ja" else "Coordination, consultation and liaison"
        extra = root.add(f"[bold]{heading}[/bold]")
        for org in others:
            node = extra.add(label(org.id, None))
            for rel in arch.relations_to(org.id):
                node.add(f"[yellow]{kind_label(rel.kind, lang)}[/yellow] ← {arch.organizations[rel.from_id].name(lang)}")
            for rel in arch.relations_from(org.id):
                node.add(f"[yellow]{kind_label(rel.kind, lang)}[/yellow] → {arch.organizations[rel.to_id].name(lang)}")
    if arch.plans:
        heading = "計画" if lang == "ja" else "Plans"
        plans = root.add(f"[bold]{heading}[/bold]")
        for plan in arch.plans:
            owner = f" ← {arch.organizations[plan.owner].name(lang)}" if plan.owner else ""
            plans.add(f"{plan.name(lang)} [dim]{plan.id}[/dim]{owner}")
    return root


def arrangement_dict(arch: Architecture) -> dict[str, Any]:
    """The arrangement as plain data (the shape of the YAML file)."""

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, False, (), []) and k != "line"}

    orgs = []
    for o in arch.organizations.values():
        d = clean(
            {
                "id": o.id,
                "name_en": o.name_en,
                "name_ja": o.name_ja,
                "nation": o.nation,
                "kind": o.kind,
                "echelon": o.echelon,
                "sidc": o.sidc,
                "combined": o.combined,
                "head_of_government": o.head_of_government,
                "roles": [{"id": r.id, "name_en": r.name_en, "name_ja": r.name_ja} for r in o.roles],
                "alternate": o.alternate,
                "predecessor_of": o.predecessor_of,
                "note_en": o.note_en,
                "note_ja": o.note_ja,
                "source": o.source,
                "assumption": o.assumption,
                "unconfirmed": o.unconfirmed,
            }
        )
        orgs.append(d)
    rels = [
        clean(
            {
                "from": r.from_id,
                "to": r.to_id,
                "kind": r.kind,
                "active_in": sorted(r.active_in) if r.active_in is not None else None,
                "note_en": r.note_en,
                "note_ja": r.note_ja,
                "source": r.source,
                "assumption": r.assumption,
                "unconfirmed": r.unconfirmed,
            }
        )
        for r in arch.relations
    ]
    plans = [
        clean(
            {
                "id": p.id,
                "name_en": p.name_en,
                "name_ja": p.name_ja,
                "owner": p.owner,
                "source": p.source,
                "assumption": p.assumption,
            }
        )
        for p in arch.plans
    ]
    return clean(
        {
            "kind": "architecture",
            "id": arch.id,
            "name_en": arch.name_en,
            "name_ja": arch.name_ja,
            "guidelines": arch.guidelines,
            "era": arch.era,
            "description_en": arch.description_en,
            "description_ja": arch.description_ja,
            "source": arch.source,
            "organizations": orgs,
            "relations": rels,
            "plans": plans,
        }
    )
