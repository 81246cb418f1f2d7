"""The zbar decoder (pyzbar over the system's libzbar0). Reads QR and the common 1D codes; not Micro QR.

DataBar is left out: zbar's DataBar decoder writes assertion failures to stderr on noisy frames.
zbar guesses the character set of byte-mode QR data that has no ECI header and gets short UTF-8
Chinese text wrong; our own codes carry ECI (drivers.barcode.qr), so they decode correctly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drivers.barcode.errors import BarcodeBackendUnavailable
from drivers.barcode.images import as_gray
from drivers.barcode.protocol import BarcodeFormat, DecodedCode, ImageInput, Point

_SYMBOLS: dict[BarcodeFormat, tuple[str, ...]] = {
    BarcodeFormat.QR_CODE: ("QRCODE",),
    BarcodeFormat.PDF417: ("PDF417",),
    BarcodeFormat.EAN_13: ("EAN13", "ISBN13"),
    BarcodeFormat.EAN_8: ("EAN8",),
    BarcodeFormat.UPC_A: ("UPCA",),
    BarcodeFormat.UPC_E: ("UPCE",),
    BarcodeFormat.CODE_128: ("CODE128",),
    BarcodeFormat.CODE_39: ("CODE39",),
    BarcodeFormat.CODE_93: ("CODE93",),
    BarcodeFormat.ITF: ("I25",),
    BarcodeFormat.CODABAR: ("CODABAR",),
}


def _pyzbar() -> Any:
    try:
        from pyzbar import pyzbar
    except ImportError as exc:
        raise BarcodeBackendUnavailable(
            "pyzbar is not installed: pip install pyzbar (and apt install libzbar0)"
        ) from exc
    return pyzbar


class PyzbarDecoder:
    """Decodes `formats` (None = every format zbar reads) in gray or BGR frames and PIL images."""

    name = "pyzbar"
    supported = frozenset(_SYMBOLS)

    def __init__(self, formats: Iterable[BarcodeFormat] | None = None) -> None:
        self._zbar = _pyzbar()
        wanted = frozenset(formats) if formats is not None else self.supported
        names = [name for f in wanted if f in _SYMBOLS for name in _SYMBOLS[f]]
        if not names:
            raise ValueError("no format this decoder can read was asked for")
        self._symbols = [getattr(self._zbar.ZBarSymbol, n) for n in names if hasattr(self._zbar.ZBarSymbol, n)]
        self._by_symbol = {name: fmt for fmt, names_ in _SYMBOLS.items() for name in names_}

    def decode(self, image: ImageInput) -> list[DecodedCode]:
        codes = []
        for found in self._zbar.decode(as_gray(image), symbols=self._symbols):
            raw = bytes(found.data)
            fmt = self._by_symbol.get(str(found.type), BarcodeFormat.UNKNOWN)
            codes.append(DecodedCode(fmt, raw.decode("utf-8", errors="replace"), _corners(found), raw, self.name))
        return codes


def _corners(found: Any) -> tuple[Point, ...]:
    polygon = [Point(int(p.x), int(p.y)) for p in found.polygon]
    if len(polygon) == 4:
        # zbar lists a QR's corners counter-clockwise from its top-left; ours go clockwise.
        return (polygon[0], polygon[3], polygon[2], polygon[1])
    left, top, width, height = (int(v) for v in found.rect)
    return (Point(left, top), Point(left + width, top), Point(left + width, top + height), Point(left, top + height))
