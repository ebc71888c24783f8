"""`show`: an arrangement as a tree of authority for the terminal (rich), in English or Japanese."""

from __future__ import annotations

from collections.abc import Mapping

from rich.tree import Tree

from ...labels import bilateral_label, nation_name, pick, relation_kind_name
from ...model import Architecture
from ...model.vocabulary import COMMAND_KINDS

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
        roles = ", ".join(pick(lang, r.name_en or r.id, r.name_ja) for r in org.roles)
        text = f"{org.name(lang)} [dim]{other} · {org.id}[/dim]"
        if org.combined:
            text += " [magenta]" + pick(lang, "combined HQ", "連合司令部") + "[/magenta]"
        if org.bilateral:
            text += f" [magenta]{bilateral_label(org.member_nations(), lang)}[/magenta]"
        if roles:
            text += f" [cyan]({roles})[/cyan]"
        if via:
            text = f"[yellow]{relation_kind_name(via, lang)}[/yellow] → " + text
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
        nation = "" if org.bilateral else f" [dim]{nation_name(org.nation, lang)}[/dim]"
        branch = root.add(f"[bold]{label(head, None)}[/bold]{nation}")
        grow(branch, head, frozenset({head}))
    others = [o for o in arch.organizations.values() if o.id not in placed]
    tied = [o for o in others if arch.relations_to(o.id) or arch.relations_from(o.id)]
    if tied:
        heading = pick(lang, "Coordination, consultation and liaison", "調整・協議・連絡機関")
        extra = root.add(f"[bold]{heading}[/bold]")
        for org in tied:
            node = extra.add(label(org.id, None))
            for rel in arch.relations_to(org.id):
                node.add(f"[yellow]{relation_kind_name(rel.kind, lang)}[/yellow] ← {arch.organizations[rel.from_id].name(lang)}")
            for rel in arch.relations_from(org.id):
                node.add(f"[yellow]{relation_kind_name(rel.kind, lang)}[/yellow] → {arch.organizations[rel.to_id].name(lang)}")
    loose = [o for o in others if o not in tied]
    if loose:
        heading = pick(lang, "Organizations without relations", "関係の定義されていない組織")
        extra = root.add(f"[bold]{heading}[/bold]")
        for org in loose:
            extra.add(label(org.id, None) + f" [dim]{nation_name(org.nation, lang)}[/dim]")
    if arch.sides:
        _add_sides(root, arch, lang)
    if arch.plans:
        heading = pick(lang, "Plans", "計画")
        plans = root.add(f"[bold]{heading}[/bold]")
        for plan in arch.plans:
            owner = f" ← {arch.organizations[plan.owner].name(lang)}" if plan.owner else ""
            if plan.directed_by:
                body = arch.organizations[plan.directed_by].name(lang)
                owner += pick(lang, f" (on instruction of {body})", f"（{body}の指示）")
            plans.add(f"{plan.name(lang)} [dim]{plan.id}[/dim]{owner}")
    return root


def _add_sides(root: Tree, arch: Architecture, lang: str) -> None:
    """Force sides with their nations and the hostility codes they declare toward the others."""
    names = {side.id: side.name(lang) for side in arch.sides}
    branch = root.add("[bold]" + pick(lang, "Force sides (C2SIM ForceSide)", "勢力（C2SIM ForceSide）") + "[/bold]")
    for side in arch.sides:
        nations = ", ".join(f"{nation_name(n, lang)} ({n})" for n in side.nations) or "-"
        node = branch.add(f"{side.name(lang)} [dim]{side.id}[/dim]: {nations}")
        for other, code in side.hostility:
            word = pick(lang, *HOSTILITY_LABELS.get(code, (code, code)))
            node.add(f"[yellow]{word} ({code})[/yellow] → {names.get(other, other)}")
