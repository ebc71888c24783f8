"""Bilateral bodies: `nations: [A, B]` in the format, validated, shown, and belonging to both nations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from alliance_c2.api import validate as validate_any
from alliance_c2.model import load_architecture
from alliance_c2.model.load import civilian_reach

# A U.S. HQ and a Japanese HQ, each under its own head of government, and a bilateral committee that
# both take part in and that directs a combined headquarters recorded under Japan.
BILATERAL = """kind: architecture
id: pair
name_en: Pair
name_ja: 二国
source: test
law_as_of: 2025-03-24
law_as_of_source: test
organizations:
  - {id: jpn-pm, name_en: PM, name_ja: 首相, nation: JPN, kind: political-authority, head_of_government: true, source: test}
  - {id: usa-president, name_en: President, name_ja: 大統領, nation: USA, kind: political-authority, head_of_government: true, source: test}
  - {id: jpn-hq, name_en: Japanese HQ, name_ja: 日本の司令部, nation: JPN, kind: headquarters, source: test}
  - {id: usa-hq, name_en: U.S. HQ, name_ja: 米国の司令部, nation: USA, kind: headquarters, source: test}
  - id: committee
    name_en: Military committee
    name_ja: 軍事委員会
    nations: [JPN, USA]
    kind: consultative-body
    source: test
  - {id: combined-hq, name_en: Combined HQ, name_ja: 連合司令部, nation: JPN, kind: headquarters, combined: true, source: test}
relations:
  - {from: jpn-pm, to: jpn-hq, kind: command, source: test}
  - {from: usa-president, to: usa-hq, kind: command, source: test}
  - {from: jpn-hq, to: committee, kind: consultation, source: test}
  - {from: usa-hq, to: committee, kind: consultation, source: test}
  - {from: committee, to: combined-hq, kind: political-direction, source: test}
"""

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pair.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path, strict: bool = False) -> list[str]:
    return [str(p) for p in validate_any(path, strict=strict) if p.severity == "error"]


@pytest.mark.parametrize(
    ("arch_id", "bodies", "nations"),
    [
        ("2024-proposal", {"scc", "adcc", "acg", "edd", "alliance-planning-cell"}, ("JPN", "USA")),
        ("2024-integrated", {"scc", "adcc", "acg", "edd", "alliance-planning-cell"}, ("JPN", "USA")),
        ("2015-guidelines", {"scc", "jc", "acg", "bocc", "ccc", "sdc", "bpm", "edd"}, ("JPN", "USA")),
        ("1997-guidelines", {"scc", "sdc", "jcg", "bcc", "bpc"}, ("JPN", "USA")),
        ("1978-guidelines", {"scc", "sdc", "coordination-center-1978"}, ("JPN", "USA")),
        ("us-rok-cfc", {"scm", "mcm"}, ("ROK", "USA")),
    ],
)
def test_bundled_bilateral_bodies_belong_to_both_nations(arch_id: str, bodies: set[str], nations: tuple[str, str]) -> None:
    arch = load_architecture(arch_id)
    assert {o.id for o in arch.organizations.values() if o.bilateral} == bodies
    for body in bodies:
        org = arch.organizations[body]
        assert org.member_nations() == nations
        assert all(org.belongs_to(n) for n in nations)


def test_national_organizations_are_not_bilateral() -> None:
    jjoc = load_architecture("2024-proposal").organizations["jpn-jjoc"]
    assert not jjoc.bilateral and jjoc.combined
    assert jjoc.member_nations() == ("JPN",)
    assert not jjoc.belongs_to("USA")


def test_bilateral_file_is_valid_and_its_body_is_reached_through_both_nations_members(tmp_path: Path) -> None:
    path = _write(tmp_path, BILATERAL)
    assert validate_any(path, strict=True) == []
    arch = load_architecture(path)
    reached = civilian_reach(arch.organizations, arch.relations, arch.heads_of_government())
    assert {"committee", "combined-hq"} <= reached


def test_without_a_members_link_the_combined_headquarters_has_no_civilian_chain(tmp_path: Path) -> None:
    text = BILATERAL.replace("  - {from: jpn-hq, to: committee, kind: consultation, source: test}\n", "")
    errors = _errors(_write(tmp_path, text), strict=True)
    assert any("'combined-hq': no civilian chain to 'jpn-pm'" in e for e in errors), errors


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("both keys", "    nations: [JPN, USA]\n", "    nations: [JPN, USA]\n    nation: JPN\n", "give either nation"),
        ("neither key", "    nations: [JPN, USA]\n", "", "give either nation"),
        ("one nation", "nations: [JPN, USA]", "nations: [JPN]", "at least 2 items"),
        ("twice", "nations: [JPN, USA]", "nations: [JPN, JPN]", "names a nation twice"),
        ("bad code", "nations: [JPN, USA]", "nations: [JPN, usa]", "should match pattern"),
    ],
)
def test_malformed_nations_name_the_line(tmp_path: Path, name: str, old: str, new: str, message: str) -> None:
    path = _write(tmp_path, BILATERAL.replace(old, new))
    errors = _errors(path)
    assert errors, name
    match = LINE.match(errors[0])
    assert match is not None and match["path"] == str(path)
    assert int(match["line"]) in range(11, 17), errors[0]  # the committee's lines
    assert message in errors[0]
    assert "Value error" not in errors[0]


def test_a_head_of_government_cannot_be_bilateral(tmp_path: Path) -> None:
    text = BILATERAL.replace(
        "{id: jpn-pm, name_en: PM, name_ja: 首相, nation: JPN,", "{id: jpn-pm, name_en: PM, name_ja: 首相, nations: [JPN, USA],"
    )
    errors = _errors(_write(tmp_path, text))
    assert any("a head of government belongs to one nation" in e for e in errors), errors


def test_cli_validate_refuses_both_keys_with_one_line(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, BILATERAL.replace("    nations: [JPN, USA]\n", "    nations: [JPN, USA]\n    nation: JPN\n"))
    code, _, err = cli("validate", str(path))
    assert code == 2
    assert err.strip().splitlines()[0].startswith(f"{path}:")
    assert "Traceback" not in err


def test_show_marks_bilateral_bodies_in_both_languages(cli) -> None:
    code, out, _ = cli("show", "2024-proposal")
    assert code == 0
    assert "bilateral: Japan / United States" in out
    code, out, _ = cli("show", "2024-proposal", "--lang", "ja")
    assert code == 0
    assert "二国間機関: 日本 / 米国" in out


def test_show_json_writes_nations_for_a_bilateral_body_and_round_trips(cli, tmp_path: Path) -> None:
    code, out, _ = cli("show", "us-rok-cfc", "--json")
    assert code == 0
    data = json.loads(out)
    mcm = next(o for o in data["organizations"] if o["id"] == "mcm")
    assert mcm["nations"] == ["ROK", "USA"] and "nation" not in mcm
    path = tmp_path / "copy.json"
    path.write_text(out, encoding="utf-8")
    code, _, err = cli("import", str(path), "--format", "json", "-o", str(tmp_path / "copy.yaml"))
    assert code == 0, err
    assert load_architecture(tmp_path / "copy.yaml").organizations["mcm"].bilateral
