"""The font the charts draw Japanese with, found by its file rather than through matplotlib's cache.

matplotlib lists the system's fonts once and caches the list. A font installed later (for example
`fonts-noto-cjk` installed by `make test` after `make demo` had built the cache) stays invisible,
and Japanese labels come out as missing glyphs under 'DejaVu Sans'. Looking the font file up on
disk and registering it explicitly gives the same charts whatever order things were installed in.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_ENV = "ALLIANCE_C2_CJK_FONT"
# Preferred first: Debian/Ubuntu fonts-noto-cjk, then other Noto and IPA packagings.
CJK_FONT_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKjp-Regular.otf",
    "NotoSansJP-Regular.otf",
    "NotoSansJP-Regular.ttf",
    "ipaexg.ttf",
    "ipag.ttf",
)
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
)
LATIN_FALLBACK = "DejaVu Sans"


def find_cjk_font_file(dirs: tuple[str, ...] = FONT_DIRS) -> Path | None:
    """The first CJK font file by preference ($ALLIANCE_C2_CJK_FONT first), or None."""
    override = os.environ.get(FONT_ENV)
    if override and Path(override).is_file():
        return Path(override)
    found: dict[str, list[Path]] = {}
    wanted = set(CJK_FONT_FILES)
    for base in dirs:
        root = Path(base).expanduser()
        if not root.is_dir():
            continue
        for folder, _, files in os.walk(root):
            for name in wanted.intersection(files):
                found.setdefault(name, []).append(Path(folder) / name)
    for name in CJK_FONT_FILES:
        if name in found:
            return sorted(found[name])[0]
    return None


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """Register the CJK font file with matplotlib and return its family name (None: no CJK font)."""
    from matplotlib import font_manager

    path = find_cjk_font_file()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def pyplot() -> Any:
    """matplotlib's pyplot, headless, with text kept as text and drawn in a font that has Japanese."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = cjk_family()
    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            # The report's CSS names the CJK fonts again for the browser that finally draws the text.
            "font.family": [family, LATIN_FALLBACK] if family else [LATIN_FALLBACK],
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt
