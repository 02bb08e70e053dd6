"""`endvac export sdmx`: a hand-made release and a synthetic country's release written as
SDMX-CSV 2.0 and SDMX-ML 3.0, read back with pysdmx, validated against the data
structure definition written beside them, and checked by hand against the release."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from pysdmx.io import get_datasets, read_sdmx
from pysdmx.model import DataStructureDefinition

from cli_helpers import endvac
from conftest import synthetic_workspace
from endvac.release import build_release, load_release
from endvac.release.store import write_release
from endvac.release.tables import to_arrow
from endvac.workspace import Workspace, init_workspace

DIMS = ["REF_AREA", "INDICATOR", "SEX", "AGE", "REGION", "OFFENCE", "UNIT_MEASURE",
        "TIME_PERIOD"]
YEAR = "2025-01-01/2025-12-31"


def release_row(**fields: Any) -> dict[str, Any]:
    return {"period": YEAR, "breakdown": "", "cell": "", "unit": "per_100000",
            "denominator_is_population": True, "notes": [], "note_kinds": [], **fields}


# A hand-made release of country XKA: JJ1 nationally and by sex (f primary, m secondary),
# JJ7 (a share) for ages 14-15, JJ1 for an unknown region, JJ6 in the first quarter
# (provisional).
HAND_ROWS = {
    "total": [release_row(id="JJ1", numerator=40, denominator=20000, value=200.0,
                          ci_low=142.9, ci_high=272.3)],
    "sex": [release_row(id="JJ1", breakdown="sex", cell="f", denominator=9800,
                        numerator_suppressed="primary", numerator_reason="small",
                        value_suppressed="derived", value_reason="from numerator"),
            release_row(id="JJ1", breakdown="sex", cell="m", denominator=10200,
                        numerator_suppressed="secondary", numerator_reason="protects f",
                        value_suppressed="derived", value_reason="from numerator")],
    "age_group": [release_row(id="JJ7", breakdown="age_group", cell="14-15", unit="percent",
                              numerator=6, denominator=12, value=50.0, ci_low=25.4,
                              ci_high=74.6, denominator_is_population=False)],
    "region": [release_row(id="JJ1", breakdown="region", cell="unknown", numerator=0,
                           denominator=0, value=None)],
    "quarter": [release_row(id="JJ6", period="2025-01-01/2025-03-31", unit="per_1000",
                            numerator=0, denominator=15, value=0.0, ci_low=0.0,
                            ci_high=245.9, note_kinds=["provisional"],
                            notes=["provisional: ..."], denominator_is_population=False)],
}


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    ws = init_workspace(tmp_path_factory.mktemp("hand") / "ws", country_code="XKA",
                        country_name="Republic of Examplia")
    meta = {"format": 1, "period": YEAR, "definitions_version": 1, "config_revision": 1,
            "settings": {"rounding_base": 5},
            "tables": {name: {"file": f"{name}.parquet", "rows": len(rows)}
                       for name, rows in HAND_ROWS.items()}}
    write_release(ws.root, meta, {n: to_arrow(r) for n, r in HAND_ROWS.items()})
    out = ws.root.parent / "sdmx"
    result = endvac("export", "sdmx", ws.root, "--out", out)
    assert result.exit_code == 0, result.output
    # 6 rows: JJ1 total (value + 2 counts), f and m (value + 2 counts each), JJ7 (3), the
    # unknown region (value + 2 counts), JJ6 Q1 (3): 3 + 6 + 3 + 3 + 3 = 18 observations;
    # confidential: f and m's value and numerator = 4
    assert "18 observations (4 confidential)" in result.stdout
    return ws, out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    ws = synthetic_workspace(tmp_path_factory.mktemp("synth"), 300, 5)[1]
    build_release(ws, "2025")
    out = ws.root.parent / "sdmx"
    assert endvac("export", "sdmx", ws.root, "--release", "1", "--out", out).exit_code == 0
    return ws, out


def read_back(out: Path, name: str) -> tuple[list[dict[str, Any]], dict[str, Any],
                                             DataStructureDefinition]:
    """The observations of ``name`` read with pysdmx against the DSD beside it (XML is
    validated against the SDMX schemas as it is read), its dataset attributes and DSD."""
    dataset = get_datasets(str(out / name), str(out / "structure.xml"))[0]
    dsd = read_sdmx(str(out / "structure.xml")).get_data_structure_definitions()[0]
    rows = [{k: (None if str(v) in ("<NA>", "nan", "") else v) for k, v in r.items()}
            for r in dataset.data.to_dict("records")]
    return rows, dict(dataset.attributes or {}), dsd


def validate(rows: list[dict[str, Any]], dsd: DataStructureDefinition) -> None:
    """Every coded value in its codelist, every key once, confidential cells valueless."""
    assert [d.id for d in dsd.components.dimensions] == DIMS
    for component in dsd.components:
        if component.local_codes is None:
            continue
        allowed = {code.id for code in component.local_codes.items}
        used = {r[component.id] for r in rows if r.get(component.id) is not None}
        assert used <= allowed, (component.id, used - allowed)
    keys = [tuple(r[d] for d in DIMS) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert r["CONF_STATUS"] in ("F", "C")
        if r["CONF_STATUS"] == "C":
            assert r["OBS_VALUE"] is None and r["CI_LOWER"] is None


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(str(r[d]) for d in DIMS[1:]): r for r in rows}


@pytest.mark.parametrize("name", ["data.csv", "data.xml"])
def test_hand_made_release_round_trips(hand_made: tuple[Workspace, Path], name: str) -> None:
    _ws, out = hand_made
    rows, attributes, dsd = read_back(out, name)
    validate(rows, dsd)
    assert len(rows) == 18 and {r["REF_AREA"] for r in rows} == {"XKA"}
    assert attributes["RELEASE_NO"] == "1" and attributes["RELEASE_PERIOD"] == YEAR
    assert attributes["ROUNDING_BASE"] == "5"
    found = by_key(rows)
    total = found[("JJ1", "_T", "_T", "_T", "_T", "PER_100000", "2025")]
    assert (float(total["OBS_VALUE"]), float(total["CI_LOWER"])) == (200.0, 142.9)
    assert float(found[("JJ1_NUM", "_T", "_T", "_T", "_T", "NUMBER", "2025")]["OBS_VALUE"]) == 40
    assert float(found[("JJ1_DEN", "_T", "_T", "_T", "_T", "NUMBER", "2025")]["OBS_VALUE"]) \
        == 20000
    # f: primary, m: secondary: both confidential, never a zero; the population is public
    for sex in ("F", "M"):
        for indicator in ("JJ1", "JJ1_NUM"):
            unit = "PER_100000" if indicator == "JJ1" else "NUMBER"
            cell = found[(indicator, sex, "_T", "_T", "_T", unit, "2025")]
            assert cell["CONF_STATUS"] == "C" and cell["OBS_VALUE"] is None
    assert float(found[("JJ1_DEN", "F", "_T", "_T", "_T", "NUMBER", "2025")]["OBS_VALUE"]) \
        == 9800
    share = found[("JJ7", "_T", "Y14T15", "_T", "_T", "PC", "2025")]
    assert float(share["OBS_VALUE"]) == 50.0 and share["CONF_STATUS"] == "F"
    # a value with nothing to compute it from is missing (O), not confidential
    unknown = found[("JJ1", "_T", "_T", "_U", "_T", "PER_100000", "2025")]
    assert (unknown["OBS_STATUS"], unknown["CONF_STATUS"], unknown["OBS_VALUE"]) == \
        ("O", "F", None)
    quarter = found[("JJ6", "_T", "_T", "_T", "_T", "PER_1000", "2025-Q1")]
    assert (float(quarter["OBS_VALUE"]), quarter["OBS_STATUS"]) == (0.0, "P")


def test_files_are_private_and_the_dsd_names_the_country(hand_made: tuple[Workspace, Path]
                                                         ) -> None:
    _ws, out = hand_made
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in ("structure.xml", "data.csv", "data.xml"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    message = read_sdmx(str(out / "structure.xml"))
    lists = {cl.id: {c.id: c.name for c in cl.items} for cl in message.get_codelists()}
    assert lists["CL_REF_AREA"] == {"XKA": "Republic of Examplia"}
    assert {"01", "11", "_T"} <= set(lists["CL_OFFENCE"])
    assert lists["CL_CONF_STATUS"]["C"].startswith("Confidential")


@pytest.mark.parametrize("name", ["data.csv", "data.xml"])
def test_synthetic_release_round_trips(synthetic: tuple[Workspace, Path], name: str) -> None:
    ws, out = synthetic
    rows, attributes, dsd = read_back(out, name)
    validate(rows, dsd)
    assert not attributes.get("ROUNDING_BASE")  # an unrounded release
    release = load_release(ws, 1).rows()
    # every suppressed field of the release is one confidential observation
    suppressed = sum(1 for r in release for f in ("numerator", "denominator", "value")
                     if r[f"{f}_suppressed"])
    assert sum(1 for r in rows if r["CONF_STATUS"] == "C") == suppressed > 0
    found = by_key(rows)
    # a few national totals by hand from the release's own rows
    for row in (r for r in release if r["breakdown"] == "" and r["period"] == YEAR):
        if row["numerator"] is not None:
            key = (row["id"] + "_NUM", "_T", "_T", "_T", "_T", "NUMBER", "2025")
            assert float(found[key]["OBS_VALUE"]) == row["numerator"]
    sexes = [r for r in release if r["breakdown"] == "sex" and r["id"] == "JJ1"]
    for row in sexes:
        key = ("JJ1_NUM", row["cell"].upper(), "_T", "_T", "_T", "NUMBER", "2025")
        if row["numerator_suppressed"]:
            assert found[key]["CONF_STATUS"] == "C"
        else:
            assert float(found[key]["OBS_VALUE"]) == row["numerator"]


def test_no_release_is_a_usage_error(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    result = endvac("export", "sdmx", ws.root, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "no published release" in result.stderr
