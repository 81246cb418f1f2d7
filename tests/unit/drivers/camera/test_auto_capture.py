"""The auto-capture state machine, driven with made-up timestamps (no clock, no sleeping)."""

from __future__ import annotations

import numpy as np

from drivers.camera.auto_capture import AutoCapture, AutoCaptureConfig, CaptureState
from drivers.camera.page_detect import PageDetection

FPS = 30
BASE = np.array([[600, 100], [1300, 120], [1280, 1000], [580, 980]], np.float32)


def page(shift: float = 0.0, jitter: float = 0.0) -> PageDetection:
    return PageDetection((BASE + shift + jitter).astype(np.float32), 0.3, False, 1920, 1080)


def feed(auto: AutoCapture, detections: list[PageDetection | None], start: float = 0.0) -> list[bool]:
    return [auto.update(start + i / FPS, d).capture for i, d in enumerate(detections)]


def test_a_still_page_is_captured_once_after_the_hold_time() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.8))
    captures = feed(auto, [page(jitter=(i % 2) * 0.5) for i in range(90)])
    assert captures.count(True) == 1
    # Still from frame 0, so the frame at 0.8 s (frame 24) fires.
    assert captures.index(True) == 24
    assert auto.state is CaptureState.AWAIT_CHANGE


def test_a_moving_page_is_not_captured() -> None:
    auto = AutoCapture()
    # 3 px a frame: below the tolerance from one frame to the next, but the drift adds up.
    updates = [auto.update(i / FPS, page(shift=i * 3.0)) for i in range(120)]
    assert not any(u.capture for u in updates)
    assert max(u.progress for u in updates) < 0.25


def test_progress_rises_while_still_and_restarts_when_moved() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=1.0))
    auto.update(0.0, page())
    assert auto.update(0.5, page()).progress == 0.5
    moved = auto.update(0.6, page(shift=40.0))
    assert (moved.state, moved.progress, moved.advice) == (CaptureState.MOVING, 0.0, "camera.capture.moving")
    assert not auto.update(1.5, page(shift=40.0)).capture
    assert auto.update(1.6, page(shift=40.0)).capture


def test_one_missed_detection_is_forgiven() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.8, missed_frames_allowed=2))
    frames: list[PageDetection | None] = [page() for _ in range(30)]
    frames[10] = None
    assert feed(auto, frames).index(True) == 24


def test_no_page_means_searching() -> None:
    auto = AutoCapture()
    update = auto.update(0.0, None)
    assert (update.state, update.advice) == (CaptureState.SEARCHING, "camera.quality.no_page")


def test_after_a_capture_the_same_page_is_not_captured_again_but_the_next_one_is() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.8, empty_s=0.4))
    assert feed(auto, [page() for _ in range(60)]).count(True) == 1
    # Taken away for half a second, then the next page goes in the same place.
    assert not any(feed(auto, [None] * 15, start=2.0))
    captures = feed(auto, [page() for _ in range(40)], start=2.5)
    assert captures.count(True) == 1


def test_a_new_page_pushed_over_the_old_one_is_a_new_capture() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.8))
    feed(auto, [page() for _ in range(30)])
    assert feed(auto, [page(shift=300.0) for _ in range(40)], start=1.0).count(True) == 1


def test_blocked_advice_holds_the_capture_back() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.5))
    updates = [auto.update(i / FPS, page(), "camera.quality.cut_off") for i in range(60)]
    assert not any(u.capture for u in updates)
    assert updates[-1].state is CaptureState.BLOCKED
    assert updates[-1].advice == "camera.quality.cut_off"
    assert feed(auto, [page() for _ in range(30)], start=2.0).count(True) == 1


def test_retry_after_a_rejected_capture_looks_again() -> None:
    auto = AutoCapture(AutoCaptureConfig(still_s=0.5))
    assert feed(auto, [page() for _ in range(20)]).count(True) == 1
    auto.retry()
    assert feed(auto, [page() for _ in range(20)], start=1.0).count(True) == 1


def test_reset_forgets_everything() -> None:
    auto = AutoCapture()
    feed(auto, [page() for _ in range(30)])
    auto.reset()
    assert auto.state is CaptureState.SEARCHING
