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
    records = [
        row for agency in AGENCIES for _y, row in valid_rows(country, agency, "children.csv")
    ]
    births = [row["date_of_birth"] for row in records]
    assert 0.07 <= births.count("") / len(births) <= 0.13
    partial = sum(len(birth) in (4, 7) for birth in births) / len(births)
    assert 0.12 <= partial <= 0.18
    police = [row for _y, row in valid_rows(country, "police", "children.csv")]
    with_id = sum(bool(row["national_id"]) for row in police) / len(police)
    assert 0.55 <= with_id <= 0.65
    undated = {row["record_id"] for row in police if not row["date_of_birth"]}
    aged = {row["record_id"] for _y, row in valid_rows(country, "police", "events.csv")
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
