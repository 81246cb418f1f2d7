"""The simulated document camera: plays image or video files, or generated scenes, as a camera would.

Selected with `backend = "simulated"`. The source says what to show:

- "" or a device index ("0"): the demo scene, in which pages slide in, lie still, and are taken away,
  at changing angles (what `kiosk demo` shows, and what auto-capture is made for);
- "scene:NAME": one of SCENARIOS (still, moving, blurred, dark, glare, cutoff, empty, unplugged);
- image files, video files, image directories, separated by os.pathsep; each image is held for two
  seconds of frames, videos play through; the whole list repeats.

With `realtime=True` (the default) frames are paced at the configured fps and stamped with the monotonic
clock, like a camera; with `realtime=False` they come as fast as asked, stamped with virtual time
(index / fps), so tests run without sleeping and give the same result every time.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from drivers.camera._cv import require_cv2, typed
from drivers.camera.errors import CameraDisconnected, CameraNotFound, CameraNotOpen
from drivers.camera.protocol import CameraInfo, Frame, Image, PreviewFrame, downscale
from drivers.camera.settings import CameraSettings
from drivers.camera.synthetic import SceneSpec, render
from drivers.status import DeviceState, DeviceStatus, failed_look

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})
# Frames of the demo cycle: slide in, lie still, gone.
_DEMO_IN, _DEMO_STILL, _DEMO_GONE = 20, 70, 25
_DEMO_ANGLES = (8.0, -14.0, 24.0, -4.0, 16.0)

Scenario = Callable[[SceneSpec, int], SceneSpec | None]


def _demo(base: SceneSpec, i: int) -> SceneSpec | None:
    cycle, step = divmod(i, _DEMO_IN + _DEMO_STILL + _DEMO_GONE)
    angle = _DEMO_ANGLES[cycle % len(_DEMO_ANGLES)]
    spec = base.replace(angle_deg=angle, tilt_x_deg=6.0, tilt_y_deg=-4.0, page_height_frac=0.74)
    if step < _DEMO_IN:
        # Eased slide from the right edge, turning into place.
        t = step / _DEMO_IN
        ease = 1 - (1 - t) ** 3
        return spec.replace(center_x=1.4 - 0.9 * ease, angle_deg=angle + 20 * (1 - ease))
    if step < _DEMO_IN + _DEMO_STILL:
        return spec
    return None


def _moving(base: SceneSpec, i: int) -> SceneSpec | None:
    t = i / 30.0
    return base.replace(center_x=0.5 + 0.08 * math.sin(t * 2.1), center_y=0.5 + 0.05 * math.cos(t * 1.7),
                        angle_deg=10 * math.sin(t), page_height_frac=0.7)


def _still(**changes: Any) -> Scenario:
    def scenario(base: SceneSpec, i: int) -> SceneSpec | None:
        return base.replace(angle_deg=12.0, tilt_x_deg=8.0, tilt_y_deg=-6.0, page_height_frac=0.78, **changes)

    return scenario


def _empty(base: SceneSpec, i: int) -> SceneSpec | None:
    return None


SCENARIOS: dict[str, Scenario] = {
    "demo": _demo,
    "still": _still(),
    "moving": _moving,
    "blurred": _still(blur_sigma=5.0),
    "dark": _still(brightness=0.25),
    "glare": _still(glare=0.8),
    "cutoff": _still(center_x=0.2),
    "empty": _empty,
    "unplugged": _still(),
}
# "unplugged" delivers this many frames, then behaves like a camera whose cable was pulled.
UNPLUGGED_AFTER = 45


class SimulatedCamera:
    def __init__(
        self,
        settings: CameraSettings,
        *,
        realtime: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._realtime = realtime
        self._clock = clock
        self._sleep = sleep
        self._index = 0
        self._open = False
        self._next_due = 0.0
        self._last_error: CameraDisconnected | None = None
        self._scenario: Scenario | None = None
        self._scenario_name = ""
        self._files: Iterator[Image] | None = None
        self._info = CameraInfo("simulated", settings.source, settings.width, settings.height)

    @property
    def info(self) -> CameraInfo:
        return self._info

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        source = self.settings.source.strip()
        if source == "" or source.isdigit():
            self._scenario_name = "demo"
        elif source.startswith("scene:"):
            self._scenario_name = source.removeprefix("scene:")
            if self._scenario_name not in SCENARIOS:
                raise CameraNotFound(f"unknown simulated scene {self._scenario_name!r}; known: {', '.join(SCENARIOS)}")
        else:
            self._scenario_name = ""
            paths = [Path(p) for p in source.split(os.pathsep) if p]
            missing = [str(p) for p in paths if not p.exists()]
            if missing:
                raise CameraNotFound(f"simulated camera files not found: {', '.join(missing)}")
            self._files = _play(paths, hold_frames=max(1, round(2 * self.settings.fps)))
            first = next(self._files)
            self._pending: Image | None = first
            self._info = CameraInfo("simulated", source, int(first.shape[1]), int(first.shape[0]))
        if self._scenario_name:
            self._scenario = SCENARIOS[self._scenario_name]
            self._info = CameraInfo("simulated", source, self.settings.width, self.settings.height, "scene")
        self._open = True
        self._index = 0
        self._last_error = None
        self._next_due = self._clock()
        return self._info

    def close(self) -> None:
        self._open = False
        self._files = None

    def status(self) -> DeviceStatus:
        if not self._open:
            return DeviceStatus(DeviceState.UNKNOWN, "not open")
        if self._last_error is not None:
            return failed_look(self._last_error)
        return DeviceStatus(DeviceState.OK, f"simulated {self._info.width}x{self._info.height}")

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        if not self._open:
            raise CameraNotOpen("open() the camera first")
        if self._scenario_name == "unplugged" and self._index >= UNPLUGGED_AFTER:
            self._last_error = CameraDisconnected("simulated camera unplugged")
            raise self._last_error
        period = 1.0 / self.settings.fps
        if self._realtime:
            wait = self._next_due - self._clock()
            if wait > 0:
                self._sleep(min(wait, timeout_s))
            self._next_due = max(self._next_due + period, self._clock())
            timestamp = self._clock()
        else:
            timestamp = self._index * period
        image = self._next_image()
        self._index += 1
        return Frame(image, timestamp, self._index)

    def read_preview(self, timeout_s: float = 1.0, max_width: int = 960) -> tuple[Frame, PreviewFrame]:
        frame = self.read_frame(timeout_s)
        return frame, downscale(frame, max_width)

    def _next_image(self) -> Image:
        if self._scenario is not None:
            base = SceneSpec(width=self.settings.width, height=self.settings.height, seed=self.settings.seed,
                             page_format=self.settings.page_format, frame_seed=self._index)
            spec = self._scenario(base, self._index)
            # No page: the same scene with the page pushed far off the desk.
            scene = render(spec if spec is not None else base.replace(center_x=9.0))
            image: Image = scene.image
            return image
        assert self._files is not None
        if self._pending is not None:
            image, self._pending = self._pending, None
            return image
        return next(self._files)


def _play(paths: list[Path], *, hold_frames: int) -> Iterator[Image]:
    """Frames from images (each held `hold_frames` times), directories of images, and videos, forever."""
    require_cv2()
    import cv2

    files: list[Path] = []
    for path in paths:
        files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if path.is_dir()
                     else [path])
    if not files:
        raise CameraNotFound("no images in the simulated camera's source")
    while True:
        for path in files:
            if path.suffix.lower() in IMAGE_SUFFIXES:
                image = cv2.imread(str(path), cv2.IMREAD_COLOR)
                if image is None:
                    raise CameraNotFound(f"cannot read image {path}")
                still = typed(image, np.uint8)
                for _ in range(hold_frames):
                    yield still
            else:
                cap = cv2.VideoCapture(str(path))
                if not cap.isOpened():
                    raise CameraNotFound(f"cannot open video {path}")
                try:
                    while True:
                        ok, image = cap.read()
                        if not ok:
                            break
                        yield typed(image, np.uint8)
                finally:
                    cap.release()


__all__ = ["SCENARIOS", "SimulatedCamera"]
