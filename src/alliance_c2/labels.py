"""Names in English and Japanese for everything the command line, the report and the exercise show.

`pick(lang, en, ja)` chooses between two forms; the lookups name situations, actions, approvals, relation
kinds and nations from the catalog's vocabulary, levels from the level catalog and organizations from
their arrangement; law catalog entries (constraints, reforms) carry their own names. No domain name is
written here. The one table kept here is the labels of the simulation's metrics, which are the product's
own measures, not catalog vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from .model import Architecture
from .model.levels import level_catalog
from .model.vocabulary import term_name, vocabulary

if TYPE_CHECKING:
    from .law import LawCatalog

LANGUAGES = ("en", "ja")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
# The simulation's metrics as tables and charts label them; `executed_LEVEL` is named from levels.yaml.
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "response_time": ("response time (min)", "応答時間（分）"),
    "deadline_met": ("deadline met (share)", "期限内対処率"),
    "sync_gap": ("synchronization gap (min)", "日米の行動時刻差（分）"),
    "messages": ("messages", "メッセージ数"),
    "refused": ("orders refused", "拒否された命令"),
    "conflicts": ("conflicts", "競合"),
    "peak_queue": ("peak staff queue", "幕僚の最大待ち件数"),
    "findings": ("legal constraints hit", "該当した法的制約の数"),
    "executed": ("responses executed (share)", "実行された対処の割合"),
}
_EXECUTED_AT = "executed_"


class Named(Protocol):
    """Anything with names in both languages."""

    @property
    def name_en(self) -> str: ...

    @property
    def name_ja(self) -> str: ...


def pick(lang: str, en: str, ja: str) -> str:
    """The Japanese form when `lang` is ja (and there is one), else the English."""
    return ja if lang == "ja" and ja else en


def name_of(item: Named, lang: str) -> str:
    """The name of a catalog entry in `lang`."""
    return pick(lang, item.name_en, item.name_ja)


def situation_name(situation: str, lang: str) -> str:
    """A situation's name (its id if the catalog does not have it)."""
    return term_name(vocabulary().situations, situation, lang)


def situation_names(lang: str) -> dict[str, str]:
    """Every situation id -> its name, in the catalog's order."""
    return {t.id: t.name(lang) for t in vocabulary().situations}


def level_name(level: str, lang: str) -> str:
    """An interoperability level's name: the study's term."""
    found = level_catalog().levels.get(level)
    return found.name(lang) if found is not None else level


def level_rank(level: str) -> int:
    """0 for the lowest level, upwards (for colours and ordering)."""
    ids = level_catalog().ids
    return ids.index(level) if level in ids else 0


def action_name(action: str, lang: str) -> str:
    """An action's name (its id if the catalog does not have it)."""
    return term_name(vocabulary().actions, action, lang)


def approval_name(approval: str, lang: str) -> str:
    """An approval's name (its id if the catalog does not have it)."""
    return term_name(vocabulary().approvals, approval, lang)


def metric_label(metric: str, lang: str) -> str:
    """A simulation metric's label (its id when it has none)."""
    if metric in METRIC_LABELS:
        return pick(lang, *METRIC_LABELS[metric])
    level = metric.removeprefix(_EXECUTED_AT)
    if metric.startswith(_EXECUTED_AT) and level in level_catalog().levels:
        return pick(lang, f"orders run at level {level_name(level, 'en')}", f"{level_name(level, 'ja')}で実行された命令")
    return metric


def relation_kind_name(kind: str, lang: str) -> str:
    """A relation kind's name ("OPCON", 作戦統制)."""
    return term_name(vocabulary().relation_kinds, kind, lang)


def nation_name(nation: str, lang: str) -> str:
    """A nation's name from its code (the code if the catalog does not have it)."""
    return term_name(vocabulary().nations, nation, lang)


def guideline_category_name(category: str, lang: str) -> str:
    """The name of a kind of Guidelines element (premise, role division, ...)."""
    return term_name(vocabulary().guideline_categories, category, lang)


def bilateral_label(nations: Iterable[str], lang: str) -> str:
    """'bilateral: Japan / United States' in `lang`."""
    names = " / ".join(nation_name(n, lang) for n in nations)
    return pick(lang, f"bilateral: {names}", f"二国間機関: {names}")


def org_name(arch: Architecture | None, org_id: str, lang: str) -> str:
    """An organization's name in `lang` (its id when the arrangement does not have it)."""
    org = arch.organizations.get(org_id) if arch is not None else None
    return org.name(lang) if org is not None else org_id


def org_names(arch: Architecture | None, ids: Iterable[str], lang: str, sep: str = ", ") -> str:
    """Several organizations' names, joined by `sep`."""
    return sep.join(org_name(arch, i, lang) for i in ids)


def named(arch: Architecture, text: str, lang: str) -> str:
    """`text` with organization ids and nation codes replaced by their names (in Japanese; English keeps ids)."""
    if lang != "ja":
        return text
    nations = {t.id for t in vocabulary().nations}

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in arch.organizations:
            return org_name(arch, token, lang)
        return nation_name(token, lang) if token in nations else token

    return _TOKEN.sub(name, text)


def constraint_label(catalog: LawCatalog, constraint: str, lang: str) -> str:
    """`C2-entanglement` in English; `C2 武力行使への加担（一体化）` in Japanese."""
    spec = catalog.constraints.get(constraint)
    if lang != "ja" or spec is None:
        return constraint
    return f"{constraint.split('-')[0]} {spec.name(lang)}"


def catalog_names(entries: Mapping[str, Named], ids: Iterable[str], lang: str, sep: str = ", ") -> str:
    """The names of law catalog entries (reforms, situations ...) by id, joined; unknown ids as they are."""
    return sep.join(name_of(entries[i], lang) if i in entries else i for i in ids)
