"""The strategy page and its JSON twin, in process: admin and analyst only, the flags
of the synthetic sample strategy shown, participant codes never."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from endvac.strategy.files import import_strategy
from endvac.web.app import create_app
from web_helpers import logged_in, web_workspace


def test_strategy_page_and_api(tmp_path: Path) -> None:
    country, ws = web_workspace(tmp_path)
    app = create_app(ws, insecure_cookies=True)
    analyst = logged_in(TestClient(app), "an")
    empty = analyst.get("/strategy")
    assert empty.status_code == 200 and "No strategy has been imported" in empty.text
    assert analyst.get("/api/strategy").json()["review"] is None
    assert import_strategy(ws, country / "strategy.yaml").findings == []
    shown = analyst.get("/strategy")
    assert shown.status_code == 200
    for text in ("S02 + S03", "S06 + S07", "Training coverage", "not verified", "<svg"):
        assert text in shown.text, text
    assert "POL-NOR1-001" not in shown.text  # participant codes are never shown
    answer = analyst.get("/api/strategy").json()["review"]
    assert {(d["action_a"], d["action_b"]) for d in answer["duplicates"]} == {
        ("S02", "S03"), ("S06", "S07")}
    assert answer["strategy"]["participants"] == []
    assert [t["id"] for t in answer["targets"]] == ["T1", "T2", "T3", "T4"]
    admin = logged_in(TestClient(app), "ad")
    assert admin.get("/strategy").status_code == 200
    for role_user in ("mo", "vi"):
        other = logged_in(TestClient(app), role_user)
        assert other.get("/strategy", follow_redirects=False).status_code == 403
        assert other.get("/api/strategy").status_code == 403
