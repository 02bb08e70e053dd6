"""The linkage robustness suite (issue 13): each synthetic regime and each FEBRL data set
through endvac's ingest, encoding and link, its pairwise F1 against the truth held to a
floor 0.02 below the figure bench/linkage.py --regimes measured (docs/linkage.md,
"Measured"; seed 1, 3,000 people a regime)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from endvac.ingest.load import ingest
from endvac.linkage.evaluate import evaluate_links
from endvac.linkage.review import list_links
from endvac.linkage.run import link
from endvac.synth.regimes import fix_identity_key, write_febrl, write_regime
from endvac.workspace import Workspace, init_workspace

PEOPLE = 3000
# measured F1 (bench/linkage.py --regimes, seed 1, the suite's fixed identity key,
# 2026-12-05, with the folded-spelling level) minus 0.02; with the fixed key the
# figure is the same every run (transliterated was 0.6667 before folded spellings)
FLOORS = {"one_field": 1.0 - 0.02, "names_dob": 0.9983 - 0.02,
          "no_sex_region": 0.9848 - 0.02, "swapped": 0.9983 - 0.02,
          "transliterated": 0.9983 - 0.02, "partial_dob": 0.9967 - 0.02,
          "twins": 0.9950 - 0.02}
FEBRL_FLOORS = {"dataset1": 0.9909 - 0.02, "dataset2": 0.9956 - 0.02,
                "dataset3": 0.9910 - 0.02}


def linked(root: Path, deliveries: list[Path]) -> Workspace:
    ws = init_workspace(root / "ws")
    fix_identity_key(ws.keys_dir)  # the same Bloom filters every run: the same F1
    for delivery in deliveries:
        ingest(ws, delivery)
    link(ws)
    return ws


@pytest.mark.parametrize("regime", sorted(FLOORS))
def test_synthetic_regime_f1_holds_its_floor(tmp_path: Path, regime: str) -> None:
    delivery, truth = write_regime(tmp_path, regime, PEOPLE, 1)
    ws = linked(tmp_path, [delivery])
    metrics = evaluate_links(ws, truth)
    # 3,000 people, one in ten (300) recorded twice: 300 true pairs (twins: 90 more
    # people, 3 in 100, each their own person)
    assert metrics["true_pairs"] == 300
    assert metrics["f1"] >= FLOORS[regime], metrics
    if regime == "names_dob":  # almost no duplicate agrees exactly on name and date
        assert metrics["f1"] >= 0.9, metrics
    if regime == "twins":  # the goal: precision at least 0.99 (measured 0.9967)
        assert metrics["precision"] >= 0.99, metrics
        keys = {r["record_id"]: r["child_key"] for r in list_links(ws)}
        with open(truth, encoding="utf-8", newline="") as handle:
            person = {r["record_id"]: r["person"] for r in csv.DictReader(handle)}
        key_people: dict[str, set[str]] = {}
        for record, key in keys.items():
            key_people.setdefault(key, set()).add(person[record])
        merged_twins = [p for p in key_people.values()
                        if any(q + "-twin" in p for q in p)]
        assert merged_twins == []


@pytest.mark.parametrize("dataset", sorted(FEBRL_FLOORS))
def test_febrl_dedupe_f1_holds_its_floor(tmp_path: Path, dataset: str) -> None:
    deliveries, truth = write_febrl(tmp_path, dataset)
    metrics = evaluate_links(linked(tmp_path, deliveries), truth)
    assert metrics["f1"] >= FEBRL_FLOORS[dataset], metrics
