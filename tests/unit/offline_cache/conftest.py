"""Fixtures for the offline cache tests: a fresh database, a fake clock, catalogue items."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_cache.catalog import Catalog
from offline_cache.crypto import Sealer
from offline_cache.db import Database
from offline_cache.outbox import Outbox
from offline_cache.search import Search
from tests.unit.offline_cache.factories import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "kiosk.db")
    yield database
    database.close()


@pytest.fixture
def sealer(tmp_path: Path) -> Sealer:
    return Sealer.from_key_file(tmp_path / "outbox.key")


@pytest.fixture
def outbox(db: Database, sealer: Sealer, clock: FakeClock) -> Outbox:
    return Outbox(db, sealer, "T0001", clock=clock)


@pytest.fixture
def catalog(db: Database) -> Catalog:
    return Catalog(db)


@pytest.fixture
def search(db: Database) -> Search:
    return Search(db)
