"""Users and roles: argon2 password hashes, monitors' assigned facilities and regions."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from zxcvbn import zxcvbn

from endvac.appdb import AppDB
from endvac.errors import BadInput, UsageError

Role = Literal["admin", "analyst", "monitor", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
# who may see what, as data: every role, restricted tables, alerts, administration
ALL: tuple[Role, ...] = ROLES
RESTRICTED: tuple[Role, ...] = ("admin", "analyst")
ALERTS: tuple[Role, ...] = ("admin", "analyst", "monitor")
ADMIN: tuple[Role, ...] = ("admin",)
ROLE_HELP = {
    "admin": "everything, user administration and settings",
    "analyst": "record-level results (the snapshot), alerts, data quality",
    "monitor": "alerts of the facilities and regions assigned, and the public release",
    "viewer": "the public release only",
}
MIN_PASSWORD = 12
MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable" (about 10^8 guesses), 4 "very unguessable"
MAX_CHECKED = 100  # zxcvbn's time grows with length; a longer one is judged by its start
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_HASHER = PasswordHasher()
# Verified when the user does not exist, so a login takes as long either way.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class User(BaseModel):
    """A user as the application sees it (never the password hash)."""

    username: str
    role: Role
    facilities: list[str]
    regions: list[str]
    disabled: bool
    created_at: str
    changed_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_username(username: str) -> str:
    """The username, lower-cased, if it is 2-64 letters, digits, dots, dashes, underscores."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise UsageError("a username must be 2 to 64 lower-case letters, digits, '.', '-' "
                         "or '_', starting with a letter or digit", fix="choose another name")
    return name


def check_password(password: str, username: str = "") -> None:
    """Refuse a password shorter than 12 characters, only whitespace, or guessable: a
    zxcvbn score under 3 (its shipped lists of common passwords, names and words,
    keyboard patterns, repeats and sequences; the username counts as known)."""
    fix = "choose a passphrase of several unrelated words"
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"the password is shorter than {MIN_PASSWORD} characters", fix=fix)
    if not password.strip():
        raise BadInput("the password is only whitespace", fix=fix)
    strength = zxcvbn(password[:MAX_CHECKED], user_inputs=[username] if username else [])
    if int(strength["score"]) < MIN_SCORE:
        hint = str(strength["feedback"].get("warning") or "it is easy to guess")
        raise BadInput(f"the password is too weak: {hint.rstrip('.').lower()}", fix=fix)


def add_user(db: AppDB, username: str, role: str, password: str, *,
             facilities: list[str] | None = None, regions: list[str] | None = None) -> User:
    """Create a user with an argon2 hash of the password."""
    name = check_username(username)
    if role not in ROLES:
        raise UsageError(f"unknown role '{role}'", fix=f"use one of {', '.join(ROLES)}")
    check_password(password, name)
    scope_f, scope_r = sorted(set(facilities or [])), sorted(set(regions or []))
    if role == "monitor" and not (scope_f or scope_r):
        raise UsageError("a monitor needs the facilities or regions assigned",
                         fix="add --facility F1 or --region D1 (repeat for more)")
    if role != "monitor" and (scope_f or scope_r):
        raise UsageError("only a monitor is assigned facilities or regions",
                         fix="leave out --facility and --region, or use --role monitor")
    with db.transaction():
        if db.scalar("find user", "SELECT count(*) FROM users WHERE username = ?", [name]):
            raise UsageError(f"user '{name}' exists", fix="choose another username")
        now = _now()
        db.run("add user", "INSERT INTO users (username, role, password_hash, facilities, "
               "regions, disabled, created_at, changed_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
               [name, role, _HASHER.hash(password), json.dumps(scope_f), json.dumps(scope_r),
                now, now])
    found = get_user(db, name)
    assert found is not None
    return found


def _user(row: dict[str, object]) -> User:
    return User.model_validate({**row, "facilities": json.loads(str(row["facilities"])),
                                "regions": json.loads(str(row["regions"])),
                                "disabled": bool(row["disabled"])})


_COLUMNS = "username, role, facilities, regions, disabled, created_at, changed_at"


def get_user(db: AppDB, username: str) -> User | None:
    rows = db.records("read user", f"SELECT {_COLUMNS} FROM users WHERE username = ?",
                      [username.strip().lower()])
    return _user(rows[0]) if rows else None


def list_users(db: AppDB) -> list[User]:
    """Every user, by username."""
    return [_user(r) for r in db.records("list users",
                                         f"SELECT {_COLUMNS} FROM users ORDER BY username")]


def disable_user(db: AppDB, username: str) -> User:
    """Disable a user and end their sessions (the row stays, for the audit trail)."""
    name = username.strip().lower()
    with db.transaction():
        if _enabled_admin(db, name) and db.scalar(
                "count admins", "SELECT count(*) FROM users WHERE role = 'admin' "
                "AND disabled = 0") == 1:
            raise UsageError("the last administrator cannot be disabled",
                             fix="add another administrator first: endvac user add "
                                 "WORKSPACE NAME --role admin")
        changed = db.run("disable user", "UPDATE users SET disabled = 1, changed_at = ? "
                         "WHERE username = ?", [_now(), name])
        if not changed:
            raise UsageError(f"no user '{name}'", fix="list them with: endvac user list WS")
        db.run("end sessions", "DELETE FROM sessions WHERE username = ?", [name])
    found = get_user(db, name)
    assert found is not None
    return found


def _enabled_admin(db: AppDB, name: str) -> bool:
    return bool(db.scalar("find admin", "SELECT count(*) FROM users WHERE username = ? AND "
                          "role = 'admin' AND disabled = 0", [name]))


def authenticate(db: AppDB, username: str, password: str) -> User | None:
    """The user if the password is right and the account enabled, else None."""
    rows = db.records("log in", "SELECT password_hash, disabled FROM users WHERE username = ?",
                      [username.strip().lower()])
    stored = str(rows[0]["password_hash"]) if rows else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if not rows or rows[0]["disabled"]:
        return None
    if _HASHER.check_needs_rehash(stored):
        db.run("rehash password", "UPDATE users SET password_hash = ? WHERE username = ?",
               [_HASHER.hash(password), username.strip().lower()])
    return get_user(db, username)
