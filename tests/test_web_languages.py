"""The web app in five languages, in a real browser (Debian's Chromium driven by
Playwright against `endvac serve`, as in test_web_browser.py): the dashboard, an
indicator page, the alerts page and the strategy page in en, pt, fr, es and ar. Each
page's <html lang> and dir are right, every code shown has its name, no English
message of the catalogue remains in what the page shows, Arabic lays out right to
left, and the language chosen with ?lang= (or the menu) is remembered. Screenshots go
to test-artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page

from endvac.i18n import LANGUAGES, po_path
from endvac.names import BREAKDOWN_KINDS, Names, load_names
from endvac.publish import load_snapshot
from endvac.strategy.files import import_strategy
from endvac.workspace import Workspace
from test_web_browser import SHOTS
from web_helpers import PASSWORD, free_port, running_server, web_workspace

PAGES = {"dashboard": "/", "indicator": "/indicators/JJ2", "alerts": "/alerts",
         "strategy": "/strategy"}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]")
# What a page shows, less the charts (their SVG labels are drawn by endvac.charts)
# and cited sources (a resolution's reference, quoted as published).
SHOWN_TEXT = """() => { const page = document.body.cloneNode(true);
  page.querySelectorAll('svg, script, style, cite, #languages').forEach(e => e.remove());
  return page.innerText; }"""
# The page's own words: headings, table headers, labels, buttons, the menu, the footer.
CHROME = """() => Array.from(document.querySelectorAll(
  'h1, h2, h3, th, label, button, header nav a, footer, .tile-value, p.note'))
  .map(e => e.innerText.trim())"""


# A named code keeps its code and kind in data-code / data-kind (the code also in its
# tooltip); breakdown cells carry their breakdown as the kind.
CODES = """() => Array.from(document.querySelectorAll('[data-code]'))
  .map(e => [e.dataset.kind, e.dataset.code])"""
# The group and nationality breakdowns' codes are the country's own: no delivered
# reference file names them yet (docs/languages.md).
COUNTRY_CODES = ("group", "nationality")


def unnamed(page: Page, names: Names) -> list[tuple[str, str]]:
    """The codes the page shows that the names catalogue does not name."""
    missing = []
    for kind, code in page.evaluate(CODES):
        if not code or kind in COUNTRY_CODES:
            continue
        named_as = "value" if code == "unknown" else BREAKDOWN_KINDS.get(kind, kind)
        if not names.known(named_as, code):
            missing.append((kind, code))
    return sorted(set(missing))


def english_left(page: Page, lang: str) -> list[str]:
    """The English messages of ``lang``'s catalogue (those it translates differently)
    that the page still shows: a phrase of two words or more anywhere in the shown
    text, a single word as the whole text of a heading, header, label or button."""
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    text = " ".join(page.evaluate(SHOWN_TEXT).split())
    chrome = {" ".join(t.split()) for t in page.evaluate(CHROME)}
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        for part in PLACEHOLDER.split(message.id.replace("%%", "%")):
            part = part.strip(" .,:;()")
            words = len(part.split())
            if (words >= 2 and part in text) or (words == 1 and len(part) > 2
                                                 and part in chrome):
                found.append(part)
    return sorted(set(found))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    country, ws = web_workspace(tmp_path_factory.mktemp("languages"))
    assert import_strategy(ws, country / "strategy.yaml").findings == []
    return ws


@pytest.fixture(scope="module")
def places(workspace: Workspace) -> dict[str, dict[str, str]]:
    """The region and facility names the snapshot keeps (from the delivered files)."""
    found: dict[str, dict[str, str]] = load_snapshot(workspace).meta["place_names"]
    assert found["region"] and found["facility"]
    return found


@pytest.fixture(scope="module")
def server(workspace: Workspace) -> Iterator[str]:
    with running_server(workspace.root, free_port()) as base:
        yield base


def _log_in(browser: Browser, base: str, lang: str) -> Page:
    page = browser.new_context(base_url=base, locale="en-US").new_page()
    page.goto(f"/login?lang={lang}")  # the choice is remembered from here on
    page.fill("input[name=username]", "an")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_four_pages_in_each_language(browser: Browser, server: str, lang: str,
                                     places: dict[str, dict[str, str]]) -> None:
    names = load_names(lang, places=places)
    page = _log_in(browser, server, lang)
    for name, path in PAGES.items():
        answer = page.goto(path)  # no ?lang=: the remembered choice
        assert answer is not None and answer.status == 200, (lang, name)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"lang-{lang}-{name}.png"), full_page=True)
        assert page.get_attribute("html", "lang") == lang, name
        expected = "rtl" if lang == "ar" else "ltr"
        assert page.get_attribute("html", "dir") == expected, name
        assert page.evaluate("getComputedStyle(document.body).direction") == expected, name
        assert unnamed(page, names) == [], (lang, name)  # every code shown has its name
        if lang != "en":
            assert english_left(page, lang) == [], (lang, name)
    page.context.close()


def test_the_check_finds_english_and_the_menu_switches(browser: Browser, server: str) -> None:
    page = _log_in(browser, server, "en")
    page.goto("/alerts")
    # the English page shows the English messages the Portuguese catalogue translates
    left = english_left(page, "pt")
    assert {"By rule and facility", "Export as CSV", "Alerts"} <= set(left)
    page.click("#languages a[hreflang=pt]")
    page.wait_for_url("**lang=pt**")
    assert page.get_attribute("html", "lang") == "pt"
    assert page.inner_text("h2 >> nth=0") == "Por regra e estabelecimento"
    page.goto("/")  # remembered
    assert page.get_attribute("html", "lang") == "pt"
    assert page.inner_text("header nav a >> nth=0") == "Painel"
    page.context.close()
