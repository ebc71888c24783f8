"""The studio in a real browser against the real server (`alliance-c2 studio` in a subprocess on 127.0.0.1):
open today's arrangement, make the edit "JJOC holds OPCON of the Seventh Fleet in an armed attack", see the
level and a verdict change, undo by keyboard, redo, download the YAML and validate it. Every form control has
a label. Screenshots before and after the edit go to test-artifacts/ at the repository root.

Debian's chromium driven by Playwright (executable_path=/usr/bin/chromium; Playwright cannot download one).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from alliance_c2.model import load_architecture
from alliance_c2.model.serialize import arrangement_dict

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 30_000
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def studio() -> Iterator[str]:
    port = _free_port()
    exe = Path(sys.executable).parent / "alliance-c2"
    proc = subprocess.Popen([str(exe), "studio", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the studio exited during start-up: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                if httpx.get(f"{base}/studio", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the studio did not answer within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _browser(p: Any) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system-deps installs it as root)")
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def _level(page: Any, situation: str) -> str:
    return str(page.locator(f"#levels tr[data-situation='{situation}'] td[data-level]").get_attribute("data-level"))


def _verdicts(page: Any) -> dict[str, str]:
    rows = page.locator("#scenarios tr")
    return {rows.nth(i).get_attribute("data-scenario"): rows.nth(i).locator("td").nth(1).get_attribute("data-verdict")
            for i in range(rows.count())}


def _updates(page: Any) -> str:
    return str(page.evaluate("() => document.body.dataset.updates || '0'"))


def _wait_recomputed(page: Any, before: str) -> None:
    """Until the page has drawn a new answer from the server (each drawing counts one more update)."""
    page.wait_for_function("(n) => (document.body.dataset.updates || '0') !== n "
                           "&& !document.body.classList.contains('busy')", arg=before, timeout=WAIT_MS)


def test_edit_undo_download_in_chromium(studio: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{studio}/studio")
        page.locator("#open-bundled").select_option("2015-guidelines")
        page.locator("#open-button").click()
        page.wait_for_function("() => document.getElementById('bottom-line').textContent.length > 0", timeout=WAIT_MS)
        assert "better than today" in page.locator("#bottom-line").inner_text()
        assert _level(page, "armed-attack") == "coordinated"
        before = _verdicts(page)
        assert set(before.values()) == {"no-difference"}  # an unedited copy of today is today
        page.screenshot(path=str(ARTIFACTS / "studio-before.png"), full_page=False)

        # Every form control is labelled (its own <label> or an aria-label), so it is usable by keyboard and reader.
        unlabelled = page.evaluate(
            "() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, button'))"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())"
            ".map(e => e.id || e.name || e.outerHTML.slice(0, 60))")
        assert unlabelled == []

        # The edit: JJOC holds OPCON of the Seventh Fleet in an armed attack.
        page.locator("#rel-from").select_option("jpn-jjoc")
        page.locator("#rel-to").select_option("usa-7th-fleet")
        page.locator("#rel-kind").select_option("opcon")
        page.locator("#rel-always").uncheck()
        page.locator("#sit-armed-attack").check()
        page.locator("#rel-assumption").check()
        status = _updates(page)
        page.locator("#rel-submit").click()
        _wait_recomputed(page, status)
        assert _level(page, "armed-attack") == "unified"
        after = _verdicts(page)
        assert after != before
        changed = page.locator("#changes-previous").inner_text()
        assert "coordinated → unified" in changed
        # Without the transfer law its orders are refused and re-issued nationally: the page says so.
        assert page.locator("#reissued").is_visible()
        assert "OPCON" in page.locator("#reissued").inner_text()
        page.screenshot(path=str(ARTIFACTS / "studio-after.png"), full_page=False)

        # Undo by keyboard, then redo with the button.
        status = _updates(page)
        page.locator("body").press("Control+z")
        _wait_recomputed(page, status)
        assert _level(page, "armed-attack") == "coordinated"
        assert _verdicts(page) == before
        status = _updates(page)
        page.locator("#redo").click()
        _wait_recomputed(page, status)
        assert _level(page, "armed-attack") == "unified"

        with page.expect_download() as info:
            page.locator("#download").click()
        target = tmp_path / "edited.yaml"
        info.value.save_as(target)
        browser.close()
    assert errors == []
    assert all(u.startswith((studio, "data:", "about:", "blob:")) for u in requests), requests
    proc = subprocess.run([str(Path(sys.executable).parent / "alliance-c2"), "validate", str(target)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # The download loads back as the arrangement the studio showed (round trip).
    loaded = load_architecture(target)
    assert arrangement_dict(loaded) == yaml.safe_load(target.read_text(encoding="utf-8"))
    assert any(r.from_id == "jpn-jjoc" and r.to_id == "usa-7th-fleet" and r.kind == "opcon"
               and r.active_in == frozenset({"armed-attack"}) for r in loaded.relations)
    assert (ARTIFACTS / "studio-before.png").stat().st_size > 20_000
    assert (ARTIFACTS / "studio-after.png").stat().st_size > 20_000
