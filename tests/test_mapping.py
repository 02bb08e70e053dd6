"""A realistic mapped delivery: semicolons, cp1252, DD/MM/YYYY, Portuguese labels,
and spreadsheets whose ICCS codes lost their leading zeros."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import errors, query, warnings
from endvac.errors import BadInput
from endvac.ingest.load import ingest
from endvac.workspace import Workspace

MAPPING = Path(__file__).parent.parent / "docs" / "examples" / "mapping-policia.yaml"


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


def _police_delivery(folder: Path) -> Path:
    folder.mkdir()
    (folder / "criancas.csv").write_bytes(
        "id_crianca;nome;apelido;data_nascimento;sexo;distrito\n"
        "P-1;João;Conceição;03/02/2010;Masculino;D1\n"
        "P-2;Inês;Lourenço;2011;FEMININO;D2\n"
        "P-3;Zé;Sá;31/02/2011;Feminino;D2\n".encode("cp1252"))
    (folder / "ocorrencias.csv").write_bytes(
        "id_ocorrencia;id_crianca;tipo;data;crime_iccs\n"
        "O-1;P-1;Detenção;05/01/2025 14:30;0401\n"
        "O-2;P-1;Pais notificados;05/01/2025 16:00;\n"
        "O-3;P-2;Acusação;07/01/2025;0502\n"
        "O-4;P-2;Roubo;07/01/2025;0502\n".encode("cp1252"))
    _xlsx(folder / "esquadras.xlsx", [["codigo", "tipo", "distrito"],
                                      ["E-1", "Esquadra", "D1"]])
    _xlsx(folder / "detencoes.xlsx", [
        ["id_detencao", "id_crianca", "local", "base", "inicio", "fim", "motivo_fim",
         "crime_iccs"],
        ["D-1", "P-1", "E-1", "Custódia policial", datetime(2025, 1, 5, 14, 45),
         datetime(2025, 1, 6, 9, 0), "Libertado", 401],        # ICCS typed as a number
        ["D-2", "P-2", "E-1", "custódia policial", "07/01/2025", None, None, 502.0]])
    return folder


def test_mapped_delivery_loads(ws: Workspace, tmp_path: Path) -> None:
    result = ingest(ws, _police_delivery(tmp_path / "policia"), MAPPING)
    assert errors(result) == {(5, "event_type", "bad_code")}      # Roubo is no event type
    # 31/02 does not exist: an optional date, so the child loads without it (a warning)
    assert warnings(result) == {(4, "date_of_birth", "optional_date_dropped"),
                                (2, "offence_iccs", "iccs_restored"),
                                (3, "offence_iccs", "iccs_restored")}
    assert query(ws, "SELECT record_id, agency, date_of_birth, sex, region FROM children "
                     "ORDER BY 1") == [("P-1", "police", "2010-02-03", "m", "D1"),
                                       ("P-2", "police", "2011", "f", "D2"),
                                       ("P-3", "police", None, "f", "D2")]
    assert query(ws, "SELECT event_id, event_type, date, date_time, offence_iccs FROM events "
                     "ORDER BY 1") == [
        ("O-1", "arrest", date(2025, 1, 5), datetime(2025, 1, 5, 14, 30), "0401"),
        ("O-2", "parent_notified", date(2025, 1, 5), datetime(2025, 1, 5, 16, 0), None),
        ("O-3", "charge", date(2025, 1, 7), None, "0502")]
    assert query(ws, "SELECT spell_id, basis, start, start_time, \"end\", end_reason, "
                     "offence_iccs FROM detentions ORDER BY 1") == [
        ("D-1", "police_custody", date(2025, 1, 5), datetime(2025, 1, 5, 14, 45),
         date(2025, 1, 6), "released", "0401"),
        ("D-2", "police_custody", date(2025, 1, 7), None, None, None, "0502")]
    assert query(ws, "SELECT facility_id, type FROM facilities") == [("E-1", "police_station")]


def test_bad_mapping_is_refused_with_the_setting_named(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("encoding: klingon\n", encoding="utf-8")
    with pytest.raises(BadInput, match="encoding"):
        ingest(ws, tmp_path, bad)
    bad.write_text("files:\n  events:\n    columns: {tipo: event_kind}\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"files\.events: .*event_kind.*not columns of events"):
        ingest(ws, tmp_path, bad)


def test_workbook_with_sheets_named_after_files(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "children"
    first.append(["record_id", "agency", "sex"])
    first.append(["C1", "court", "F"])
    events = book.create_sheet("events")
    events.append(["event_id", "agency", "record_id", "event_type", "date", "offence_iccs"])
    events.append(["V1", "court", "C1", "victim_report", date(2025, 3, 1), 101])
    book.save(folder / "court-extract.xlsx")
    result = ingest(ws, folder)
    assert errors(result) == set()
    assert query(ws, "SELECT event_id, date, offence_iccs FROM events") == [
        ("V1", date(2025, 3, 1), "0101")]
