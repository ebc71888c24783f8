"""Results as HTML tables for Jupyter (`_repr_html_`): one small helper every layer's result type uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any


def html_table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An HTML table with a caption; cells are escaped text, numbers right-aligned."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append(f'<td style="text-align:right">{value:.2f}</td>')
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<td style="text-align:right">{value}</td>')
            else:
                cells.append(f"<td>{escape('' if value is None else str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="alliance-c2"><caption style="text-align:left"><b>{escape(caption)}</b></caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
