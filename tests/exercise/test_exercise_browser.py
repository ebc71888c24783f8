"""A real browser against a real server: control sets up and runs an exercise, an inject and an
order's status arrive live, the Prime Minister's seat approves, the Taiwanese liaison sees nothing.

Debian's chromium driven by Playwright (one browser context per seat); a uvicorn subprocess on
127.0.0.1 with a SQLite file in tmp. Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 10_000
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SEATS = {"jjoc": "jpn-jjoc", "pm": "jpn-pm", "twn": "lno-taiwan"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from alliance_c2.exercise.auth import add_user
    from alliance_c2.exercise.store import open_database

    url = f"sqlite:///{tmp_path / 'exercise.db'}"
    db = open_database(url)
    for name in ("control", *SEATS):
        add_user(db, name, PASSWORD)
    db.dispose()
    port = _free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "alliance_c2.exercise.app:create_app",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env={**os.environ, "ALLIANCE_C2_DB": url})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer /healthz within 20 s")


def _login(browser: Any, base: str, name: str) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"{base}/")
    return page


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_an_exercise_in_the_browser(server: str) -> None:
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            control = _login(browser, server, "control")
            eid = _set_up(control, server)
            seats = {name: _login(browser, server, name) for name in SEATS}
            for name, page in seats.items():
                page.goto(f"{server}/exercises/{eid}" + ("?lang=ja" if name == "pm" else ""))
                expect(page.locator("#live")).to_have_class("online")

            # control releases the first inject; it appears on the JJOC page without a reload
            control.click('button[data-release="missile-1"]')
            jjoc = seats["jjoc"]
            expect(jjoc.locator("#list-injects li.kind-inject")).to_have_count(1)

            order_id = _order_from_jjoc(jjoc)
            _shot(jjoc, "seat-jjoc-order-awaiting-approval.png")

            # the PM's seat (in Japanese) gets the pm-approval task live and grants it
            pm = seats["pm"]
            task = pm.locator("#list-approvals li.kind-approval")
            expect(task).to_have_count(1)
            _shot(pm, "seat-pm-ja-approval.png")
            task.locator('button[data-decide="grant"]').click()
            expect(task).to_have_count(0)

            # nobody sits at the Defense Minister: control decides defense-minister-order
            control_task = control.locator("#list-approvals li.kind-approval", has_text="nobody sits here")
            expect(control_task).to_have_count(1)
            _shot(control, "control-dashboard.png")
            control_task.locator('button[data-decide="grant"]').click()

            # the sender's page shows the order delivered, live
            expect(jjoc.locator(f'#list-outbox li.kind-order[data-id="{order_id}"]')).to_have_class(
                re.compile("status-delivered"))
            _shot(jjoc, "seat-jjoc-order-delivered.png")

            # the Taiwanese liaison officer sees neither the inject nor the order
            twn = seats["twn"]
            twn.reload()
            expect(twn.locator("li.message")).to_have_count(0)
            assert twn.locator(f'li[data-id="{order_id}"]').count() == 0
            _shot(twn, "seat-lno-taiwan.png")
        finally:
            browser.close()


def _set_up(control: Any, base: str) -> int:
    """Control creates the exercise (2024-proposal, bmd-salvo), seats the players, starts the clock."""
    from playwright.sync_api import expect

    control.fill("#create-exercise input[name=name]", "Browser exercise")
    control.select_option("#create-exercise select[name=arrangement]", "2024-proposal")
    control.select_option("#create-exercise select[name=scenario]", "bmd-salvo")
    control.click("#create-exercise button")
    control.wait_for_url("**/control")
    eid = int(control.url.rstrip("/").split("/")[-2])
    for user, organization in SEATS.items():
        control.fill("#seat-form input[name=user]", user)
        control.select_option("#seat-form select[name=organization]", organization)
        control.select_option("#seat-form select[name=clearance]", "SECRET")
        control.click("#seat-form button")
        expect(control.locator("#seat-form .result")).to_contain_text(organization)
    control.click('button[data-clock="start"]')
    expect(control.locator("#clock-state")).not_to_have_text("ready")
    expect(control.locator("#live")).to_have_class("online")
    return eid


def _order_from_jjoc(jjoc: Any) -> str:
    """JJOC orders a BMD intercept; the preview names the approvals first."""
    from playwright.sync_api import expect

    jjoc.select_option("#order-form select[name=action]", "bmd-intercept")
    jjoc.select_option("#order-form select[name=unit]", "jpn-sdf-fleet")
    expect(jjoc.locator("#preview .verdict")).to_have_class(re.compile("allowed"))
    expect(jjoc.locator("#preview ol.approvals li")).not_to_have_count(0)
    jjoc.fill("#order-form input[name=subject]", "Intercept the second missile")
    jjoc.click("#order-form button")
    expect(jjoc.locator("#order-form .result")).to_contain_text("#")
    order = jjoc.locator("#list-outbox li.kind-order").first
    expect(order).to_have_class(re.compile("status-awaiting-approval"))
    return str(order.get_attribute("data-id"))
