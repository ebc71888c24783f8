import json

import typer
from typer.testing import CliRunner

from alliance_c2.cli import sim as cli_sim

app = typer.Typer()
cli_sim.register(app)
runner = CliRunner()


def test_simulate_json():
    res = runner.invoke(app, ["simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines,2024-proposal",
                              "--runs", "5", "--workers", "1", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data["arrangements"]) == {"2015-guidelines", "2024-proposal"}


def test_unknown_org_in_fault_exits_2():
    res = runner.invoke(app, ["simulate", "--scenario", "bmd-salvo", "--arch", "2024-proposal", "--fault", "nope@5"])
    assert res.exit_code == 2


def test_unknown_scenario_and_negative_runs_exit_2():
    assert runner.invoke(app, ["simulate", "--scenario", "nope", "--arch", "2024-proposal"]).exit_code == 2
    assert runner.invoke(app, ["simulate", "--scenario", "bmd-salvo", "--arch", "2024-proposal",
                               "--runs", "-3"]).exit_code == 2


def test_csv_export(tmp_path):
    out = tmp_path / "runs.csv"
    res = runner.invoke(app, ["simulate", "--scenario", "cyber-jjoc", "--arch", "2015-guidelines", "--runs", "3",
                              "--workers", "1", "--json", "--csv", str(out)])
    assert res.exit_code == 0 and out.read_text().startswith("arch,scenario,run,inject")


def test_scenarios_lists_seven():
    res = runner.invoke(app, ["scenarios", "--json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 7
