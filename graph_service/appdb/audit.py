"""The audit log of every collection, alteration, consultation, disclosure, combination
and erasure (Data Protection Act 2018 s.62).

Each record holds the time (UTC), the user with their role and agency, the action, the
endpoint and its parameters, the ids of the entities returned or touched, the
justification, the recipients of a disclosure, and a hash chain:
``hash = sha256(prev_hash + canonical(record))`` with ``canonical`` the record's fields as
JSON with sorted keys and no spaces, and ``prev_hash`` the previous record's hash (64
zeros for the first). The application only ever inserts; the database refuses UPDATE,
DELETE (and, on PostgreSQL, TRUNCATE) on the audit tables by triggers.
:meth:`AuditLog.verify` recomputes the chain and names the first record that does not
match (changed, inserted or removed).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, text

from graph_service.appdb.db import AppDB
from graph_service.appdb.models import AuditEntity, AuditRecord

ACTIONS: tuple[str, ...] = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure")
GENESIS = "0" * 64
FIELDS: tuple[str, ...] = (
    "seq",
    "at",
    "username",
    "role",
    "agency",
    "action",
    "endpoint",
    "params",
    "entity_ids",
    "justification",
    "recipients",
)
MAX_ENTITIES = 10_000  # ids kept per record (a record says how many more there were)


class AuditError(ValueError):
    """A record that cannot be written as given."""


@dataclass(frozen=True)
class Entry:
    """One record as read back."""

    seq: int
    at: str
    username: str
    role: str
    agency: str
    action: str
    endpoint: str
    params: dict[str, Any]
    entity_ids: list[str]
    justification: str | None
    recipients: list[str]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*FIELDS, "prev_hash", "hash")}


@dataclass(frozen=True)
class Verification:
    """What :meth:`AuditLog.verify` found: ``ok``, the records checked and the first
    broken one (``broken_seq``, with the reason)."""

    ok: bool
    records: int
    broken_seq: int | None = None
    reason: str | None = None


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(fields: dict[str, Any]) -> str:
    """The text a record's hash covers: its fields as compact JSON with sorted keys.

    Examples
    --------
    >>> canonical({"seq": 1, "at": "2026-01-01T00:00:00Z", "params": {"b": 1, "a": 2}})
    '{"at":"2026-01-01T00:00:00Z","params":{"a":2,"b":1},"seq":1}'
    """
    return _dump(fields)


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode("utf-8")).hexdigest()


def _fields(row: AuditRecord) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "username": row.username,
        "role": row.role,
        "agency": row.agency,
        "action": row.action,
        "endpoint": row.endpoint,
        "params": json.loads(row.params),
        "entity_ids": json.loads(row.entity_ids),
        "justification": row.justification,
        "recipients": json.loads(row.recipients),
    }


def _entry(row: AuditRecord) -> Entry:
    return Entry(**_fields(row), prev_hash=row.prev_hash, hash=row.hash)


class AuditLog:
    """Append records, read them back, verify the chain."""

    def __init__(self, db: AppDB) -> None:
        self.db = db
        self._lock = threading.Lock()  # one writer per process; the database orders the rest

    def append(
        self,
        *,
        username: str,
        role: str,
        agency: str,
        action: str,
        endpoint: str,
        params: dict[str, Any] | None = None,
        entity_ids: Iterable[str] = (),
        justification: str | None = None,
        recipients: Sequence[str] = (),
        at: datetime | None = None,
    ) -> Entry:
        """Write one record at the end of the chain and return it."""
        if action not in ACTIONS:
            raise AuditError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
        if action in ("consultation", "disclosure") and not (justification or "").strip():
            raise AuditError(f"a {action} needs a justification")
        if action == "disclosure" and not recipients:
            raise AuditError("a disclosure names its recipients")
        ids = list(dict.fromkeys(str(x) for x in entity_ids))
        params = dict(params or {})
        if len(ids) > MAX_ENTITIES:
            params["entity_ids_not_listed"] = len(ids) - MAX_ENTITIES
            ids = ids[:MAX_ENTITIES]
        stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        with self._lock, self.db.session() as session:
            self._lock_table(session)
            last = session.execute(
                select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
            ).first()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            fields = {
                "seq": seq,
                "at": stamp,
                "username": username,
                "role": role,
                "agency": agency,
                "action": action,
                "endpoint": endpoint,
                "params": json.loads(_dump(params)),
                "entity_ids": ids,
                "justification": justification,
                "recipients": list(recipients),
            }
            row = AuditRecord(
                seq=seq,
                at=stamp,
                username=username,
                role=role,
                agency=agency,
                action=action,
                endpoint=endpoint,
                params=_dump(fields["params"]),
                entity_ids=_dump(ids),
                justification=justification,
                recipients=_dump(list(recipients)),
                prev_hash=prev,
                hash=chain_hash(prev, fields),
            )
            session.add(row)
            session.flush()
            if ids:  # one executemany on the table, no ORM object per id (a map names thousands)
                session.connection().execute(
                    insert(cast(Table, AuditEntity.__table__)), [{"seq": seq, "entity_id": i} for i in ids]
                )
            return _entry(row)

    def _lock_table(self, session: Any) -> None:
        """Writers take turns, so two records never claim the same place in the chain."""
        if self.db.dialect == "postgresql":
            session.execute(text("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"))

    def entries(
        self,
        *,
        username: str | None = None,
        entity_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Records in order, filtered by user, entity and time (``at`` from ``since``,
        before ``until``; ISO text, a date or a time)."""
        query = select(AuditRecord).order_by(AuditRecord.seq)
        if username:
            query = query.where(AuditRecord.username == username)
        if entity_id:
            query = query.where(AuditRecord.seq.in_(select(AuditEntity.seq).where(AuditEntity.entity_id == entity_id)))
        if since:
            query = query.where(AuditRecord.at >= since)
        if until:
            query = query.where(AuditRecord.at < until)
        if limit is not None:
            query = query.limit(limit)
        with self.db.session() as session:
            return [_entry(r) for r in session.scalars(query)]

    def _rows(self) -> Iterator[AuditRecord]:
        with self.db.session() as session:
            yield from session.scalars(select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=1000))

    def verify(self) -> Verification:
        """Recompute the chain from the first record; the first mismatch is named."""
        prev, expected_seq, count = GENESIS, 1, 0
        for row in self._rows():
            count += 1
            if row.seq != expected_seq:
                reason = f"record {expected_seq} is missing (the next is {row.seq})"
                return Verification(False, count, expected_seq, reason)
            if row.prev_hash != prev:
                return Verification(False, count, row.seq, "its previous hash is not the hash of the record before")
            if chain_hash(prev, _fields(row)) != row.hash:
                return Verification(False, count, row.seq, "its content does not match its hash")
            prev, expected_seq = row.hash, expected_seq + 1
        return Verification(True, count)


def operator() -> str:
    """The audit name of whoever runs a command on this machine: ``cli:<user>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli:unknown"


def record_load(
    db: AppDB, report: Any, *, endpoint: str = "marsoc load", username: str | None = None, role: str = "admin"
) -> list[Entry]:
    """The audit records of a load: its collection (what was loaded, from where, for
    which agency) and, when resolutions merged records, the combination. ``username``:
    who ran it (default the operator of this machine's command line)."""
    log = AuditLog(db)
    username, agency = username or operator(), str(report.agency or "-")
    files = {f.file: {"status": f.status, "loaded": f.loaded, "rejected": f.rejected} for f in report.files}
    written = [
        log.append(
            username=username,
            role=role,
            agency=agency,
            action="collection",
            endpoint=endpoint,
            params={"run_id": report.run_id, "directory": report.directory, "files": files, "ok": report.ok},
        )
    ]
    merged = (report.resolutions or {}).get("same") or 0
    if merged:
        written.append(
            log.append(
                username=username,
                role=role,
                agency=agency,
                action="combination",
                endpoint=endpoint,
                params={"run_id": report.run_id, "same_decisions": merged, "source": "resolutions.csv"},
            )
        )
    return written
