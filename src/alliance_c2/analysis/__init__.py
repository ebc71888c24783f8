"""Structural analysis: interoperability level, chains of command, single points of failure."""

from .structure import (
    DEFAULT_SITUATION,
    LEVEL_RULES,
    Analysis,
    ChainOfCommand,
    SinglePoint,
    analyze,
    chains_of_command,
    compare,
    coordination_hops,
    interoperability_level,
    levels_by_situation,
    single_points_of_failure,
)

__all__ = [
    "DEFAULT_SITUATION",
    "LEVEL_RULES",
    "Analysis",
    "ChainOfCommand",
    "SinglePoint",
    "analyze",
    "chains_of_command",
    "compare",
    "coordination_hops",
    "interoperability_level",
    "levels_by_situation",
    "single_points_of_failure",
]
