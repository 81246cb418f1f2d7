"""A command that works on the offline cache: it is opened for the command and closed after it, and a
setup or cache failure is one line on standard error and a non-zero exit, whichever command it was."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import Config
from kiosk.runtime import SetupError, open_cache
from offline_cache.errors import CacheError
from offline_cache.store import OfflineCache

EXIT_FAILED = 1


def run_on_cache(
    config: Config,
    data_dir: Path,
    command: Callable[[OfflineCache], int],
    *,
    failures: tuple[type[Exception], ...] = (CacheError,),
) -> int:
    """`command(cache)`'s exit code, or EXIT_FAILED when the cache cannot be opened or `failures` is raised."""
    try:
        cache = open_cache(config, data_dir)
    except SetupError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return command(cache)
    except failures as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        cache.close()
