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
