"""The real OpenCV backend on the stack this machine has: VideoCapture (FFmpeg, image sequences) on files.

There is no /dev/video here (no kernel media support), so a recorded or generated stream stands in for the
camera; everything from VideoCapture up (decode, timestamps, preview, auto-capture, deskew, JPEG) is real.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.capture import capture_page
from drivers.camera.errors import CameraNotFound
from drivers.camera.opencv_camera import OpenCVCamera
from drivers.camera.output import jpeg_dpi
from drivers.camera.preview import PreviewProcessor
from drivers.camera.settings import CameraSettings
from drivers.camera.synthetic import SceneSpec, render
from drivers.status import DeviceState

WIDTH, HEIGHT = 1280, 720


def _scene_frames(count: int) -> list[np.ndarray]:
    """A page slides in over 10 frames, then lies still."""
    frames = []
    for i in range(count):
        x = 0.5 + max(0, 10 - i) * 0.08
        frames.append(render(SceneSpec(width=WIDTH, height=HEIGHT, angle_deg=-18.0, tilt_x_deg=10.0,
                                       page_height_frac=0.75, center_x=x, frame_seed=i)).image)
    return frames


@pytest.fixture(scope="module")
def mjpg_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cam") / "cam.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (WIDTH, HEIGHT))
    for frame in _scene_frames(45):
        writer.write(frame)
    writer.release()
    return path


def test_a_video_file_opens_with_its_size_format_and_frame_times(mjpg_video: Path) -> None:
    camera = OpenCVCamera(CameraSettings(source=str(mjpg_video)))
    info = camera.open()
    assert (info.backend, info.width, info.height, info.fourcc) == ("opencv", WIDTH, HEIGHT, "MJPG")
    frames = [camera.read_frame() for _ in range(3)]
    assert frames[0].image.shape == (HEIGHT, WIDTH, 3)
    assert [round(f.timestamp, 4) for f in frames] == [round(n / 30, 4) for n in (1, 2, 3)]
    assert camera.status().state is DeviceState.OK
    camera.close()


def test_the_file_loops_like_a_live_camera(mjpg_video: Path) -> None:
    camera = OpenCVCamera(CameraSettings(source=str(mjpg_video)))
    camera.open()
    frames = [camera.read_frame() for _ in range(50)]
    assert all(f.image.shape == (HEIGHT, WIDTH, 3) for f in frames)
    # Frame 46 is the file's first frame again.
    assert float(np.abs(frames[45].image.astype(int) - frames[0].image.astype(int)).mean()) < 3.0
    camera.close()


def test_an_image_sequence_is_a_source(tmp_path: Path) -> None:
    for n, frame in enumerate(_scene_frames(3)):
        cv2.imwrite(str(tmp_path / f"f_{n:03d}.png"), frame)
    camera = OpenCVCamera(CameraSettings(source=str(tmp_path / "f_%03d.png")))
    info = camera.open()
    assert (info.width, info.height) == (WIDTH, HEIGHT)
    assert camera.read_frame().image.shape == (HEIGHT, WIDTH, 3)
    camera.close()


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(CameraNotFound):
        OpenCVCamera(CameraSettings(source=str(tmp_path / "none.avi"))).open()


def test_stream_to_auto_capture_to_deskewed_jpeg(mjpg_video: Path) -> None:
    camera = OpenCVCamera(CameraSettings(source=str(mjpg_video)))
    camera.open()
    processor = PreviewProcessor(max_width=640)
    page = None
    for _ in range(45):
        frame = camera.read_frame()
        result = processor.process(frame)
        if result.auto.capture:
            page = capture_page(frame, dpi=120)
            break
    camera.close()
    assert page is not None, "auto-capture never fired on a still page"
    assert (page.width, page.height) == (992, 1403)  # A4 at 120 dpi
    assert jpeg_dpi(page.jpeg) == 120
    decoded = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (1403, 992, 3)
