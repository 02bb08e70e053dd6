"""Made-up names built from syllables, and one-character typos.

No name comes from a list of real people: every name is a combination of the
syllables below, drawn with a seeded generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ONSETS = (
    "ka", "lo", "mi", "ta", "ren", "sa", "vo", "ni", "dar", "el", "mar", "to", "bi", "ze",
    "ru", "ha", "jo", "an", "fe", "gi", "ol", "pe", "qua", "ri", "su", "ve", "wi", "ya",
    "zo", "ber", "cal", "dun", "es", "fal", "gor", "hel", "iv", "kel", "lum", "nor",
)
MIDDLES = ("", "la", "ri", "no", "ve", "si", "ta", "mo", "ke", "da", "lu", "ni", "ra", "bo")
FEMALE_ENDINGS = ("a", "ia", "ine", "elle", "ra", "na", "isa", "ette", "ana", "ea")
MALE_ENDINGS = ("o", "an", "ek", "ir", "us", "or", "el", "im", "ard", "en")
FAMILY_ENDINGS = (
    "son", "ova", "ski", "ez", "ani", "berg", "ton", "ovic", "ard", "ini", "enko", "dal",
    "ström", "escu", "oglu", "mann",
)
STREET_KINDS = ("Road", "Street", "Lane", "Avenue", "Way")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class NamePool:
    """Precomputed name lists for one run."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    streets: tuple[str, ...]


def _combine(rng: random.Random, endings: tuple[str, ...], size: int) -> tuple[str, ...]:
    names = sorted(
        {(o + m + e).capitalize() for o in ONSETS for m in MIDDLES for e in endings}
    )
    rng.shuffle(names)
    return tuple(names[:size])


def build_name_pool(seed: int) -> NamePool:
    """Draw the given, family and street names of one run from its seed."""
    rng = random.Random(f"endvac-synth-names-{seed}")
    family = _combine(rng, FAMILY_ENDINGS, 6000)
    streets = tuple(f"{name} {rng.choice(STREET_KINDS)}" for name in family[:400])
    return NamePool(
        female=_combine(rng, FEMALE_ENDINGS, 3000),
        male=_combine(rng, MALE_ENDINGS, 3000),
        family=family,
        streets=streets,
    )


def typo(rng: random.Random, name: str) -> str:
    """One-character substitution, deletion, insertion or transposition."""
    if len(name) < 3:
        return name + rng.choice(LETTERS)
    at = rng.randrange(1, len(name))
    kind = rng.random()
    letter = rng.choice(LETTERS)
    if kind < 0.25:
        if letter == name[at]:
            letter = LETTERS[(LETTERS.index(letter) + 1) % len(LETTERS)]
        return name[:at] + letter + name[at + 1 :]
    if kind < 0.5:
        return name[:at] + name[at + 1 :]
    if kind < 0.75:
        return name[:at] + letter + name[at:]
    return name[: at - 1] + name[at] + name[at - 1] + name[at + 1 :]
