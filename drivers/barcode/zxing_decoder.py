"""The zxing-cpp decoder: the default (about 15× faster than zbar on a 1080p frame limited to QR, and
it reads Micro QR and rMQR, which zbar cannot)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drivers.barcode.errors import BarcodeBackendUnavailable
from drivers.barcode.images import as_array
from drivers.barcode.protocol import BarcodeFormat, DecodedCode, ImageInput, Point

# Our format → zxing-cpp BarcodeFormat member name (zxing-cpp 2.x and 3.x share these names).
_NAMES: dict[BarcodeFormat, str] = {
    BarcodeFormat.QR_CODE: "QRCode",
    BarcodeFormat.MICRO_QR: "MicroQRCode",
    BarcodeFormat.RMQR: "RMQRCode",
    BarcodeFormat.DATA_MATRIX: "DataMatrix",
    BarcodeFormat.PDF417: "PDF417",
    BarcodeFormat.AZTEC: "Aztec",
    BarcodeFormat.EAN_13: "EAN13",
    BarcodeFormat.EAN_8: "EAN8",
    BarcodeFormat.UPC_A: "UPCA",
    BarcodeFormat.UPC_E: "UPCE",
    BarcodeFormat.CODE_128: "Code128",
    BarcodeFormat.CODE_39: "Code39",
    BarcodeFormat.CODE_93: "Code93",
    BarcodeFormat.ITF: "ITF",
    BarcodeFormat.CODABAR: "Codabar",
    BarcodeFormat.DATABAR: "DataBar",
}


def _zxingcpp() -> Any:
    try:
        import zxingcpp
    except ImportError as exc:
        raise BarcodeBackendUnavailable("zxing-cpp is not installed: pip install zxing-cpp") from exc
    return zxingcpp


class ZxingDecoder:
    """Decodes `formats` (None = every format we know) in gray or BGR frames and PIL images."""

    name = "zxing"
    supported = frozenset(_NAMES)

    def __init__(self, formats: Iterable[BarcodeFormat] | None = None, *, try_invert: bool = False) -> None:
        zx = self._zx = _zxingcpp()
        # Light-on-dark codes are rare on paper and looking for them doubles the work per frame.
        self._try_invert = try_invert
        wanted = frozenset(formats) if formats is not None else self.supported
        members = [getattr(zx.BarcodeFormat, _NAMES[f]) for f in wanted if f in _NAMES]
        if not members:
            raise ValueError("no format this decoder can read was asked for")
        # zxing-cpp 3 takes a tuple of formats (`|` on formats is deprecated there).
        self._formats = tuple(members)
        self._by_name = {name: fmt for fmt, name in _NAMES.items()}
        # zxing-cpp 3 filters by family (QRCode also matches Micro QR); keep only what was asked for.
        self._wanted = wanted

    def decode(self, image: ImageInput) -> list[DecodedCode]:
        found = self._zx.read_barcodes(as_array(image), formats=self._formats, try_invert=self._try_invert)
        codes = []
        for barcode in found:
            if not barcode.valid:
                continue
            fmt = self._format(barcode.format)
            if fmt not in self._wanted:
                continue
            pos = barcode.position
            corners = tuple(
                Point(int(p.x), int(p.y)) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            )
            codes.append(DecodedCode(fmt, str(barcode.text), corners, bytes(barcode.bytes), self.name))
        return codes

    def _format(self, member: Any) -> BarcodeFormat:
        name = str(getattr(member, "name", "") or str(member).rsplit(".", 1)[-1])
        fmt = self._by_name.get(name)
        if fmt is not None:
            return fmt
        for prefix, family in (("QRCode", BarcodeFormat.QR_CODE), ("DataBar", BarcodeFormat.DATABAR),
                               ("Code39", BarcodeFormat.CODE_39), ("ITF", BarcodeFormat.ITF),
                               ("Aztec", BarcodeFormat.AZTEC), ("PDF417", BarcodeFormat.PDF417)):
            if name.startswith(prefix):
                return family
        return BarcodeFormat.UNKNOWN
