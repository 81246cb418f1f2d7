"""Writes to the contentless FTS5 search tables, keyed by the catalogue's rank key.

Names (with their full pinyin and initials) and the other searchable fields (department,
category, summary, material names) live in separate tables: the name tables' doclists then hold no
summary text and the other tables' no pinyin, so a query that matches little in one of them does
not have to wade through the other's postings.

`*_tri` tables (trigram tokenizer) hold each field wrapped in the START/END markers and answer
queries of three characters and more. `*_bi` tables hold the same fields as space-separated
character pairs with a one-character prefix index and answer one- and two-character queries.
All are contentless, so removing a row needs the exact text it was indexed with: callers pass the
stored `IndexRow` again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from offline_cache.textnorm import bigrams, wrap

NAME_TRI = "search_tri"
NAME_BI = "search_bi"
OTHER_TRI = "search_other_tri"
OTHER_BI = "search_other_bi"
TABLES = (NAME_TRI, NAME_BI, OTHER_TRI, OTHER_BI)

_TRIGRAM = "tokenize = 'trigram', content = '', columnsize = 0"
# Space is the only separator: every pair written by bigrams() stays one token.
_BIGRAM = (
    "tokenize = \"unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co'\", "
    "content = '', columnsize = 0, prefix = '1'"
)

# The current definitions (migration 2 created the same; a test compares the two).
_CREATE = (
    f"CREATE VIRTUAL TABLE {NAME_TRI}{{suffix}} USING fts5(name, py, ini, {_TRIGRAM})",
    f"CREATE VIRTUAL TABLE {NAME_BI}{{suffix}} USING fts5(name, py, ini, {_BIGRAM})",
    f"CREATE VIRTUAL TABLE {OTHER_TRI}{{suffix}} USING fts5(other, {_TRIGRAM})",
    f"CREATE VIRTUAL TABLE {OTHER_BI}{{suffix}} USING fts5(other, {_BIGRAM})",
)


def create_tables(conn: sqlite3.Connection, suffix: str = "") -> None:
    for statement in _CREATE:
        conn.execute(statement.format(suffix=suffix))


class IndexRow(NamedTuple):
    """What one catalogue item contributes to the search tables (all already normalised)."""

    key: int
    name_norm: str
    pinyin: str
    initials: str
    other: str  # already a sequence of wrapped fields


def _write(conn: sqlite3.Connection, rows: Sequence[IndexRow], suffix: str, delete: bool) -> None:
    def statement(table: str, columns: str, count: int) -> str:
        marks = ", ".join("?" * (count + 1))
        if delete:
            return f"INSERT INTO {table}{suffix} ({table}{suffix}, rowid, {columns}) VALUES ('delete', {marks})"
        return f"INSERT INTO {table}{suffix} (rowid, {columns}) VALUES ({marks})"

    conn.executemany(
        statement(NAME_TRI, "name, py, ini", 3),
        ((r.key, wrap(r.name_norm), wrap(r.pinyin), wrap(r.initials)) for r in rows),
    )
    conn.executemany(
        statement(NAME_BI, "name, py, ini", 3),
        ((r.key, bigrams(wrap(r.name_norm)), bigrams(wrap(r.pinyin)), bigrams(wrap(r.initials))) for r in rows),
    )
    conn.executemany(statement(OTHER_TRI, "other", 1), ((r.key, r.other) for r in rows if r.other))
    conn.executemany(statement(OTHER_BI, "other", 1), ((r.key, bigrams(r.other)) for r in rows if r.other))


def index_rows(conn: sqlite3.Connection, rows: Sequence[IndexRow], suffix: str = "") -> None:
    """Add `rows` to the search tables (inside the caller's transaction)."""
    _write(conn, rows, suffix, delete=False)


def unindex_rows(conn: sqlite3.Connection, rows: Iterable[IndexRow]) -> None:
    """Remove `rows` (exactly as they were indexed) from the search tables."""
    _write(conn, list(rows), "", delete=True)


def merge(
    transaction: Callable[[], contextlib.AbstractContextManager[sqlite3.Connection]], suffix: str = ""
) -> None:
    """Merge each table's segments into one, a bounded step per transaction.

    Same result as FTS5 'optimize' (queries touch one b-tree per term), without holding the write
    lock for the whole merge. A negative 'merge' argument merges everything, as optimize does.
    """
    for table in TABLES:
        while True:
            with transaction() as conn:
                before = conn.total_changes
                conn.execute(f"INSERT INTO {table}{suffix} ({table}{suffix}, rank) VALUES ('merge', -500)")
                # FTS5's documented test for "no work left": fewer than 2 rows changed.
                if conn.total_changes - before < 2:
                    break
