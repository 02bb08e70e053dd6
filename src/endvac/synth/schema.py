"""The interchange columns, agencies and fixed dates of the synthetic country."""

from __future__ import annotations

from datetime import date
from typing import Final

YEARS: Final = (2023, 2024, 2025)
PERIOD_START: Final = date(2023, 1, 1).toordinal()
CENSUS_DAY: Final = date(2025, 12, 31).toordinal()

CHILDREN_COLUMNS: Final = (
    "record_id", "agency", "given_name", "family_name", "date_of_birth", "dob_estimated",
    "sex", "national_id", "address", "parent_name", "region", "disability", "nationality",
    "group",
)
EVENT_COLUMNS: Final = (
    "event_id", "agency", "record_id", "case_id", "origin_case_ref", "event_type", "date",
    "offence_date", "age_years", "role", "offence_iccs", "cyber", "measure", "authority",
    "length_days", "facility_id",
)
DETENTION_COLUMNS: Final = (
    "spell_id", "agency", "record_id", "case_id", "origin_case_ref", "facility_id", "basis",
    "start", "end", "end_reason", "held_with_adults", "offence_iccs", "age_years",
)
MANIFEST_COLUMNS: Final = (
    "agency", "reporting_unit", "period_start", "period_end", "extracted", "mode",
    "event_types", "format_version",
)
FACILITY_COLUMNS: Final = (
    "facility_id", "name", "type", "region", "children_wholly_separated",
    "complaints_mechanism", "capacity",
)
INSPECTION_COLUMNS: Final = ("facility_id", "date", "independent")
POPULATION_COLUMNS: Final = (
    "year", "region", "sex", "age", "age_from", "age_to", "group", "disability", "nationality",
    "population",
)
REGION_COLUMNS: Final = ("region", "name", "parent")
POLICY_COLUMNS: Final = ("key", "value", "as_of", "evidence")

# Position of record_id and age_years in event and detention rows.
EVENT_RECORD, EVENT_AGE = 2, 8
SPELL_RECORD, SPELL_AGE = 2, 12

FILE_COLUMNS: Final = {
    "children": CHILDREN_COLUMNS,
    "events": EVENT_COLUMNS,
    "detentions": DETENTION_COLUMNS,
}

# What each agency delivers: the event types it records and whether it has spells.
AGENCY_EVENT_TYPES: Final = {
    "police": ("arrest", "parent_notified", "legal_aid", "first_appearance"),
    "prosecution": ("charge", "diversion", "diversion_completed"),
    "court": ("first_appearance", "verdict", "sentence", "detention_review"),
    "detention": ("family_visit", "complaint", "violence_in_custody"),
    "social_services": ("aftercare",),
    "victim_services": ("victim_report", "investigation_opened", "investigation_closed",
                        "suspect_charged", "suspect_verdict", "victim_support",
                        "child_interview"),
}
AGENCIES: Final = tuple(AGENCY_EVENT_TYPES)
AGENCIES_WITH_SPELLS: Final = ("police", "detention")

# Record id, event id, spell id and case id styles per agency.
RECORD_STYLE: Final = {
    "police": "P{n:07d}",
    "prosecution": "PR-{year}-{n:06d}",
    "court": "CT{year}/{n:06d}",
    "detention": "DET-{n:07d}",
    "social_services": "SS{n:07d}",
    "victim_services": "VS-{year}-{n:06d}",
}
ID_PREFIX: Final = {
    "police": "P",
    "prosecution": "PR",
    "court": "CT",
    "detention": "DT",
    "social_services": "SS",
    "victim_services": "VS",
}

RELEASE_REASONS: Final = ("released", "bail", "sentence_completed")
BREACH_KINDS: Final = (
    "below_macr", "first_appearance_late", "first_appearance_missing",
    "parent_not_notified_in_time", "no_legal_aid_by_first_appearance", "review_missed",
    "not_charged_in_time", "pretrial_too_long", "held_with_adults", "no_family_contact",
    "death_in_custody", "violence_in_custody",
)
INVALID_RULES: Final = (
    "bad_encoding", "ragged_row", "missing_column", "required_value", "bad_code", "bad_date",
    "bad_number", "end_before_start", "bad_iccs", "unknown_record", "unknown_facility",
    "duplicate_key", "value_too_long", "age_or_band",
)
