"""Lazy import of OpenCV so that importing the camera package never fails on a machine without it.

Importing cv2 takes a few hundred milliseconds, which start-up must not pay, so the camera modules
import it inside the functions that use it: an entry point calls `require_cv2()` first, which turns
a missing wheel into the typed error the screens handle, and its own `import cv2` then only looks
the module up (typed by the wheel's stubs).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from drivers.camera.errors import CameraBackendUnavailable

if TYPE_CHECKING:
    from cv2.typing import MatLike

ScalarT = TypeVar("ScalarT", bound=np.generic)


@functools.cache
def require_cv2() -> None:
    """Imports cv2 once, or raises CameraBackendUnavailable naming the wheel to install."""
    try:
        import cv2  # noqa: F401 - imported for its side effect of being importable (see the module docstring)
    except ImportError as exc:
        raise CameraBackendUnavailable(
            "OpenCV is missing: pip install opencv-python-headless (never together with opencv-python)"
        ) from exc


def typed(array: MatLike, dtype: type[ScalarT]) -> npt.NDArray[ScalarT]:
    """`array` as the array of `dtype` it is.

    The wheel's stubs type every result as "some numeric array"; the functions used here return the
    depth of their input (or the one asked for), so another depth is a bug and is raised as one.
    """
    if array.dtype != dtype:
        raise TypeError(f"OpenCV returned a {array.dtype} array where {np.dtype(dtype)} was expected")
    return np.asarray(array, dtype)
