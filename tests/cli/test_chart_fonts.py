"""The distribution charts (matplotlib: `simulate --plot`, notebooks) find the CJK font by its file, even when
matplotlib's font cache predates the font; the report's charts are plain SVG whose text the reader's font draws."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_c2.report.fonts import find_cjk_font_file

CHART = """
import warnings
warnings.simplefilter("always")
import io
from alliance_c2.report.fonts import pyplot
plt = pyplot()
fig, ax = plt.subplots()
ax.barh([0], [1.0])
ax.set_yticks([0], ["統合作戦司令部"])
ax.set_title("応答時間（分）")
buf = io.StringIO()
fig.savefig(buf, format="svg")
print(buf.getvalue())
"""


def _stale_cache(config_dir: Path) -> None:
    """A font cache built before the CJK fonts were installed: it does not list them."""
    subprocess.run(
        [sys.executable, "-c", "from matplotlib import font_manager as fm; fm._load_fontmanager(try_read_cache=False)"],
        env={**os.environ, "MPLCONFIGDIR": str(config_dir)}, check=True, capture_output=True,
    )
    (cache,) = config_dir.glob("fontlist-*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["ttflist"] = [f for f in data["ttflist"] if "CJK" not in f["name"] and "JP" not in f["name"]]
    cache.write_text(json.dumps(data), encoding="utf-8")


def test_japanese_chart_has_its_font_with_a_stale_cache(tmp_path: Path) -> None:
    if find_cjk_font_file() is None:
        pytest.skip("no CJK font installed (make test installs fonts-noto-cjk as root)")
    _stale_cache(tmp_path)
    proc = subprocess.run([sys.executable, "-c", CHART], env={**os.environ, "MPLCONFIGDIR": str(tmp_path)},
                          capture_output=True, text=True, check=True)
    assert "missing from font" not in proc.stderr
    assert "font-family: 'Noto Sans CJK JP'" in proc.stdout or "font-family: 'IPAexGothic'" in proc.stdout


def test_report_chart_text_is_text_in_both_languages() -> None:
    from alliance_c2.report.charts import grouped_bars, tornado

    svg = grouped_bars("c", ["弾道ミサイル"], ["統合作戦司令部"], [[1.0]], [[0.5]], [[1.5]], "応答時間", "分")
    assert "統合作戦司令部" in svg and "応答時間" in svg and "Noto Sans CJK JP" in svg
    long_title = "Compound contingency (Korean Peninsula, Taiwan and gray zone at once): The proposal − Today (2015)"
    chart = tornado("t", ["a"], [-1.0], [2.0], 0.5, long_title, "minutes", "low", "high")
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", chart))
    assert "Today (2015)" in shown  # the title is wrapped, never cut off


def test_font_file_lookup_prefers_noto_and_is_deterministic(tmp_path: Path) -> None:
    for folder, name in (("b", "ipaexg.ttf"), ("a", "NotoSansCJK-Regular.ttc"), ("c", "NotoSansCJK-Regular.ttc")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_bytes(b"")
    assert find_cjk_font_file((str(tmp_path),)) == tmp_path / "a" / "NotoSansCJK-Regular.ttc"


def test_font_file_lookup_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "my-font.otf"
    font.write_bytes(b"")
    monkeypatch.setenv("ALLIANCE_C2_CJK_FONT", str(font))
    assert find_cjk_font_file(()) == font
