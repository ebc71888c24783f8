"""Structural analysis: interoperability level, chains of command, single points of failure."""

from typing import Any

from .levels import (
    LevelResult,
    interoperability_level,
    level_of,
    level_rule_texts,
    levels_by_situation,
)
from .structure import (
    DEFAULT_SITUATION,
    Analysis,
    ChainOfCommand,
    SinglePoint,
    analyze,
    chains_of_command,
    compare,
    coordination_hops,
    single_points_of_failure,
)

__all__ = [
    "DEFAULT_SITUATION",
    "Analysis",
    "ChainOfCommand",
    "LevelResult",
    "SinglePoint",
    "analyze",
    "chains_of_command",
    "compare",
    "coordination_hops",
    "interoperability_level",
    "level_of",
    "level_rule_texts",
    "levels_by_situation",
    "single_points_of_failure",
]


def __getattr__(name: str) -> Any:
    # `LEVEL_RULES` (level -> its tests in English and Japanese) is read from catalog/levels.yaml
    # on first use rather than at import, for the report that still imports it by that name.
    if name == "LEVEL_RULES":
        return level_rule_texts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
