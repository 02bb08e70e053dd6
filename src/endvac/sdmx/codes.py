"""The SDMX vocabulary of a release, as data: the dimensions and attributes of the data
structure definition, the codes of each dimension and how endvac's own codes map to them
(and back). Used to write a release (observations.py, structure.py) and to read it back
(read.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from endvac.errors import BadInput
from endvac.indicators.periods import parse_period

AGENCY = "ENDVAC"
VERSION = "1.0"
DSD_ID = "DSD_ENDVAC_RELEASE"
CONCEPTS_ID = "CS_ENDVAC"
TOTAL, UNKNOWN, OTHER = "_T", "_U", "_O"
NUMERATOR, DENOMINATOR = "_NUM", "_DEN"
COUNT_UNIT = "NUMBER"

# the time dimension comes last (SDMX-ML: TimeDimension follows every other dimension)
DIMENSIONS = ("REF_AREA", "INDICATOR", "SEX", "AGE", "REGION", "OFFENCE", "UNIT_MEASURE",
              "TIME_PERIOD")
# the release's breakdowns and the dimension each fills (the others are _T)
BREAKDOWN_DIMENSION = {"sex": "SEX", "age_group": "AGE", "region": "REGION",
                       "offence": "OFFENCE"}


@dataclass(frozen=True)
class Attribute:
    id: str
    name: str
    level: str  # D: the dataset, O: each observation
    required: bool
    dtype: str  # string, double or integer (codelist when the id has one)


ATTRIBUTES = (
    Attribute("OBS_STATUS", "Observation status", "O", True, "string"),
    Attribute("CONF_STATUS", "Confidentiality status", "O", True, "string"),
    Attribute("CI_LOWER", "Lower bound of the 95% interval", "O", False, "double"),
    Attribute("CI_UPPER", "Upper bound of the 95% interval", "O", False, "double"),
    Attribute("COVERAGE", "Coverage of the figure (agencies, facilities, regions)", "O",
              False, "string"),
    Attribute("RELEASE_NO", "Number of the endvac public release", "D", False, "string"),
    Attribute("RELEASE_PERIOD", "Period of the release (start/end)", "D", False, "string"),
    Attribute("DEF_VERSION", "Version of endvac's indicator definitions", "D", False,
              "string"),
    Attribute("CONFIG_REV", "Revision of the workspace's counting rules", "D", False,
              "string"),
    Attribute("ROUNDING_BASE", "Base the published counts are rounded to (empty: none)",
              "D", False, "string"),
)

CONCEPT_NAMES = {
    "REF_AREA": "Reference area (ISO 3166-1 alpha-3)", "TIME_PERIOD": "Time period",
    "INDICATOR": "endvac indicator (a value; _NUM its numerator, _DEN its denominator)",
    "SEX": "Sex", "AGE": "Age group", "REGION": "Region of the country",
    "OFFENCE": "Offence (ICCS section)", "UNIT_MEASURE": "Unit of measure",
    "OBS_VALUE": "Observation value",
}

CONF_STATUS = {"F": "Free (may be published)",
               "C": "Confidential statistical information (suppressed: no value)"}
OBS_STATUS = {"A": "Normal value", "P": "Provisional value",
              "O": "Missing value (nothing to compute it from)"}

SEX = {"f": ("F", "Female"), "m": ("M", "Male"), "x": (OTHER, "Other"),
       "unknown": (UNKNOWN, "Unknown")}

UNITS = {"per_100000": ("PER_100000", "Per 100,000 children"),
         "per_1000": ("PER_1000", "Per 1,000"), "per_child": ("PER_CHILD", "Per child"),
         "percent": ("PC", "Percent"),
         "days": ("DAYS", "Days (median)"), "yes_no": ("BOOL", "Yes (1) or no (0)"),
         "count": (COUNT_UNIT, "Number (a count, or a population)")}

# ICCS (UNODC, 2015) level-1 sections
ICCS_SECTIONS = {
    "01": "Acts leading to death or intending to cause death",
    "02": "Acts causing harm or intending to cause harm to the person",
    "03": "Injurious acts of a sexual nature",
    "04": "Acts against property involving violence or threat against a person",
    "05": "Acts against property only",
    "06": "Acts involving controlled psychoactive substances or other drugs",
    "07": "Acts involving fraud, deception or corruption",
    "08": "Acts against public order, authority and provisions of the State",
    "09": "Acts against public safety and state security",
    "10": "Acts against the natural environment",
    "11": "Other criminal acts not elsewhere classified",
}

# an SDMX id that no spreadsheet reads as a formula (never starting with - or @)
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_@$\-]*$")
_BAND = re.compile(r"^(\d+)-(\d+)$")
_AGE_CODE = re.compile(r"^Y(\d+)T(\d+)$")


def age_code(band: str) -> str:
    """An age band as an SDMX age code: 14-15 -> Y14T15; unknown -> _U."""
    match = _BAND.match(band)
    if match:
        return f"Y{match[1]}T{match[2]}"
    if band == "unknown":
        return UNKNOWN
    raise BadInput(f"age group {band!r} is not a band like 14-15",
                   fix="rebuild the release with the workspace's age_groups")


def cell_code(breakdown: str, cell: str) -> str:
    """The SDMX code of a release cell of ``breakdown``."""
    if cell == "unknown":
        return UNKNOWN
    if breakdown == "sex":
        return SEX.get(cell, (UNKNOWN, ""))[0]
    if breakdown == "age_group":
        return age_code(cell)
    if not _ID.match(cell):
        raise BadInput(f"{breakdown} code {cell!r} is not an SDMX code",
                       fix="use letters, digits, _ and - in codes")
    return cell


def cell_of(breakdown: str, code: str) -> str:
    """The release cell of an SDMX code (the inverse of :func:`cell_code`)."""
    if code == UNKNOWN:
        return "unknown"
    if breakdown == "sex":
        return next((cell for cell, (sdmx, _n) in SEX.items() if sdmx == code), code)
    match = _AGE_CODE.match(code) if breakdown == "age_group" else None
    return f"{match[1]}-{match[2]}" if match else code


def time_period(period_text: str) -> str:
    """A release period in SDMX time format: 2025, 2025-Q1, 2025-M03, or
    2025-01-01/P90D for any other span."""
    period = parse_period(period_text)
    start, end = period.start, period.end
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{start.month // 3 + 1}"
        if months == 1:
            return f"{start.year}-M{start.month:02d}"
    return f"{start.isoformat()}/P{period.days}D"


def period_of(code: str) -> str:
    """The release period (start/end) of an SDMX time period from :func:`time_period`."""
    if re.fullmatch(r"\d{4}", code):
        return f"{code}-01-01/{code}-12-31"
    months = _months(code)
    if months:
        year, first, count = months
        start = date(year, first, 1)
        after = date(year + (first + count - 1) // 12, (first + count - 1) % 12 + 1, 1)
        return f"{start.isoformat()}/{(after - timedelta(days=1)).isoformat()}"
    span = re.fullmatch(r"(\d{4}-\d{2}-\d{2})/P(\d+)D", code)
    if not span:
        raise BadInput(f"time period {code!r} is not one endvac writes",
                       fix="read an SDMX file written by endvac export sdmx")
    start = date.fromisoformat(span[1])
    return f"{start.isoformat()}/{(start + timedelta(days=int(span[2]) - 1)).isoformat()}"


def _months(code: str) -> tuple[int, int, int] | None:
    """(year, first month, months) of a quarter (2025-Q2) or month (2025-M04) code."""
    if quarter := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        return int(quarter[1]), 3 * int(quarter[2]) - 2, 3
    if month := re.fullmatch(r"(\d{4})-M(0[1-9]|1[0-2])", code):
        return int(month[1]), int(month[2]), 1
    return None
