"""docs/example.ipynb runs from top to bottom in a real Jupyter kernel, and its results display as tables."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "example.ipynb"


def test_example_notebook_runs_and_shows_tables(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    # An analysis, a verdict, a simulation result, a pandas frame and an evaluation, each as an HTML table.
    assert len(html) >= 5 and all("<table" in h for h in html)
    assert any("better than today?" in h for h in html)
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "better than today?" in printed
    assert json.loads(NOTEBOOK.read_text(encoding="utf-8"))["nbformat"] == 4
