"""The progress query (办件查询): what a resident learns from a receipt number or a case number.

A number comes typed on the keypad or scanned from the receipt's QR code (which holds the case
number once known, else the local receipt number; a URL ending in the number is accepted too).
`query_progress` answers in this order:

1. A local receipt number of this terminal (found in the outbox): a submission still waiting to be
   sent is answered from the outbox alone ("registered here, uploads when the link is back"); one
   the platform refused says so, with the advice to ask staff; a delivered one is asked about by its
   case number.
2. Anything else (a case number, another terminal's receipt number) is asked about as it is: the
   platform's `GET /cases/{number}` accepts both kinds (docs/platform-api.md).
   Without a platform link configured, a number that is not in the outbox (nor cached) is answered
   plainly as not found here: this terminal has no one else to ask.
3. The live answer is cached (`SyncState.put_case_status`, stamped with the time we learnt it); when
   the platform cannot be reached the cached status is shown with that time, or, without one, when to
   try again.

The call blocks on the network: the screen runs it on a worker thread. The answer and the log carry
numbers, statuses, times and the catalogue's service name only, never the resident's data; the
platform's free-text notes are scrubbed of ID and phone numbers before they are shown.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Final, Literal, Protocol
from urllib.parse import parse_qs, urlsplit

from drivers.barcode import messages as barcode_messages
from drivers.barcode.errors import NoCodeRead
from drivers.barcode.protocol import QR_FORMATS, CodeReader, Decoder
from drivers.camera.errors import CameraNotOpen
from drivers.camera.protocol import Camera, Frame
from drivers.errors import DeviceError
from kiosk.config import Config
from kiosk.devices.manager import CAMERA, DeviceManager
from kiosk.platform.errors import CaseNotFound, PlatformAuthError, PlatformError, PlatformUnavailable
from kiosk.platform.models import CaseState, CaseStatus
from kiosk.privacy import scrub
from offline_cache.outbox import OutboxItem
from offline_cache.store import OfflineCache
from offline_cache.timeutil import utc_now

log = logging.getLogger(__name__)

AnswerKind = Literal["live", "cached", "queued", "rejected", "unavailable", "not_found", "invalid"]



class CaseLookup(Protocol):
    """What the query needs of a platform client; `kiosk.platform.client.PlatformClient` has it."""

    def get_case(self, number: str) -> CaseStatus: ...

    def close(self) -> None: ...


ClientFactory = Callable[[], CaseLookup | None]

NUMBER_RE: Final = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Query parameters a receipt URL may carry the number in, most specific first.
_URL_KEYS: Final = ("case_no", "receipt_no", "number", "no", "case", "receipt", "q", "id")
_TOKEN_SPLIT: Final = re.compile(r"[\s/=?&#:;,，、：；]+")
# Dashes a scanner or an input method may send in place of '-'.
_DASHES: Final = dict.fromkeys(map(ord, "‐‑‒–—―−﹣－"), "-")
RETRY_MINUTES: Final = 10
# A resident stands waiting: give up sooner than the sync engine does, and show the cached status.
QUERY_CONNECT_TIMEOUT_S: Final = 3.0
QUERY_READ_TIMEOUT_S: Final = 8.0
_NOTE_MAX: Final = 80

# Status headline per case state: Chinese (as the national 一网通办 portals word it), English.
STATE_TEXT: Final[dict[str, tuple[str, str]]] = {
    CaseState.RECEIVED.value: ("已收件", "Received"),
    CaseState.ACCEPTED.value: ("已受理", "Accepted"),
    CaseState.IN_PROGRESS.value: ("办理中", "In progress"),
    CaseState.COMPLETED.value: ("已办结", "Completed"),
    CaseState.REJECTED.value: ("不予受理", "Not accepted"),
}
# What happens next, per state (shown under the headline).
STATE_NOTE: Final[dict[str, tuple[str, str]]] = {
    CaseState.RECEIVED.value: ("平台已收到您的申报，等待工作人员受理。",
                               "The platform has your application; staff will review it."),
    CaseState.ACCEPTED.value: ("申报已受理，正在安排办理。", "Your application was accepted and will be processed."),
    CaseState.IN_PROGRESS.value: ("正在办理中，请耐心等待。", "Your application is being processed."),
    CaseState.COMPLETED.value: ("已办结，请按您选择的方式领取结果。",
                                "Done: collect the result the way you chose."),
    CaseState.REJECTED.value: ("未予受理，请到服务窗口咨询原因。",
                               "Not accepted: please ask at the service window why."),
}


@dataclass(frozen=True, slots=True)
class ProgressStep:
    """One step of the case's history, oldest first."""

    status: str
    title_zh: str
    title_en: str
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class ProgressAnswer:
    """What the screen shows. `status_zh`/`status_en` is the big headline; `note_*` the explanation;
    `at` the time the headline refers to (the platform's update time, the time a cached status was
    learnt, or when a queued submission was made). `offline` marks an answer given without the platform.
    """

    kind: AnswerKind
    number: str
    receipt_no: str | None = None
    case_no: str | None = None
    service_name: str | None = None
    status: str | None = None
    status_zh: str = ""
    status_en: str = ""
    at: datetime | None = None
    at_text: str = ""
    note_zh: str = ""
    note_en: str = ""
    steps: tuple[ProgressStep, ...] = ()
    offline: bool = False


def platform_client_factory(config: Config, data_dir: Path) -> ClientFactory:
    """Builds a fresh client per query (a client is meant for one thread) with short timeouts."""

    def build() -> CaseLookup | None:
        # Imported here: kiosk.runtime pulls in the sync engine and the device manager.
        from kiosk.runtime import make_client

        platform = dataclasses.replace(
            config.platform,
            connect_timeout_s=min(config.platform.connect_timeout_s, QUERY_CONNECT_TIMEOUT_S),
            read_timeout_s=min(config.platform.read_timeout_s, QUERY_READ_TIMEOUT_S),
        )
        return make_client(dataclasses.replace(config, platform=platform), data_dir)

    return build


def normalise_number(text: str) -> str | None:
    """The number in what was typed or scanned, its letters in the case they came in; None when there is none.

    Accepts surrounding blanks, full-width characters, odd dashes, a URL carrying the number as a query
    parameter or as its last path segment, and text whose last token is the number ("回执号：T0001-000123").
    Case is never folded: case and receipt numbers are opaque (docs/platform-api.md), so `Px-000001_k`
    is asked for as it is, and a terminal whose id has lower-case letters finds its own receipts.
    """
    cleaned = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    if not cleaned:
        return None
    candidate = ""
    if re.match(r"[a-z][a-z0-9+.-]*://", cleaned, re.IGNORECASE):
        parts = urlsplit(cleaned)
        query = {key.lower(): values for key, values in parse_qs(parts.query).items()}
        for key in _URL_KEYS:
            if query.get(key):
                candidate = query[key][-1].strip()
                break
        if not candidate:
            segments = [s for s in parts.path.split("/") if s]
            candidate = segments[-1] if segments else ""
    else:
        tokens = [t for t in _TOKEN_SPLIT.split(cleaned) if t]
        candidate = tokens[-1] if tokens else ""
    candidate = candidate.strip(".-_")
    if not NUMBER_RE.fullmatch(candidate):
        return None
    return candidate


def format_time(at: datetime, tz: tzinfo | None = None) -> str:
    """'11月27日 14:05' in the terminal's time zone (or `tz`)."""
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def format_time_en(at: datetime, tz: tzinfo | None = None) -> str:
    local = at.astimezone(tz)
    return f"{local:%d %b %H:%M}"


def state_text(status: str) -> tuple[str, str]:
    """The headline for a platform status code; an unknown code is shown as it is."""
    return STATE_TEXT.get(status, (status, status))


def _service_name(cache: OfflineCache, code: str | None) -> str | None:
    if not code:
        return None
    item = cache.catalog.get(code)
    return item.name if item is not None else None


def _find_local(cache: OfflineCache, number: str) -> OutboxItem | None:
    """The submission this number names on this terminal: by receipt number, then by case number."""
    item = cache.outbox.find_by_receipt(number)
    if item is not None and item.kind == "submission":
        return item
    item = cache.outbox.find_by_case(number)
    if item is not None and item.kind == "submission":
        return item
    return None


def _invalid(number: str) -> ProgressAnswer:
    return ProgressAnswer(
        "invalid", number,
        status_zh="号码有误", status_en="Not a valid number",
        note_zh="请核对回执上的受理编号（例如 T0001-000123）后重新输入。",
        note_en="Please check the number on your receipt (e.g. T0001-000123) and type it again.",
    )


def could_be_number(number: str) -> bool:
    """Whether a normalised number can be a receipt or case number at all: every receipt number
    (`<terminal id>-<digits>`) and every case number carries digits, so a number without any (a word
    typed on the letters pad) is a typing slip, said so at once rather than asked about."""
    return any(char.isdigit() for char in number)


def _not_here(number: str) -> ProgressAnswer:
    """No platform link to ask and nothing here by that number: the terminal says what it knows."""
    return ProgressAnswer(
        "not_found", number,
        status_zh="本机未查到该编号", status_en="No such number on this terminal",
        note_zh="请核对编号是否输入正确。本机只能查询在本机申报的事项，其他办件请到服务窗口或拨打 12345 查询。",
        note_en="Please check the number. This terminal can only look up applications made here; "
                "for others ask at the service window or call 12345.",
        offline=True,
    )


def _not_found(number: str) -> ProgressAnswer:
    return ProgressAnswer(
        "not_found", number,
        status_zh="未查到该编号", status_en="Number not found",
        note_zh="请核对回执上的编号后重新输入；如仍查不到，请到服务窗口咨询。",
        note_en="Please check the number on your receipt and try again, or ask at the service window.",
    )


def query_progress(
    number: str,
    *,
    cache: OfflineCache,
    client_factory: ClientFactory,
    clock: Callable[[], datetime],
    tz: tzinfo | None = None,
) -> ProgressAnswer:
    """The answer for `number` (typed or scanned); see the module docstring. Blocks on the network.

    `client_factory` returns a platform client, or None when no platform is configured; a client it
    returns is closed here. `clock` gives the aware current time (the cache stamp of a live answer);
    `tz` the zone times are shown in (the terminal's own by default).
    """
    normalised = normalise_number(number)
    if normalised is None or not could_be_number(normalised):
        log.info("progress: a query with no usable number")
        return _invalid(normalised or number.strip()[:64])

    local = _find_local(cache, normalised)
    receipt_no = local.receipt_no if local is not None else None
    case_no = local.case_no if local is not None else None
    service_name = _service_name(cache, local.service_code if local is not None else None)
    if local is not None and local.state in ("pending", "sending"):
        log.info("progress: %s is still in the outbox (%s)", local.receipt_no, local.state)
        return ProgressAnswer(
            "queued", normalised, receipt_no=receipt_no, service_name=service_name, status=local.state,
            status_zh="已在本机登记，联网后自动上传", status_en="Registered here; it uploads when the link is back",
            at=local.created_at, at_text=f"登记时间 {format_time(local.created_at, tz)} · "
            f"Registered {format_time_en(local.created_at, tz)}",
            note_zh="您的申报已安全保存在本机，网络恢复后自动提交，无需再次办理。联网后可再次查询办理进度。",
            note_en="Your application is stored safely here and will be sent automatically; "
                    "you need not apply again. Check back once it has been sent.",
            offline=True,
        )
    if local is not None and local.state == "rejected":
        log.info("progress: %s was refused by the platform", local.receipt_no)
        return ProgressAnswer(
            "rejected", normalised, receipt_no=receipt_no, service_name=service_name, status="rejected_upload",
            status_zh="平台未接收此申报", status_en="The platform did not take this application",
            at=local.state_changed_at,
            at_text=f"{format_time(local.state_changed_at, tz)} · {format_time_en(local.state_changed_at, tz)}",
            note_zh="请携带回执到服务窗口，由工作人员为您处理。",
            note_en="Please take your receipt to the service window; staff will sort it out.",
        )

    ask = case_no or normalised
    try:
        client = client_factory()
    except Exception as exc:  # noqa: BLE001 - a platform set up wrongly must not stop the query
        log.warning("progress: no platform client (%s)", type(exc).__name__)
        client = None
    if client is None:
        return _offline(cache, normalised, receipt_no, case_no, service_name, tz, retry_after=None, configured=False)
    try:
        status = client.get_case(ask)
    except ValueError:
        return _invalid(normalised)
    except CaseNotFound:
        if local is not None:
            # Delivered, yet the platform does not know it (a platform restore?): staff must look.
            log.warning("progress: the platform does not know delivered case %s", case_no)
            return ProgressAnswer(
                "not_found", normalised, receipt_no=receipt_no, case_no=case_no, service_name=service_name,
                status_zh="平台暂未查到此件", status_en="The platform has no record of it yet",
                note_zh="请携带回执到服务窗口咨询。", note_en="Please take your receipt to the service window.",
            )
        log.info("progress: the platform knows no case by the number asked")
        return _not_found(normalised)
    except PlatformError as exc:
        level = logging.WARNING if isinstance(exc, PlatformAuthError) else logging.INFO
        log.log(level, "progress: platform not reachable for a query (%s)", exc.code)
        retry_after = exc.retry_after if isinstance(exc, PlatformUnavailable) else None
        return _offline(cache, normalised, receipt_no, case_no, service_name, tz, retry_after=retry_after,
                        configured=True)
    finally:
        client.close()

    learnt = clock()
    cache.sync_state.put_case_status(status.case_no, status.status.value, learnt)
    log.info("progress: case %s is %s", status.case_no, status.status.value)
    return _live(status, normalised, receipt_no, service_name or _service_name(cache, status.service_code), tz)


def _live(status: CaseStatus, number: str, receipt_no: str | None, service_name: str | None,
          tz: tzinfo | None) -> ProgressAnswer:
    zh, en = state_text(status.status.value)
    note_zh, note_en = STATE_NOTE.get(status.status.value, ("", ""))
    steps = tuple(
        ProgressStep(event.status.value, *state_text(event.status.value), event.at, scrub(event.note)[:_NOTE_MAX])
        for event in status.history
    )
    return ProgressAnswer(
        "live", number, receipt_no=receipt_no or status.local_receipt_no, case_no=status.case_no,
        service_name=service_name, status=status.status.value, status_zh=zh, status_en=en,
        at=status.updated_at,
        at_text=f"更新于 {format_time(status.updated_at, tz)} · Updated {format_time_en(status.updated_at, tz)}",
        note_zh=note_zh, note_en=note_en, steps=steps,
    )


def _offline(cache: OfflineCache, number: str, receipt_no: str | None, case_no: str | None,
             service_name: str | None, tz: tzinfo | None, *, retry_after: float | None,
             configured: bool) -> ProgressAnswer:
    cached = cache.sync_state.case_status(case_no or number)
    if cached is not None:
        zh, en = state_text(cached.status)
        when, when_en = format_time(cached.updated_at, tz), format_time_en(cached.updated_at, tz)
        link_zh, link_en = ("当前无法联网", "no connection now") if configured else (
            "本机未连接政务服务平台", "this terminal has no platform link")
        return ProgressAnswer(
            "cached", number, receipt_no=receipt_no, case_no=cached.case_no, service_name=service_name,
            status=cached.status, status_zh=zh, status_en=en, at=cached.updated_at,
            at_text=f"以下为 {when} 的状态，{link_zh} · Status as of {when_en}; {link_en}",
            note_zh="联网后再次查询可获得最新进度。", note_en="Query again once the link is back for the latest.",
            offline=True,
        )
    if not configured:
        if receipt_no is None:
            return _not_here(number)
        return ProgressAnswer(
            "unavailable", number, receipt_no=receipt_no, case_no=case_no, service_name=service_name,
            status_zh="本机暂不能查询办理进度", status_en="Progress cannot be checked at this terminal",
            note_zh="请到服务窗口或拨打 12345 政务服务热线查询。",
            note_en="Please ask at the service window or call the 12345 hotline.",
            offline=True,
        )
    minutes = RETRY_MINUTES if retry_after is None else max(1, round(retry_after / 60))
    return ProgressAnswer(
        "unavailable", number, receipt_no=receipt_no, case_no=case_no, service_name=service_name,
        status_zh="当前无法联网查询", status_en="Cannot check now: no connection",
        note_zh=f"请约 {minutes} 分钟后再试，或到服务窗口咨询。",
        note_en=f"Please try again in about {minutes} minutes, or ask at the service window.",
        offline=True,
    )


# --- reading the receipt's QR code ------------------------------------------------------------------

SCAN_TIMEOUT_S: Final = 30.0
# Each blocking read is this short, so cancelling (the resident typed instead, or left) is seen at once.
_SCAN_STEP_S: Final = 0.5


class ScanCancelled(DeviceError):
    """The scan was stopped before a code arrived (the screen was left or the resident typed)."""

    code = "barcode.cancelled"
    message_key = "barcode.show_code"


class NoNumberInCode(DeviceError):
    """Codes were read, but none held a receipt or case number (another QR code was shown)."""

    code = "barcode.no_number"
    message_key = "barcode.unreadable"


def _deadline_loop(read_once: Callable[[float], list[str]], timeout_s: float, cancelled: threading.Event,
                   monotonic: Callable[[], float]) -> str:
    deadline = monotonic() + timeout_s
    saw_other_code = False
    while not cancelled.is_set():
        remaining = deadline - monotonic()
        if remaining <= 0:
            break
        for text in read_once(min(_SCAN_STEP_S, remaining)):
            number = normalise_number(text)
            if number is not None:
                log.info("progress: a number was read from a QR code")
                return number
            saw_other_code = True
    if cancelled.is_set():
        raise ScanCancelled("scan cancelled")
    if saw_other_code:
        raise NoNumberInCode("codes were read, none held a receipt or case number")
    raise NoCodeRead(f"no code within {timeout_s:g} s")


def scan_with_reader(reader: CodeReader, *, cancelled: threading.Event, timeout_s: float = SCAN_TIMEOUT_S,
                     ready: threading.Event | None = None,
                     monotonic: Callable[[], float] = time.monotonic) -> str:
    """The number from the next code a hand-held scanner reads; typed DeviceErrors otherwise.

    `ready` is set once the reader listens (a serial port drops what arrived before it was opened).
    """
    opener = getattr(reader, "open", None)
    if callable(opener):
        opener()
    if ready is not None:
        ready.set()

    def read_once(step: float) -> list[str]:
        try:
            return [reader.read_code(step).text]
        except NoCodeRead:
            return []

    return _deadline_loop(read_once, timeout_s, cancelled, monotonic)


FrameSink = Callable[[Frame], None]


def scan_with_camera(camera: Camera, decoder: Decoder, *, cancelled: threading.Event,
                     timeout_s: float = SCAN_TIMEOUT_S, ready: threading.Event | None = None,
                     monotonic: Callable[[], float] = time.monotonic, on_frame: FrameSink | None = None) -> str:
    """The number from the first QR code in the document camera's frames; typed DeviceErrors otherwise.
    `on_frame` gets every frame read (the screen's live preview), on this thread."""

    def read_once(step: float) -> list[str]:
        try:
            frame = camera.read_frame(step)
        except CameraNotOpen:
            camera.open(step)
            frame = camera.read_frame(step)
        if ready is not None:
            ready.set()
        if on_frame is not None:
            on_frame(frame)
        return [code.text for code in decoder.decode(frame.image)]

    return _deadline_loop(read_once, timeout_s, cancelled, monotonic)


def open_serial_reader(config: Config) -> CodeReader:
    """The configured hand-held QR scanner (devices.barcode.backend = "serial")."""
    from drivers.barcode.serial_scanner import SerialCodeReader

    return SerialCodeReader(config.devices.barcode.port)


def run_query(cache: OfflineCache, client_factory: ClientFactory, number: str) -> ProgressAnswer:
    """`query_progress` as the screen's worker thread runs it (the clock is the wall clock)."""
    try:
        return query_progress(number, cache=cache, client_factory=client_factory, clock=utc_now)
    finally:
        # The worker's SQLite connection goes with the query: the thread may stop next.
        cache.db.close_thread_connection()


ScanSource = Literal["serial", "camera"]


def scan_source(config: Config, camera_configured: bool) -> ScanSource | None:
    """How this terminal reads a receipt's QR code: its serial scanner, the document camera's frames
    decoded by the configured decoder, or not at all (None)."""
    backend = config.devices.barcode.backend
    if backend == "serial":
        return "serial"
    if backend in ("zxing", "pyzbar") and camera_configured:
        return "camera"
    return None


def run_scan(config: Config, devices: DeviceManager, source: ScanSource, cancelled: threading.Event,
             ready: threading.Event, on_frame: FrameSink | None = None) -> str:
    """On the screen's worker thread: the number from the receipt's QR code; typed DeviceErrors otherwise."""
    if source == "serial":
        reader = open_serial_reader(config)
        try:
            return scan_with_reader(reader, cancelled=cancelled, ready=ready)
        finally:
            reader.close()
    from drivers.barcode.factory import make_decoder

    decoder = make_decoder(config.devices.barcode.backend, QR_FORMATS)
    with devices.use(CAMERA) as camera:
        return scan_with_camera(camera, decoder, cancelled=cancelled, ready=ready, on_frame=on_frame)


def scan_failure_text(error: BaseException) -> tuple[str, str] | None:
    """What the resident reads after a failed scan (Chinese, English); None for a cancelled scan."""
    if isinstance(error, ScanCancelled):
        return None
    if isinstance(error, NoCodeRead):
        return ("没有读到二维码，请再试一次，或直接输入回执上的编号。",
                "No QR code was read. Try again, or type the number on the receipt.")
    if isinstance(error, DeviceError):
        log.info("progress: QR scan failed (%s)", error.code)
        return barcode_messages.message(error.message_key), barcode_messages.message(error.message_key, "en")
    log.error("progress: QR scan failed: %s", type(error).__name__)
    return barcode_messages.message("barcode.unavailable"), barcode_messages.message("barcode.unavailable", "en")
