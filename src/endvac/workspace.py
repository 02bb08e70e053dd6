"""A workspace: one country's config, stores and secrets in one folder.

Layout (docs/workspace.md)::

    endvac.yaml         config: country, period defaults, counting rules (versioned)
    profile.yaml        the country profile: national legal limits and their sources
    analytic.duckdb     the analytic store, written only by batch commands
    app/                the application database (users, sessions, audit, strategy)
    published/          published snapshots, opened read-only by the web app
    linkage/            the linkage zone's store: tokens and Bloom encodings of identifiers,
                        one file per delivery (never a clear identifier)
    keys/               secrets (0600), never inside a database: the identity key (linkage
                        zone) and the row-fingerprint key
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from endvac.config import CONFIG_FILE, WorkspaceConfig, load_config, render_config
from endvac.encoding.keys import IDENTITY_KEY, IdentityKey, key_from_env, read_key_file
from endvac.errors import UsageError, WorkspaceError
from endvac.facts.views import all_view_sql
from endvac.profiles import PROFILE_FILE, Profile, international_text, load_profile
from endvac.settings import Settings, load_settings
from endvac.store import db
from endvac.store.schema import SCHEMA_VERSION, all_ddl

log = logging.getLogger(__name__)
ANALYTIC_FILE = "analytic.duckdb"
PRIVATE_DIR = 0o700
ROW_HASH_KEY = "row-hash.key"


@dataclass(frozen=True)
class Workspace:
    """An opened workspace folder with its validated config."""

    root: Path
    config: WorkspaceConfig
    settings: Settings

    @property
    def analytic_path(self) -> Path:
        return self.root / ANALYTIC_FILE

    @property
    def identifiers_dir(self) -> Path:
        """The linkage zone's encodings (tokens and Bloom filters), one file per delivery."""
        return self.root / "linkage" / "encodings"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    def profile(self) -> Profile:
        """The country profile of legal limits (profile.yaml)."""
        return load_profile(self.root / PROFILE_FILE)

    def identity_key(self) -> IdentityKey:
        """The identity key (linkage zone) named by the config, or keys/identity.key."""
        privacy = self.config.privacy
        if privacy.key_env:
            return key_from_env(privacy.key_env)
        path = privacy.key_file or Path("keys") / IDENTITY_KEY
        return read_key_file(path if path.is_absolute() else self.root / path)

    def row_hash_key(self) -> bytes:
        """The key of the row fingerprints that tell changed rows from unchanged ones."""
        return (self.keys_dir / ROW_HASH_KEY).read_bytes()

    @contextmanager
    def analytic(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the analytic store (batch commands write; others read)."""
        con = db.connect(self.analytic_path, read_only=read_only,
                         threads=self.settings.threads,
                         memory_limit=self.settings.memory_limit,
                         temp_dir=self.settings.temp_dir,
                         force_compression=self.settings.force_compression)
        try:
            if not read_only:
                ensure_schema(con)
            yield con
        finally:
            con.close()

    def config_revision(self, con: duckdb.DuckDBPyConnection) -> int:
        """The revision of the config file in force, recorded if it is new."""
        text = self.config_path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found = db.scalar(con, "config revision",
                          "SELECT revision FROM config_revisions WHERE sha256 = ? "
                          "ORDER BY revision DESC LIMIT 1", [digest])
        if found is not None:
            return int(found)
        revision = int(db.scalar(con, "config revision",
                                 "SELECT coalesce(max(revision), 0) + 1 FROM config_revisions"))
        db.run(con, "config revision", "INSERT INTO config_revisions VALUES (?, ?, ?, ?)",
               [revision, digest, text, datetime.now()])
        return revision


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the analytic tables and fact views when missing."""
    found = _schema_version(con)
    if found is not None and found != SCHEMA_VERSION:
        raise WorkspaceError(f"the analytic store has schema version {found}, "
                             f"this endvac reads {SCHEMA_VERSION}",
                             fix="use the endvac version that made it")
    for stmt in all_ddl():
        db.run(con, "create schema", stmt)
    for stmt in all_view_sql():
        db.run(con, "create fact views", stmt)
    if found is None:
        db.run(con, "create schema", "INSERT INTO meta VALUES ('schema_version', ?)",
               [str(SCHEMA_VERSION)])


def _schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    exists = db.scalar(con, "read schema version",
                       "SELECT count(*) FROM information_schema.tables "
                       "WHERE table_name = 'meta'")
    if not exists:
        return None
    value = db.scalar(con, "read schema version",
                      "SELECT value FROM meta WHERE key = 'schema_version'")
    return None if value is None else int(value)


def init_workspace(root: Path, *, country_code: str | None = None,
                   country_name: str | None = None,
                   profile_path: Path | None = None) -> Workspace:
    """Create a workspace folder: config, country profile, stores and keys."""
    if profile_path is not None:
        load_profile(profile_path)  # refuse a bad profile before creating anything
    if (root / CONFIG_FILE).exists():
        raise UsageError(f"{root} is already an endvac workspace",
                         fix="choose another folder, or keep using this one")
    if root.exists() and any(root.iterdir()):
        raise UsageError(f"{root} exists and is not empty",
                         fix="give a new or empty folder")
    config = WorkspaceConfig()
    if country_code:
        config.country.code = country_code.upper()
    if country_name:
        config.country.name = country_name
    keep_private()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, PRIVATE_DIR)  # also when it existed, empty, with another mode
    for sub in ("app", "published", "linkage/encodings", "keys"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "keys", PRIVATE_DIR)
    _write_secret(root / "keys" / ROW_HASH_KEY, secrets.token_bytes(32))
    _write_secret(root / "keys" / IDENTITY_KEY, secrets.token_bytes(32))
    (root / CONFIG_FILE).write_text(render_config(config), encoding="utf-8")
    (root / PROFILE_FILE).write_text(
        profile_path.read_text(encoding="utf-8") if profile_path else international_text(),
        encoding="utf-8")
    workspace = Workspace(root, config, load_settings())
    with workspace.analytic() as con:
        workspace.config_revision(con)
    return workspace


def _write_secret(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def keep_private() -> None:
    """From now on this process creates files 0600 and folders 0700 whatever the umask
    it was started with (group and others bits added to the umask; never loosened)."""
    current = os.umask(0o077)
    os.umask(current | 0o077)


def exposed_paths(root: Path) -> list[Path]:
    """The workspace's folders and files that others than its owner may read, write or
    enter (symbolic links are not followed)."""
    found: list[Path] = []
    for folder, _dirs, files in os.walk(root):
        for path in (Path(folder), *(Path(folder) / name for name in files)):
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                found.append(path)
    return found


def warn_if_exposed(root: Path) -> list[Path]:
    """Log a warning when the workspace is readable by others; the paths concerned."""
    found = exposed_paths(root)
    if found:
        log.warning("%d folder(s) or file(s) of the workspace can be read by other users "
                    "(first: %s); run: chmod -R go-rwx WORKSPACE", len(found),
                    found[0].relative_to(root).as_posix() or ".")
    return found


def open_workspace(root: Path) -> Workspace:
    """Open an existing workspace, validating its config; warn when others can read it."""
    if not (root / CONFIG_FILE).is_file():
        raise WorkspaceError(f"{root} is not an endvac workspace (no {CONFIG_FILE})",
                             fix=f"create it with: endvac init {root}")
    if not (root / "keys" / ROW_HASH_KEY).is_file():
        raise WorkspaceError(f"{root}: keys/{ROW_HASH_KEY} is missing",
                             fix="restore the workspace's keys folder from its backup")
    keep_private()
    warn_if_exposed(root)
    return Workspace(root, load_config(root / CONFIG_FILE), load_settings())
