"""One object that opens the whole offline cache in a data directory (what `kiosk` uses).

Layout of the data directory: ``kiosk.db`` (+ ``-wal``/``-shm``), all modes 0600, and
``outbox.key``, the AES key, mode 0600. The directory is created 0700 if it does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from offline_cache.catalog import Catalog
from offline_cache.crypto import Sealer
from offline_cache.db import Database
from offline_cache.errors import CacheError
from offline_cache.outbox import Outbox
from offline_cache.search import Search
from offline_cache.sync_state import SyncState
from offline_cache.timeutil import utc_now

DB_FILE = "kiosk.db"
KEY_FILE = "outbox.key"


@dataclass(frozen=True, slots=True)
class OfflineCache:
    """The store's parts over one database. Every part may be used from any thread (see each)."""

    db: Database
    catalog: Catalog
    search: Search
    outbox: Outbox
    sync_state: SyncState

    @classmethod
    def open(
        cls, data_dir: Path | str, *, terminal_id: str, clock: Callable[[], datetime] = utc_now
    ) -> OfflineCache:
        """Open (creating and migrating as needed) the cache in `data_dir`."""
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(f"cannot create data directory {data_dir}: {exc.strerror}") from exc
        if not os.access(data_dir, os.W_OK):
            raise CacheError(f"data directory {data_dir} is not writable by the kiosk user")
        sealer = Sealer.from_key_file(data_dir / KEY_FILE)
        db = Database(data_dir / DB_FILE)
        try:
            outbox = Outbox(db, sealer, terminal_id, clock=clock)
        except BaseException:
            db.close()
            raise
        return cls(db, Catalog(db), Search(db), outbox, SyncState(db))

    def close(self) -> None:
        """Close every connection; call at shutdown after the worker threads have stopped."""
        self.db.close()
