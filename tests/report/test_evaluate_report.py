"""The main job: `evaluate` writes a self-contained report whose figures equal results.json,
and the report opens in real Chromium without console errors, in both languages."""

from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from alliance_c2.report.evaluate import evaluate, write_report

SCENARIOS = ["bmd-salvo", "iamd-counterstrike"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SECTIONS = ["answer", "arrangements", "legal", "simulation", "validation", "sensitivity", "guidelines", "assumptions",
            "references"]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("report-en")
    return evaluate(runs=20, scenarios=SCENARIOS, lang="en", out=out, seed=7, sensitivity_runs=3)


@pytest.fixture(scope="module", params=["en", "ja"])
def report(request: pytest.FixtureRequest, english: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Any]:
    lang = request.param
    if lang == "en":
        return lang, english.out_dir, english
    out = tmp_path_factory.mktemp("report-ja")
    return lang, out, write_report(english, "ja", out)


def test_writes_report_json_and_csv(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    assert {"report.html", "results.json", "results.csv"} <= {p.name for p in out.iterdir()}


def test_report_is_self_contained(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", text), "external resource referenced"
    assert "@import" not in text and "<script src" not in text
    assert text.count("<svg") >= 5 + 4  # five diagrams and the charts, inline
    assert "seed-summary.md" not in text and "legal-digest.yaml" not in text


def _number(text: str) -> tuple[float, float]:
    """The printed number and half a unit of its last printed digit."""
    value = float(text)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return value, 0.5 * 10**-decimals + 1e-9


def test_every_figure_in_the_html_equals_results_json(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    figures = json.loads((out / "results.json").read_text(encoding="utf-8"))["figures"]
    doc = lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    cells = doc.xpath("//*[@data-key]")
    assert len(cells) > 100
    for cell in cells:
        key = cell.get("data-key")
        assert key in figures, key
        # A cell that shows a word for a value carries the value itself in data-value (e.g. a verdict).
        text = cell.get("data-value") or cell.text_content().strip()
        expected = figures[key]
        if isinstance(expected, str):
            assert expected in text, (key, text)
        elif expected is None:
            assert text == "—", key
        else:
            value, tolerance = _number(text)
            assert abs(value - expected) <= tolerance, (key, text, expected)


def test_csv_holds_the_same_figures(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    figures = json.loads((out / "results.json").read_text(encoding="utf-8"))["figures"]
    with (out / "results.csv").open(encoding="utf-8") as fh:
        rows = {r["key"]: r["value"] for r in csv.DictReader(fh)}
    assert set(rows) == set(figures)
    for key, value in figures.items():
        assert rows[key] == ("" if value is None else str(value)), key


def test_answer_rows_have_verdicts_and_intervals(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    answer = json.loads((out / "results.json").read_text(encoding="utf-8"))["answer"]
    assert answer["baseline"] == "2015-guidelines"
    rows = answer["rows"]
    assert {r["scenario"] for r in rows} == set(SCENARIOS)
    for r in rows:
        assert r["lawful"] is True
        assert {"scenario", "arch", "lawful", "verdict", "metrics"} <= set(r)
        assert r["verdict"] in ({None} if r["arch"] == answer["baseline"] else {"faster", "slower", "no-difference"})
        rt = r["metrics"]["response_time"]
        assert rt["ci95"][0] <= rt["mean"] <= rt["ci95"][1]
    proposal = [r for r in rows if r["arch"] == "2024-proposal"]
    assert proposal and all(r["reforms"] == ["opcon-transfer-act"] for r in proposal)
    assert all(not r["lawful"] for r in answer["not_lawful_today"])


def test_answer_paragraph_follows_the_table(report: tuple[str, Path, Any]) -> None:
    lang, out, _ = report
    answer = json.loads((out / "results.json").read_text(encoding="utf-8"))["answer"]
    doc = lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    shown = "\n\n".join(p.text_content() for p in doc.xpath("//div[@id='answer-paragraph']/p"))
    assert shown == answer["paragraph_ja" if lang == "ja" else "paragraph_en"]
    for r in answer["rows"]:
        if r["verdict"] == "faster":
            assert ("現行より速い" if lang == "ja" else "faster than today") in shown
    assert "not lawful" not in shown and "違法" not in shown


def test_validation_rows_name_anchor_source_and_range(report: tuple[str, Path, Any]) -> None:
    _, out, _ = report
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["validation"]
    assert {"bmd-window", "c2-approach-effectiveness", "combined-command-handover"} <= {r["anchor"] for r in rows}
    for r in rows:
        assert r["source"] and r["published"]
        if r["within"] is not True:
            assert r["explanation_en"] and r["explanation_ja"]


def test_legal_table_shows_c4_cleared_by_the_transfer_act(report: tuple[str, Path, Any]) -> None:
    _, _, evaluation = report
    legal = evaluation.legal
    assert legal.matrix["2024-proposal"]["C4-transfer-law"] > 0
    assert legal.with_reform["2024-proposal"]["opcon-transfer-act"]["C4-transfer-law"] == 0
    assert legal.matrix["2015-guidelines"]["C4-transfer-law"] == 0


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip("Debian's chromium is not installed (make system-deps installs it as root)")
    return path


def test_report_opens_in_chromium_without_console_errors(report: tuple[str, Path, Any]) -> None:
    lang, out, _ = report
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "report.html").as_uri())
        for section in SECTIONS:
            assert page.locator(f"section#{section}").count() == 1, section
            assert page.locator(f"section#{section} h2").inner_text().strip()
        assert page.locator("section").first.get_attribute("id") == "answer"
        # The numbers a reader sees in the browser are the numbers in results.json.
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('[data-key]'))"
            ".map(e => [e.dataset.key, e.dataset.value || e.textContent.trim()])"
        )
        figures = json.loads((out / "results.json").read_text(encoding="utf-8"))["figures"]
        assert any(k.startswith("answer/") for k, _ in shown) and any(k.startswith("validation/") for k, _ in shown)
        for key, text in shown:
            expected = figures[key]
            if isinstance(expected, str):
                assert expected in text, (key, text)
            elif expected is None:
                assert text == "—", key
            else:
                value, tolerance = _number(text)
                assert abs(value - expected) <= tolerance, (key, text, expected)
        assert page.locator("svg").count() >= 9
        shot = ARTIFACTS / f"report-{lang}.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    assert shot.stat().st_size > 20_000


def test_japanese_report_is_in_japanese(report: tuple[str, Path, Any]) -> None:
    lang, out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    if lang == "ja":
        assert '<html lang="ja">' in text
        for word in ("結論", "法的制約", "シミュレーション結果", "統合作戦司令部", "公表された時間との照合"):
            assert word in text
    else:
        assert '<html lang="en">' in text and "The answer" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--arch", "2015-guidelines,nowhere"], "nowhere"),
        (["--scenario", "bmd-salvo,nothing"], "nothing"),
        (["--out", "/etc/hostname/report"], "/etc/hostname/report"),
    ],
)
def test_bad_input_is_refused_before_any_simulation(tmp_path: Path, args: list[str], needle: str) -> None:
    import subprocess
    import sys

    out = tmp_path / "report"
    cmd = [sys.executable, "-m", "alliance_c2.cli", "evaluate", *args]
    if "--out" not in args:
        cmd += ["--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in proc.stderr
    assert not out.exists()  # refused before anything ran or was written


def test_a_more_integrated_arrangement_that_is_slower_is_explained(report: tuple[str, Path, Any]) -> None:
    lang, out, _ = report
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    from alliance_c2.model import level_ids
    from alliance_c2.model.scenario import load_scenario

    rank = {row["id"]: level_ids().index(row["level_armed_attack"]) for row in results["structure"]["rows"]}
    main = results["answer"]["main"]
    expected = 0
    for scen, variants in results["simulation"]["cases"].items():
        lawful = variants["lawful"]
        for more in main:
            for less in main:
                a, b = lawful[more]["response_time"], lawful[less]["response_time"]
                if rank[more] > rank[less] and a["mean"] is not None and b["mean"] is not None \
                        and a["ci95_low"] > b["ci95_high"]:
                    expected += 1
                    text = [s[lang] for s in results["surprises"] if load_scenario(scen).short_name(lang) in s[lang]
                            and f"{lawful[more]['order_paths']['approvals_per_order']:.2f}" in s[lang]]
                    assert text, (scen, more, less)
    # Whether any such case occurs depends on the run: the rule itself is tested on a case made to have one below.
    assert expected >= 0


def test_the_rule_explains_a_more_integrated_arrangement_that_is_slower() -> None:
    """A case where the more integrated arrangement's interval lies wholly above the other's is named, with the
    approvals and hops its orders carry."""
    from alliance_c2.report.evaluate import _more_integrated_slower
    from alliance_c2.report.results import CaseResult, SimulationSuite

    def case(mean: float, low: float, high: float, approvals: float) -> CaseResult:
        metrics = {"response_time": {"n": 20, "mean": mean, "p50": mean, "p90": high, "ci95_low": low, "ci95_high": high}}
        paths = {"orders": 4, "approvals_per_order": approvals, "foreign_approvals_per_order": 1.0, "hops_per_order": 6.0}
        return CaseResult(metrics, {}, {}, paths, [], None)  # type: ignore[arg-type]

    lawful = {"2024-proposal": case(60.0, 55.0, 65.0, 3.5), "2024-integrated": case(44.0, 42.0, 46.0, 1.0),
              "2015-guidelines": case(58.0, 50.0, 66.0, 1.0)}
    suite = SimulationSuite(["iamd-counterstrike"], {}, 0.0, {"iamd-counterstrike": {"lawful": lawful}}, {})
    integration = {"2015-guidelines": 1, "2024-integrated": 2, "2024-proposal": 3}
    found = _more_integrated_slower(suite, list(lawful), integration)
    assert len(found) == 1  # the proposal against the integrated alternative; against today the intervals overlap
    assert "3.50 approvals each against 1.00" in found[0].en and "60 vs 44 min" in found[0].en
    assert "3.50件対1.00件" in found[0].ja


def test_pdf_opens_with_the_one_sentence_answer_in_both_languages(report: tuple[str, Path, Any]) -> None:
    _lang, out, evaluation = report
    if evaluation.pdf_problem and "no Chromium" in evaluation.pdf_problem:
        pytest.skip("Debian's chromium is not installed (make system-deps installs it as root)")
    assert evaluation.pdf_problem is None, evaluation.pdf_problem
    from pypdf import PdfReader

    reader = PdfReader(out / "report.pdf")
    # NFKC: the CJK font maps some glyphs to compatibility characters (⾏ for 行) and Latin ones to ligatures (ﬁ).
    first = unicodedata.normalize("NFKC", " ".join(reader.pages[0].extract_text().split()))
    answer = json.loads((out / "results.json").read_text(encoding="utf-8"))["answer"]
    # The sentence in the report's language first, the other language's beneath it: both on page one, with text
    # (not pictures of text), so the Japanese glyphs are embedded with their characters.
    assert "better than today?" in first and "現行より優れているか" in first
    head_en = " ".join(answer["bottom_line_en"].split())[:60]
    assert head_en in first
    assert unicodedata.normalize("NFKC", answer["bottom_line_ja"][:20]) in first.replace(" ", "")
    fonts = {str(f) for page in reader.pages[:2] for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()}
    assert fonts  # fonts embedded in the file
    assert len(reader.pages) > 5


def test_bottom_line_follows_its_rule(report: tuple[str, Path, Any]) -> None:
    lang, out, _evaluation = report
    answer = json.loads((out / "results.json").read_text(encoding="utf-8"))["answer"]
    rows = [r for r in answer["rows"] if r["arch"] == "2024-proposal"]
    faster = [r for r in rows if r["verdict"] == "faster"]
    short = [r for r in rows if r["verdict"] == "slower"]
    word = ("Yes" if faster and not short else "No" if short and not faster else
            "No difference" if not faster and not short else "Not clearly")
    sentence = answer["bottom_line_en"]
    assert sentence.startswith("Is the proposal (combined command) better than today? " + word)
    assert sentence.index("the proposal") < sentence.index("Is the integrated alternative")
    # The lawful variants' orders are never refused, so no sentence says they are.
    assert all(not r["metrics"]["refused"]["mean"] for r in answer["rows"]) and "refused" not in sentence
    assert answer["bottom_line_rule_en"] and answer["bottom_line_rule_ja"]
    doc = lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    first = doc.xpath("//section[@id='answer']//p")[0].text_content()
    assert first == answer["bottom_line_ja" if lang == "ja" else "bottom_line_en"]
    # The rules under the table are plain text in the report's language (no Markdown marks left).
    rules = " ".join(li.text_content() for li in doc.xpath("//section[@id='answer']//ul[@class='small']/li"))
    assert "*" not in rules and "`" not in rules
    assert ("判定" in rules) if lang == "ja" else ("Welch" in rules)
