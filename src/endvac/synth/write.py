"""CSV files of the deliveries: opened once, written row by row, counted."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from endvac.synth.calendar import Calendar
from endvac.synth.journey import Context, Journey
from endvac.synth.people import agency_record
from endvac.synth.schema import (
    AGENCIES,
    AGENCIES_WITH_SPELLS,
    AGENCY_EVENT_TYPES,
    EVENT_AGE,
    EVENT_RECORD,
    FILE_COLUMNS,
    MANIFEST_COLUMNS,
    SPELL_AGE,
    SPELL_RECORD,
    YEARS,
)

BUFFER = 1 << 20


class CsvFile:
    """One CSV file being written: its writer, data row count and last row."""

    def __init__(self, path: Path, header: tuple[str, ...] | list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle = path.open("w", encoding="utf-8", newline="", buffering=BUFFER)
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0
        self.last: list[str] = []

    def write(self, row: list[str]) -> int:
        """Write a data row; its row number (the header is row 1)."""
        self.writer.writerow(row)
        self.rows += 1
        self.last = row
        return self.rows + 1

    def write_rows(self, rows: list[list[str]]) -> None:
        """Write several data rows."""
        for row in rows:
            self.write(row)

    def close(self) -> None:
        """Flush and close."""
        self.handle.close()


def delivery_name(agency: str, year: int) -> str:
    """Folder name of an agency's delivery for a year, e.g. ``police-2024``."""
    return f"{agency}-{year}"


def write_table(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> int:
    """Write a whole small CSV file; its data row count."""
    table = CsvFile(path, header)
    table.write_rows(rows)
    table.close()
    return table.rows


def write_manifest(folder: Path, agency: str, year: int, event_types: str) -> None:
    """manifest.csv of an agency-year delivery (incremental, the calendar year)."""
    row = [
        agency, "", f"{year}-01-01", f"{year}-12-31", f"{year + 1}-01-15", "incremental",
        event_types, "1",
    ]
    write_table(folder / "manifest.csv", MANIFEST_COLUMNS, [row])


class DeliveryFiles:
    """The children, events and detentions files of every agency-year delivery."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[tuple[str, int, str], CsvFile] = {}
        for agency in AGENCIES:
            kinds = ["children", "events"]
            if agency in AGENCIES_WITH_SPELLS:
                kinds.append("detentions")
            for year in YEARS:
                folder = out / delivery_name(agency, year)
                write_manifest(folder, agency, year, " ".join(AGENCY_EVENT_TYPES[agency]))
                for kind in kinds:
                    path = folder / f"{kind}.csv"
                    self.files[agency, year, kind] = CsvFile(path, FILE_COLUMNS[kind])

    def file(self, agency: str, year: int, kind: str) -> CsvFile:
        """The open file of one agency, year and kind."""
        return self.files[agency, year, kind]

    def close(self) -> None:
        """Close every file."""
        for table in self.files.values():
            table.close()


class TruthFiles:
    """persons.csv and breaches.csv, written as journeys are."""

    def __init__(self, folder: Path) -> None:
        self.persons = CsvFile(folder / "persons.csv", ("agency", "record_id", "person"))
        self.breaches = CsvFile(
            folder / "breaches.csv", ("person", "kind", "agency", "record_id", "facts", "detail")
        )

    def close(self) -> None:
        """Close both files."""
        self.persons.close()
        self.breaches.close()


def _facts_first_day(journey: Journey, agency: str) -> int:
    days = [day for day, _row in journey.events.get(agency, ())]
    days += [start for start, _year, _row in journey.spells.get(agency, ())]
    return min(days) if days else 0


def write_journey(
    ctx: Context, files: DeliveryFiles, truth: TruthFiles, journey: Journey
) -> dict[str, str]:
    """Write a journey's records and facts; the record_id per agency."""
    rng, cal = ctx.rng, ctx.cal
    person = journey.person
    record_ids: dict[str, str] = {}
    for agency in AGENCIES:
        first_day = _facts_first_day(journey, agency)
        if not first_day:
            continue
        year = cal.year(first_day)
        record_id = ctx.ids.record(agency, year)
        row, carries_age = agency_record(
            rng, cal, person, agency, record_id, exact_birth=not record_ids
        )
        record_ids[agency] = record_id
        files.file(agency, year, "children").write(row)
        truth.persons.write([agency, record_id, person.key])
        _write_facts(cal, files, journey, agency, record_id, carries_age)
    for kind, agency, facts, detail in journey.breaches:
        truth.breaches.write([person.key, kind, agency, record_ids[agency], facts, detail])
    return record_ids


def _write_facts(
    cal: Calendar, files: DeliveryFiles, journey: Journey, agency: str, record_id: str,
    carries_age: bool,
) -> None:
    birth_day = journey.person.birth_day
    for day, event in journey.events.get(agency, ()):
        event[EVENT_RECORD] = record_id
        if carries_age:
            event[EVENT_AGE] = str(cal.age(birth_day, day))
        files.file(agency, cal.year(day), "events").write(event)
    for start, delivery_year, spell in journey.spells.get(agency, ()):
        spell[SPELL_RECORD] = record_id
        if carries_age:
            spell[SPELL_AGE] = str(cal.age(birth_day, start))
        files.file(agency, delivery_year, "detentions").write(spell)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write JSON with sorted keys (byte-identical for equal payloads)."""
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
