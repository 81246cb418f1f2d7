"""kiosk.resident.progress without a platform: number normalisation, local numbers in every outbox state, the
live answer cached, the cached answer with its time when the link is down, and unknown numbers."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from drivers.barcode.errors import CodeScannerDisconnected, NoCodeRead
from drivers.barcode.protocol import BarcodeFormat, DecodedCode
from kiosk.config import sample_catalog_path
from kiosk.platform.errors import CaseNotFound, PlatformAuthError, PlatformUnavailable
from kiosk.platform.models import CaseEvent, CaseState, CaseStatus
from kiosk.resident.progress import (
    CaseLookup,
    NoNumberInCode,
    ProgressAnswer,
    ScanCancelled,
    format_time,
    normalise_number,
    query_progress,
    scan_with_reader,
)
from offline_cache.outbox import OutboxItem
from offline_cache.store import OfflineCache

CST = timezone(timedelta(hours=8))
SERVICE = "330000-GA-XK-0001"
CASE = "RP2026112700000001"
NAME = "王五"
ID_NUMBER = "330106198502021237"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 6, 5, tzinfo=UTC)  # 14:05 in China

    def __call__(self) -> datetime:
        return self.now


class FakeClient:
    """A platform answering from a dict, or failing with `error`; records what it was asked."""

    def __init__(self, cases: dict[str, CaseStatus] | None = None, error: Exception | None = None) -> None:
        self.cases = cases or {}
        self.error = error
        self.asked: list[str] = []
        self.closed = 0

    def get_case(self, number: str) -> CaseStatus:
        self.asked.append(number)
        if self.error is not None:
            raise self.error
        for status in self.cases.values():
            if number in (status.case_no, status.local_receipt_no):
                return status
        raise CaseNotFound("no case with this number", code="case_not_found", status=404)

    def close(self) -> None:
        self.closed += 1


def case(status: CaseState = CaseState.IN_PROGRESS, *, receipt: str = "T0001-000001", note: str = "") -> CaseStatus:
    t0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    history = (CaseEvent(CaseState.RECEIVED, t0, ""), CaseEvent(status, t0 + timedelta(hours=1), note))
    return CaseStatus(CASE, receipt, SERVICE, status, t0, t0 + timedelta(hours=1), history)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(tmp_path: Path, clock: Clock) -> Iterator[OfflineCache]:
    store = OfflineCache.open(tmp_path, terminal_id="T0001", clock=clock)
    store.catalog.import_file(sample_catalog_path())
    yield store
    store.close()


def submit(cache: OfflineCache) -> OutboxItem:
    return cache.outbox.add_submission(SERVICE, {"form": {}}, {"name": NAME, "id_number": ID_NUMBER})


def service_name(cache: OfflineCache) -> str:
    item = cache.catalog.get(SERVICE)
    assert item is not None
    return item.name


def ask(cache: OfflineCache, clock: Clock, number: str, client: CaseLookup | None) -> ProgressAnswer:
    return query_progress(number, cache=cache, client_factory=lambda: client, clock=clock, tz=CST)


def no_personal_data(answer: ProgressAnswer) -> None:
    text = repr(answer)
    assert NAME not in text
    assert ID_NUMBER not in text


# --- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("T0001-000123", "T0001-000123"),
    ("  T0001-000123 \n", "T0001-000123"),
    ("  t0001-000123 \n", "t0001-000123"),  # opaque: asked as typed, never case-folded
    ("Px.20261207-00001_k", "Px.20261207-00001_k"),
    ("Ｔ０００１－０００１２３", "T0001-000123"),  # full-width, as some scanners send
    ("T0001—000123", "T0001-000123"),
    ("回执号：T0001-000123", "T0001-000123"),
    ("受理编号 RP2026112700000001", "RP2026112700000001"),
    ("https://zwfw.example.gov.cn/progress/T0001-000123", "T0001-000123"),
    ("https://zwfw.example.gov.cn/q?no=RP2026112700000001&lang=zh", "RP2026112700000001"),
    ("HTTPS://x.example/cases/rp2026112700000001/", "rp2026112700000001"),
])
def test_numbers_are_found_in_what_was_typed_or_scanned(typed: str, expected: str) -> None:
    assert normalise_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "身份证", "T0001 000123 !!", "https://x.example/", "x" * 65])
def test_text_without_a_number_is_refused(typed: str) -> None:
    assert normalise_number(typed) is None


def test_an_invalid_number_asks_to_check_it_without_calling_the_platform(cache: OfflineCache, clock: Clock) -> None:
    client = FakeClient()
    answer = ask(cache, clock, "请输入", client)
    assert answer.kind == "invalid"
    assert "核对" in answer.note_zh
    assert answer.note_en
    assert client.asked == []


def test_times_are_shown_in_the_terminal_zone() -> None:
    assert format_time(datetime(2026, 11, 27, 6, 5, tzinfo=UTC), CST) == "11月27日 14:05"


# --- local receipt numbers ---------------------------------------------------------------------------


def test_a_pending_submission_is_answered_from_the_outbox(cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    client = FakeClient()
    answer = ask(cache, clock, item.receipt_no, client)
    assert answer.kind == "queued"
    assert answer.offline
    assert answer.status_zh == "已在本机登记，联网后自动上传"
    assert answer.at == item.created_at
    assert "11月27日 14:05" in answer.at_text
    assert answer.receipt_no == item.receipt_no
    assert answer.service_name == service_name(cache)
    assert client.asked == []  # nothing to ask: the platform cannot know it yet
    no_personal_data(answer)


def test_a_number_is_asked_for_exactly_as_given(cache: OfflineCache, clock: Clock) -> None:
    opaque = "Px.20261207-00001_k"
    status = dataclasses.replace(case(), case_no=opaque)
    client = FakeClient({"opaque": status})
    answer = ask(cache, clock, opaque, client)
    assert client.asked == [opaque]
    assert answer.kind == "live"
    assert answer.case_no == opaque


def test_a_receipt_number_in_another_case_is_another_number(cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    client = FakeClient()
    answer = ask(cache, clock, item.receipt_no.lower(), client)
    # Not this terminal's queued submission: its number is upper case, and numbers compare exactly.
    assert client.asked == [item.receipt_no.lower()]
    assert answer.kind == "not_found"


def test_a_terminal_with_lower_case_letters_finds_its_own_receipts(tmp_path: Path, clock: Clock) -> None:
    store = OfflineCache.open(tmp_path / "lower", terminal_id="Tx01", clock=clock)
    try:
        item = store.outbox.add_submission(SERVICE, {"form": {}}, {"name": NAME})
        assert item.receipt_no == "Tx01-000001"
        client = FakeClient()
        answer = ask(store, clock, item.receipt_no, client)
        assert answer.kind == "queued"
        assert answer.receipt_no == "Tx01-000001"
        assert client.asked == []
        store.outbox.mark_sending(item.uuid)
        store.outbox.mark_accepted(item.uuid, CASE)
        live = FakeClient({CASE: case(receipt="Tx01-000001")})
        assert ask(store, clock, "Tx01-000001", live).kind == "live"
        assert live.asked == [CASE]
    finally:
        store.close()


def test_a_submission_being_sent_is_still_queued(cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    cache.outbox.mark_sending(item.uuid)
    assert ask(cache, clock, item.receipt_no, FakeClient()).kind == "queued"


def test_a_rejected_submission_says_so_and_sends_to_staff(cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_rejected(item.uuid, "material_unreadable: the page is blank")
    answer = ask(cache, clock, item.receipt_no, FakeClient())
    assert answer.kind == "rejected"
    assert "未接收" in answer.status_zh
    assert "工作人员" in answer.note_zh
    assert "material_unreadable" not in repr(answer)  # the technician's reason is not the resident's


def test_a_delivered_submission_is_asked_about_by_its_case_number(cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_accepted(item.uuid, CASE)
    client = FakeClient({CASE: case(receipt=item.receipt_no, note="申请人电话 13900001111 已联系")})
    answer = ask(cache, clock, item.receipt_no, client)
    assert client.asked == [CASE]
    assert client.closed == 1
    assert answer.kind == "live"
    assert not answer.offline
    assert (answer.status_zh, answer.status_en) == ("办理中", "In progress")
    assert answer.case_no == CASE
    assert answer.receipt_no == item.receipt_no
    assert "11月27日 11:00" in answer.at_text
    assert [s.title_zh for s in answer.steps] == ["已收件", "办理中"]
    assert "13900001111" not in repr(answer)  # notes are scrubbed
    stored = cache.sync_state.case_status(CASE)
    assert stored is not None
    assert stored.status == "in_progress"
    assert stored.updated_at == clock.now


def test_a_case_number_goes_straight_to_the_platform(cache: OfflineCache, clock: Clock) -> None:
    client = FakeClient({CASE: case(CaseState.COMPLETED, receipt="T0002-000007")})
    answer = ask(cache, clock, CASE, client)
    assert client.asked == [CASE]
    assert answer.kind == "live"
    assert answer.status_zh == "已办结"
    assert answer.service_name == service_name(cache)  # from the catalogue by the platform's service code


def test_another_terminals_receipt_number_is_asked_as_it_is(cache: OfflineCache, clock: Clock) -> None:
    client = FakeClient({CASE: case(receipt="T0002-000007")})
    answer = ask(cache, clock, "T0002-000007", client)
    assert client.asked == ["T0002-000007"]
    assert answer.kind == "live"
    assert answer.case_no == CASE


# --- offline -----------------------------------------------------------------------------------------


def test_link_down_shows_the_cached_status_with_the_time_it_was_learnt(cache: OfflineCache, clock: Clock) -> None:
    ask(cache, clock, CASE, FakeClient({CASE: case(CaseState.ACCEPTED)}))
    clock.now += timedelta(hours=3)
    down = FakeClient(error=PlatformUnavailable("connection refused", code="connection_error"))
    answer = ask(cache, clock, CASE, down)
    assert answer.kind == "cached"
    assert answer.offline
    assert answer.status_zh == "已受理"
    assert answer.at_text.startswith("以下为 11月27日 14:05 的状态，当前无法联网")
    assert down.closed == 1


def test_link_down_for_a_delivered_local_number_uses_the_case_numbers_cache(
        cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_accepted(item.uuid, CASE)
    cache.sync_state.put_case_status(CASE, "completed", clock.now)
    answer = ask(cache, clock, item.receipt_no, FakeClient(error=PlatformUnavailable("t", code="timeout")))
    assert answer.kind == "cached"
    assert answer.status_zh == "已办结"
    assert answer.receipt_no == item.receipt_no


def test_link_down_without_a_cached_status_says_when_to_try_again(cache: OfflineCache, clock: Clock) -> None:
    busy = FakeClient(error=PlatformUnavailable("busy", code="unavailable", status=503, retry_after=300))
    answer = ask(cache, clock, CASE, busy)
    assert answer.kind == "unavailable"
    assert answer.offline
    assert "5 分钟后再试" in answer.note_zh
    assert "5 minutes" in answer.note_en


def test_refused_credentials_are_treated_as_no_link_and_logged(
        cache: OfflineCache, clock: Clock, expected_logs: Any) -> None:
    expected_logs("kiosk.resident.progress", "platform not reachable")
    answer = ask(cache, clock, CASE, FakeClient(error=PlatformAuthError("no", code="unauthorized", status=401)))
    assert answer.kind == "unavailable"


def test_no_platform_and_a_number_unknown_here_says_so_plainly(cache: OfflineCache, clock: Clock) -> None:
    # A mistyped receipt number on a terminal without a platform link: not "cannot check", but "no such
    # number here", with where else to ask.
    for number in ("T0001-00012", CASE):
        answer = ask(cache, clock, number, None)
        assert answer.kind == "not_found"
        assert answer.status_zh == "本机未查到该编号"
        assert "核对" in answer.note_zh
        assert "12345" in answer.note_zh
        assert "No such number" in answer.status_en


def test_no_platform_and_a_delivered_receipt_sends_the_resident_to_the_window(
        cache: OfflineCache, clock: Clock) -> None:
    item = submit(cache)
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_accepted(item.uuid, CASE)
    answer = ask(cache, clock, item.receipt_no, None)
    assert answer.kind == "unavailable"
    assert answer.receipt_no == item.receipt_no
    assert "12345" in answer.note_zh


def test_a_number_without_any_digit_cannot_be_one(cache: OfflineCache, clock: Clock) -> None:
    answer = ask(cache, clock, "TTT-ABC", FakeClient())
    assert answer.kind == "invalid"
    assert answer.status_zh == "号码有误"


# --- unknown numbers -----------------------------------------------------------------------------------


def test_an_unknown_number_asks_to_check_it(cache: OfflineCache, clock: Clock) -> None:
    answer = ask(cache, clock, "T0001-999999", FakeClient())
    assert answer.kind == "not_found"
    assert "核对" in answer.note_zh
    assert "check" in answer.note_en


def test_a_rating_receipt_number_is_not_a_declaration(cache: OfflineCache, clock: Clock) -> None:
    rating = cache.outbox.add_rating({"grade": 5})
    client = FakeClient()
    assert ask(cache, clock, rating.receipt_no, client).kind == "not_found"
    assert client.asked == [rating.receipt_no]


# --- scanning ------------------------------------------------------------------------------------------


class Ticks:
    """A monotonic clock that moves by each read's timeout: 'no code for 30 s' without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeReader:
    def __init__(self, ticks: Ticks, codes: list[str | Exception]) -> None:
        self.ticks = ticks
        self.codes = codes
        self.opened = False

    def open(self) -> None:
        self.opened = True

    def read_code(self, timeout_s: float) -> DecodedCode:
        self.ticks.now += timeout_s
        if not self.codes:
            raise NoCodeRead("nothing")
        code = self.codes.pop(0)
        if isinstance(code, Exception):
            raise code
        return DecodedCode(BarcodeFormat.QR_CODE, code)

    def close(self) -> None:
        pass


def test_a_scan_skips_codes_without_a_number_and_returns_the_first_number() -> None:
    ticks = Ticks()
    ready = threading.Event()
    reader = FakeReader(ticks, [NoCodeRead("x"), "身份证", "https://zwfw.example/q?no=T0001-000042"])
    number = scan_with_reader(reader, cancelled=threading.Event(), ready=ready, monotonic=ticks)
    assert number == "T0001-000042"
    assert reader.opened
    assert ready.is_set()


def test_a_scan_gives_up_after_its_timeout() -> None:
    ticks = Ticks()
    with pytest.raises(NoCodeRead):
        scan_with_reader(FakeReader(ticks, []), cancelled=threading.Event(), timeout_s=5, monotonic=ticks)
    assert ticks.now == pytest.approx(5)
    with pytest.raises(NoNumberInCode):
        scan_with_reader(FakeReader(ticks, ["身份证"]), cancelled=threading.Event(), timeout_s=5, monotonic=ticks)


def test_a_cancelled_scan_stops_and_device_errors_pass_through() -> None:
    ticks = Ticks()
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(ScanCancelled):
        scan_with_reader(FakeReader(ticks, ["T0001-000001"]), cancelled=cancelled, monotonic=ticks)
    with pytest.raises(CodeScannerDisconnected):
        scan_with_reader(FakeReader(ticks, [CodeScannerDisconnected("gone")]), cancelled=threading.Event(),
                         monotonic=ticks)
