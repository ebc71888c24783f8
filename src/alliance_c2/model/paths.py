"""Where the catalog is: the bundled directory, or another one named by $ALLIANCE_C2_CATALOG.

A research group can keep its own copy of the catalog (a situation added with its law, say) and point
every command at it; the variable is read once, when the package is imported.

Law has a folder of its own, one per legal order: `law/<nation>/rules.yaml` is a nation's law (what its
forces need from its own authorities, and what it says when they serve under another nation's commander),
`law/treaties/*.yaml` the treaties between the nations. One nation's statute is also kept per action and
situation, with its dated provisions (`law/<nation>/actions.yaml`, `provisions.yaml`): the actions file
names that nation (`jurisdiction:`) and is the catalog's list of actions.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

CATALOG_ENV = "ALLIANCE_C2_CATALOG"
BUNDLED_CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog"
CATALOG_DIR = Path(os.environ.get(CATALOG_ENV) or BUNDLED_CATALOG_DIR)
ARCHITECTURES_DIR = CATALOG_DIR / "architectures"
LAW_DIR = "law"
TREATIES_DIR = "treaties"
NATIONAL_LAW_FILE = "rules.yaml"


@lru_cache(maxsize=16)
def _law_file(directory: str, name: str) -> Path:
    found = sorted((Path(directory) / LAW_DIR).glob(f"*/{name}"))
    # With no such file (a catalog being built), name a path that does not exist: the error then names it.
    return found[0] if found else Path(directory) / LAW_DIR / name


def actions_file(directory: Path = CATALOG_DIR) -> Path:
    """The statute per action and situation (`law/<nation>/actions.yaml`)."""
    return _law_file(str(directory), "actions.yaml")


def provisions_file(directory: Path = CATALOG_DIR) -> Path:
    """The dated provisions that statute rests on (`law/<nation>/provisions.yaml`)."""
    return _law_file(str(directory), "provisions.yaml")


def national_law_files(directory: Path = CATALOG_DIR) -> tuple[Path, ...]:
    """Each nation's law (`law/<nation>/rules.yaml`), in folder order."""
    return tuple(sorted((directory / LAW_DIR).glob(f"*/{NATIONAL_LAW_FILE}")))


def treaty_files(directory: Path = CATALOG_DIR) -> tuple[Path, ...]:
    """The treaties between the nations (`law/treaties/*.yaml`), in file order."""
    return tuple(sorted((directory / LAW_DIR / TREATIES_DIR).glob("*.yaml")))


def catalog_root_of(path: Path) -> Path:
    """The catalog directory a catalog file belongs to (the one holding `situations.yaml`), else the bundled one."""
    for parent in path.resolve().parents:
        if (parent / "situations.yaml").exists():
            return parent
    return CATALOG_DIR
