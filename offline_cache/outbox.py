"""The outbox: declarations, ratings, heartbeats and licence uses waiting for the provincial platform.

Every item has a client-made UUID (the platform's idempotency key), a local receipt number issued
in the same transaction that stores it (terminal id + '-' + per-terminal sequence, e.g.
``T0001-000042``; the counter survives purges and crashes, so a number is never issued twice) and
a state::

    pending ──mark_sending──▶ sending ──mark_accepted──▶ accepted
       ▲                        │  └────mark_rejected──▶ rejected ──requeue──▶ pending
       └──mark_retry / recover──┘

Anything else raises `IllegalTransitionError`. Once an item has been handed to the sync engine it is
locked: it is never edited, only superseded by a new item that names it in `supersedes`.

Personal data (the `personal` dict the caller passes, the platform's answer, attachment bytes) is
sealed with AES-GCM (crypto.py) before it reaches SQLite, and so is every item's `fields` dict: it
holds what a resident typed that is not classed as personal (a rating's comment, a business name, the
form's other values), and typed text can hold a name or a phone number all the same. Service codes,
receipt and case numbers, states and timestamps stay in clear for querying. `OutboxItem` therefore
never holds personal data and may be logged by UUID and receipt number; `read_fields` and
`read_personal` open the sealed parts for sending.

Delivery order: `next_due` returns the oldest due pending item. Rejected items are quarantined and
never hold anything back; an item that depends on another (a rating on a submission's receipt, a
superseding submission) waits only while that other item is still pending or sending.

Thread use: the `add_*` and `amend_submission` calls come from the session's worker thread and
return only after their commit is on disk; the `mark_*`, `next_due`, `read_*`, `recover_interrupted`
and `purge_accepted` calls belong to the sync thread; the look-ups, `stats`, `rejected` and
`requeue` serve the UI, CLI and setup screen from any thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import uuid as uuid_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from offline_cache import kv
from offline_cache.crypto import Sealer
from offline_cache.db import Database
from offline_cache.errors import (
    IllegalTransitionError,
    ItemLockedError,
    KeyMismatchError,
    OutboxItemNotFound,
    TamperedDataError,
)
from offline_cache.timeutil import from_micros, to_micros, utc_now

_log = logging.getLogger(__name__)

Kind = Literal["submission", "rating", "heartbeat", "licence_use"]
State = Literal["pending", "sending", "accepted", "rejected"]
STATES: tuple[State, ...] = ("pending", "sending", "accepted", "rejected")

_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"sending"}),
    "sending": frozenset({"accepted", "rejected", "pending"}),
    "rejected": frozenset({"pending"}),
    "accepted": frozenset(),
}

_TERMINAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_RECEIPT_DIGITS = 6
_MAX_ERROR_CHARS = 1000
INTERRUPTED = "interrupted while sending (restart)"


@dataclass(frozen=True, slots=True)
class CapturedPage:
    """An attachment to store with a submission, with the provenance the platform asks for."""

    data: bytes = field(repr=False)
    media_type: str
    device: str
    captured_at: datetime
    identified_by_card: bool


@dataclass(frozen=True, slots=True)
class LicenceUse:
    """An electronic licence a declaration cites instead of a captured material: stored as a `licence_use` item
    with the submission, delivered to the platform as a use record (用证记录, docs/platform-api.md)."""

    licence_id: str
    consent_id: str  # the consent the licence was fetched under


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """A stored attachment of a submission (bytes via `Outbox.read_attachment(sha256)`)."""

    position: int
    sha256: str
    size: int
    media_type: str
    device: str
    captured_at: datetime
    identified_by_card: bool


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """An outbox row without its sealed parts; safe to log by uuid / receipt_no."""

    uuid: str
    kind: Kind
    state: State
    created_at: datetime
    state_changed_at: datetime
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    receipt_no: str
    supersedes: str | None
    service_code: str | None
    attachments: tuple[AttachmentRef, ...]
    case_no: str | None
    accepted_at: datetime | None
    rated_receipt_no: str | None
    rated_case_no: str | None
    purged_at: datetime | None

    @property
    def locked(self) -> bool:
        """True once the sync engine has started an upload: edit no more, supersede instead."""
        return self.attempts > 0 or self.state != "pending"


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """What the status strip and the heartbeat report."""

    depth: int  # pending + sending
    oldest_unsent_at: datetime | None
    by_state: Mapping[State, int]


_COLUMNS = (
    "uuid, kind, state, created_at, state_changed_at, attempts, last_error, next_attempt_at, receipt_no, "
    "supersedes, service_code, case_no, accepted_at, rated_receipt_no, rated_case_no, purged_at"
)


def _json(value: Mapping[str, Any], what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be JSON-serialisable: {exc}") from None


def _micros_or_none(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


class Outbox:
    """The outbox on a `Database`, sealing personal data with `sealer`.

    `terminal_id` prefixes receipt numbers. `clock` returns the current aware UTC time (tests
    pass a fake one). Raises `KeyMismatchError` if the database was sealed with another key.
    """

    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        terminal_id: str,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not _TERMINAL_ID.fullmatch(terminal_id):
            raise ValueError(f"terminal id {terminal_id!r}: 1–64 letters, digits, '-' or '_' expected")
        self._db = db
        self._sealer = sealer
        self._terminal_id = terminal_id
        self._clock = clock
        with db.transaction() as conn:
            stored = kv.get(conn, kv.KEY_ID)
            if stored is None:
                kv.put(conn, kv.KEY_ID, sealer.key_id)
            elif stored != sealer.key_id:
                raise KeyMismatchError(
                    f"the outbox in {db.path} was sealed with a different key than the key file now holds; "
                    "restore the original key file (queued items cannot be decrypted without it)"
                )
        self._seal_clear_fields()

    def _seal_clear_fields(self) -> None:
        """Seal the fields of items stored in clear by a release before schema version 4.

        Freed pages are zeroed and the WAL truncated after, so the clear text leaves the files too.
        """
        with self._db.read() as conn:
            if conn.execute("SELECT 1 FROM outbox_item WHERE fields IS NOT NULL LIMIT 1").fetchone() is None:
                return
        with self._db.secure_delete(), self._db.transaction() as conn:
            rows = conn.execute("SELECT uuid, fields FROM outbox_item WHERE fields IS NOT NULL").fetchall()
            for item_uuid, fields in rows:
                conn.execute(
                    "UPDATE outbox_item SET sealed_fields = ?, fields = NULL WHERE uuid = ?",
                    (self._seal_fields(fields, item_uuid), item_uuid),
                )
        self._db.checkpoint()
        _log.info("outbox: sealed the fields of %d item(s) stored in clear by an earlier release", len(rows))

    def _seal_fields(self, fields_json: str, item_uuid: str) -> bytes:
        return self._sealer.seal(fields_json.encode(), purpose="fields", ident=item_uuid)

    def _now(self) -> int:
        return to_micros(self._clock())

    # --- adding ---------------------------------------------------------------------------------

    def add_submission(
        self,
        service_code: str,
        fields: Mapping[str, Any],
        personal: Mapping[str, Any],
        attachments: Sequence[CapturedPage] = (),
        *,
        supersedes: str | None = None,
        licence_uses: Sequence[LicenceUse] = (),
    ) -> OutboxItem:
        """Store a declaration; committed to disk before it returns (tell the resident after this).

        `fields` are the non-personal form values; everything that identifies the resident (name, ID
        number, phone, address, …) goes in `personal`. Both are sealed; the platform gets them apart. Attachments are
        stored once per content hash. `supersedes` names an earlier submission this one replaces. Each of
        `licence_uses` becomes a `licence_use` item in the same transaction, naming this submission: the
        platform learns of every licence the declaration cites exactly once, or of none if it was never stored.
        """
        if not service_code:
            raise ValueError("service_code must not be empty")
        item_uuid = str(uuid_module.uuid4())
        sealed_fields = self._seal_fields(_json(fields, "fields"), item_uuid)
        sealed = self._sealer.seal(_json(personal, "personal").encode(), purpose="personal", ident=item_uuid)
        pages = [(page, hashlib.sha256(page.data).hexdigest()) for page in attachments]
        sealed_pages = {
            digest: self._sealer.seal(page.data, purpose="attachment", ident=digest) for page, digest in pages
        }
        now = self._now()
        with self._db.transaction() as conn:
            if supersedes is not None:
                self._require_submission(conn, supersedes)
            receipt = self._insert(
                conn, item_uuid, "submission", now,
                supersedes=supersedes, service_code=service_code, sealed_fields=sealed_fields, sealed_personal=sealed,
            )
            for position, (page, digest) in enumerate(pages):
                conn.execute(
                    "INSERT INTO attachment (sha256, size, media_type, sealed, created_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    (digest, len(page.data), page.media_type, sealed_pages[digest], now),
                )
                conn.execute(
                    "INSERT INTO outbox_attachment (item_uuid, position, sha256, device, captured_at, "
                    "identified_by_card) VALUES (?, ?, ?, ?, ?, ?)",
                    (item_uuid, position, digest, page.device, to_micros(page.captured_at),
                     int(page.identified_by_card)),
                )
            for use in licence_uses:
                # The use record names the declaration by its key and receipt number, the body the platform gets.
                use_uuid = str(uuid_module.uuid4())
                use_fields = {"licence_id": use.licence_id, "consent_id": use.consent_id,
                              "declaration": {"idempotency_key": item_uuid, "local_receipt_no": receipt}}
                self._insert(conn, use_uuid, "licence_use", now, service_code=service_code,
                             sealed_fields=self._seal_fields(_json(use_fields, "licence use"), use_uuid))
            item = self._get(conn, item_uuid)
        _log.info("outbox: submission %s stored as %s%s", item_uuid, receipt,
                  f" with {len(licence_uses)} licence use(s)" if licence_uses else "")
        return item

    def add_rating(
        self,
        fields: Mapping[str, Any],
        *,
        rated_receipt_no: str | None = None,
        rated_case_no: str | None = None,
        personal: Mapping[str, Any] | None = None,
    ) -> OutboxItem:
        """Store a rating (好差评); committed before it returns.

        A rating made offline names the submission's local `rated_receipt_no`; once that submission
        is accepted the rating carries its case number in `rated_case_no` (and is not due before).
        The rater's identity, if given, goes in `personal` (sealed).
        """
        item_uuid = str(uuid_module.uuid4())
        sealed_fields = self._seal_fields(_json(fields, "fields"), item_uuid)
        sealed = None
        if personal is not None:
            sealed = self._sealer.seal(_json(personal, "personal").encode(), purpose="personal", ident=item_uuid)
        now = self._now()
        with self._db.transaction() as conn:
            if rated_receipt_no is not None and rated_case_no is None:
                row = conn.execute(
                    "SELECT case_no FROM outbox_item WHERE receipt_no = ? AND kind = 'submission'",
                    (rated_receipt_no,),
                ).fetchone()
                rated_case_no = None if row is None else row[0]
            receipt = self._insert(
                conn, item_uuid, "rating", now, sealed_fields=sealed_fields, sealed_personal=sealed,
                rated_receipt_no=rated_receipt_no, rated_case_no=rated_case_no,
            )
            item = self._get(conn, item_uuid)
        _log.info("outbox: rating %s stored as %s", item_uuid, receipt)
        return item

    def add_heartbeat(self, fields: Mapping[str, Any]) -> OutboxItem:
        """Queue a heartbeat (device health, outbox depth, …; nothing personal)."""
        item_uuid = str(uuid_module.uuid4())
        sealed_fields = self._seal_fields(_json(fields, "fields"), item_uuid)
        now = self._now()
        with self._db.transaction() as conn:
            self._insert(conn, item_uuid, "heartbeat", now, sealed_fields=sealed_fields)
            return self._get(conn, item_uuid)

    def amend_submission(
        self,
        item_uuid: str,
        *,
        fields: Mapping[str, Any] | None = None,
        personal: Mapping[str, Any] | None = None,
    ) -> OutboxItem:
        """Change a submission that was never handed to the sync engine; `ItemLockedError` otherwise."""
        sealed_fields = None if fields is None else self._seal_fields(_json(fields, "fields"), item_uuid)
        sealed = None
        if personal is not None:
            sealed = self._sealer.seal(_json(personal, "personal").encode(), purpose="personal", ident=item_uuid)
        with self._db.transaction() as conn:
            item = self._get(conn, item_uuid)
            if item.kind != "submission":
                raise ValueError(f"outbox item {item_uuid} is a {item.kind}, not a submission")
            if item.locked:
                raise ItemLockedError(
                    f"outbox item {item_uuid} ({item.receipt_no}) is locked since its upload began; "
                    "store a new submission that supersedes it"
                )
            if sealed_fields is not None:
                conn.execute("UPDATE outbox_item SET sealed_fields = ? WHERE uuid = ?", (sealed_fields, item_uuid))
            if sealed is not None:
                conn.execute("UPDATE outbox_item SET sealed_personal = ? WHERE uuid = ?", (sealed, item_uuid))
            return self._get(conn, item_uuid)

    def _insert(
        self,
        conn: sqlite3.Connection,
        item_uuid: str,
        kind: Kind,
        now: int,
        *,
        supersedes: str | None = None,
        service_code: str | None = None,
        sealed_fields: bytes | None = None,
        sealed_personal: bytes | None = None,
        rated_receipt_no: str | None = None,
        rated_case_no: str | None = None,
    ) -> str:
        number = conn.execute(
            "INSERT INTO receipt_counter (terminal_id, last_seq) VALUES (?, 1) "
            "ON CONFLICT (terminal_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
            (self._terminal_id,),
        ).fetchone()[0]
        receipt = f"{self._terminal_id}-{number:0{_RECEIPT_DIGITS}d}"
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM outbox_item").fetchone()[0]
        conn.execute(
            "INSERT INTO outbox_item (uuid, seq, kind, state, created_at, state_changed_at, next_attempt_at, "
            "receipt_no, supersedes, service_code, sealed_fields, sealed_personal, rated_receipt_no, "
            "rated_case_no) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_uuid, seq, kind, now, now, now, receipt, supersedes, service_code, sealed_fields, sealed_personal,
             rated_receipt_no, rated_case_no),
        )
        return receipt

    def _require_submission(self, conn: sqlite3.Connection, item_uuid: str) -> None:
        row = conn.execute("SELECT kind FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"superseded outbox item {item_uuid} does not exist")
        if row[0] != "submission":
            raise ValueError(f"outbox item {item_uuid} is a {row[0]}; only submissions can be superseded")

    # --- reading ------------------------------------------------------------------------------------

    def get(self, item_uuid: str) -> OutboxItem:
        """The item with this UUID; `OutboxItemNotFound` if there is none."""
        with self._db.read() as conn:
            return self._get(conn, item_uuid)

    def _get(self, conn: sqlite3.Connection, item_uuid: str) -> OutboxItem:
        row = conn.execute(f"SELECT {_COLUMNS} FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no outbox item {item_uuid}")
        return self._item(conn, row)

    def _item(self, conn: sqlite3.Connection, row: tuple[Any, ...]) -> OutboxItem:
        (item_uuid, kind, state, created_at, changed_at, attempts, last_error, next_attempt_at, receipt_no,
         supersedes, service_code, case_no, accepted_at, rated_receipt_no, rated_case_no, purged_at) = row
        attachments: tuple[AttachmentRef, ...] = ()
        if kind == "submission":
            attachments = tuple(
                AttachmentRef(position, sha, size, media_type, device, from_micros(captured), bool(by_card))
                for position, sha, size, media_type, device, captured, by_card in conn.execute(
                    "SELECT l.position, l.sha256, a.size, a.media_type, l.device, l.captured_at, "
                    "l.identified_by_card FROM outbox_attachment AS l JOIN attachment AS a USING (sha256) "
                    "WHERE l.item_uuid = ? ORDER BY l.position",
                    (item_uuid,),
                )
            )
        return OutboxItem(
            uuid=item_uuid,
            kind=cast(Kind, kind),
            state=cast(State, state),
            created_at=from_micros(created_at),
            state_changed_at=from_micros(changed_at),
            attempts=attempts,
            last_error=last_error,
            next_attempt_at=from_micros(next_attempt_at),
            receipt_no=receipt_no,
            supersedes=supersedes,
            service_code=service_code,
            attachments=attachments,
            case_no=case_no,
            accepted_at=_micros_or_none(accepted_at),
            rated_receipt_no=rated_receipt_no,
            rated_case_no=rated_case_no,
            purged_at=_micros_or_none(purged_at),
        )

    def _select(self, where: str, params: Sequence[object], suffix: str = "") -> list[OutboxItem]:
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox_item AS o WHERE {where} {suffix}", params).fetchall()
            return [self._item(conn, row) for row in rows]

    def find_by_receipt(self, receipt_no: str) -> OutboxItem | None:
        """The item a local receipt number was issued for (still answers after a purge)."""
        found = self._select("o.receipt_no = ?", (receipt_no,))
        return found[0] if found else None

    def find_by_case(self, case_no: str) -> OutboxItem | None:
        """The submission the platform gave this case number."""
        found = self._select("o.case_no = ?", (case_no,), "ORDER BY o.seq LIMIT 1")
        return found[0] if found else None

    def rejected(self) -> list[OutboxItem]:
        """Quarantined items, oldest first; `last_error` holds the platform's reason."""
        return self._select("o.state = 'rejected'", (), "ORDER BY o.seq")

    def stats(self) -> OutboxStats:
        with self._db.read() as conn:
            counts = dict.fromkeys(STATES, 0)
            for state, count in conn.execute("SELECT state, count(*) FROM outbox_item GROUP BY state"):
                counts[state] = count
            oldest = conn.execute(
                "SELECT min(created_at) FROM outbox_item WHERE state IN ('pending', 'sending')"
            ).fetchone()[0]
        return OutboxStats(counts["pending"] + counts["sending"], _micros_or_none(oldest), counts)

    def read_fields(self, item_uuid: str) -> dict[str, Any]:
        """The decrypted fields of an item ({} after a purge). For sending (and tests) only."""
        with self._db.read() as conn:
            row = conn.execute("SELECT sealed_fields FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no outbox item {item_uuid}")
        if row[0] is None:
            return {}
        value: dict[str, Any] = json.loads(self._sealer.open(row[0], purpose="fields", ident=item_uuid))
        return value

    def read_personal(self, item_uuid: str) -> dict[str, Any]:
        """The decrypted personal dict of an item ({} for none or after purge). For sending only."""
        with self._db.read() as conn:
            row = conn.execute("SELECT sealed_personal FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no outbox item {item_uuid}")
        if row[0] is None:
            return {}
        value: dict[str, Any] = json.loads(self._sealer.open(row[0], purpose="personal", ident=item_uuid))
        return value

    def read_answer(self, item_uuid: str) -> dict[str, Any] | None:
        """The platform's decrypted answer to an accepted item (None before acceptance or after purge)."""
        with self._db.read() as conn:
            row = conn.execute("SELECT sealed_answer FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no outbox item {item_uuid}")
        if row[0] is None:
            return None
        value: dict[str, Any] = json.loads(self._sealer.open(row[0], purpose="answer", ident=item_uuid))
        return value

    def read_attachment(self, sha256: str) -> bytes:
        """Decrypted attachment bytes, verified against their content hash."""
        with self._db.read() as conn:
            row = conn.execute("SELECT sealed FROM attachment WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no attachment {sha256}")
        data = self._sealer.open(row[0], purpose="attachment", ident=sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            # Only reachable if sealing itself was handed the wrong bytes; never send such a blob.
            raise TamperedDataError(f"attachment {sha256} does not match its content hash")
        return data

    # --- the sync engine's side ---------------------------------------------------------------------

    def next_due(self, now: datetime | None = None) -> OutboxItem | None:
        """The oldest pending item whose `next_attempt_at` has come and whose dependency is settled."""
        moment = self._now() if now is None else to_micros(now)
        found = self._select(
            "o.state = 'pending' AND o.next_attempt_at <= ? AND NOT EXISTS ("
            " SELECT 1 FROM outbox_item AS d WHERE d.state IN ('pending', 'sending')"
            " AND (d.uuid = o.supersedes OR (d.receipt_no = o.rated_receipt_no AND d.kind = 'submission')))",
            (moment,),
            "ORDER BY o.seq LIMIT 1",
        )
        return found[0] if found else None

    def _transition(
        self, conn: sqlite3.Connection, item_uuid: str, wanted: State, assignments: str = "",
        params: Sequence[object] = (),
    ) -> OutboxItem:
        row = conn.execute("SELECT state FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"no outbox item {item_uuid}")
        if wanted not in _TRANSITIONS[row[0]]:
            raise IllegalTransitionError(item_uuid, row[0], wanted)
        extra = f", {assignments}" if assignments else ""
        conn.execute(
            f"UPDATE outbox_item SET state = ?, state_changed_at = ?{extra} WHERE uuid = ?",
            (wanted, self._now(), *params, item_uuid),
        )
        return self._get(conn, item_uuid)

    def mark_sending(self, item_uuid: str) -> OutboxItem:
        """pending → sending, counting an attempt; from here on the item is locked."""
        with self._db.transaction() as conn:
            return self._transition(conn, item_uuid, "sending", "attempts = attempts + 1")

    def mark_accepted(
        self, item_uuid: str, case_no: str | None, answer: Mapping[str, Any] | None = None
    ) -> OutboxItem:
        """sending → accepted; ratings on a submission's receipt get its case number.

        A submission needs the platform's case number; a rating may have none yet (the platform ties it
        when the rated submission arrives) and a heartbeat never has one.
        """
        if case_no is not None and not case_no:
            raise ValueError("case_no must not be empty")
        with self._db.read() as conn:
            row = conn.execute("SELECT kind FROM outbox_item WHERE uuid = ?", (item_uuid,)).fetchone()
        if row is not None and row[0] == "submission" and case_no is None:
            raise ValueError(f"submission {item_uuid} cannot be accepted without a case number")
        sealed = None
        if answer is not None:
            sealed = self._sealer.seal(_json(answer, "answer").encode(), purpose="answer", ident=item_uuid)
        with self._db.transaction() as conn:
            item = self._transition(
                conn, item_uuid, "accepted", "case_no = ?, sealed_answer = ?, accepted_at = ?, last_error = NULL",
                (case_no, sealed, self._now()),
            )
            if item.kind == "submission":
                conn.execute(
                    "UPDATE outbox_item SET rated_case_no = ? WHERE kind = 'rating' AND rated_receipt_no = ? "
                    "AND rated_case_no IS NULL",
                    (case_no, item.receipt_no),
                )
        _log.info("outbox: %s %s accepted", item.kind, item_uuid)
        return item

    def mark_retry(self, item_uuid: str, error: str, next_attempt_at: datetime) -> OutboxItem:
        """sending → pending after a transient failure; due again at `next_attempt_at` (same UUID).

        `error` is shown to technicians: describe the failure, never the resident's data.
        """
        with self._db.transaction() as conn:
            return self._transition(
                conn, item_uuid, "pending", "last_error = ?, next_attempt_at = ?",
                (error[:_MAX_ERROR_CHARS], to_micros(next_attempt_at)),
            )

    def mark_rejected(self, item_uuid: str, reason: str) -> OutboxItem:
        """sending → rejected (a 4xx): quarantined with `reason` until a technician requeues it."""
        with self._db.transaction() as conn:
            item = self._transition(conn, item_uuid, "rejected", "last_error = ?", (reason[:_MAX_ERROR_CHARS],))
        _log.info("outbox: %s %s rejected", item.kind, item_uuid)
        return item

    def requeue(self, item_uuid: str) -> OutboxItem:
        """rejected → pending, due now, same UUID (the technician's "try again" in the setup screen)."""
        with self._db.transaction() as conn:
            return self._transition(conn, item_uuid, "pending", "next_attempt_at = ?", (self._now(),))

    def recover_interrupted(self) -> int:
        """Return items left in 'sending' by a crash or power cut to 'pending', due now.

        Call once at start-up, before the sync thread sends anything. They are retried with the same
        UUID, so the platform answers with the case number it may already have issued.
        """
        now = self._now()
        with self._db.transaction() as conn:
            count = conn.execute(
                "UPDATE outbox_item SET state = 'pending', state_changed_at = ?, next_attempt_at = ?, "
                "last_error = ? WHERE state = 'sending'",
                (now, now, INTERRUPTED),
            ).rowcount
        if count:
            _log.info("outbox: %d interrupted item(s) queued again", count)
        return count

    def purge_accepted(self, retention: timedelta) -> int:
        """Drop personal data of items accepted longer than `retention` ago; return how many.

        Sealed personal data, answers, fields (submission form values, rating comments) and attachments
        no other item still references are deleted; accepted heartbeats are deleted outright. The rest of
        the row stays, so receipt and case numbers still resolve, and the receipt counter is untouched.
        """
        now = self._now()
        cutoff = now - (retention // timedelta(microseconds=1))
        with self._db.secure_delete(), self._db.transaction() as conn:
            condition = "state = 'accepted' AND purged_at IS NULL AND accepted_at <= ?"
            conn.execute(f"DELETE FROM outbox_item WHERE kind = 'heartbeat' AND {condition}", (cutoff,))
            conn.execute(
                f"DELETE FROM outbox_attachment WHERE item_uuid IN (SELECT uuid FROM outbox_item WHERE {condition})",
                (cutoff,),
            )
            # A rating's fields go too: its comment is the resident's own words.
            count = conn.execute(
                "UPDATE outbox_item SET sealed_personal = NULL, sealed_answer = NULL, sealed_fields = NULL, "
                f"purged_at = ? WHERE {condition}",
                (now, cutoff),
            ).rowcount
            conn.execute(
                "DELETE FROM attachment WHERE NOT EXISTS "
                "(SELECT 1 FROM outbox_attachment AS l WHERE l.sha256 = attachment.sha256)"
            )
        # Old page images of the purged rows may still sit in the WAL until it is reused.
        self._db.checkpoint()
        if count:
            _log.info("outbox: purged personal data of %d accepted item(s)", count)
        return count
