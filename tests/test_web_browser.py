"""The web app in a real browser: Debian's Chromium driven by Playwright against
`endvac serve` (uvicorn, a subprocess) on a small synthetic workspace.  Screenshots go
to test-artifacts/screenshots/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from endvac.workspace import Workspace
from web_helpers import PASSWORD, free_port, running_server, web_workspace

ENDVAC = str(Path(sys.executable).parent / "endvac")
SHOTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workspace]:
    return web_workspace(tmp_path_factory.mktemp("browser"), hold_back=2)


@pytest.fixture(scope="module")
def server(built: tuple[Path, Workspace]) -> Iterator[str]:
    with running_server(built[1].root, free_port(), "--workers", "2") as base:
        yield base


def _log_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(base_url=base).new_page()
    page.goto("/")
    assert page.url.endswith("/login")
    _shot(page, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_analyst_dashboard_filter_indicator_and_new_data(browser: Browser, server: str,
                                                         built: tuple[Path, Workspace]) -> None:
    page = _log_in(browser, server, "an")
    assert page.inner_text("h1").startswith("Dashboard")
    assert page.locator(".tile").count() >= 1
    _shot(page, "dashboard")
    before = page.inner_html(".chart-block")
    assert page.get_attribute(".chart-block", "data-breakdown") == "sex"
    page.select_option("#breakdown", "region")  # the page script submits the filter
    page.wait_for_url("**breakdown=region**")
    assert page.get_attribute(".chart-block", "data-breakdown") == "region"
    assert page.inner_html(".chart-block") != before
    _shot(page, "dashboard-by-region")

    page.click(".tile >> nth=0")
    page.wait_for_url("**/indicators/**")
    assert page.locator("#indicator-value").count() == 1
    assert page.locator("figure.chart svg").count() >= 1
    _shot(page, "indicator")

    page.goto("/deliveries")
    rows_before = page.locator("tbody tr").count()
    footer_before = page.inner_text("#freshness")
    country, ws = built
    order = (country / "deliveries.txt").read_text(encoding="utf-8").split()
    loaded = subprocess.run([ENDVAC, "ingest", str(ws.root), str(country / order[-2])],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "ENDVAC_THREADS": "1"})
    # exit 1 = some rows quarantined; the delivery is loaded and a snapshot published
    assert loaded.returncode in (0, 1), loaded.stdout + loaded.stderr
    assert "snapshot 2 of" in loaded.stdout + loaded.stderr
    page.reload()
    assert page.locator("tbody tr").count() == rows_before + 1
    assert page.inner_text("#freshness") != footer_before
    _shot(page, "deliveries-after-ingest")


def test_viewer_is_refused_alerts_and_record_level_api(browser: Browser, server: str) -> None:
    page = _log_in(browser, server, "vi")
    assert "Public release" in page.inner_text("#freshness")
    _shot(page, "viewer-dashboard")
    nav = page.inner_text("header nav")
    assert "Alerts" not in nav and "Data quality" not in nav
    answer = page.goto("/alerts")
    assert answer is not None and answer.status == 403
    assert "may not open this page" in page.inner_text("main")
    _shot(page, "viewer-refused-alerts")
    for path in ("/api/alerts", "/api/quality", "/api/deliveries", "/api/exports/alerts.csv"):
        refused = page.request.get(path)
        assert refused.status == 403, path
        assert refused.json()["error"]["code"] == "forbidden"
    assert page.request.get("/api/indicators").json()["freshness"]["source"] == "release"
