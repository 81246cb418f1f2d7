"""The sync engine and a catalogue update it must refuse: the outbox keeps being delivered, the old catalogue
stays, the reason is logged, the update is asked for again with backoff, and a corrected one is applied."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from kiosk.config import SyncConfig
from kiosk.platform.client import PlatformClient
from kiosk.platform.models import CatalogChanges, HeartbeatRecorded, SubmissionAccepted
from kiosk.platform.sync import SyncEngine
from offline_cache.store import OfflineCache
from tests.conftest import ExpectedLogs
from tests.unit.offline_cache.factories import make_item

SYNC = SyncConfig(interval_s=30, backoff_base_s=1, backoff_cap_s=60, heartbeat_interval_s=300,
                  catalog_interval_s=1800)
BAD_CODE = "330000-GA-XK-0003"


class Wall:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class LongestBackoff(random.Random):
    """Full jitter always drawing its ceiling, so the retry times are known exactly."""

    def uniform(self, a: float, b: float) -> float:
        return b


class FakePlatform:
    """The platform side of the calls a round makes: accepts every item, and publishes catalogue versions
    the way docs/platform-api.md describes (`since` answered with the items changed after it)."""

    def __init__(self, wall: Wall) -> None:
        self.wall = wall
        self.version = 1
        self.items: dict[str, tuple[int, object]] = {
            code: (1, make_item(code, name)) for code, name in (("GA-1", "居民身份证换领"), ("GA-2", "户口迁入"))
        }
        self.catalogue_asked_at: list[datetime] = []
        self.delivered: list[str] = []

    def publish(self, code: str, item: object) -> int:
        self.version += 1
        self.items[code] = (self.version, item)
        return self.version

    def get_catalog(self, since: int = 0) -> CatalogChanges:
        self.catalogue_asked_at.append(self.wall())
        full = since == 0
        changed = tuple(item for version, item in self.items.values() if full or version > since)
        return CatalogChanges(version=self.version, items=changed, deleted=(), full=full)  # type: ignore[arg-type]

    def submit(self, key: str, body: dict[str, Any]) -> SubmissionAccepted:
        self.delivered.append(key)
        return SubmissionAccepted(f"C-{len(self.delivered)}", "received", self.wall(), body["local_receipt_no"], False)

    def heartbeat(self, body: dict[str, Any]) -> HeartbeatRecorded:
        return HeartbeatRecorded(body["uuid"], self.wall(), False)

    def close(self) -> None:
        pass


@pytest.fixture
def wall() -> Wall:
    return Wall()


@pytest.fixture
def cache(tmp_path: Path, wall: Wall) -> Iterator[OfflineCache]:
    store = OfflineCache.open(tmp_path / "kiosk", terminal_id="T0001", clock=wall)
    yield store
    store.close()


def submit(cache: OfflineCache, n: int) -> str:
    return cache.outbox.add_submission("GA-1", {"form": {"n": n}}, {"name": "李四"}).uuid


@pytest.mark.parametrize(
    "bad",
    [
        make_item(BAD_CODE, "临时居民身份证申领", 2**70),
        make_item(BAD_CODE, "临时\ud800身份证申领"),
        "not an item",
    ],
    ids=["popularity 2**70", "lone surrogate", "not an object"],
)
def test_a_refused_update_is_retried_with_backoff_while_deliveries_go_on(
    cache: OfflineCache, wall: Wall, caplog: pytest.LogCaptureFixture, expected_logs: ExpectedLogs, bad: object
) -> None:
    expected_logs("kiosk.platform.sync", "catalogue version 2 from the platform refused")
    platform = FakePlatform(wall)
    engine = SyncEngine(cache, cast(PlatformClient, platform), SYNC, rng=LongestBackoff(), wall=wall)
    assert engine.run_round().reached_platform
    assert (cache.catalog.version(), cache.catalog.count()) == (1, 2)
    before = cache.catalog.export()

    platform.publish(BAD_CODE, bad)
    wall.advance(SYNC.catalog_interval_s)
    started = wall()
    caplog.set_level(logging.WARNING, logger="kiosk.platform.sync")
    delivered = []
    for second in range(130):
        if second % 10 == 0:
            delivered.append(submit(cache, second))
        result = engine.run_round()
        # Every round reaches the platform and delivers everything due, in the round it became due.
        assert result.reached_platform, result.error
        assert cache.outbox.stats().depth == 0
        wall.advance(1)
    assert set(delivered) <= set(platform.delivered)
    assert cache.catalog.export() == before

    # Asked again 1, 2, 4, ... seconds later: the engine's backoff, capped at backoff_cap_s.
    asked = [(at - started).total_seconds() for at in platform.catalogue_asked_at[1:]]
    assert asked == [0, 1, 3, 7, 15, 31, 63, 123]
    refusals = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert len(refusals) == len(asked)
    assert all(len(line) < 400 for line in refusals)
    assert f"attempt {len(asked)}, next in 60 s" in refusals[-1]

    # The platform corrects the item: the next retry applies it, and the regular interval is back.
    version = platform.publish(BAD_CODE, make_item(BAD_CODE, "临时居民身份证申领", 7))
    for _ in range(61):
        engine.run_round()
        wall.advance(1)
    assert cache.catalog.version() == version
    item = cache.catalog.get(BAD_CODE)
    assert item is not None
    assert item.popularity == 7
    applied_at = platform.catalogue_asked_at[-1]
    assert (applied_at - started).total_seconds() == 183
    for _ in range(120):
        engine.run_round()
        wall.advance(1)
    assert platform.catalogue_asked_at[-1] == applied_at


def test_the_reason_is_logged_naming_item_and_field(
    cache: OfflineCache, wall: Wall, caplog: pytest.LogCaptureFixture, expected_logs: ExpectedLogs
) -> None:
    expected_logs("kiosk.platform.sync", "catalogue version 2 from the platform refused")
    platform = FakePlatform(wall)
    engine = SyncEngine(cache, cast(PlatformClient, platform), SYNC, rng=LongestBackoff(), wall=wall)
    platform.publish(BAD_CODE, make_item(BAD_CODE, "临时居民身份证申领", 2**70))
    caplog.set_level(logging.WARNING, logger="kiosk.platform.sync")
    assert engine.run_round().reached_platform
    (line,) = [record.getMessage() for record in caplog.records]
    assert "catalogue version 2 from the platform refused (attempt 1, next in 1 s)" in line
    assert f"item '{BAD_CODE}': field 'popularity': must be between 0 and 1000000000" in line
    # The first update from the platform was refused: the bundled catalogue (none here) stays.
    assert cache.catalog.version() is None
