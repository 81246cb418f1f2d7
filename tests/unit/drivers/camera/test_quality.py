"""Quality advice on generated frames: blurred and dark frames are rejected with the right advice."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.camera.capture import capture_page
from drivers.camera.deskew import deskew
from drivers.camera.errors import CaptureRejected, PageNotFound
from drivers.camera.formats import A4
from drivers.camera.page_detect import detect_page
from drivers.camera.protocol import Frame
from drivers.camera.quality import Issue, assess_page
from drivers.camera.synthetic import SceneSpec, render

SIZES = [(1920, 1080), (3264, 2448)]


def _frame(**changes: object) -> Frame:
    return Frame(render(SceneSpec(angle_deg=8.0, tilt_x_deg=6.0, **changes)).image, 0.0, 1)  # type: ignore[arg-type]


def _rejection(**changes: object) -> CaptureRejected:
    with pytest.raises(CaptureRejected) as info:
        capture_page(_frame(**changes))
    return info.value


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_sharp_well_lit_page_is_accepted(width: int, height: int) -> None:
    page = capture_page(_frame(width=width, height=height), keep_image=True)
    assert page.quality.ok
    assert (page.width, page.height, page.dpi) == (1240, 1754, 150)
    assert page.jpeg[:2] == b"\xff\xd8"


@pytest.mark.parametrize(("width", "height", "sigma"), [(1920, 1080, 3.0), (1920, 1080, 5.0), (3264, 2448, 6.0)])
def test_a_blurred_page_is_rejected_as_blurred(width: int, height: int, sigma: float) -> None:
    error = _rejection(width=width, height=height, blur_sigma=sigma)
    assert error.message_key == "camera.quality.blurry"
    assert error.report.message_keys == ("camera.quality.blurry",)
    assert error.code == "camera.capture_rejected"


def test_motion_blur_is_rejected_as_blurred() -> None:
    assert _rejection(motion_blur_px=25).message_key == "camera.quality.blurry"


@pytest.mark.parametrize(("width", "height", "brightness"), [(1920, 1080, 0.3), (1920, 1080, 0.2), (3264, 2448, 0.25)])
def test_a_dark_page_is_rejected_as_dark_not_blurred(width: int, height: int, brightness: float) -> None:
    error = _rejection(width=width, height=height, brightness=brightness)
    assert error.report.message_keys == ("camera.quality.too_dark",)


def test_a_dim_but_legible_page_passes() -> None:
    assert capture_page(_frame(brightness=0.55)).quality.ok


def test_glare_is_rejected_with_glare_advice() -> None:
    assert _rejection(glare=0.8).report.message_keys == ("camera.quality.glare",)


def test_a_page_cut_off_says_so_first() -> None:
    error = _rejection(center_x=0.1, blur_sigma=5.0)
    assert error.report.issues[0].kind is Issue.CUT_OFF
    assert error.message_key == "camera.quality.cut_off"


def test_an_empty_desk_asks_for_a_page() -> None:
    with pytest.raises(PageNotFound) as info:
        capture_page(_frame(center_x=9.0))
    assert info.value.message_key == "camera.quality.no_page"


def test_a_black_frame_says_too_dark_rather_than_no_page() -> None:
    with pytest.raises(PageNotFound) as info:
        capture_page(Frame(np.full((1080, 1920, 3), 6, np.uint8), 0.0, 1))
    assert info.value.message_key == "camera.quality.too_dark"


def test_a_blank_page_is_not_called_blurred() -> None:
    blank = np.full((1754, 1240, 3), 235, np.uint8)
    report = assess_page(blank)
    assert report.ok
    assert "sharpness" not in report.measurements


def test_a_small_page_far_away_is_too_small() -> None:
    scene = render(SceneSpec(page_height_frac=0.35))
    detection = detect_page(scene.image)
    assert detection is not None
    report = assess_page(deskew(scene.image, detection.corners, A4, 150), detection, A4)
    assert report.message_keys == ("camera.quality.too_small",)


def test_reports_carry_the_measurements_for_the_setup_screen() -> None:
    page = capture_page(_frame())
    for key in ("sharpness", "white_level", "glare_fraction", "laplacian_variance", "effective_dpi"):
        assert key in page.quality.measurements
