"""`kiosk catalog import|export|search`: the service catalogue from a technician's shell."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from kiosk.cli.on_cache import EXIT_FAILED, run_on_cache
from kiosk.config import Config
from offline_cache.errors import CacheError
from offline_cache.store import OfflineCache

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalog = sub.add_parser("catalog", help="service catalogue: import, export, search")
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="replace the catalogue with a catalogue file (docs/catalog-format.md)")
    imp.add_argument("file", type=Path, metavar="FILE")
    exp = actions.add_parser("export", help="write the catalogue as a catalogue file ('-' for standard output)")
    exp.add_argument("file", metavar="FILE")
    search = actions.add_parser("search", help="search guides as the touch screen does")
    search.add_argument("query", metavar="QUERY", help="Chinese text, full pinyin or pinyin initials (e.g. sfz)")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--department", metavar="NAME")
    search.add_argument("--category", metavar="NAME")
    search.add_argument("--json", action="store_true", help="one JSON array of results")


def run(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    return run_on_cache(config, data_dir, lambda cache: _run(cache, args), failures=(CacheError, OSError))


def _run(cache: OfflineCache, args: argparse.Namespace) -> int:
    if args.catalog_command == "import":
        result = cache.catalog.import_file(args.file)
        print(f"已导入 / imported: {result.items} items, catalogue version {result.version} "
              f"({result.pinyin_seconds + result.insert_seconds + result.index_seconds:.1f} s)")
    elif args.catalog_command == "export":
        document = cache.catalog.export()
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if args.file == "-":
            sys.stdout.write(text)
        else:
            Path(args.file).write_text(text, encoding="utf-8")
            print(f"已导出 / exported: {len(document['items'])} items to {args.file}")
    else:
        return _search(cache, args)
    return EXIT_OK


def _search(cache: OfflineCache, args: argparse.Namespace) -> int:
    if args.limit < 1:
        print("错误 / error: --limit must be at least 1", file=sys.stderr)
        return EXIT_FAILED
    hits = cache.search.search(args.query, department=args.department, category=args.category, limit=args.limit)
    if args.json:
        print(json.dumps([dataclasses.asdict(hit) for hit in hits], ensure_ascii=False, indent=1))
    elif not hits:
        print(f"没有找到 / no results for {args.query!r}")
    else:
        for hit in hits:
            print(f"{hit.code}  {hit.name}  [{hit.department} · {hit.category}]")
    return EXIT_OK
