"""The catalog's table of C2SIM task verbs (TaskActionCode) and the actions they stand for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..model import CatalogError, Problem, UnknownIdError
from ..model.paths import CATALOG_DIR
from ..model.vocabulary import action_ids
from ..model.yamlsource import YamlDocument, read_yaml

TASKS_FILE = CATALOG_DIR / "c2sim-tasks.yaml"


@dataclass(frozen=True)
class TaskVerbs:
    """Both directions of the table: action -> code for export, code -> action for checking."""

    codes: dict[str, str]
    actions: dict[str, str]
    notes: dict[str, str]

    def code_for(self, action: str) -> str:
        """The TaskActionCode written for `action`; UnknownIdError listing the mapped actions."""
        try:
            return self.codes[action]
        except KeyError:
            raise UnknownIdError("action (no C2SIM task code)", action, sorted(self.codes)) from None

    def action_for(self, code: str) -> str | None:
        """The action a partner's task code is checked as, or None when the table has none."""
        return self.actions.get(code)


@cache
def task_verbs(path: str | None = None) -> TaskVerbs:
    """The bundled table (or the file at `path`), read once per process."""
    doc = read_yaml(Path(path) if path else TASKS_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    return TaskVerbs(
        codes=_pairs(doc, data, "export", "action", "code"),
        actions=_pairs(doc, data, "verbs", "code", "action"),
        notes={row["code"]: row["note_en"] for row in data.get("verbs", []) if row.get("note_en")},
    )


def _pairs(doc: YamlDocument, data: dict[str, Any], section: str, key: str, value: str) -> dict[str, str]:
    """One section as key -> value; every row needs both, a source or `assumption: true`, no repeats."""
    out: dict[str, str] = {}
    for i, row in enumerate(data.get(section) or []):
        loc = (section, i)
        if not isinstance(row, dict) or not isinstance(row.get(key), str) or not isinstance(row.get(value), str):
            raise CatalogError([doc.problem(loc, f"{section}[{i}]: needs {key} and {value}")])
        if not row.get("source") and row.get("assumption") is not True:
            raise CatalogError([doc.problem(loc, f"{section}[{i}]: no source (add source: or assumption: true)")])
        if row[key] in out:
            raise CatalogError([doc.problem(loc, f"{section}[{i}]: {row[key]} is listed twice")])
        out[row[key]] = row[value]
    return out


def validate_task_verbs(doc: YamlDocument, strict: bool) -> list[Problem]:
    """What `alliance-c2 validate` says of a c2sim-tasks file: each section's rows, and actions the catalog has."""
    data = doc.data if isinstance(doc.data, dict) else {}
    try:
        pairs = (_pairs(doc, data, "export", "action", "code"), _pairs(doc, data, "verbs", "code", "action"))
    except CatalogError as exc:
        return exc.problems
    known = set(action_ids())
    return [doc.problem((section, i), f"{section}[{i}]: unknown action {action!r}")
            for section, table, by_action in (("export", pairs[0], True), ("verbs", pairs[1], False))
            for i, (key, value) in enumerate(table.items())
            if (action := key if by_action else value) not in known]


VALIDATORS = {"c2sim-tasks": validate_task_verbs}
