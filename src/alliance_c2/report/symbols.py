"""APP-6 symbols drawn from SIDCs by milsymbol (vendored, MIT), run in an embedded QuickJS engine.

milsymbol is the maintained reference renderer of MIL-STD-2525 / APP-6 letter and number codes
(npm `milsymbol`); running the same JavaScript server side keeps `diagram -o FILE.svg`, the report
and the exercise pages identical and free of scripts. No symbol geometry is drawn here. The engine
starts on the first symbol (about 30 ms) and each code is rendered once per process.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import quickjs

MILSYMBOL_JS = Path(__file__).resolve().parent / "vendor" / "milsymbol.js"
MILSYMBOL_VERSION = "3.0.4"
_SVG_OPEN = re.compile(r"^<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
_PRELUDE = "var module = {exports: {}}; var exports = module.exports;"
_RENDER = """;
var ms = module.exports;
function renderSymbol(sidc, size) {
  var s = new ms.Symbol(sidc, {size: size});
  var box = s.getSize(), anchor = s.getAnchor();
  return JSON.stringify({svg: s.asSVG(), valid: s.isValid(), width: box.width, height: box.height,
                         ax: anchor.x, ay: anchor.y});
}
"""


@dataclass(frozen=True)
class Symbol:
    """One rendered symbol: its SVG document, size in px and anchor (centre of the frame)."""

    sidc: str
    svg: str
    width: float
    height: float
    anchor_x: float
    anchor_y: float
    valid: bool

    def placed(self, x: float, y: float, scale: float = 1.0) -> str:
        """The symbol as a nested <svg> element with its top-left corner at (x, y), scaled."""
        view = _VIEWBOX.search(self.svg)
        body = _SVG_OPEN.sub("", self.svg, count=1).removesuffix("</svg>")
        box = f'viewBox="{view.group(1)}" ' if view else ""
        return (
            f'<svg class="app6" data-sidc="{self.sidc}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{self.width * scale:.1f}" height="{self.height * scale:.1f}" {box}overflow="visible">'
            f"{body}</svg>"
        )


class _Engine:
    """A QuickJS context holding milsymbol; calls are serialized (a context is single-threaded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._context: Any = None

    def render(self, sidc: str, size: float) -> dict[str, Any]:
        with self._lock:
            if self._context is None:
                context = quickjs.Context()
                context.eval(_PRELUDE + MILSYMBOL_JS.read_text(encoding="utf-8") + _RENDER)
                self._context = context
            result: dict[str, Any] = json.loads(self._context.eval(f"renderSymbol({json.dumps(sidc)}, {size})"))
            return result


_ENGINE = _Engine()


@lru_cache(maxsize=4096)
def render_symbol(sidc: str, size: float = 24.0) -> Symbol:
    """The APP-6 symbol for a letter (15-character) or number (20/30-digit) SIDC at `size`.

    `valid` is milsymbol's own judgement; an invalid code still renders (as a framed question
    mark), so a bad code shows up on the page instead of vanishing.
    """
    data = _ENGINE.render(sidc, size)
    return Symbol(
        sidc=sidc,
        svg=data["svg"],
        width=float(data["width"]),
        height=float(data["height"]),
        anchor_x=float(data["ax"]),
        anchor_y=float(data["ay"]),
        valid=bool(data["valid"]),
    )
