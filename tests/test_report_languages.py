"""The report in Portuguese and Arabic, as HTML and PDF: the document's language and
direction, Portuguese numbers, the Portuguese names of every indicator and of ICCS
section 05 in the PDF's text, Arabic laid out right to left."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import synthetic_workspace
from endvac.indicators.definitions import load_definitions
from endvac.names import load_names
from endvac.publish import load_snapshot
from endvac.report import build_report
from endvac.workspace import Workspace, open_workspace
from report_helpers import parse, values

# ICCS level 1, section 05 "Acts against property only" in the Portuguese edition
ICCS_05_PT = "Atos contra o património apenas"


def pt_number(value: float, decimals: int) -> str:
    """How Portuguese writes a number: 1.234,5 (the English 1,234.5 with the separators
    swapped)."""
    english = f"{value:,.{decimals}f}"
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, Path]]:
    """A synthetic country whose offences include section 05, and its restricted report
    of 2025 in Portuguese (--lang) and Arabic (the workspace's language), with PDFs."""
    root = tmp_path_factory.mktemp("languages")
    _, ws, _ = synthetic_workspace(root, 300, 11)
    text = ws.config_path.read_text(encoding="utf-8").replace("year: null", "year: 2025")
    ws.config_path.write_text(text.replace("language: null", "language: ar"),
                              encoding="utf-8")
    ws = open_workspace(ws.root)
    assert ws.config.language == "ar"
    out = {"pt": root / "relatorio.html", "ar": root / "taqrir.html"}
    build_report(ws, "2025", out["pt"], pdf=True, lang="pt")
    build_report(ws, "2025", out["ar"], pdf=True)
    return ws, out


def _pdf_text(html: Path) -> str:
    done = subprocess.run(["pdftotext", str(html.with_suffix(".pdf")), "-"], check=True,
                          capture_output=True, text=True)
    return " ".join(done.stdout.split())


def test_portuguese_report_html_and_pdf(reports: tuple[Workspace, dict[str, Path]]) -> None:
    ws, out = reports
    html = out["pt"].read_text(encoding="utf-8")
    assert '<html lang="pt" dir="ltr">' in html
    assert ">Resumo<" in html and ">Metodologia<" in html
    # JJ2's national value, per 100,000 with one decimal, written the Portuguese way
    row = load_snapshot(ws).result("JJ2", "2025")
    assert row is not None and row["value"] is not None
    assert values(parse(out["pt"]), "JJ2") == {pt_number(row["value"], 1)}
    text = _pdf_text(out["pt"])
    names = load_names("pt")
    for definition in load_definitions().indicators:
        name = names.label("indicator", definition.id)
        assert name != definition.name, definition.id  # a Portuguese name, not the English
        assert " ".join(name.split()) in text, definition.id
    assert ICCS_05_PT in text
    assert "Situation analysis" not in text and "Análise da situação" in text


def test_arabic_report_is_right_to_left(reports: tuple[Workspace, dict[str, Path]]) -> None:
    _, out = reports
    html = out["ar"].read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "الملخص" in html and "المنهجية" in html  # Summary, Methodology
    assert out["ar"].with_suffix(".pdf").stat().st_size > 10_000
    text = _pdf_text(out["ar"])
    assert "JJ2" in text and "Summary" not in text
