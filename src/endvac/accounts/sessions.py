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


class LoginLimits(BaseModel):
    """The login rate limit: failures allowed per username from one address and per
    username from all addresses within the window."""

    per_address: int
    per_account: int
    window_s: int


def _over_limit(db: AppDB, username_key: str, ip: str, limits: LoginLimits) -> bool:
    """Whether this username has too many failures (attempts still being checked count
    as failures) from this address, or from all addresses, within the window."""
    since = int(time.time()) - limits.window_s
    rows = db.records("count login failures", "SELECT ip FROM login_attempts "
                      "WHERE username = ? AND ok = 0 AND at > ?", [username_key, since])
    from_here = sum(1 for r in rows if r["ip"] == ip)
    return from_here >= limits.per_address or len(rows) >= limits.per_account


def _claim_attempt(db: AppDB, username_key: str, ip: str, limits: LoginLimits) -> str | None:
    """Count and record one attempt in one transaction (the guard row serialises them);
    its id, or None when the limit is reached."""
    attempt = secrets.token_hex(16)
    with db.transaction():
        db.run("lock login attempts", "UPDATE login_guard SET attempts = attempts + 1 "
               "WHERE id = 1")
        if _over_limit(db, username_key, ip, limits):
            return None
        db.run("record login attempt", "INSERT INTO login_attempts (username, ip, at, ok, "
               "attempt) VALUES (?, ?, ?, 0, ?)", [username_key, ip, int(time.time()), attempt])
    return attempt


def log_in(db: AppDB, username: str, password: str, ip: str, *, limits: LoginLimits,
           hours: float) -> LoginOutcome:
    """Check a login: refused without a password check once this username has
    ``limits.per_address`` failures from this address, or ``limits.per_account`` from
    anywhere, within the window."""
    name = username.strip().lower()[:64]
    known = get_user(db, name) is not None
    key = _digest(name)  # a password typed as the username is not kept in clear
    attempt = _claim_attempt(db, key, ip, limits)
    if attempt is None:
        return LoginOutcome(blocked=True, known_user=known)
    user = authenticate(db, name, password)
    if user is not None:
        db.run("record login success", "UPDATE login_attempts SET ok = 1 WHERE attempt = ?",
               [attempt])
    db.run("forget old attempts", "DELETE FROM login_attempts WHERE at < ?",
           [int(time.time()) - max(limits.window_s, 86400)])
    if user is None:
        return LoginOutcome(known_user=known)
    db.run("forget expired sessions", "DELETE FROM sessions WHERE expires_at < ?",
           [int(time.time())])
    return LoginOutcome(session=open_session(db, user, hours), known_user=True)
