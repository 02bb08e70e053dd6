"""Issue 14, items 5 (ids), 9 and 10: files outside the delivery, bad files, formula
cells and formula-like ids. Each test reproduces a probe of the issue."""

from __future__ import annotations

import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import CHILDREN, FACILITIES, errors, load, query, warnings, write_delivery
from endvac.errors import BadInput
from endvac.ingest.load import ingest
from endvac.workspace import Workspace

SECRET = "root:x:0:0:SECRET-LINE-FROM-OUTSIDE:/root:/bin/bash\n"


def _nothing_stored(ws: Workspace) -> None:
    assert query(ws, "SELECT count(*) FROM deliveries") == [(0,)]
    assert query(ws, "SELECT count(*) FROM quarantine") == [(0,)]
    assert query(ws, "SELECT count(*) FROM findings") == [(0,)]


def test_symlink_out_of_the_delivery_is_refused(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "passwd"
    outside.write_text(SECRET, encoding="utf-8")
    folder = write_delivery(tmp_path / "d", {"facilities.csv": FACILITIES})
    (folder / "children.csv").symlink_to(outside)
    with pytest.raises(BadInput, match="children.csv is a symbolic link") as caught:
        ingest(ws, folder)
    assert "SECRET" not in str(caught.value)
    _nothing_stored(ws)


def test_symlink_to_the_identity_key_is_refused(ws: Workspace, tmp_path: Path) -> None:
    keys = [p for p in ws.root.rglob("*.key") if p.is_file()]
    assert keys, "a workspace has key files"
    secret = keys[0].read_bytes()
    folder = write_delivery(tmp_path / "d", {})
    (folder / "children.csv").symlink_to(keys[0])
    with pytest.raises(BadInput, match="symbolic link") as caught:
        ingest(ws, folder)
    assert secret.decode("latin-1")[:16] not in str(caught.value)
    _nothing_stored(ws)


def test_hard_link_to_a_key_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    key = next(p for p in sorted(ws.keys_dir.iterdir()) if p.is_file())
    folder = write_delivery(tmp_path / "d", {"facilities.csv": FACILITIES})
    os.link(key, folder / "children.csv")  # same file, not a symbolic link
    with pytest.raises(BadInput, match="children.csv: is a key file of the workspace"):
        ingest(ws, folder)
    _nothing_stored(ws)


def test_empty_file_is_an_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="children.csv: empty file"):
        load(ws, tmp_path / "d", {"facilities.csv": FACILITIES, "children.csv": b""})
    _nothing_stored(ws)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(ws: Workspace, tmp_path: Path,
                                                encoding: str) -> None:
    # CHILDREN: a header and 2 records (C1, C2) -> 2 rows in, 2 loaded, no finding (the
    # delivery-level notices about reference files it does not carry are not findings of a row)
    result = load(ws, tmp_path / "d", {"children.csv": CHILDREN.encode(encoding)})
    children = next(f for f in result.files if f.file == "children")
    row_findings = [f for f in result.findings if f.severity != "notice"]
    assert (children.rows_in, children.loaded, row_findings) == (2, 2, [])
    assert query(ws, "SELECT record_id, region FROM children ORDER BY 1") == [
        ("C1", "D1"), ("C2", "D2")]


def test_utf16_without_a_mark_asks_for_the_encoding(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="file is UTF-16 .*utf-16-le"):
        load(ws, tmp_path / "d", {"children.csv": CHILDREN.encode("utf-16-le")})
    _nothing_stored(ws)


def test_binary_file_is_refused_whole(ws: Workspace, tmp_path: Path) -> None:
    noise = random.Random(14).randbytes(200_000)
    with pytest.raises(BadInput, match="children.csv: is not a text file"):
        load(ws, tmp_path / "d", {"children.csv": noise})
    _nothing_stored(ws)


def test_unreadable_header_text_is_not_copied(ws: Workspace, tmp_path: Path) -> None:
    # "Straße" in latin-1 inside a UTF-8 file: the header cell is not readable text
    body = b"record_id,agency,Stra\xdfe\nC1,police,x\n"
    result = load(ws, tmp_path / "d", {"children.csv": body})
    assert warnings(result) == {(None, "(column 3: unreadable name)", "unknown_column")}


@pytest.mark.parametrize("facility_id", ["=cmd|'/C calc'!A0", "+F9", "-F9", "@F9", "F|9"])
def test_formula_like_id_is_quarantined(ws: Workspace, tmp_path: Path,
                                        facility_id: str) -> None:
    quoted = '"' + facility_id.replace('"', '""') + '"'
    body = FACILITIES + f"{quoted},remand_home,D1\n"
    result = load(ws, tmp_path / "d", {"facilities.csv": body})
    # header = line 1, F1 = 2, F2 = 3, the bad id = line 4
    assert errors(result) == {(4, "facility_id", "unsafe_id")}
    assert query(ws, "SELECT facility_id FROM facilities ORDER BY 1") == [("F1",), ("F2",)]


def test_plain_ids_pass(ws: Workspace, tmp_path: Path) -> None:
    body = ("facility_id,type,region\nF-1/2,remand_home,Île-de-France\n"
            "CR 2023.45,adult_prison,D_2\n")
    result = load(ws, tmp_path / "d", {"facilities.csv": body})
    assert errors(result) == set()
    assert query(ws, "SELECT count(*) FROM facilities") == [(2,)]


def _facilities_workbook(path: Path, capacity: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["facility_id", "type", "region", "capacity"])
    sheet.append(["F1", "remand_home", "D1", capacity])
    sheet.append(["F2", "adult_prison", "D2", 40])
    book.save(path)


def test_formula_without_saved_result_warns(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    _facilities_workbook(folder / "facilities.xlsx", "=10+5")  # openpyxl saves no result
    result = ingest(ws, folder)
    assert warnings(result) == {(2, None, "formula_without_value")}
    assert "cell D2" in next(f.message for f in result.findings)
    assert query(ws, "SELECT facility_id, capacity FROM facilities ORDER BY 1") == [
        ("F1", None), ("F2", 40)]


def test_formula_with_saved_result_reads_the_result(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    plain = tmp_path / "plain.xlsx"
    _facilities_workbook(plain, "=10+5")
    # add the saved result Excel would write: <f>10+5</f><v>15</v>
    with zipfile.ZipFile(plain) as src, \
            zipfile.ZipFile(folder / "facilities.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb"<f>10\+5</f>(<v\s*/>|<v></v>)?",
                                      b"<f>10+5</f><v>15</v>", data)
                assert count == 1
            dst.writestr(item, data)
    result = ingest(ws, folder)
    assert warnings(result) == set()
    assert query(ws, "SELECT facility_id, capacity FROM facilities ORDER BY 1") == [
        ("F1", 15), ("F2", 40)]
