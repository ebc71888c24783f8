"""Scenarios and parameters under their old import path: kept for exercise/ until it imports them from
`alliance_c2.model.scenario` and `alliance_c2.sim.parameters`."""

from ..model.scenario import Inject, Scenario, load_scenario, scenario_ids
from .parameters import load_parameters

__all__ = ["Inject", "Scenario", "load_parameters", "load_scenario", "scenario_ids"]
