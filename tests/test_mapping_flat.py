"""Agency files loaded as they are, with only a mapping: a flat police extract (one row per
arrest, several dated stages, yes/no columns, two-digit years, no record id) and a
one-row-per-stay detention register. Every count is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from conftest import errors, query, warnings
from endvac.ingest.load import ingest
from endvac.ingest.result import IngestResult
from endvac.workspace import Workspace

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
POLICE_MAPPING = EXAMPLES / "mapping-policia-plana.yaml"
REGISTER_MAPPING = EXAMPLES / "mapping-registo-detencao.yaml"

POLICE_HEADER = ("Nº Ocorrência;Nome;Apelido;Data de Nascimento;Sexo;Distrito;Crime;"
                 "Data Detenção;Data Acusação;Data Primeira Audiência;Pais Notificados;"
                 "Defensor;Última Visita Família;Observações\n")
POLICE_ROWS = (
    "OC-101;João;Silva;03/02/10;M;D1;Roubo;05/01/2025 14:30;07/01/2025;08/01/25;Sim;Não;;"
    "sem observações\n"                                                     # row 2
    "OC-102;Inês;Costa;15/06/2009;F;D2;Furto;10/02/25;;;Não;Sim;12/02/2025;\n"  # row 3
    "OC-103;Ana;Reis;21/09/1990;F;D1;Furto;11/02/2025;;;;;;adulta\n"         # row 4: adult
    "OC-102;Inês;Costa;15/06/2009;F;D2;Furto;10/02/25;;;Não;Sim;12/02/2025;\n"  # row 5 = 3
    "OC-104;Rui;Sousa;;Desconhecido;D2;Agressão;01/03/2025;02/03/2025;;sim;;;\n"  # row 6
    "OC-105;Zé;Sá;31/02/2011;M;D1;Roubo;02/03/25;;;;;;\n"                  # row 7: 31/02
    "OC-106;Maria;Lopes;01/01/2012;F;D3;Fogo posto;03/03/2025;;;;;;\n")    # row 8: no ICCS


def police_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "ocorrencias.csv").write_bytes((POLICE_HEADER + POLICE_ROWS).encode("cp1252"))
    return folder


def _counts(result: IngestResult, where: str) -> tuple[int, int, int, int]:
    """(rows in, loaded, quarantined, duplicates) of the part whose path ends with where."""
    found = [f for f in result.files if f.path.endswith(where)]
    assert len(found) == 1, where
    f = found[0]
    assert f.reconciles
    return f.rows_in, f.loaded, f.quarantined, f.duplicates


def test_flat_police_file_loads_with_only_a_mapping(ws: Workspace, tmp_path: Path) -> None:
    result = ingest(ws, police_folder(tmp_path / "policia"), POLICE_MAPPING)
    # children: rows 2-8 = 7 in, row 5 repeats row 3, nothing quarantined (31/02 is optional)
    assert _counts(result, "ocorrencias.csv") == (7, 6, 0, 1)
    # arrest: every row has a date (7); row 5 repeats row 3; row 8's "Fogo posto" has no code
    assert _counts(result, "(arrest stage)") == (7, 5, 1, 1)
    assert _counts(result, "(charge stage)") == (2, 2, 0, 0)              # rows 2 and 6
    assert _counts(result, "(first_appearance stage)") == (1, 1, 0, 0)    # row 2
    assert _counts(result, "(parent_notified stage)") == (4, 3, 0, 1)     # rows 2, 3, 5, 6
    assert _counts(result, "(legal_aid stage)") == (3, 2, 0, 1)           # rows 2, 3, 5
    assert _counts(result, "(family_visit stage)") == (2, 1, 0, 1)        # rows 3, 5
    assert result.exit_code == 1
    assert errors(result) == {(8, "offence_iccs", "bad_iccs")}
    assert warnings(result) == {(7, "date_of_birth", "optional_date_dropped"),
                                (None, "Observações", "unknown_column"),   # read by no file
                                (3, "date", "visit_outside_detention")}    # no spells here
    assert query(ws, "SELECT record_id, agency, date_of_birth, sex, region FROM children "
                     "ORDER BY 1") == [
        ("OC-101", "police", "2010-02-03", "m", "D1"),    # 03/02/10: 2010, not 0010
        ("OC-102", "police", "2009-06-15", "f", "D2"),
        ("OC-103", "police", "1990-09-21", "f", "D1"),    # an adult loads like any other
        ("OC-104", "police", None, "u", "D2"),
        ("OC-105", "police", None, "m", "D1"),            # 31/02/2011 dropped, row kept
        ("OC-106", "police", "2012-01-01", "f", "D3")]
    assert query(ws, "SELECT event_id, record_id, case_id, event_type, date, date_time, "
                     "offence_iccs, evidence FROM events ORDER BY 1") == [
        ("OC-101-arrest", "OC-101", "OC-101", "arrest", date(2025, 1, 5),
         datetime(2025, 1, 5, 14, 30), "0401", None),
        ("OC-101-charge", "OC-101", "OC-101", "charge", date(2025, 1, 7), None, "0401", None),
        ("OC-101-first_appearance", "OC-101", "OC-101", "first_appearance",
         date(2025, 1, 8), None, "0401", None),                       # 08/01/25: 2025
        # yes/no answers: dated by the arrest, without its time of day
        ("OC-101-legal_aid", "OC-101", "OC-101", "legal_aid", date(2025, 1, 5), None,
         "0401", "not_done"),                                          # Não
        ("OC-101-parent_notified", "OC-101", "OC-101", "parent_notified", date(2025, 1, 5),
         None, "0401", "time_unknown"),                                # Sim
        ("OC-102-arrest", "OC-102", "OC-102", "arrest", date(2025, 2, 10), None, "0502",
         None),
        ("OC-102-family_visit", "OC-102", "OC-102", "family_visit", date(2025, 2, 12), None,
         "0502", None),
        ("OC-102-legal_aid", "OC-102", "OC-102", "legal_aid", date(2025, 2, 10), None,
         "0502", "time_unknown"),
        ("OC-102-parent_notified", "OC-102", "OC-102", "parent_notified", date(2025, 2, 10),
         None, "0502", "not_done"),
        ("OC-103-arrest", "OC-103", "OC-103", "arrest", date(2025, 2, 11), None, "0502",
         None),                                   # blank answers: no legal_aid, no notice
        ("OC-104-arrest", "OC-104", "OC-104", "arrest", date(2025, 3, 1), None, "02011",
         None),
        ("OC-104-charge", "OC-104", "OC-104", "charge", date(2025, 3, 2), None, "02011",
         None),
        ("OC-104-parent_notified", "OC-104", "OC-104", "parent_notified", date(2025, 3, 1),
         None, "02011", "time_unknown"),
        ("OC-105-arrest", "OC-105", "OC-105", "arrest", date(2025, 3, 2), None, "0401",
         None)]
    assert query(ws, "SELECT count(*) FROM events") == [(14,)]   # 5+2+1+3+2+1 loaded above


def test_flat_file_loaded_again_is_unchanged(ws: Workspace, tmp_path: Path) -> None:
    folder = police_folder(tmp_path / "policia")
    ingest(ws, folder, POLICE_MAPPING)
    (folder / "ocorrencias.csv").write_bytes(
        (POLICE_HEADER + POLICE_ROWS + "OC-107;Vasco;Dias;02/02/11;M;D1;Furto;04/03/25;;;;;;\n"
         ).encode("cp1252"))
    again = ingest(ws, folder, POLICE_MAPPING)
    arrests = next(f for f in again.files if f.path.endswith("(arrest stage)"))
    # ids built from the occurrence number are stable: 5 rows unchanged, 1 new (OC-107)
    assert (arrests.new, arrests.unchanged, arrests.replaced) == (1, 5, 0)


def _register(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [
        ["Processo", "Nome", "Apelido", "Data de Nascimento", "Sexo", "Estabelecimento",
         "Regime", "Entrada", "Saída", "Motivo de Saída"],
        ["R-1", "Tiago", "Mendes", datetime(2008, 4, 2), "Masculino", "CE-Norte",
         "Preventiva", datetime(2025, 1, 10), datetime(2025, 2, 10), "Libertado"],   # 2
        ["R-1", "Tiago", "Mendes", datetime(2008, 4, 2), "Masculino", "CE-Norte",
         "Condenado", "15/03/2025", None, None],                                     # 3
        ["R-2", "Joana", "Pires", "07/11/09", "Feminino", "CE-Sul", "Preventiva",
         "01/02/25", "20/02/2025", "Libertado"],                                     # 4
        ["R-3", "Carla", "Neves", "12/12/2010", "Feminino", "CE-Sul", "Condenado",
         "05/03/2025", "01/03/2025", "Libertado"]]:                                  # 5
        sheet.append(row)
    book.save(path)


def test_one_row_per_stay_register_loads_with_only_a_mapping(ws: Workspace,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "registo"
    folder.mkdir()
    _register(folder / "registo.xlsx")
    result = ingest(ws, folder, REGISTER_MAPPING)
    by_file = {f.file: (f.rows_in, f.loaded, f.quarantined, f.duplicates) for f in result.files}
    assert by_file == {
        "facilities": (4, 2, 0, 2),   # CE-Norte twice, CE-Sul twice: each loads once
        "children": (4, 3, 0, 1),     # R-1's two stays give the same child row
        "detentions": (4, 3, 1, 0)}   # row 5 ends before it starts
    assert errors(result) == {(5, "end", "end_before_start")}
    assert warnings(result) == set()  # every column is read by some file: none unknown
    assert query(ws, "SELECT facility_id, type FROM facilities ORDER BY 1") == [
        ("CE-Norte", "juvenile_institution"), ("CE-Sul", "juvenile_institution")]
    assert query(ws, "SELECT record_id, agency, date_of_birth, sex FROM children "
                     "ORDER BY 1") == [("R-1", "detention", "2008-04-02", "m"),
                                       ("R-2", "detention", "2009-11-07", "f"),   # 07/11/09
                                       ("R-3", "detention", "2010-12-12", "f")]
    assert query(ws, 'SELECT spell_id, record_id, facility_id, basis, start, "end", '
                     "end_reason FROM detentions ORDER BY 1") == [
        ("R-1-15/03/2025", "R-1", "CE-Norte", "sentenced", date(2025, 3, 15), None, None),
        ("R-1-2025-01-10", "R-1", "CE-Norte", "pre_sentence", date(2025, 1, 10),
         date(2025, 2, 10), "released"),
        ("R-2-01/02/25", "R-2", "CE-Sul", "pre_sentence", date(2025, 2, 1),
         date(2025, 2, 20), "released")]


def test_the_docs_show_the_tested_examples() -> None:
    doc = (EXAMPLES.parent / "mapping.md").read_text(encoding="utf-8")
    for example in (POLICE_MAPPING, REGISTER_MAPPING):
        assert example.read_text(encoding="utf-8") in doc, example.name
    order = [doc.index(step) for step in ("**1. Draft.**", "**2. Complete.**",
                                          "**3. Dry run.**", "**4. Ingest.**")]
    assert order == sorted(order)


def test_flat_file_encoded_at_the_agency_loads_the_same(ws: Workspace, tmp_path: Path) -> None:
    from endvac.ingest.agency_encoding import encode_delivery

    key = tmp_path / "identity.key"
    key.write_bytes((ws.root / "keys" / "identity.key").read_bytes())
    out = tmp_path / "encoded"
    summary = encode_delivery(police_folder(tmp_path / "policia"), out, key, POLICE_MAPPING)
    assert summary.records_encoded == 7          # rows 2-8, the repeat included
    dates = tmp_path / "dates.yaml"              # cells keep the agency's date shapes
    dates.write_text('date_formats: ["%d/%m/%Y", "%d/%m/%y", "%d/%m/%Y %H:%M"]\n',
                     encoding="utf-8")
    result = ingest(ws, out, dates)
    assert {f.file: (f.rows_in, f.loaded, f.quarantined, f.duplicates)
            for f in result.files} == {
        "children": (7, 6, 0, 1),
        # the stages' rows in one file: 7 + 2 + 1 + 4 + 3 + 2 = 19 rows, 4 repeats,
        # row 8's arrest quarantined, 14 loaded (as in the flat load)
        "events": (19, 14, 1, 4)}
