"""Issue 14, item 13: a workspace is private (folders 0700, files 0600) whatever the
umask — `endvac init` and every writer after it — and opening one that others can read
warns."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import CHILDREN, FACILITIES, write_delivery

ENDVAC = str(Path(sys.executable).parent / "endvac")


def _under_umask_022(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """An endvac command started with the common umask 022 (files 0644 by default)."""
    return subprocess.run([ENDVAC, *map(str, args)], input=stdin, capture_output=True,
                          text=True, timeout=300, preexec_fn=lambda: os.umask(0o022))


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[path.relative_to(root).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_every_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    delivery = write_delivery(tmp_path / "d1", {"facilities.csv": FACILITIES,
                                                "children.csv": CHILDREN})
    steps = [("init", ws), ("ingest", ws, delivery), ("publish", ws)]
    for step in steps:
        done = _under_umask_022(*step)
        assert done.returncode == 0, (step, done.stderr)
    added = _under_umask_022("user", "add", ws, "ana", "--role", "admin",
                             "--password-stdin", stdin="plough ocean tiger 7\n")
    assert added.returncode == 0, added.stderr
    modes = _modes(ws)
    # the stores, the password hashes, the encodings and the snapshot are all there
    for name in ("analytic.duckdb", "app/endvac.sqlite", "keys/audit.key",
                 "keys/audit.anchor", "linkage/encodings", "published"):
        assert name in modes, name
    readable = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert readable == {}  # no group or other bit on any folder or file
    assert modes["."] == 0o700 and modes["app/endvac.sqlite"] == 0o600


def test_a_workspace_readable_by_others_warns(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert _under_umask_022("init", ws).returncode == 0
    quiet = _under_umask_022("user", "list", ws)
    assert quiet.returncode == 0 and "read by other users" not in quiet.stderr
    os.chmod(ws / "analytic.duckdb", 0o644)  # as an older endvac or a copy left it
    warned = _under_umask_022("user", "list", ws)
    assert warned.returncode == 0
    assert "1 folder(s) or file(s) of the workspace can be read by other users " \
           "(first: analytic.duckdb); run: chmod -R go-rwx WORKSPACE" in warned.stderr
