"""The audit trail's anchor outside the database: an append-only file of signed
checkpoints (``keys/audit.anchor``), one line ``seq hash mac`` per entry appended.

Whoever can write the application database but not the workspace's keys folder may
delete the last rows *and* the head; the checkpoints still name the last row and its
hash, so ``endvac audit --verify`` reports the cut.  A line is signed with the audit
key, so a line forged or edited without the key is reported too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

ANCHOR = "audit.anchor"


def sign(key: bytes, kind: str, seq: int, digest: str) -> str:
    """The MAC of a head or checkpoint: ``HMAC-SHA-256(key, kind \\n seq \\n hash)``."""
    return hmac.new(key, f"{kind}\n{seq}\n{digest}".encode(), hashlib.sha256).hexdigest()


def signed(key: bytes, kind: str, seq: int, digest: str, mac: str) -> bool:
    return hmac.compare_digest(sign(key, kind, seq, digest), mac)


def write_checkpoint(path: Path, key: bytes, seq: int, digest: str) -> None:
    """Append one signed checkpoint (a single ``write`` on an O_APPEND file, 0600)."""
    line = f"{seq} {digest} {sign(key, 'anchor', seq, digest)}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Checkpoints:
    """The checkpoints of the anchor file by sequence number, or its first forged line."""

    by_seq: dict[int, str]
    forged_line: int | None = None


def read_checkpoints(path: Path, key: bytes) -> Checkpoints:
    """Every checkpoint of the file (none when it does not exist)."""
    if not path.exists():
        return Checkpoints({})
    found: dict[int, str] = {}
    for number, line in enumerate(path.read_text(encoding="ascii",
                                                 errors="replace").splitlines(), 1):
        parts = line.split()
        if not line.strip():
            continue  # a torn final write leaves at most an empty remainder
        if len(parts) != 3 or not parts[0].isdigit() \
                or not signed(key, "anchor", int(parts[0]), parts[1], parts[2]):
            return Checkpoints(found, forged_line=number)
        found[int(parts[0])] = parts[1]
    return Checkpoints(found)
