"""The one SQLite database file: connection settings, one connection per thread, transactions.

Settings and why:

* WAL, so the UI's searches read a consistent snapshot while the sync thread writes;
* synchronous=FULL, so a commit is on disk when it returns: the outbox tells a resident "submitted"
  only after its commit (perf-baselines row 8: about 0.1 ms per small commit here, 1.6× NORMAL);
* foreign_keys=ON and busy_timeout, so a second writer waits instead of failing at once;
* secure_delete=FAST, so purged ciphertext does not linger in pages that are rewritten anyway.

Any thread may use a `Database`: each thread gets its own connection on first use (sqlite3
connections must not be shared between threads that run at the same time). A worker thread that
ends should call `close_thread_connection()`; `close()` closes the rest at shutdown.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from offline_cache import migrations
from offline_cache.errors import CacheError, DatabaseError, translate_sqlite_error

_log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_MS = 5000


class Database:
    """Owns the database file and the per-thread connections to it.

    Opening runs the migrations forward (see `migrations.py`); a file written by a newer release
    raises `SchemaTooNewError`. All reads and writes go through `read()` or `transaction()`, which
    translate SQLite failures into `offline_cache.errors` classes.
    """

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._create_private_file()
        conn = self.connection()
        try:
            migrations.migrate(conn)
        except sqlite3.Error as exc:
            self.close()
            raise translate_sqlite_error(exc, f"migrating {self.path}") from exc
        except CacheError:
            self.close()
            raise

    def _create_private_file(self) -> None:
        # SQLite gives -wal and -shm the database file's mode, so creating it 0600 keeps all three
        # private to the kiosk user (the outbox is encrypted, but metadata is still nobody's business).
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise DatabaseError(f"cannot create database file {self.path}: {exc.strerror}") from exc
        os.close(fd)

    # --- connections -------------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use. Prefer `read()` / `transaction()`."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise CacheError(f"database {self.path} is closed")
        try:
            conn = self._open_connection()
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, f"opening {self.path}") from exc
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    def _open_connection(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (the module's implicit transactions
        # would start deferred transactions that can fail with BUSY half-way through a write).
        # check_same_thread=False only so that close() at shutdown may close other threads'
        # connections; each connection is otherwise used by its own thread only.
        conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseError(f"{self.path}: the file system does not support WAL (got {mode!r})")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            conn.execute("PRAGMA secure_delete=FAST")
            conn.execute("PRAGMA trusted_schema=OFF")
        except BaseException:
            conn.close()
            raise
        return conn

    def close_thread_connection(self) -> None:
        """Close the calling thread's connection (call when a worker thread finishes)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        conn.close()

    def close(self) -> None:
        """Close every connection. Call once at shutdown, after the worker threads have stopped."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        self._local.conn = None
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    # --- transactions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE): committed on normal exit, rolled back on error.

        When it returns, the commit is durable (synchronous=FULL). Nested use on one thread becomes
        a savepoint of the outer transaction.
        """
        conn = self.connection()
        if conn.in_transaction:
            with self._savepoint(conn):
                yield conn
            return
        with _committed(conn, "BEGIN IMMEDIATE", "begin write"):
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot, writers are not blocked."""
        conn = self.connection()
        if conn.in_transaction:
            try:
                yield conn
            except sqlite3.Error as exc:
                raise translate_sqlite_error(exc) from exc
            return
        with _committed(conn, "BEGIN DEFERRED"):
            yield conn

    @contextlib.contextmanager
    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0) + 1
        self._local.depth = depth
        name = f"sp{depth}"
        try:
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc) from exc
        finally:
            self._local.depth = depth - 1

    @contextlib.contextmanager
    def secure_delete(self) -> Iterator[None]:
        """Zero every freed page (overflow pages of big blobs too) while the block runs (purges)."""
        conn = self.connection()
        try:
            conn.execute("PRAGMA secure_delete=ON")
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc) from exc
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA secure_delete=FAST")

    def checkpoint(self) -> None:
        """Copy the WAL into the main file and truncate it (after a purge, so old pages go too)."""
        try:
            self.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, "checkpoint") from exc


@contextlib.contextmanager
def _committed(conn: sqlite3.Connection, begin: str, begin_where: str = "") -> Iterator[None]:
    """Begins with `begin`, commits when the body returns, rolls back when it raises; SQLite's errors come
    out as `DatabaseError`s."""
    try:
        conn.execute(begin)
    except sqlite3.Error as exc:
        raise translate_sqlite_error(exc, begin_where) from exc
    try:
        yield
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise translate_sqlite_error(exc) from exc
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); a failing rollback
    # must not hide the error that caused it.
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
