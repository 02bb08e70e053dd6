"""The audit trail: who did what, when, from where — never record contents.

Rows are hash-chained: ``hash = HMAC-SHA-256(key, prev_hash + canonical row)`` with a
per-workspace key kept in ``keys/audit.key`` (outside the database), so a row edited,
inserted or deleted with SQL breaks the chain at that row and cannot be re-chained
without the key.  An append takes the write lock first (``UPDATE audit_head``) and reads
the previous hash inside the same transaction, so several workers append in turn.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from endvac.accounts.schema import GENESIS
from endvac.appdb import AppDB
from endvac.errors import StoreError

AUDIT_KEY = "audit.key"
FIELDS = ("seq", "at", "actor", "action", "target", "ip", "detail")
_RETRIES = 20


class AuditEntry(BaseModel):
    """One row of the trail."""

    seq: int
    at: str
    actor: str
    action: str
    target: str
    ip: str
    detail: str
    prev_hash: str
    hash: str


class ChainCheck(BaseModel):
    """The result of verifying the chain: intact, or the first row where it breaks."""

    rows: int
    intact: bool
    broken_at: int | None = None
    reason: str | None = None

    @property
    def message(self) -> str:
        if self.intact:
            return f"chain intact: {self.rows} rows verified"
        return f"chain broken at row {self.broken_at}: {self.reason}"


def audit_key(keys_dir: Path) -> bytes:
    """The workspace's audit key, created (0600) at first use."""
    path = keys_dir / AUDIT_KEY
    if not path.exists():
        keys_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it meanwhile
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def _chain_hash(key: bytes, prev_hash: str, row: dict[str, object]) -> str:
    canonical = json.dumps([row[f] for f in FIELDS], ensure_ascii=False,
                           separators=(",", ":"))
    return hmac.new(key, f"{prev_hash}\n{canonical}".encode(), hashlib.sha256).hexdigest()


def append_audit(db: AppDB, key: bytes, *, actor: str, action: str, target: str,
                 ip: str = "", detail: str = "") -> int:
    """Append one entry to the chain; its sequence number."""
    for attempt in range(_RETRIES):
        try:
            return _append(db, key, {"actor": actor, "action": action, "target": target,
                                     "ip": ip, "detail": detail})
        except StoreError as exc:  # SQLite: another writer held the lock past the timeout
            if db.dialect != "sqlite" or "locked" not in str(exc) or attempt == _RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _append(db: AppDB, key: bytes, entry: dict[str, str]) -> int:
    with db.transaction():
        db.run("lock audit trail", "UPDATE audit_head SET seq = seq + 1 WHERE id = 1")
        head = db.records("read audit head", "SELECT seq, hash FROM audit_head WHERE id = 1")[0]
        seq = int(head["seq"])
        row: dict[str, object] = {"seq": seq,
                                  "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                                  **entry}
        digest = _chain_hash(key, str(head["hash"]), row)
        db.run("append audit entry", "INSERT INTO audit_log (seq, at, actor, action, target, "
               "ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [*(row[f] for f in FIELDS), head["hash"], digest])
        db.run("advance audit head", "UPDATE audit_head SET hash = ? WHERE id = 1", [digest])
    return seq


def audit_entries(db: AppDB, *, limit: int | None = None) -> list[AuditEntry]:
    """The trail in order (the last ``limit`` entries when given)."""
    sql = "SELECT * FROM audit_log ORDER BY seq"
    if limit is not None:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) AS last_rows ORDER BY seq"
    return [AuditEntry.model_validate(r) for r in db.records("list audit trail", sql)]


def verify_chain(db: AppDB, key: bytes) -> ChainCheck:
    """Recompute every hash in order; the first row whose link or hash is wrong."""
    prev, expected_seq = GENESIS, 1
    entries = audit_entries(db)
    for entry in entries:
        row = entry.model_dump()
        if entry.seq != expected_seq:
            return ChainCheck(rows=len(entries), intact=False, broken_at=expected_seq,
                              reason=f"row {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainCheck(rows=len(entries), intact=False, broken_at=entry.seq,
                              reason="its link to the previous row does not match")
        if not hmac.compare_digest(_chain_hash(key, prev, row), entry.hash):
            return ChainCheck(rows=len(entries), intact=False, broken_at=entry.seq,
                              reason="its content does not match its hash")
        prev, expected_seq = entry.hash, expected_seq + 1
    head = db.records("read audit head", "SELECT seq, hash FROM audit_head WHERE id = 1")[0]
    if int(head["seq"]) != expected_seq - 1 or head["hash"] != prev:
        return ChainCheck(rows=len(entries), intact=False, broken_at=expected_seq,
                          reason="rows at the end were removed or the head was altered")
    return ChainCheck(rows=len(entries), intact=True)
