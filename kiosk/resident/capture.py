"""Capturing one paper material: the camera preview step, manual and automatic capture, the scanner,
and turning the pages into a `MaterialAttachment`. Qt-free; the material-capture widget drives it.

Every call here runs on a device worker thread and is bounded: a preview `step()` reads frames for at
most about a second, so stopping the preview never waits longer than that. The camera's pages follow
the CLI's pattern (kiosk/cli/device/camera.py): preview → AutoCapture → `capture_page` on the full frame.

Device access goes through a `DeviceUser`, a callable giving a context manager around the driver: the
device manager's `use(role)`, so the manager keeps owning (and health-checking) the device.

Page images are personal data: nothing here logs them, and a `PageShot` lives only as long as the
screen holds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, TypeVar, overload

import numpy as np
import numpy.typing as npt

from drivers.camera.auto_capture import CaptureState
from drivers.camera.capture import CAPTURE_WORK_WIDTH, capture_page
from drivers.camera.deskew import deskew

# Re-exported: the widget tells these apart, and ui reaches drivers only through kiosk.
from drivers.camera.errors import CaptureRejected as CaptureRejected
from drivers.camera.errors import PageNotFound as PageNotFound
from drivers.camera.formats import A4, PageFormat
from drivers.camera.messages import MESSAGES as CAMERA_MESSAGES
from drivers.camera.output import encode_jpeg
from drivers.camera.page_detect import detect_page
from drivers.camera.preview import OUTLINE_OK_BGR, PreviewProcessor
from drivers.camera.protocol import Camera, Frame, Image
from drivers.errors import BackendUnavailable, DeviceError, DeviceNotFound
from drivers.scanner.errors import ScanCancelled as ScanCancelled
from drivers.scanner.messages import MESSAGES as SCANNER_MESSAGES
from drivers.scanner.protocol import Scanner, ScanSettings, Source
from drivers.status import DeviceState
from kiosk.devices.manager import CAMERA, SCANNER, DeviceManager, DeviceNotConfigured, DeviceRole
from kiosk.resident.materials import MESSAGES as MATERIAL_MESSAGES
from kiosk.resident.materials import MaterialAttachment, attach_pages
from offline_cache.catalog import Material as Material  # re-exported for the widget (ui imports kiosk only)
from offline_cache.catalog import ServiceItem as ServiceItem

# The screen needs no more: a preview wider than its label only costs conversion time.
PREVIEW_WIDTH = 640
# About ten preview frames a second reach the screen; frames in between are read and dropped so a
# real camera's buffer never shows the resident a stale picture.
FRAME_INTERVAL_S = 0.08
STEP_BUDGET_S = 1.0
# Consecutive failed steps before this capture gives up on the camera and offers the scanner or staff.
# A decision about the resident's capture flow, which cannot wait for the device manager's next looks;
# it never marks the device offline: the manager's count of failed health looks does that.
FAILURES_BEFORE_UNAVAILABLE = 3
# After this long without a page the screen adds a hint (manual capture, the scanner).
LONG_SEARCH_S = 20.0
# The review image: enough to judge the page on screen, small enough to convert quickly.
REVIEW_HEIGHT = 900
SCAN_PAGE_TIMEOUT_S = 60.0
# Amber, not red: "not yet", never "wrong".
OUTLINE_WARN_BGR = (0, 170, 255)

D = TypeVar("D")
# Gives the driver (of the role's Protocol `D`) for the duration of a with-block.
DeviceUser = Callable[[], AbstractContextManager[D]]

# Texts of this module's own keys; the drivers' and materials' keys are looked up in their tables.
MESSAGES: dict[str, tuple[str, str]] = {
    "capture.camera_unavailable": ("高拍仪暂时不能使用。", "The document camera cannot be used right now."),
    "capture.scanner_unavailable": ("扫描仪暂时不能使用。", "The scanner cannot be used right now."),
    "capture.no_device": (
        "本机暂时不能拍摄或扫描材料，请联系工作人员。",
        "Materials cannot be photographed or scanned here right now. Please ask a member of staff.",
    ),
    "capture.try_scanner": ("请改用扫描仪。", "Please use the scanner instead."),
    "capture.ask_staff": ("请联系工作人员。", "Please ask a member of staff."),
    "capture.scanner_prompt": (
        "请把材料正面朝下放入扫描仪，然后点 开始扫描",
        "Place the page face down in the scanner, then tap Start scan.",
    ),
    "capture.scanning": ("正在扫描，请稍候……", "Scanning, please wait…"),
    "capture.starting": ("正在打开高拍仪……", "Starting the document camera…"),
    "capture.saving": ("正在保存……", "Saving…"),
    "capture.good": ("照片清晰，可以使用。", "The picture is clear and can be used."),
    "capture.scan_good": ("扫描完成，请核对。", "Scanned. Please check the page."),
    "capture.blank_page": (
        "扫到的是空白页，请把材料正面朝下放在玻璃上再扫一次。",
        "The scan is blank: place the page face down on the glass and scan again.",
    ),
    "capture.poor": ("建议重拍：", "Better take it again:"),
    "capture.poor_scan": ("建议重扫：", "Better scan it again:"),
    "capture.long_search": (
        "没有找到材料？也可以直接点 拍照，或改用扫描仪。",
        "No page found? You can tap Capture, or use the scanner.",
    ),
}


def message(key: str) -> tuple[str, str]:
    """(Chinese, English) for any key this flow shows: its own, the camera's, the scanner's, materials'."""
    if key in MESSAGES:
        return MESSAGES[key]
    if key.startswith("camera."):
        text = CAMERA_MESSAGES.get(key, CAMERA_MESSAGES["camera.quality.retry"])
        return text.zh, text.en
    if key.startswith("scanner."):
        return SCANNER_MESSAGES.get(key, SCANNER_MESSAGES["scanner.error"])
    if key.startswith("materials."):
        return MATERIAL_MESSAGES.get(key, MATERIAL_MESSAGES["materials.unreadable"])
    return MESSAGES["capture.camera_unavailable"]


class CameraUnavailable(DeviceError):
    """The camera cannot be used for this capture (not configured, not found, or failing repeatedly)."""

    code = "capture.camera_unavailable"
    message_key = "capture.camera_unavailable"


@dataclass(frozen=True)
class PageShot:
    """One captured page: the JPEG for the outbox and a small RGB copy for the review view."""

    jpeg: bytes = field(repr=False)
    width: int
    height: int
    dpi: int
    device: str
    captured_at: datetime
    # Quality message keys, most important first; () when the page is good.
    advice: tuple[str, ...]
    review: Image = field(repr=False)

    @property
    def ok(self) -> bool:
        return not self.advice


@dataclass(frozen=True)
class PreviewStep:
    """What one preview step gives the screen."""

    # RGB preview with the page outline drawn; None when this step got no frame (a glitch).
    rgb: Image | None = field(repr=False)
    advice: str
    outline_ok: bool
    page_found: bool
    progress: float
    long_search: bool = False
    # Set when auto-capture fired and the page passed the quality check.
    shot: PageShot | None = field(default=None, repr=False)


def reported_offline(role: str, devices: DeviceManager) -> bool:
    """The device manager already knows the device is down (several failed looks)."""
    return devices.configured(role) and devices.status(role).state is DeviceState.OFFLINE


@overload
def device_user(role: Literal["camera"], devices: DeviceManager) -> DeviceUser[Camera]: ...
@overload
def device_user(role: Literal["scanner"], devices: DeviceManager) -> DeviceUser[Scanner]: ...
def device_user(role: Literal["camera", "scanner"], devices: DeviceManager) -> DeviceUser[Camera] | DeviceUser[Scanner]:
    """The manager's driver for `role`, held for one step at a time."""
    if role == "camera":
        return _user(CAMERA, devices)
    return _user(SCANNER, devices)


def _user(role: DeviceRole[D], devices: DeviceManager) -> DeviceUser[D]:
    # Short wait: a health look holds the lock only briefly, and a step must stay under a second.
    return lambda: devices.use(role, wait_s=0.5)


# A page of print has a few per cent of dark pixels; the blank back of a page laid face up, or an empty
# lid, has next to none (dust and the scanner's edge shadow stay well under this share).
_BLANK_INK_SHARE = 0.002
_INK_BELOW = 128


def looks_blank(image: Image) -> bool:
    """Whether a scanned page carries no print at all (the resident put it face up, or nothing at all)."""
    from drivers.camera._cv import require_cv2, typed

    require_cv2()
    import cv2

    gray = image if image.ndim == 2 else typed(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), np.uint8)
    height, width = gray.shape[:2]
    if width > 600:
        gray = typed(cv2.resize(gray, (600, max(1, round(height * 600 / width))), interpolation=cv2.INTER_AREA),
                     np.uint8)
    return float(np.count_nonzero(gray < _INK_BELOW)) / gray.size < _BLANK_INK_SHARE


def _review(image: Image) -> Image:
    """A small RGB copy of a page for the screen."""
    from drivers.camera._cv import require_cv2, typed

    require_cv2()
    import cv2

    if image.ndim == 2:
        image = typed(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), np.uint8)
    height, width = image.shape[:2]
    if height > REVIEW_HEIGHT:
        size = (max(1, round(width * REVIEW_HEIGHT / height)), REVIEW_HEIGHT)
        image = typed(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    rgb: Image = np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    return rgb


def _outline(image: Image, corners: npt.NDArray[np.float32], ok: bool) -> None:
    from drivers.camera._cv import require_cv2

    require_cv2()
    import cv2

    pts = np.round(corners).astype(np.int32).reshape(-1, 1, 2)
    thickness = max(3, image.shape[1] // 160)
    cv2.polylines(image, [pts], True, OUTLINE_OK_BGR if ok else OUTLINE_WARN_BGR, thickness, cv2.LINE_AA)


def _rgb(image: Image) -> Image:
    rgb: Image = np.ascontiguousarray(image[:, :, ::-1]) if image.ndim == 3 else np.ascontiguousarray(image)
    return rgb


class CameraSession:
    """The camera side of one material's capture. Call everything on the camera's worker thread."""

    def __init__(
        self,
        use_camera: DeviceUser[Camera],
        *,
        fmt: PageFormat = A4,
        dpi: int = 150,
        jpeg_quality: int = 85,
        preview_width: int = PREVIEW_WIDTH,
        frame_interval_s: float = FRAME_INTERVAL_S,
        step_budget_s: float = STEP_BUDGET_S,
        failures_before_unavailable: int = FAILURES_BEFORE_UNAVAILABLE,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._use = use_camera
        self.fmt = fmt
        self.dpi = dpi
        self.jpeg_quality = jpeg_quality
        self.frame_interval_s = frame_interval_s
        self.step_budget_s = step_budget_s
        self.failures_before_unavailable = failures_before_unavailable
        self._clock = clock
        self._now = now
        # The outline is drawn here, not by the processor: amber (not red) while something needs fixing.
        self.processor = PreviewProcessor(max_width=preview_width, fmt=fmt, draw=False)
        self._failures = 0
        self._last_ts: float | None = None
        self._rejected = ""
        self._no_page_since: float | None = None

    def reset(self) -> None:
        """A new page: forget the auto-capture state (after a retake, or another page of the material)."""
        self.processor.auto.reset()
        self._rejected = ""
        self._no_page_since = None

    def step(self) -> PreviewStep:
        """Reads frames for at most `step_budget_s`, processes the newest, captures if it is time.

        Raises CameraUnavailable when the camera is not there or has failed several steps running.
        """
        frame = self._read_or_glitch()
        if isinstance(frame, DeviceError):
            return PreviewStep(None, "camera.capture.moving", False, False, 0.0)
        return self._process(frame)

    def _read_or_glitch(self) -> Frame | DeviceError:
        """The newest frame, or the error of a failed step to try again after.

        Raises CameraUnavailable when the camera is not there or this capture's last steps all failed.
        """
        try:
            frame = self._read()
        except (DeviceNotConfigured, DeviceNotFound, BackendUnavailable) as exc:
            raise CameraUnavailable(f"camera unavailable ({exc.code})") from exc
        except DeviceError as exc:
            self._failures += 1
            if self._failures >= self.failures_before_unavailable:
                raise CameraUnavailable(f"camera failed {self._failures} times ({exc.code})") from exc
            return exc
        self._failures = 0
        return frame

    def _read(self) -> Frame:
        deadline = self._clock() + self.step_budget_s
        with self._use() as camera:
            if camera.status().state is DeviceState.UNKNOWN:
                camera.open(min(1.0, self.step_budget_s))
            frame: Frame = camera.read_frame(min(1.0, self.step_budget_s))
            # Drop frames that come sooner than the screen needs them; the newest one is shown.
            while (self._last_ts is not None and frame.timestamp - self._last_ts < self.frame_interval_s
                   and self._clock() < deadline):
                frame = camera.read_frame(max(0.05, min(1.0, deadline - self._clock())))
        self._last_ts = frame.timestamp
        return frame

    def _process(self, frame: Frame) -> PreviewStep:
        result = self.processor.process(frame)
        update = result.auto
        advice = update.advice or "camera.quality.no_page"
        found = result.detection is not None
        if found:
            self._no_page_since = None
        else:
            self._rejected = ""
            if self._no_page_since is None:
                self._no_page_since = frame.timestamp
        shot = None
        if update.capture:
            try:
                page = capture_page(frame, fmt=self.fmt, dpi=self.dpi, jpeg_quality=self.jpeg_quality,
                                    detection=result.detection, keep_image=True)
            except (CaptureRejected, PageNotFound) as exc:
                # Keep looking at the same page for a better frame, and say what to fix meanwhile.
                self._rejected = exc.message_key
                self.processor.auto.retry()
            else:
                assert page.image is not None
                shot = PageShot(page.jpeg, page.width, page.height, page.dpi, "camera", self._now(), (),
                                _review(page.image))
                self._rejected = ""
        if self._rejected and advice in ("camera.capture.moving", "camera.capture.hold_still"):
            advice = self._rejected
        long_search = (self._no_page_since is not None
                       and frame.timestamp - self._no_page_since >= LONG_SEARCH_S)
        ok = found and update.state is not CaptureState.BLOCKED and not self._rejected
        image = result.preview.image
        if result.detection is not None:
            image = image.copy()
            _outline(image, result.detection.corners * result.preview.scale, ok)
        return PreviewStep(_rgb(image), advice, ok, found, update.progress, long_search, shot)

    def capture_now(self) -> PageShot:
        """A manual shot of the newest frame. A page with quality issues is still returned, with its
        advice, for the resident to judge; raises PageNotFound when there is no page in the picture."""
        frame = self._read_or_glitch()
        if isinstance(frame, DeviceError):
            # A glitch is "try again", as in the preview.
            raise PageNotFound("no frame", message_key="camera.quality.retry") from frame
        try:
            page = capture_page(frame, fmt=self.fmt, dpi=self.dpi, jpeg_quality=self.jpeg_quality, keep_image=True)
        except CaptureRejected as exc:
            detection = detect_page(frame.image, work_width=CAPTURE_WORK_WIDTH)
            if detection is None:
                raise PageNotFound("the page moved away") from exc
            image = deskew(frame.image, detection.corners, self.fmt, self.dpi)
            jpeg = encode_jpeg(image, self.jpeg_quality, self.dpi)
            advice = exc.report.message_keys or ("camera.quality.retry",)
            return PageShot(jpeg, int(image.shape[1]), int(image.shape[0]), self.dpi, "camera", self._now(),
                            advice, _review(image))
        assert page.image is not None
        self.processor.auto.reset()
        return PageShot(page.jpeg, page.width, page.height, page.dpi, "camera", self._now(), (),
                        _review(page.image))


class ScannerSession:
    """The scanner side: one flatbed page per `scan()`; `cancel()` may come from any thread."""

    def __init__(self, use_scanner: DeviceUser[Scanner], *, resolution: int = 200) -> None:
        self._use = use_scanner
        self.resolution = resolution
        self._active: Scanner | None = None

    def scan(self) -> PageShot:
        """Raises the scanner's typed errors (NoDocument, PaperJammed, CoverOpen, ScanCancelled ...)."""
        from drivers.camera._cv import require_cv2, typed

        settings = ScanSettings(resolution=self.resolution, source=Source.FLATBED, max_pages=1,
                                page_timeout_s=SCAN_PAGE_TIMEOUT_S)
        with self._use() as scanner:
            self._active = scanner
            try:
                pages = scanner.scan(settings)
            finally:
                self._active = None
        if not pages:
            raise ScanCancelled("the scan returned no page")
        page = pages[0]
        require_cv2()
        import cv2

        decoded = cv2.imdecode(np.frombuffer(page.data, np.uint8), cv2.IMREAD_COLOR)
        if decoded is None:
            raise DeviceError("the scanned page cannot be decoded", code="scanner.error", message_key="scanner.error")
        image = typed(decoded, np.uint8)
        advice = ("capture.blank_page",) if looks_blank(image) else ()
        return PageShot(page.data, page.width_px, page.height_px, page.dpi, "scanner", page.captured_at, advice,
                        _review(image))

    def cancel(self) -> None:
        scanner = self._active
        if scanner is not None:
            scanner.cancel()


def scanner_message_key(exc: BaseException) -> str:
    """The message key for a failed scan; anything unexpected is "unavailable", never a traceback."""
    if isinstance(exc, DeviceError) and exc.message_key.startswith("scanner."):
        return exc.message_key
    return "scanner.unavailable"


def build_attachment(
    shots: Sequence[PageShot], *, item: ServiceItem, material: Material, identified_by_card: bool,
) -> MaterialAttachment:
    """The pages of one material as one attachment (a PDF when there are several).

    Provenance `device` is "camera" or "scanner", or "camera+scanner" when the pages came from both.
    Raises MaterialTooLarge / UnreadableMaterial (kiosk.resident.materials) for the screen to offer a retake.
    """
    devices = sorted({shot.device for shot in shots})
    return attach_pages(
        [shot.jpeg for shot in shots], item=item, material=material.name, device="+".join(devices),
        captured_at=shots[0].captured_at if shots else datetime.now(UTC), identified_by_card=identified_by_card,
    )


__all__ = [
    "CameraSession",
    "CameraUnavailable",
    "CaptureRejected",
    "Material",
    "PageNotFound",
    "PageShot",
    "PreviewStep",
    "ScanCancelled",
    "ScannerSession",
    "ServiceItem",
    "build_attachment",
    "device_user",
    "message",
    "reported_offline",
    "scanner_message_key",
]
