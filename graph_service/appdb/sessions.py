"""Browser sessions: a random cookie value (only its hash stored), a CSRF token, an idle
timeout and a longest lifetime; sign-out deletes the session."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from graph_service.appdb.db import AppDB
from graph_service.appdb.models import BrowserSession

TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str
    purpose: str | None = None


class Sessions:
    def __init__(self, db: AppDB, *, idle: timedelta, longest: timedelta) -> None:
        self.db, self.idle, self.longest = db, idle, longest

    def start(self, username: str, *, now: datetime | None = None) -> tuple[str, Session]:
        """A new session for ``username``: the cookie value and the session."""
        now = now or datetime.now(UTC)
        cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.db.session() as s:
            s.add(BrowserSession(id=_key(cookie), username=username, csrf=csrf, created_at=now, last_seen=now))
        return cookie, Session(username, csrf)

    def find(self, cookie: str | None, *, now: datetime | None = None) -> Session | None:
        """The live session of a cookie (its idle time and age within bounds), else None;
        an expired one is deleted."""
        if not cookie or len(cookie) > 128:
            return None
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            row = s.get(BrowserSession, _key(cookie))
            if row is None:
                return None
            last, created = _aware(row.last_seen), _aware(row.created_at)
            if now - last > self.idle or now - created > self.longest:
                s.delete(row)
                return None
            if now - last > TOUCH_EVERY:
                row.last_seen = now
            return Session(row.username, row.csrf, row.purpose)

    def set_purpose(self, cookie: str | None, purpose: str) -> None:
        """The justification sent with every request of this session until changed."""
        if cookie:
            with self.db.session() as s:
                row = s.get(BrowserSession, _key(cookie))
                if row is not None:
                    row.purpose = purpose

    def end(self, cookie: str | None) -> None:
        if cookie:
            with self.db.session() as s:
                s.execute(delete(BrowserSession).where(BrowserSession.id == _key(cookie)))

    def end_all(self, username: str) -> None:
        """Sign a user out everywhere (disabled, password reset)."""
        with self.db.session() as s:
            s.execute(delete(BrowserSession).where(BrowserSession.username == username))

    def count(self, username: str) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(BrowserSession.id).where(BrowserSession.username == username)).all())
