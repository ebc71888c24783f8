"""Where the catalog is: the bundled directory, or another one named by $ALLIANCE_C2_CATALOG.

A research group can keep its own copy of the catalog (a situation added with its law, say) and point
every command at it; the variable is read once, when the package is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

CATALOG_ENV = "ALLIANCE_C2_CATALOG"
BUNDLED_CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog"
CATALOG_DIR = Path(os.environ.get(CATALOG_ENV) or BUNDLED_CATALOG_DIR)
ARCHITECTURES_DIR = CATALOG_DIR / "architectures"
