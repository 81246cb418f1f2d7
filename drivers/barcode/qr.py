"""The QR codes we print (receipt numbers, progress-query links): always full QR, always with ECI.

segno's `make()` picks Micro QR for short text, which zbar and most phone scanners cannot read, so we
call `make_qr()`. UTF-8 text is declared with an ECI header: without it zbar guesses the character set
and turns short Chinese text into mojibake. segno imports lazily so the module costs nothing unused.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from drivers.barcode.errors import BarcodeBackendUnavailable

ErrorLevel = Literal["L", "M", "Q", "H"]


def _segno() -> Any:
    try:
        import segno
    except ImportError as exc:
        raise BarcodeBackendUnavailable("segno is not installed: pip install segno") from exc
    return segno


def make_qr(text: str, *, error: ErrorLevel = "M") -> Any:
    """A `segno.QRCode` for `text`: full QR, UTF-8 with ECI, at least error level `error`.

    segno raises the level when the chosen version has room to spare (free robustness on paper).
    """
    if not text:
        raise ValueError("a QR code needs some text")
    segno = _segno()
    qr = segno.make_qr(text, error=error.lower(), encoding="utf-8", eci=True, boost_error=True)
    if qr.is_micro:  # make_qr never does this; guard against a future segno default change
        raise AssertionError("segno produced a Micro QR code")
    return qr


def qr_png(text: str, *, scale: int = 8, border: int = 4, error: ErrorLevel = "M") -> bytes:
    """PNG bytes of the code; `border` is the quiet zone in modules (QR needs at least 4)."""
    buffer = io.BytesIO()
    make_qr(text, error=error).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_modules(text: str, *, error: ErrorLevel = "M") -> tuple[tuple[bool, ...], ...]:
    """The module matrix without quiet zone, dark = True, for vector drawing (reportlab rectangles)."""
    matrix = make_qr(text, error=error).matrix
    return tuple(tuple(bool(cell) for cell in row) for row in matrix)
