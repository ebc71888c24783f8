"""Arrangements at a glance: the listing of `architectures` and the overview of `compare-all` and the report.

The levels in the catalog's reference and ordinary situations (`reference:` and `ordinary:` in
situations.yaml) are serialized as `level_<situation id with underscores>`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..model import Architecture
from ..model.vocabulary import ordinary_situation, reference_situation
from .levels import interoperability_level, levels_by_situation
from .structure import analyze, cross_national_control


def level_key(situation: str) -> str:
    """The JSON key of the level in `situation`: `level_` and the situation's id with underscores for hyphens."""
    return "level_" + situation.replace("-", "_")


@dataclass(frozen=True)
class ArrangementSummary:
    """One line of `alliance-c2 architectures`."""

    id: str
    name_en: str
    name_ja: str
    guidelines: str | None
    era: str | None
    organizations: int
    relations: int
    level_reference: str  # the level in the reference situation
    level_ordinary: str  # the level in the ordinary situation

    def to_dict(self) -> dict[str, Any]:
        """As `architectures --json` prints it."""
        data = asdict(self)
        data[level_key(reference_situation())] = data.pop("level_reference")
        data[level_key(ordinary_situation())] = data.pop("level_ordinary")
        return data


def summarize(arch: Architecture) -> ArrangementSummary:
    """The arrangement's listing line."""
    return ArrangementSummary(
        arch.id, arch.name_en, arch.name_ja, arch.guidelines, arch.era, len(arch.organizations), len(arch.relations),
        interoperability_level(arch, reference_situation())[0], interoperability_level(arch, ordinary_situation())[0],
    )


@dataclass(frozen=True)
class OverviewRow:
    """An arrangement's level in every situation and its structure in the reference situation."""

    id: str
    name_en: str
    name_ja: str
    levels: dict[str, str]  # situation -> level
    organizations: int
    command_depth: int
    coordination_hops_mean: float | None
    cross_national_opcon: int
    single_points_of_failure: int
    civilian_control_ok: bool
    reference_level: str
    reference_evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """As `compare-all --json` prints it and results.json keeps it."""
        data = asdict(self)
        data[level_key(reference_situation())] = data.pop("reference_level")
        data["level_evidence"] = list(data.pop("reference_evidence"))
        return data


def overview(archs: list[Architecture]) -> list[OverviewRow]:
    """One row per arrangement."""
    rows = []
    situation = reference_situation()
    for arch in archs:
        an = analyze(arch, situation)
        decision = an.level_decision
        rows.append(
            OverviewRow(
                id=arch.id,
                name_en=arch.name_en,
                name_ja=arch.name_ja,
                levels=levels_by_situation(arch),
                organizations=an.counts["organizations"],
                command_depth=an.command_depth,
                coordination_hops_mean=an.coordination_hops.get("mean"),
                cross_national_opcon=cross_national_control(an),
                single_points_of_failure=len(an.single_points_of_failure),
                civilian_control_ok=an.civilian_control["ok"],
                reference_level=decision.level,
                reference_evidence=decision.evidence,
            )
        )
    return rows
