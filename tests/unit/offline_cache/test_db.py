"""Connection settings, transactions, per-thread connections and typed SQLite failures."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from offline_cache.db import Database
from offline_cache.errors import CorruptDatabaseError, DiskFullError, ReadOnlyDatabaseError


def test_connection_settings(db: Database) -> None:
    conn = db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600


def test_one_connection_per_thread(db: Database) -> None:
    found: list[sqlite3.Connection] = []
    worker = threading.Thread(target=lambda: found.append(db.connection()))
    worker.start()
    worker.join()
    assert found[0] is not db.connection()
    assert db.connection() is db.connection()


def test_transaction_commits_or_rolls_back(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT INTO kv VALUES ('a', '1')")

    def fail_after(conn_: Database, key: str) -> None:
        with conn_.transaction() as tx:
            tx.execute("INSERT INTO kv VALUES (?, '2')", (key,))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_after(db, "b")
    with db.transaction():
        # Nested: only the inner savepoint is rolled back.
        with pytest.raises(RuntimeError):
            fail_after(db, "c")
        db.connection().execute("INSERT INTO kv VALUES ('d', '4')")
    keys = [row[0] for row in db.connection().execute("SELECT key FROM kv ORDER BY key")]
    assert keys == ["a", "d"]


def test_disk_full_is_a_typed_error(db: Database) -> None:
    conn = db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFullError, match="full"), db.transaction() as tx:
        tx.execute("INSERT INTO kv VALUES ('big', ?)", ("x" * 200_000,))


def test_read_only_is_a_typed_error(db: Database) -> None:
    db.connection().execute("PRAGMA query_only = 1")
    with pytest.raises(ReadOnlyDatabaseError, match="read-only"), db.transaction() as tx:
        tx.execute("INSERT INTO kv VALUES ('a', '1')")


def test_corrupt_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not a database file at all " * 200)
    with pytest.raises(CorruptDatabaseError, match="corrupt"):
        Database(path)
