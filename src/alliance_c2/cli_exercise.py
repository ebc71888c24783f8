"""The exercise commands under their old import path: kept for exercise/ (its tests import this path) until
they import `alliance_c2.cli.exercise`."""

from .cli.exercise import register

__all__ = ["register"]
