"""`endvac compare` and the /compare page: two synthetic countries side by side, their
ratios checked by hand from the numerators and denominators each release publishes;
suppressed cells shown as suppressed; the same figures from an SDMX export; the ratio
methods on hand numbers; the page in a real browser (Playwright + Debian's Chromium)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from scipy import stats

from cli_helpers import endvac
from compare_helpers import PASSWORD, YEAR, configure_compare, published, two_countries
from endvac.compare.ratios import KATZ, POISSON, ratio_of
from endvac.web.app import create_app
from endvac.workspace import Workspace
from test_web_browser import SHOTS
from web_helpers import free_port, logged_in, running_server

Countries = tuple[Workspace, Workspace, Path]


@pytest.fixture(scope="module")
def countries(tmp_path_factory: pytest.TempPathFactory) -> Countries:
    return two_countries(tmp_path_factory.mktemp("compare"))


def compared(*args: str | Path) -> list[dict[str, Any]]:
    result = endvac("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def cell_of(records: list[dict[str, Any]], source: str, indicator: str, breakdown: str = "",
            cell: str = "", period: str = YEAR) -> dict[str, Any]:
    return next(r for r in records if (r["source"], r["id"], r["breakdown"], r["cell"],
                                       r["period"]) == (source, indicator, breakdown, cell,
                                                        period))


def poisson_ratio_by_hand(x1: int, n1: int, x0: int, n0: int) -> tuple[float, float, float]:
    """(x1/n1)/(x0/n0) with its exact conditional interval, written out with scipy's
    beta quantiles: x1 of x1 + x0 is binomial with pi = n1 RR / (n1 RR + n0), so
    RR = (n0/n1) pi/(1 - pi) at the Clopper-Pearson ends of pi."""
    low_pi = stats.beta.ppf(0.025, x1, x0 + 1)
    high_pi = stats.beta.ppf(0.975, x1 + 1, x0)
    return ((x1 / n1) / (x0 / n0), n0 / n1 * low_pi / (1 - low_pi),
            n0 / n1 * high_pi / (1 - high_pi))


def test_rate_ratios_are_those_of_the_published_counts(countries: Countries) -> None:
    first, second, _sdmx = countries
    a, b = published(first, "total"), published(second, "total")
    records = compared(first.root, second.root / "published" / "release-1",
                       "--reference", "XKA", "--table", "total")
    # JJ1 (children arrested per 100,000) is published nationally in both countries
    x0, n0 = a[("JJ1", "", "")]["numerator"], a[("JJ1", "", "")]["denominator"]
    x1, n1 = b[("JJ1", "", "")]["numerator"], b[("JJ1", "", "")]["denominator"]
    assert x0 > 0 and x1 > 0
    expected, low, high = poisson_ratio_by_hand(x1, n1, x0, n0)
    found = cell_of(records, "XKB", "JJ1")
    assert (found["numerator"], found["denominator"]) == (x1, n1)
    assert found["ratio"] == pytest.approx(expected, rel=1e-12)
    assert (found["ratio_low"], found["ratio_high"]) == (pytest.approx(low, rel=1e-9),
                                                         pytest.approx(high, rel=1e-9))
    assert found["ratio_method"] == POISSON and low < expected < high
    reference = cell_of(records, "XKA", "JJ1")
    assert (reference["ratio"], reference["ratio_note"]) == (1.0, "reference")
    # the same figure, with XKB as the reference: the inverse ratio
    flipped = cell_of(compared(first.root, second.root, "--reference", "XKB", "--table",
                               "total"), "XKA", "JJ1")
    assert flipped["ratio"] == pytest.approx((x0 / n0) / (x1 / n1), rel=1e-12)


def test_share_ratios_by_hand_and_every_breakdown(countries: Countries) -> None:
    first, second, _sdmx = countries
    records = compared(first.root, second.root)
    shares = 0
    for table in ("total", "sex", "age_group", "region"):
        a, b = published(first, table), published(second, table)
        for key, row in a.items():
            other = b.get(key)
            if row["unit"] != "percent" or other is None or not row["numerator"] \
                    or not other["numerator"] or row["value_suppressed"] \
                    or other["value_suppressed"]:
                continue
            x0, n0, x1, n1 = row["numerator"], row["denominator"], other["numerator"], \
                other["denominator"]
            # Katz: exp(log RR ± 1.96 sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0))
            rr = (x1 / n1) / (x0 / n0)
            half = 1.959963984540054 * math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
            found = cell_of(records, "XKB", *key)
            assert found["ratio"] == pytest.approx(rr, rel=1e-12)
            assert found["ratio_low"] == pytest.approx(rr * math.exp(-half), rel=1e-9)
            assert found["ratio_high"] == pytest.approx(rr * math.exp(half), rel=1e-9)
            assert found["ratio_method"] == KATZ
            shares += 1
    assert shares >= 1


def test_a_cell_suppressed_in_either_release_has_no_ratio(countries: Countries) -> None:
    first, second, _sdmx = countries
    records = compared(first.root, second.root)
    checked = 0
    for table in ("total", "sex", "age_group", "region"):
        a, b = published(first, table), published(second, table)
        for key in a.keys() & b.keys():
            flags = [any(r[f"{f}_suppressed"] for f in ("numerator", "denominator", "value"))
                     for r in (a[key], b[key])]
            if not any(flags):
                continue
            found = cell_of(records, "XKB", *key)
            assert found["ratio"] is None and "suppressed in" in found["ratio_note"]
            for source, flag in zip(("XKA", "XKB"), flags, strict=True):
                shown = cell_of(records, source, *key)
                if flag:  # shown as suppressed, with nothing of it published
                    assert shown["status"] == "suppressed"
                    assert (shown["value"], shown["numerator"], shown["ci_low"]) == \
                        (None, None, None)
            checked += 1
    assert checked >= 1


def test_an_sdmx_export_compares_as_its_release_folder(countries: Countries) -> None:
    first, second, sdmx = countries
    from_folder = compared(first.root, second.root, "--table", "sex")
    from_sdmx = compared(first.root, sdmx / "data.xml", "--table", "sex")
    assert [(r["source"], r["id"], r["cell"], r["status"], r["numerator"], r["ratio"])
            for r in from_folder] == \
        [(r["source"], r["id"], r["cell"], r["status"], r["numerator"], r["ratio"])
         for r in from_sdmx]


def test_table_format_states_each_release_and_its_definitions(countries: Countries) -> None:
    first, second, sdmx = countries
    result = endvac("compare", first.root, f"B={sdmx}", "--indicator", "JJ1")
    assert result.exit_code == 0, result.output
    assert "XKA (Synthetic XKA): release 1 of 2025-01-01/2025-12-31; indicator " \
           "definitions version 1" in result.stdout
    assert "B (Synthetic XKB): sdmx 1" in result.stdout
    assert "ratios against XKA" in result.stdout


def test_bad_inputs_exit_with_one_line(countries: Countries, tmp_path: Path) -> None:
    first, second, _sdmx = countries
    unknown = endvac("compare", first.root, second.root, "--reference", "XKC")
    assert unknown.exit_code == 2 and "use one of: XKA, XKB" in unknown.stderr
    twice = endvac("compare", first.root, first.root)
    assert twice.exit_code == 2 and "LABEL=PATH" in twice.stderr
    missing = endvac("compare", first.root, tmp_path / "nowhere")
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "structure.xml").write_text("<not-sdmx/>", encoding="utf-8")
    (broken / "data.csv").write_text("STRUCTURE,x\n", encoding="utf-8")
    bad = endvac("compare", first.root, broken)
    assert bad.exit_code == 1 and "cannot be read as SDMX" in bad.stderr


def test_ratio_methods_on_hand_numbers() -> None:
    # rates: 10 in 1,000 against 20 in 1,000: (10/1000)/(20/1000) = 0.5
    rate = ratio_of("per_100000", 10, 1000, 20, 1000)
    assert rate.ratio == pytest.approx(0.5)
    low_pi, high_pi = stats.beta.ppf(0.025, 10, 21), stats.beta.ppf(0.975, 11, 20)
    assert rate.low == pytest.approx(low_pi / (1 - low_pi))
    assert rate.high == pytest.approx(high_pi / (1 - high_pi))
    # shares: 10 of 50 against 20 of 50: 0.2/0.4 = 0.5; se = sqrt(1/10 - 1/50 + 1/20 -
    # 1/50) = sqrt(0.11) = 0.331662; 0.5 * exp(-/+ 1.96 * 0.331662) = 0.2610, 0.9578
    share = ratio_of("percent", 10, 50, 20, 50)
    assert (share.ratio, round(share.low or 0, 4), round(share.high or 0, 4)) == \
        (0.5, 0.261, 0.9578)
    # a zero in the reference: no ratio; a zero numerator: 0 with a corrected interval
    assert ratio_of("percent", 3, 50, 0, 50).ratio is None
    zero = ratio_of("per_1000", 0, 40, 4, 40)
    assert (zero.ratio, zero.low) == (0.0, 0.0) and zero.high is not None


@pytest.fixture(scope="module")
def served(countries: Countries) -> Workspace:
    """XKA's workspace with its own latest release and XKB's SDMX export configured for
    the /compare page (paths relative to the workspace), and a viewer."""
    first, _second, _sdmx = countries
    return configure_compare(first, [".", "../../b/sdmx"])


def test_api_compare_gives_the_hand_checked_ratio(countries: Countries,
                                                  served: Workspace) -> None:
    first, second, _sdmx = countries
    a, b = published(first, "total")[("JJ1", "", "")], published(second, "total")[("JJ1", "", "")]
    client = logged_in(TestClient(create_app(served), base_url="https://testserver"), "vi")
    answer = client.get("/api/compare").json()["comparison"]
    assert [s["label"] for s in answer["sources"]] == ["XKA", "XKB"]
    assert [s["kind"] for s in answer["sources"]] == ["release", "sdmx"]
    line = next(x for x in answer["lines"] if x["id"] == "JJ1")
    expected = (b["numerator"] / b["denominator"]) / (a["numerator"] / a["denominator"])
    assert line["cells"][1]["ratio"] == pytest.approx(expected, rel=1e-12)
    assert {x["table"] for x in answer["lines"]} == {"total"}  # the page's default table
    refused = client.get("/api/compare?reference=XKC")
    assert refused.status_code == 400 and "XKA, XKB" in refused.json()["error"]["fix"]


def test_compare_page_in_french(served: Workspace) -> None:
    client = logged_in(TestClient(create_app(served), base_url="https://testserver"), "vi")
    page = client.get("/compare?table=sex&lang=fr").text
    # the page's words from the fr catalogue, the cells by the names catalogue (sex f: féminin)
    for text in ("<h1>Pays côte à côte</h1>", "<h2>Publications</h2>", "Sexe féminin",
                 "XKB : rapport (intervalle à 95 %)", ">supprimé<"):
        assert text in page, text


def test_compare_page_in_a_browser(served: Workspace, browser: Any) -> None:
    with running_server(served.root, free_port()) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", "vi")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.click("header nav >> text=Compare")
        page.wait_for_url("**/compare")
        assert page.inner_text("h1") == "Countries side by side"
        assert page.locator("#sources tbody tr").count() == 2
        assert "Synthetic XKB" in page.inner_text("#sources")
        jj1 = page.locator("#comparison tr[data-id=JJ1]")
        assert "reference" in jj1.locator("td.ratio[data-source=XKA]").inner_text()
        assert jj1.locator("td.ratio[data-source=XKB]").inner_text().strip()[0].isdigit()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)
        page.select_option("#table", "sex")  # the page script submits the filter
        page.wait_for_url("**table=sex**")
        suppressed = page.locator("td.figure[data-status=suppressed]")
        assert suppressed.count() >= 1
        assert suppressed.first.inner_text() == "suppressed"
        page.screenshot(path=str(SHOTS / "compare-by-sex.png"), full_page=True)
        context.close()
