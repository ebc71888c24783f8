"""Alliance C2 Workbench: alliance command-and-control arrangements as executable data.

The public API::

    from alliance_c2 import load_architecture, analyze, check, audit, simulate, evaluate, export, import_file

The names are imported when first used (the simulation alone needs NumPy and its workers, about
0.3 s), so that `import alliance_c2` and the command line stay fast; type checkers and IDEs see
the real functions through the imports below.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .analysis import compare as compare
    from .analysis import interoperability_level as interoperability_level
    from .api import Exported as Exported
    from .api import Imported as Imported
    from .api import analyze as analyze
    from .api import audit as audit
    from .api import check as check
    from .api import evaluate as evaluate
    from .api import export as export
    from .api import import_file as import_file
    from .api import load_architecture as load_architecture
    from .api import simulate as simulate
    from .model import Architecture as Architecture
    from .model import CatalogError as CatalogError
    from .model import UnknownIdError as UnknownIdError
    from .model import bundled_architectures as bundled_architectures
    from .model import validate_file as validate_file
    from .model.guidelines import diff_guidelines as diff_guidelines
    from .model.guidelines import load_guidelines as load_guidelines
    from .report.distributions import response_time_figure as response_time_figure

_EXPORTS = {
    "load_architecture": "alliance_c2.api",
    "analyze": "alliance_c2.api",
    "check": "alliance_c2.api",
    "audit": "alliance_c2.api",
    "simulate": "alliance_c2.api",
    "evaluate": "alliance_c2.api",
    "export": "alliance_c2.api",
    "import_file": "alliance_c2.api",
    "Exported": "alliance_c2.api",
    "Imported": "alliance_c2.api",
    "response_time_figure": "alliance_c2.report.distributions",
    "bundled_architectures": "alliance_c2.model",
    "validate_file": "alliance_c2.model",
    "Architecture": "alliance_c2.model",
    "CatalogError": "alliance_c2.model",
    "UnknownIdError": "alliance_c2.model",
    "compare": "alliance_c2.analysis",
    "interoperability_level": "alliance_c2.analysis",
    "load_guidelines": "alliance_c2.model.guidelines",
    "diff_guidelines": "alliance_c2.model.guidelines",
}

__all__ = [
    "Architecture",
    "CatalogError",
    "Exported",
    "Imported",
    "UnknownIdError",
    "analyze",
    "audit",
    "bundled_architectures",
    "check",
    "compare",
    "diff_guidelines",
    "evaluate",
    "export",
    "import_file",
    "interoperability_level",
    "load_architecture",
    "load_guidelines",
    "response_time_figure",
    "simulate",
    "validate_file",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alliance_c2' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
