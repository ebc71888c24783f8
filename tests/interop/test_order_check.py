"""Orders both ways: `order export` writes valid C2SIM, `order check` maps a partner's tasks and asks the law."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from alliance_c2.cli.interop import register
from alliance_c2.interop import (
    OrderRecord,
    check_order,
    import_c2sim,
    order_message,
    parse_order,
    parse_xml,
    read_order,
    schema_problems,
)
from alliance_c2.law import check
from alliance_c2.model import CatalogError, load_architecture

DATA = Path(__file__).resolve().parent / "data"
EDITIONS = ("2.0.0", "1.1", "1.0.0")


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    return app


@pytest.fixture(scope="module")
def tno_arrangement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tno") / "tno.yaml"
    out.write_text(import_c2sim(DATA / "MessageWithC2SimInit.xml").yaml(), encoding="utf-8")
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_order_export_validates_against_each_edition(tmp_path: Path, edition: str) -> None:
    out = tmp_path / "order.xml"
    args = ["order", "export", "--arch", "2024-proposal", "--action", "bmd-intercept", "--unit", "jpn-adc"]
    result = CliRunner().invoke(_cli(), [*args, "--ordered-by", "jpn-jjoc", "--c2sim-schema", edition, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schema_problems(parse_xml(out.read_bytes(), "order.xml"), edition, "order.xml") == []
    # An order of 1.0.0 is also a valid CWIX2025 order (same namespace, same layout): read as 1.1 unless forced.
    assert read_order(out, edition=edition).edition == edition


def test_order_export_refuses_a_non_military_performer() -> None:
    args = ["order", "export", "--arch", "2024-proposal", "--action", "use-of-force", "--unit", "jpn-pm"]
    result = CliRunner().invoke(_cli(), [*args, "--ordered-by", "jpn-cabinet"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "jpn-pm" in lines[0] and "military performing unit" in lines[0]


def test_order_export_with_a_situation_says_the_verdict() -> None:
    args = ["order", "export", "--arch", "2024-proposal", "--action", "use-of-force", "--unit", "usa-7th-fleet"]
    result = CliRunner().invoke(_cli(), [*args, "--ordered-by", "jpn-jjoc", "--situation", "peacetime"])
    assert result.exit_code == 0
    verdict = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc")
    assert not verdict.allowed
    assert "in peacetime this order is NOT allowed" in result.output


def test_tno_order_maps_every_performer_and_reports_unmapped_verbs(tno_arrangement: Path) -> None:
    arch = load_architecture(tno_arrangement)
    result = check_order(arch, read_order(DATA / "MessageWithOrder.xml"))
    assert len(result.tasks) == 11
    assert all(t.unit is not None for t in result.tasks)
    verbs = {t.task.verb: t.status for t in result.tasks}
    assert verbs == {"MOVE": "unmapped", "TRANS": "unmapped", "DEFEND": "not-allowed"}
    defend = next(t for t in result.tasks if t.task.verb == "DEFEND")
    assert defend.action == "use-of-force" and defend.verdict is not None
    assert defend.verdict == check(arch, "peacetime", "use-of-force", defend.unit)
    assert not result.all_allowed


def test_cli_order_check_exit_codes_and_json(tno_arrangement: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(_cli(), ["order", "check", str(DATA / "MessageWithOrder.xml"), "--arch", str(tno_arrangement), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["counts"] == {"allowed": 0, "not-allowed": 1, "unmapped": 10}
    assert data["edition"] == "2.0.0" and len(data["tasks"]) == 11


def _own_order(tmp_path: Path, edition: str = "2.0.0") -> Path:
    arch = load_architecture("2024-proposal")
    records = [
        OrderRecord("jpn-jjoc", "jpn-adc", "bmd-intercept", timedelta(0)),
        OrderRecord("jpn-jjoc", "usa-7th-fleet", "use-of-force", timedelta(minutes=5)),
        OrderRecord("jpn-jjoc", "jpn-sdf-fleet", "minesweeping", timedelta(minutes=9)),
    ]
    path = tmp_path / f"order-{edition}.xml"
    path.write_bytes(order_message(arch, records, schema=edition, issued=datetime(2030, 1, 1, tzinfo=UTC)))
    return path


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("situation", ["peacetime", "armed-attack"])
def test_own_orders_come_back_as_the_same_actions_and_verdicts(tmp_path: Path, edition: str, situation: str) -> None:
    arch = load_architecture("2024-proposal")
    result = check_order(arch, read_order(_own_order(tmp_path, edition)), situation)
    assert result.ordered_by == "jpn-jjoc"
    assert [(t.unit, t.action) for t in result.tasks] == [
        ("jpn-adc", "bmd-intercept"),
        ("usa-7th-fleet", "use-of-force"),
        ("jpn-sdf-fleet", "minesweeping"),
    ]
    for task in result.tasks:
        assert task.unit is not None and task.action is not None
        assert task.verdict == check(arch, situation, task.action, task.unit, "jpn-jjoc")


def test_cli_exit_0_only_when_every_task_is_allowed(tmp_path: Path) -> None:
    arch = load_architecture("2024-proposal")
    path = tmp_path / "one.xml"
    path.write_bytes(order_message(arch, [OrderRecord("jpn-jjoc", "jpn-adc", "isr", timedelta(0))]))
    assert check(arch, "peacetime", "isr", "jpn-adc", "jpn-jjoc").allowed
    runner = CliRunner()
    ok = runner.invoke(_cli(), ["order", "check", str(path), "--arch", "2024-proposal"])
    assert ok.exit_code == 0, ok.output
    mixed = runner.invoke(_cli(), ["order", "check", str(_own_order(tmp_path)), "--arch", "2024-proposal"])
    assert mixed.exit_code == 1


def test_japanese_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["order", "check", str(_own_order(tmp_path)), "--arch", "2024-proposal", "--lang", "ja"])
    assert "不可" in result.output and "事態" in result.output and "平時" in result.output


def test_parse_order_reads_bytes_for_the_web_service(tmp_path: Path) -> None:
    order = parse_order(_own_order(tmp_path).read_bytes(), "POST body")
    assert [t.verb for t in order.tasks] == ["INTCEP", "ATTACK", "MINSWP"]


@pytest.mark.parametrize(
    ("sample", "needle"),
    [
        ("MessageWithC2SimInit.xml", "this is an initialization message"),
        ("C2SIMInitialization_small.xml", "this is an initialization message"),
        ("position-report.xml", "this is a report message (ReportBody), not an order"),
        ("c2simheader-auth.xml", "this is a report message"),
        ("C2SIMInitialization_extra_field.xml", "unsupported C2SIM schema version"),
    ],
)
def test_files_that_are_not_orders_give_one_line(sample: str, needle: str) -> None:
    result = CliRunner().invoke(_cli(), ["order", "check", str(DATA / sample), "--arch", "2024-proposal"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_order_with_no_known_units_is_reported_not_guessed(tmp_path: Path) -> None:
    result = check_order(load_architecture("2024-proposal"), read_order(DATA / "MessageWithOrder.xml"))
    assert {t.status for t in result.tasks} == {"unmapped"}
    assert all("is not an organization of 2024-proposal" in (t.problem_en or "") for t in result.tasks)


def test_bad_order_file_is_catalog_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(b"<Message xmlns='http://www.sisostds.org/schemas/C2SIM/2.0.0-cwix2026'><oops/></Message>")
    with pytest.raises(CatalogError) as exc:
        read_order(path)
    assert "oops is not a C2SIM message body" in str(exc.value.problems[0])
