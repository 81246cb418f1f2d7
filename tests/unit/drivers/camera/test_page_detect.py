"""Page detection on generated frames: corners against the ground truth, robust ordering, empty and cut-off pages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.camera.page_detect import detect_page, order_corners
from drivers.camera.synthetic import SceneSpec, render


@pytest.mark.parametrize("angle", [-30.0, -15.0, 0.0, 15.0, 30.0])
@pytest.mark.parametrize(("tilt_x", "tilt_y"), [(0.0, 0.0), (15.0, -10.0), (-12.0, 12.0)])
def test_corners_match_the_truth_within_two_pixels(angle: float, tilt_x: float, tilt_y: float) -> None:
    scene = render(SceneSpec(angle_deg=angle, tilt_x_deg=tilt_x, tilt_y_deg=tilt_y, page_height_frac=0.6))
    detection = detect_page(scene.image)
    assert detection is not None
    assert not detection.cut_off
    assert float(np.abs(detection.corners - scene.corners).max()) < 2.0


def test_an_empty_desk_has_no_page() -> None:
    assert detect_page(render(SceneSpec(center_x=9.0)).image) is None


@pytest.mark.parametrize(("width", "height", "changes"), [
    (1920, 1080, {"center_x": 0.1}),
    (1920, 1080, {"center_y": 0.2}),
    # On a 4:3 frame the whole printed frame stays visible while the sheet runs off the left edge.
    (3264, 2448, {"center_x": 0.2}),
])
def test_a_page_running_off_the_frame_is_cut_off(width: int, height: int, changes: dict[str, float]) -> None:
    scene = render(SceneSpec(width=width, height=height, **changes))  # type: ignore[arg-type]
    detection = detect_page(scene.image)
    assert detection is not None
    assert detection.cut_off


@pytest.mark.parametrize("changes", [{"blur_sigma": 5.0}, {"brightness": 0.2}, {"glare": 1.0}])
def test_bad_frames_still_show_where_the_page_is(changes: dict[str, float]) -> None:
    # The advice ("blurred", "too dark", "glare") needs the page found first.
    scene = render(SceneSpec(**changes))  # type: ignore[arg-type]
    detection = detect_page(scene.image)
    assert detection is not None
    assert float(np.abs(detection.corners - scene.corners).max()) < 4.0


def test_corners_are_ordered_from_the_pages_top_left() -> None:
    scene = render(SceneSpec(angle_deg=25.0, page_height_frac=0.6))
    detection = detect_page(scene.image)
    assert detection is not None
    # The truth is ordered TL, TR, BR, BL of the printed content: the same order must come back.
    assert np.allclose(detection.corners, scene.corners, atol=2.0)


def _check_order(angle: float, aspect: float, keystone: float, start: int, reverse: bool) -> None:
    w, h = 100.0 * aspect, 100.0
    # A keystoned rectangle (narrower top), then turned by `angle` degrees.
    rect = np.array([[-w / 2 * (1 - keystone), -h / 2], [w / 2 * (1 - keystone), -h / 2], [w / 2, h / 2],
                     [-w / 2, h / 2]])
    t = math.radians(angle)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    expected = rect @ rot.T + 500
    given_order = np.roll(expected, start, axis=0)
    if reverse:
        given_order = given_order[::-1]
    assert np.allclose(order_corners(given_order), expected, atol=1e-3)


@given(angle=st.floats(-44.0, 44.0), aspect=st.floats(0.5, 2.0), start=st.integers(0, 3), reverse=st.booleans())
def test_order_corners_holds_up_to_45_degrees_for_any_aspect(
    angle: float, aspect: float, start: int, reverse: bool
) -> None:
    _check_order(angle, aspect, 0.0, start, reverse)


@given(
    angle=st.floats(-35.0, 35.0),
    aspect=st.floats(0.5, 2.0),
    keystone=st.floats(0.0, 0.25),
    start=st.integers(0, 3),
    reverse=st.booleans(),
)
def test_order_corners_holds_under_perspective(
    angle: float, aspect: float, keystone: float, start: int, reverse: bool
) -> None:
    _check_order(angle, aspect, keystone, start, reverse)
