"""Key/value rows (JSON values) shared by the catalogue, the sync state and the key check."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

# Keys written by more than one module are named here so that they cannot drift apart.
CATALOG_VERSION = "catalog.version"
CATALOG_SAMPLE = "catalog.sample"
SEQ_IN_CODE_ORDER = "catalog.seq_in_code_order"
KEY_ID = "crypto.key_id"


def get(conn: sqlite3.Connection, key: str) -> Any:
    """The stored value, or None when the key was never set."""
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM kv WHERE key = ?", (key,))
