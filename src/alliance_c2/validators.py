"""`alliance-c2 validate`: every catalog kind, dispatched on the file's top-level `kind:` key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Problem, validate_file
from .model.load import Validator


def _kind_validators() -> dict[str, Validator]:
    validators: dict[str, Validator] = {}
    # Each layer contributes the kinds it owns; a layer not yet present simply adds none.
    for module_name in (
        "alliance_c2.model.guidelines",
        "alliance_c2.model.levels",
        "alliance_c2.law.catalog",
        "alliance_c2.sim.catalog",
    ):
        try:
            module: Any = __import__(module_name, fromlist=["VALIDATORS"])
        except ModuleNotFoundError:
            continue
        validators.update(getattr(module, "VALIDATORS", {}))
    return validators


def validate_any(path: str | Path, *, strict: bool = False) -> list[Problem]:
    """Every problem in one catalog file of any kind."""
    return validate_file(path, strict=strict, validators=_kind_validators())
