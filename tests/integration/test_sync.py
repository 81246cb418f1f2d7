"""kiosk.platform.sync against a reference platform on 127.0.0.1: queueing offline, draining, every fault switch."""

from __future__ import annotations

import logging
import random
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import SyncConfig
from kiosk.platform.client import PlatformClient
from kiosk.platform.sync import SyncEngine, SyncStatus
from kiosk.status import DeviceState, DeviceStatus, NetworkState
from offline_cache.outbox import CapturedPage, OutboxItem
from offline_cache.store import OfflineCache
from reference_platform.runner import RunningPlatform
from tests.conftest import ExpectedLogs
from tests.integration import conftest_platform
from tests.integration.conftest_platform import ADMIN_TOKEN, TERMINAL, TOKEN, Admin, catalog_item, write_catalog

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin

NAME = "李四"
ID_NUMBER = "330106198502021237"
SYNC = SyncConfig(interval_s=30, backoff_base_s=1, backoff_cap_s=60, heartbeat_interval_s=300, retention_days=30)


class FakeWall:
    """A wall clock the test moves by hand, so 'due later' items become due without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def cache(tmp_path: Path, wall: FakeWall) -> Iterator[OfflineCache]:
    store = OfflineCache.open(tmp_path / "kiosk", terminal_id=TERMINAL, clock=wall)
    yield store
    store.close()


def make_engine(cache: OfflineCache, url: str, wall: FakeWall, *, token: str = TOKEN,
                timeout: tuple[float, float] = (2.0, 10.0)) -> SyncEngine:
    client = PlatformClient(url, TERMINAL, token, timeout=timeout)
    return SyncEngine(
        cache, client, SYNC, rng=random.Random(4), wall=wall,
        devices=lambda: {"printer": DeviceStatus(DeviceState.OK)},
    )


def submit(cache: OfflineCache, wall: FakeWall, n: int = 0, pages: int = 1) -> OutboxItem:
    attachments = [
        CapturedPage(f"page {n}.{p} of the household register".encode() * 50, "image/jpeg", "camera", wall(), True)
        for p in range(pages)
    ]
    return cache.outbox.add_submission(
        "330000-GA-XK-0001",
        {
            "form": {"reason": "有效期满换领"},
            "delivery": {"method": "pickup"},
            "attachments": [{"material": "居民户口簿", "pages": 1} for _ in range(pages)],
        },
        {"name": NAME, "id_number": ID_NUMBER, "phone": "13900001111"},
        attachments,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_link_down_items_queue_then_drain_exactly_once(tmp_path: Path, cache: OfflineCache, wall: FakeWall) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    engine = make_engine(cache, url, wall)
    items = [submit(cache, wall, n) for n in range(5)]
    rating = cache.outbox.add_rating(
        {"grade": 5, "channel": "onsite", "indicators": {"overall": 5}}, rated_receipt_no=items[0].receipt_no
    )
    try:
        # Nobody listens on the port: the link is down.
        result = engine.run_round()
        assert not result.reached_platform
        status = engine.status()
        assert status.network is NetworkState.OFFLINE
        assert status.depth == 7  # five submissions, the rating, a heartbeat
        assert status.last_error
        assert cache.outbox.get(items[0].uuid).state == "pending"
        assert cache.outbox.get(items[0].uuid).attempts == 1

        wall.advance(3600)  # past every per-item backoff
        with RunningPlatform(tmp_path / "platform.db", port=port, terminals=[(TERMINAL, TOKEN)],
                             admin_token=ADMIN_TOKEN, catalog=write_catalog(tmp_path / "c.json")) as platform:
            result = engine.run_round()
            assert result.reached_platform
            assert result.sent == 7  # five submissions, the rating, the heartbeat from the start of the outage
            assert engine.status().depth == 0
            assert engine.status().network is NetworkState.ONLINE
            admin = Admin(platform.url)
            stats = admin.stats()
            case_numbers = {cache.outbox.get(i.uuid).case_no for i in items}
            assert len(case_numbers) == 5
            for item in items:
                stored = admin.submission(item.uuid)
                assert stored["answer"]["case_no"] == cache.outbox.get(item.uuid).case_no
                assert stored["body"]["personal"]["id_number"] == ID_NUMBER
            assert stats["submissions"] == 5
            assert stats["idempotency"]["keys_without_exactly_one_case"] == []
            assert admin.rating(rating.uuid)["case_no"] == cache.outbox.get(items[0].uuid).case_no
            heartbeat = admin.last_heartbeat()["body"]
            assert heartbeat["outbox_depth"] == 6
            assert heartbeat["devices"]["printer"]["state"] == "ok"
            # The outage outlasted the heartbeat interval: the next round reports the current state.
            assert engine.run_round().sent == 1
            assert admin.last_heartbeat()["body"]["outbox_depth"] == 0
            admin.close()
    finally:
        engine.stop()


def test_connection_dropped_after_store_gives_one_case_and_the_same_number(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    item = submit(cache, wall)
    platform_admin.faults(drop_keys=[item.uuid])
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        assert not engine.run_round().reached_platform
        stored = platform_admin.submission(item.uuid)  # the platform kept it; the terminal never heard
        assert cache.outbox.get(item.uuid).case_no is None
        wall.advance(3600)
        assert engine.run_round().reached_platform
        accepted = cache.outbox.get(item.uuid)
        assert accepted.state == "accepted"
        assert accepted.case_no == stored["answer"]["case_no"]
        assert platform_admin.stats()["idempotency"]["cases_per_key"][item.uuid] == 1
    finally:
        engine.stop()


@pytest.mark.parametrize(
    "switches",
    [
        {"error_rate": 1.0},
        {"malformed_rate": 1.0, "malformed_kind": "invalid_json"},
        {"malformed_rate": 1.0, "malformed_kind": "missing_fields"},
    ],
    ids=["server-errors", "invalid-json", "missing-fields"],
)
def test_transient_faults_keep_items_and_deliver_once_later(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin,
    switches: dict[str, object],
) -> None:
    items = [submit(cache, wall, n) for n in range(3)]
    platform_admin.faults(**switches)
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        result = engine.run_round()
        assert not result.reached_platform
        first = cache.outbox.get(items[0].uuid)
        assert first.state == "pending"
        assert first.last_error
        assert engine.status().network is NetworkState.OFFLINE
        platform_admin.faults(error_rate=0.0, malformed_rate=0.0)
        wall.advance(3600)
        assert engine.run_round().reached_platform
        assert all(cache.outbox.get(i.uuid).state == "accepted" for i in items)
        per_key = platform_admin.stats()["idempotency"]["cases_per_key"]
        assert all(per_key[i.uuid] == 1 for i in items)
    finally:
        engine.stop()


def test_slow_platform_times_out_and_is_retried(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    item = submit(cache, wall)
    platform_admin.faults(latency_ms=5000)
    engine = make_engine(cache, reference_platform.url, wall, timeout=(2.0, 0.2))
    try:
        assert not engine.run_round().reached_platform
        assert "timeout" in (cache.outbox.get(item.uuid).last_error or "")
        platform_admin.faults(latency_ms=0)
        wall.advance(3600)
        assert engine.run_round().reached_platform
        assert cache.outbox.get(item.uuid).state == "accepted"
    finally:
        engine.stop()


def test_rejected_item_is_quarantined_and_never_blocks_the_queue(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    items = [submit(cache, wall, n) for n in range(3)]
    platform_admin.faults(reject=[{"idempotency_key": items[0].uuid, "code": "material_invalid",
                                   "message": "户口簿页面不清晰"}])
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        result = engine.run_round()
        assert result.reached_platform
        assert result.rejected == 1
        bad = cache.outbox.get(items[0].uuid)
        assert bad.state == "rejected"
        assert bad.last_error == "material_invalid: 户口簿页面不清晰"
        assert [i.uuid for i in cache.outbox.rejected()] == [items[0].uuid]
        assert all(cache.outbox.get(i.uuid).state == "accepted" for i in items[1:])
        assert engine.status().rejected == 1
        assert engine.status().depth == 0
        # Another round does not send it again.
        assert engine.run_round().sent == 0
    finally:
        engine.stop()


def test_bad_credentials_quarantine_nothing(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, expected_logs: ExpectedLogs
) -> None:
    expected_logs("kiosk.platform.sync", "refused this terminal's credentials")
    item = submit(cache, wall)
    engine = make_engine(cache, reference_platform.url, wall, token="wrong-token")
    try:
        assert not engine.run_round().reached_platform
        assert cache.outbox.get(item.uuid).state == "pending"
        assert "credentials" in (engine.status().last_error or "")
        # A state of its own: the platform answered, so the terminal is not offline.
        assert engine.status().network is NetworkState.CREDENTIALS_REFUSED
        assert cache.sync_state.last_error_link == "credentials_refused"
    finally:
        engine.stop()


def test_catalogue_replaces_the_sample_then_follows_increments(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    sample = Path(__file__).resolve().parents[2] / "kiosk" / "data" / "sample_catalog.json"
    cache.catalog.import_file(sample)
    assert cache.catalog.count() > 150
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        assert engine.run_round().reached_platform
        assert cache.catalog.count() == 2  # the platform's catalogue replaced the bundled sample
        version = platform_admin.publish(upsert=[catalog_item("330000-GA-XK-0003", "临时居民身份证申领")],
                                         delete=["330000-GA-XK-0002"])
        assert engine.run_round().reached_platform
        assert cache.catalog.version() != version  # checked every catalog_interval_s, not every round
        wall.advance(SYNC.catalog_interval_s)
        assert engine.run_round().reached_platform
        assert cache.catalog.version() == version
        assert cache.catalog.get("330000-GA-XK-0003") is not None
        assert cache.catalog.get("330000-GA-XK-0002") is None
    finally:
        engine.stop()


def test_a_bad_catalogue_update_is_refused_while_the_outbox_is_delivered(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin,
    caplog: pytest.LogCaptureFixture, expected_logs: ExpectedLogs,
) -> None:
    expected_logs("kiosk.platform.sync", "from the platform refused")
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        assert engine.run_round().reached_platform
        kept = cache.catalog.export()
        platform_admin.publish(upsert=[catalog_item("330000-GA-XK-0003", "临时居民身份证申领", popularity=2**70)])
        first = submit(cache, wall, 1)
        wall.advance(SYNC.catalog_interval_s)
        caplog.set_level(logging.WARNING, logger="kiosk.platform.sync")
        result = engine.run_round()
        assert result.reached_platform
        assert result.error is None
        assert cache.outbox.get(first.uuid).state == "accepted"
        assert cache.catalog.export() == kept
        (line,) = [r.getMessage() for r in caplog.records if r.name == "kiosk.platform.sync"]
        assert "item '330000-GA-XK-0003': field 'popularity'" in line

        # Later rounds deliver too, and the corrected item is applied when the update is asked for again.
        second = submit(cache, wall, 2)
        version = platform_admin.publish(upsert=[catalog_item("330000-GA-XK-0003", "临时居民身份证申领")])
        wall.advance(SYNC.backoff_cap_s)
        assert engine.run_round().reached_platform
        assert cache.outbox.get(second.uuid).state == "accepted"
        assert cache.catalog.version() == version
        assert cache.catalog.get("330000-GA-XK-0003") is not None
    finally:
        engine.stop()


def test_engine_thread_drains_and_reports_to_listeners(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    for n in range(4):
        submit(cache, wall, n, pages=2)
    engine = make_engine(cache, reference_platform.url, wall)
    drained = threading.Event()
    seen: list[SyncStatus] = []

    def listener(status: SyncStatus) -> None:
        seen.append(status)
        if status.depth == 0 and status.network is NetworkState.ONLINE:
            drained.set()

    engine.add_listener(listener)
    engine.start()
    try:
        assert drained.wait(30)
    finally:
        engine.stop()
    assert not engine.status().running
    assert platform_admin.stats()["submissions"] == 4
    assert platform_admin.stats()["attachments"] == 8


def test_interrupted_send_is_retried_with_the_same_key_after_restart(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    item = submit(cache, wall)
    # What a kill -9 between the platform's answer and our commit leaves behind.
    cache.outbox.mark_sending(item.uuid)
    client = PlatformClient(reference_platform.url, TERMINAL, TOKEN)
    engine = SyncEngine(cache, client, SYNC, wall=wall)
    for ref in item.attachments:
        client.put_attachment(ref.sha256, cache.outbox.read_attachment(ref.sha256))
    first = client.submit(item.uuid, engine.submission_body(cache.outbox.get(item.uuid)))
    try:
        assert engine.run_round().reached_platform
        assert cache.outbox.get(item.uuid).case_no == first.case_no
        assert platform_admin.stats()["idempotency"]["cases_per_key"][item.uuid] == 1
    finally:
        engine.stop()


def test_no_personal_data_in_logs(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    submit(cache, wall)
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        engine.run_round()
    finally:
        engine.stop()
    assert NAME not in caplog.text
    assert ID_NUMBER not in caplog.text


def test_one_unsent_heartbeat_at_a_time_during_an_outage(cache: OfflineCache, wall: FakeWall) -> None:
    engine = make_engine(cache, f"http://127.0.0.1:{free_port()}", wall)
    try:
        for _ in range(20):  # 20 failed rounds, each past the heartbeat interval
            assert not engine.run_round().reached_platform
            wall.advance(SYNC.heartbeat_interval_s + 1)
        assert engine.status().depth == 1
    finally:
        engine.stop()


def test_link_failures_keep_strict_oldest_first_order(tmp_path: Path, cache: OfflineCache, wall: FakeWall) -> None:
    port = free_port()
    engine = make_engine(cache, f"http://127.0.0.1:{port}", wall)
    items = [submit(cache, wall, n) for n in range(3)]
    try:
        for _ in range(6):  # the oldest item is tried and fails on every round of a long outage
            assert not engine.run_round().reached_platform
        assert cache.outbox.get(items[0].uuid).attempts == 6
        # It is still due at once: no per-item backoff for a link that was down.
        assert cache.outbox.next_due(wall()) is not None
        assert cache.outbox.next_due(wall()).uuid == items[0].uuid  # type: ignore[union-attr]
        with RunningPlatform(tmp_path / "p.db", port=port, terminals=[(TERMINAL, TOKEN)]):
            assert engine.run_round().reached_platform
        order = sorted(items, key=lambda i: cache.outbox.get(i.uuid).accepted_at)  # type: ignore[arg-type,return-value]
        assert [i.uuid for i in order] == [i.uuid for i in items]
    finally:
        engine.stop()


def test_an_item_the_platform_keeps_failing_on_stops_blocking_the_queue(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    first, second = submit(cache, wall, 0), submit(cache, wall, 1)
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        platform_admin.faults(error_rate=1.0)
        for _ in range(3):  # the platform answers, with a 5xx, three times for the oldest item
            assert not engine.run_round().reached_platform
        assert cache.outbox.get(first.uuid).attempts == 3
        assert cache.outbox.get(first.uuid).next_attempt_at > wall()  # now it waits on its own
        platform_admin.faults(error_rate=0.0)
        assert engine.run_round().reached_platform
        assert cache.outbox.get(second.uuid).state == "accepted"
        assert cache.outbox.get(first.uuid).state == "pending"
    finally:
        engine.stop()


def test_a_rating_without_a_declaration_is_delivered_without_a_reference(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    from kiosk.resident.ratings import Rating, store_rating

    item = store_rating(cache.outbox, Rating(grade=4, indicators={"overall": 4}, comment="大厅很整洁"))
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        result = engine.run_round()
        assert result.reached_platform
        assert result.rejected == 0
        assert cache.outbox.get(item.uuid).state == "accepted"
        stored = platform_admin.rating(item.uuid)
        assert "reference" not in stored["body"]
        assert stored["body"]["comment"] == "大厅很整洁"
        assert stored["case_no"] is None
    finally:
        engine.stop()


def test_the_heartbeat_keeps_to_the_contract(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    submit(cache, wall)
    client = PlatformClient(reference_platform.url, TERMINAL, TOKEN, timeout=(2.0, 10.0))
    engine = SyncEngine(
        cache, client, SYNC, rng=random.Random(4), wall=wall,
        devices=lambda: {"printer": DeviceStatus(DeviceState.OFFLINE, "cups: " + "paper out; " * 100),
                         "camera": DeviceStatus(DeviceState.NOT_CONFIGURED)},
    )
    try:
        result = engine.run_round()
        assert result.reached_platform
        assert result.rejected == 0
        body = platform_admin.last_heartbeat()["body"]
        assert len(body["devices"]["printer"]["detail"]) == 500
        assert body["devices"]["camera"] == {"state": "not_configured"}
        # Made after the submission was queued, and not counting itself.
        assert body["outbox_depth"] == 1
    finally:
        engine.stop()


def test_a_clock_set_back_never_makes_a_negative_age(
    cache: OfflineCache, wall: FakeWall, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    submit(cache, wall)
    wall.advance(-3600)  # the wall clock was set back an hour after the submission was stored
    engine = make_engine(cache, reference_platform.url, wall)
    try:
        result = engine.run_round()
        assert result.rejected == 0
        assert platform_admin.last_heartbeat()["body"]["oldest_unsent_age_s"] == 0.0
    finally:
        engine.stop()
