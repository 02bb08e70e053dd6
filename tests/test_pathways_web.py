"""The pathways page and its /api twins, in process, on the hand-made cohort
(pathway_helpers.py) published with its person map: analysts and admins only."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user
from endvac.linkage.registry import HANDOFF_FILE
from endvac.publish import publish
from endvac.web.app import create_app
from endvac.workspace import Workspace
from pathway_helpers import load_cohort, person_map
from web_helpers import PASSWORD, logged_in


def test_pathways_page_and_api(ws: Workspace, tmp_path: Path) -> None:
    load_cohort(ws, tmp_path)
    pq.write_table(person_map(), ws.root / HANDOFF_FILE)
    publish(ws, [2024])
    with open_accounts(ws) as db:
        for name, role in (("an", "analyst"), ("vi", "viewer")):
            add_user(db, name, role, PASSWORD)
    app = create_app(ws, insecure_cookies=True)
    analyst = logged_in(TestClient(app), "an")
    answer = analyst.get("/api/pathways").json()
    assert answer["year"] == "2024"
    assert answer["pathways"]["children"] == 10  # A-H, J, L
    outcomes = {(r["group"], r["months"]): r
                for r in analyst.get("/api/outcomes?year=2024").json()["outcomes"]["rows"]}
    # completed diversions whose completion fell in 2024: A (re-arrested after 183 days)
    # and H (censored at 18 after 90): at 6 months (182.6 days) none re-contacted yet,
    # H censored, A still followed
    six = outcomes[("diversion_completed", 6)]
    assert (six["recontact"], six["events"], six["censored"], six["at_risk"]) == (
        0.0, 0, 1, 1)
    page = analyst.get("/pathways")
    assert page.status_code == 200
    for text in ("Pathways and outcomes — 2024", "<svg", "Observational evidence"):
        assert text in page.text, text
    # in Portuguese: the page's words (pt catalogue), stages and groups by their names
    page = analyst.get("/pathways?lang=pt").text
    for text in ("Percursos e resultados — 2024", "Custódia policial",
                 "medida alternativa cumprida", "Evidência observacional."):
        assert text in page, text
    viewer = logged_in(TestClient(app), "vi")
    assert viewer.get("/pathways", follow_redirects=False).status_code == 403
    assert viewer.get("/api/outcomes").status_code == 403
