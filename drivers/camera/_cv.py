"""Lazy import of OpenCV so that importing the camera package never fails on a machine without it."""

from __future__ import annotations

import functools
from typing import Any

from drivers.camera.errors import CameraBackendUnavailable


@functools.cache
def load_cv2() -> Any:
    """The cv2 module, or a typed error naming the wheel to install.

    Typed as Any on purpose: the wheel's own stubs change between OpenCV releases and the strict
    type check should not depend on which one is installed.
    """
    try:
        import cv2
    except ImportError as exc:
        raise CameraBackendUnavailable(
            "OpenCV is missing: pip install opencv-python-headless (never together with opencv-python)"
        ) from exc
    return cv2
