"""Bringing the images decoders get (OpenCV frames, PIL images) to the shape each library needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.barcode.errors import UnsupportedImage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from drivers.barcode.protocol import ImageInput


def as_array(image: ImageInput) -> npt.NDArray[np.uint8]:
    """An H×W (gray) or H×W×3 (BGR) uint8 array; PIL images are converted to gray."""
    import numpy as np

    if isinstance(image, np.ndarray):
        array: npt.NDArray[Any] = image
    else:
        try:
            array = np.asarray(image.convert("L"))
        except AttributeError as exc:
            raise UnsupportedImage(f"cannot decode a {type(image).__name__}; pass a numpy array or PIL image") from exc
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3)):
        raise UnsupportedImage(f"expected an 8-bit gray or BGR image, got {array.dtype} {array.shape}")
    return array


def as_gray(image: ImageInput) -> npt.NDArray[np.uint8]:
    """An H×W uint8 array (zbar reads one 8-bit channel only)."""
    import numpy as np

    array = as_array(image)
    if array.ndim == 2:
        return np.ascontiguousarray(array)
    if array.shape[2] == 1:
        return np.ascontiguousarray(array[:, :, 0])
    try:
        import cv2
    except ImportError:
        # ITU-R 601 luma on BGR, as OpenCV computes it; slower, only without OpenCV.
        weights = np.array([0.114, 0.587, 0.299], dtype=np.float32)
        luma = array.astype(np.float32) @ weights
        return np.asarray(luma.round(), dtype=np.uint8)
    return np.asarray(cv2.cvtColor(array, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
