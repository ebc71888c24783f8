"""Every command in Japanese names organizations, situations, levels, actions and approvals in Japanese.

A catalog id may appear only beside its Japanese name (the id column of a listing, or an id shown
after the name); an English level name may not appear at all.
"""

from __future__ import annotations

import re

import pytest

from alliance_c2.cli import run
from alliance_c2.law import default_catalog
from alliance_c2.model import bundled_architectures, load_architecture

LEVELS_EN = ("deconflict", "coordinated", "integrated", "unified")


def _japanese_names() -> dict[str, set[str]]:
    """Every organization, situation, action and approval id -> its Japanese names (per arrangement)."""
    names: dict[str, set[str]] = {}
    for arch_id in bundled_architectures():
        for org in load_architecture(arch_id).organizations.values():
            names.setdefault(org.id, set()).add(org.name_ja)
    law = default_catalog()
    for table in (law.situations, law.actions, law.approvals):
        for item in table.values():
            names.setdefault(item.id, set()).add(item.name_ja)
    return names


NAMES = _japanese_names()
# ASCII boundaries: Japanese letters count as word characters for \b and \w.
_ID = re.compile(r"(?<![A-Za-z0-9.-])(" + "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True)) + r")(?![A-Za-z0-9-])")
_LEVEL = re.compile(r"(?<![A-Za-z.-])(" + "|".join(LEVELS_EN) + r")(?![A-Za-z-])")  # not inside ids


def _untranslated(text: str) -> list[str]:
    """Lines that show a catalog id without its Japanese name, or an English level name."""
    bad = []
    for line in text.splitlines():
        if _LEVEL.search(line):
            bad.append(line)
            continue
        for match in _ID.finditer(line):
            if not any(name in line for name in NAMES[match.group(1)]):
                bad.append(line)
                break
    return bad


ALLOWED = ("check", "--arch", "2015-guidelines", "--situation", "armed-attack", "--action", "bmd-intercept",
           "--unit", "jpn-sdf-fleet")
BRIEF = ("check", "--arch", "2024-proposal", "--situation", "peacetime", "--action", "use-of-force",
         "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc")

COMMANDS = [
    ("architectures",),
    ("show", "2024-proposal"),
    ("analyze", "2015-guidelines"),
    ("analyze", "2024-proposal", "--situation", "peacetime", "--all"),
    ("analyze", "us-rok-cfc", "--situation", "survival-threatening"),
    ("compare", "2015-guidelines", "2024-proposal"),
    ("compare", "1978-guidelines", "us-rok-cfc", "--situation", "peacetime", "--all"),
    ("compare-all",),
    ("guidelines",),
    ("guidelines", "show", "2015"),
    ("guidelines", "diff", "2015", "2024-proposal"),
    ALLOWED,
    BRIEF,
    ("check", "--arch", "2024-proposal", "--situation", "armed-attack", "--action", "isr", "--unit", "usa-7th-fleet",
     "--ordered-by", "jpn-jjoc", "--reform", "opcon-transfer-act"),
    ("check", "--arch", "1978-guidelines", "--situation", "peacetime", "--action", "bmd-intercept", "--unit",
     "jpn-sdf-fleet", "--ordered-by", "jpn-jda-director-general"),
    ("audit", "2024-proposal"),
    ("audit", "2015-guidelines", "--reform", "opcon-transfer-act"),
    ("situations",),
    ("actions",),
    ("reforms",),
    ("scenarios",),
    ("simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines,2024-proposal", "--runs", "3", "--workers", "1"),
    ("sensitivity", "--scenario", "cyber-jjoc", "--arch", "2015-guidelines,2024-proposal", "--runs", "2", "--workers", "1"),
    ("evaluate", "--runs", "3", "--arch", "2015-guidelines,2024-proposal", "--scenario", "bmd-salvo", "--out", "report"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]) if isinstance(a, tuple) else None)
def test_japanese_output_names_everything_in_japanese(argv: tuple[str, ...], capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping: a name and its id stay on one line
    monkeypatch.chdir(tmp_path)
    code = run([*argv, "--lang", "ja"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    assert out.strip()
    assert _untranslated(out) == []


def test_the_rule_catches_ids_and_english_levels() -> None:
    assert _untranslated("jpn-jjocはpeacetimeにおいて") == ["jpn-jjocはpeacetimeにおいて"]
    assert _untranslated("相互運用性レベル: coordinated") == ["相互運用性レベル: coordinated"]
    assert _untranslated("統合作戦司令部 (jpn-jjoc) → 自衛艦隊") == []


def test_environment_language_applies_without_lang(capsys, monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_C2_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "400")
    assert run(["architectures"]) == 0
    out = capsys.readouterr().out
    assert "収録された指揮統制体制" in out and _untranslated(out) == []
