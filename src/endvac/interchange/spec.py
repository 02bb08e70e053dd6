"""The interchange format, declared once as data.

This module is the single source of the format's files, columns, code lists,
keys and validation rules.  Ingest, the docs page (docs/interchange.md) and
the tests all read it; a test fails when the docs drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FORMAT_VERSION = "1"


class Kind(StrEnum):
    """How a column's cells are read, checked and stored."""

    ID = "id"  # case-sensitive, trimmed
    OPEN_CODE = "open_code"  # case-sensitive code from a free list, trimmed
    CODE = "code"  # closed list, case-insensitive, stored lower-case
    AGENCY = "agency"  # closed list or other:NAME, stored lower-case
    FLAG = "flag"  # y / n / empty
    DATE = "date"  # YYYY-MM-DD
    DATE_OR_TIME = "date_or_time"  # YYYY-MM-DD or YYYY-MM-DDTHH:MM
    PARTIAL_DATE = "partial_date"  # YYYY, YYYY-MM or YYYY-MM-DD
    COUNT = "count"  # whole number >= 0
    ICCS = "iccs"  # 2, 4, 5 or 6 digits under section 01-11
    NATIONALITY = "nationality"  # ISO 3166-1 alpha-3, stored upper-case
    TEXT = "text"  # free text
    IDENTIFIER = "identifier"  # direct identifier: never stored in the analytic store
    ENCODED = "encoded"  # an identifier's token or Bloom encoding: linkage zone only


AGENCIES = (
    "police",
    "prosecution",
    "court",
    "detention",
    "social_services",
    "victim_services",
    "legal_aid",
)
FLAG_VALUES = ("y", "n")
SEX = ("f", "m", "x", "u")
POPULATION_SEX = ("f", "m")
# Extension of format version 1: the victims' pathway, the later events of a
# `victim_report` case (docs/spec/interchange.md, "Extension: the victims' pathway").
VICTIM_PATHWAY_EVENTS = (
    "investigation_opened",
    "investigation_closed",
    "suspect_charged",
    "suspect_verdict",
    "victim_support",
    "child_interview",
)
EVENT_TYPES = (
    "arrest",
    "charge",
    "first_appearance",
    "legal_aid",
    "parent_notified",
    "diversion",
    "diversion_completed",
    "detention_review",
    "verdict",
    "sentence",
    "aftercare",
    "family_visit",
    "complaint",
    "violence_in_custody",
    "victim_report",
    *VICTIM_PATHWAY_EVENTS,
)
MEASURES: dict[str, tuple[str, ...]] = {
    "diversion": ("warning", "restorative_justice", "mediation", "community_programme", "other"),
    "diversion_completed": ("completed", "failed"),
    "verdict": ("convicted", "acquitted", "dismissed", "withdrawn"),
    "sentence": (
        "custodial",
        "suspended_custodial",
        "community_service",
        "probation",
        "fine",
        "reprimand",
        "other_non_custodial",
    ),
    "complaint": ("filed", "upheld", "rejected"),
    "violence_in_custody": ("by_staff", "by_peer", "self_harm"),
    "investigation_closed": ("referred", "no_suspect", "insufficient_evidence", "no_offence",
                             "other"),
    "suspect_verdict": ("convicted", "acquitted", "dismissed", "withdrawn"),
    "victim_support": ("medical", "psychosocial", "legal", "shelter", "compensation"),
    "child_interview": ("specialised", "repeated", "in_court", "video_link"),
}
ALL_MEASURES = tuple(sorted({m for ms in MEASURES.values() for m in ms}))
ROLES = ("offender", "victim", "witness")
VICTIM_DEFAULT_EVENTS = ("victim_report", "violence_in_custody", *VICTIM_PATHWAY_EVENTS)
AUTHORITIES = ("police", "prosecutor", "court")
BASES = ("police_custody", "pre_sentence", "sentenced", "administrative", "welfare", "other")
END_REASONS = (
    "released",
    "bail",
    "sentence_completed",
    "transferred",
    "sentenced",
    "death",
    "escape",
    "other",
)
RELEASE_REASONS = ("released", "bail", "sentence_completed")
FACILITY_TYPES = ("police_station", "remand_home", "juvenile_institution", "adult_prison", "other")
MODES = ("full", "incremental")
# How an event row attests that the thing happened (extension of format version 1):
# ``dated`` (the default when empty): it happened at ``date``;
# ``time_unknown``: the agency records that it happened but not when (a yes/no column's
# "yes"); ``date`` then holds the date of the stage the record belongs to (e.g. the arrest);
# ``not_done``: the agency records that it did NOT happen (a yes/no column's "no");
# ``date`` again holds the reference stage's date.
EVIDENCE = ("dated", "time_unknown", "not_done")
WITHDRAWABLE_FILES = ("children", "events", "detentions")
IDENTIFIER_FIELDS = ("given_name", "family_name", "national_id", "address", "parent_name")


@dataclass(frozen=True)
class Column:
    """One column of an interchange file."""

    name: str
    kind: Kind
    required: bool = False
    codes: tuple[str, ...] = ()
    meaning: str = ""


@dataclass(frozen=True)
class FileSpec:
    """One file of a delivery: its columns, key and how it is scoped."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    meaning: str
    agency_scoped: bool = False  # rows carry an agency; `full` manifests act on them
    period_column: str | None = None  # the date a `full` manifest's period applies to
    one_row: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def identifiers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind is Kind.IDENTIFIER)

    @property
    def protected(self) -> tuple[str, ...]:
        """Clear identifiers and their encodings: split off before any database."""
        return tuple(c.name for c in self.columns if c.kind in (Kind.IDENTIFIER, Kind.ENCODED))

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass(frozen=True)
class Rule:
    """A validation rule: its code, whether it quarantines, and the fix to suggest."""

    code: str
    severity: str  # "error" quarantines the row; "warning" only reports; "notice" informs
    meaning: str
    fix: str


def _c(name: str, kind: Kind, required: bool = False, codes: tuple[str, ...] = (),
       meaning: str = "") -> Column:
    return Column(name, kind, required, codes, meaning)


_AGENCY = _c("agency", Kind.AGENCY, True, AGENCIES, "agency code, or other:NAME")
_CASE = (
    _c("case_id", Kind.ID, meaning="the agency's case number"),
    _c("origin_case_ref", Kind.ID, meaning="the first agency's case number"),
)

FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "manifest",
        (
            _c("agency", Kind.AGENCY, False, AGENCIES, "agency the delivery comes from"),
            _c("reporting_unit", Kind.ID, meaning="district, court or facility; empty = all"),
            _c("period_start", Kind.DATE, meaning="first date the extract covers"),
            _c("period_end", Kind.DATE, meaning="last date the extract covers"),
            _c("extracted", Kind.DATE, meaning="date of extraction"),
            _c("mode", Kind.CODE, codes=MODES, meaning="full or incremental (default)"),
            _c("event_types", Kind.TEXT, meaning="space-separated event types recorded"),
            _c("format_version", Kind.ID, meaning="1"),
        ),
        key=(),
        meaning="what the delivery covers (optional, one row)",
        one_row=True,
    ),
    FileSpec(
        "facilities",
        (
            _c("facility_id", Kind.ID, True, meaning="national facility id"),
            _c("name", Kind.TEXT),
            _c("type", Kind.CODE, True, FACILITY_TYPES),
            _c("region", Kind.OPEN_CODE, meaning="region code"),
            _c("children_wholly_separated", Kind.FLAG, codes=FLAG_VALUES),
            _c("complaints_mechanism", Kind.FLAG, codes=FLAG_VALUES),
            _c("capacity", Kind.COUNT, meaning="places"),
        ),
        key=("facility_id",),
        meaning="places where children can be deprived of liberty",
    ),
    FileSpec(
        "regions",
        (
            _c("region", Kind.OPEN_CODE, True),
            _c("name", Kind.TEXT),
            _c("parent", Kind.OPEN_CODE, meaning="empty for the top level"),
        ),
        key=("region",),
        meaning="the administrative hierarchy",
    ),
    FileSpec(
        "population",
        (
            _c("year", Kind.COUNT, True),
            _c("region", Kind.OPEN_CODE, meaning="empty = whole country"),
            _c("sex", Kind.CODE, codes=POPULATION_SEX, meaning="f, m; empty = both"),
            _c("age", Kind.COUNT, meaning="single year of age 0 to 17"),
            _c("age_from", Kind.COUNT, meaning="age band instead of age"),
            _c("age_to", Kind.COUNT, meaning="age band instead of age"),
            _c("group", Kind.OPEN_CODE),
            _c("disability", Kind.FLAG, codes=FLAG_VALUES),
            _c("nationality", Kind.NATIONALITY),
            _c("population", Kind.COUNT, True, meaning="mid-year estimate"),
        ),
        key=("year", "region", "sex", "age", "age_from", "age_to", "group", "disability",
             "nationality"),
        meaning="denominators",
    ),
    FileSpec(
        "policy",
        (
            _c("key", Kind.OPEN_CODE, True),
            _c("value", Kind.FLAG, True, FLAG_VALUES),
            _c("as_of", Kind.DATE, True),
            _c("evidence", Kind.TEXT),
        ),
        key=("key", "as_of"),
        meaning="the country's policy facts",
    ),
    FileSpec(
        "inspections",
        (
            _c("facility_id", Kind.ID, True),
            _c("date", Kind.DATE, True),
            _c("independent", Kind.FLAG, True, FLAG_VALUES),
        ),
        key=("facility_id", "date"),
        meaning="visits to places of detention",
    ),
    FileSpec(
        "children",
        (
            _c("record_id", Kind.ID, True, meaning="the agency's id for this person record"),
            _AGENCY,
            _c("given_name", Kind.IDENTIFIER),
            _c("family_name", Kind.IDENTIFIER),
            _c("date_of_birth", Kind.PARTIAL_DATE, meaning="YYYY-MM-DD, YYYY-MM or YYYY"),
            _c("dob_estimated", Kind.FLAG, codes=FLAG_VALUES),
            _c("sex", Kind.CODE, codes=SEX),
            _c("national_id", Kind.IDENTIFIER),
            _c("address", Kind.IDENTIFIER),
            _c("parent_name", Kind.IDENTIFIER),
            _c("region", Kind.OPEN_CODE),
            _c("disability", Kind.FLAG, codes=FLAG_VALUES),
            _c("nationality", Kind.NATIONALITY),
            _c("group", Kind.OPEN_CODE),
            *(_c(f"{name}_{part}", Kind.ENCODED,
                 meaning=f"{name} encoded at the agency (endvac encode): "
                         + ("HMAC token, hex" if part == "token" else "Bloom encoding, base64"))
              for name in IDENTIFIER_FIELDS for part in ("token", "bloom")),
            *(_c(f"{name}_fold", Kind.ENCODED,
                 meaning=f"{name} with its transliteration variants folded, encoded at the "
                         "agency (endvac encode): HMAC token, hex")
              for name in ("given_name", "family_name")),
            _c("normalisation_version", Kind.ENCODED,
               meaning="normalisation version of an encoded delivery"),
        ),
        key=("agency", "record_id"),
        meaning="one row per person record held by one agency",
        agency_scoped=True,
    ),
    FileSpec(
        "events",
        (
            _c("event_id", Kind.ID, True),
            _AGENCY,
            _c("record_id", Kind.ID, True),
            *_CASE,
            _c("event_type", Kind.CODE, True, EVENT_TYPES),
            _c("date", Kind.DATE_OR_TIME, True),
            _c("offence_date", Kind.DATE_OR_TIME),
            _c("age_years", Kind.COUNT),
            _c("role", Kind.CODE, codes=ROLES),
            _c("offence_iccs", Kind.ICCS),
            _c("cyber", Kind.FLAG, codes=FLAG_VALUES),
            _c("measure", Kind.CODE, codes=ALL_MEASURES),
            _c("authority", Kind.CODE, codes=AUTHORITIES),
            _c("length_days", Kind.COUNT),
            _c("facility_id", Kind.ID),
            _c("evidence", Kind.CODE, codes=EVIDENCE,
               meaning="how the row attests the event: dated (default), time_unknown "
                       "(happened, time not recorded; date = the reference stage's date) or "
                       "not_done (recorded as not done)"),
        ),
        key=("agency", "event_id"),
        meaning="one row per thing that happened in a child's contact with the system",
        agency_scoped=True,
        period_column="date",
    ),
    FileSpec(
        "detentions",
        (
            _c("spell_id", Kind.ID, True),
            _AGENCY,
            _c("record_id", Kind.ID, True),
            *_CASE,
            _c("facility_id", Kind.ID, True),
            _c("basis", Kind.CODE, True, BASES),
            _c("start", Kind.DATE_OR_TIME, True),
            _c("end", Kind.DATE_OR_TIME),
            _c("end_reason", Kind.CODE, codes=END_REASONS),
            _c("held_with_adults", Kind.FLAG, codes=FLAG_VALUES),
            _c("offence_iccs", Kind.ICCS),
            _c("age_years", Kind.COUNT),
        ),
        key=("agency", "spell_id"),
        meaning="one row per spell of deprivation of liberty",
        agency_scoped=True,
        period_column="start",
    ),
    FileSpec(
        "withdrawals",
        (
            _AGENCY,
            _c("file", Kind.CODE, True, WITHDRAWABLE_FILES),
            _c("id", Kind.ID, True, meaning="record_id, event_id or spell_id"),
            _c("reason", Kind.TEXT),
        ),
        key=("agency", "file", "id"),
        meaning="records the agency takes back",
    ),
)

# --- Extension of format version 1: aggregate counts of adults (docs/interchange.md) ----
# The adult columns and the totals of the UN-CTS tables (docs/uncts.md) need counts of
# adults, which endvac never holds as records: an agency may deliver them as aggregates.
# Counts only, no person: one row per (year, measure, sex, ICCS code).
UNCTS_MEASURES = ("police_contact", "prosecuted", "convicted", "held_pre_trial",
                  "held_sentenced")
ADULT_COUNTS = FileSpec(
    "adult_counts",
    (
        _c("year", Kind.COUNT, True, meaning="the calendar year counted"),
        _c("measure", Kind.CODE, True, UNCTS_MEASURES,
           meaning="persons brought into formal contact with the police, prosecuted, "
                   "convicted, held before sentence or sentenced (docs/uncts.md)"),
        _c("sex", Kind.CODE, codes=("f", "m"), meaning="f, m; empty = both (the total)"),
        _c("iccs", Kind.ICCS, meaning="the offence (ICCS code); empty = all offences"),
        _c("count", Kind.COUNT, True, meaning="adult persons (aged 18 or over)"),
    ),
    key=("year", "measure", "sex", "iccs"),
    meaning="aggregate counts of adults for the UN-CTS tables (extension; counts only)",
)
FILES = (*FILES, ADULT_COUNTS)
# --- end of the adult_counts extension ------------------------------------------------

# Load order inside a delivery: registers before the rows that refer to them.
LOAD_ORDER = tuple(f.name for f in FILES)


def file_spec(name: str) -> FileSpec:
    """The spec of the file called ``name`` (e.g. ``"events"``)."""
    for spec in FILES:
        if spec.name == name:
            return spec
    raise KeyError(name)


RULES: tuple[Rule, ...] = (
    Rule("bad_encoding", "error", "a cell is not valid text in the file's encoding",
         "save the file as UTF-8, or name its encoding in a mapping file"),
    Rule("ragged_row", "error", "the row has more or fewer cells than the header",
         "check the delimiter and quoting of that row"),
    Rule("missing_column", "error", "a required column is absent from the file",
         "add the column, or map the agency's own column name in a mapping file"),
    Rule("required_value", "error", "a required cell is empty", "fill the cell"),
    Rule("bad_code", "error", "a value is not in the column's code list",
         "use a code of the list, or map the agency's code in a mapping file"),
    Rule("bad_date", "error", "a date or timestamp does not parse",
         "write dates as YYYY-MM-DD (timestamps YYYY-MM-DDTHH:MM), or give the "
         "date format in a mapping file"),
    Rule("bad_number", "error", "a number is not a whole number of zero or more",
         "write a whole number such as 30"),
    Rule("end_before_start", "error", "a detention spell ends before it starts",
         "correct start or end"),
    Rule("bad_iccs", "error", "an ICCS code is not 2, 4, 5 or 6 digits under section 01-11",
         "use an ICCS code such as 0101 or 03011"),
    Rule("unknown_iccs", "error", "the ICCS code is not in the workspace's ICCS code list",
         "use a code of the list named by ingest.iccs_code_list in endvac.yaml"),
    Rule("bad_encoded_value", "error",
         "an encoded identifier is not a token (64 hex digits) or a Bloom encoding "
         "(base64 of 512 bytes with 2,048 bits set)",
         "encode the delivery again with endvac encode"),
    Rule("unknown_record", "error",
         "the record_id is in no children file of that agency (this delivery or loaded)",
         "deliver the child's record in children.csv"),
    Rule("unknown_facility", "error", "the facility_id is not in the facility register",
         "deliver the facility in facilities.csv"),
    Rule("duplicate_key", "error", "rows of one file share a key but differ",
         "keep one row per key"),
    Rule("value_too_long", "error", "a cell is longer than 4,000 characters",
         "check the delimiter and quoting; cells are short values"),
    Rule("unsafe_id", "error",
         "an id or code (facility_id, region, record_id, event_id, spell_id, case_id...) "
         "is not a plain code: it must start with a letter or digit and hold only letters, "
         "digits, spaces and . , : ; / # ( ) & + - _ (so it cannot be a spreadsheet formula)",
         "correct the id in the agency's system or map it to a plain code"),
    Rule("age_or_band", "error", "a population row needs either age or age_from/age_to",
         "give a single age, or both ends of a band, not both forms"),
    Rule("future_date", "error",
         "a date lies after the delivery's extraction date (manifest `extracted`; today when "
         "none is given)", "correct the date, or give the extraction date in a manifest"),
    Rule("optional_date_dropped", "warning",
         "an optional date (date of birth, offence date) does not parse, lies before 1900 or "
         "after the extraction date: the row loaded with the cell empty",
         "correct the date, or give its format (two-digit years: %y) in a mapping file"),
    Rule("iccs_restored", "warning", "an ICCS code that lost its leading zero was restored",
         "store ICCS codes as text in spreadsheets"),
    Rule("outside_period", "warning", "the row's date falls outside the manifest period",
         "check the manifest period"),
    Rule("visit_outside_detention", "warning",
         "a family visit is dated outside every detention spell of the record",
         "check the visit's date or the spell's dates"),
    Rule("formula_without_value", "warning",
         "a workbook cell holds a formula with no saved result and was read as empty",
         "open and save the workbook in Excel or LibreOffice (results are then saved), "
         "or paste the values instead of formulas"),
    Rule("unknown_column", "warning", "a column is not part of the format and was ignored",
         "drop the column, or map it in a mapping file"),
    Rule("unknown_file", "warning", "a file of the delivery is not part of the format",
         "name it after an interchange file, or map it in a mapping file"),
    Rule("reference_missing", "notice",
         "a reference file (facilities, regions or population) is not loaded; the rows "
         "load without it and the message says what its absence costs",
         "deliver the file when it is available; nothing else needs to change"),
    Rule("victim_event_before_report", "warning",
         "a victims' pathway event (investigation, charge, verdict, support, interview) is "
         "dated before the victim_report of its case",
         "check the event's date or the report's date"),
    Rule("victim_case_not_found", "notice",
         "a victims' pathway event names no loaded victim_report: none shares its (agency, "
         "case_id) or has its origin_case_ref as case_id (without either, none of its "
         "record); it loads, and the case indicators leave it out until the report comes",
         "deliver the victim_report, or give the report's case number in case_id or "
         "origin_case_ref"),
    Rule("unknown_withdrawal", "warning", "a withdrawal names a row that is not loaded",
         "check the agency, file and id of the withdrawal"),
)
ERROR_RULES = tuple(r.code for r in RULES if r.severity == "error")
MAX_CELL_CHARS = 4000


def rule(code: str) -> Rule:
    """The rule with code ``code``."""
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)
