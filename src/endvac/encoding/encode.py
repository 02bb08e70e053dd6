"""Tokens and field-level Bloom filters of direct identifiers.

- token: HMAC-SHA256 of the normalised value under the field group's token key,
  hex (exact comparison).
- folded token (names only, ``FOLDED``): HMAC-SHA256 of the transliteration-folded
  name (:func:`endvac.encoding.normalise.fold`) under the group's fold key, hex: two
  spellings of one name (Xavier/Chavier, Chouaib/Shuaib) share it.
- Bloom filter: each bigram of the value sets K of BITS bits (double hashing
  from a keyed BLAKE2b of the bigram under the group's Bloom key); Dice of two
  filters ≈ Dice of the two bigram sets.
- Stored hardened: the filter is *balanced* — followed by its complement, so
  every stored encoding has exactly BITS of its 2 × BITS bits set whatever the
  value's length (no length leakage, clkhash #41) — and the 2 × BITS bits are
  permuted by a keyed permutation, so without the key the stored bits are
  neither a filter nor its complement, and equal values at rest can only be
  told apart from others by their equality (frequency, anonlink #40: which is
  why encodings stay in the linkage zone). The linkage zone, holding the key,
  scores two encodings with :func:`dice_stored` through the key's mask.

Encoding is a union of per-bigram bit patterns precomputed per key and field
group (a permutation moves bits, so it commutes with OR), which makes it fast.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from functools import lru_cache

from endvac.encoding.keys import IdentityKey
from endvac.encoding.normalise import bigrams, fold, normalise

BITS = 2048
K = 5
STORED_BYTES = 2 * BITS // 8
ALL = (1 << BITS) - 1
FOLDED = ("given_name", "family_name")  # fields with a folded token


class FieldEncoder:
    """Encodes the values of one field group under one key (caches per bigram)."""

    def __init__(self, key: IdentityKey, field: str) -> None:
        self._token_key = key.subkey("token", field)
        self._fold_key = key.subkey("fold", field)
        self._bloom_key = key.subkey("bloom", field)
        rng = random.Random(int.from_bytes(key.subkey("permutation", field), "big"))
        order = list(range(2 * BITS))
        rng.shuffle(order)
        self._order = order
        self.first_half_mask = self._place(ALL)  # where the filter's own bits are stored
        self._complement = self._place(ALL << BITS)  # the complement half, all set
        self._patterns: dict[str, int] = {}
        self._seen: dict[str, tuple[str, bytes]] = {}  # names repeat: encode each once
        self._folds: dict[str, str] = {}

    def _place(self, bits: int) -> int:
        """Move each set bit i of ``bits`` (0 ≤ i < 2 × BITS) to order[i]."""
        out = 0
        while bits:
            low = bits & -bits
            out |= 1 << self._order[low.bit_length() - 1]
            bits ^= low
        return out

    def _pattern(self, gram: str) -> int:
        found = self._patterns.get(gram)
        if found is None:
            digest = hashlib.blake2b(gram.encode(), key=self._bloom_key, digest_size=16).digest()
            h1 = int.from_bytes(digest[:8], "big")
            h2 = int.from_bytes(digest[8:], "big") | 1
            bits = 0
            for i in range(K):
                bits |= 1 << ((h1 + i * h2) % BITS)
            # the bigram's bits, and the same bits in the complement half, both placed
            found = self._place(bits | (bits << BITS))
            self._patterns[gram] = found
        return found

    def filter_bits(self, normalised: str) -> int:
        """The balanced, permuted filter as an int of 2 × BITS bits."""
        union = 0
        for gram in bigrams(normalised):
            union |= self._pattern(gram)
        # the complement half holds 1 where the filter holds 0: flip the placed copies
        return union ^ self._complement

    def encode(self, value: str) -> tuple[str, bytes]:
        """(token, stored Bloom encoding) of one clear value."""
        found = self._seen.get(value)
        if found is None:
            clean = normalise(value)
            digest = hmac.new(self._token_key, clean.encode(), hashlib.sha256).hexdigest()
            found = (digest, self.filter_bits(clean).to_bytes(STORED_BYTES, "big"))
            if len(self._seen) < 1_000_000:
                self._seen[value] = found
        return found

    def folded_token(self, value: str) -> str:
        """The token of a clear name's transliteration-folded form."""
        found = self._folds.get(value)
        if found is None:
            folded = fold(normalise(value))
            found = hmac.new(self._fold_key, folded.encode(), hashlib.sha256).hexdigest()
            if len(self._folds) < 1_000_000:
                self._folds[value] = found
        return found

    def dice_stored(self, a: bytes, b: bytes) -> float:
        """Dice of the two filters behind two stored encodings (needs the key's mask)."""
        mask = self.first_half_mask
        fa = int.from_bytes(a, "big") & mask
        fb = int.from_bytes(b, "big") & mask
        total = fa.bit_count() + fb.bit_count()
        return 0.0 if total == 0 else 2 * (fa & fb).bit_count() / total


@lru_cache(maxsize=32)
def encoder(key: IdentityKey, field: str) -> FieldEncoder:
    return FieldEncoder(key, field)


def bigram_dice(x: str, y: str) -> float:
    """Dice of the bigram sets of two clear values (what the encodings approximate)."""
    a, b = set(bigrams(normalise(x))), set(bigrams(normalise(y)))
    return 0.0 if not a and not b else 2 * len(a & b) / (len(a) + len(b))
