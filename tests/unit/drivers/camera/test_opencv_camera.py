"""OpenCVCamera's own logic (source parsing, each read reported as it went) with a stand-in capture.

The real VideoCapture on files is exercised in tests/integration/test_camera_opencv.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from drivers.camera.errors import CameraNotFound, CameraNotOpen, CameraTimeout
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

    def factory(self, source: Any, api: int, params: list[int]) -> FakeCapture:
        self.opened.append((source, api))
        return self.captures.pop(0)

    def camera(self, source: str = "/dev/video0") -> OpenCVCamera:
        return OpenCVCamera(CameraSettings(source=source), capture_factory=self.factory, clock=lambda: self.now)


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


def test_every_failed_read_is_a_failed_look_and_the_driver_never_declares_itself_offline() -> None:
    # Offline (after several failed looks) and reconnecting are the device manager's; the driver keeps
    # its handle and reports each read as it went.
    rig = Rig([FakeCapture([True, False, False, False, False, True])])
    camera = rig.camera()
    camera.open()
    camera.read_frame()
    assert camera.status().state is DeviceState.OK
    for _ in range(4):
        with pytest.raises(CameraTimeout):
            camera.read_frame()
        status = camera.status()
        assert (status.state, status.detail) == (DeviceState.DEGRADED, CameraTimeout.code)
    camera.read_frame()
    assert camera.status().state is DeviceState.OK
    assert len(rig.opened) == 1


def test_close_releases_the_device() -> None:
    cap = FakeCapture([True])
    rig = Rig([cap])
    camera = rig.camera()
    camera.open()
    camera.close()
    camera.close()
    assert cap.released
    assert camera.status().state is DeviceState.UNKNOWN
    with pytest.raises(CameraNotOpen):
        camera.read_frame()
