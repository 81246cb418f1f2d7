"""Our QR codes (full QR, ECI, UTF-8) decode with both decoders; what each can and cannot read."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from drivers.barcode.factory import make_decoder
from drivers.barcode.protocol import QR_FORMATS, BarcodeFormat
from drivers.barcode.qr import make_qr, qr_modules, qr_png

TEXTS = ["中文", "你好", "日本", "T0001-000042", "受理编号 T0001-000042 浙江政务服务网 https://example.invalid/q?n=1"]


def gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def in_frame(code: np.ndarray, *, bgr: bool = False) -> np.ndarray:
    """The code pasted into a 1920×1080 camera-like frame."""
    rng = np.random.default_rng(3)
    frame = np.clip(rng.normal(150, 2, (1080, 1920)), 0, 255).astype(np.uint8)
    h, w = code.shape
    frame[300:300 + h, 700:700 + w] = code
    return np.dstack([frame] * 3) if bgr else frame


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
@pytest.mark.parametrize("text", TEXTS)
def test_our_qr_codes_round_trip(backend: str, text: str) -> None:
    codes = make_decoder(backend, QR_FORMATS).decode(gray(qr_png(text)))
    assert [(c.format, c.text) for c in codes] == [(BarcodeFormat.QR_CODE, text)]
    assert len(codes[0].position) == 4


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_a_code_in_a_1080p_bgr_frame_is_found_where_it_is(backend: str) -> None:
    frame = in_frame(gray(qr_png("受理编号 T0001-000042", scale=6)), bgr=True)
    codes = make_decoder(backend).decode(frame)
    assert [c.text for c in codes] == ["受理编号 T0001-000042"]
    xs = [p.x for p in codes[0].position]
    ys = [p.y for p in codes[0].position]
    assert 700 <= min(xs) < max(xs) <= 700 + 400
    assert 300 <= min(ys) < max(ys) <= 300 + 400
    assert make_decoder(backend).decode(in_frame(np.full((10, 10), 150, np.uint8))) == []


def test_short_text_is_never_micro_qr() -> None:
    for text in TEXTS:
        qr = make_qr(text)
        assert not qr.is_micro
    assert len(qr_modules("1")) >= 21  # version 1 full QR is 21×21


def test_micro_qr_only_zxing_reads_it() -> None:
    import segno

    micro = gray(_png(segno.make("A12", micro=True)))
    assert [c.format for c in make_decoder("zxing").decode(micro)] == [BarcodeFormat.MICRO_QR]
    assert make_decoder("zxing", {BarcodeFormat.QR_CODE}).decode(micro) == []
    assert make_decoder("pyzbar").decode(micro) == []


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_code_128(backend: str) -> None:
    import zxingcpp

    image = np.asarray(zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode("T0001-000042", zxingcpp.BarcodeFormat.Code128), scale=3, add_quiet_zones=True))
    codes = make_decoder(backend).decode(image)
    assert [(c.format, c.text) for c in codes] == [(BarcodeFormat.CODE_128, "T0001-000042")]
    assert make_decoder(backend, QR_FORMATS).decode(image) == []


def _png(qr: object) -> bytes:
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)  # type: ignore[attr-defined]
    return buffer.getvalue()
