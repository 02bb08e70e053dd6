"""The synthetic generator: determinism, layout, planted breaches, noise, invalid rows.

Expected values are written out here by hand (column lists from interchange.md, rule
codes and limits from the brief), never taken from the generator's own modules.
"""

from __future__ import annotations

import ast
import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from endvac.synth import SynthSummary, generate

CENSUS = date(2025, 12, 31)
AGENCIES = ("police", "prosecution", "court", "detention", "social_services", "victim_services")
YEARS = (2023, 2024, 2025)
HEADERS = {
    "children.csv": [
        "record_id", "agency", "given_name", "family_name", "date_of_birth", "dob_estimated",
        "sex", "national_id", "address", "parent_name", "region", "disability", "nationality",
        "group",
    ],
    "events.csv": [
        "event_id", "agency", "record_id", "case_id", "origin_case_ref", "event_type", "date",
        "offence_date", "age_years", "role", "offence_iccs", "cyber", "measure", "authority",
        "length_days", "facility_id",
    ],
    "detentions.csv": [
        "spell_id", "agency", "record_id", "case_id", "origin_case_ref", "facility_id", "basis",
        "start", "end", "end_reason", "held_with_adults", "offence_iccs", "age_years",
    ],
    "manifest.csv": [
        "agency", "reporting_unit", "period_start", "period_end", "extracted", "mode",
        "event_types", "format_version",
    ],
    "facilities.csv": [
        "facility_id", "name", "type", "region", "children_wholly_separated",
        "complaints_mechanism", "capacity",
    ],
    "inspections.csv": ["facility_id", "date", "independent"],
    "population.csv": [
        "year", "region", "sex", "age", "age_from", "age_to", "group", "disability",
        "nationality", "population",
    ],
    "regions.csv": ["region", "name", "parent"],
    "policy.csv": ["key", "value", "as_of", "evidence"],
}
REQUIRED = {
    "children.csv": {"record_id", "agency"},
    "events.csv": {"event_id", "agency", "record_id", "event_type", "date"},
    "detentions.csv": {"spell_id", "agency", "record_id", "facility_id", "basis", "start"},
    "facilities.csv": {"facility_id", "type"},
    "inspections.csv": {"facility_id", "date", "independent"},
    "population.csv": {"year", "population"},
}
RULES = {
    "bad_encoding", "ragged_row", "missing_column", "required_value", "bad_code", "bad_date",
    "bad_number", "end_before_start", "bad_iccs", "unknown_record", "unknown_facility",
    "duplicate_key", "value_too_long", "age_or_band",
}


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> SynthSummary:
    return generate(tmp_path_factory.mktemp("country"), 5000, 7)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file, read leniently (junk bytes replaced)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def is_junk(row: dict[str, str], id_column: str) -> bool:
    return "X" in (row.get(id_column) or "") or None in row or None in row.values()


def valid_rows(country: SynthSummary, agency: str, file: str) -> list[tuple[int, dict[str, str]]]:
    """(delivery year, row) of an agency's simulated rows: junk and repeats left out."""
    id_column = {"children.csv": "record_id", "events.csv": "event_id"}.get(file, "spell_id")
    found: list[tuple[int, dict[str, str]]] = []
    seen: set[str] = set()
    for year in YEARS:
        path = country.out / f"{agency}-{year}" / file
        if not path.exists():
            continue
        for row in read_rows(path):
            if is_junk(row, id_column) or row[id_column] in seen:
                continue
            seen.add(row[id_column])
            found.append((year, row))
    return found


def breaches(country: SynthSummary) -> list[dict[str, str]]:
    return read_rows(country.out / "truth" / "breaches.csv")


def planted(country: SynthSummary, kind: str) -> set[str]:
    return {row["record_id"] for row in breaches(country) if row["kind"] == kind}


def stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 400, 3)
    second = generate(tmp_path / "b", 400, 3)
    other = generate(tmp_path / "c", 400, 4)
    files = sorted(p.relative_to(first.out) for p in first.out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.out) for p in second.out.rglob("*") if p.is_file())
    for name in files:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name
    police = Path("police-2024") / "children.csv"
    assert (first.out / police).read_bytes() != (other.out / police).read_bytes()


def test_too_few_children_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, 10, 1)


def test_deliveries_are_listed_registers_first(country: SynthSummary) -> None:
    lines = (country.out / "deliveries.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "registers"
    assert lines[1:7] == [f"{agency}-2023" for agency in AGENCIES]
    assert lines[-1] == "police-2025-corrupt"
    assert len(lines) == 1 + 6 * 3 + 1
    assert [path.name for path in country.deliveries] == lines
    assert all(path.is_dir() for path in country.deliveries)


def test_headers_follow_the_spec(country: SynthSummary) -> None:
    checked = 0
    for folder in country.deliveries[:-1]:
        for path in folder.glob("*.csv"):
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                header = next(csv.reader(handle))
            assert header == HEADERS[path.name], path
            assert REQUIRED.get(path.name, set()) <= set(header)
            checked += 1
    assert checked == 6 + 3 * (6 * 3 + 2 * 1)  # registers; per year 6 manifests, 14 files


def test_manifests_describe_incremental_calendar_years(country: SynthSummary) -> None:
    manifest = read_rows(country.out / "detention-2024" / "manifest.csv")
    assert manifest == [{
        "agency": "detention", "reporting_unit": "", "period_start": "2024-01-01",
        "period_end": "2024-12-31", "extracted": "2025-01-15", "mode": "incremental",
        "event_types": "family_visit complaint violence_in_custody", "format_version": "1",
    }]
    registry = read_rows(country.out / "registers" / "manifest.csv")
    assert registry[0]["agency"] == "other:registry"


def test_every_rule_is_planted_on_junk_rows(country: SynthSummary) -> None:
    invalid = read_rows(country.out / "truth" / "invalid_rows.csv")
    assert {row["rule"] for row in invalid} == RULES
    assert country.invalid_rows == len(invalid)
    for row in invalid:
        lines = (country.out / row["delivery"] / row["file"]).read_bytes().split(b"\n")
        line = lines[int(row["row"]) - 1]
        if row["rule"] == "bad_encoding":
            assert b"\xe9" in line
        elif row["rule"] == "age_or_band":
            assert line.startswith(b"2025,")
        else:
            assert b"X" in line.split(b",")[0], row
        if row["rule"] == "value_too_long":
            assert len(line) > 4000


def test_exact_duplicates_repeat_an_earlier_row(country: SynthSummary) -> None:
    duplicates = read_rows(country.out / "truth" / "duplicates.csv")
    assert len(duplicates) == country.duplicates >= 1
    for row in duplicates:
        lines = (country.out / row["delivery"] / row["file"]).read_bytes().split(b"\n")
        number = int(row["row"])
        assert lines[number - 1] in lines[1 : number - 1]


def test_records_exist_before_their_facts(country: SynthSummary) -> None:
    for agency in AGENCIES:
        records = valid_rows(country, agency, "children.csv")
        first_year = {row["record_id"]: year for year, row in records}
        for file in ("events.csv", "detentions.csv"):
            for year, row in valid_rows(country, agency, file):
                assert first_year[row["record_id"]] <= year, (agency, row)


def test_spells_name_registered_facilities(country: SynthSummary) -> None:
    facilities = read_rows(country.out / "registers" / "facilities.csv")
    register = {row["facility_id"] for row in facilities}
    for agency in ("police", "detention"):
        spells = valid_rows(country, agency, "detentions.csv")
        assert spells
        assert {row["facility_id"] for _year, row in spells} <= register


def test_noise_rates(country: SynthSummary) -> None:
    person_of = {(row["agency"], row["record_id"]): row["person"]
                 for row in read_rows(country.out / "truth" / "persons.csv")}
    seen: set[str] = set()
    births = []  # a person's first record (agency order) carries the true date: left out
    for agency in AGENCIES:
        for _y, row in valid_rows(country, agency, "children.csv"):
            person = person_of[agency, row["record_id"]]
            if person in seen:
                births.append(row["date_of_birth"])
            seen.add(person)
    assert 0.07 <= births.count("") / len(births) <= 0.13
    partial = sum(len(birth) in (4, 7) for birth in births) / len(births)
    assert 0.12 <= partial <= 0.18
    police = [row for _y, row in valid_rows(country, "police", "children.csv")]
    with_id = sum(bool(row["national_id"]) for row in police) / len(police)
    assert 0.55 <= with_id <= 0.65
    court = [row for _y, row in valid_rows(country, "court", "children.csv")]
    undated = {row["record_id"] for row in court if not row["date_of_birth"]}
    aged = {row["record_id"] for _y, row in valid_rows(country, "court", "events.csv")
            if row["age_years"]}
    assert aged <= undated
    assert 0.4 <= len(aged) / len(undated) <= 0.6


def test_names_differ_between_records_at_the_expected_rate(country: SynthSummary) -> None:
    person_of = {(row["agency"], row["record_id"]): row["person"]
                 for row in read_rows(country.out / "truth" / "persons.csv")}
    names: dict[str, list[str]] = defaultdict(list)
    for agency in AGENCIES:
        for _y, row in valid_rows(country, agency, "children.csv"):
            names[person_of[agency, row["record_id"]]].append(row["given_name"])
    differing = total = 0
    for given in names.values():
        if len(given) >= 3:
            modal = Counter(given).most_common(1)[0][0]
            differing += sum(name != modal for name in given)
            total += len(given)
    # 8% typos plus 3% swaps: about 1 - 0.92 * 0.97 = 10.8% of records.
    assert 0.07 <= differing / total <= 0.15


def police_delays(country: SynthSummary, event_type: str) -> dict[tuple[str, str], float]:
    """Hours from arrest to ``event_type`` per (record_id, case_id)."""
    times: dict[tuple[str, str], dict[str, datetime]] = defaultdict(dict)
    for _year, row in valid_rows(country, "police", "events.csv"):
        times[row["record_id"], row["case_id"]][row["event_type"]] = stamp(row["date"])
    return {
        key: (found[event_type] - found["arrest"]).total_seconds() / 3600
        for key, found in times.items() if event_type in found
    }


def test_first_appearance_within_22_hours_unless_planted(country: SynthSummary) -> None:
    late = planted(country, "first_appearance_late")
    assert late
    for (record_id, _case), hours in police_delays(country, "first_appearance").items():
        if record_id not in late:
            assert 0 < hours <= 22
    late_cases = {key[0] for key, hours in police_delays(country, "first_appearance").items()
                  if hours > 24}
    assert late_cases == late


def test_parent_notified_within_22_hours_unless_planted(country: SynthSummary) -> None:
    missed = planted(country, "parent_not_notified_in_time")
    for (record_id, _case), hours in police_delays(country, "parent_notified").items():
        assert hours <= 22 or record_id in missed


def pre_sentence_stays(country: SynthSummary) -> dict[tuple[str, str], tuple[date, date]]:
    stays: dict[tuple[str, str], tuple[date, date]] = {}
    for _year, row in valid_rows(country, "detention", "detentions.csv"):
        if row["basis"] != "pre_sentence":
            continue
        start = date.fromisoformat(row["start"])
        end = date.fromisoformat(row["end"]) if row["end"] else CENSUS
        key = (row["record_id"], row["case_id"])
        first, last = stays.get(key, (start, end))
        stays[key] = (min(first, start), max(last, end))
    return stays


def test_pre_sentence_stays_stay_under_178_days_unless_planted(country: SynthSummary) -> None:
    too_long = planted(country, "pretrial_too_long")
    assert too_long
    for (record_id, _case), (start, end) in pre_sentence_stays(country).items():
        days = (end - start).days
        assert days > 180 if record_id in too_long else days <= 178


def test_detained_at_census_had_a_recent_family_visit(country: SynthSummary) -> None:
    spells = valid_rows(country, "detention", "detentions.csv")
    open_records = {row["record_id"] for _y, row in spells if not row["end"]}
    visits: dict[str, list[date]] = defaultdict(list)
    for _year, row in valid_rows(country, "detention", "events.csv"):
        if row["event_type"] == "family_visit":
            visits[row["record_id"]].append(date.fromisoformat(row["date"]))
    assert open_records
    for record_id in open_records:
        assert (CENSUS - max(visits[record_id])).days <= 88


def test_reviews_every_12_days_unless_planted(country: SynthSummary) -> None:
    persons = read_rows(country.out / "truth" / "persons.csv")
    person_of = {(row["agency"], row["record_id"]): row["person"] for row in persons}
    missed = {person_of["detention", record_id] for record_id in planted(country, "review_missed")}
    assert missed
    reviews: dict[tuple[str, str], list[date]] = defaultdict(list)
    for _year, row in valid_rows(country, "court", "events.csv"):
        if row["event_type"] == "detention_review":
            reviews[row["record_id"], row["case_id"]].append(date.fromisoformat(row["date"]))
    gaps_found = set()
    for (record_id, _case), days in reviews.items():
        days.sort()
        widest = max((b - a).days for a, b in zip(days, days[1:], strict=False)) if days[1:] else 0
        person = person_of["court", record_id]
        assert widest <= 12 or person in missed
        if widest > 14:
            gaps_found.add(person)
    assert gaps_found <= missed
    assert len(gaps_found) >= len(missed) // 2


def test_counts_agree_with_the_rows(country: SynthSummary) -> None:
    counts = json.loads((country.out / "truth" / "counts.json").read_text(encoding="utf-8"))
    persons = read_rows(country.out / "truth" / "persons.csv")
    for agency in AGENCIES:
        written = len(valid_rows(country, agency, "children.csv"))
        assert counts["records_by_agency"][agency] == written
        assert sum(row["agency"] == agency for row in persons) == written
    kinds = Counter(row["kind"] for row in breaches(country))
    assert counts["breaches_by_kind"] == {kind: kinds[kind] for kind in counts["breaches_by_kind"]}
    assert all(kinds[kind] > 0 for kind in counts["breaches_by_kind"])
    assert country.breaches == sum(kinds.values())
    rules = Counter(row["rule"] for row in read_rows(country.out / "truth" / "invalid_rows.csv"))
    assert counts["invalid_rows_by_rule"] == dict(rules)
    open_spells = [row for _y, row in valid_rows(country, "detention", "detentions.csv")
                   if not row["end"]]
    person_of = {row["record_id"]: row["person"] for row in persons if row["agency"] == "detention"}
    assert counts["detained_at_census"] == len({person_of[row["record_id"]] for row in open_spells})
    on_remand = {
        person_of[row["record_id"]] for row in open_spells if row["basis"] == "pre_sentence"
    }
    assert counts["pre_sentence_at_census"] == len(on_remand)


def test_pathway_shares_are_roughly_as_designed(country: SynthSummary) -> None:
    persons = read_rows(country.out / "truth" / "persons.csv")
    agencies: dict[str, set[str]] = defaultdict(set)
    for row in persons:
        agencies[row["person"]].add(row["agency"])
    police_only = sum(found == {"police"} for found in agencies.values()) / 5000
    victims = sum("victim_services" in found for found in agencies.values()) / 5000
    assert 0.33 <= police_only <= 0.45
    assert 0.16 <= victims <= 0.24


def test_synth_imports_no_other_endvac_module() -> None:
    package = Path(__file__).parents[1] / "src" / "endvac" / "synth"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("endvac") or node.module.startswith(
                    "endvac.synth"
                ), source


# --- Safeguard margins, checked the way the safeguard engine reads the files ---------
# Persons are the TRUE persons of truth/persons.csv. Limits (standards.md): macr 14,
# first appearance and parent notification 24 h, legal aid by the first appearance,
# review every 14 days, charge within 30 days, pre-sentence at most 180 days, family
# contact every 90 days. A fact is a child's when the age at its reference date is
# under 18.

ORDER = {agency: number for number, agency in enumerate(AGENCIES)}
OFFENDER_EVENTS = {"arrest", "charge", "sentence"}
CASE_OPENERS = {
    "arrest", "charge", "first_appearance", "diversion", "verdict", "sentence",
}
HOUR_S = 3600


def day_of(text: str) -> date:
    return date.fromisoformat(text[:10])


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def read_birth(text: str) -> date | None:
    """A recorded date of birth as the engine reads it (YYYY: 1 July, YYYY-MM: the 15th)."""
    if len(text) == 10:
        return date.fromisoformat(text)
    if len(text) == 7:
        return date(int(text[:4]), int(text[5:]), 15)
    if len(text) == 4:
        return date(int(text), 7, 1)
    return None


class Country:
    """Every valid row, grouped by true person."""

    def __init__(self, summary: SynthSummary) -> None:
        self.out = summary.out
        truth = summary.out / "truth"
        self.person_of = {(row["agency"], row["record_id"]): row["person"]
                          for row in read_rows(truth / "persons.csv")}
        self.planted: dict[str, set[str]] = defaultdict(set)
        for row in read_rows(truth / "breaches.csv"):
            self.planted[row["kind"]].add(row["person"])
        self.records: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.events: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.spells: dict[str, list[dict[str, str]]] = defaultdict(list)
        for agency in AGENCIES:
            for year, row in valid_rows(summary, agency, "children.csv"):
                person = self.person_of[agency, row["record_id"]]
                self.records[person].append((year, ORDER[agency], row["date_of_birth"]))
            for _year, row in valid_rows(summary, agency, "events.csv"):
                self.events[self.person_of[agency, row["record_id"]]].append(row)
            if agency in ("police", "detention"):
                for _year, row in valid_rows(summary, agency, "detentions.csv"):
                    self.spells[self.person_of[agency, row["record_id"]]].append(row)
        self.case_start: dict[tuple[str, str], date] = {}
        for rows in (*self.events.values(), *self.spells.values()):
            for row in rows:
                if "start" in row:
                    when = day_of(row["start"])
                elif row["event_type"] in CASE_OPENERS:
                    when = day_of(row["date"])
                else:
                    continue
                key = (row["agency"], row["case_id"])
                if row["case_id"] and (key not in self.case_start or when < self.case_start[key]):
                    self.case_start[key] = when
        self.persons = set(self.records)
        self.all_planted = set().union(*self.planted.values())

    def true_birth(self, person: str) -> date:
        """The person's first record (agency order) carries the true full date of birth."""
        first = min(self.records[person], key=lambda record: record[1])
        assert len(first[2]) == 10, (person, first)
        return date.fromisoformat(first[2])

    def resolved_birth(self, person: str) -> date | None:
        """The engine's date of birth: most frequent full date (ties: latest delivery)."""
        records = self.records[person]
        for lengths in ((10,), (4, 7)):
            found = [(year, order, text) for year, order, text in records if len(text) in lengths]
            if found:
                counts = Counter(text for _y, _o, text in found)
                best = max(found, key=lambda r: (counts[r[2]], r[0], r[1]))
                return read_birth(best[2])
        return None

    def candidates(self, person: str) -> set[date]:
        """Every date of birth any of the person's records could resolve to."""
        return {birth for _y, _o, text in self.records[person]
                if (birth := read_birth(text)) is not None}

    def reference(self, row: dict[str, str]) -> date:
        """The fact's reference date: offence date, else its case's start, else its own."""
        if row.get("offence_date"):
            return date.fromisoformat(row["offence_date"])
        key = (row["agency"], row["case_id"])
        if row["case_id"] and key in self.case_start:
            return self.case_start[key]
        return day_of(row.get("date") or row["start"])

    def offender_facts(self, person: str) -> list[dict[str, str]]:
        events = [row for row in self.events[person] if row["event_type"] in OFFENDER_EVENTS]
        return events + self.spells[person]

    def all_facts(self, person: str) -> list[dict[str, str]]:
        return self.events[person] + self.spells[person]

    def dated(self, person: str, event_type: str) -> list[datetime]:
        return sorted(stamp(row["date"]) for row in self.events[person]
                      if row["event_type"] == event_type)

    def stays(self, person: str, bases: tuple[str, ...]) -> list[tuple[date, date, date | None]]:
        """(start, last day within the census, end or None) per stay of ``bases``.

        Spells chain into one stay by a shared case_id or a transfer (the next spell
        starting the day the last ended or the next day).
        """
        spells = sorted((row for row in self.spells[person] if row["basis"] in bases),
                        key=lambda row: row["start"])
        stays: list[list[dict[str, str]]] = []
        for row in spells:
            last = stays[-1][-1] if stays else None
            chained = last is not None and (
                last["case_id"] == row["case_id"] or (
                    last["end_reason"] == "transferred"
                    and 0 <= (day_of(row["start"]) - day_of(last["end"])).days <= 1))
            if chained:
                stays[-1].append(row)
            else:
                stays.append([row])
        found = []
        for chain in stays:
            start = day_of(chain[0]["start"])
            end = day_of(chain[-1]["end"]) if chain[-1]["end"] else None
            found.append((start, min(end or CENSUS, CENSUS), end))
        return found


    def police_start(self, person: str, start: date) -> date:
        """The start of the police custody that ended ``transferred`` into a stay, if any.

        An engine may chain it into the stay; the margins hold counted from either.
        """
        for row in self.spells[person]:
            if row["basis"] == "police_custody" and row["end_reason"] == "transferred" and (
                    0 <= (start - day_of(row["end"])).days <= 1):
                return day_of(row["start"])
        return start


@pytest.fixture(scope="module")
def people(country: SynthSummary) -> Country:
    return Country(country)


def test_every_person_has_the_true_full_birth_date_on_a_record(people: Country) -> None:
    for person in people.persons:
        true = people.true_birth(person)
        full = Counter(text for _y, _o, text in people.records[person] if len(text) == 10)
        assert full[true.isoformat()] >= 1
        # Any other interpretation (swap, partial date) is less than a year away.
        for birth in people.candidates(person):
            assert abs((birth - true).days) < 365, person


def test_ages_keep_a_year_from_every_limit(people: Country) -> None:
    below = people.planted["below_macr"]
    assert below
    adults = 0
    for person in people.persons:
        true = people.true_birth(person)
        births = people.candidates(person) | {people.resolved_birth(person) or true}
        offender = [people.reference(row) for row in people.offender_facts(person)]
        if person in below:
            assert all(age_on(true, day) <= 12 for day in offender), person
            assert all(age_on(birth, day) < 14 for day in offender for birth in births)
        else:
            assert all(age_on(true, day) >= 15 for day in offender), person
            assert all(age_on(birth, day) >= 14 for day in offender for birth in births)
        every = [people.reference(row) for row in people.all_facts(person)]
        every += [day_of(row.get("date") or row["start"]) for row in people.all_facts(person)]
        every += [min(day_of(row["end"]) if row["end"] else CENSUS, CENSUS)
                  for row in people.spells[person]]
        if person in people.all_planted:
            assert all(age_on(true, day) <= 16 for day in every), person
            assert all(age_on(birth, day) < 18 for day in every for birth in births)
        if offender and age_on(true, min(offender)) >= 18:
            adults += 1
            assert all(age_on(true, day) >= 19 for day in every), person
            assert all(age_on(birth, day) >= 18 for day in every for birth in births)
            assert person not in people.all_planted
    assert adults > 0


def gaps(start: date, last: date, inside: list[date]) -> list[int]:
    points = [start, *sorted(inside), last]
    return [(b - a).days for a, b in zip(points, points[1:], strict=False)]


def test_reviews_every_12_days_and_one_planted_gap_of_17_to_25(people: Country) -> None:
    planted = people.planted["review_missed"]
    assert planted
    for person in people.persons:
        reviews = [day_of(row["date"]) for row in people.events[person]
                   if row["event_type"] == "detention_review"]
        stays = people.stays(person, ("pre_sentence",))
        assert all(any(s <= r <= last for s, last, _e in stays) for r in reviews), person
        missed = 0
        for start, last, _end in stays:
            inside = [r for r in reviews if start <= r <= last]
            widths = gaps(start, last, inside)
            assert gaps(people.police_start(person, start), last, inside)[0] <= 12
            wide = [width for width in widths if width > 12]
            assert all(17 <= width <= 25 for width in wide) and len(wide) <= 1, (person, widths)
            missed += len(wide)
        assert missed == (1 if person in planted else 0), person


def test_charge_within_28_days_unless_planted_32_to_60(people: Country) -> None:
    planted = people.planted["not_charged_in_time"]
    assert planted
    for person in people.persons:
        charges = [day_of(row["date"]) for row in people.events[person]
                   if row["event_type"] == "charge"]
        late = 0
        for start, last, _end in people.stays(person, ("pre_sentence",)):
            near = [day for day in charges if -30 <= (day - start).days <= 30]
            if any((day - start).days <= 28 for day in near):
                arrest = people.police_start(person, start)
                assert any((day - arrest).days <= 28 for day in near), person
                continue
            assert not near, person
            first = min(day for day in charges if day > start)
            assert 32 <= (first - start).days <= 60 and (last - start).days >= 31, person
            late += 1
        assert late == (1 if person in planted else 0), person


def test_pre_sentence_at_most_178_days_unless_planted_182_plus(people: Country) -> None:
    planted = people.planted["pretrial_too_long"]
    assert planted
    for person in people.persons:
        stays = people.stays(person, ("pre_sentence",))
        lengths = [(last - start).days for start, last, _end in stays]
        from_arrest = [(last - people.police_start(person, start)).days
                       for start, last, _end in stays]
        assert all(days <= 178 or days >= 182 for days in from_arrest)
        assert sum(days > 178 for days in from_arrest) == (1 if person in planted else 0)
        long = [days for days in lengths if days > 178]
        assert all(days >= 182 for days in long)
        assert len(long) == (1 if person in planted else 0), (person, lengths)


def test_family_contact_every_88_days_unless_one_planted_gap(people: Country) -> None:
    planted = people.planted["no_family_contact"]
    assert planted
    for person in people.persons:
        visits = [day_of(row["date"]) for row in people.events[person]
                  if row["event_type"] == "family_visit"]
        broken = 0
        for start, last, _end in people.stays(person, ("pre_sentence", "sentenced")):
            widths = gaps(start, last, [v for v in visits if start <= v <= last])
            wide = [width for width in widths if width > 88]
            assert all(95 <= width <= 115 for width in wide) and len(wide) <= 1, (person, widths)
            broken += len(wide)
        assert broken == (1 if person in planted else 0), person


def test_police_limits_match_arrests_the_engine_way(people: Country) -> None:
    kinds = ("first_appearance_late", "first_appearance_missing",
             "parent_not_notified_in_time", "no_legal_aid_by_first_appearance")
    found: dict[str, set[str]] = {kind: set() for kind in kinds}
    for person in people.persons:
        arrests = people.dated(person, "arrest")
        appearances = sorted(set(people.dated(person, "first_appearance")))
        notices = people.dated(person, "parent_notified")
        aid = people.dated(person, "legal_aid")
        previous = datetime.min
        for number, arrest in enumerate(arrests):
            following = arrests[number + 1] if number + 1 < len(arrests) else datetime.max
            appearance = next((t for t in appearances if arrest <= t < following), None)
            notice = next((t for t in notices if arrest <= t < following), None)
            if appearance is None:
                found["first_appearance_missing"].add(person)
            else:
                hours = (appearance - arrest).total_seconds() / HOUR_S
                assert hours <= 22 or hours >= 26, person
                if hours > 24:
                    found["first_appearance_late"].add(person)
                counted = [t for t in aid if previous < t <= appearance]
                if not counted:
                    found["no_legal_aid_by_first_appearance"].add(person)
                else:
                    assert any(arrest <= t and (appearance - t).total_seconds() >= 2 * HOUR_S
                               for t in counted), person
                previous = appearance
            hours = (notice - arrest).total_seconds() / HOUR_S if notice else 99.0
            assert hours <= 22 or hours >= 26, person
            if hours > 24:
                found["parent_not_notified_in_time"].add(person)
    for kind in kinds:
        assert found[kind] == people.planted[kind], kind


def test_custody_kinds_only_where_planted(people: Country) -> None:
    facilities = {row["facility_id"]: row["children_wholly_separated"]
                  for row in read_rows(people.out / "registers" / "facilities.csv")}
    held, died, hurt = set(), set(), set()
    for person in people.persons:
        for row in people.spells[person]:
            if row["held_with_adults"] == "y" or facilities[row["facility_id"]] != "y":
                held.add(person)
            if row["end_reason"] == "death":
                died.add(person)
        if any(row["event_type"] == "violence_in_custody" for row in people.events[person]):
            hurt.add(person)
    assert held == people.planted["held_with_adults"]
    assert died == people.planted["death_in_custody"]
    assert hurt == people.planted["violence_in_custody"]
    below = {person for person in people.persons
             if any(age_on(people.resolved_birth(person) or date.min, people.reference(row)) < 14
                    for row in people.offender_facts(person))}
    assert below == people.planted["below_macr"]


def test_one_breach_row_per_person_and_kind_dated_by_the_census(country: SynthSummary) -> None:
    rows = breaches(country)
    pairs = Counter((row["person"], row["kind"]) for row in rows)
    assert max(pairs.values()) == 1
    kinds = {row["kind"] for row in rows}
    assert kinds == {
        "below_macr", "first_appearance_late", "first_appearance_missing",
        "parent_not_notified_in_time", "no_legal_aid_by_first_appearance", "review_missed",
        "not_charged_in_time", "pretrial_too_long", "held_with_adults", "no_family_contact",
        "death_in_custody", "violence_in_custody",
    }


def test_nothing_is_dated_after_the_census(people: Country) -> None:
    last = CENSUS.isoformat()
    for person in people.persons:
        for row in people.events[person]:
            assert row["date"][:10] <= last and row["offence_date"] <= last, row
        for row in people.spells[person]:
            assert row["start"][:10] <= last and row["end"][:10] <= last, row
