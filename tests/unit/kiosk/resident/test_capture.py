"""The Qt-free capture logic: preview steps, auto and manual capture, the scanner, failures, attachments."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from drivers.camera.errors import CameraDisconnected, PageNotFound
from drivers.camera.protocol import CameraInfo, Frame, Image
from drivers.camera.settings import CameraSettings
from drivers.camera.simulated import SimulatedCamera
from drivers.scanner.errors import NoDocument, PaperJammed, ScannerIOError
from drivers.scanner.simulated import SimulatedScanner
from drivers.status import DeviceState, DeviceStatus
from kiosk.config import config_from_mapping, sample_catalog_path
from kiosk.devices.manager import DeviceManager, DeviceNotConfigured
from kiosk.resident import capture as capture_session
from kiosk.resident.capture import (
    CameraSession,
    CameraUnavailable,
    PageShot,
    PreviewStep,
    ScannerSession,
    build_attachment,
    device_user,
    message,
    scanner_message_key,
)
from offline_cache.catalog import Material, ServiceItem

SAMPLE = sample_catalog_path()
HUKOU = Material("居民户口簿", "原件1份", "paper", required=True, waivable=False, note="")
WHEN = datetime(2026, 11, 27, 10, 12, 3, tzinfo=UTC)


def service_item() -> ServiceItem:
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"][0]
    return dataclasses.replace(ServiceItem.from_dict(base), code="330000-GA-XK-0001", materials=(HUKOU,))


def sim_camera(scene: str) -> SimulatedCamera:
    # Virtual time: frames come as fast as asked, stamped index / fps, so results never depend on speed.
    return SimulatedCamera(CameraSettings(backend="simulated", source=f"scene:{scene}"), realtime=False)


def holding(driver: Any) -> Callable[[], AbstractContextManager[Any]]:
    """A device user that hands out `driver` (the device manager's `use` without the manager)."""
    return lambda: nullcontext(driver)


def session_for(camera: Any, **kw: Any) -> CameraSession:
    return CameraSession(holding(camera), now=lambda: WHEN, **kw)


def steps(session: CameraSession, limit: int) -> Iterator[PreviewStep]:
    for _ in range(limit):
        yield session.step()


class FakeCamera:
    """Frames of a fixed image at 30 fps virtual time, or a failure on every read."""

    info = CameraInfo("fake", "fake", 640, 360)

    def __init__(self, image: Image | None = None, error: Exception | None = None) -> None:
        self.image = image if image is not None else np.full((360, 640, 3), 90, np.uint8)
        self.error = error
        self.index = 0
        self.opened = 0
        self.closed = 0

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        self.opened += 1
        return self.info

    def close(self) -> None:
        self.closed += 1

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.OK if self.opened else DeviceState.UNKNOWN)

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        if self.error is not None:
            raise self.error
        self.index += 1
        return Frame(self.image, self.index / 30.0, self.index)


def test_messages_cover_own_camera_scanner_and_material_keys() -> None:
    assert message("capture.camera_unavailable")[0] == "高拍仪暂时不能使用。"
    assert message("capture.scanner_prompt")[0].startswith("请把材料正面朝下放入扫描仪")
    assert message("camera.quality.too_dark")[0].startswith("光线太暗")
    assert message("camera.quality.glare")[1].startswith("There is glare")
    assert message("scanner.no_document")[0].startswith("未检测到材料")
    assert message("materials.too_large")[0].startswith("材料图像过大")
    assert message("camera.unknown.key") == message("camera.quality.retry")
    assert scanner_message_key(NoDocument()) == "scanner.no_document"
    assert scanner_message_key(PaperJammed()) == "scanner.jammed"
    assert scanner_message_key(ScannerIOError()) == "scanner.unavailable"
    assert scanner_message_key(RuntimeError("bug")) == "scanner.unavailable"


def test_a_still_page_is_captured_automatically() -> None:
    session = session_for(sim_camera("still"))
    seen: list[PreviewStep] = []
    for step in steps(session, 40):
        seen.append(step)
        if step.shot is not None:
            break
    shot = seen[-1].shot
    assert shot is not None, [s.advice for s in seen]
    first = seen[0]
    assert first.rgb is not None
    assert first.rgb.shape[1] == capture_session.PREVIEW_WIDTH
    assert first.page_found
    assert first.outline_ok
    assert any(s.advice == "camera.capture.hold_still" and 0 < s.progress < 1 for s in seen)
    assert shot.ok
    assert shot.device == "camera"
    assert shot.captured_at == WHEN
    assert shot.jpeg.startswith(b"\xff\xd8")
    assert shot.dpi == 150
    assert shot.height > shot.width  # the deskewed A4 page stands upright
    assert shot.review.shape[0] <= capture_session.REVIEW_HEIGHT
    assert shot.review.shape[2] == 3
    # Several frames are read per step, so the screen gets about ten a second of a 30 fps camera.
    indexes = [s for s in seen if s.rgb is not None]
    assert len(indexes) == len(seen)


def test_the_outline_is_green_when_good_and_amber_when_cut_off() -> None:
    good = session_for(sim_camera("still")).step()
    cut = session_for(sim_camera("cutoff")).step()
    assert good.rgb is not None
    assert cut.rgb is not None
    green = np.all(good.rgb == (60, 200, 80), axis=2).sum()  # OUTLINE_OK_BGR as RGB
    amber = np.all(cut.rgb == (255, 170, 0), axis=2).sum()
    assert green > 100
    assert amber > 100
    assert not cut.outline_ok
    assert cut.page_found
    assert cut.advice == "camera.quality.cut_off"


def test_a_blurred_page_is_not_captured_and_the_advice_says_why() -> None:
    session = session_for(sim_camera("blurred"))
    seen = list(steps(session, 25))
    assert all(s.shot is None for s in seen)
    assert seen[-1].advice == "camera.quality.blurry" or "camera.quality.blurry" in {s.advice for s in seen}
    assert any(not s.outline_ok for s in seen if s.advice == "camera.quality.blurry")


def test_an_empty_desk_asks_for_the_page_and_after_a_while_hints_at_other_ways() -> None:
    session = session_for(FakeCamera(), frame_interval_s=2.0, step_budget_s=60.0)
    first = session.step()
    assert first.advice == "camera.quality.no_page"
    assert not first.page_found
    assert not first.long_search
    later = [session.step() for _ in range(12)]
    assert later[-1].long_search
    assert all(s.shot is None for s in later)


def test_manual_capture() -> None:
    shot = session_for(sim_camera("still")).capture_now()
    assert shot.ok
    assert shot.device == "camera"
    blurred = session_for(sim_camera("blurred")).capture_now()
    assert blurred.advice == ("camera.quality.blurry",)  # returned for the resident to judge
    assert blurred.jpeg.startswith(b"\xff\xd8")
    with pytest.raises(PageNotFound):
        session_for(FakeCamera()).capture_now()


def test_a_glitch_is_forgiven_but_a_disconnected_camera_becomes_unavailable() -> None:
    camera = FakeCamera(error=CameraDisconnected("unplugged"))
    session = session_for(camera)
    for _ in range(capture_session.FAILURES_BEFORE_UNAVAILABLE - 1):
        step = session.step()
        assert step.rgb is None
        assert step.shot is None
    with pytest.raises(CameraUnavailable):
        session.step()
    camera.error = None
    assert session.step().rgb is not None  # back: the failure count starts again


def test_a_camera_that_is_not_there_is_unavailable_at_once() -> None:
    def missing() -> Any:
        raise DeviceNotConfigured("camera is not configured")

    with pytest.raises(CameraUnavailable):
        CameraSession(missing).step()
    with pytest.raises(CameraUnavailable):
        session_for(sim_camera("no-such-scene")).step()


def test_reset_lets_the_same_page_be_captured_again() -> None:
    session = session_for(sim_camera("still"))
    assert any(s.shot is not None for s in steps(session, 40))
    # Without a reset the auto-capture waits for the page to change ...
    assert all(s.shot is None for s in steps(session, 12))
    session.reset()
    assert any(s.shot is not None for s in steps(session, 40))


def test_device_user_hands_out_the_device_manager_s_driver(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"camera": {"backend": "simulated", "source": "scene:still"},
                                              "scanner": {"backend": "none"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        step = CameraSession(device_user("camera", manager)).step()
        assert step.rgb is not None
        assert step.page_found
        with device_user("camera", manager)() as camera:
            assert camera.status().state is DeviceState.OK  # opened by the step, and still the manager's
        with pytest.raises(DeviceNotConfigured):
            device_user("scanner", manager)().__enter__()
    finally:
        manager.stop()


def test_the_scanner_gives_one_page_and_its_errors() -> None:
    scanner = SimulatedScanner()
    session = ScannerSession(holding(scanner), resolution=150)
    shot = session.scan()
    assert shot.device == "scanner"
    assert shot.ok
    assert shot.dpi == 150
    assert shot.review.ndim == 3
    assert shot.review.shape[0] <= capture_session.REVIEW_HEIGHT
    scanner.sim.document_on_glass = False
    with pytest.raises(NoDocument):
        session.scan()
    scanner.close()


def test_a_blank_scan_is_flagged_for_a_rescan() -> None:
    # The page laid face up: the scanner reads its blank back, which must not pass as a material.
    scanner = SimulatedScanner()
    scanner.sim.face_up = True
    session = ScannerSession(holding(scanner), resolution=150)
    shot = session.scan()
    assert not shot.ok
    assert shot.advice == ("capture.blank_page",)
    assert "正面朝下" in capture_session.message("capture.blank_page")[0]
    scanner.sim.face_up = False
    assert session.scan().ok
    scanner.close()


def page(device: str, jpeg: bytes) -> PageShot:
    return PageShot(jpeg, 10, 10, 150, device, WHEN, (), np.zeros((10, 10, 3), np.uint8))


def test_build_attachment_keeps_provenance_and_joins_pages() -> None:
    camera = session_for(sim_camera("still")).capture_now()
    one = build_attachment([camera], item=service_item(), material=HUKOU, identified_by_card=True)
    assert one.pages == 1
    assert one.page.device == "camera"
    assert one.page.identified_by_card
    assert one.page.media_type == "image/jpeg"
    assert one.page.captured_at == WHEN
    scanned = ScannerSession(holding(SimulatedScanner())).scan()
    both = build_attachment([camera, scanned], item=service_item(), material=HUKOU, identified_by_card=False)
    assert both.pages == 2
    assert both.page.media_type == "application/pdf"
    assert both.page.device == "camera+scanner"
    assert not both.page.identified_by_card


def test_a_manual_capture_glitch_asks_to_try_again() -> None:
    camera = FakeCamera(error=CameraDisconnected("unplugged"))
    session = session_for(camera)
    with pytest.raises(PageNotFound) as raised:
        session.capture_now()
    assert raised.value.message_key == "camera.quality.retry"
    with pytest.raises(PageNotFound):  # the second glitch is still forgiven ...
        session.capture_now()
    with pytest.raises(CameraUnavailable):  # ... the third is not
        session.capture_now()
