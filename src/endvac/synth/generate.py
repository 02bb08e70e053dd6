"""generate(): the whole synthetic country, written under one folder."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from endvac.synth.calendar import build_calendar
from endvac.synth.invalid import (
    JunkLog,
    bad_encoding_row,
    corrupt_delivery,
    detention_junk,
    justice_junk,
    police_junk,
    population_junk,
    services_junk,
)
from endvac.synth.journey import Context, IdCounters
from endvac.synth.names import build_name_pool
from endvac.synth.schema import (
    AGENCIES,
    FACILITY_COLUMNS,
    INSPECTION_COLUMNS,
    MANIFEST_COLUMNS,
    POLICY_COLUMNS,
    POPULATION_COLUMNS,
    REGION_COLUMNS,
    YEARS,
)
from endvac.synth.simulate import simulate_person
from endvac.synth.strategy import write_strategy
from endvac.synth.truth import Tally
from endvac.synth.world import (
    facility_rows,
    inspection_rows,
    policy_rows,
    population_rows,
    region_rows,
    regions_geojson,
)
from endvac.synth.write import (
    CsvFile,
    DeliveryFiles,
    TruthFiles,
    delivery_name,
    write_journey,
    write_json,
    write_table,
)

MIN_CHILDREN = 200
REGISTERS = "registers"


@dataclass(frozen=True)
class SynthSummary:
    """What generate() wrote."""

    out: Path
    children: int
    seed: int
    deliveries: tuple[Path, ...]
    rows: dict[str, int]
    invalid_rows: int
    breaches: int
    duplicates: int


def write_registers(out: Path, children: int, seed: int, log: JunkLog) -> dict[str, int]:
    """The registers delivery; data rows per file (population with two junk rows)."""
    folder = out / REGISTERS
    manifest = [["other:registry", "", "2023-01-01", "2025-12-31", "2026-01-15", "incremental",
                 "", "1"]]
    rows = {
        "manifest.csv": write_table(folder / "manifest.csv", MANIFEST_COLUMNS, manifest),
        "facilities.csv": write_table(folder / "facilities.csv", FACILITY_COLUMNS, facility_rows()),
        "inspections.csv": write_table(
            folder / "inspections.csv", INSPECTION_COLUMNS, inspection_rows()
        ),
        "regions.csv": write_table(folder / "regions.csv", REGION_COLUMNS, region_rows()),
        "policy.csv": write_table(folder / "policy.csv", POLICY_COLUMNS, policy_rows()),
    }
    population = CsvFile(folder / "population.csv", POPULATION_COLUMNS)
    population.write_rows(population_rows(children, seed))
    population_junk(population, log)
    population.close()
    rows["population.csv"] = population.rows
    return {f"{REGISTERS}/{name}": count for name, count in rows.items()}


def _simulate_all(ctx: Context, files: DeliveryFiles, out: Path, children: int) -> Tally:
    truth = TruthFiles(out / "truth")
    tally = Tally(ctx.cal, effects=ctx.effects)
    for index in range(children):
        journey = simulate_person(ctx, index)
        record_ids = write_journey(ctx, files, truth, journey)
        tally.absorb(journey, record_ids)
    truth.close()
    return tally


def _write_truth(out: Path, log: JunkLog, tally: Tally, children: int, seed: int) -> None:
    truth = out / "truth"
    write_table(truth / "invalid_rows.csv", ("delivery", "file", "row", "rule"),
                [[d, f, str(r), rule] for d, f, r, rule in log.invalid])
    write_table(truth / "duplicates.csv", ("delivery", "file", "row"),
                [[d, f, str(r)] for d, f, r in log.duplicates])
    tally.invalid = Counter(rule for _d, _f, _r, rule in log.invalid)
    tally.duplicates = len(log.duplicates)
    write_json(truth / "counts.json", tally.as_json(children, seed))


def generate(out: Path, children: int, seed: int, *, effects: bool = False) -> SynthSummary:
    """Write a synthetic country's deliveries and truth under ``out`` (same seed, same
    bytes); ``effects`` plants the pathway effects (synth/effects.py) in it."""
    if children < MIN_CHILDREN:
        raise ValueError(f"children must be at least {MIN_CHILDREN}")
    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(random.Random(seed), build_calendar(), build_name_pool(seed), IdCounters(),
                  effects)
    files = DeliveryFiles(out)
    tally = _simulate_all(ctx, files, out, children)
    log = JunkLog()
    rows = write_registers(out, children, seed, log)
    write_json(out / "regions.geojson", regions_geojson())
    police_junk(files, log)
    justice_junk(files, log)
    detention_junk(files, log)
    services_junk(files, log)
    corrupt = corrupt_delivery(out, files, log)
    files.close()
    bad_encoding_row(files, log)
    _write_truth(out, log, tally, children, seed)
    write_strategy(out)
    for (agency, year, kind), table in files.files.items():
        rows[f"{delivery_name(agency, year)}/{kind}.csv"] = table.rows
    rows[f"{corrupt.name}/events.csv"] = 3
    folders = [REGISTERS] + [
        delivery_name(agency, year) for year in YEARS for agency in AGENCIES
    ] + [corrupt.name]
    (out / "deliveries.txt").write_text("".join(f"{name}\n" for name in folders), encoding="utf-8")
    return SynthSummary(
        out=out, children=children, seed=seed,
        deliveries=tuple(out / name for name in folders), rows=dict(sorted(rows.items())),
        invalid_rows=len(log.invalid), breaches=sum(tally.breaches.values()),
        duplicates=len(log.duplicates),
    )
