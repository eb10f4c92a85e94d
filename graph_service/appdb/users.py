"""Users: who may sign in, with which role and agency; passwords and lockout.

Passwords are hashed with Argon2id (``pwdlib``: a small, maintained wrapper of
``argon2-cffi`` with the recommended parameters, which also upgrades an old hash on the
next sign-in). A password has 12 to 256 characters. Five failed sign-ins in a row lock
the account for 15 minutes; a sign-in to a locked, disabled or unknown account fails
the same way and costs the same time (a hash is checked every time), so the answer
does not tell which accounts exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from graph_service.appdb.db import AppDB
from graph_service.appdb.models import User

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
AGENCIES: tuple[str, ...] = ("police", "hmpps", "probation", "nca")
MIN_PASSWORD = 12
MAX_PASSWORD = 256
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")


class UserError(ValueError):
    """A user change refused (the message says why)."""


class SignInFailed(Exception):
    """Wrong username or password, or an account that may not sign in now."""


@dataclass(frozen=True)
class Account:
    """A user as the rest of the service sees it (never the password hash)."""

    username: str
    role: str
    agency: str
    disabled: bool
    locked_until: datetime | None
    failed_sign_ins: int

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "agency": self.agency,
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }


def _hasher() -> Any:
    from pwdlib import PasswordHash

    return PasswordHash.recommended()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _account(user: User) -> Account:
    return Account(
        user.username, user.role, user.agency, user.disabled, _aware(user.locked_until), user.failed_sign_ins
    )


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    if password.strip() != password or "\x00" in password:
        raise UserError("a password may not start or end with spaces or hold a NUL character")
    return password


def check_username(username: str) -> str:
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        raise UserError("a username has 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'")
    return username


class Users:
    """The user table: add, list, disable, enable, reset a password, sign in."""

    def __init__(self, db: AppDB) -> None:
        self.db = db
        self.hasher = _hasher()
        self._dummy = self.hasher.hash("not a password of anyone")

    def add(self, username: str, password: str, role: str, agency: str) -> Account:
        check_username(username)
        check_password(password)
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if agency not in AGENCIES:
            raise UserError(f"agency must be one of {', '.join(AGENCIES)}, got {agency!r}")
        now = _now()
        with self.db.session() as session:
            if session.scalar(select(User).where(User.username == username)) is not None:
                raise UserError(f"user {username!r} exists already")
            user = User(
                username=username,
                password_hash=self.hasher.hash(password),
                role=role,
                agency=agency,
                disabled=False,
                failed_sign_ins=0,
                created_at=now,
                updated_at=now,
            )
            session.add(user)
            session.flush()
            return _account(user)

    def get(self, username: str) -> Account | None:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
            return _account(user) if user is not None else None

    def list(self) -> list[Account]:
        with self.db.session() as session:
            return [_account(u) for u in session.scalars(select(User).order_by(User.username))]

    def _change(self, username: str, **values: Any) -> Account:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise UserError(f"no user {username!r}")
            for name, value in values.items():
                setattr(user, name, value)
            user.updated_at = _now()
            session.flush()
            return _account(user)

    def disable(self, username: str) -> Account:
        return self._change(username, disabled=True)

    def enable(self, username: str) -> Account:
        """Enable the account and lift a lockout."""
        return self._change(username, disabled=False, failed_sign_ins=0, locked_until=None)

    def reset_password(self, username: str, password: str) -> Account:
        check_password(password)
        return self._change(username, password_hash=self.hasher.hash(password), failed_sign_ins=0, locked_until=None)

    def authenticate(self, username: str, password: str, *, now: datetime | None = None) -> Account:
        """The account, when the password is right and the account may sign in now;
        otherwise :class:`SignInFailed` (the same for every reason). A failure is
        counted (and a lockout set) in its own committed transaction."""
        now = now or _now()
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == username)) if isinstance(username, str) else None
            if user is None or not isinstance(password, str) or len(password) > MAX_PASSWORD:
                self.hasher.verify("x", self._dummy)  # the same cost as a real check
                account = None
            else:
                right, new_hash = self.hasher.verify_and_update(password, user.password_hash)
                locked = _aware(user.locked_until)
                if locked is not None and locked > now:
                    account = None
                elif not right:
                    user.failed_sign_ins += 1
                    if user.failed_sign_ins >= MAX_FAILURES:
                        user.locked_until, user.failed_sign_ins = now + LOCKOUT, 0
                    user.updated_at = now
                    account = None
                elif user.disabled:
                    account = None
                else:
                    if new_hash is not None:
                        user.password_hash = new_hash
                    user.failed_sign_ins, user.locked_until, user.updated_at = 0, None, now
                    account = _account(user)
        if account is None:
            raise SignInFailed("wrong username or password")
        return account
