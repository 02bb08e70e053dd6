"""Junk rows appended to the 2025 deliveries, each breaking exactly one rule.

Junk rows never replace simulated rows: they are added after them, with ids that
no simulated row uses (an ``X`` in the id), so the valid data equals the simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from endvac.synth.schema import EVENT_COLUMNS
from endvac.synth.write import CsvFile, DeliveryFiles, delivery_name, write_manifest

JUNK_YEAR = 2025
CORRUPT_DELIVERY = "police-2025-corrupt"


@dataclass
class JunkLog:
    """Where the junk went: (delivery, file, row, rule) and exact duplicates."""

    invalid: list[tuple[str, str, int, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str, int]] = field(default_factory=list)

    def note(self, table: CsvFile, row_number: int, rule: str) -> None:
        """Record one invalid row of an open file."""
        self.invalid.append((table.path.parent.name, table.path.name, row_number, rule))


def _template(files: DeliveryFiles, agency: str, kind: str) -> list[str]:
    """The last simulated row of an agency's file, latest year first."""
    for year in (2025, 2024, 2023):
        row = files.file(agency, year, kind).last
        if row:
            return list(row)
    raise ValueError(f"no {agency} {kind} rows to base junk rows on; use more children")


def _append(log: JunkLog, table: CsvFile, rows: list[tuple[list[str], str]]) -> None:
    for row, rule in rows:
        log.note(table, table.write(row), rule)


def _changed(template: list[str], new_id: str, **cells: str) -> list[str]:
    row = list(template)
    row[0] = new_id
    for name, value in cells.items():
        row[EVENT_COLUMNS.index(name)] = value
    return row


def police_junk(files: DeliveryFiles, log: JunkLog) -> None:
    """Police 2025: bad sex code, ragged row, duplicate keys, exact duplicates."""
    children = files.file("police", JUNK_YEAR, "children")
    person = _template(files, "police", "children")
    bad_sex = list(person)
    bad_sex[0], bad_sex[6] = "PX0000002", "q"
    _append(log, children, [(bad_sex, "bad_code")])
    events = files.file("police", JUNK_YEAR, "events")
    event = _template(files, "police", "events")
    _append(log, events, [
        (_changed(event, "PEX0000001") + ["extra"], "ragged_row"),
        (_changed(event, "PEX0000002", date="2025-03-01"), "duplicate_key"),
        (_changed(event, "PEX0000002", date="2025-03-02"), "duplicate_key"),
    ])
    log.duplicates.append((events.path.parent.name, events.path.name, events.write(event)))
    log.duplicates.append(
        (children.path.parent.name, children.path.name, children.write(person))
    )


def justice_junk(files: DeliveryFiles, log: JunkLog) -> None:
    """Prosecution and court 2025: empty required cell, bad dates, codes and numbers."""
    event = _template(files, "prosecution", "events")
    _append(log, files.file("prosecution", JUNK_YEAR, "events"), [
        (_changed(event, "PREX0000001", date=""), "required_value"),
        (_changed(event, "PREX0000002", date="2025-13-45"), "bad_date"),
    ])
    event = _template(files, "court", "events")
    sentence = {"event_type": "sentence", "measure": "custodial"}
    _append(log, files.file("court", JUNK_YEAR, "events"), [
        (_changed(event, "CTEX0000001", event_type="arest"), "bad_code"),
        (_changed(event, "CTEX0000002", length_days="ten", **sentence), "bad_number"),
        (_changed(event, "CTEX0000003", length_days="-30", **sentence), "bad_number"),
        (_changed(event, "CTEX0000004")[:10], "ragged_row"),
    ])


def detention_junk(files: DeliveryFiles, log: JunkLog) -> None:
    """Detention 2025 spells: bad flag, end before start, unknown facility, a duplicate."""
    table = files.file("detention", JUNK_YEAR, "detentions")
    spell = _template(files, "detention", "detentions")
    flag, backwards, nowhere = list(spell), list(spell), list(spell)
    flag[0], flag[10] = "DTSX0000001", "maybe"
    backwards[0], backwards[7:10] = "DTSX0000002", ["2025-06-10", "2025-06-01", "released"]
    nowhere[0], nowhere[5] = "DTSX0000003", "XX-404"
    _append(log, table, [
        (flag, "bad_code"), (backwards, "end_before_start"), (nowhere, "unknown_facility"),
    ])
    log.duplicates.append((table.path.parent.name, table.path.name, table.write(spell)))


def services_junk(files: DeliveryFiles, log: JunkLog) -> None:
    """Victim and social services 2025: bad ICCS, bad date, long value, unknown record."""
    event = _template(files, "victim_services", "events")
    _append(log, files.file("victim_services", JUNK_YEAR, "events"), [
        (_changed(event, "VSEX0000001", offence_iccs="99"), "bad_iccs"),
        (_changed(event, "VSEX0000002", offence_iccs="0A01"), "bad_iccs"),
        (_changed(event, "VSEX0000003", offence_iccs="1201"), "bad_iccs"),
        (_changed(event, "VSEX0000004", date="31/12/2025"), "bad_date"),
    ])
    person = _template(files, "victim_services", "children")
    person[0], person[8] = "VS-2025-X00001", "x" * 4001
    _append(log, files.file("victim_services", JUNK_YEAR, "children"), [(person, "value_too_long")])
    event = _template(files, "social_services", "events")
    event[0], event[2] = "SSEX0000001", "SS9999999"
    _append(log, files.file("social_services", JUNK_YEAR, "events"), [(event, "unknown_record")])


def population_junk(table: CsvFile, log: JunkLog) -> None:
    """Population rows with both an age and a band, and with neither."""
    _append(log, table, [
        (["2025", "NOR1", "f", "5", "0", "17", "", "", "", "100"], "age_or_band"),
        (["2025", "NOR2", "m", "", "", "", "", "", "", "100"], "age_or_band"),
    ])


def corrupt_delivery(out: Path, files: DeliveryFiles, log: JunkLog) -> Path:
    """A small police delivery whose events.csv lacks the event_type column."""
    folder = out / CORRUPT_DELIVERY
    write_manifest(folder, "police", JUNK_YEAR, "arrest")
    header = [name for name in EVENT_COLUMNS if name != "event_type"]
    table = CsvFile(folder / "events.csv", header)
    dropped = EVENT_COLUMNS.index("event_type")
    event = _template(files, "police", "events")
    for number in range(1, 4):
        row = _changed(event, f"PEX000010{number}", date=f"2025-02-0{number}")
        _append(log, table, [(row[:dropped] + row[dropped + 1 :], "missing_column")])
    table.close()
    return folder


def bad_encoding_row(files: DeliveryFiles, log: JunkLog) -> None:
    """After the files are closed: a police 2025 record with a cp1252 byte (0xE9)."""
    table = files.file("police", JUNK_YEAR, "children")
    line = b"PX0000001,police,Ren\xe9e,Talvor,2010-04-03,n,f,,,,NOR1,n,XFC,majority\n"
    with table.path.open("ab") as handle:
        handle.write(line)
    log.invalid.append((delivery_name("police", JUNK_YEAR), table.path.name, table.rows + 2,
                        "bad_encoding"))
    table.rows += 1
