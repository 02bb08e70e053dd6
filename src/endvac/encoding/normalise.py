"""Normalising an identifier before it is encoded: the same person written two ways
should encode the same. Versioned: a change here changes every token, so every
encoded delivery records NORMALISATION_VERSION and ingest refuses to mix versions."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

NORMALISATION_VERSION = "1"
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
# Transliteration folding of names (FOLD_VERSION): one sound spelt the Portuguese,
# Arabic-in-English or French way folds to one spelling. Applied in order to a
# normalised name; a change here changes every folded token, hence its own version.
FOLD_VERSION = "1"
FOLDS = ((r"sch|sh|ch|x", "x"), (r"dj|dh", "j"), (r"kh|ck|qu|q|c", "k"), (r"ph", "f"),
         (r"th", "t"), (r"ou|oo|w", "u"), (r"y", "i"), (r"([a-z])\1+", r"\1"),
         (r"(?<=[a-z])h\b", ""))
_FOLDS = tuple((re.compile(pattern), replacement) for pattern, replacement in FOLDS)


def normalise(value: str) -> str:
    """Case, accents, transliteration (anyascii), punctuation and whitespace folded:
    ``"  Nhãntumbo-Silva "`` → ``"nhantumbo silva"``."""
    text = unicodedata.normalize("NFKC", value)
    text = anyascii(text).lower()
    text = _NOT_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def bigrams(value: str) -> list[str]:
    """The character bigrams of a normalised value, padded with a space at each end
    (``"ana"`` → `` a``, ``an``, ``na``, ``a ``), as set elements."""
    padded = f" {value} "
    return sorted({padded[i:i + 2] for i in range(len(padded) - 1)}) if value else []


def fold(normalised: str) -> str:
    """A normalised name with its transliteration variants folded (``FOLDS``):
    ``"chouaib"``, ``"shuaib"`` and ``"xuaib"`` → ``"xuaib"``; ``"fatimah"`` → ``"fatima"``."""
    out = normalised
    for pattern, replacement in _FOLDS:
        out = pattern.sub(replacement, out)
    return out
