"""The identity key: held outside every database, in the linkage zone.

The master key (32 random bytes) lives in ``keys/identity.key`` (mode 0600), or at
a path or in an environment variable named by the config's ``privacy`` section.
Sub-keys for tokens and Bloom filters are derived from it with HMAC, one per
field group; given and family names share the person-name group so a swap of
the two can still be scored. The example key of the docs is refused outside
tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from endvac.errors import ConfigError

IDENTITY_KEY = "identity.key"
# Printed in docs/privacy.md as an example; never accepted outside the test suite.
EXAMPLE_KEY = bytes(range(32))
FIELD_GROUPS = {"given_name": "person_name", "family_name": "person_name",
                "national_id": "national_id", "address": "address",
                "parent_name": "parent_name"}


@dataclass(frozen=True)
class IdentityKey:
    """The master key and the sub-keys derived from it."""

    secret: bytes

    def subkey(self, purpose: str, field: str) -> bytes:
        group = FIELD_GROUPS.get(field, field)
        return hmac.new(self.secret, f"endvac/{purpose}/{group}".encode(), hashlib.sha256).digest()

    @property
    def fingerprint(self) -> str:
        """A public fingerprint of the key, to tell two keys apart without showing them."""
        return hmac.new(self.secret, b"endvac/fingerprint", hashlib.sha256).hexdigest()[:16]


def read_key_file(path: Path) -> IdentityKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the identity key {path}",
                          fix="give the key file shared by the data unit (--key-file)") from exc
    return checked_key(data.strip() if len(data) != 32 else data, str(path))


def checked_key(data: bytes, where: str) -> IdentityKey:
    """A key from raw bytes (32) or base64 text; the example key only in tests."""
    if len(data) != 32:
        try:
            data = base64.b64decode(data, validate=True)
        except ValueError:
            data = b""
    if len(data) != 32:
        raise ConfigError(f"the identity key at {where} is not 32 bytes (or their base64)",
                          fix="create one with endvac init, or copy the data unit's key")
    if data == EXAMPLE_KEY and os.environ.get("ENDVAC_TESTING") != "1":
        raise ConfigError(f"the identity key at {where} is the documentation's example key",
                          fix="use a secret key of your own (endvac init creates one)")
    return IdentityKey(data)


def key_from_env(variable: str) -> IdentityKey:
    value = os.environ.get(variable)
    if not value:
        raise ConfigError(f"the environment variable {variable} holding the identity key "
                          "is not set", fix=f"export {variable}=<base64 key>")
    return checked_key(value.encode(), f"${variable}")
