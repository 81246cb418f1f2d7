"""The camera's settings as the drivers see them; kiosk maps its `CameraConfig` onto this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PageFormatName = Literal["a4", "id_card"]


@dataclass(frozen=True)
class CameraSettings:
    backend: Literal["opencv", "simulated"] = "opencv"
    # OpenCV: a device index ("0"), a device path ("/dev/video2"), a file, an image sequence
    # ("frames/f_%03d.png") or a URL. Simulated: "" or a digit for the demo scene, "scene:NAME",
    # or image/video files and directories separated by os.pathsep.
    source: str = "0"
    width: int = 1920
    height: int = 1080
    # Most UVC document cameras deliver full resolution only as MJPG; YUYV tops out far lower.
    fourcc: str = "MJPG"
    fps: float = 30.0
    dpi: int = 150
    page_format: PageFormatName = "a4"
    jpeg_quality: int = 85
    preview_width: int = 960
    seed: int = 0
