"""From a full-resolution frame to a checked, deskewed page image: detect, warp, assess, encode."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from drivers.camera._cv import require_cv2
from drivers.camera.deskew import deskew
from drivers.camera.errors import CaptureRejected, PageNotFound
from drivers.camera.formats import A4, PageFormat
from drivers.camera.output import encode_jpeg
from drivers.camera.page_detect import Corners, PageDetection, detect_page
from drivers.camera.protocol import Frame, Image
from drivers.camera.quality import DEFAULT_THRESHOLDS, Issue, QualityIssue, QualityReport, Thresholds, assess_page

# Detection for a capture works on a larger copy than the preview's; corners are refined at full size anyway.
CAPTURE_WORK_WIDTH = 800
# A frame whose average grey is below this is too dark to look for a page in at all.
_DARK_FRAME_MEAN = 40.0


@dataclass(frozen=True)
class CapturedPage:
    jpeg: bytes
    width: int
    height: int
    dpi: int
    page_format: str
    corners: Corners
    quality: QualityReport
    timestamp: float
    frame_index: int
    # Wall time spent from the frame to the JPEG, for the setup screen and the benchmark.
    elapsed_ms: float
    image: Image | None = None


def capture_page(
    frame: Frame,
    *,
    fmt: PageFormat = A4,
    dpi: int = 150,
    jpeg_quality: int = 85,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    detection: PageDetection | None = None,
    keep_image: bool = False,
) -> CapturedPage:
    """The page in `frame` as an upright JPEG, or a typed refusal saying what the resident should fix.

    Raises PageNotFound when there is no page, CaptureRejected (with the report) when the page is not
    legible. `detection` may come from the preview; it is recomputed when absent.
    """
    start = time.perf_counter()
    if detection is None:
        detection = detect_page(frame.image, work_width=CAPTURE_WORK_WIDTH)
    if detection is None:
        raise PageNotFound("no page outline in the frame", message_key=_no_page_key(frame.image))
    page = deskew(frame.image, detection.corners, fmt, dpi)
    report = assess_page(page, detection, fmt, thresholds)
    if not report.ok:
        raise CaptureRejected(report)
    jpeg = encode_jpeg(page, jpeg_quality, dpi)
    elapsed = (time.perf_counter() - start) * 1000
    return CapturedPage(
        jpeg=jpeg,
        width=int(page.shape[1]),
        height=int(page.shape[0]),
        dpi=dpi,
        page_format=fmt.name,
        corners=detection.corners,
        quality=report,
        timestamp=frame.timestamp,
        frame_index=frame.index,
        elapsed_ms=elapsed,
        image=page if keep_image else None,
    )


def _no_page_key(image: Image) -> str:
    """'Too dark' helps more than 'no page' when the frame is nearly black."""
    require_cv2()
    import cv2

    small = cv2.resize(image, (160, 120), interpolation=cv2.INTER_AREA)
    if float(np.mean(small)) < _DARK_FRAME_MEAN:
        return QualityIssue(Issue.TOO_DARK, 0.0, _DARK_FRAME_MEAN).message_key
    return "camera.quality.no_page"
