"""The synthetic country's sample strategy: it imports cleanly, and its planted
duplications and gap are the ones docs/synthetic.md lists."""

from __future__ import annotations

from pathlib import Path

from endvac.strategy.checks import duplicates, reaches
from endvac.strategy.files import read_strategy_file
from endvac.synth import generate
from endvac.synth.world import DISTRICTS


def test_sample_strategy_is_written_and_valid(tmp_path: Path) -> None:
    generate(tmp_path, 200, 3)
    strategy, findings = read_strategy_file(tmp_path / "strategy.yaml")
    assert findings == [] and strategy is not None
    pairs = {(d.action_a, d.action_b) for d in duplicates(strategy.actions)}
    assert pairs == {("S02", "S03"), ("S06", "S07")}
    running = [a for a in strategy.actions if a.status != "cancelled"]
    unreached = {d for d in DISTRICTS if not any(reaches(a, "region", d) for a in running)}
    assert unreached == {"NOR3"}
    regions = {r for a in strategy.actions for r in a.regions} | {t.region for t in
                                                                   strategy.trainings}
    assert regions <= set(DISTRICTS)
    assert {s.region for s in strategy.staff} == set(DISTRICTS)
