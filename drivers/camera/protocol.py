"""The document camera interface every backend implements, and the frames it hands out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from drivers.status import DeviceStatus

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Frame:
    """One camera frame: BGR pixels, the monotonic time it was taken, and its running number."""

    image: Image
    timestamp: float
    index: int

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image.shape[1]), int(self.image.shape[0])


@dataclass(frozen=True)
class PreviewFrame:
    """A reduced copy of a frame for the screen; `scale` maps preview pixels back (full = preview / scale)."""

    image: Image
    timestamp: float
    index: int
    scale: float


@dataclass(frozen=True)
class CameraInfo:
    backend: str
    source: str
    # What the device actually delivers, which may differ from what was asked for.
    width: int
    height: int
    fourcc: str = ""


class Camera(Protocol):
    """Blocking calls; each waits at most `timeout_s` (callers keep it ≤ 1 s so cancelling works)."""

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        """Opens the device; raises CameraNotFound / CameraBackendUnavailable."""
        ...

    def close(self) -> None:
        """Releases the device; safe to call twice."""
        ...

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        """The next full-resolution frame; raises CameraTimeout / CameraDisconnected / CameraNotOpen."""
        ...

    def read_preview(self, timeout_s: float = 1.0, max_width: int = 960) -> tuple[Frame, PreviewFrame]:
        """The next frame and a copy at most `max_width` wide for the screen."""
        ...

    def status(self) -> DeviceStatus:
        ...

    @property
    def info(self) -> CameraInfo:
        ...


def downscale(frame: Frame, max_width: int) -> PreviewFrame:
    """A preview copy no wider than `max_width`, by area averaging (no aliasing on fine print)."""
    from drivers.camera._cv import require_cv2, typed

    width, height = frame.size
    if width <= max_width:
        return PreviewFrame(frame.image, frame.timestamp, frame.index, 1.0)
    require_cv2()
    import cv2

    scale = max_width / width
    size = (max_width, max(1, round(height * scale)))
    small = typed(cv2.resize(frame.image, size, interpolation=cv2.INTER_AREA), np.uint8)
    return PreviewFrame(small, frame.timestamp, frame.index, scale)
