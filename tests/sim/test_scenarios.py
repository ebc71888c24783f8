import pytest

from alliance_c2.api import validate as validate_any
from alliance_c2.model import CatalogError, UnknownIdError
from alliance_c2.model.scenario import SCENARIOS_DIR, load_scenario, scenario_ids
from alliance_c2.sim import load_parameters
from alliance_c2.sim.parameters import PARAMETERS_FILE

EXPECTED = {
    "bmd-salvo", "iamd-counterstrike", "gray-zone-senkaku", "taiwan-strait", "compound-contingency", "cyber-jjoc",
    "large-scale-disaster",
}


def test_all_seven_scenarios_are_bundled():
    assert set(scenario_ids()) == EXPECTED


@pytest.mark.parametrize("path", [*sorted(SCENARIOS_DIR.glob("*.yaml")), PARAMETERS_FILE], ids=lambda p: p.name)
def test_bundled_files_validate_strictly(path):
    assert [str(p) for p in validate_any(path, strict=True)] == []


def test_unknown_scenario_names_the_choices():
    with pytest.raises(UnknownIdError, match="did you mean 'bmd-salvo'"):
        load_scenario("bmd-salv")


def test_malformed_scenario_reports_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: scenario\nid: x\nsituation: peacetime\ninjects:\n- id: a\n  time: -1\n")
    with pytest.raises(CatalogError) as exc:
        load_scenario(bad)
    assert str(exc.value).startswith(f"{bad}:")


def test_parameter_override_changes_one_value(tmp_path):
    override = tmp_path / "p.yaml"
    override.write_text("kind: sim-parameters\nparameters:\n- {id: sync.coordination-cadence, value: 5}\n")
    params = load_parameters(override)
    assert params["sync.coordination-cadence"] == 5
    assert params["delay.command"] == load_parameters()["delay.command"]


def test_unknown_parameter_in_override_is_an_error(tmp_path):
    override = tmp_path / "p.yaml"
    override.write_text("kind: sim-parameters\nparameters:\n- {id: delay.comand, value: 5}\n")
    with pytest.raises(CatalogError, match=r":3: .*did you mean 'delay\.command'"):
        load_parameters(override)
