"""Is a captured page legible? Blur, darkness, glare, a page cut off or too small, as typed advice.

Measurements are taken on the deskewed page shrunk to a fixed analysis size (600 px wide, about 72 dpi on
A4), so the thresholds mean the same at 1080p and at 8 MP: what matters for legibility is blur relative to
the page, not to the sensor.

Blur is measured as edge sharpness: in tiles that hold print, the steepest brightness step divided by the
tile's contrast (≈ 1 / edge width in analysis pixels). Unlike the raw variance of the Laplacian it does not
rise with sensor noise or fall with dim light, so a dark page is called dark, not blurred. The variance of
the Laplacian is still reported, as the familiar figure for technicians.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from drivers.camera._cv import require_cv2, typed
from drivers.camera.formats import MM_PER_INCH, PageFormat
from drivers.camera.page_detect import PageDetection
from drivers.camera.protocol import Image

_Float = TypeVar("_Float", np.float32, np.float64)

ANALYSIS_WIDTH = 600
_TILE = 48


class Issue(enum.Enum):
    # In the order residents should fix them: there is no point saying "blurred" about a page half outside.
    NO_PAGE = "no_page"
    CUT_OFF = "cut_off"
    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    GLARE = "glare"
    BLURRY = "blurry"


_ORDER = {issue: n for n, issue in enumerate(Issue)}


@dataclass(frozen=True)
class QualityIssue:
    kind: Issue
    # What was measured and the limit it crossed, for the setup screen and logs.
    value: float
    limit: float

    @property
    def message_key(self) -> str:
        return f"camera.quality.{self.kind.value}"


@dataclass(frozen=True)
class Thresholds:
    # Edge sharpness below this is blurred. Sharp print measures 0.6–0.7; a Gaussian blur of about
    # 0.6 mm on the paper brings it to 0.3 whatever the camera's resolution.
    min_sharpness: float = 0.3
    # Paper brighter than this (90th percentile of grey) is light enough.
    min_white_level: float = 90.0
    # Share of the page that is blown out (grey ≥ 250).
    max_glare_fraction: float = 0.01
    # Fewer pixels per inch of paper than this cannot hold small print.
    min_effective_dpi: float = 45.0


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class QualityReport:
    issues: tuple[QualityIssue, ...]
    measurements: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def message_keys(self) -> tuple[str, ...]:
        return tuple(issue.message_key for issue in self.issues)

    def has(self, kind: Issue) -> bool:
        return any(issue.kind is kind for issue in self.issues)


def _report(issues: list[QualityIssue], measurements: dict[str, float]) -> QualityReport:
    return QualityReport(tuple(sorted(issues, key=lambda i: _ORDER[i.kind])), measurements)


def effective_dpi(detection: PageDetection, fmt: PageFormat) -> float:
    """Camera pixels per inch of paper along the page's long side."""
    c = detection.corners.astype(np.float64)
    sides = [float(np.hypot(*(c[(i + 1) % 4] - c[i]))) for i in range(4)]
    long_px = max((sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2)
    return long_px / (fmt.height_mm / MM_PER_INCH)


def assess_detection(
    detection: PageDetection | None, fmt: PageFormat, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> QualityReport:
    """What the outline alone says (no page, cut off, too small): cheap enough for every preview frame."""
    if detection is None:
        return _report([QualityIssue(Issue.NO_PAGE, 0.0, 1.0)], {})
    issues = []
    dpi = effective_dpi(detection, fmt)
    measurements = {"area_fraction": detection.area_fraction, "effective_dpi": dpi}
    if detection.cut_off:
        issues.append(QualityIssue(Issue.CUT_OFF, 1.0, 0.0))
    elif dpi < thresholds.min_effective_dpi:
        issues.append(QualityIssue(Issue.TOO_SMALL, dpi, thresholds.min_effective_dpi))
    return _report(issues, measurements)


def assess_page(
    page: Image,
    detection: PageDetection | None = None,
    fmt: PageFormat | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> QualityReport:
    """The full verdict on a deskewed page (and on its outline, when given)."""
    require_cv2()
    import cv2

    base = assess_detection(detection, fmt, thresholds) if detection is not None and fmt is not None else None
    issues = list(base.issues) if base is not None else []
    measurements = dict(base.measurements) if base is not None else {}
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    height = max(1, round(ANALYSIS_WIDTH * gray.shape[0] / gray.shape[1]))
    small = typed(cv2.resize(gray, (ANALYSIS_WIDTH, height), interpolation=cv2.INTER_AREA), np.uint8)
    # The outermost few millimetres hold the paper's edge and a sliver of desk; leave them out.
    m = ANALYSIS_WIDTH * 3 // 100
    small = small[m:-m, m:-m]

    white = float(np.percentile(small, 90))
    glare = float(np.count_nonzero(small >= 250)) / small.size
    sharpness, content_tiles = _sharpness(small, white)
    measurements.update(
        white_level=white,
        glare_fraction=glare,
        laplacian_variance=float(cv2.Laplacian(small, cv2.CV_64F).var()),
        content_tiles=float(content_tiles),
    )
    if white < thresholds.min_white_level:
        issues.append(QualityIssue(Issue.TOO_DARK, white, thresholds.min_white_level))
    if glare > thresholds.max_glare_fraction:
        issues.append(QualityIssue(Issue.GLARE, glare, thresholds.max_glare_fraction))
    if sharpness is not None:
        measurements["sharpness"] = sharpness
        # A very dark page's print drowns in noise; "too dark" is the advice that helps then.
        if sharpness < thresholds.min_sharpness and white >= thresholds.min_white_level:
            issues.append(QualityIssue(Issue.BLURRY, sharpness, thresholds.min_sharpness))
    return _report(issues, measurements)


def _sharpness(gray: npt.NDArray[np.uint8], white: float) -> tuple[float | None, int]:
    """Median over tiles with print of (steepest step / tile contrast), in the weaker of x and y.

    The gradients are Sobel responses scaled to grey levels per pixel, so a perfect step edge scores
    about 0.5–0.7 and wider (blurred) edges proportionally less. Taking the weaker direction catches
    motion blur, which smears edges one way only. None for a blank page: there is nothing to judge
    sharpness by, and a blank page is not a blurred one.
    """
    import cv2

    smooth = typed(cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 0.8), np.float32)
    gx = np.abs(typed(cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3), np.float32)) / 4.0
    gy = np.abs(typed(cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3), np.float32)) / 4.0
    h, w = smooth.shape
    th, tw = h // _TILE, w // _TILE
    if th == 0 or tw == 0:
        return None, 0

    def tiles(a: npt.NDArray[_Float]) -> npt.NDArray[_Float]:
        return a[: th * _TILE, : tw * _TILE].reshape(th, _TILE, tw, _TILE).swapaxes(1, 2).reshape(th * tw, -1)

    values = tiles(smooth)
    lo, hi = np.percentile(values, [2, 98], axis=1)
    contrast = hi - lo
    content = contrast >= max(12.0, 0.3 * white)
    if not content.any():
        return None, 0
    sx = np.percentile(tiles(gx)[content], 99, axis=1) / contrast[content]
    sy = np.percentile(tiles(gy)[content], 99, axis=1) / contrast[content]
    return float(min(np.median(sx), np.median(sy))), int(content.sum())
