"""Migrations run forward on open; a hand-built version-1 file keeps its data."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from offline_cache import migrations
from offline_cache.catalog import Catalog, rank_key
from offline_cache.crypto import Sealer
from offline_cache.db import Database
from offline_cache.errors import SchemaTooNewError
from offline_cache.outbox import Outbox
from offline_cache.search import Search
from tests.unit.offline_cache.factories import catalogue, make_item

# Version 1 exactly as released: written out here, not imported, so later edits cannot change it.
V1_SCHEMA = """
CREATE TABLE catalog_item (
    key INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL UNIQUE, name TEXT NOT NULL,
    department TEXT NOT NULL, category TEXT NOT NULL, audience TEXT NOT NULL, popularity INTEGER NOT NULL,
    name_norm TEXT NOT NULL, name_pinyin TEXT NOT NULL, name_initials TEXT NOT NULL, other_norm TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX catalog_item_department ON catalog_item (department, key);
CREATE INDEX catalog_item_category ON catalog_item (category, key);
CREATE INDEX catalog_item_name ON catalog_item (name_norm);
CREATE INDEX catalog_item_pinyin ON catalog_item (name_pinyin);
CREATE INDEX catalog_item_initials ON catalog_item (name_initials);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
PRAGMA user_version = 1;
"""

V1_ROWS = [
    # code, seq, name, popularity, pinyin, initials, other (wrapped department, category)
    ("GA-1", 1, "港澳通行证", 30, "gangaotongxingzheng", "gatxz", "\ue000公安局\ue001\ue000出入境\ue001"),
    ("GA-2", 2, "居民身份证换领", 50, "juminshenfenzhenghuanling", "jmsfzhl", "\ue000公安局\ue001\ue000户籍\ue001"),
]


def build_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    for code, seq, name, popularity, pinyin, initials, other in V1_ROWS:
        doc = make_item(code, name, popularity)
        conn.execute(
            "INSERT INTO catalog_item VALUES (?, ?, ?, ?, '公安局', '户籍', 'personal', ?, ?, ?, ?, ?, ?)",
            (rank_key(popularity, seq), code, seq, name, popularity, name, pinyin, initials, other,
             json.dumps(doc, ensure_ascii=False)),
        )
    conn.execute("INSERT INTO kv VALUES ('catalog.version', '7')")
    conn.commit()
    conn.close()


def test_version_1_file_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    build_v1(path)
    db = Database(path)
    try:
        conn = db.connection()
        assert migrations.schema_version(conn) == migrations.CURRENT_VERSION
        catalog = Catalog(db)
        assert catalog.version() == 7
        assert catalog.get("GA-1") is not None
        assert catalog.get("GA-1").name == "港澳通行证"
        search = Search(db)
        # Version 2 indexed the existing rows.
        assert [h.code for h in search.search("gatxz")] == ["GA-1"]
        assert [h.code for h in search.search("港澳")] == ["GA-1"]
        assert [h.code for h in search.search("身份证")] == ["GA-2"]
        assert [h.code for h in search.search("出入境")] == ["GA-1"]
        # Version 3 added a working outbox.
        outbox = Outbox(db, Sealer(b"k" * 32), "T0001")
        assert outbox.add_heartbeat({}).receipt_no == "T0001-000001"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"outbox_item", "attachment", "outbox_attachment", "receipt_counter", "case_status"} <= tables
        # Without the code-order flag (v1 never wrote it) search takes the exact tie-breaking path.
        assert catalog.apply_increment({"version": 8, "items": [make_item("GA-0", "港澳台", 30)]})
        assert [h.code for h in search.search("港澳")] == ["GA-0", "GA-1"]
    finally:
        db.close()


def test_migrations_are_idempotent_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    Database(path).close()
    db = Database(path)
    try:
        assert migrations.migrate(db.connection()) == migrations.CURRENT_VERSION
    finally:
        db.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.CURRENT_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer"):
        Database(path)


def test_failed_migration_leaves_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kiosk.db"
    build_v1(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS[:1], broken))
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    with pytest.raises(migrations.MigrationError, match="1 → 2"):
        Database(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM catalog_item").fetchone()[0] == 2
    conn.close()


def _schema(conn: sqlite3.Connection, pattern: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE name GLOB ? AND sql IS NOT NULL ORDER BY name", (pattern,)
    ).fetchall()
    # ALTER TABLE ... RENAME quotes the new name; whitespace is not significant. FTS5 shadow tables
    # follow from their virtual table's definition.
    rows = [(name, sql) for name, sql in rows if not re.search(r"_(data|idx|config|docsize|content)$", name)]
    return [(name, re.sub(r"\s+", " ", sql.replace('"', "")).replace("( ", "(").replace(" )", ")"))
            for name, sql in rows]


def test_full_import_swap_recreates_exactly_the_migrated_schema(tmp_path: Path) -> None:
    fresh = Database(tmp_path / "fresh.db")
    swapped = Database(tmp_path / "swapped.db")
    try:
        Catalog(swapped).import_document(catalogue([make_item("A", "港澳通行证")]))
        for pattern in ("catalog_item*", "search_*"):
            assert _schema(swapped.connection(), pattern) == _schema(fresh.connection(), pattern)
        leftovers = swapped.connection().execute(
            "SELECT name FROM sqlite_master WHERE name GLOB '*_new*' OR name GLOB '*_old*'"
        ).fetchall()
        assert leftovers == []
    finally:
        fresh.close()
        swapped.close()


def test_version_4_outbox_is_rebuilt_for_licence_uses_and_keeps_every_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from offline_cache.errors import DatabaseError
    from offline_cache.outbox import CapturedPage, LicenceUse

    path = tmp_path / "kiosk.db"
    sealer = Sealer(b"k" * 32)
    with monkeypatch.context() as v4:
        v4.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
        v4.setattr(migrations, "CURRENT_VERSION", 4)
        db = Database(path)
        outbox = Outbox(db, sealer, "T0001")
        page = CapturedPage(b"scan", "image/jpeg", "camera", datetime(2026, 11, 27, tzinfo=UTC), True)
        first = outbox.add_submission("S1", {"a": 1}, {"name": "张三"}, [page])
        second = outbox.add_submission("S1", {"a": 2}, {"name": "张三"}, [page], supersedes=first.uuid)
        rating = outbox.add_rating({"grade": 5}, rated_receipt_no=first.receipt_no)
        heartbeat = outbox.add_heartbeat({})
        outbox.mark_sending(first.uuid)
        outbox.mark_accepted(first.uuid, "RP1", {"case_no": "RP1"})
        with pytest.raises(DatabaseError):  # version 4 knows no licence uses
            outbox.add_submission("S1", {}, {}, licence_uses=[LicenceUse("L", "C")])
        before = {item: outbox.get(item) for item in (first.uuid, second.uuid, rating.uuid, heartbeat.uuid)}
        db.close()

    db = Database(path)
    try:
        conn = db.connection()
        assert migrations.schema_version(conn) == 5
        outbox = Outbox(db, sealer, "T0001")
        assert {uuid: outbox.get(uuid) for uuid in before} == before
        assert outbox.get(second.uuid).supersedes == first.uuid
        assert outbox.read_attachment(second.attachments[0].sha256) == b"scan"
        assert outbox.read_fields(second.uuid) == {"a": 2}
        assert outbox.read_answer(first.uuid) == {"case_no": "RP1"}
        with_use = outbox.add_submission("S1", {}, {}, licence_uses=[LicenceUse("L", "C")])
        assert with_use.receipt_no == "T0001-000005"  # the counter went on (the refused one was rolled back)
        use = outbox.find_by_receipt("T0001-000006")
        assert use is not None
        assert use.kind == "licence_use"
        # The rebuilt tables still hold their references.
        with pytest.raises(DatabaseError), db.transaction() as tx:
            tx.execute("UPDATE outbox_item SET supersedes = 'nobody' WHERE uuid = ?", (second.uuid,))
        with db.transaction() as tx:
            tx.execute("DELETE FROM outbox_item WHERE uuid = ?", (heartbeat.uuid,))
        fresh = Database(tmp_path / "fresh.db")
        try:
            assert _schema(conn, "outbox_*") == _schema(fresh.connection(), "outbox_*")
        finally:
            fresh.close()
    finally:
        db.close()
