"""An arrangement as a hand-written SVG briefing diagram: text metrics (`text`), layout (`layout`), SVG (`svg`).

Layered top-down (political level, consultative bodies, headquarters, component commands, units,
liaison cells), nations in columns (the host nation left, combined and consultative bodies in the
centre, the United States right).
"""

from .layout import A4_LANDSCAPE_PX
from .svg import FONT_FAMILY, architecture_svg

__all__ = ["A4_LANDSCAPE_PX", "FONT_FAMILY", "architecture_svg"]
