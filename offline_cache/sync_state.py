"""What the sync engine remembers between runs: contact times, last error, case statuses.

The catalogue version is read from the key the catalogue writes in the same transaction as the
items (catalog.py), so the two can never disagree. `get`/`put` keep any other small JSON values the
sync engine needs (e.g. the next heartbeat due time) under a "sync." prefix.

Thread use: written by the sync thread; read by any thread (status strip, `kiosk sync status`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from offline_cache import kv
from offline_cache.db import Database
from offline_cache.timeutil import from_micros, to_micros

_PREFIX = "sync."
_LAST_CONTACT = "sync.last_contact"
_LAST_ERROR = "sync.last_error"
_LAST_ERROR_AT = "sync.last_error_at"
_LAST_ERROR_LINK = "sync.last_error_link"


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """The last status the platform reported for a case number, and when we learnt it."""

    case_no: str
    status: str
    updated_at: datetime


class SyncState:
    """Small durable facts about synchronisation, on a `Database`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _get(self, key: str) -> Any:
        with self._db.read() as conn:
            return kv.get(conn, key)

    def get(self, name: str) -> Any:
        """A value stored with `put` (None if never set)."""
        return self._get(_PREFIX + "x." + name)

    def put(self, name: str, value: Any) -> None:
        """Store a JSON-serialisable value under `name`."""
        with self._db.transaction() as conn:
            kv.put(conn, _PREFIX + "x." + name, value)

    @property
    def catalog_version(self) -> int | None:
        value = self._get(kv.CATALOG_VERSION)
        return None if value is None else int(value)

    @property
    def last_contact(self) -> datetime | None:
        """When the platform last answered anything (any HTTP response counts)."""
        value = self._get(_LAST_CONTACT)
        return None if value is None else from_micros(int(value))

    @property
    def last_error(self) -> tuple[str, datetime] | None:
        """The last sync failure and when it happened; cleared by `record_contact(clear_error=True)`."""
        with self._db.read() as conn:
            message = kv.get(conn, _LAST_ERROR)
            at = kv.get(conn, _LAST_ERROR_AT)
        if message is None or at is None:
            return None
        return str(message), from_micros(int(at))

    @property
    def last_error_link(self) -> str | None:
        """What the last failure said about the link (e.g. "offline", "credentials_refused"), if it said."""
        value = self._get(_LAST_ERROR_LINK)
        return None if value is None else str(value)

    def record_contact(self, at: datetime, *, clear_error: bool = True) -> None:
        with self._db.transaction() as conn:
            kv.put(conn, _LAST_CONTACT, to_micros(at))
            if clear_error:
                kv.delete(conn, _LAST_ERROR)
                kv.delete(conn, _LAST_ERROR_AT)
                kv.delete(conn, _LAST_ERROR_LINK)

    def record_error(self, message: str, at: datetime, *, link: str | None = None) -> None:
        """Remember a failure for the setup screen; `message` must not carry personal data.

        `link` is the state of the platform link the failure shows, kept so that another process
        (`kiosk sync status`) reports it as the engine does; None leaves the link's state unsaid.
        """
        with self._db.transaction() as conn:
            kv.put(conn, _LAST_ERROR, message[:1000])
            kv.put(conn, _LAST_ERROR_AT, to_micros(at))
            if link is None:
                kv.delete(conn, _LAST_ERROR_LINK)
            else:
                kv.put(conn, _LAST_ERROR_LINK, link)

    # --- case status cache -------------------------------------------------------------------------

    def put_case_status(self, case_no: str, status: str, updated_at: datetime) -> None:
        """Cache a status from `GET /cases/{case_no}`; an older answer never overwrites a newer one."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO case_status (case_no, status, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (case_no) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at "
                "WHERE excluded.updated_at >= case_status.updated_at",
                (case_no, status, to_micros(updated_at)),
            )

    def case_status(self, case_no: str) -> CaseStatus | None:
        """The cached status (shown offline with its age), None if never fetched."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT status, updated_at FROM case_status WHERE case_no = ?", (case_no,)
            ).fetchone()
        return None if row is None else CaseStatus(case_no, row[0], from_micros(row[1]))
