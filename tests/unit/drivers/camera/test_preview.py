"""The preview pipeline: a reduced frame with the outline, detection in full-frame coordinates, auto-capture."""

from __future__ import annotations

import numpy as np

from drivers.camera.preview import PreviewProcessor
from drivers.camera.protocol import Frame
from drivers.camera.synthetic import SceneSpec, render


def test_preview_is_reduced_and_detection_is_in_full_frame_coordinates() -> None:
    scene = render(SceneSpec(angle_deg=15.0, tilt_x_deg=10.0, page_height_frac=0.7))
    original = scene.image.copy()
    result = PreviewProcessor(max_width=960).process(Frame(scene.image, 0.0, 1))
    assert result.preview.image.shape == (540, 960, 3)
    assert result.detection is not None
    assert float(np.abs(result.detection.corners - scene.corners).max()) < 4.0
    # The outline is drawn on the preview only; the frame that may be captured is untouched.
    assert np.array_equal(scene.image, original)


def test_outline_is_drawn_on_the_preview() -> None:
    scene = render(SceneSpec(page_height_frac=0.7))
    drawn = PreviewProcessor(draw=True).process(Frame(scene.image, 0.0, 1)).preview.image
    plain = PreviewProcessor(draw=False).process(Frame(scene.image, 0.0, 1)).preview.image
    assert not np.array_equal(drawn, plain)


def test_a_still_page_in_the_stream_fires_the_auto_capture_once() -> None:
    processor = PreviewProcessor()
    fired = []
    for i in range(45):
        scene = render(SceneSpec(angle_deg=12.0, page_height_frac=0.7, frame_seed=i))
        fired.append(processor.process(Frame(scene.image, i / 30, i)).auto.capture)
    assert fired.count(True) == 1


def test_a_cut_off_page_blocks_the_capture_with_advice() -> None:
    processor = PreviewProcessor()
    updates = [processor.process(Frame(render(SceneSpec(center_x=0.1, frame_seed=i)).image, i / 30, i)).auto
               for i in range(40)]
    assert not any(u.capture for u in updates)
    assert updates[-1].advice == "camera.quality.cut_off"
