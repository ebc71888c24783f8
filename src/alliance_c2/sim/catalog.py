"""Scenarios and parameters under their old import path, kept for exercise/ until issue 13 lands."""

from ..model.scenario import Inject, Scenario, load_scenario, scenario_ids
from .parameters import load_parameters

__all__ = ["Inject", "Scenario", "load_parameters", "load_scenario", "scenario_ids"]
