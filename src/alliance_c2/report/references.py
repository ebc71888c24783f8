"""Citations a reader can follow: catalog `source:` strings rewritten into document titles, and a reference list.

The catalog cites the project's research notes by file name (`seed-summary.md §4`, `legal-digest.yaml ...
(S18)`); a reader of the report has the documents, not those files. `catalog/references.yaml` names every
document with its full title in both languages and the short forms the catalog uses for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model.errors import Problem
from ..model.paths import CATALOG_DIR
from ..model.yamlsource import YamlDocument, read_yaml

_DIGEST = re.compile(r"legal-digest\.yaml[^;()]*?(\((S\d+(?:,\s*S\d+)*)\))")
_DIGEST_PLAIN = re.compile(r"legal-digest\.yaml[\w.\[\]/ -]*")
_S_KEYS = re.compile(r"\bS\d{1,2}\b")


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    title_en: str
    title_ja: str
    url: str | None
    short_en: str | None
    short_ja: str | None
    match: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """The documents the catalog cites, by id."""
    items = read_yaml(CATALOG_DIR / "references.yaml").data["items"]
    return {
        i["id"]: Reference(i["id"], i["title_en"], i["title_ja"], i.get("url"), i.get("short_en"), i.get("short_ja"),
                           tuple(i.get("match") or ()))
        for i in items
    }


def readable(source: str, lang: str = "en") -> tuple[str, list[str]]:
    """The citation as a reader can follow it, and the ids of the documents it names."""
    refs = references()
    cited: list[str] = []
    text = source

    def digest(m: re.Match[str]) -> str:
        keys = [k.strip() for k in m.group(2).split(",")]
        cited.extend(k for k in keys if k in refs)
        return "[" + ", ".join(keys) + "]"

    text = _DIGEST.sub(digest, text)
    text = _DIGEST_PLAIN.sub("public sources" if lang == "en" else "公開資料", text)
    for ref in refs.values():
        for name in ref.match:
            if name in text:
                short = (ref.short_ja if lang == "ja" else ref.short_en) or ref.title(lang)
                text = text.replace(name, short)
                cited.append(ref.id)
    cited.extend(k for k in _S_KEYS.findall(text) if k in refs)
    return text, list(dict.fromkeys(cited))


def reference_list(sources: list[str], lang: str = "en") -> tuple[list[str], list[Reference]]:
    """Every source rewritten, and the documents they cite, in order of first citation."""
    texts, ids = [], []
    for src in sources:
        text, cited = readable(src, lang)
        texts.append(text)
        ids.extend(cited)
    refs = references()
    return list(dict.fromkeys(texts)), [refs[i] for i in dict.fromkeys(ids)]


def validate_references(doc: YamlDocument, strict: bool) -> list[Problem]:
    """What `alliance-c2 validate` says of a references file: every document has an id and both titles, once."""
    items = doc.data.get("items") if isinstance(doc.data, dict) else None
    if not isinstance(items, list) or not items:
        return [doc.problem(("items",), "items: a list of documents with id, title_en and title_ja is required")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "title_en", "title_ja")):
            problems.append(doc.problem(("items", i), f"items[{i}]: needs id, title_en and title_ja"))
            continue
        if item["id"] in seen:
            problems.append(doc.problem(("items", i, "id"), f"items[{i}].id: duplicate id {item['id']!r}"))
        seen.add(item["id"])
    return problems


VALIDATORS = {"references": validate_references}
