"""A real PostgreSQL server for the tests that are about PostgreSQL.

``ENDVAC_TEST_POSTGRES_URL`` names a running server (``.ci/run`` starts one);
without it a throwaway cluster is created with Debian's initdb/pg_ctl in a
temporary folder (as the ``postgres`` user when the tests run as root, since
initdb refuses root) and stopped at the end of the session.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} is missing: install the Debian package "
                    "'postgresql' (make test does it when run as root)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A URL of an empty database on a real PostgreSQL server."""
    given = os.environ.get("ENDVAC_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    root = Path(tempfile.mkdtemp(prefix="endvac-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    subprocess.run(_as_owner([_bin("initdb"), "-D", str(data), "-U", "postgres",
                              "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(data), "-w", "-l",
                              str(root / "server.log"), "-o",
                              f"-c listen_addresses=127.0.0.1 -p {port} -k {sock}", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_owner([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port),
                                  "-U", "postgres", "endvac_test"]),
                       check=True, capture_output=True)
        yield f"postgresql://postgres@127.0.0.1:{port}/endvac_test"
    finally:
        subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
