"""Reference files are optional help, not a wall.

A delivery may come without facilities, regions or population files. Its rows
load all the same (a facility id with no register loaded at all is not a row
error); what each missing file costs is said once per delivery, as one
delivery-level ``reference_missing`` notice per file, never as row findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from endvac.ingest.findings import Finding, finding
from endvac.store import db


@dataclass(frozen=True)
class Reference:
    """A reference file, what rows of a delivery need it, and what its absence costs."""

    file: str
    needed_when: str  # SQL: true when the delivery's rows need the file (binds $delivery)
    cost: str


def _carried(column: str, files: tuple[str, ...]) -> str:
    parts = " UNION ALL ".join(f"SELECT {column} FROM f_{name} WHERE _delivery = $delivery"
                               for name in files)
    return f"SELECT count(*) > 0 FROM ({parts}) WHERE {column} IS NOT NULL"


REFERENCES = (
    Reference("population",
              "SELECT count(*) > 0 FROM f_children WHERE _delivery = $delivery",
              "rates per child population (JJ1-JJ3, VAC1-VAC4, VAC6) have no value, "
              "with the reason; counts, shares and durations are computed"),
    Reference("facilities", _carried("facility_id", ("events", "detentions", "inspections")),
              "facility ids are kept as given, neither checked nor named; JJ7 relies on "
              "each spell's held_with_adults alone; JJ12b and JJ13b have no places"),
    Reference("regions", _carried("region", ("children", "facilities", "population")),
              "region codes are kept as given and do not roll up into larger regions: "
              "population rows and breakdowns are matched by the codes as written"),
)


def missing_sql(file: str) -> str:
    """True when the workspace holds no current row of reference ``file``."""
    return f'SELECT count(*) = 0 FROM "{file}"'


def reference_notices(con: duckdb.DuckDBPyConnection, delivery_id: int,
                      source: str) -> list[Finding]:
    """One ``reference_missing`` notice for each reference file that the delivery's rows
    need and that no delivery (this one included) has brought."""
    out: list[Finding] = []
    for ref in REFERENCES:
        if not db.scalar(con, f"check for a {ref.file} file", missing_sql(ref.file)):
            continue
        if db.scalar(con, f"check what needs a {ref.file} file", ref.needed_when,
                     {"delivery": delivery_id}):
            out.append(finding("delivery", source, None, None, "reference_missing",
                               f"no {ref.file} file is loaded: {ref.cost}"))
    return out
