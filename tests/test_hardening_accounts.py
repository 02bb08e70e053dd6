"""Issue 14, items 8 and 11 and the last administrator: the login rate limit is counted
atomically (concurrent wrong passwords get no more checks than the limit) and per
account; weak passwords are refused; the last admin stays enabled — on SQLite and on a
real PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from endvac.accounts import add_user, disable_user, ensure_accounts_schema
from endvac.accounts.sessions import LoginLimits, LoginOutcome, log_in
from endvac.appdb import AppDB, connect_app_db
from endvac.errors import BadInput, UsageError

PASSWORD = "correct horse battery"


@pytest.mark.parametrize(("password", "why"), [
    ("            ", "only whitespace"),          # 12 spaces: long enough, nothing else
    ("aaaaaaaaaaaa", "too weak"),                  # 12 × one letter
    ("password1234", "too weak"),                  # in zxcvbn's common-password list
    ("qwertyuiop12", "too weak"),                  # a keyboard row
    ("admin-admin-admin", "too weak"),             # the username, repeated
    ("tiny pass", "shorter than 12"),
])
def test_weak_passwords_are_refused(db: AppDB, password: str, why: str) -> None:
    with pytest.raises(BadInput, match=why) as refused:
        add_user(db, "admin", "admin", password)
    assert password.strip() == "" or password not in str(refused.value)  # never echoed
    assert db.scalar("count", "SELECT count(*) FROM users") == 0


def test_a_passphrase_is_accepted(db: AppDB) -> None:
    assert add_user(db, "ana", "admin", PASSWORD).role == "admin"


def test_the_last_admin_cannot_be_disabled(db: AppDB) -> None:
    add_user(db, "ad", "admin", PASSWORD)
    add_user(db, "vi", "viewer", PASSWORD)
    with pytest.raises(UsageError, match="last administrator"):
        disable_user(db, "ad")
    add_user(db, "ad2", "admin", PASSWORD)
    assert disable_user(db, "ad").disabled  # another admin remains
    with pytest.raises(UsageError, match="last administrator"):
        disable_user(db, "ad2")
    assert disable_user(db, "vi").disabled  # other roles as before


def test_concurrent_wrong_passwords_get_at_most_the_limit_of_checks(target: str) -> None:
    """30 threads, each on its own connection, try a wrong password at once: with a limit
    of 5, exactly 5 attempts reach the password check (each is recorded before it) and
    the other 25 are refused without one."""
    with connect_app_db(target) as db:
        ensure_accounts_schema(db)
        add_user(db, "ana", "viewer", PASSWORD)
    limits = LoginLimits(per_address=5, per_account=100, window_s=900)
    outcomes: list[LoginOutcome] = []
    start = threading.Barrier(30)

    def guess() -> None:
        with connect_app_db(target) as own:
            start.wait()
            outcomes.append(log_in(own, "ana", "wrong password!", "10.0.0.1",
                                   limits=limits, hours=1.0))

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(o.blocked for o in outcomes) == 25  # 30 − 5
    with connect_app_db(target) as db:
        assert db.scalar("count", "SELECT count(*) FROM login_attempts") == 5


def test_failures_are_limited_per_account_across_addresses(db: AppDB) -> None:
    """Per address 5, per account 8: 5 failures from .1 (the 6th is blocked there), 3
    from .2 make 8 for the account, so the right password from a third address is
    refused too."""
    add_user(db, "ana", "viewer", PASSWORD)
    limits = LoginLimits(per_address=5, per_account=8, window_s=900)

    def attempt(password: str, ip: str) -> LoginOutcome:
        return log_in(db, "ana", password, ip, limits=limits, hours=1.0)

    assert [attempt("wrong password!", "10.0.0.1").blocked for _ in range(6)] == \
        [False] * 5 + [True]
    assert [attempt("wrong password!", "10.0.0.2").blocked for _ in range(3)] == [False] * 3
    assert attempt(PASSWORD, "10.0.0.3").blocked  # 5 + 3 = 8 failures for the account
    db.run("age the failures", "UPDATE login_attempts SET at = at - 901")
    assert attempt(PASSWORD, "10.0.0.3").session is not None
