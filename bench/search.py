"""Catalogue search benchmark: index build time, database size and ranked first-page latency.

    python bench/search.py                      # 60,000 items from bench/make_catalog.py's generate()
    python bench/search.py --catalog FILE       # a catalogue file (docs/catalog-format.md)

1,000 mixed queries in the proportions of perf-baselines row 3 (CJK 2-char, CJK 3–4-char, pinyin
initials, full-pinyin prefixes, misses), each asked for a ranked first page (limit 20); p50/p95/p99
per query class and overall. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from offline_cache.catalog import Catalog
from offline_cache.db import Database
from offline_cache.search import Search
from offline_cache.textnorm import normalize

QUERY_MIX = {"cjk2": 157, "cjk3-4": 262, "initials": 266, "pinyin-prefix": 253, "miss": 62}


def _load_generate() -> Callable[[int, int], list[dict[str, Any]]]:
    """`generate(count, seed)` from bench/make_catalog.py (bench/ is not a package)."""
    path = Path(__file__).resolve().parent / "make_catalog.py"
    spec = importlib.util.spec_from_file_location("make_catalog", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generate: Callable[[int, int], list[dict[str, Any]]] = module.generate
    return generate


# --- queries ------------------------------------------------------------------------------------------


def make_queries(names: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    """(class, query) pairs in the proportions of QUERY_MIX, scaled to `count`."""
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(seed)
    total = sum(QUERY_MIX.values())
    cjk_names = [n for n in (normalize(name) for name in names) if len(n) >= 4]
    known_text = "".join(set(cjk_names))
    queries: list[tuple[str, str]] = []

    def substring(text: str, length: int) -> str:
        start = rng.randrange(0, len(text) - length + 1)
        return text[start : start + length]

    for kind, share in QUERY_MIX.items():
        for _ in range(round(count * share / total)):
            name = rng.choice(cjk_names)
            if kind == "cjk2":
                query = substring(name, 2)
            elif kind == "cjk3-4":
                query = substring(name, rng.choice((3, 4)))
            elif kind == "initials":
                letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
                letters = "".join(ch for ch in letters if ch.isascii() and ch.isalpha())
                query = substring(letters, min(len(letters), rng.randint(2, 6)))
            elif kind == "pinyin-prefix":
                start = rng.randrange(0, len(name) - 1)
                full = "".join(lazy_pinyin(name[start:]))
                full = "".join(ch for ch in full if ch.isascii() and ch.isalpha())
                query = full[: rng.randint(3, max(3, min(len(full), 12)))]
            else:
                while True:
                    query = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 4)))
                    if query not in known_text:
                        break
            queries.append((kind, query))
    rng.shuffle(queries)
    return queries


def _percentiles(samples_ms: list[float]) -> str:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:7.3f}  p95 {cuts[94]:7.3f}  p99 {cuts[98]:7.3f}  max {max(samples_ms):7.3f} ms"


def _sizes(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            rows = conn.execute(
                "SELECT CASE WHEN name LIKE 'search_tri%' THEN 'names trigram' "
                "WHEN name LIKE 'search_bi%' THEN 'names bigram' "
                "WHEN name LIKE 'search_other_tri%' THEN 'other fields trigram' "
                "WHEN name LIKE 'search_other_bi%' THEN 'other fields bigram' "
                "WHEN name = 'catalog_item' THEN 'items' "
                "WHEN name LIKE 'catalog_item%' OR name LIKE 'sqlite_autoindex_catalog_item%' THEN 'item indexes' "
                "ELSE 'rest' END AS part, sum(pgsize) FROM dbstat GROUP BY part ORDER BY part"
            ).fetchall()
            parts = ", ".join(f"{part} {size / 1e6:.1f} MB" for part, size in rows)
        except sqlite3.OperationalError:
            parts = "(dbstat not compiled in)"
    finally:
        conn.close()
    return f"{db_path.stat().st_size / 1e6:.1f} MB: {parts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, help="catalogue file to import instead of generating items")
    parser.add_argument("--count", type=int, default=60_000, help="items to generate (default 60000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the query set (default 5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        db_path = Path(scratch) / "bench.db"
        db = Database(db_path)
        catalog = Catalog(db)
        if args.catalog:
            source = str(args.catalog)
            started = time.perf_counter()
            result = catalog.import_file(args.catalog)
        else:
            source = f"bench/make_catalog.py generate({args.count}, seed={args.seed})"
            items = _load_generate()(args.count, args.seed)
            started = time.perf_counter()
            result = catalog.import_document({"format": 1, "catalog_version": 1, "items": items})
        total = time.perf_counter() - started
        with db.read() as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM catalog_item")]
        distinct = len(set(names))
        departments = len(catalog.departments())

        print(f"catalogue: {result.items} items ({distinct} distinct names, {departments} departments) from {source}")
        print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
        print(
            f"index build: total {total:.2f} s = validation+pinyin {result.pinyin_seconds:.2f} s, "
            f"item insert {result.insert_seconds:.2f} s, FTS (trigram + bigram, optimize) {result.index_seconds:.2f} s"
        )
        print(f"database size after checkpoint: {_sizes(db_path)}")

        queries = make_queries(names, args.queries, args.seed)
        search = Search(db)
        for _, query in queries:  # warm-up: page cache and statement cache
            search.search(query)
        by_class: dict[str, list[float]] = {kind: [] for kind in QUERY_MIX}
        found: dict[str, int] = dict.fromkeys(QUERY_MIX, 0)
        for _ in range(args.rounds):
            for kind, query in queries:
                begin = time.perf_counter_ns()
                hits = search.search(query, limit=20)
                by_class[kind].append((time.perf_counter_ns() - begin) / 1e6)
                found[kind] += bool(hits)
        print(f"ranked first page (limit 20), {len(queries)} queries × {args.rounds} rounds:")
        for kind, samples in by_class.items():
            share = found[kind] / max(1, len(samples))
            print(f"  {kind:14s} n={len(samples) // args.rounds:4d}  {_percentiles(samples)}  (non-empty {share:.0%})")
        every = [sample for samples in by_class.values() for sample in samples]
        print(f"  {'overall':14s} n={len(queries):4d}  {_percentiles(every)}")
        db.close()


if __name__ == "__main__":
    main()
