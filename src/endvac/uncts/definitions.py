"""What each UN-CTS table counts, declared as data (docs/uncts.md).

Each measure is a predicate over the derived facts (``f``, as the indicator
definitions are), counted as distinct children (``f.is_child``), each placed by the
first qualifying fact (the indicator engine's cell rule): its sex and its offence.
"""

from __future__ import annotations

from dataclasses import dataclass

from endvac.interchange.spec import UNCTS_MEASURES

_IN_YEAR = "f.fact_date BETWEEN $period_start AND $period_end"
_HELD_AT_C = "f.fact_date <= $census AND (f.end_date IS NULL OR f.end_date > $census)"


@dataclass(frozen=True)
class Measure:
    """One UN-CTS table: ``id`` (as in adult_counts.csv), the survey's wording, the
    predicate, whether the survey asks it by offence, and the public release cell it
    equals (indicator, field), whose suppression it inherits."""

    id: str
    label: str
    predicate: str
    by_offence: bool
    release_cell: tuple[str, str] | None = None


MEASURES: tuple[Measure, ...] = (
    Measure("police_contact", "Persons brought into formal contact with the police",
            f"f.kind = 'arrest' AND f.role = 'offender' AND {_IN_YEAR}", True,
            ("JJ1", "numerator")),
    Measure("prosecuted", "Persons prosecuted",
            f"f.kind = 'charge' AND f.role = 'offender' AND {_IN_YEAR}", True),
    Measure("convicted", "Persons convicted",
            f"f.kind = 'verdict' AND f.measure = 'convicted' AND f.role = 'offender' "
            f"AND {_IN_YEAR}", True),
    Measure("held_pre_trial", "Persons held unsentenced (pre-trial) on 31 December",
            f"f.fact_kind = 'spell' AND f.basis = 'pre_sentence' AND {_HELD_AT_C}", False,
            ("JJ3", "numerator")),
    Measure("held_sentenced", "Persons held sentenced on 31 December",
            f"f.fact_kind = 'spell' AND f.basis = 'sentenced' AND {_HELD_AT_C}", False),
)
assert tuple(m.id for m in MEASURES) == UNCTS_MEASURES  # one list of measures


@dataclass(frozen=True)
class Offence:
    """A UN-CTS offence row: the ICCS code whose sub-codes it holds (adult_counts.csv
    rows give this exact code)."""

    id: str
    label: str
    iccs: str


OFFENCES: tuple[Offence, ...] = (
    Offence("intentional_homicide", "Intentional homicide", "0101"),
    Offence("assault", "Assault", "0201"),
    Offence("kidnapping", "Kidnapping", "0204"),
    Offence("sexual_violence", "Sexual violence", "0301"),
    Offence("robbery", "Robbery", "0401"),
    Offence("burglary", "Burglary", "0501"),
    Offence("theft", "Theft", "0502"),
    Offence("drug_offences", "Acts involving controlled drugs", "06"),
)
TOTAL_ROW = "total"
SEXES = ("m", "f", "total")
GROUPS = ("juvenile", "adult", "all")
COLUMNS = tuple(f"{g}_{s}" for g in GROUPS for s in SEXES)


def offence_of(iccs: str | None) -> str | None:
    """The UN-CTS offence row an ICCS code falls in, or None."""
    for offence in OFFENCES:
        if iccs and iccs.startswith(offence.iccs):
            return offence.id
    return None
