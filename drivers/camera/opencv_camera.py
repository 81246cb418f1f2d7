"""The real backend: OpenCV's VideoCapture on a UVC document camera, a video file, an image sequence or a URL.

A read that fails raises a typed error and `status()` reports that failed look; the caller retries. Whether the
camera is offline (several failed looks in a row) is the device manager's decision, and so is reconnecting: it
closes this driver and builds a fresh one with backoff, which is how a re-plugged USB camera comes back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from drivers.camera._cv import require_cv2
from drivers.camera.errors import CameraNotFound, CameraNotOpen, CameraTimeout
from drivers.camera.protocol import CameraInfo, Frame, PreviewFrame, downscale
from drivers.camera.settings import CameraSettings
from drivers.status import DeviceState, DeviceStatus, failed_look

log = logging.getLogger("drivers.camera.opencv")

# VideoCapture(source, api, params) -> an object with isOpened/read/set/get/release.
CaptureFactory = Callable[[Any, int, list[int]], Any]


def parse_source(source: str) -> int | str:
    """A device index as int; anything else (device path, file, pattern, URL) as given."""
    text = source.strip()
    return int(text) if text.isdigit() else text


def _is_device(source: int | str) -> bool:
    return isinstance(source, int) or source.startswith("/dev/video")


def _is_file(source: int | str) -> bool:
    """A local file or image sequence (not a device, not a network stream)."""
    return isinstance(source, str) and not source.startswith("/dev/") and "://" not in source


def fourcc_text(code: float) -> str:
    value = int(code)
    return "".join(chr((value >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00") if value > 0 else ""


class OpenCVCamera:
    def __init__(
        self,
        settings: CameraSettings,
        *,
        capture_factory: CaptureFactory | None = None,
        clock: Callable[[], float] = time.monotonic,
        loop_files: bool = True,
    ) -> None:
        self.settings = settings
        self.source = parse_source(settings.source)
        self._factory = capture_factory
        self._clock = clock
        # Replaying a file stands in for a live camera, which never runs out of frames.
        self._loop_files = loop_files
        self._cap: Any = None
        self._info = CameraInfo("opencv", settings.source, 0, 0)
        self._index = 0
        self._last_error: CameraTimeout | None = None
        # Files are stamped with their own frame times, so a replay shows a page lying still for as
        # long as it did when recorded, however fast the frames are decoded.
        self._file_time = 0.0
        self._file_period = 1.0 / settings.fps

    @property
    def info(self) -> CameraInfo:
        return self._info

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        require_cv2()
        import cv2

        timeout_ms = max(100, int(timeout_s * 1000))
        source = self.source
        if _is_device(source):
            api = cv2.CAP_V4L2
            params: list[int] = []
        else:
            api = cv2.CAP_ANY
            # Honoured by the FFmpeg backend (files, RTSP/HTTP cameras); others ignore them.
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, timeout_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms]
        factory = self._factory or cv2.VideoCapture
        cap = factory(source, api, params)
        if not cap.isOpened():
            cap.release()
            raise CameraNotFound(f"cannot open camera source {self.settings.source!r}")
        if _is_device(source):
            s = self.settings
            # FOURCC first: many UVC cameras only offer their largest sizes in MJPG.
            if s.fourcc:
                cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*s.fourcc[:4].ljust(4)))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
            cap.set(cv2.CAP_PROP_FPS, s.fps)
            # One buffered frame: the preview shows now, not a queue of the past.
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            cap.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms)
        self._cap = cap
        self._info = CameraInfo(
            "opencv",
            self.settings.source,
            int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            fourcc_text(cap.get(cv2.CAP_PROP_FOURCC)),
        )
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if 1.0 <= fps <= 240.0:
            self._file_period = 1.0 / fps
        self._last_error = None
        return self._info

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
        self._last_error = None

    def status(self) -> DeviceStatus:
        if self._cap is None:
            return DeviceStatus(DeviceState.UNKNOWN, "not open")
        if self._last_error is not None:
            return failed_look(self._last_error)
        return DeviceStatus(DeviceState.OK, f"{self._info.width}x{self._info.height}")

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        if self._cap is None:
            raise CameraNotOpen("open() the camera first")
        ok, image = self._cap.read()
        if not ok and self._loop_files and _is_file(self.source):
            # End of a file: start over, as a camera would keep delivering.
            require_cv2()
            import cv2

            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._cap.read()
        if not ok or image is None:
            # The handle is kept: a later read may succeed, and replacing a dead camera is the manager's call.
            self._last_error = CameraTimeout("no frame from camera")
            raise self._last_error
        if self._last_error is not None:
            log.info("camera %r delivers frames again", self.settings.source)
        self._last_error = None
        self._index += 1
        if _is_file(self.source):
            self._file_time += self._file_period
            return Frame(image, self._file_time, self._index)
        return Frame(image, self._clock(), self._index)

    def read_preview(self, timeout_s: float = 1.0, max_width: int = 960) -> tuple[Frame, PreviewFrame]:
        frame = self.read_frame(timeout_s)
        return frame, downscale(frame, max_width)
