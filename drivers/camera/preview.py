"""The live preview: a reduced frame with the page outline drawn, and the auto-capture decision.

Detection runs on the preview copy, never on the full frame, so a 1080p stream costs a few milliseconds a
frame; the full-resolution frame is only processed when the auto-capture fires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.camera._cv import require_cv2
from drivers.camera.auto_capture import AutoCapture, AutoCaptureUpdate
from drivers.camera.formats import A4, PageFormat
from drivers.camera.page_detect import Corners, PageDetection, detect_page
from drivers.camera.protocol import Frame, Image, PreviewFrame, downscale
from drivers.camera.quality import DEFAULT_THRESHOLDS, Thresholds, assess_detection

PREVIEW_WORK_WIDTH = 480
OUTLINE_OK_BGR = (80, 200, 60)
OUTLINE_BAD_BGR = (40, 60, 230)


@dataclass(frozen=True)
class PreviewResult:
    preview: PreviewFrame
    # In full-frame coordinates, ready to hand to capture_page().
    detection: PageDetection | None
    auto: AutoCaptureUpdate


class PreviewProcessor:
    def __init__(
        self,
        *,
        max_width: int = 960,
        fmt: PageFormat = A4,
        auto_capture: AutoCapture | None = None,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        draw: bool = True,
    ) -> None:
        self.max_width = max_width
        self.fmt = fmt
        self.auto = auto_capture or AutoCapture()
        self.thresholds = thresholds
        self.draw = draw

    def process(self, frame: Frame) -> PreviewResult:
        preview = downscale(frame, self.max_width)
        found = detect_page(preview.image, work_width=PREVIEW_WORK_WIDTH)
        detection = None
        if found is not None:
            detection = PageDetection(
                (found.corners / preview.scale).astype(np.float32), found.area_fraction, found.cut_off,
                frame.size[0], frame.size[1],
            )
        verdict = assess_detection(detection, self.fmt, self.thresholds)
        blocked = verdict.issues[0].message_key if detection is not None and verdict.issues else ""
        update = self.auto.update(frame.timestamp, detection, blocked)
        image = preview.image
        if self.draw and found is not None:
            # Never draw into the camera's own buffer: the full frame may still be captured.
            image = image.copy() if image is frame.image else image
            draw_outline(image, found.corners, ok=not blocked)
        shown = PreviewFrame(image, preview.timestamp, preview.index, preview.scale)
        return PreviewResult(shown, detection, update)


def draw_outline(image: Image, corners: Corners, *, ok: bool = True) -> None:
    require_cv2()
    import cv2

    pts = np.round(corners).astype(np.int32).reshape(-1, 1, 2)
    thickness = max(2, image.shape[1] // 320)
    cv2.polylines(image, [pts], True, OUTLINE_OK_BGR if ok else OUTLINE_BAD_BGR, thickness, cv2.LINE_AA)
