"""Image shapes the decoders accept, and the screen texts of barcode errors."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from drivers.barcode import errors, messages
from drivers.barcode.images import as_array, as_gray


def test_bgr_pil_and_gray_inputs_become_gray() -> None:
    bgr = np.zeros((4, 5, 3), np.uint8)
    bgr[..., 2] = 255  # pure red in BGR
    gray = as_gray(bgr)
    assert gray.shape == (4, 5)
    assert int(gray[0, 0]) == 76  # ITU-R 601: 0.299 × 255
    assert as_gray(Image.new("RGB", (5, 4), "white")).shape == (4, 5)
    assert as_array(np.zeros((4, 5), np.uint8)).shape == (4, 5)


@pytest.mark.parametrize("bad", [np.zeros((4, 5), np.float32), np.zeros((4, 5, 4), np.uint8), "frame.png"])
def test_other_inputs_are_refused(bad: object) -> None:
    with pytest.raises(errors.UnsupportedImage):
        as_array(bad)  # type: ignore[arg-type]


def test_every_message_key_has_chinese_and_english_text() -> None:
    keys = {
        cls.message_key for cls in vars(errors).values()
        if isinstance(cls, type) and cls.__module__ == errors.__name__
    }
    for key in keys:
        zh, en = messages.MESSAGES[key]
        assert zh
        assert en
        assert zh != en
    assert messages.message("barcode.show_code", "en").startswith("Hold the QR code")
