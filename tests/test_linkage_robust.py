"""A linkage model that cannot collapse (issue 13): tiny, names-only, one-agency and
identifier-less deliveries link or fail in one line; a collapsed model is corrected
before it scores."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

from endvac.linkage import guard
from endvac.synth.regimes import write_regime

ENDVAC = str(Path(sys.executable).with_name("endvac"))
TWO = ("record_id,agency,given_name,family_name,date_of_birth,sex\n"
       "A1,police,Ana,Cossa,2010-01-02,f\nA2,police,Anna,Cossa,2010-01-02,f\n")


def endvac(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENDVAC, *args], capture_output=True, text=True, check=False)


def ingested(tmp_path: Path, children: str) -> Path:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "children.csv").write_text(children, encoding="utf-8")
    assert endvac("init", str(tmp_path / "ws")).returncode == 0
    assert endvac("ingest", str(tmp_path / "ws"), str(tmp_path / "d"),
                  "--no-publish").returncode == 0
    return tmp_path / "ws"


def test_two_records_link_with_default_weights_and_say_so(tmp_path: Path) -> None:
    ws = ingested(tmp_path, TWO)
    done = endvac("link", str(ws), "--no-publish", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    row = json.loads(done.stdout)[0]
    # default prior: one matching pair per ten records, 0.1 × 2 records / 1 pair = 0.2.
    # Even if "Ana"/"Anna" fell in the "different" level, the pair weighs
    # log2(0.2/0.8) = -2, given -3.81, family same 8.64, date same 10.55, sex same 1.58:
    # 14.96 > log2(0.9/0.1) = 3.17, so the two records are one child.
    assert row["prior"] == 0.2
    assert row["persons"] == 1 and row["merged"] == 1
    assert "only 2 records" in done.stderr and "default u probabilities" in done.stderr
    # the rules find 1 pair (family name and date), fewer than 10: no prior estimated
    assert "only 1 pairs of records agree" in done.stderr
    assert "could not be estimated: the default 0.2" in done.stderr
    found = row["diagnostics"]
    family = {lv["level"]: lv for lv in found["levels"] if lv["comparison"] == "family_name"}
    # the documented defaults: m 0.8, u 0.002 → log2(400) = 8.64
    assert family["same token"]["match_weight"] == 8.64
    table = endvac("link", str(ws), "--no-publish")  # the table format: levels printed
    assert table.returncode == 0, table.stderr
    assert "match weight of every level" in table.stdout and "8.64" in table.stdout


def test_three_hundred_records_names_only_one_agency_link(tmp_path: Path) -> None:
    delivery, _ = write_regime(tmp_path / "regime", "names_dob", 300, 3)
    with open(delivery / "children.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names_only = "record_id,agency,given_name,family_name\n" + "".join(
        f"{r['record_id']},{r['agency']},{r['given_name']},{r['family_name']}\n" for r in rows)
    ws = ingested(tmp_path, names_only)
    done = endvac("link", str(ws), "--no-publish", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "no record has a date of birth" in done.stderr
    # 300 people, 30 recorded twice: 330 records
    assert json.loads(done.stdout)[0]["records"] == 330


def test_three_hundred_records_with_dates_train_and_link(tmp_path: Path) -> None:
    delivery, _ = write_regime(tmp_path / "regime", "one_field", 300, 4)
    ws = ingested(tmp_path, (delivery / "children.csv").read_text(encoding="utf-8"))
    done = endvac("link", str(ws), "--no-publish", "--format", "json")
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    assert row["records"] == 330 and row["persons"] < 330


def test_records_without_identifiers_fail_in_one_line_with_the_fix(tmp_path: Path) -> None:
    ws = ingested(tmp_path, "record_id,agency,date_of_birth\nA1,police,2010-01-02\n"
                            "A2,police,2010-01-02\n")
    done = endvac("link", str(ws), "--no-publish")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    message = [line for line in done.stderr.splitlines() if "no record carries" in line]
    assert len(message) == 1 and "ingest children.csv" in message[0]


def _model(m_same: float, prior: float) -> dict[str, object]:
    return {"probability_two_random_records_match": prior, "comparisons": [{
        "output_column_name": "given_name", "comparison_levels": [
            {"label_for_charts": "missing", "is_null_level": True},
            {"label_for_charts": "same token", "m_probability": m_same, "u_probability": 0.002},
            {"label_for_charts": "different", "m_probability": 1.0,
             "u_probability": 0.99}]}]}


def test_a_collapsed_level_is_clamped_reported_and_given_its_defaults() -> None:
    model, warnings = guard.check_model(_model(3.4e-303, 1e-12), 1000)
    same, different = model["comparisons"][0]["comparison_levels"][1:]  # type: ignore[index]  # a list
    # 3.4e-303 clamps to M_FLOOR 1e-4: log2(1e-4 / 0.002) = -4.3 < 0.5, and "different"
    # log2(1.0 / 0.99) = +0.01 > 0: both take their defaults (docs/linkage.md), same token
    # m 0.8 and different m 0.05; u kept
    assert (same["m_probability"], different["m_probability"]) == (0.8, 0.05)
    assert (same["u_probability"], different["u_probability"]) == (0.002, 0.99)
    assert any("agreeing exactly on given_name" in w for w in warnings)
    assert any("disagreeing on given_name" in w for w in warnings)
    # 1000 records, 499,500 pairs: plausible prior 0.001 × 1000 / 499,500 = 2.0e-6 to
    # 2 × 1000 / 499,500 = 4.0e-3; 1e-12 is below, the default is 0.1 × 1000 / 499,500
    assert math.isclose(model["probability_two_random_records_match"],  # type: ignore[arg-type]  # a float
                        100 / 499_500)
    assert any("prior" in w for w in warnings)


def test_a_plausible_model_passes_unchanged() -> None:
    # same token log2(0.9 / 0.002) = 8.8 ≥ 0.5; different log2(0.1 / 0.99) = -3.3 ≤ 0
    model = _model(0.9, 1e-4)
    model["comparisons"][0]["comparison_levels"][2]["m_probability"] = 0.1  # type: ignore[index]  # a list
    checked, warnings = guard.check_model(model, 1000)
    assert warnings == []
    assert checked["comparisons"][0]["comparison_levels"][1]["m_probability"] == 0.9  # type: ignore[index]  # a list


def test_quality_page_shows_the_model_diagnostics(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from endvac.accounts.store import open_accounts
    from endvac.accounts.users import add_user
    from endvac.ingest.load import ingest
    from endvac.linkage.run import link
    from endvac.publish import publish
    from endvac.web import create_app
    from endvac.workspace import init_workspace
    from web_helpers import PASSWORD, logged_in

    ws = init_workspace(tmp_path / "ws")
    ingest(ws, write_regime(tmp_path / "regime", "names_dob", 300, 5)[0])
    link(ws)
    publish(ws)
    with open_accounts(ws) as accounts:
        add_user(accounts, "an", "analyst", PASSWORD)
    client = logged_in(TestClient(create_app(ws), base_url="https://testserver"), "an")
    page = client.get("/quality").text
    for text in ("Linkage model", "pairs near the threshold", "Match weight of every level",
                 "Scored pairs per match weight", "different given name, same family name"):
        assert text in page, text
    # names_dob: no duplicate agrees on both names and the full date, so the first rule
    # finds 0 pairs and the run warns in plain words
    assert "few records agree exactly on name and date of birth" in page
    found = client.get("/api/quality").json()["linkage"]["diagnostics"]
    assert found["prior_rules"]["given_name and family_name and dob"] == 0
    assert {lv["comparison"] for lv in found["levels"]} == {"given_name", "family_name", "dob"}


def test_a_small_two_agency_delivery_links_without_a_traceback(tmp_path: Path) -> None:
    # 322 people, 32 recorded twice: 354 records, alternately a police extract and a
    # register (the size of the delivery whose EM collapsed to m = 3.4e-303)
    delivery, _ = write_regime(tmp_path / "regime", "one_field", 322, 7)
    lines = (delivery / "children.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.replace(",police,", ",court,") if i % 2 else line
            for i, line in enumerate(lines[1:])]
    ws = ingested(tmp_path, "\n".join([lines[0], *rows]) + "\n")
    done = endvac("link", str(ws), "--no-publish", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    row = json.loads(done.stdout)[0]
    assert row["records"] == 354 and row["persons"] < 354


def test_a_stronger_similarity_level_never_weighs_less_than_a_looser_one() -> None:
    comparison = {"output_column_name": "family_name", "comparison_levels": [
        {"label_for_charts": "same token", "m_probability": 0.8, "u_probability": 0.002},
        {"label_for_charts": "Dice >= 0.8", "m_probability": 1e-9, "u_probability": 0.0005},
        {"label_for_charts": "Dice >= 0.6", "m_probability": 0.5, "u_probability": 0.01},
        {"label_for_charts": "different", "m_probability": 0.1, "u_probability": 0.98}]}
    model, warnings = guard.check_model(
        {"probability_two_random_records_match": 1e-3, "comparisons": [comparison]}, 1000)
    levels = model["comparisons"][0]["comparison_levels"]
    # Dice >= 0.8: m floored to 1e-4, log2(1e-4 / 0.0005) = -2.32 < Dice >= 0.6's
    # log2(0.5 / 0.01) = 5.64, so m = 0.0005 × 2^5.64 = 0.0005 × 50 = 0.025
    assert math.isclose(levels[1]["m_probability"], 0.025)
    assert levels[0]["m_probability"] == 0.8  # log2(400) = 8.64 ≥ 5.64: kept
    assert warnings == ["family_name (Dice >= 0.8) came out weighing less than the looser "
                        "Dice >= 0.6: given the same weight"]
