"""Automatic capture: take the picture once the page has lain still for a moment.

A small state machine fed with (timestamp, detection) for each preview frame. It never sleeps and never
reads a clock itself, so tests drive it with made-up timestamps and the preview worker with frame times.

    SEARCHING ──page──▶ MOVING ──still──▶ STEADY ──held long enough──▶ CAPTURE (once)
        ▲                  ▲  ◀──moved──────┘                              │
        └── page gone ─────┴──────────────── AWAIT_CHANGE ◀────────────────┘

After a capture it waits for the page to be taken away or replaced, so one page is never captured twice
and the resident can feed pages one after another without touching the screen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from drivers.camera.page_detect import PageDetection


class CaptureState(enum.Enum):
    SEARCHING = "searching"
    MOVING = "moving"
    STEADY = "steady"
    CAPTURE = "capture"
    AWAIT_CHANGE = "await_change"
    # The outline says the page cannot be captured as it lies (cut off, too small); see `advice`.
    BLOCKED = "blocked"


@dataclass(frozen=True)
class AutoCaptureConfig:
    # How long the page must lie still before the picture is taken.
    still_s: float = 0.8
    # Largest corner movement, as a share of the page diagonal, that still counts as lying still.
    still_tolerance: float = 0.008
    # A page moved by more than this share of its diagonal after a capture is a new page.
    new_page_shift: float = 0.15
    # Frames without a page that are forgiven (a hand passing, one missed detection).
    missed_frames_allowed: int = 2
    # After a capture, how long the desk must be empty before a page there counts as a new one.
    empty_s: float = 0.4


@dataclass(frozen=True)
class AutoCaptureUpdate:
    state: CaptureState
    # True exactly once per page: take the full-resolution picture now.
    capture: bool
    # 0..1 towards the capture while steady, for a progress ring on screen.
    progress: float
    # A message key for the resident, or "" when nothing needs saying.
    advice: str = ""


class AutoCapture:
    def __init__(self, config: AutoCaptureConfig = AutoCaptureConfig()) -> None:
        self.config = config
        self.reset()

    def reset(self) -> None:
        """Forget everything: a new resident, a new material, or a manual capture was taken instead."""
        self.state = CaptureState.SEARCHING
        self._anchor: npt.NDArray[np.float64] | None = None
        self._still_since = 0.0
        self._missed = 0
        self._empty_since: float | None = None
        self._captured_corners: npt.NDArray[np.float64] | None = None

    def retry(self) -> None:
        """The capture was rejected (quality); keep looking at the same page for a better frame."""
        self._captured_corners = None
        self.state = CaptureState.MOVING
        self._anchor = None

    def update(self, timestamp: float, detection: PageDetection | None, blocked_advice: str = "") -> AutoCaptureUpdate:
        """Feeds one frame's detection; `blocked_advice` (a message key) holds the capture back."""
        cfg = self.config
        if detection is None:
            return self._no_page(timestamp)
        self._missed = 0
        corners = detection.corners.astype(np.float64)
        diagonal = float(np.hypot(*(corners[2] - corners[0]))) or 1.0

        if self.state is CaptureState.AWAIT_CHANGE:
            assert self._captured_corners is not None
            empty_long_enough = self._empty_since is not None and timestamp - self._empty_since >= cfg.empty_s
            shift = float(np.abs(corners - self._captured_corners).max()) / diagonal
            if not empty_long_enough and shift < cfg.new_page_shift:
                self._empty_since = None
                return AutoCaptureUpdate(self.state, False, 1.0, "camera.capture.done")
            self._captured_corners = None
            self._start_moving(timestamp, corners)
            return AutoCaptureUpdate(self.state, False, 0.0, "camera.capture.moving")
        self._empty_since = None

        if blocked_advice:
            self.state = CaptureState.BLOCKED
            self._anchor = None
            return AutoCaptureUpdate(self.state, False, 0.0, blocked_advice)

        if self._anchor is None or float(np.abs(corners - self._anchor).max()) / diagonal > cfg.still_tolerance:
            self._start_moving(timestamp, corners)
            return AutoCaptureUpdate(self.state, False, 0.0, "camera.capture.moving")

        held = timestamp - self._still_since
        if held >= cfg.still_s:
            self.state = CaptureState.AWAIT_CHANGE
            self._captured_corners = corners
            self._anchor = None
            return AutoCaptureUpdate(CaptureState.CAPTURE, True, 1.0, "camera.capture.hold_still")
        self.state = CaptureState.STEADY
        return AutoCaptureUpdate(self.state, False, min(1.0, held / cfg.still_s), "camera.capture.hold_still")

    def _start_moving(self, timestamp: float, corners: npt.NDArray[np.float64]) -> None:
        self.state = CaptureState.MOVING
        self._anchor = corners
        self._still_since = timestamp

    def _no_page(self, timestamp: float) -> AutoCaptureUpdate:
        if self.state is CaptureState.AWAIT_CHANGE:
            if self._empty_since is None:
                self._empty_since = timestamp
            return AutoCaptureUpdate(self.state, False, 1.0, "camera.capture.done")
        self._missed += 1
        if self._missed <= self.config.missed_frames_allowed and self.state is not CaptureState.SEARCHING:
            # A glitch does not restart the countdown, nor does it count towards it.
            held = timestamp - self._still_since if self.state is CaptureState.STEADY else 0.0
            return AutoCaptureUpdate(self.state, False, min(1.0, held / self.config.still_s), "camera.capture.moving")
        self.state = CaptureState.SEARCHING
        self._anchor = None
        return AutoCaptureUpdate(self.state, False, 0.0, "camera.quality.no_page")
