"""Simulation: event kernel, C2 process model, metrics and the Monte Carlo runner."""

from .collector import METRICS, TraceEvent
from .compiled import FaultEvent
from .parameters import Parameters, load_parameters
from .runner import SimulationError, SimulationResult, simulate, simulate_one, trace_run

__all__ = [
    "METRICS",
    "FaultEvent",
    "Parameters",
    "SimulationError",
    "SimulationResult",
    "TraceEvent",
    "load_parameters",
    "simulate",
    "simulate_one",
    "trace_run",
]
