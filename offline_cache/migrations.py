"""Versioned schema migrations, run forward when the database is opened.

The schema version is SQLite's `PRAGMA user_version`. Each migration runs in its own write
transaction together with the version bump, so a crash or a full disk leaves the file at the
previous version, never half-migrated. A migration is never edited once released: later changes
are new migrations (the test suite builds a version-1 file by hand and opens it with current code).

1. catalogue items with their precomputed pinyin, and the key/value table;
2. the search tables (trigram and bigram FTS5), filled from the existing items;
3. outbox, attachments, receipt counter and the case-status cache;
4. `outbox_item.sealed_fields`: an item's fields sealed like its personal part, since they hold what the
   resident typed (a rating's comment, a business name). Rows stored in clear before it are sealed by
   `Outbox` when it opens (this step has no key).
5. a fourth outbox kind, `licence_use` (用证记录, docs/platform-api.md): the outbox table is built anew with it
   in its CHECK constraint, rows and attachment links copied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from offline_cache import search_index
from offline_cache.errors import DatabaseError, MigrationError, SchemaTooNewError, translate_sqlite_error


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not conn.executescript(): it COMMITs a pending transaction first, which would split a
    # migration from its version bump.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise MigrationError(f"incomplete statement in migration script: {statement.strip()[:60]!r}")


def _v1_catalog(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- key orders items by popularity (descending), then insertion order (see catalog.py)
        CREATE TABLE catalog_item (
            key INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            seq INTEGER NOT NULL UNIQUE,
            name TEXT NOT NULL,
            department TEXT NOT NULL,
            category TEXT NOT NULL,
            audience TEXT NOT NULL,
            popularity INTEGER NOT NULL,
            name_norm TEXT NOT NULL,
            name_pinyin TEXT NOT NULL,
            name_initials TEXT NOT NULL,
            other_norm TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX catalog_item_department ON catalog_item (department, key);
        CREATE INDEX catalog_item_category ON catalog_item (category, key);
        CREATE INDEX catalog_item_name ON catalog_item (name_norm);
        CREATE INDEX catalog_item_pinyin ON catalog_item (name_pinyin);
        CREATE INDEX catalog_item_initials ON catalog_item (name_initials);
        CREATE TABLE kv (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """
    )


def _v2_search(conn: sqlite3.Connection) -> None:
    # Contentless tables: the text already lives in catalog_item, and only rowids come back.
    # Queries of 3+ characters use the trigram tables; 1-2 characters the bigram tables, because
    # SQLite 3.40.1 returns no rows for short LIKE patterns on a trigram table (perf row 3).
    trigram = "tokenize = 'trigram', content = '', columnsize = 0"
    bigram = (
        "tokenize = \"unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co'\", "
        "content = '', columnsize = 0, prefix = '1'"
    )
    for statement in (
        f"CREATE VIRTUAL TABLE search_tri USING fts5(name, py, ini, {trigram})",
        f"CREATE VIRTUAL TABLE search_bi USING fts5(name, py, ini, {bigram})",
        f"CREATE VIRTUAL TABLE search_other_tri USING fts5(other, {trigram})",
        f"CREATE VIRTUAL TABLE search_other_bi USING fts5(other, {bigram})",
    ):
        conn.execute(statement)
    rows = conn.execute(
        "SELECT key, name_norm, name_pinyin, name_initials, other_norm FROM catalog_item"
    ).fetchall()
    search_index.index_rows(conn, [search_index.IndexRow(*row) for row in rows])


def _v3_outbox(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE receipt_counter (
            terminal_id TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE outbox_item (
            uuid TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('submission', 'rating', 'heartbeat')),
            state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'rejected')),
            created_at INTEGER NOT NULL,
            state_changed_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at INTEGER NOT NULL,
            receipt_no TEXT NOT NULL UNIQUE,
            supersedes TEXT REFERENCES outbox_item (uuid),
            service_code TEXT,
            fields TEXT,
            sealed_personal BLOB,
            case_no TEXT,
            sealed_answer BLOB,
            accepted_at INTEGER,
            rated_receipt_no TEXT,
            rated_case_no TEXT,
            purged_at INTEGER
        );
        CREATE INDEX outbox_item_due ON outbox_item (state, seq);
        CREATE INDEX outbox_item_case ON outbox_item (case_no) WHERE case_no IS NOT NULL;
        CREATE INDEX outbox_item_rated ON outbox_item (rated_receipt_no) WHERE rated_receipt_no IS NOT NULL;
        CREATE INDEX outbox_item_supersedes ON outbox_item (supersedes) WHERE supersedes IS NOT NULL;
        CREATE TABLE attachment (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            sealed BLOB NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE outbox_attachment (
            item_uuid TEXT NOT NULL REFERENCES outbox_item (uuid) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment (sha256),
            device TEXT NOT NULL,
            captured_at INTEGER NOT NULL,
            identified_by_card INTEGER NOT NULL,
            PRIMARY KEY (item_uuid, position)
        ) WITHOUT ROWID;
        CREATE INDEX outbox_attachment_sha ON outbox_attachment (sha256);
        CREATE TABLE case_status (
            case_no TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )


def _v4_sealed_fields(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE outbox_item ADD COLUMN sealed_fields BLOB")


_OUTBOX_COLUMNS = (
    "uuid, seq, kind, state, created_at, state_changed_at, attempts, last_error, next_attempt_at, receipt_no, "
    "supersedes, service_code, fields, sealed_personal, case_no, sealed_answer, accepted_at, rated_receipt_no, "
    "rated_case_no, purged_at, sealed_fields"
)


def _v5_licence_use(conn: sqlite3.Connection) -> None:
    # SQLite cannot change a CHECK constraint in place: build the table anew and copy the rows. Foreign keys stay
    # on. The new table refers to itself under its temporary name (RENAME rewrites that to `outbox_item`), the
    # attachment links are set aside before the old table is dropped (so nothing cascades), and the remaining
    # checks are deferred to the commit, when every reference resolves to the new table.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    _run_script(
        conn,
        f"""
        CREATE TABLE outbox_item_v5 (
            uuid TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('submission', 'rating', 'heartbeat', 'licence_use')),
            state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'rejected')),
            created_at INTEGER NOT NULL,
            state_changed_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at INTEGER NOT NULL,
            receipt_no TEXT NOT NULL UNIQUE,
            supersedes TEXT REFERENCES outbox_item_v5 (uuid),
            service_code TEXT,
            fields TEXT,
            sealed_personal BLOB,
            case_no TEXT,
            sealed_answer BLOB,
            accepted_at INTEGER,
            rated_receipt_no TEXT,
            rated_case_no TEXT,
            purged_at INTEGER,
            sealed_fields BLOB
        );
        INSERT INTO outbox_item_v5 ({_OUTBOX_COLUMNS}) SELECT {_OUTBOX_COLUMNS} FROM outbox_item ORDER BY seq;
        CREATE TEMP TABLE outbox_attachment_v4 AS SELECT * FROM outbox_attachment;
        DROP TABLE outbox_attachment;
        DROP TABLE outbox_item;
        ALTER TABLE outbox_item_v5 RENAME TO outbox_item;
        CREATE TABLE outbox_attachment (
            item_uuid TEXT NOT NULL REFERENCES outbox_item (uuid) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment (sha256),
            device TEXT NOT NULL,
            captured_at INTEGER NOT NULL,
            identified_by_card INTEGER NOT NULL,
            PRIMARY KEY (item_uuid, position)
        ) WITHOUT ROWID;
        INSERT INTO outbox_attachment (item_uuid, position, sha256, device, captured_at, identified_by_card)
            SELECT item_uuid, position, sha256, device, captured_at, identified_by_card FROM temp.outbox_attachment_v4;
        DROP TABLE temp.outbox_attachment_v4;
        CREATE INDEX outbox_item_due ON outbox_item (state, seq);
        CREATE INDEX outbox_item_case ON outbox_item (case_no) WHERE case_no IS NOT NULL;
        CREATE INDEX outbox_item_rated ON outbox_item (rated_receipt_no) WHERE rated_receipt_no IS NOT NULL;
        CREATE INDEX outbox_item_supersedes ON outbox_item (supersedes) WHERE supersedes IS NOT NULL;
        CREATE INDEX outbox_attachment_sha ON outbox_attachment (sha256);
        """,
    )
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise MigrationError(f"rebuilding the outbox would break {len(broken)} reference(s); nothing was changed")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_catalog, _v2_search, _v3_outbox, _v4_sealed_fields, _v5_licence_use,
)
"""MIGRATIONS[i] takes a database from version i to version i + 1."""

CURRENT_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database on `conn` up to `CURRENT_VERSION`; return the version it had before.

    Safe to run from several processes at once: each step re-reads the version inside its own
    BEGIN IMMEDIATE, so a step that another process already applied is skipped.
    """
    found = schema_version(conn)
    if found > CURRENT_VERSION:
        raise SchemaTooNewError(
            f"database schema version {found} is newer than this release understands ({CURRENT_VERSION}); "
            "refusing to open it"
        )
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            if version >= CURRENT_VERSION:
                conn.execute("COMMIT")
                return found
            step = MIGRATIONS[version]
            try:
                step(conn)
            except sqlite3.Error as exc:
                known = translate_sqlite_error(exc, f"migration {version} → {version + 1}")
                if type(known) is DatabaseError:
                    raise MigrationError(f"migration {version} → {version + 1} failed: {exc}") from exc
                raise known from exc
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
