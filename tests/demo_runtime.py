"""The kiosk runtime that tests build screens with, made as `kiosk demo` makes it.

Screens always get a runtime (ui/context.py), so a test builds the one `kiosk demo` runs: every device
on its simulator (`kiosk.runtime.demo_config`), no platform, a temporary data directory, and the bundled
sample catalogue loaded. A test that needs a device set up differently passes its own config. The
device and sync threads are not started (a test drives the parts it looks at; the e2e test starts
them); closing joins whatever did start and closes the database.

tests/conftest.py registers this module as a plugin, so the `make_runtime` and `runtime` fixtures are
there for every test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.runtime import KioskRuntime, demo_config, ensure_catalog

# The `make_runtime` fixture: make_runtime(config=None, data_dir=tmp_path).
MakeRuntime = Callable[..., KioskRuntime]


@contextlib.contextmanager
def demo_runtime(data_dir: Path, config: Config | None = None) -> Iterator[KioskRuntime]:
    """A runtime over `data_dir`: `kiosk demo`'s config unless `config` is given; closed on exit."""
    runtime = KioskRuntime(config if config is not None else demo_config(Config()), data_dir)
    try:
        ensure_catalog(runtime.cache)
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def make_runtime(tmp_path: Path) -> Iterator[MakeRuntime]:
    """make_runtime(config=None, data_dir=tmp_path): a `demo_runtime`, closed when the test ends."""
    with contextlib.ExitStack() as stack:
        def make(config: Config | None = None, data_dir: Path = tmp_path) -> KioskRuntime:
            return stack.enter_context(demo_runtime(data_dir, config))

        yield make


@pytest.fixture
def runtime(make_runtime: MakeRuntime) -> KioskRuntime:
    """`kiosk demo`'s runtime over tmp_path."""
    return make_runtime()
