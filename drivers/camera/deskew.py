"""Perspective correction: the page's quadrilateral becomes an upright page of its physical size at a dpi."""

from __future__ import annotations

import numpy as np

from drivers.camera._cv import require_cv2, typed
from drivers.camera.formats import A4, ID_CARD, PageFormat
from drivers.camera.page_detect import Corners
from drivers.camera.protocol import Image


def is_landscape(corners: Corners) -> bool:
    """Whether the page lies with its long side across: the mean of opposite sides decides."""
    tl, tr, br, bl = (c.astype(np.float64) for c in corners)
    across = (np.hypot(*(tr - tl)) + np.hypot(*(br - bl))) / 2
    down = (np.hypot(*(bl - tl)) + np.hypot(*(br - tr))) / 2
    return bool(across > down)


def output_size(corners: Corners, fmt: PageFormat, dpi: int) -> tuple[int, int]:
    """(width, height) of the deskewed page: the format at `dpi`, in the orientation it lies on the desk.

    An A4 page photographed sideways stays sideways (we cannot tell a landscape form from a page turned
    by 90° without reading it); an ID card is landscape unless it stands on its short side.
    """
    landscape = is_landscape(corners)
    return fmt.pixels(dpi, landscape=landscape)


def deskew(image: Image, corners: Corners, fmt: PageFormat = A4, dpi: int = 150) -> Image:
    """The page inside `corners` (ordered TL, TR, BR, BL), warped to an upright `fmt` page at `dpi`.

    The corners are the outer edges of the paper, so the output is filled by the page to its border.
    """
    require_cv2()
    import cv2

    width, height = output_size(corners, fmt, dpi)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    # Downsampling a large frame to a small page aliases with INTER_LINEAR; INTER_AREA is not supported
    # by warpPerspective, so pre-shrink the frame when the page is much larger than the output.
    page_px = float(cv2.arcLength(corners.astype(np.float32).reshape(-1, 1, 2), True))
    shrink = (2 * (width + height)) / page_px
    if shrink < 0.5:
        small = typed(cv2.resize(image, None, fx=shrink * 1.5, fy=shrink * 1.5, interpolation=cv2.INTER_AREA), np.uint8)
        factor = small.shape[1] / image.shape[1]
        matrix = cv2.getPerspectiveTransform((corners * factor).astype(np.float32), target)
        image = small
    return typed(cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_REPLICATE), np.uint8)


__all__ = ["A4", "ID_CARD", "deskew", "is_landscape", "output_size"]
