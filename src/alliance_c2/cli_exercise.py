"""The exercise commands under their old import path, kept for exercise/ until issue 13 lands."""

from .cli.exercise import register

__all__ = ["register"]
