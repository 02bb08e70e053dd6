"""The audit trail: who did what, when, from where — never record contents.

Rows are hash-chained: ``hash = HMAC-SHA-256(key, prev_hash + canonical row)`` with a
per-workspace key kept in ``keys/audit.key`` (outside the database), so a row edited,
inserted or deleted with SQL breaks the chain at that row and cannot be re-chained
without the key.  The head (last sequence number and hash) is signed with the same key,
so cutting the last rows and rewriting the head is seen; a signed checkpoint per entry
in ``keys/audit.anchor`` (:mod:`endvac.accounts.anchor`) catches a cut of the head too.
An append takes the write lock first (``UPDATE audit_head``) and reads
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

from endvac.accounts.anchor import (
    ANCHOR,
    Checkpoints,
    read_checkpoints,
    sign,
    signed,
    write_checkpoint,
)
from endvac.accounts.schema import GENESIS
from endvac.appdb import AppDB
from endvac.errors import EndvacError, StoreError

AUDIT_KEY = "audit.key"
FIELDS = ("seq", "at", "actor", "action", "target", "ip", "detail")
_RETRIES = 20
_FIX = "verify it with: endvac audit WORKSPACE --verify (docs/security.md)"


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
    checkpoints: int = 0

    @property
    def message(self) -> str:
        if self.intact:
            return f"chain intact: {self.rows} rows verified"
        if self.broken_at is None:
            return f"chain broken: {self.reason}"
        return f"chain broken at row {self.broken_at}: {self.reason}"


class AuditTampered(EndvacError):
    """The audit trail cannot be extended: its head is missing or not signed (exit 1)."""


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


def _head_signed(key: bytes, seq: int, digest: str, mac: str) -> bool:
    """A head is valid when signed with the key; only the empty genesis head is unsigned."""
    if seq == 0 and digest == GENESIS and mac == "":
        return True
    return signed(key, "head", seq, digest, mac)


def append_audit(db: AppDB, key: bytes, *, actor: str, action: str, target: str,
                 ip: str = "", detail: str = "", anchor: Path | None = None) -> int:
    """Append one entry to the chain; its sequence number.  With ``anchor`` (the
    workspace's keys/audit.anchor) a signed checkpoint is appended there after the
    commit."""
    for attempt in range(_RETRIES):
        try:
            seq, digest = _append(db, key, {"actor": actor, "action": action,
                                            "target": target, "ip": ip, "detail": detail})
        except StoreError as exc:  # SQLite: another writer held the lock past the timeout
            if db.dialect != "sqlite" or "locked" not in str(exc) or attempt == _RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
            continue
        if anchor is not None:
            write_checkpoint(anchor, key, seq, digest)
        return seq
    raise AssertionError("unreachable")


def _append(db: AppDB, key: bytes, entry: dict[str, str]) -> tuple[int, str]:
    with db.transaction():
        if not db.run("lock audit trail", "UPDATE audit_head SET seq = seq + 1 WHERE id = 1"):
            raise AuditTampered("the audit trail's head is missing", fix=_FIX)
        head = db.records("read audit head", "SELECT seq, hash, mac FROM audit_head "
                          "WHERE id = 1")[0]
        seq = int(head["seq"])
        if not _head_signed(key, seq - 1, str(head["hash"]), str(head["mac"])):
            raise AuditTampered("the audit trail's head is not signed with this "
                                "workspace's key", fix=_FIX)
        row: dict[str, object] = {"seq": seq,
                                  "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                                  **entry}
        digest = _chain_hash(key, str(head["hash"]), row)
        db.run("append audit entry", "INSERT INTO audit_log (seq, at, actor, action, target, "
               "ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [*(row[f] for f in FIELDS), head["hash"], digest])
        db.run("advance audit head", "UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1",
               [digest, sign(key, "head", seq, digest)])
    return seq, digest


def sign_legacy_head(db: AppDB, key: bytes, anchor: Path) -> bool:
    """Sign, once, the head of a trail written before heads were signed (entries, an
    unsigned head, and no anchor file yet) when its chain is intact, and write its first
    checkpoint; whether it did.  Once the anchor exists an unsigned head stays broken."""
    if anchor.exists():
        return False
    heads = db.records("read audit head", "SELECT seq, mac FROM audit_head WHERE id = 1")
    if not heads or heads[0]["mac"] or not int(heads[0]["seq"]):
        return False
    with db.transaction():
        db.run("lock audit trail", "UPDATE audit_head SET seq = seq WHERE id = 1")
        head = db.records("read audit head", "SELECT seq, hash, mac FROM audit_head "
                          "WHERE id = 1")[0]
        entries = audit_entries(db)
        if head["mac"] or _walk(entries, key) is not None or int(head["seq"]) != len(entries) \
                or not entries or head["hash"] != entries[-1].hash:
            return False  # not a clean legacy trail: verify reports it as it is
        seq, digest = int(head["seq"]), str(head["hash"])
        db.run("sign audit head", "UPDATE audit_head SET mac = ? WHERE id = 1",
               [sign(key, "head", seq, digest)])
    write_checkpoint(anchor, key, seq, digest)
    return True


def audit_entries(db: AppDB, *, limit: int | None = None) -> list[AuditEntry]:
    """The trail in order (the last ``limit`` entries when given)."""
    sql = "SELECT * FROM audit_log ORDER BY seq"
    if limit is not None:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) AS last_rows ORDER BY seq"
    return [AuditEntry.model_validate(r) for r in db.records("list audit trail", sql)]


def verify_chain(db: AppDB, key: bytes, anchor: Path | None = None) -> ChainCheck:
    """Recompute every hash in order; the first row whose link or hash is wrong, a head
    that is missing, unsigned or behind, or rows the anchor's checkpoints say existed.

    The anchor is read first and the log and head together in one snapshot, so entries
    appended meanwhile are not taken for a broken chain."""
    checkpoints = read_checkpoints(anchor, key) if anchor is not None else Checkpoints({})
    with db.snapshot():
        heads = db.records("read audit head", "SELECT seq, hash, mac FROM audit_head "
                           "WHERE id = 1")
        entries = audit_entries(db)
    rows = len(entries)
    if not heads:
        return ChainCheck(rows=rows, intact=False, reason="the head is missing")
    broken = _walk(entries, key)
    if broken is not None:
        return broken
    last = entries[-1].hash if entries else GENESIS
    head = heads[0]
    if not _head_signed(key, int(head["seq"]), str(head["hash"]), str(head["mac"])):
        return ChainCheck(rows=rows, intact=False, broken_at=rows + 1,
                          reason="the head is not signed with the audit key (rows at the "
                                 "end removed and the head rewritten?)")
    if int(head["seq"]) != rows or head["hash"] != last:
        return ChainCheck(rows=rows, intact=False, broken_at=rows + 1,
                          reason="rows at the end were removed or the head was altered")
    return _against_anchor(entries, checkpoints) or ChainCheck(
        rows=rows, intact=True, checkpoints=len(checkpoints.by_seq))


def _walk(entries: list[AuditEntry], key: bytes) -> ChainCheck | None:
    prev, expected_seq, rows = GENESIS, 1, len(entries)
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainCheck(rows=rows, intact=False, broken_at=expected_seq,
                              reason=f"row {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainCheck(rows=rows, intact=False, broken_at=entry.seq,
                              reason="its link to the previous row does not match")
        if not hmac.compare_digest(_chain_hash(key, prev, entry.model_dump()), entry.hash):
            return ChainCheck(rows=rows, intact=False, broken_at=entry.seq,
                              reason="its content does not match its hash")
        prev, expected_seq = entry.hash, expected_seq + 1
    return None


def _against_anchor(entries: list[AuditEntry], checkpoints: Checkpoints) -> ChainCheck | None:
    rows = len(entries)
    if checkpoints.forged_line is not None:
        return ChainCheck(rows=rows, intact=False,
                          reason=f"line {checkpoints.forged_line} of keys/{ANCHOR} is not "
                                 "signed with the audit key")
    hashes = {e.seq: e.hash for e in entries}
    for seq in sorted(checkpoints.by_seq):
        if seq not in hashes:
            return ChainCheck(rows=rows, intact=False, broken_at=rows + 1,
                              reason=f"rows {rows + 1} to {max(checkpoints.by_seq)} were "
                                     f"removed (keys/{ANCHOR} holds checkpoints of them)")
        if hashes[seq] != checkpoints.by_seq[seq]:
            return ChainCheck(rows=rows, intact=False, broken_at=seq,
                              reason=f"it differs from its checkpoint in keys/{ANCHOR}")
    return None
