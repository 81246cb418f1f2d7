"""The OpenCV seam: results are typed with the depth OpenCV really returned, and another depth is a bug."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.camera._cv import require_cv2, typed


def test_typed_keeps_the_array_of_the_expected_depth() -> None:
    require_cv2()
    import cv2

    image = np.full((8, 8, 3), 200, np.uint8)
    gray = typed(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), np.uint8)
    assert gray.shape == (8, 8)
    assert gray.dtype == np.uint8


def test_typed_raises_when_opencv_returned_another_depth() -> None:
    with pytest.raises(TypeError, match="float32"):
        typed(np.zeros((2, 2), np.float32), np.uint8)
