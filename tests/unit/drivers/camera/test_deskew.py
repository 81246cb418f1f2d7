"""Acceptance: a page turned up to 30° and photographed with perspective comes out upright and filling the image.

The angle is measured on the rendered reference text line in the output, by the principal axis of its dark
pixels, so the test checks what a clerk would see rather than the corners the code computed.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from drivers.camera.deskew import deskew, output_size
from drivers.camera.formats import A4, ID_CARD
from drivers.camera.page_detect import detect_page
from drivers.camera.synthetic import A4_LINES, REFERENCE_LINE, SceneSpec, TextLine, render

ANGLES = [-30.0, -20.0, -10.0, 0.0, 10.0, 20.0, 30.0]
PERSPECTIVES = [(0.0, 0.0), (15.0, -10.0), (-12.0, 12.0), (20.0, 20.0)]


def line_crop(
    page: npt.NDArray[np.uint8], line: TextLine, width_mm: float, margin_mm: float = 3.0
) -> npt.NDArray[np.uint8]:
    px_per_mm = page.shape[1] / A4.width_mm
    left, top, right, bottom = line.box_mm(width_mm)
    y0, y1 = int((top - margin_mm) * px_per_mm), int((bottom + margin_mm) * px_per_mm)
    x0, x1 = int((left - margin_mm) * px_per_mm), int((right + margin_mm) * px_per_mm)
    return page[max(0, y0):y1, max(0, x0):x1]


def text_angle_deg(crop: npt.NDArray[np.uint8]) -> tuple[float, int]:
    """Angle of the principal axis of the dark (ink) pixels, degrees, and how many there were."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    pts = np.stack([xs, ys], axis=1).astype(np.float64)
    pts -= pts.mean(axis=0)
    _, vectors = np.linalg.eigh(pts.T @ pts / len(pts))
    vx, vy = vectors[:, 1]
    angle = math.degrees(math.atan2(vy, vx))
    return (angle + 90) % 180 - 90, len(pts)


def reference_width_mm(scene_lines: tuple[TextLine, ...], widths: tuple[float, ...]) -> float:
    return widths[scene_lines.index(REFERENCE_LINE)]


def _deskewed(spec: SceneSpec) -> tuple[npt.NDArray[np.uint8], float]:
    scene = render(spec)
    detection = detect_page(scene.image)
    assert detection is not None
    assert not detection.cut_off
    page = deskew(scene.image, detection.corners, A4, 150)
    return page, reference_width_mm(scene.lines, scene.line_widths_mm)


def _assert_upright_and_filling(page: npt.NDArray[np.uint8], width_mm: float) -> None:
    assert page.shape[:2] == (1754, 1240)  # A4 at 150 dpi, portrait
    angle, ink = text_angle_deg(line_crop(page, REFERENCE_LINE, width_mm))
    assert ink > 500, "the reference line is not where it belongs on the page"
    assert abs(angle) < 1.0
    # The page fills the output: every border strip is paper, not desk (the desk is a dark brown).
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    strip = 8
    for edge in (gray[:strip], gray[-strip:], gray[:, :strip], gray[:, -strip:]):
        assert float(np.median(edge)) > 200
    # ... and the print sits where it was printed: the reference line's ink starts at its x position.
    px_per_mm = page.shape[1] / A4.width_mm
    top_mm = REFERENCE_LINE.y_mm - REFERENCE_LINE.height_mm
    rows = slice(int(top_mm * px_per_mm), int(REFERENCE_LINE.y_mm * px_per_mm))
    # From 20 mm in: the printed table frame runs down the page at 15 mm.
    start = int(20 * px_per_mm)
    first_ink_mm = (start + np.nonzero((gray[rows, start:] < 128).any(axis=0))[0][0]) / px_per_mm
    assert abs(first_ink_mm - REFERENCE_LINE.x_mm) < 2.0


@pytest.mark.parametrize(("tilt_x", "tilt_y"), PERSPECTIVES)
@pytest.mark.parametrize("angle", ANGLES)
def test_turned_page_with_perspective_comes_out_upright_1080p(angle: float, tilt_x: float, tilt_y: float) -> None:
    spec = SceneSpec(angle_deg=angle, tilt_x_deg=tilt_x, tilt_y_deg=tilt_y, page_height_frac=0.6, seed=3)
    _assert_upright_and_filling(*_deskewed(spec))


@pytest.mark.parametrize(("angle", "tilt_x", "tilt_y"), [(-30.0, 15.0, -10.0), (0.0, 0.0, 0.0), (30.0, -12.0, 12.0)])
def test_turned_page_with_perspective_comes_out_upright_8mp(angle: float, tilt_x: float, tilt_y: float) -> None:
    spec = SceneSpec(width=3264, height=2448, angle_deg=angle, tilt_x_deg=tilt_x, tilt_y_deg=tilt_y,
                     page_height_frac=0.6)
    _assert_upright_and_filling(*_deskewed(spec))


def test_the_angle_measurement_sees_a_small_tilt() -> None:
    # Guards the acceptance test against a measurement that always says 0.
    page, width_mm = _deskewed(SceneSpec(angle_deg=10.0, page_height_frac=0.6))
    center = (page.shape[1] / 2, page.shape[0] / 2)
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D(center, 2.0, 1.0), (page.shape[1], page.shape[0]),
                            borderMode=cv2.BORDER_REPLICATE)
    angle, _ = text_angle_deg(line_crop(turned, REFERENCE_LINE, width_mm, margin_mm=5.0))
    assert angle == pytest.approx(-2.0, abs=0.3)


def test_every_known_line_is_level_on_a_strongly_turned_page() -> None:
    scene = render(SceneSpec(angle_deg=-27.0, tilt_x_deg=10.0, tilt_y_deg=10.0, page_height_frac=0.6))
    detection = detect_page(scene.image)
    assert detection is not None
    page = deskew(scene.image, detection.corners, A4, 150)
    for line, width in zip(A4_LINES, scene.line_widths_mm, strict=True):
        angle, _ = text_angle_deg(line_crop(page, line, width))
        assert abs(angle) < 1.0, line.text


def test_id_card_comes_out_landscape_at_its_real_size() -> None:
    scene = render(SceneSpec(page_format="id_card", angle_deg=18.0, tilt_x_deg=8.0, page_height_frac=0.35))
    detection = detect_page(scene.image)
    assert detection is not None
    card = deskew(scene.image, detection.corners, ID_CARD, 300)
    assert card.shape[:2] == (638, 1011)  # 53.98 × 85.6 mm at 300 dpi
    assert output_size(detection.corners, ID_CARD, 300) == (1011, 638)


def test_a4_lying_sideways_stays_landscape() -> None:
    scene = render(SceneSpec(angle_deg=90.0, page_height_frac=0.55))
    detection = detect_page(scene.image)
    assert detection is not None
    assert deskew(scene.image, detection.corners, A4, 100).shape[:2] == (827, 1169)
