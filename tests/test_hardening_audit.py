"""Issue 14, items 1, 2 and 4: the audit trail cannot be trimmed at its end (signed head,
checkpoints outside the database), `audit --verify` gives no false alarm while entries
are appended, and a missing head is reported — on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pytest

from endvac.accounts import append_audit, ensure_accounts_schema, verify_chain
from endvac.accounts.anchor import ANCHOR
from endvac.accounts.audit import AuditTampered
from endvac.accounts.store import open_accounts, workspace_audit_key
from endvac.appdb import connect_app_db
from endvac.workspace import init_workspace

KEY = b"k" * 32
ENDVAC = str(Path(sys.executable).parent / "endvac")


def _five_entries(target: str, anchor: Path) -> None:
    with connect_app_db(target) as db:
        ensure_accounts_schema(db)
        for n in range(1, 6):
            append_audit(db, KEY, actor="ana", action="view", target=f"/p{n}", anchor=anchor)


def test_a_cut_tail_with_a_rewritten_head_is_caught(target: str, tmp_path: Path) -> None:
    """The probe: delete rows 4 and 5, set the head to row 3's seq and hash (no key
    needed for that) — the head's signature no longer matches."""
    anchor = tmp_path / ANCHOR
    _five_entries(target, anchor)
    with connect_app_db(target) as db:
        assert verify_chain(db, KEY, anchor).intact
        db.run("cut", "DELETE FROM audit_log WHERE seq > 3")
        db.run("rewrite head", "UPDATE audit_head SET seq = 3, hash = "
               "(SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1")
        check = verify_chain(db, KEY, anchor)
        assert (check.intact, check.rows, check.broken_at) == (False, 3, 4)
        assert "not signed" in (check.reason or "")
        with pytest.raises(AuditTampered):  # nothing is chained onto a forged head
            append_audit(db, KEY, actor="ana", action="view", target="/p6", anchor=anchor)


def test_a_cut_tail_and_head_reset_to_genesis_is_caught_by_the_anchor(
        target: str, tmp_path: Path) -> None:
    """Delete every row and put back the unsigned genesis head: the database alone
    looks like a fresh trail; the five checkpoints outside it say otherwise."""
    anchor = tmp_path / ANCHOR
    _five_entries(target, anchor)
    assert len(anchor.read_text().splitlines()) == 5  # one checkpoint per entry
    with connect_app_db(target) as db:
        db.run("cut", "DELETE FROM audit_log")
        db.run("reset head", "UPDATE audit_head SET seq = 0, hash = ?, mac = '' WHERE id = 1",
               ["0" * 64])
        assert verify_chain(db, KEY).intact  # without the anchor: undetectable
        check = verify_chain(db, KEY, anchor)
        assert not check.intact
        # 0 rows left; the checkpoints name rows 1..5
        assert check.message == (f"chain broken at row 1: rows 1 to 5 were removed "
                                 f"(keys/{ANCHOR} holds checkpoints of them)")


def test_a_forged_checkpoint_is_caught(target: str, tmp_path: Path) -> None:
    anchor = tmp_path / ANCHOR
    _five_entries(target, anchor)
    lines = anchor.read_text().splitlines()
    lines[1] = lines[1][:-4] + "0000"  # line 2's signature altered
    anchor.write_text("\n".join(lines) + "\n")
    with connect_app_db(target) as db:
        check = verify_chain(db, KEY, anchor)
        assert check.message == f"chain broken: line 2 of keys/{ANCHOR} is not signed " \
                                "with the audit key"


def test_a_missing_head_is_reported_not_a_traceback(target: str, tmp_path: Path) -> None:
    anchor = tmp_path / ANCHOR
    _five_entries(target, anchor)
    with connect_app_db(target) as db:
        db.run("drop head", "DELETE FROM audit_head")
        check = verify_chain(db, KEY, anchor)
        assert (check.intact, check.message) == (False, "chain broken: the head is missing")
        with pytest.raises(AuditTampered, match="head is missing"):
            append_audit(db, KEY, actor="ana", action="view", target="/p6", anchor=anchor)


def _append_many(target: str, anchor: Path, name: str) -> None:
    """One writer process: 100 entries."""
    with connect_app_db(target) as own:
        for n in range(100):
            append_audit(own, KEY, actor=name, action="view", target=f"/{n}", anchor=anchor)


def test_verify_while_appending_gives_no_false_alarm(target: str, tmp_path: Path) -> None:
    """Four writer processes append 4 × 100 entries while the chain is verified again
    and again until they finish (a bound of 20,000 verifications): each sees log, head
    and anchor of one moment, so every one is intact (reading log and head apart failed
    here), and some saw entries being appended."""
    anchor = tmp_path / ANCHOR
    with connect_app_db(target) as db:
        ensure_accounts_schema(db)
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=_append_many, args=(target, anchor, f"w{i}"))
               for i in range(4)]
    for w in writers:
        w.start()
    checks = []
    with connect_app_db(target) as reader:
        while any(w.is_alive() for w in writers) and not reader.scalar(
                "count", "SELECT count(*) FROM audit_log"):
            time.sleep(0.01)  # the writer processes are starting
        while any(w.is_alive() for w in writers) and len(checks) < 20_000:
            checks.append(verify_chain(reader, KEY, anchor))
    for w in writers:
        w.join(timeout=300)
    assert [w.exitcode for w in writers] == [0] * 4
    assert [c.message for c in checks if not c.intact] == []
    assert any(0 < c.rows < 400 for c in checks)  # verified while the writers appended
    with connect_app_db(target) as db:
        final = verify_chain(db, KEY, anchor)
    assert (final.intact, final.rows, final.checkpoints) == (True, 400, 400)  # 4 × 100


def _endvac(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENDVAC, *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_audit_verify_command_on_a_cut_trail(tmp_path: Path) -> None:
    """`endvac audit --verify`: intact (exit 0), then the probe's cut (exit 1), then the
    head deleted: one line, no traceback (exit 1)."""
    ws = init_workspace(tmp_path / "ws")
    for name in ("ana", "bo", "cy"):
        added = subprocess.run([ENDVAC, "user", "add", str(ws.root), name, "--role",
                                "viewer", "--password-stdin"], input="plough ocean tiger 7\n",
                               capture_output=True, text=True, timeout=120)
        assert added.returncode == 0, added.stderr
    ok = _endvac("audit", ws.root, "--verify")
    assert (ok.returncode, ok.stdout.strip()) == (0, "chain intact: 3 rows verified")
    with connect_app_db(ws.root / "app" / "endvac.sqlite") as db:
        db.run("cut", "DELETE FROM audit_log WHERE seq = 3")
        db.run("rewrite head", "UPDATE audit_head SET seq = 2, hash = "
               "(SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1")
    cut = _endvac("audit", ws.root, "--verify")
    assert cut.returncode == 1
    assert cut.stdout.startswith("chain broken at row 3: the head is not signed")
    with connect_app_db(ws.root / "app" / "endvac.sqlite") as db:
        db.run("drop head", "DELETE FROM audit_head")
    gone = _endvac("audit", ws.root, "--verify")
    assert (gone.returncode, gone.stdout.strip()) == (1, "chain broken: the head is missing")
    assert "Traceback" not in gone.stderr


def test_a_trail_from_before_signed_heads_is_signed_once(tmp_path: Path) -> None:
    """An older workspace: 3 entries, an unsigned head, no anchor file. Opening it signs
    the head (its chain is intact) and writes one checkpoint; an unsigned head once the
    anchor exists is not signed again (someone blanked it) and stays broken."""
    ws = init_workspace(tmp_path / "ws")
    key, anchor = workspace_audit_key(ws), ws.keys_dir / ANCHOR
    with open_accounts(ws) as db:
        for n in range(3):
            append_audit(db, key, actor="cli", action="user add", target=f"user:u{n}")
        db.run("as an older endvac left it", "UPDATE audit_head SET mac = '' WHERE id = 1")
    assert not anchor.exists()
    with open_accounts(ws) as db:
        check = verify_chain(db, key, anchor)
    assert (check.intact, check.rows, check.checkpoints) == (True, 3, 1)
    with open_accounts(ws) as db:
        db.run("blank the signature", "UPDATE audit_head SET mac = '' WHERE id = 1")
    with open_accounts(ws) as db:
        assert "not signed" in (verify_chain(db, key, anchor).reason or "")
