"""Catalogue search: Chinese substrings, full pinyin and pinyin initials, ranked, one page at a time.

Ranking, in order: the whole name (or its full pinyin, or its initials) equals the query; the name
starts with it; the name contains it; only another field (department, category, summary, material
names) contains it. Within each bucket: popularity descending, then item code.

How a page is found without collecting every match: rows are keyed by the catalogue's rank key
(popularity descending, then code), so a query with `ORDER BY key LIMIT n` yields a bucket's best
rows first and stops. The buckets are asked in order until the page is full:

* exact — B-tree look-ups on the normalised name, full pinyin and initials;
* prefix — B-tree range scans on the same three columns when the range holds at most
  `_PREFIX_SCAN_CAP` rows (a long or rare prefix); otherwise an FTS5 query for START + query;
* contains — the name tables (name, pinyin, initials columns);
* other — the other-fields tables.

A bucket is only reached when every earlier bucket has run out of matches, so their complete match
sets are known and excluded in Python (no FTS5 NOT, which would read the same postings twice).
Queries of three characters or more go to the trigram tables; one and two characters to the
bigram tables, because SQLite 3.40.1 silently returns nothing for short patterns on a trigram table
(perf-baselines row 3). Prefix and exact matches are substring matches against fields wrapped in
START/END markers (textnorm.py).

After a full import, keys order equal popularity by code as well. Increments usually keep that
(catalog.py); when they cannot, the rows sharing the last row's popularity are fetched too and the
bucket is sorted by (popularity, code), so the order stays exact, at some cost.

An empty (or whitespace-only) query lists the most popular items, honouring the filters: the
home screen and department pages use that to browse.

Thread use: any thread; about a millisecond per page on the kiosk hardware, so the GUI thread may
call it directly for type-ahead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

from offline_cache import kv, search_index
from offline_cache.catalog import rank_group_end, rank_popularity
from offline_cache.db import Database
from offline_cache.textnorm import START, bigrams, normalize

MatchKind = Literal["exact", "prefix", "contains", "other", "popular"]

_AUDIENCES = ("personal", "enterprise")
# Up to this many prefix matches are collected through the B-tree indexes and ranked in Python;
# a prefix with more matches is one FTS5 finds plenty of quickly in rank order.
_PREFIX_SCAN_CAP = 200
_UNBOUNDED = "\U0010ffff"  # above any character normalize() keeps
_COLUMNS = "c.code, c.name, c.department, c.category, c.audience, c.popularity"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result row; `match` says which ranking bucket it came from (for highlighting)."""

    code: str
    name: str
    department: str
    category: str
    audience: str
    popularity: int
    match: MatchKind


_Row = tuple[int, str, str, str, str, str, int]  # key, code, name, department, category, audience, popularity


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _bigram_phrase(text: str) -> str:
    if len(text) == 1:
        # Every character of a wrapped field begins a pair, so "c" occurs iff a pair starts with c
        # (answered by the bigram tables' one-character prefix index).
        return _quoted(text) + " *"
    return _quoted(bigrams(text))


def _sort(rows: list[_Row]) -> None:
    rows.sort(key=lambda row: (-rank_popularity(row[0]), row[1]))


class _Page:
    """Collects one page bucket by bucket; `seen` holds every key of the buckets asked so far."""

    def __init__(self, conn: sqlite3.Connection, filters: str, params: list[object], need: int) -> None:
        self.conn = conn
        self.filters = filters
        self.params = params
        self.need = need
        self.hits: list[SearchHit] = []
        self.seen: set[int] = set()
        self.in_order = bool(kv.get(conn, kv.SEQ_IN_CODE_ORDER))

    @property
    def full(self) -> bool:
        return len(self.hits) >= self.need

    def add(self, rows: list[_Row], kind: MatchKind) -> None:
        for row in rows:
            if row[0] not in self.seen:
                self.seen.add(row[0])
                if len(self.hits) < self.need:
                    self.hits.append(_hit(row, kind))

    def item_query(self, condition: str, values: list[object], limit: int | None = None) -> list[_Row]:
        sql = f"SELECT c.key, {_COLUMNS} FROM catalog_item AS c WHERE ({condition}){self.filters}"
        if limit is None:
            rows: list[_Row] = self.conn.execute(sql, (*values, *self.params)).fetchall()
        else:
            rows = self.conn.execute(f"{sql} LIMIT ?", (*values, *self.params, limit)).fetchall()
        return rows

    def ranked(self, source: str, key: str, condition: str, values: list[object]) -> list[_Row]:
        """Enough rows of `source` (in rank order, minus `seen`) to fill the page.

        `key` is the column holding the rank key; for an FTS table it must be the table's own
        rowid, or SQLite collects every match and sorts them instead of stopping at the limit.
        """
        sql = f"SELECT {key}, {_COLUMNS} FROM {source} WHERE {condition}{self.filters}"
        limit = self.need - len(self.hits) + len(self.seen)
        rows: list[_Row] = self.conn.execute(
            f"{sql} ORDER BY {key} LIMIT ?", (*values, *self.params, limit)
        ).fetchall()
        if not self.in_order and len(rows) == limit:
            # Rows beyond the limit may tie with the last one on popularity and have a smaller code.
            last = rows[-1][0]
            rows += self.conn.execute(
                f"{sql} AND {key} > ? AND {key} <= ? ORDER BY {key}",
                (*values, *self.params, last, rank_group_end(rank_popularity(last))),
            ).fetchall()
            _sort(rows)
        return rows

    def fts(self, table: str, phrase: str) -> list[_Row]:
        source = f"{table} CROSS JOIN catalog_item AS c ON c.key = {table}.rowid"
        return self.ranked(source, f"{table}.rowid", f"{table} MATCH ?", [phrase])


class Search:
    """Ranked catalogue search over a `Database` the catalogue was imported into."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def search(
        self,
        query: str,
        *,
        department: str | None = None,
        category: str | None = None,
        audience: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[SearchHit]:
        """One page of results for `query` (see the module docstring for matching and ranking).

        `query` is normalised (full-width → half-width, case folded, whitespace removed).
        `department`, `category` and `audience` filter on exact values. Raises ValueError for a
        limit below 1, a negative offset or an unknown audience.
        """
        if limit < 1:
            raise ValueError(f"limit must be ≥ 1, got {limit}")
        if offset < 0:
            raise ValueError(f"offset must be ≥ 0, got {offset}")
        if audience is not None and audience not in _AUDIENCES:
            raise ValueError(f"audience must be one of {_AUDIENCES}, got {audience!r}")
        filters: list[str] = []
        params: list[object] = []
        for column, value in (("department", department), ("category", category), ("audience", audience)):
            if value is not None:
                filters.append(f"c.{column} = ?")
                params.append(value)
        need = offset + limit
        q = normalize(query)
        with self._db.read() as conn:
            page = _Page(conn, "".join(f" AND {f}" for f in filters), params, need)
            if not q:
                page.add(page.ranked("catalog_item AS c", "c.key", "1", []), "popular")
            else:
                _fill(page, q)
        return page.hits[offset:need]


def _fill(page: _Page, q: str) -> None:
    if len(q) >= 3:
        name_table, other_table, phrase = search_index.NAME_TRI, search_index.OTHER_TRI, _quoted
    else:
        name_table, other_table, phrase = search_index.NAME_BI, search_index.OTHER_BI, _bigram_phrase
    exact = page.item_query("c.name_norm = ? OR c.name_pinyin = ? OR c.name_initials = ?", [q, q, q])
    _sort(exact)
    page.add(exact, "exact")
    if page.full:
        return
    ranges = " OR ".join(
        f"(c.{column} >= ? AND c.{column} < ?)" for column in ("name_norm", "name_pinyin", "name_initials")
    )
    prefixed = page.item_query(ranges, [q, q + _UNBOUNDED] * 3, _PREFIX_SCAN_CAP + 1)
    if len(prefixed) > _PREFIX_SCAN_CAP:
        prefixed = page.fts(name_table, phrase(START + q))
    else:
        _sort(prefixed)
    page.add(prefixed, "prefix")
    if page.full:
        return
    page.add(page.fts(name_table, phrase(q)), "contains")
    if page.full:
        return
    page.add(page.fts(other_table, phrase(q)), "other")


def _hit(row: _Row, kind: MatchKind) -> SearchHit:
    _key, code, name, department, category, audience, popularity = row
    return SearchHit(code, name, department, category, audience, popularity, kind)
