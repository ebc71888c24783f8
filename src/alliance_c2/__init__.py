"""Alliance C2 Workbench: alliance command-and-control arrangements as executable data.

The public API is re-exported here lazily, so `import alliance_c2` stays cheap for the CLI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_architecture": "alliance_c2.model",
    "bundled_architectures": "alliance_c2.model",
    "validate_file": "alliance_c2.model",
    "Architecture": "alliance_c2.model",
    "analyze": "alliance_c2.analysis",
    "compare": "alliance_c2.analysis",
    "interoperability_level": "alliance_c2.analysis",
    "load_guidelines": "alliance_c2.model.guidelines",
    "diff_guidelines": "alliance_c2.model.guidelines",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alliance_c2' has no attribute {name!r}")
    return getattr(import_module(module), name)
