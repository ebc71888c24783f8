"""The Python examples in docs/python-api.md run as written (except the long evaluation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _blocks() -> list[str]:
    text = (REPO / "docs" / "python-api.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_python_api_examples_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = [b for b in _blocks() if "evaluate(" not in b]
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/python-api.md", "exec"), namespace)
    assert (tmp_path / "bmd-salvo-response.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert namespace["verdict"].allowed is False  # type: ignore[attr-defined]
    assert namespace["partner"].architecture.id == "2024-proposal-imported"  # type: ignore[attr-defined]
    assert set(namespace["whole"]["arch"]) == {"2015-guidelines", "2024-proposal"}  # type: ignore[index]
