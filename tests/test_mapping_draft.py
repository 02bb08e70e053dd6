"""`endvac mapping draft` on the flat police file: the right column for most columns, the
labels to map, the date formats; completed, it loads like the hand-written mapping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import query
from endvac.ingest.draft import draft_mapping, match
from endvac.ingest.load import ingest
from endvac.workspace import Workspace
from test_mapping_flat import police_folder

ENDVAC = str(Path(sys.executable).parent / "endvac")

# The right target of each column of the flat police file, worked out by hand.
RIGHT = {
    "Nº Ocorrência": ("build", "record_id"),
    "Nome": ("children", "given_name"),
    "Apelido": ("children", "family_name"),
    "Data de Nascimento": ("children", "date_of_birth"),
    "Sexo": ("children", "sex"),
    "Distrito": ("children", "region"),
    "Crime": ("events", "offence_iccs"),
    "Data Detenção": ("stage", "arrest"),
    "Data Acusação": ("stage", "charge"),
    "Data Primeira Audiência": ("stage", "first_appearance"),
    "Pais Notificados": ("answer", "parent_notified"),
    "Defensor": ("answer", "legal_aid"),
    "Última Visita Família": ("stage", "family_visit"),
    "Observações": None,   # free remarks: left out
}


def test_draft_proposes_the_right_column_for_most_columns(tmp_path: Path) -> None:
    folder = police_folder(tmp_path / "policia")
    draft = draft_mapping([folder / "ocorrencias.csv"])
    proposed = {p.column: p.target for p in draft.proposals}
    assert set(proposed) == set(RIGHT)
    right = [c for c in RIGHT if proposed[c] == RIGHT[c]]
    assert len(right) / len(RIGHT) >= 0.8, sorted(set(RIGHT) - set(right))
    mapping = draft.mapping
    assert (mapping["delimiter"], mapping["encoding"]) == (";", "cp1252")
    # 03/02/10 needs %d/%m/%y, 15/06/2009 %d/%m/%Y, "05/01/2025 14:30" a time
    assert mapping["date_formats"] == ["%d/%m/%Y", "%d/%m/%y", "%d/%m/%Y %H:%M"]
    events = mapping["files"]["events"]
    assert events["codes"] == {"offence_iccs": {"Agressão": "?", "Fogo posto": "?",
                                                "Furto": "?", "Roubo": "?"}}
    assert mapping["files"]["children"]["codes"] == {"sex": {"Desconhecido": "u"}}
    assert events["stages"][-2:] == [
        {"event_type": "parent_notified", "answer": "Pais Notificados", "date": "Data Detenção"},
        {"event_type": "legal_aid", "answer": "Defensor", "date": "Data Detenção"}]


def test_synonyms_in_four_languages() -> None:
    assert match("Date of birth") == ("children", "date_of_birth")
    assert match("Fecha de nacimiento") == ("children", "date_of_birth")
    assert match("Date de naissance") == ("children", "date_of_birth")
    assert match("Motivo de Saída") == ("detentions", "end_reason")   # longest phrase wins
    assert match("Saída") == ("detentions", "end")
    assert match("Parents notified?") == ("answer", "parent_notified")
    assert match("Avocat") == ("answer", "legal_aid")
    assert match("Remarks") is None


def test_draft_completed_loads_like_the_hand_written_mapping(ws: Workspace,
                                                             tmp_path: Path) -> None:
    folder = police_folder(tmp_path / "policia")
    out = tmp_path / "policia.yaml"
    done = subprocess.run([ENDVAC, "mapping", "draft", folder / "ocorrencias.csv", "--out", out],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "13 of 14 columns matched; 4 values marked '?' to complete" in done.stderr
    assert os.stat(out).st_mode & 0o777 == 0o600
    again = subprocess.run([ENDVAC, "mapping", "draft", folder / "ocorrencias.csv", "--out", out],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "exists" in again.stderr
    text = out.read_text(encoding="utf-8")
    refused = subprocess.run([ENDVAC, "ingest", ws.root, folder, "--mapping", out, "--dry-run"],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "is still '?'" in refused.stderr   # not complete yet
    completed = yaml.safe_load(text)
    completed["files"]["events"]["codes"]["offence_iccs"] = {
        "Agressão": "02011", "Fogo posto": "0802", "Furto": "0502", "Roubo": "0401"}
    out.write_text(yaml.safe_dump(completed, allow_unicode=True), encoding="utf-8")
    result = ingest(ws, folder, out)
    # as test_mapping_flat, but "Fogo posto" now has a code: row 8's arrest loads too
    assert result.quarantined == 0
    assert query(ws, "SELECT count(*) FROM children") == [(6,)]
    assert query(ws, "SELECT count(*) FROM events") == [(15,)]     # 14 + row 8's arrest
