"""Views of an arrangement: a tree of authority for the terminal and a plain dict for JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.tree import Tree

from .architecture import Architecture, Side
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


# C2SIM HostilityStatusCode (JC3IEDM) in plain words.
HOSTILITY_LABELS: dict[str, tuple[str, str]] = {
    "FR": ("friend", "友軍"),
    "HO": ("hostile", "敵対"),
    "NEUTRL": ("neutral", "中立"),
    "UNK": ("unknown", "不明"),
    "SUSPCT": ("suspect", "疑わしい"),
    "PENDNG": ("pending", "未定"),
    "AFR": ("assumed friend", "友軍と推定"),
    "AHO": ("assumed hostile", "敵対と推定"),
    "AIV": ("assumed involved", "関与と推定"),
    "ANT": ("assumed neutral", "中立と推定"),
    "IV": ("involved", "関与"),
    "FAKER": ("faker", "偽装（敵）"),
    "JOKER": ("joker", "偽装（味方）"),
}


def kind_label(kind: str, lang: str) -> str:
    en, ja = KIND_LABELS.get(kind, (kind, kind))
    return ja if lang == "ja" else en


def nation_label(nation: str, lang: str) -> str:
    en, ja = NATION_NAMES.get(nation, (nation, nation))
    return ja if lang == "ja" else en


def bilateral_label(nations: tuple[str, ...], lang: str) -> str:
    """'bilateral: Japan / United States' in the language asked for."""
    names = " / ".join(nation_label(n, lang) for n in nations)
    return f"二国間機関: {names}" if lang == "ja" else f"bilateral: {names}"


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
        if org.bilateral:
            text += f" [magenta]{bilateral_label(org.member_nations(), lang)}[/magenta]"
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
        org = arch.organizations[head]
        nation = "" if org.bilateral else f" [dim]{nation_label(org.nation, lang)}[/dim]"
        branch = root.add(f"[bold]{label(head, None)}[/bold]{nation}")
        grow(branch, head, frozenset({head}))
    others = [o for o in arch.organizations.values() if o.id not in placed]
    tied = [o for o in others if arch.relations_to(o.id) or arch.relations_from(o.id)]
    if tied:
        heading = "調整・協議・連絡機関" if lang == "ja" else "Coordination, consultation and liaison"
        extra = root.add(f"[bold]{heading}[/bold]")
        for org in tied:
            node = extra.add(label(org.id, None))
            for rel in arch.relations_to(org.id):
                node.add(f"[yellow]{kind_label(rel.kind, lang)}[/yellow] ← {arch.organizations[rel.from_id].name(lang)}")
            for rel in arch.relations_from(org.id):
                node.add(f"[yellow]{kind_label(rel.kind, lang)}[/yellow] → {arch.organizations[rel.to_id].name(lang)}")
    loose = [o for o in others if o not in tied]
    if loose:
        heading = "関係の定義されていない組織" if lang == "ja" else "Organizations without relations"
        extra = root.add(f"[bold]{heading}[/bold]")
        for org in loose:
            extra.add(label(org.id, None) + f" [dim]{nation_label(org.nation, lang)}[/dim]")
    if arch.sides:
        _add_sides(root, arch, lang)
    if arch.plans:
        heading = "計画" if lang == "ja" else "Plans"
        plans = root.add(f"[bold]{heading}[/bold]")
        for plan in arch.plans:
            owner = f" ← {arch.organizations[plan.owner].name(lang)}" if plan.owner else ""
            if plan.directed_by:
                body = arch.organizations[plan.directed_by].name(lang)
                owner += f"（{body}の指示）" if lang == "ja" else f" (on instruction of {body})"
            plans.add(f"{plan.name(lang)} [dim]{plan.id}[/dim]{owner}")
    return root


def _add_sides(root: Tree, arch: Architecture, lang: str) -> None:
    """Force sides with their nations and the hostility codes they declare toward the others."""
    names = {side.id: side.name(lang) for side in arch.sides}
    branch = root.add("[bold]" + ("勢力（C2SIM ForceSide）" if lang == "ja" else "Force sides (C2SIM ForceSide)") + "[/bold]")
    for side in arch.sides:
        nations = ", ".join(f"{nation_label(n, lang)} ({n})" for n in side.nations) or "-"
        node = branch.add(f"{side.name(lang)} [dim]{side.id}[/dim]: {nations}")
        for other, code in side.hostility:
            word = HOSTILITY_LABELS.get(code, (code, code))[1 if lang == "ja" else 0]
            node.add(f"[yellow]{word} ({code})[/yellow] → {names.get(other, other)}")


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
                "nation": None if o.bilateral else o.nation,
                "nations": list(o.nations) if o.bilateral else None,
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
                "c2sim_uuid": o.c2sim_uuid,
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
                "interpreted_in": sorted(r.interpreted_in),
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
                "directed_by": p.directed_by,
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
            "short_name_en": arch.short_name_en,
            "short_name_ja": arch.short_name_ja,
            "guidelines": arch.guidelines,
            "era": arch.era,
            "description_en": arch.description_en,
            "description_ja": arch.description_ja,
            "source": arch.source,
            "law_as_of": arch.law_as_of.isoformat() if arch.law_as_of else None,
            "law_as_of_source": arch.law_as_of_source,
            "presupposes_reforms": list(arch.presupposes_reforms),
            "organizations": orgs,
            "relations": rels,
            "plans": plans,
            "sides": [_side_dict(side) for side in arch.sides],
        }
    )


def _side_dict(side: Side) -> dict[str, Any]:
    data = {
        "id": side.id,
        "name_en": side.name_en,
        "name_ja": side.name_ja,
        "nations": list(side.nations),
        "hostility": dict(side.hostility),
        "c2sim_uuid": side.c2sim_uuid,
        "source": side.source,
        "assumption": side.assumption,
    }
    return {k: v for k, v in data.items() if v not in (None, False, "", [], {})}
