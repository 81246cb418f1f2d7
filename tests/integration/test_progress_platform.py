"""The progress query against the reference platform on 127.0.0.1 (started in-process): a submission
queued offline, synced, then asked about by its local receipt number and by its case number; the platform
down afterwards -> the cached status with the time it was learnt."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.config import Config, PlatformConfig, SyncConfig, TerminalConfig
from kiosk.platform.client import PlatformClient
from kiosk.platform.sync import SyncEngine
from kiosk.resident.progress import CaseLookup, ProgressAnswer, platform_client_factory, query_progress
from offline_cache.outbox import OutboxItem
from offline_cache.store import OfflineCache
from reference_platform.runner import RunningPlatform
from tests.integration import conftest_platform
from tests.integration.conftest_platform import TERMINAL, TOKEN, Admin

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin

CST = timezone(timedelta(hours=8))
NAME = "赵六"
ID_NUMBER = "330106198502021237"
SYNC = SyncConfig(interval_s=30, backoff_base_s=1, backoff_cap_s=60, heartbeat_interval_s=300, retention_days=30)


class Wall:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 6, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall() -> Wall:
    return Wall()


@pytest.fixture
def cache(tmp_path: Path, wall: Wall) -> Iterator[OfflineCache]:
    store = OfflineCache.open(tmp_path / "kiosk", terminal_id=TERMINAL, clock=wall)
    yield store
    store.close()


def client_for(url: str) -> PlatformClient:
    return PlatformClient(url, TERMINAL, TOKEN, timeout=(2.0, 10.0))


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more: connection refused


def ask(cache: OfflineCache, wall: Wall, number: str, url: str) -> ProgressAnswer:
    def factory() -> CaseLookup:
        return client_for(url)

    return query_progress(number, cache=cache, client_factory=factory, clock=wall, tz=CST)


def queue_and_sync(cache: OfflineCache, url: str, wall: Wall) -> OutboxItem:
    item = cache.outbox.add_submission(
        "330000-GA-XK-0001",
        {"form": {"reason": "有效期满换领"}, "delivery": {"method": "pickup"}, "attachments": []},
        {"name": NAME, "id_number": ID_NUMBER},
    )
    engine = SyncEngine(cache, client_for(url), SYNC, rng=random.Random(1), wall=wall)
    try:
        engine.run_round()
    finally:
        engine.stop()
    synced = cache.outbox.get(item.uuid)
    assert synced.state == "accepted"
    assert synced.case_no
    return synced


def test_local_number_before_and_after_sync_then_by_case_number(
        cache: OfflineCache, wall: Wall, reference_platform: RunningPlatform, platform_admin: Admin) -> None:
    url = reference_platform.url
    pending = cache.outbox.add_submission("330000-GA-XK-0001", {"form": {}}, {"name": NAME})
    before = ask(cache, wall, pending.receipt_no, url)
    assert before.kind == "queued"
    assert before.status_zh == "已在本机登记，联网后自动上传"

    item = queue_and_sync(cache, url, wall)
    assert cache.outbox.get(pending.uuid).state == "accepted"  # the same round sent both
    platform_admin.advance(item.receipt_no, "accepted", "材料齐全")
    by_receipt = ask(cache, wall, item.receipt_no, url)
    assert by_receipt.kind == "live"
    assert by_receipt.case_no == item.case_no
    assert by_receipt.status == "accepted"
    assert by_receipt.status_zh == "已受理"
    assert [s.status for s in by_receipt.steps] == ["received", "accepted"]
    assert by_receipt.service_name == "居民身份证换领"

    platform_admin.advance(item.receipt_no, "in_progress")
    assert item.case_no is not None
    by_case = ask(cache, wall, item.case_no, url)
    assert by_case.kind == "live"
    assert by_case.status_zh == "办理中"
    assert by_case.receipt_no == item.receipt_no
    assert NAME not in repr(by_case)
    # Opaque numbers are compared exactly, here and on the platform: another case is another number.
    assert ask(cache, wall, item.case_no.lower(), url).kind == "not_found"


def test_platform_down_shows_the_cached_status_with_its_time(
        cache: OfflineCache, wall: Wall, reference_platform: RunningPlatform, platform_admin: Admin) -> None:
    item = queue_and_sync(cache, reference_platform.url, wall)
    platform_admin.advance(item.receipt_no, "completed", "已办结")
    assert ask(cache, wall, item.receipt_no, reference_platform.url).kind == "live"

    wall.now += timedelta(hours=2)
    offline = ask(cache, wall, item.receipt_no, dead_url())
    assert offline.kind == "cached"
    assert offline.offline
    assert offline.status_zh == "已办结"
    assert offline.at_text.startswith("以下为 11月27日 14:05 的状态，当前无法联网")

    platform_admin.faults(error_rate=1.0)  # 500/503 for every API request
    busy = ask(cache, wall, item.receipt_no, reference_platform.url)
    assert busy.kind == "cached"


def test_unknown_number_and_never_seen_case_while_down(
        cache: OfflineCache, wall: Wall, reference_platform: RunningPlatform) -> None:
    assert ask(cache, wall, "T0001-000999", reference_platform.url).kind == "not_found"
    answer = ask(cache, wall, "RP2026112799999999", dead_url())
    assert answer.kind == "unavailable"
    assert "分钟后再试" in answer.note_zh


def test_the_configured_client_is_built_with_short_timeouts(
        tmp_path: Path, cache: OfflineCache, wall: Wall, reference_platform: RunningPlatform) -> None:
    token = tmp_path / "token"
    token.write_text(TOKEN, encoding="utf-8")
    token.chmod(0o600)
    config = Config(terminal=TerminalConfig(id=TERMINAL),
                    platform=PlatformConfig(url=reference_platform.url, token_file=str(token), read_timeout_s=60))
    item = queue_and_sync(cache, reference_platform.url, wall)
    factory = platform_client_factory(config, tmp_path)
    client = factory()
    assert isinstance(client, PlatformClient)
    assert client._timeout == (3.0, 8.0)
    client.close()
    answer = query_progress(item.receipt_no, cache=cache, client_factory=factory, clock=wall, tz=CST)
    assert answer.kind == "live"
    assert answer.status_zh == "已收件"
