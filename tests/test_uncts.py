"""The UN-CTS tables of a hand-made delivery (children, events, detentions and
adult_counts), written out by hand; the adult_counts file validated and quarantined like
any other; the tables protected by the release's rule; the CSV and workbook."""

from __future__ import annotations

import csv
from pathlib import Path

from cli_helpers import endvac
from conftest import errors, load
from endvac.release import build_release, load_release
from endvac.uncts import build_uncts
from endvac.uncts.definitions import COLUMNS
from endvac.workspace import Workspace, open_workspace

KID = "2010-01-01"  # 15 in 2025
ADULT = "1995-01-01"  # 30 in 2025
CHILDREN = "record_id,agency,date_of_birth,sex\n" + "".join(
    f"{r},{a},{dob},{s}\n" for r, a, dob, s in [
        ("P1", "police", KID, "m"), ("P2", "police", KID, "m"), ("P3", "police", KID, "m"),
        ("P4", "police", KID, "m"), ("P5", "police", KID, "m"), ("P6", "police", KID, "f"),
        ("P7", "police", KID, "f"), ("P8", "police", KID, "f"), ("P9", "police", ADULT, "m"),
        ("P10", "police", KID, "m"),
        ("R1", "prosecution", KID, "m"), ("R2", "prosecution", KID, "f"),
        ("R3", "prosecution", KID, "m"), ("R4", "prosecution", ADULT, "f"),
        ("C1", "court", KID, "m"), ("C2", "court", KID, "f"), ("C3", "court", KID, "m"),
        ("D1", "detention", KID, "m"), ("D2", "detention", KID, "f"),
        ("D3", "detention", KID, "m"), ("D4", "detention", KID, "f"),
        ("D5", "detention", KID, "m")])
EVENTS = "event_id,agency,record_id,event_type,date,offence_iccs,measure\n" + "".join(
    f"{e},{a},{r},{t},{d},{i},{m}\n" for e, a, r, t, d, i, m in [
        # police: arrests in 2025 of 8 children (P1 twice: counted once, by the first)
        ("E1", "police", "P1", "arrest", "2025-02-01", "0101", ""),
        ("E2", "police", "P1", "arrest", "2025-06-01", "0401", ""),
        ("E3", "police", "P2", "arrest", "2025-03-01", "0401", ""),
        ("E4", "police", "P3", "arrest", "2025-03-02", "04011", ""),
        ("E5", "police", "P4", "arrest", "2025-04-01", "0502", ""),
        ("E6", "police", "P5", "arrest", "2025-04-02", "05021", ""),
        ("E7", "police", "P6", "arrest", "2025-05-01", "0502", ""),
        ("E8", "police", "P7", "arrest", "2025-05-02", "0601", ""),
        ("E9", "police", "P8", "arrest", "2025-05-03", "0201", ""),
        ("E10", "police", "P9", "arrest", "2025-05-04", "0502", ""),  # an adult
        ("E11", "police", "P10", "arrest", "2024-12-31", "0502", ""),  # the year before
        # prosecution: charges of 3 children (R4 is an adult)
        ("E20", "prosecution", "R1", "charge", "2025-03-01", "0401", ""),
        ("E21", "prosecution", "R2", "charge", "2025-03-01", "0502", ""),
        ("E22", "prosecution", "R3", "charge", "2025-03-01", "03011", ""),
        ("E23", "prosecution", "R4", "charge", "2025-03-01", "0502", ""),
        # court: 2 children convicted, 1 acquitted
        ("E30", "court", "C1", "verdict", "2025-09-01", "0502", "convicted"),
        ("E31", "court", "C2", "verdict", "2025-09-01", "0502", "acquitted"),
        ("E32", "court", "C3", "verdict", "2025-03-01", "0101", "convicted")])
FACILITIES = "facility_id,type\nF1,remand_home\nF2,juvenile_institution\nF3,police_station\n"
DETENTIONS = "spell_id,agency,record_id,facility_id,basis,start,end\n" + "".join(
    f"{s},detention,{r},{f},{b},{start},{end}\n" for s, r, f, b, start, end in [
        ("S1", "D1", "F1", "pre_sentence", "2025-11-01", ""),  # held on 31 December
        ("S2", "D2", "F1", "pre_sentence", "2025-06-01", "2025-07-01"),  # released before
        ("S3", "D3", "F2", "sentenced", "2025-10-01", ""),  # held
        ("S4", "D4", "F2", "sentenced", "2025-01-01", "2026-02-01"),  # held
        ("S5", "D5", "F3", "police_custody", "2025-12-30", "")])  # neither
ADULT_COUNTS = """year,measure,sex,iccs,count
2025,police_contact,m,,100
2025,police_contact,f,,20
2025,police_contact,,,125
2025,police_contact,,0502,40
2025,prosecuted,,,60
2025,held_pre_trial,m,,30
2025,held_pre_trial,f,,2
2025,held_pre_trial,,,32
2025,held_pre_trial,,0502,3
2025,police_contact,,0102,7
2024,police_contact,,,99
2025,arrested,,,5
2025,convicted,m,,lots
"""
N = None  # not available: no adult count delivered
# (juvenile m, f, total, adult m, f, total, all m, f, total), worked out from the rows above:
# police: P1 counts once, under homicide (her first arrest); P9 is an adult, P10's arrest
# is in 2024. Adults: 100 men, 20 women, 125 in all (5 of unknown sex); 40 for theft.
EXPECTED = {
    "police_contact": {
        "total": (5, 3, 8, 100, 20, 125, 105, 23, 133),
        "intentional_homicide": (1, 0, 1, N, N, N, N, N, N),
        "assault": (0, 1, 1, N, N, N, N, N, N),
        "kidnapping": (0, 0, 0, N, N, N, N, N, N),
        "sexual_violence": (0, 0, 0, N, N, N, N, N, N),
        "robbery": (2, 0, 2, N, N, N, N, N, N),  # P2 (0401), P3 (04011)
        "burglary": (0, 0, 0, N, N, N, N, N, N),
        "theft": (2, 1, 3, N, N, 40, N, N, 43),  # P4, P5 (05021), P6; 40 adults
        "drug_offences": (0, 1, 1, N, N, N, N, N, N),  # P7 (0601)
    },
    "prosecuted": {
        "total": (2, 1, 3, N, N, 60, N, N, 63),
        "intentional_homicide": (0, 0, 0, N, N, N, N, N, N),
        "assault": (0, 0, 0, N, N, N, N, N, N),
        "kidnapping": (0, 0, 0, N, N, N, N, N, N),
        "sexual_violence": (1, 0, 1, N, N, N, N, N, N),  # R3 (03011)
        "robbery": (1, 0, 1, N, N, N, N, N, N),
        "burglary": (0, 0, 0, N, N, N, N, N, N),
        "theft": (0, 1, 1, N, N, N, N, N, N),
        "drug_offences": (0, 0, 0, N, N, N, N, N, N),
    },
    "convicted": {
        "total": (2, 0, 2, N, N, N, N, N, N),  # C2 was acquitted
        "intentional_homicide": (1, 0, 1, N, N, N, N, N, N),
        "assault": (0, 0, 0, N, N, N, N, N, N),
        "kidnapping": (0, 0, 0, N, N, N, N, N, N),
        "sexual_violence": (0, 0, 0, N, N, N, N, N, N),
        "robbery": (0, 0, 0, N, N, N, N, N, N),
        "burglary": (0, 0, 0, N, N, N, N, N, N),
        "theft": (1, 0, 1, N, N, N, N, N, N),
        "drug_offences": (0, 0, 0, N, N, N, N, N, N),
    },
    # held on 31 December 2025: S1 before sentence; S3 and S4 sentenced
    "held_pre_trial": {"total": (1, 0, 1, 30, 2, 32, 31, 2, 33)},
    "held_sentenced": {"total": (1, 1, 2, N, N, N, N, N, N)},
}


def loaded(tmp_path: Path, ws: Workspace, min_cell: int) -> Workspace:
    config = ws.root / "endvac.yaml"
    config.write_text(config.read_text("utf-8").replace("min_cell: 5", f"min_cell: {min_cell}"),
                      "utf-8")
    result = load(ws, tmp_path / "delivery", {
        "children.csv": CHILDREN, "events.csv": EVENTS, "facilities.csv": FACILITIES,
        "detentions.csv": DETENTIONS, "adult_counts.csv": ADULT_COUNTS})
    # the two bad adult rows are quarantined like any other file's: a measure not in the
    # list (row 13 as a person sees it, the header being row 1) and a count that is no number
    assert errors(result, "adult_counts") == {(13, "measure", "bad_code"),
                                              (14, "count", "bad_number")}
    assert errors(result) == errors(result, "adult_counts")
    return open_workspace(ws.root)


def test_uncts_tables_of_a_hand_made_delivery(tmp_path: Path, ws: Workspace) -> None:
    # min_cell 1: no count is too small, so every figure is published as counted
    tables = build_uncts(loaded(tmp_path, ws, 1), 2025)
    found: dict[str, dict[str, list[int | None]]] = {}
    for cell in tables.cells:
        found.setdefault(cell.measure, {}).setdefault(cell.row, []).append(cell.value)
        assert cell.status == ("not available" if cell.value is None else "published")
    assert found == {m: {r: list(v) for r, v in rows.items()} for m, rows in EXPECTED.items()}
    # two adult rows name an ICCS code that is no row of the survey's tables (0102), or a
    # table the survey asks without offences (held_pre_trial by 0502): left out, counted
    assert tables.adult_rows_left_out == 2
    sources = {(c.measure, c.row, c.column): c.source for c in tables.cells}
    assert sources[("police_contact", "total", "juvenile_m")] == \
        "records (children, events, detentions)"
    assert sources[("police_contact", "total", "adult_f")] == "adult_counts.csv"
    assert sources[("police_contact", "total", "all_total")] == \
        "records (children, events, detentions) + adult_counts.csv"


def expected_value(measure: str, row: str, column: str) -> int | None:
    return EXPECTED[measure][row][COLUMNS.index(column)]


def test_small_counts_are_withheld_and_the_release_is_kept(tmp_path: Path, ws: Workspace
                                                         ) -> None:
    ws = loaded(tmp_path, ws, 5)
    build_release(ws, "2025")
    release = load_release(ws)
    tables = build_uncts(ws, 2025)
    assert tables.release == release.number
    for cell in tables.cells:
        value = expected_value(cell.measure, cell.row, cell.column)
        if value is None:
            assert cell.status == "not available"
        elif 0 < value < 5:
            assert (cell.status, cell.value) == ("primary", None), cell
        elif cell.status == "published":
            assert cell.value == value, cell
        else:
            assert (cell.status, cell.value) == ("secondary", None), cell
    # the juvenile police contacts are JJ1's numerator: withheld wherever the release
    # withheld it (JJ1's total is 8 = 5 boys + 3 girls: the girls' 3 is too small)
    jj1 = {r["cell"] or "total": r["numerator_suppressed"] for r in release.rows()
           if r["id"] == "JJ1" and r["period"] == "2025-01-01/2025-12-31"
           and r["breakdown"] in ("", "sex")}
    ours = {c.column.split("_")[1]: c.status for c in tables.cells
            if c.measure == "police_contact" and c.row == "total"
            and c.column.startswith("juvenile_")}
    assert jj1["f"] == "primary" and ours["f"] == "primary"
    for sex in ("m", "f", "total"):
        assert (jj1[sex] is None) == (ours[sex] == "published"), sex


def test_export_command_writes_csv_and_workbook(tmp_path: Path, ws: Workspace) -> None:
    from openpyxl import load_workbook

    ws = loaded(tmp_path, ws, 1)
    out = tmp_path / "uncts"
    result = endvac("export", "uncts", ws.root, "--year", "2025", "--out", out)
    assert result.exit_code == 0, result.stderr
    with (out / "uncts-2025.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # 9 offence rows x 9 columns for three tables, 1 row x 9 for the two held tables
    assert len(rows) == 3 * 9 * 9 + 2 * 9
    theft = {r["column"]: r["value"] for r in rows
             if r["measure"] == "police_contact" and r["row"] == "theft"}
    assert (theft["juvenile_total"], theft["adult_total"], theft["all_total"],
            theft["adult_m"]) == ("3", "40", "43", "")
    sheet = load_workbook(out / "uncts-2025.xlsx")["police_contact"]
    # row 5 is "All offences": label, ICCS, then juveniles m f t, adults, all
    assert [c.value for c in sheet[5]] == ["All offences", None, 5, 3, 8, 100, 20, 125, 105,
                                            23, 133]
    assert [c.value for c in sheet[12]][:2] == ["Theft", "0502"]
    assert sheet.cell(12, 6).value == ".."  # no adult men for theft
    assert sheet.cell(5, 3).comment.text == (
        "source: records (children, events, detentions); status: published")
    assert (out / "uncts-2025.csv").stat().st_mode & 0o077 == 0


def attack(cells: dict[tuple[str, str, str], int | None]
           ) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Each withheld cell's range from the published ones and what docs/uncts.md says a
    reader knows (written out here, not taken from endvac): male + female <= total in
    each group, all = juveniles + adults, the offence rows at most the total row."""
    import numpy as np
    from scipy.optimize import linprog

    keys = list(cells)
    index = {k: i for i, k in enumerate(keys)}
    eq: list[dict[int, int]] = []
    le: list[dict[int, int]] = []

    def add(rows: list[dict[int, int]], terms: list[tuple[tuple[str, str, str], int]]
            ) -> None:
        if all(t in index for t, _ in terms):
            rows.append({index[t]: c for t, c in terms})
    for measure, table in EXPECTED.items():
        for row in table:
            for group in ("juvenile", "adult", "all"):
                add(le, [((measure, row, f"{group}_m"), 1), ((measure, row, f"{group}_f"), 1),
                         ((measure, row, f"{group}_total"), -1)])
            for sex in ("m", "f", "total"):
                add(eq, [((measure, row, f"all_{sex}"), 1),
                         ((measure, row, f"juvenile_{sex}"), -1),
                         ((measure, row, f"adult_{sex}"), -1)])
        for column in COLUMNS:
            if len(table) > 1:
                add(le, [*(((measure, r, column), 1) for r in table if r != "total"),
                         ((measure, "total", column), -1)])

    def matrix(rows: list[dict[int, int]]) -> np.ndarray:
        out = np.zeros((max(len(rows), 1), len(keys)))
        for r, row in enumerate(rows):
            for i, c in row.items():
                out[r, i] = c
        return out
    bounds = [(0, None) if v is None else (v, v) for v in cells.values()]
    ranges = {}
    for key, value in cells.items():
        if value is not None:
            continue
        c = np.zeros(len(keys))
        c[index[key]] = 1
        args = {"A_ub": matrix(le), "b_ub": np.zeros(max(len(le), 1)), "A_eq": matrix(eq),
                "b_eq": np.zeros(max(len(eq), 1)), "bounds": bounds, "method": "highs"}
        low, high = linprog(c, **args), linprog(-c, **args)
        ranges[key] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return ranges


def test_no_withheld_uncts_cell_can_be_narrowed_below_p(tmp_path: Path, ws: Workspace
                                                        ) -> None:
    ws = loaded(tmp_path, ws, 5)
    build_release(ws, "2025")
    tables = build_uncts(ws, 2025)
    cells = {(c.measure, c.row, c.column): c.value for c in tables.cells
             if c.status != "not available"}
    withheld = [k for k, v in cells.items() if v is None]
    assert len(withheld) > 10
    for key, (low, high) in attack(cells).items():
        value = expected_value(*key)
        assert value is not None
        assert low <= max(0, value - 5) + 1e-6, (key, value, low)
        assert high >= value + 5 - 1e-6, (key, value, high)
