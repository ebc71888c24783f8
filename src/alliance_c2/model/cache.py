"""A content-keyed pickle cache for validated bundled catalog data.

Validating the catalog needs pydantic, whose import and schema build cost about 0.2 s; commands
that only read bundled data (`alliance-c2 analyze`, `alliance-c2 check`) should not pay it. The
key is a hash of the files' bytes, so an edited file is never served stale.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")
CACHE_VERSION = 7  # 3: c2sim_uuid, sides; 4: nations, interpreted_in, directed_by, law_as_of; 6: both allies' law; 7: home


def cache_dir() -> Path:
    """$ALLIANCE_C2_CACHE_DIR, else the user's cache directory."""
    override = os.environ.get("ALLIANCE_C2_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alliance-c2"


def cached(name: str, contents: Iterable[bytes], kind: type[_T], build: Callable[[], _T]) -> _T:
    """The object built from `contents`: from the cache when present, else built and stored."""
    digest = hashlib.sha256(f"{CACHE_VERSION}".encode())
    for chunk in contents:
        digest.update(hashlib.sha256(chunk).digest())
    path = cache_dir() / f"{name}-{digest.hexdigest()[:24]}.pickle"
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
        if isinstance(value, kind):
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache directory only costs speed
    return value
