"""The bundled catalogs an exercise refers to: arrangements, situations, reforms, scenarios.

The web service never opens user paths: an exercise names a bundled arrangement and scenario by id,
and every id is checked here (422 naming the field and the choices) before anything is stored.
"""

from __future__ import annotations

from functools import lru_cache

from ...law import default_catalog
from ...model import Architecture, bundled_architectures, load_architecture
from ...model.scenario import Inject, Scenario, load_scenario, scenario_ids
from .errors import invalid


@lru_cache(maxsize=32)
def arrangement(arch_id: str) -> Architecture:
    """A bundled arrangement; 422 when unknown."""
    ids = list(bundled_architectures())
    if arch_id not in ids:
        raise invalid(f"arrangement {arch_id!r} unknown; choose from: {', '.join(ids)}")
    return load_architecture(arch_id)


def arrangements() -> list[str]:
    return list(bundled_architectures())


def situations() -> tuple[str, ...]:
    return tuple(default_catalog().situations)


def reforms() -> tuple[str, ...]:
    return tuple(default_catalog().reforms)


def check_situation(situation: str) -> None:
    known = situations()
    if situation not in known:
        raise invalid(f"situation {situation!r} unknown; choose from: {', '.join(known)}")


def check_reforms(chosen: list[str]) -> None:
    known = reforms()
    unknown = [r for r in chosen if r not in known]
    if unknown:
        raise invalid(f"reform(s) {', '.join(unknown)} unknown; choose from: {', '.join(known)}")


def scenarios() -> list[str]:
    return list(scenario_ids())


@lru_cache(maxsize=32)
def scenario(scenario_id: str) -> Scenario:
    """A bundled scenario (files shipped with the package, so read once per process); 422 when unknown."""
    if scenario_id not in scenario_ids():
        raise invalid(f"scenario {scenario_id!r} unknown; choose from: {', '.join(scenario_ids())}")
    return load_scenario(scenario_id)


def scenario_of(scenario_id: str | None) -> Scenario | None:
    return scenario(scenario_id) if scenario_id else None


@lru_cache(maxsize=32)
def injects_by_id(scenario_id: str) -> dict[str, Inject]:
    return {i.id: i for i in scenario(scenario_id).injects}


def typical_minutes(approval: str | None) -> int | None:
    """How long an approval typically takes (law catalog), or None when the catalog gives no figure."""
    found = default_catalog().approvals.get(approval or "")
    return found.typical_minutes if found is not None else None


def actions() -> list[str]:
    return sorted(default_catalog().actions)


def warm_up() -> None:
    """Load every catalog the requests use, so that the first requests do not pay for it."""
    situations()
    for arch_id in bundled_architectures():
        arrangement(arch_id)
    for scenario_id in scenario_ids():
        injects_by_id(scenario_id)
