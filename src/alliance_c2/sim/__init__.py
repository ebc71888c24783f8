"""Simulation: event kernel, C2 process model, metrics and the Monte Carlo runner."""

from .catalog import Parameters, Scenario, load_parameters, load_scenario, scenario_ids
from .collector import METRICS, TraceEvent
from .compiled import FaultEvent
from .runner import SimulationError, SimulationResult, simulate, simulate_one, trace_run


def scenarios() -> list[Scenario]:
    """The bundled scenarios."""
    return [load_scenario(s) for s in scenario_ids()]


__all__ = [
    "METRICS",
    "FaultEvent",
    "Parameters",
    "Scenario",
    "SimulationError",
    "SimulationResult",
    "TraceEvent",
    "load_parameters",
    "load_scenario",
    "scenario_ids",
    "scenarios",
    "simulate",
    "simulate_one",
    "trace_run",
]
