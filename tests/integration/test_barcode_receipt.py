"""The QR code on a rendered receipt (kiosk/forms/receipt.py), rasterised by pdftoppm, decodes to its number."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.barcode.factory import make_decoder
from drivers.barcode.protocol import QR_FORMATS

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_receipt_qr_decodes_to_the_receipt_number(tmp_path: Path, backend: str) -> None:
    from kiosk.forms.receipt import ReceiptData, render_receipt

    data = ReceiptData(
        receipt_no="T0001-000042", terminal_id="T0001", station="西湖区文新街道便民服务中心",
        service_name="居民身份证换领", service_code="330000-GA-XK-0001", received_at=datetime(2026, 11, 27, 10, 15),
        materials=("居民户口簿（2页）",),
    )
    pdf = tmp_path / "receipt.pdf"
    render_receipt(data, pdf, printed_at=datetime(2026, 11, 27, 10, 16))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    image = np.asarray(Image.open(page).convert("L"))
    codes = make_decoder(backend, QR_FORMATS).decode(image)
    assert [c.text for c in codes] == ["T0001-000042"]
