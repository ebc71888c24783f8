"""Charts find the CJK font by its file, even when matplotlib's font cache predates the font."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_c2.report.fonts import find_cjk_font_file

CHART = """
import warnings
warnings.simplefilter("always")
from alliance_c2.report.charts import grouped_bars
svg = grouped_bars("c", ["弾道ミサイル"], ["統合作戦司令部"], [[1.0]], [[0.5]], [[1.5]], "応答時間", "分")
print(svg)
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
