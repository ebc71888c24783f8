"""catalog/c2sim-tasks.yaml: every code is a TaskActionCode of every edition, every action is in the law catalog."""

from __future__ import annotations

import pytest
from lxml import etree

from alliance_c2.interop import SCHEMAS, task_action_code, task_verbs
from alliance_c2.interop.schema import SCHEMA_DIR
from alliance_c2.law import default_catalog

XS = "{http://www.w3.org/2001/XMLSchema}"


def _task_codes(edition: str) -> set[str]:
    root = etree.parse(str(SCHEMA_DIR / SCHEMAS[edition].file)).getroot()
    simple = next(el for el in root if el.get("name") == "TaskActionCodeType")
    return {e.get("value") or "" for e in simple.iter(f"{XS}enumeration")}


@pytest.mark.parametrize("edition", list(SCHEMAS))
def test_every_code_is_in_the_schema(edition: str) -> None:
    table = task_verbs()
    codes = set(table.codes.values()) | set(table.actions)
    assert codes - _task_codes(edition) == set()


def test_every_action_is_a_catalog_action() -> None:
    table = task_verbs()
    actions = set(default_catalog().actions)
    assert set(table.codes) - actions == set()
    assert set(table.actions.values()) - actions == set()


def test_exported_codes_read_back_as_their_action_except_the_documented_share() -> None:
    table = task_verbs()
    differs = {action for action, code in table.codes.items() if table.action_for(code) != action}
    assert differs == {"civil-protection-dispatch"}
    assert task_action_code("civil-protection-dispatch") == task_action_code("transport-of-nationals")


def test_a_row_without_source_or_assumption_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alliance_c2.model import CatalogError

    path = tmp_path / "tasks.yaml"
    path.write_text("kind: c2sim-tasks\nexport:\n- {action: isr, code: SURVEL}\nverbs: []\n", encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        task_verbs(str(path))
    assert str(exc.value.problems[0]).endswith(":3: export[0]: no source (add source: or assumption: true)")
