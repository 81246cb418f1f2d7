"""Choosing the camera backend from settings: the one place that knows both backends."""

from __future__ import annotations

from drivers.camera.protocol import Camera
from drivers.camera.settings import CameraSettings


def make_camera(settings: CameraSettings, *, realtime: bool = True) -> Camera:
    """An unopened camera for `settings.backend`; `realtime` only matters to the simulator."""
    if settings.backend == "simulated":
        from drivers.camera.simulated import SimulatedCamera

        return SimulatedCamera(settings, realtime=realtime)
    if settings.backend == "opencv":
        from drivers.camera.opencv_camera import OpenCVCamera

        return OpenCVCamera(settings)
    raise ValueError(f"unknown camera backend {settings.backend!r}")
