"""SQLite persistence of the reference platform: one connection per thread, WAL, synchronous=NORMAL.

Every write runs in one `BEGIN IMMEDIATE` transaction, so a lookup followed by an insert cannot race another
writer; the unique constraints (idempotency key, rating and heartbeat uuid, attachment hash) back that up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reference_platform.contract import CASE_STATUS_RANK, CASE_STATUSES, FINAL_CASE_STATUSES
from reference_platform.validation import ApiError, consent_hash

# 2: ratings.reference may be NULL (a rating not about a declaration).
# 3: electronic licences, consents, licence uses and certificates (new tables only).
SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS terminals (
    id TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog_items (
    code TEXT PRIMARY KEY,
    item_json TEXT,                 -- NULL once deleted (a tombstone)
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_items_version ON catalog_items (version);
CREATE TABLE IF NOT EXISTS attachments (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    terminal_id TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    body_sha256 TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    service_code TEXT NOT NULL,
    local_receipt_no TEXT NOT NULL,
    body_json TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    case_no TEXT PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    local_receipt_no TEXT NOT NULL,
    service_code TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_submission ON cases (submission_id);
CREATE INDEX IF NOT EXISTS cases_receipt ON cases (local_receipt_no);
CREATE TABLE IF NOT EXISTS case_history (
    id INTEGER PRIMARY KEY,
    case_no TEXT NOT NULL REFERENCES cases (case_no),
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_history_case ON case_history (case_no);
CREATE TABLE IF NOT EXISTS ratings (
    uuid TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    reference TEXT,                 -- NULL: a rating of the on-site service, not of a declaration
    case_no TEXT,                   -- tied when the case is known (at once, or when it arrives)
    grade INTEGER NOT NULL,
    channel TEXT NOT NULL,
    body_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ratings_untied ON ratings (reference) WHERE case_no IS NULL;
CREATE TABLE IF NOT EXISTS heartbeats (
    uuid TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    body_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS heartbeats_terminal ON heartbeats (terminal_id, received_at);
CREATE TABLE IF NOT EXISTS holders (
    id_number TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS licences (
    licence_id TEXT PRIMARY KEY,
    holder_id_number TEXT NOT NULL,
    type_code TEXT NOT NULL,
    issuer_code TEXT NOT NULL,
    meta_json TEXT NOT NULL,        -- LICENCE without `document`
    original_format TEXT NOT NULL,
    has_pdf INTEGER NOT NULL,       -- 0: kept as OFD only, no PDF rendition
    pdf BLOB                        -- the signed PDF, made on first need and kept
);
CREATE INDEX IF NOT EXISTS licences_holder ON licences (holder_id_number, type_code);
CREATE TABLE IF NOT EXISTS certificate_offers (
    holder_id_number TEXT NOT NULL,
    type_code TEXT NOT NULL,
    PRIMARY KEY (holder_id_number, type_code)
);
CREATE TABLE IF NOT EXISTS consents (
    id TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    holder_id_number TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    body_json TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS licence_uses (
    uuid TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    licence_id TEXT NOT NULL,
    consent_id TEXT NOT NULL,
    body_json TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS certificates (
    uuid TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    certificate_id TEXT NOT NULL UNIQUE,
    holder_id_number TEXT NOT NULL,
    type_code TEXT NOT NULL,
    answer_json TEXT NOT NULL,      -- the whole answer, the PDF in base64 included: replays get it unchanged
    issued_at TEXT NOT NULL
);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[sqlite3.Connection] = set()
        # Terminal credentials are read on every request: keep them in memory, write them through.
        self._terminals: dict[str, str] = {}
        db = self.conn()
        db.executescript(_SCHEMA)
        self._migrate(db)
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('catalog_version', '0')")
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('catalog_kept_from', '0')")
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('certificate_seq', '0')")
        self._terminals = dict(db.execute("SELECT id, token_sha256 FROM terminals").fetchall())

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        found = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if found < 2:
            # SQLite cannot drop a NOT NULL constraint in place: copy the ratings into the new shape.
            with self.transaction() as tx:
                tx.execute("ALTER TABLE ratings RENAME TO ratings_v1")
                tx.execute("DROP INDEX IF EXISTS ratings_untied")
                for statement in _SCHEMA.split(";"):
                    if "ratings" in statement and "CREATE" in statement:
                        tx.execute(statement)
                tx.execute("INSERT INTO ratings SELECT * FROM ratings_v1")
                tx.execute("DROP TABLE ratings_v1")
                tx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        elif found < SCHEMA_VERSION:
            # Later versions only added tables, which the schema script has just created.
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    # -- connections -------------------------------------------------------------------------------------

    def conn(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10.0)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
            with self._lock:
                self._open.add(db)
        return db

    def close_thread_connection(self) -> None:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = None
            with self._lock:
                self._open.discard(db)
            db.close()

    def close(self) -> None:
        """Close every connection still open (call after the threads that used them have ended)."""
        self._local.db = None
        with self._lock:
            dbs, self._open = self._open, set()
        for db in dbs:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- terminals -----------------------------------------------------------------------------------------

    def register_terminal(self, terminal_id: str, token: str) -> None:
        digest = token_hash(token)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO terminals (id, token_sha256, registered_at) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET token_sha256 = excluded.token_sha256",
                (terminal_id, digest, now_iso()),
            )
        with self._lock:
            self._terminals[terminal_id] = digest

    def check_terminal(self, terminal_id: str, token: str) -> bool:
        expected = self._terminals.get(terminal_id)
        return expected is not None and hmac.compare_digest(expected, token_hash(token))

    # -- catalogue -----------------------------------------------------------------------------------------

    def catalog_version(self, db: sqlite3.Connection | None = None) -> int:
        row = (db or self.conn()).execute("SELECT value FROM meta WHERE key = 'catalog_version'").fetchone()
        return int(row[0])

    def seed_catalog(self, items: list[dict[str, Any]], version: int) -> bool:
        """Load a catalogue file into an empty catalogue; returns False (and changes nothing) otherwise."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM catalog_items LIMIT 1").fetchone() is not None:
                return False
            version = max(version, 1)
            db.executemany(
                "INSERT INTO catalog_items (code, item_json, version) VALUES (?, ?, ?)",
                [(item["code"], _dumps(item), version) for item in items],
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'catalog_version'", (str(version),))
        return True

    def publish_catalog(self, upsert: list[dict[str, Any]], delete: list[str]) -> int:
        with self.transaction() as db:
            version = self.catalog_version(db) + 1
            db.executemany(
                "INSERT INTO catalog_items (code, item_json, version) VALUES (?, ?, ?)"
                " ON CONFLICT (code) DO UPDATE SET item_json = excluded.item_json, version = excluded.version",
                [(item["code"], _dumps(item), version) for item in upsert],
            )
            db.executemany(
                "INSERT INTO catalog_items (code, item_json, version) VALUES (?, NULL, ?)"
                " ON CONFLICT (code) DO UPDATE SET item_json = NULL, version = excluded.version",
                [(code, version) for code in delete],
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'catalog_version'", (str(version),))
        return version

    def prune_catalog(self, through: int) -> int:
        """Forget the removals recorded at versions <= `through`; returns how many were forgotten.

        A client whose `since` is older than `through` can no longer be told what was removed: it gets
        the whole catalogue (`full`).
        """
        with self.transaction() as db:
            version = self.catalog_version(db)
            if not 0 <= through <= version:
                raise ApiError(
                    422, "validation_failed", "through: a version between 0 and the current one",
                    extra={"field": "through"},
                )
            pruned = db.execute(
                "DELETE FROM catalog_items WHERE item_json IS NULL AND version <= ?", (through,)
            ).rowcount
            db.execute(
                "UPDATE meta SET value = max(CAST(value AS INTEGER), ?) WHERE key = 'catalog_kept_from'", (through,)
            )
        return pruned

    def catalog_kept_from(self, db: sqlite3.Connection | None = None) -> int:
        row = (db or self.conn()).execute("SELECT value FROM meta WHERE key = 'catalog_kept_from'").fetchone()
        return int(row[0])

    def catalog_changes(self, since: int) -> dict[str, Any]:
        db = self.conn()
        db.execute("BEGIN")
        try:
            version = self.catalog_version(db)
            # Whole catalogue: asked for everything, asked from a version we never had (a restore), or
            # asked from before the oldest removal we still remember.
            full = since <= 0 or since > version or since < self.catalog_kept_from(db)
            after = 0 if full else since
            rows = db.execute(
                "SELECT code, item_json FROM catalog_items WHERE version > ? ORDER BY code", (after,)
            ).fetchall()
        finally:
            db.execute("COMMIT")
        items = [json.loads(item) for _, item in rows if item is not None]
        deleted = [] if full else [code for code, item in rows if item is None]
        return {"version": version, "full": full, "items": items, "deleted": deleted}

    # -- attachments ---------------------------------------------------------------------------------------

    def has_attachment(self, sha256: str) -> bool:
        return self.conn().execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def put_attachment(self, sha256: str, data: bytes, terminal_id: str) -> bool:
        """Store an attachment; False when it was already there."""
        if self.has_attachment(sha256):
            return False
        with self.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO attachments (sha256, size, data, terminal_id, stored_at) VALUES (?, ?, ?, ?, ?)",
                (sha256, len(data), data, terminal_id, now_iso()),
            )
            return cur.rowcount == 1

    # -- replays ------------------------------------------------------------------------------------------

    @staticmethod
    def _replayed(row: tuple[str, str] | None, body_sha256: str, terminal_id: str, what: str) -> bool:
        """True when `row` (stored body hash, terminal) is this very request again; None-row: not seen."""
        if row is None:
            return False
        if row[0] != body_sha256 or row[1] != terminal_id:
            raise ApiError(422, "idempotency_conflict", f"this {what} was used with a different body or terminal")
        return True

    def replay_submission(self, key: str, body_sha256: str, terminal_id: str) -> dict[str, Any] | None:
        """The stored answer when this key was stored with this body from this terminal; None if never stored."""
        row = (
            self.conn()
            .execute(
                "SELECT body_sha256, terminal_id, answer_json FROM submissions WHERE idempotency_key = ?", (key,)
            )
            .fetchone()
        )
        if not self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "Idempotency-Key"):
            return None
        answer: dict[str, Any] = json.loads(row[2])
        return answer

    def replay_rating(self, uuid: str, body_sha256: str, terminal_id: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute("SELECT body_sha256, terminal_id, case_no, received_at FROM ratings WHERE uuid = ?", (uuid,))
            .fetchone()
        )
        if not self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "rating uuid"):
            return None
        return {"uuid": uuid, "status": "recorded", "case_no": row[2], "received_at": row[3]}

    def replay_heartbeat(self, uuid: str, body_sha256: str, terminal_id: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute("SELECT body_sha256, terminal_id, received_at FROM heartbeats WHERE uuid = ?", (uuid,))
            .fetchone()
        )
        if not self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "heartbeat uuid"):
            return None
        return {"uuid": uuid, "received_at": row[2]}

    def check_supersedes(self, key: str, superseded: str, terminal_id: str) -> None:
        """`supersedes` may name a key never stored here; a stored one must be this terminal's, not `key`."""
        if superseded == key:
            raise ApiError(
                422, "validation_failed", "supersedes: names this submission itself", extra={"field": "supersedes"}
            )
        row = (
            self.conn()
            .execute("SELECT terminal_id FROM submissions WHERE idempotency_key = ?", (superseded,))
            .fetchone()
        )
        if row is not None and row[0] != terminal_id:
            raise ApiError(
                422, "validation_failed", "supersedes: a submission of another terminal",
                extra={"field": "supersedes"},
            )

    def missing_attachments(self, hashes: list[str]) -> list[str]:
        return self._missing_attachments(self.conn(), hashes)

    # -- submissions and cases -----------------------------------------------------------------------------

    def submit(
        self, key: str, body: dict[str, Any], body_sha256: str, terminal_id: str, attachments: list[str]
    ) -> tuple[bool, dict[str, Any]]:
        """Create the submission and its case, or answer a replay; returns (created, answer).

        The idempotency key is looked up and inserted in the same transaction that creates the case.
        """
        with self.transaction() as db:
            # Looked up again inside the transaction: another connection may have stored it meanwhile.
            row = db.execute(
                "SELECT body_sha256, terminal_id, answer_json FROM submissions WHERE idempotency_key = ?", (key,)
            ).fetchone()
            if self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "Idempotency-Key"):
                return False, json.loads(row[2])
            missing = self._missing_attachments(db, attachments)
            if missing:
                raise ApiError(
                    409,
                    "attachment_missing",
                    f"{len(missing)} referenced attachment(s) are not uploaded",
                    extra={"missing": missing},
                )
            received_at = now_iso()
            cur = db.execute(
                "INSERT INTO submissions (idempotency_key, body_sha256, terminal_id, service_code,"
                " local_receipt_no, body_json, answer_json, received_at) VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                (
                    key,
                    body_sha256,
                    terminal_id,
                    body["service_code"],
                    body["local_receipt_no"],
                    _dumps(body),
                    received_at,
                ),
            )
            submission_id = cur.lastrowid
            assert submission_id is not None
            case_no = f"RP{received_at[:10].replace('-', '')}{submission_id:08d}"
            answer = {
                "case_no": case_no,
                "status": "received",
                "received_at": received_at,
                "local_receipt_no": body["local_receipt_no"],
            }
            db.execute("UPDATE submissions SET answer_json = ? WHERE id = ?", (_dumps(answer), submission_id))
            db.execute(
                "INSERT INTO cases (case_no, submission_id, local_receipt_no, service_code, status,"
                " received_at, updated_at) VALUES (?, ?, ?, ?, 'received', ?, ?)",
                (case_no, submission_id, body["local_receipt_no"], body["service_code"], received_at, received_at),
            )
            db.execute(
                "INSERT INTO case_history (case_no, status, at, note) VALUES (?, 'received', ?, '')",
                (case_no, received_at),
            )
            # A rating made offline names the local receipt number: tie it to the case now.
            db.execute(
                "UPDATE ratings SET case_no = ? WHERE case_no IS NULL AND reference = ?",
                (case_no, body["local_receipt_no"]),
            )
            return True, answer

    @staticmethod
    def _missing_attachments(db: sqlite3.Connection, hashes: list[str]) -> list[str]:
        if not hashes:
            return []
        marks = ",".join("?" * len(hashes))
        present = {r[0] for r in db.execute(f"SELECT sha256 FROM attachments WHERE sha256 IN ({marks})", hashes)}
        return [h for h in hashes if h not in present]

    def _find_case(self, db: sqlite3.Connection, number: str) -> str | None:
        row = db.execute("SELECT case_no FROM cases WHERE case_no = ?", (number,)).fetchone()
        if row is None:
            # A local receipt number: the latest case made from it (a superseding submission may reuse it).
            row = db.execute(
                "SELECT case_no FROM cases WHERE local_receipt_no = ? ORDER BY received_at DESC, rowid DESC LIMIT 1",
                (number,),
            ).fetchone()
        return None if row is None else str(row[0])

    def _case(self, db: sqlite3.Connection, case_no: str) -> dict[str, Any]:
        no, receipt, service, status, received_at, updated_at = db.execute(
            "SELECT case_no, local_receipt_no, service_code, status, received_at, updated_at FROM cases"
            " WHERE case_no = ?",
            (case_no,),
        ).fetchone()
        history = [
            {"status": s, "at": at, "note": note}
            for s, at, note in db.execute(
                "SELECT status, at, note FROM case_history WHERE case_no = ? ORDER BY id", (case_no,)
            )
        ]
        return {
            "case_no": no,
            "local_receipt_no": receipt,
            "service_code": service,
            "status": status,
            "received_at": received_at,
            "updated_at": updated_at,
            "history": history,
        }

    def get_case(self, number: str) -> dict[str, Any] | None:
        db = self.conn()
        db.execute("BEGIN")
        try:
            case_no = self._find_case(db, number)
            return None if case_no is None else self._case(db, case_no)
        finally:
            db.execute("COMMIT")

    def advance_case(self, number: str, status: str, note: str) -> dict[str, Any]:
        if status not in CASE_STATUSES:
            raise ApiError(422, "validation_failed", "status: unknown case status", extra={"field": "status"})
        with self.transaction() as db:
            case_no = self._find_case(db, number)
            if case_no is None:
                raise ApiError(404, "case_not_found", "no case with this number")
            current = db.execute("SELECT status FROM cases WHERE case_no = ?", (case_no,)).fetchone()[0]
            allowed = current not in FINAL_CASE_STATUSES and (
                status == "rejected" or CASE_STATUS_RANK[status] > CASE_STATUS_RANK[current]
            )
            if not allowed:
                raise ApiError(409, "invalid_transition", f"a {current} case cannot become {status}")
            at = now_iso()
            db.execute("UPDATE cases SET status = ?, updated_at = ? WHERE case_no = ?", (status, at, case_no))
            db.execute(
                "INSERT INTO case_history (case_no, status, at, note) VALUES (?, ?, ?, ?)",
                (case_no, status, at, note),
            )
            return self._case(db, case_no)

    def submission(self, key: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute("SELECT body_json, answer_json FROM submissions WHERE idempotency_key = ?", (key,))
            .fetchone()
        )
        return None if row is None else {"body": json.loads(row[0]), "answer": json.loads(row[1])}

    # -- ratings and heartbeats ----------------------------------------------------------------------------

    def record_rating(
        self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str
    ) -> tuple[bool, dict[str, Any]]:
        with self.transaction() as db:
            row = db.execute(
                "SELECT body_sha256, terminal_id, case_no, received_at FROM ratings WHERE uuid = ?", (uuid,)
            ).fetchone()
            if self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "rating uuid"):
                return False, {"uuid": uuid, "status": "recorded", "case_no": row[2], "received_at": row[3]}
            reference = body.get("reference")
            case_no = None if reference is None else self._find_case(db, reference)
            received_at = now_iso()
            db.execute(
                "INSERT INTO ratings (uuid, body_sha256, terminal_id, reference, case_no, grade, channel,"
                " body_json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uuid,
                    body_sha256,
                    terminal_id,
                    reference,
                    case_no,
                    body["grade"],
                    body["channel"],
                    _dumps(body),
                    received_at,
                ),
            )
            return True, {"uuid": uuid, "status": "recorded", "case_no": case_no, "received_at": received_at}

    def rating(self, uuid: str) -> dict[str, Any] | None:
        row = self.conn().execute("SELECT body_json, case_no FROM ratings WHERE uuid = ?", (uuid,)).fetchone()
        return None if row is None else {"body": json.loads(row[0]), "case_no": row[1]}

    def record_heartbeat(
        self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str
    ) -> tuple[bool, dict[str, Any]]:
        with self.transaction() as db:
            row = db.execute(
                "SELECT body_sha256, terminal_id, received_at FROM heartbeats WHERE uuid = ?", (uuid,)
            ).fetchone()
            if self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "heartbeat uuid"):
                return False, {"uuid": uuid, "received_at": row[2]}
            received_at = now_iso()
            db.execute(
                "INSERT INTO heartbeats (uuid, body_sha256, terminal_id, body_json, received_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (uuid, body_sha256, terminal_id, _dumps(body), received_at),
            )
            return True, {"uuid": uuid, "received_at": received_at}

    def last_heartbeat(self, terminal_id: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute(
                "SELECT body_json, received_at FROM heartbeats WHERE terminal_id = ? ORDER BY received_at DESC,"
                " rowid DESC LIMIT 1",
                (terminal_id,),
            )
            .fetchone()
        )
        return None if row is None else {"body": json.loads(row[0]), "received_at": row[1]}

    # -- electronic licences and certificates --------------------------------------------------------------

    def seed_licences(
        self, holders: dict[str, str], licences: list[dict[str, Any]], offers: dict[str, tuple[str, ...]]
    ) -> None:
        """Add the sample holders, licences and certificate offers that are not there yet."""
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO holders (id_number, name) VALUES (?, ?)", holders.items())
            db.executemany(
                "INSERT OR IGNORE INTO licences (licence_id, holder_id_number, type_code, issuer_code, meta_json,"
                " original_format, has_pdf) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (lic["meta"]["licence_id"], lic["meta"]["holder"]["id_number"], lic["meta"]["type_code"],
                     lic["meta"]["issuer"]["code"], _dumps(lic["meta"]), lic["original_format"], int(lic["has_pdf"]))
                    for lic in licences
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO certificate_offers (holder_id_number, type_code) VALUES (?, ?)",
                [(holder, code) for holder, codes in offers.items() for code in codes],
            )

    def holder_name(self, id_number: str) -> str | None:
        row = self.conn().execute("SELECT name FROM holders WHERE id_number = ?", (id_number,)).fetchone()
        return None if row is None else str(row[0])

    def licence_rows(self, *, holder: str | None = None, licence_id: str | None = None) -> list[dict[str, Any]]:
        """Licences of a holder (ordered as the query answers), or the one with `licence_id`."""
        where, params = ("licence_id = ?", (licence_id,)) if licence_id is not None else (
            "holder_id_number = ?", (holder,))
        rows = self.conn().execute(
            "SELECT meta_json, original_format, has_pdf FROM licences"
            f" WHERE {where} ORDER BY type_code, json_extract(meta_json, '$.issued_on') DESC, licence_id",
            params,
        ).fetchall()
        return [
            {"meta": json.loads(meta), "original_format": fmt, "has_pdf": bool(has_pdf)} for meta, fmt, has_pdf in rows
        ]

    def licence_pdf(self, licence_id: str) -> bytes | None:
        row = self.conn().execute("SELECT pdf FROM licences WHERE licence_id = ?", (licence_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def put_licence_pdf(self, licence_id: str, pdf: bytes) -> None:
        """Keep a licence's signed PDF; the first one stored stays (two requests may have made one each)."""
        with self.transaction() as db:
            db.execute("UPDATE licences SET pdf = ? WHERE licence_id = ? AND pdf IS NULL", (pdf, licence_id))

    def consent(self, consent_id: str, db: sqlite3.Connection | None = None) -> dict[str, Any] | None:
        row = (db or self.conn()).execute(
            "SELECT body_sha256, holder_id_number, body_json FROM consents WHERE id = ?", (consent_id,)
        ).fetchone()
        if row is None:
            return None
        return {"body_sha256": row[0], "holder": row[1], "body": json.loads(row[2])}

    def check_consent(self, consent: dict[str, Any], holder: str, db: sqlite3.Connection | None = None) -> None:
        """`422 consent_mismatch` when this consent's id was stored with another consent or another holder."""
        stored = self.consent(consent["id"].lower(), db)
        if stored is not None and (stored["body_sha256"] != consent_hash(consent) or stored["holder"] != holder):
            raise ApiError(422, "consent_mismatch", "this consent id was given before with another consent or holder")

    def store_consent(self, db: sqlite3.Connection, consent: dict[str, Any], holder: str, terminal_id: str) -> None:
        """Inside a transaction: store a consent seen for the first time (checked again: a concurrent request
        may have stored its id meanwhile)."""
        self.check_consent(consent, holder, db)
        db.execute(
            "INSERT OR IGNORE INTO consents (id, body_sha256, holder_id_number, terminal_id, body_json, stored_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (consent["id"].lower(), consent_hash(consent), holder, terminal_id, _dumps(consent), now_iso()),
        )

    def keep_consent(self, consent: dict[str, Any], holder: str, terminal_id: str) -> None:
        with self.transaction() as db:
            self.store_consent(db, consent, holder, terminal_id)

    def offered_types(self, holder: str) -> list[str]:
        return [
            row[0]
            for row in self.conn().execute(
                "SELECT type_code FROM certificate_offers WHERE holder_id_number = ? ORDER BY type_code", (holder,)
            )
        ]

    def replay_licence_use(self, uuid: str, body_sha256: str, terminal_id: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute("SELECT body_sha256, terminal_id, recorded_at FROM licence_uses WHERE uuid = ?", (uuid,))
            .fetchone()
        )
        if not self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "licence use uuid"):
            return None
        return {"uuid": uuid, "recorded_at": row[2]}

    def record_licence_use(
        self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str
    ) -> tuple[bool, dict[str, Any]]:
        with self.transaction() as db:
            row = db.execute(
                "SELECT body_sha256, terminal_id, recorded_at FROM licence_uses WHERE uuid = ?", (uuid,)
            ).fetchone()
            if self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "licence use uuid"):
                return False, {"uuid": uuid, "recorded_at": row[2]}
            recorded_at = now_iso()
            db.execute(
                "INSERT INTO licence_uses (uuid, body_sha256, terminal_id, licence_id, consent_id, body_json,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uuid, body_sha256, terminal_id, body["licence_id"], body["consent_id"].lower(), _dumps(body),
                 recorded_at),
            )
            return True, {"uuid": uuid, "recorded_at": recorded_at}

    def licence_use(self, uuid: str) -> dict[str, Any] | None:
        row = self.conn().execute(
            "SELECT body_json, recorded_at FROM licence_uses WHERE uuid = ?", (uuid,)
        ).fetchone()
        return None if row is None else {"body": json.loads(row[0]), "recorded_at": row[1]}

    def replay_certificate(self, uuid: str, body_sha256: str, terminal_id: str) -> dict[str, Any] | None:
        row = (
            self.conn()
            .execute("SELECT body_sha256, terminal_id, answer_json FROM certificates WHERE uuid = ?", (uuid,))
            .fetchone()
        )
        if not self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "certificate uuid"):
            return None
        answer: dict[str, Any] = json.loads(row[2])
        return answer

    def next_certificate_seq(self) -> int:
        """A new certificate serial number; never issued twice, even when its request is then refused."""
        with self.transaction() as db:
            row = db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'certificate_seq' RETURNING value"
            ).fetchone()
        return int(row[0])

    def issue_certificate(
        self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str, answer: dict[str, Any]
    ) -> tuple[bool, dict[str, Any]]:
        """Store an issued certificate with its consent; a concurrent request with the same uuid wins the race."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT body_sha256, terminal_id, answer_json FROM certificates WHERE uuid = ?", (uuid,)
            ).fetchone()
            if self._replayed(None if row is None else row[:2], body_sha256, terminal_id, "certificate uuid"):
                return False, json.loads(row[2])
            holder = body["holder"]["id_number"]
            self.store_consent(db, body["consent"], holder, terminal_id)
            db.execute(
                "INSERT INTO certificates (uuid, body_sha256, terminal_id, certificate_id, holder_id_number,"
                " type_code, answer_json, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (uuid, body_sha256, terminal_id, answer["certificate"]["certificate_id"], holder, body["type_code"],
                 _dumps(answer), now_iso()),
            )
            return True, answer

    def certificate(self, uuid: str) -> dict[str, Any] | None:
        row = self.conn().execute(
            "SELECT answer_json, terminal_id, issued_at FROM certificates WHERE uuid = ?", (uuid,)
        ).fetchone()
        if row is None:
            return None
        return {"answer": json.loads(row[0]), "terminal_id": row[1], "issued_at": row[2]}

    # -- counters ------------------------------------------------------------------------------------------

    def stats(self, *, per_key: bool) -> dict[str, Any]:
        db = self.conn()
        db.execute("BEGIN")
        try:
            counts = {
                table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in (
                    "submissions", "cases", "ratings", "attachments", "heartbeats", "consents", "licence_uses",
                    "certificates",
                )
            }
            # Untied: waiting for the submission their reference names; a rating without one never ties.
            counts["ratings_untied"] = db.execute(
                "SELECT COUNT(*) FROM ratings WHERE case_no IS NULL AND reference IS NOT NULL"
            ).fetchone()[0]
            per = db.execute(
                "SELECT s.idempotency_key, COUNT(c.case_no) FROM submissions s"
                " LEFT JOIN cases c ON c.submission_id = s.id GROUP BY s.id"
            ).fetchall()
        finally:
            db.execute("COMMIT")
        cases_per_key = dict(per)
        counts["idempotency"] = {
            "keys": len(cases_per_key),
            "min_cases_per_key": min(cases_per_key.values(), default=1),
            "max_cases_per_key": max(cases_per_key.values(), default=1),
            "keys_without_exactly_one_case": sorted(k for k, n in cases_per_key.items() if n != 1),
        }
        if per_key:
            counts["idempotency"]["cases_per_key"] = cases_per_key
        return counts
