"""The simulated camera: deterministic generated scenes, file playback, virtual time, failures."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.errors import CameraDisconnected, CameraNotFound, CameraNotOpen
from drivers.camera.factory import make_camera
from drivers.camera.settings import CameraSettings
from drivers.camera.simulated import SCENARIOS, UNPLUGGED_AFTER, SimulatedCamera
from drivers.camera.synthetic import SceneSpec, render
from drivers.status import DeviceState


def _camera(source: str, **changes: object) -> SimulatedCamera:
    settings = CameraSettings(backend="simulated", source=source, width=640, height=360, **changes)  # type: ignore[arg-type]
    camera = SimulatedCamera(settings, realtime=False)
    camera.open()
    return camera


def test_same_seed_same_pixels_and_frames_differ_only_by_noise() -> None:
    spec = SceneSpec(width=640, height=360, angle_deg=20.0, tilt_x_deg=10.0, seed=5)
    a, b = render(spec).image, render(spec).image
    assert np.array_equal(a, b)
    c = render(spec.replace(frame_seed=1)).image
    assert not np.array_equal(a, c)
    assert float(np.abs(a.astype(int) - c.astype(int)).mean()) < 4.0


def test_scenes_are_the_configured_size_with_virtual_timestamps() -> None:
    camera = _camera("scene:still", fps=25.0)
    frames = [camera.read_frame() for _ in range(3)]
    assert frames[0].image.shape == (360, 640, 3)
    assert [f.timestamp for f in frames] == [0.0, 0.04, 0.08]
    assert [f.index for f in frames] == [1, 2, 3]
    assert camera.status().state is DeviceState.OK


def test_preview_is_reduced_and_says_by_how_much() -> None:
    camera = _camera("scene:still")
    frame, preview = camera.read_preview(max_width=320)
    assert preview.image.shape == (180, 320, 3)
    assert preview.scale == 0.5
    assert frame.image.shape == (360, 640, 3)


@pytest.mark.parametrize("name", sorted(set(SCENARIOS) - {"unplugged"}))
def test_every_scene_renders(name: str) -> None:
    assert _camera(f"scene:{name}").read_frame().image.shape == (360, 640, 3)


def test_device_index_source_plays_the_demo() -> None:
    assert _camera("0").read_frame().image.shape == (360, 640, 3)


def test_unknown_scene_and_missing_files_are_not_found(tmp_path: Path) -> None:
    with pytest.raises(CameraNotFound, match="unknown simulated scene"):
        _camera("scene:nope")
    with pytest.raises(CameraNotFound, match="not found"):
        _camera(str(tmp_path / "missing.jpg"))


def test_reading_before_open_is_a_typed_error() -> None:
    with pytest.raises(CameraNotOpen):
        SimulatedCamera(CameraSettings(backend="simulated"), realtime=False).read_frame()


def test_unplugged_scene_fails_every_read_and_reports_each_as_a_failed_look() -> None:
    camera = _camera("scene:unplugged")
    for _ in range(UNPLUGGED_AFTER):
        camera.read_frame()
    assert camera.status().state is DeviceState.OK
    for _ in range(4):
        with pytest.raises(CameraDisconnected):
            camera.read_frame()
        # Declaring it offline is the device manager's call (tests/unit/kiosk/devices/test_manager_backends.py).
        status = camera.status()
        assert (status.state, status.detail) == (DeviceState.DEGRADED, CameraDisconnected.code)


def test_images_are_held_for_two_seconds_then_the_list_repeats(tmp_path: Path) -> None:
    for n, value in enumerate((10, 200)):
        cv2.imwrite(str(tmp_path / f"p{n}.png"), np.full((90, 120, 3), value, np.uint8))
    camera = _camera(str(tmp_path), fps=5.0)
    assert (camera.info.width, camera.info.height) == (120, 90)
    values = [int(camera.read_frame().image[0, 0, 0]) for _ in range(25)]
    assert values == [10] * 10 + [200] * 10 + [10] * 5


def test_video_files_play_through_and_repeat(tmp_path: Path) -> None:
    video = tmp_path / "v.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for value in (0, 120, 240):
        writer.write(np.full((48, 64, 3), value, np.uint8))
    writer.release()
    image = tmp_path / "still.png"
    cv2.imwrite(str(image), np.full((48, 64, 3), 60, np.uint8))
    camera = _camera(os.pathsep.join([str(video), str(image)]), fps=1.0)
    values = [int(camera.read_frame().image.mean()) for _ in range(6)]
    assert values == pytest.approx([0, 120, 240, 60, 60, 0], abs=3)


def test_realtime_pacing_uses_the_injected_clock() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    camera = SimulatedCamera(CameraSettings(backend="simulated", source="scene:empty", width=320, height=180,
                                            fps=10.0), clock=lambda: now[0], sleep=sleep)
    camera.open()
    stamps = [camera.read_frame().timestamp for _ in range(3)]
    assert stamps == pytest.approx([100.0, 100.1, 100.2])
    assert waits == pytest.approx([0.1, 0.1])


def test_factory_picks_the_backend() -> None:
    assert type(make_camera(CameraSettings(backend="simulated"))).__name__ == "SimulatedCamera"
    assert type(make_camera(CameraSettings(backend="opencv"))).__name__ == "OpenCVCamera"
