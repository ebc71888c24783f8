"""Structural analysis: interoperability level, chains of command, single points of failure."""

from .levels import (
    LevelResult,
    interoperability_level,
    level_of,
    level_rule_texts,
    levels_by_situation,
)
from .overview import ArrangementSummary, OverviewRow, level_key, overview, summarize
from .structure import (
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
    "Analysis",
    "ArrangementSummary",
    "ChainOfCommand",
    "LevelResult",
    "OverviewRow",
    "SinglePoint",
    "analyze",
    "chains_of_command",
    "compare",
    "coordination_hops",
    "interoperability_level",
    "level_key",
    "level_of",
    "level_rule_texts",
    "levels_by_situation",
    "overview",
    "single_points_of_failure",
    "summarize",
]
