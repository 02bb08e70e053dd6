"""Sessions kept in the application database (so several workers share them), a CSRF
token per session, and the login rate limit counted there too."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from pydantic import BaseModel

from endvac.accounts.users import User, authenticate, get_user
from endvac.appdb import AppDB


class Session(BaseModel):
    """A logged-in session: the token goes in the cookie, only its hash is stored."""

    token: str
    csrf_token: str
    user: User
    expires_at: int


class LoginOutcome(BaseModel):
    """What a login attempt came to: a session, a refusal, or too many failures."""

    session: Session | None = None
    blocked: bool = False
    known_user: bool = False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(db: AppDB, user: User, hours: float) -> Session:
    """A new session for ``user`` lasting ``hours``."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = int(time.time())
    expires = now + int(hours * 3600)
    db.run("open session", "INSERT INTO sessions (token_hash, username, csrf_token, "
           "created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
           [_digest(token), user.username, csrf, now, expires])
    return Session(token=token, csrf_token=csrf, user=user, expires_at=expires)


def session_of(db: AppDB, token: str | None) -> Session | None:
    """The live session of a cookie token (None when unknown, expired or disabled)."""
    if not token:
        return None
    rows = db.records("read session", "SELECT username, csrf_token, expires_at FROM sessions "
                      "WHERE token_hash = ?", [_digest(token)])
    if not rows or int(rows[0]["expires_at"]) <= time.time():
        return None
    user = get_user(db, str(rows[0]["username"]))
    if user is None or user.disabled:
        return None
    return Session(token=token, csrf_token=str(rows[0]["csrf_token"]), user=user,
                   expires_at=int(rows[0]["expires_at"]))


def end_session(db: AppDB, token: str) -> None:
    db.run("end session", "DELETE FROM sessions WHERE token_hash = ?", [_digest(token)])


def csrf_matches(session: Session, given: str | None) -> bool:
    """Whether a submitted form carries the session's CSRF token."""
    return bool(given) and hmac.compare_digest(session.csrf_token, str(given))


def recent_failures(db: AppDB, username_key: str, ip: str, window_s: int) -> int:
    """Failed logins of a username (its SHA-256) from an address within the window."""
    return int(db.scalar("count login failures", "SELECT count(*) FROM login_attempts "
                         "WHERE username = ? AND ip = ? AND ok = 0 AND at > ?",
                         [username_key, ip, int(time.time()) - window_s]) or 0)


def log_in(db: AppDB, username: str, password: str, ip: str, *, max_failures: int,
           window_s: int, hours: float) -> LoginOutcome:
    """Check a login: refused without a password check after ``max_failures`` failures of
    this username from this address within ``window_s`` seconds."""
    name = username.strip().lower()[:64]
    known = get_user(db, name) is not None
    key = _digest(name)  # a password typed as the username is not kept in clear
    if recent_failures(db, key, ip, window_s) >= max_failures:
        return LoginOutcome(blocked=True, known_user=known)
    user = authenticate(db, name, password)
    db.run("record login attempt", "INSERT INTO login_attempts (username, ip, at, ok) "
           "VALUES (?, ?, ?, ?)", [key, ip, int(time.time()), int(user is not None)])
    db.run("forget old attempts", "DELETE FROM login_attempts WHERE at < ?",
           [int(time.time()) - max(window_s, 86400)])
    if user is None:
        return LoginOutcome(known_user=known)
    db.run("forget expired sessions", "DELETE FROM sessions WHERE expires_at < ?",
           [int(time.time())])
    return LoginOutcome(session=open_session(db, user, hours), known_user=True)
