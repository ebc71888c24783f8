"""Arrangements as catalog YAML: plain exports, commented templates to edit, and imported ids.

A user's own arrangement starts as a copy of a bundled one (`alliance-c2 new ID --from ARCH`),
written with comments that explain every section so that it can be edited without the manual
open. An imported arrangement keeps its id only when no bundled arrangement has it: otherwise
`compare 2024-proposal partner.yaml` would show two columns with the same heading.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

import yaml

from ..model import Architecture, bundled_architectures
from ..model.schema import ID_PATTERN
from ..model.vocabulary import ORGANIZATION_KINDS, reference_situation, relation_kind_ids, situation_ids
from .jsonio import arrangement_data

IMPORTED_SUFFIX = "imported"
_TOP_ID = re.compile(r"^id: .*$", re.MULTILINE)

_HEADER = """\
# Alliance C2 Workbench arrangement / 同盟指揮統制ワークベンチの体制定義
# Made by `alliance-c2 new {new_id} --from {source_id}`: a copy of {source_id} to edit.
# 既存の体制 {source_id} の複製です。自由に編集してください。
#
# Check it:  alliance-c2 validate {file_hint}           (FILE:LINE: message on any mistake)
# Use it:    alliance-c2 analyze {file_hint}
#            alliance-c2 compare {source_id} {file_hint}
#            alliance-c2 check --arch {file_hint} --situation {situation} --action use-of-force --unit UNIT
# Format:    docs/catalog-format.md
#
# Every organization and relation cites a `source:` (a statute article, a Guidelines section, a
# public document) or says `assumption: true`. The sources below are those of {source_id}: cite
# your own for what you change, or mark it as an assumption.
# 組織・関係には出典（source:）を記すか、仮定（assumption: true）と明記してください。
"""


def _sections() -> dict[str, str]:
    """The comment heading each part of a template (relation kinds and situations from the catalog)."""
    return {
        "organizations": f"""\
# --- Organizations / 組織 ---------------------------------------------------------------------------
# id        lower-case, digits and hyphens; nation-prefixed for national bodies (jpn-..., usa-...)
# name_en / name_ja   the names every report and command shows / 表示名（英語・日本語）
# nation    JPN USA ROK UN TWN ...
# kind      {' | '.join(ORGANIZATION_KINDS)}
# head_of_government: true   on each nation's civilian apex (exactly one per nation with forces)
# combined: true             only on a combined headquarters
# commander_nation           a combined HQ recorded under one nation but commanded by another's officer
# based_in                   the nation whose territory it is based in (U.S. forces in Japan: JPN)
# Law: command of a unit by another nation's HQ is refused where the unit's law keeps it (U.S. forces: COCOM
#      stays with the U.S. combatant commander; give opcon or tacon).
# Optional: echelon, sidc (APP-6C letter code), roles, alternate (who takes over if it is lost), notes.
""",
        "relations": f"""\
# --- Relations / 関係 -------------------------------------------------------------------------------
# kind      {' | '.join(relation_kind_ids())}
# from/to   authority -> subordinate (political-direction, command, opcon, tacon, adcon);
#           supporter -> supported (support); member -> body (coordination, consultation);
#           liaison cell -> the headquarters it sits with (liaison)
# active_in the situations in which the relation holds; leave it out for "always". Situations:
#           {', '.join(situation_ids())}
""",
        "plans": """\
# --- Plans / 計画 -----------------------------------------------------------------------------------
# id, name_en, name_ja, owner (the organization that drafts or holds the plan), source
""",
    }


def export_yaml(arch: Architecture) -> str:
    """The arrangement as catalog YAML; loading it again gives an identical arrangement."""
    return _dump(arrangement_data(arch))


def template_yaml(arch: Architecture, new_id: str, file_hint: str = "FILE.yaml") -> str:
    """A commented copy of `arch` with the id `new_id` and names that say what it was copied from.

    Args:
        arch: the arrangement to start from.
        new_id: the new arrangement's id (must not be a bundled id).
        file_hint: the file name the comments use in example commands.

    Returns:
        YAML text that `alliance-c2 validate` accepts as it is.
    """
    data = arrangement_data(arch)
    data["id"] = new_id
    data["name_en"] = f"{new_id} (based on {arch.id})"
    data["name_ja"] = f"{new_id}（{arch.id}を基に作成）"
    # The copy's short names (chart legends, prose) must not read as the original's ("Today (2015 Guidelines)").
    data["short_name_en"] = f"{new_id} (from {arch.short_name('en')})"
    data["short_name_ja"] = f"{new_id}（{arch.short_name('ja')}を基に作成）"
    data["description_en"] = f"A copy of {arch.id} to edit: say here what this arrangement changes and why."
    data["description_ja"] = f"{arch.id} の複製。この体制で何をなぜ変えるのかをここに記す。"
    parts = [_HEADER.format(new_id=new_id, source_id=arch.id, file_hint=file_hint, situation=reference_situation())]
    for key, value in data.items():
        if isinstance(value, list):
            parts.append("\n" + _sections().get(key, ""))
            parts.append(f"{key}:\n")
            parts.extend(_item(key, item, arch) for item in value)
        else:
            edit = "  # edit / 編集してください" if key in ("id", "name_en", "name_ja", "short_name_en", "short_name_ja") else ""
            parts.append(_dump({key: value}).rstrip("\n") + edit + "\n")
    return "".join(parts)


def _item(section: str, item: dict[str, Any], arch: Architecture) -> str:
    """One list entry; a relation gets a comment naming both ends, since it carries only ids."""
    text = _dump([item])
    if section == "relations":
        names = f"{_name(arch, item['from'])} → {_name(arch, item['to'])} ({item['kind']})"
        text = f"# {names}\n{text}"
    return text


def _name(arch: Architecture, org_id: str) -> str:
    org = arch.organizations.get(org_id)
    return f"{org.name_en} / {org.name_ja}" if org is not None else org_id


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def is_valid_id(value: str) -> bool:
    """Whether `value` can be an arrangement id (lower-case letters, digits, hyphens)."""
    return re.match(ID_PATTERN, value) is not None


def distinct_id(arch_id: str, taken: Iterable[str] | None = None) -> str:
    """`arch_id` when no bundled (or `taken`) arrangement has it, else the first free `ID-imported[-N]`."""
    used = set(bundled_architectures() if taken is None else taken)
    if arch_id not in used:
        return arch_id
    candidate = f"{arch_id}-{IMPORTED_SUFFIX}"
    n = 2
    while candidate in used:
        candidate = f"{arch_id}-{IMPORTED_SUFFIX}-{n}"
        n += 1
    return candidate


def distinct_from_bundled(yaml_text: str, arch: Architecture) -> tuple[str, Architecture, str | None]:
    """An imported arrangement with an id no bundled arrangement has, and a notice if it changed.

    Returns:
        The YAML text and the arrangement, both with the id to use, and a one-line notice saying
        which id was replaced by which (None when the source's id was kept).
    """
    new_id = distinct_id(arch.id)
    if new_id == arch.id:
        return yaml_text, arch, None
    renamed = dataclasses.replace(arch, id=new_id)
    text = _TOP_ID.sub(_dump({"id": new_id}).rstrip("\n"), yaml_text, count=1)
    notice = (
        f"the file's id {arch.id!r} is a bundled arrangement's; the imported arrangement is {new_id!r} "
        f"(edit `id:` to choose another)"
    )
    return text, renamed, notice
