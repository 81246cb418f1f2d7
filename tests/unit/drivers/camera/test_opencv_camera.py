"""OpenCVCamera's own logic (source parsing, failure counting, reconnect with backoff) with a stand-in capture.

The real VideoCapture on files is exercised in tests/integration/test_camera_opencv.py.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest

from drivers.camera.errors import CameraDisconnected, CameraNotFound, CameraNotOpen, CameraTimeout
from drivers.camera.opencv_camera import OpenCVCamera, fourcc_text, parse_source
from drivers.camera.settings import CameraSettings
from drivers.status import DeviceState


class FakeCapture:
    """Plays a script of read results: True = a frame, False = a failed read."""

    def __init__(self, script: list[bool], opened: bool = True) -> None:
        self.script = script
        self.opened = opened
        self.props: dict[int, float] = {}
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def read(self) -> tuple[bool, Any]:
        ok = self.script.pop(0) if self.script else False
        return ok, (np.zeros((48, 64, 3), np.uint8) if ok else None)

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.props.get(prop, 0.0)

    def release(self) -> None:
        self.released = True


class Rig:
    def __init__(self, captures: list[FakeCapture]) -> None:
        self.captures = captures
        self.opened: list[tuple[Any, int]] = []
        self.now = 0.0
        self.slept: list[float] = []

    def factory(self, source: Any, api: int, params: list[int]) -> FakeCapture:
        self.opened.append((source, api))
        return self.captures.pop(0)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def camera(self, source: str = "/dev/video0") -> OpenCVCamera:
        return OpenCVCamera(CameraSettings(source=source, failures_before_offline=3), capture_factory=self.factory,
                            clock=lambda: self.now, sleep=self.sleep)


def test_parse_source() -> None:
    assert parse_source("0") == 0
    assert parse_source(" 2 ") == 2
    assert parse_source("/dev/video1") == "/dev/video1"
    assert parse_source("rtsp://10.0.0.5/stream") == "rtsp://10.0.0.5/stream"


def test_fourcc_text() -> None:
    assert fourcc_text(float(ord("M") | ord("J") << 8 | ord("P") << 16 | ord("G") << 24)) == "MJPG"
    assert fourcc_text(0.0) == ""


def test_device_gets_format_and_resolution_requested() -> None:
    rig = Rig([FakeCapture([True])])
    camera = rig.camera()
    camera.open()
    import cv2

    cap = rig.opened[0]
    assert cap == ("/dev/video0", cv2.CAP_V4L2)
    info = camera.info
    assert (info.width, info.height, info.fourcc) == (1920, 1080, "MJPG")


def test_a_missing_device_is_not_found() -> None:
    rig = Rig([FakeCapture([], opened=False)])
    with pytest.raises(CameraNotFound):
        rig.camera().open()


def test_reading_before_open_is_a_typed_error() -> None:
    with pytest.raises(CameraNotOpen):
        Rig([]).camera().read_frame()


def test_one_glitch_is_a_timeout_and_degrades_but_does_not_go_offline() -> None:
    rig = Rig([FakeCapture([True, False, True])])
    camera = rig.camera()
    camera.open()
    camera.read_frame()
    with pytest.raises(CameraTimeout):
        camera.read_frame()
    assert camera.status().state is DeviceState.DEGRADED
    camera.read_frame()
    assert camera.status().state is DeviceState.OK


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_offline_after_three_failures_then_reconnects_with_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # The offline warning is expected. The suite's `expected_logs` fixture is torn down before the hook
    # that consults it, so keep the record from reaching the root logger instead.
    records = _Records()
    logger = logging.getLogger("drivers.camera.opencv")
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "handlers", [records])
    rig = Rig([FakeCapture([True, False, False, False]), FakeCapture([], opened=False), FakeCapture([True])])
    camera = rig.camera()
    camera.open()
    camera.read_frame()
    for error in (CameraTimeout, CameraTimeout, CameraDisconnected):
        with pytest.raises(error):
            camera.read_frame()
    status = camera.status()
    assert (status.state, status.message_key) == (DeviceState.OFFLINE, "camera.unavailable")
    # First reconnect after 0.5 s: the device is still missing, so the wait doubles.
    with pytest.raises(CameraDisconnected, match="still missing"):
        camera.read_frame(timeout_s=1.0)
    assert rig.slept == [0.5]
    # The next attempt is 1 s away: a read with a shorter timeout does not wait for it.
    with pytest.raises(CameraDisconnected, match="next reconnect"):
        camera.read_frame(timeout_s=0.2)
    frame = camera.read_frame(timeout_s=1.0)
    assert frame.image.shape == (48, 64, 3)
    assert rig.slept == [0.5, 1.0]
    assert camera.status().state is DeviceState.OK
    assert len(rig.opened) == 3
    assert [m for m in records.messages if "offline after 3 failed reads" in m]


def test_close_releases_the_device() -> None:
    cap = FakeCapture([True])
    rig = Rig([cap])
    camera = rig.camera()
    camera.open()
    camera.close()
    camera.close()
    assert cap.released
