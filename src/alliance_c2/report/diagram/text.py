"""The words in a diagram: how wide a text runs at a font size, where it wraps, and what a box says.

Widths are estimated from the characters (CJK about 1 em, Latin about 0.6 em), so drawing needs no font
files and gives the same bytes everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ...model import Organization, Role

_WRAP = 136.0


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in " .,:;'|!()[]-/·":
        return 0.34
    if ch.isupper() or ch in "mwMW@%&":
        return 0.7
    return 0.58


def text_width(text: str, px: float) -> float:
    """Estimated advance of `text` at `px` (CJK about 1 em, Latin about 0.6 em)."""
    return sum(_char_em(ch) for ch in text) * px


def _break_points(text: str) -> Iterable[tuple[int, int, float]]:
    """(end of first line, start of second line, bonus) for each place the text may wrap."""
    opening, closing = "（「『(〔", "）」』)、。・ー〕"
    for i in range(1, len(text)):
        before, ch = text[i - 1], text[i]
        if ch == " ":
            yield i, i + 1, 0.0
        elif before == "-" and ch != " ":
            yield i, i, 0.0
        elif ch in opening and before != " ":
            yield i, i, 1.5
        elif (_char_em(ch) == 1.0 or _char_em(before) == 1.0) and ch not in closing and before not in opening:
            yield i, i, 0.0


def wrap(text: str, px: float, limit: float = _WRAP) -> tuple[str, ...]:
    """`text` on the fewest balanced lines (at most three) that fit `limit`."""
    if text_width(text, px) <= limit:
        return (text,)
    best: tuple[float, tuple[str, ...]] | None = None
    for end, start, bonus in _break_points(text):
        first, rest = text[:end].rstrip(), text[start:].lstrip()
        if not first or not rest:
            continue
        lines = (
            (first, *_wrap_two(rest, px))
            if text_width(first, px) <= limit < text_width(rest, px)
            else (first, rest)
        )
        score = (
            max(text_width(t, px) for t in lines)
            - bonus * px
            + (limit * len(lines) if len(lines) > 2 else 0.0)
        )
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else (text,)


def _wrap_two(text: str, px: float) -> tuple[str, ...]:
    """`text` on its two most balanced lines."""
    best: tuple[float, str, str] | None = None
    for end, start, _ in _break_points(text):
        first, second = text[:end].rstrip(), text[start:].lstrip()
        if first and second:
            score = max(text_width(first, px), text_width(second, px))
            if best is None or score < best[0]:
                best = (score, first, second)
    return (best[1], best[2]) if best else (text,)


def other_lang(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def pair(lang: str, en: str, ja: str) -> str:
    """Both languages, `lang` first: 'OPCON / 作戦統制'."""
    return f"{ja} / {en}" if lang == "ja" else f"{en} / {ja}"


def box_name(org: Organization, lang: str) -> str:
    return org.name_ja if lang == "ja" else org.name_en


def role_tag(role: Role, lang: str) -> str:
    """A short id as an acronym (JFACC), otherwise the role's name up to its first ' / '."""
    if len(role.id) <= 6 and role.id.isalnum():
        return role.id.upper()
    name = (role.name_ja if lang == "ja" and role.name_ja else role.name_en) or role.id
    return re.split(r" / |／", name)[0]
