"""A real browser against a real server: control sets up and runs an exercise, injects (one released
on the clock, one by hand) and an order's status arrive live, REL TO follows the ordered unit, control
grants the unseated approvals with one click, the Prime Minister's seat approves in Japanese, the
Taiwanese liaison sees nothing.

Debian's chromium driven by Playwright (one browser context per seat); a uvicorn subprocess on
127.0.0.1 with a SQLite file in tmp. Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from alliance_c2.exercise.service.catalog import arrangement
from alliance_c2.exercise.web.i18n import STRINGS
from alliance_c2.model.scenario import load_scenario
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


@contextlib.contextmanager
def served(directory: Path, users: Iterable[str]) -> Iterator[str]:
    """`uvicorn` serving the exercise app on a fresh SQLite file with these accounts ("control" is control), its
    base URL while the block runs."""
    from alliance_c2.exercise.db.database import open_database
    from alliance_c2.exercise.service.accounts import add_user

    url = f"sqlite:///{directory / 'exercise.db'}"
    db = open_database(url)
    for name in users:
        add_user(db, name, PASSWORD, control=name == "control")
    db.dispose()
    port = _free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "alliance_c2.exercise.web.app:create_app",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env={**os.environ, "ALLIANCE_C2_DB": url})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served(tmp_path, ("control", *SEATS)) as base:
        yield base


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
    first, second = load_scenario("bmd-salvo").injects[:2]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            control = _login(browser, server, "control")
            eid = _set_up(control, server)
            # the clock runs and injects are released on it: the first (minute 0) goes out by itself
            expect(control.locator(f'#timeline tr[data-inject="{first.id}"] td.released')).to_have_text(
                re.compile(r"^#\d+$"))
            seats = {name: _login(browser, server, name) for name in SEATS}
            for name, page in seats.items():
                page.goto(f"{server}/exercises/{eid}" + ("?lang=ja" if name == "pm" else ""))
                expect(page.locator("#live")).to_have_class("online")

            # control releases the second inject by hand; it appears on the JJOC page without a reload,
            # and on the PM's page under the scenario's Japanese name
            control.click(f'button[data-release="{second.id}"]')
            expect(control.locator(f'#timeline tr[data-inject="{second.id}"] td.released')).to_have_text(
                re.compile(r"^#\d+$"))
            jjoc, pm = seats["jjoc"], seats["pm"]
            expect(jjoc.locator("#list-injects li.kind-inject")).to_have_count(2)
            expect(pm.locator("#list-injects li.kind-inject", has_text=second.name_ja)).to_have_count(1)
            expect(pm.locator("#list-injects")).not_to_contain_text(second.name_en)

            _rel_to_follows_the_unit(jjoc)
            _standing_order_delivers_at_once(jjoc)

            # in an armed attack a use of force needs the NSC, the Cabinet and the Diet first (nobody sits
            # there): control grants them with one click, then the order waits for the PM's seat
            control.select_option("#situation-form select[name=situation]", "armed-attack")
            control.click("#situation-form button")
            expect(jjoc.locator("#situation")).not_to_have_text(re.compile("^$"))
            expect(jjoc.locator("#diagram")).to_have_attribute("data-situation", "armed-attack")
            expect(jjoc.locator("#diagram svg .seat-highlight")).to_have_count(1)
            order_id = _order_from_jjoc(jjoc, "use-of-force", "jpn-gcc")
            _shot(jjoc, "seat-jjoc-order-awaiting-approval.png")
            expect(control.locator("#list-approvals li.kind-approval", has_text="nobody sits here")).not_to_have_count(0)
            control.click("#grant-unseated")
            expect(control.locator("#grant-unseated-result")).to_have_text(re.compile(r"^[1-9]\d* approval"))

            # the PM's seat (in Japanese) gets the pm-order task live, named in Japanese, and grants it
            task = pm.locator("#list-approvals li.kind-approval")
            expect(task).to_have_count(1)
            expect(task.locator(".subject")).to_contain_text(f"#{order_id}")
            expect(task).not_to_contain_text("Approval")
            expect(pm).to_have_title(re.compile(r"^\(1\) "))  # the tab shows that something waits
            _shot(pm, "seat-pm-ja-approval.png")
            _shot(control, "control-dashboard.png")
            task.locator('button[data-decide="grant"]').click()
            expect(task).to_have_count(0)
            expect(pm).not_to_have_title(re.compile(r"^\("))

            # the sender's page shows the order delivered, live, where it was
            expect(jjoc.locator(f'#list-outbox li.kind-order[data-id="{order_id}"]')).to_have_class(
                re.compile("status-delivered"))
            _shot(jjoc, "seat-jjoc-order-delivered.png")
            for page, selector in ((jjoc, "#list-outbox"), (control, "#list-traffic")):
                ids = [int(str(i)) for i in page.locator(f"{selector} > li.message").evaluate_all(
                    "items => items.map((li) => li.dataset.id)")]
                assert ids == sorted(ids, reverse=True), f"{selector}: a changed message moved ({ids})"

            # control switches unseated approvals on the clock on and off
            control.check("#auto-approvals")
            expect(control.locator("#auto-approvals-result")).to_have_text(STRINGS["auto_approvals_on"][0])
            control.uncheck("#auto-approvals")
            expect(control.locator("#auto-approvals-result")).to_have_text(STRINGS["auto_approvals_off"][0])

            # the Taiwanese liaison officer sees neither the injects nor the orders
            twn = seats["twn"]
            twn.reload()
            expect(twn.locator("li.message")).to_have_count(0)
            assert twn.locator(f'li[data-id="{order_id}"]').count() == 0
            _shot(twn, "seat-lno-taiwan.png")
        finally:
            browser.close()


def _set_up(control: Any, base: str) -> int:
    """Control creates the exercise (2024-proposal, bmd-salvo; injects on the clock, the form's default),
    seats the players, starts the clock."""
    from playwright.sync_api import expect

    control.fill("#create-exercise input[name=name]", "Browser exercise")
    control.select_option("#create-exercise select[name=arrangement]", "2024-proposal")
    control.select_option("#create-exercise select[name=scenario]", "bmd-salvo")
    expect(control.locator("#create-exercise input[name=auto_injects]")).to_be_checked()
    control.click("#create-exercise button")
    control.wait_for_url("**/control")
    expect(control.locator("#auto-injects")).to_be_checked()
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


def _rel_to_follows_the_unit(jjoc: Any) -> None:
    """A JPN seat ordering a U.S. unit: REL TO preselects JPN and USA; a change by hand is kept until the
    unit changes."""
    from playwright.sync_api import expect

    def checked() -> set[str]:
        return set(jjoc.locator("#order-form input[name=rel_to]").evaluate_all(
            "boxes => boxes.filter((b) => b.checked).map((b) => b.value)"))

    jjoc.select_option("#order-form select[name=action]", "bmd-intercept")
    jjoc.select_option("#order-form select[name=unit]", "usa-7th-fleet")
    fleet = arrangement("2024-proposal").organizations["usa-7th-fleet"].name("en")
    expect(jjoc.locator("#preview .deliver")).to_contain_text(fleet)
    expect(jjoc.locator('#order-form input[name=rel_to][value="USA"]')).to_be_checked()
    assert checked() == {"JPN", "USA"}
    _shot(jjoc, "seat-jjoc-rel-to-usa.png")
    jjoc.uncheck('#order-form input[name=rel_to][value="USA"]')
    jjoc.select_option("#order-form select[name=action]", "isr")
    expect(jjoc.locator("#preview .verdict")).to_be_visible()
    jjoc.wait_for_timeout(300)
    assert checked() == {"JPN"}  # changed by hand: kept
    jjoc.select_option("#order-form select[name=unit]", "jpn-sdf-fleet")
    jjoc.select_option("#order-form select[name=unit]", "usa-7th-fleet")
    expect(jjoc.locator('#order-form input[name=rel_to][value="USA"]')).to_be_checked()
    assert checked() == {"JPN", "USA"}
    # in peacetime JJOC may not order a U.S. use of force: the reasons name the fleet, not its id
    jjoc.select_option("#order-form select[name=action]", "use-of-force")
    expect(jjoc.locator("#preview .verdict.refused")).to_be_visible()
    expect(jjoc.locator("#preview ul.reasons")).to_contain_text(fleet)
    expect(jjoc.locator("#preview ul.reasons")).not_to_contain_text("usa-7th-fleet")


def _standing_order_delivers_at_once(jjoc: Any) -> None:
    """bmd-salvo's standing order covers a BMD intercept: the preview says so, the order goes at once."""
    from playwright.sync_api import expect

    jjoc.select_option("#order-form select[name=action]", "bmd-intercept")
    jjoc.select_option("#order-form select[name=unit]", "jpn-sdf-fleet")
    expect(jjoc.locator("#preview ol.approvals li.standing")).not_to_have_count(0)
    expect(jjoc.locator("#preview ol.approvals li.standing").first).to_contain_text("standing order")
    _shot(jjoc, "seat-jjoc-preview-standing.png")
    jjoc.fill("#order-form input[name=subject]", "Intercept the second missile")
    jjoc.click("#order-form button")
    expect(jjoc.locator("#order-form .result")).to_contain_text("delivered")


def _order_from_jjoc(jjoc: Any, action: str, unit: str) -> str:
    """JJOC orders `action` by `unit`; the preview names the approvals first."""
    from playwright.sync_api import expect

    jjoc.select_option("#order-form select[name=action]", action)
    jjoc.select_option("#order-form select[name=unit]", unit)
    expect(jjoc.locator("#preview .verdict")).to_have_class(re.compile("allowed"))
    expect(jjoc.locator("#preview ol.approvals li")).not_to_have_count(0)
    jjoc.fill("#order-form input[name=subject]", f"{action} by {unit}")
    jjoc.click("#order-form button")
    expect(jjoc.locator("#order-form .result")).to_contain_text("awaiting approval")
    order = jjoc.locator("#list-outbox li.kind-order").first
    expect(order).to_have_class(re.compile("status-awaiting-approval"))
    return str(order.get_attribute("data-id"))


def test_a_seat_page_fits_a_laptop_screen(server: str) -> None:
    """At 1366x768 the approvals waiting for the seat, its inbox and the whole order form are in view
    together, without scrolling (the screenshot is test-artifacts/seat-pm-1366x768.png)."""
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    eid = _exercise_with_traffic(server)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.goto(f"{server}/login")
            page.fill("input[name=name]", "pm")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.login button")
            page.wait_for_url(f"{server}/")
            page.goto(f"{server}/exercises/{eid}")
            page.locator("#list-approvals li.message").first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "seat-pm-1366x768.png"))
            _in_view(page)
            # with the law engine's verdict shown (approvals, findings, delivery), the form still fits
            page.select_option("#order-form select[name=action]", "use-of-force")
            page.select_option("#order-form select[name=unit]", "usa-7th-fleet")
            page.locator("#preview .verdict").wait_for()
            page.screenshot(path=str(ARTIFACTS / "seat-pm-1366x768-preview.png"))
            _in_view(page)
        finally:
            browser.close()


def _in_view(page: Any) -> None:
    """The approvals, injects and inbox, and every part of the order form, inside the 1366x768 window."""
    for selector in ("#list-approvals li.message", "#list-inbox li.message", "#list-injects li.message",
                     "#order-form select[name=action]", "#order-form select[name=unit]",
                     "#order-form input[name=subject]", "#order-form fieldset.relto", "#preview",
                     "#order-form > button"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"{selector} is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, f"{selector} is out of view: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, f"{selector} is out of view: {box}"


def _exercise_with_traffic(base: str) -> int:
    """An armed-attack exercise with the PM seated, an inject received, reports in the inbox, and an order
    from JJOC waiting for the PM's approval (its unseated steps granted by control)."""
    with httpx.Client(base_url=base, timeout=30) as c:
        h = {name: {"Authorization": "Bearer " + c.post("/api/auth/login", json={"name": name, "password": PASSWORD})
                    .json()["token"]} for name in ("control", "jjoc", "pm")}
        eid = c.post("/api/exercises", json={"name": "Laptop", "arrangement": "2024-proposal", "scenario": "bmd-salvo",
                                             "situation": "armed-attack"}, headers=h["control"]).json()["id"]
        for user, org in (("jjoc", "jpn-jjoc"), ("pm", "jpn-pm")):
            c.post(f"/api/exercises/{eid}/seats", json={"user": user, "organization": org, "clearance": "SECRET"},
                   headers=h["control"]).raise_for_status()
        c.post(f"/api/exercises/{eid}/injects", json={"inject_id": "missile-1"}, headers=h["control"]).raise_for_status()
        for i in range(6):
            c.post(f"/api/exercises/{eid}/messages", headers=h["jjoc"], json={
                "kind": "report", "recipients": ["jpn-pm"], "subject": f"Situation report {i + 1}",
                "rel_to": ["JPN"]}).raise_for_status()
        c.post(f"/api/exercises/{eid}/orders", headers=h["jjoc"], json={
            "action": "use-of-force", "unit": "jpn-gcc", "subject": "Repel the landing", "rel_to": ["JPN"]},
        ).raise_for_status()
        c.post(f"/api/exercises/{eid}/approvals/grant-unseated", json={}, headers=h["control"]).raise_for_status()
    return int(eid)
