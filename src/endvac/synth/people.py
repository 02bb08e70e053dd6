"""True identities of the simulated persons and the noisy agency records of them.

Each agency record of a person is derived independently from the true identity
with the noise profile below (docs/synthetic.md gives the same numbers), except that
a person's first record always carries the true full date of birth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from endvac.synth.calendar import Calendar
from endvac.synth.names import NamePool, typo
from endvac.synth.world import DISTRICTS

NAME_TYPO_RATE = 0.08
NAME_SWAP_RATE = 0.03
DOB_MISSING_RATE = 0.10
DOB_PARTIAL_RATE = 0.15
DOB_SWAP_RATE = 0.05
AGE_WHEN_DOB_MISSING_RATE = 0.5
NATIONAL_ID_RATE = {
    "police": 0.60, "prosecution": 0.40, "court": 0.50, "detention": 0.70,
    "social_services": 0.50, "victim_services": 0.30,
}
ADDRESS_RATE = 0.75
PARENT_NAME_RATE = 0.65
HOME_NATIONALITY = "XFC"
FOREIGN_NATIONALITIES = ("XNB", "FRA", "NGA", "SYR", "UKR", "BRA")
GROUPS = ("majority", "minority_a", "minority_b")


@dataclass(slots=True)
class Person:
    """The true identity of one simulated person."""

    key: str
    given_name: str
    family_name: str
    sex: str
    birth_day: int
    region: str
    nationality: str
    group: str
    disability: str
    national_id: str
    address: str
    parent_name: str


def make_person(
    rng: random.Random,
    names: NamePool,
    index: int,
    birth_day: int,
    male_share: float,
) -> Person:
    """Draw the true identity of person number ``index``."""
    draw = rng.random()
    sex = "x" if draw < 0.002 else ("m" if draw < 0.002 + male_share else "f")
    region = DISTRICTS[rng.randrange(len(DISTRICTS))]
    given = rng.choice(names.female if sex == "f" else names.male)
    family = rng.choice(names.family)
    parent = rng.choice(names.female if rng.random() < 0.7 else names.male)
    draw = rng.random()
    nationality = HOME_NATIONALITY if draw < 0.9 else rng.choice(FOREIGN_NATIONALITIES)
    draw = rng.random()
    group = GROUPS[0] if draw < 0.75 else (GROUPS[1] if draw < 0.9 else GROUPS[2])
    return Person(
        key=f"C{index + 1:07d}",
        given_name=given,
        family_name=family,
        sex=sex,
        birth_day=birth_day,
        region=region,
        nationality=nationality,
        group=group,
        disability="y" if rng.random() < 0.08 else "n",
        national_id=f"{rng.randrange(10**8, 10**9)}",
        address=f"{rng.randrange(1, 200)} {rng.choice(names.streets)}, {region}",
        parent_name=f"{parent} {family}",
    )


def _noisy_names(rng: random.Random, person: Person) -> tuple[str, str]:
    given, family = person.given_name, person.family_name
    if rng.random() < NAME_TYPO_RATE:
        given = typo(rng, given)
    if rng.random() < NAME_TYPO_RATE:
        family = typo(rng, family)
    if rng.random() < NAME_SWAP_RATE:
        given, family = family, given
    return given, family


def _noisy_birth_date(
    rng: random.Random, cal: Calendar, birth_day: int, exact: bool
) -> tuple[str, str]:
    """The recorded date of birth and dob_estimated flag (``exact``: the true full date)."""
    draw = 1.0 if exact else rng.random()
    if draw < DOB_MISSING_RATE:
        return "", ""
    year, month, day = cal.ymd(birth_day)
    if draw < DOB_MISSING_RATE + DOB_PARTIAL_RATE:
        if rng.random() < 0.5:
            return f"{year}", "y" if rng.random() < 0.5 else ""
        return f"{year}-{month:02d}", "y" if rng.random() < 0.3 else ""
    if draw < DOB_MISSING_RATE + DOB_PARTIAL_RATE + DOB_SWAP_RATE and day <= 12 and day != month:
        return f"{year}-{day:02d}-{month:02d}", "n"
    flag = rng.random()
    return cal.iso(birth_day), ("y" if flag < 0.03 else ("" if flag < 0.13 else "n"))


def _noisy_attributes(rng: random.Random, person: Person) -> tuple[str, str, str]:
    draw = rng.random()
    sex = person.sex if draw < 0.993 else ("u" if draw < 0.998 else "")
    draw = rng.random()
    region = person.region if draw < 0.92 else ("" if draw < 0.97 else rng.choice(DISTRICTS))
    disability = person.disability if rng.random() < 0.8 else ""
    return sex, region, disability


def agency_record(
    rng: random.Random, cal: Calendar, person: Person, agency: str, record_id: str,
    exact_birth: bool = False,
) -> tuple[list[str], bool]:
    """One agency's children.csv row for a person, and whether its facts carry age_years.

    ``exact_birth``: the record carries the true full date of birth (a person's first
    record does, so every person has one record with the true date).
    """
    given, family = _noisy_names(rng, person)
    birth_date, estimated = _noisy_birth_date(rng, cal, person.birth_day, exact_birth)
    sex, region, disability = _noisy_attributes(rng, person)
    national_id = person.national_id if rng.random() < NATIONAL_ID_RATE[agency] else ""
    address = person.address if rng.random() < ADDRESS_RATE else ""
    parent = person.parent_name if rng.random() < PARENT_NAME_RATE else ""
    nationality = person.nationality if rng.random() < 0.85 else ""
    group = person.group if rng.random() < 0.7 else ""
    carries_age = not birth_date and rng.random() < AGE_WHEN_DOB_MISSING_RATE
    row = [
        record_id, agency, given, family, birth_date, estimated, sex, national_id, address,
        parent, region, disability, nationality, group,
    ]
    return row, carries_age
