"""JPEG with its dpi recorded, and multi-page PDFs sized to the pages."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from drivers.camera.output import encode_jpeg, jpeg_dpi, pages_to_pdf, write_atomically


def _page(value: int = 230) -> np.ndarray:
    img = np.full((1754, 1240, 3), value, np.uint8)
    img[800:820, 100:1100] = 30
    return img


def test_jpeg_records_the_dpi() -> None:
    jpeg = encode_jpeg(_page(), quality=85, dpi=150)
    assert jpeg[:2] == b"\xff\xd8"
    assert jpeg_dpi(jpeg) == 150
    assert jpeg_dpi(encode_jpeg(_page(), quality=85)) is None


def test_lower_quality_gives_a_smaller_file() -> None:
    noisy = np.random.default_rng(1).integers(0, 255, (600, 400, 3), dtype=np.uint8)
    assert len(encode_jpeg(noisy, quality=50)) < len(encode_jpeg(noisy, quality=95))


def test_pdf_has_one_page_per_image_at_physical_size() -> None:
    a4 = encode_jpeg(_page(), dpi=150)
    card = encode_jpeg(np.full((638, 1011, 3), 200, np.uint8), dpi=300)
    pdf = pages_to_pdf([(a4, 150), (encode_jpeg(_page(200), dpi=150), 150), (card, 300)], title="materials")
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
    assert len(boxes) == 3
    assert (float(boxes[0][0]), float(boxes[0][1])) == pytest.approx((595.2, 841.9), abs=0.5)  # A4 in points
    assert (float(boxes[2][0]), float(boxes[2][1])) == pytest.approx((242.6, 153.1), abs=0.5)  # ID-1 card
    # The JPEG data goes in as it is, not decoded and compressed again.
    assert pdf.count(b"/DCTDecode") >= 2


def test_the_same_pages_give_the_same_pdf_bytes() -> None:
    jpeg = encode_jpeg(_page(), dpi=150)
    assert pages_to_pdf([(jpeg, 150)]) == pages_to_pdf([(jpeg, 150)])


def test_a_pdf_needs_pages() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        pages_to_pdf([])


def test_write_atomically_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "page.jpg"
    write_atomically(target, b"abc")
    write_atomically(target, b"defg")
    assert target.read_bytes() == b"defg"
    assert [p.name for p in target.parent.iterdir()] == ["page.jpg"]
