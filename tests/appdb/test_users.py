"""Users on the real application database: adding, passwords, disabling, lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_service.appdb.users import LOCKOUT, MAX_FAILURES, SignInFailed, UserError, Users

PASSWORD = "correct horse battery"


def test_a_user_signs_in_with_the_right_password_only(db):
    users = Users(db)
    added = users.add("a.smith", PASSWORD, "analyst", "police")
    assert (added.username, added.role, added.agency, added.disabled) == ("a.smith", "analyst", "police", False)
    assert users.authenticate("a.smith", PASSWORD).role == "analyst"
    for wrong in ("correct horse batterY", "", "x" * 300, None):
        with pytest.raises(SignInFailed):
            users.authenticate("a.smith", wrong)
    with pytest.raises(SignInFailed):
        users.authenticate("nobody", PASSWORD)
    with db.session() as session:
        from sqlalchemy import select

        from graph_service.appdb.models import User

        stored = session.scalar(select(User.password_hash).where(User.username == "a.smith"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "agency", "why"),
    [
        ("b.jones", "short", "viewer", "police", "12 to 256"),
        ("b.jones", " padded password ", "viewer", "police", "spaces"),
        ("B Jones", PASSWORD, "viewer", "police", "username"),
        ("b.jones", PASSWORD, "root", "police", "role must be"),
        ("b.jones", PASSWORD, "viewer", "mi5", "agency must be"),
    ],
)
def test_bad_users_are_refused_with_the_reason(db, username, password, role, agency, why):
    with pytest.raises(UserError, match=why):
        Users(db).add(username, password, role, agency)
    assert Users(db).list() == []


def test_a_username_is_taken_once(db):
    users = Users(db)
    users.add("c.brown", PASSWORD, "viewer", "hmpps")
    with pytest.raises(UserError, match="exists"):
        users.add("c.brown", PASSWORD, "admin", "nca")
    assert [(a.username, a.role) for a in users.list()] == [("c.brown", "viewer")]


def test_five_failures_lock_the_account_for_fifteen_minutes(db):
    users = Users(db)
    users.add("d.green", PASSWORD, "viewer", "probation")
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInFailed):
            users.authenticate("d.green", "wrong password!", now=now)
    locked = users.get("d.green").locked_until
    assert locked == now + LOCKOUT
    with pytest.raises(SignInFailed):  # the right password does not open a locked account
        users.authenticate("d.green", PASSWORD, now=now + LOCKOUT - timedelta(seconds=1))
    assert users.authenticate("d.green", PASSWORD, now=now + LOCKOUT + timedelta(seconds=1)).username == "d.green"
    assert users.get("d.green").locked_until is None


def test_disable_enable_and_reset_password(db):
    users = Users(db)
    users.add("e.white", PASSWORD, "admin", "nca")
    users.disable("e.white")
    with pytest.raises(SignInFailed):
        users.authenticate("e.white", PASSWORD)
    users.enable("e.white")
    users.reset_password("e.white", "another long password")
    with pytest.raises(SignInFailed):
        users.authenticate("e.white", PASSWORD)
    assert users.authenticate("e.white", "another long password").agency == "nca"
    with pytest.raises(UserError, match="no user"):
        users.disable("nobody")
