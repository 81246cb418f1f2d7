"""What every decoder returns: the symbology, the text, and where the code sits in the image."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

    # A grayscale (H×W) or BGR (H×W×3) uint8 frame as OpenCV gives it, or a PIL image.
    ImageInput: TypeAlias = npt.NDArray[np.uint8] | Image.Image
else:
    ImageInput: TypeAlias = Any


class BarcodeFormat(enum.Enum):
    QR_CODE = "qr_code"
    MICRO_QR = "micro_qr"
    RMQR = "rmqr"
    DATA_MATRIX = "data_matrix"
    PDF417 = "pdf417"
    AZTEC = "aztec"
    EAN_13 = "ean_13"
    EAN_8 = "ean_8"
    UPC_A = "upc_a"
    UPC_E = "upc_e"
    CODE_128 = "code_128"
    CODE_39 = "code_39"
    CODE_93 = "code_93"
    ITF = "itf"
    CODABAR = "codabar"
    DATABAR = "databar"
    # A hand-held scanner that does not say which symbology it read.
    UNKNOWN = "unknown"


QR_FORMATS = frozenset({BarcodeFormat.QR_CODE, BarcodeFormat.MICRO_QR})
LINEAR_FORMATS = frozenset({
    BarcodeFormat.EAN_13, BarcodeFormat.EAN_8, BarcodeFormat.UPC_A, BarcodeFormat.UPC_E, BarcodeFormat.CODE_128,
    BarcodeFormat.CODE_39, BarcodeFormat.CODE_93, BarcodeFormat.ITF, BarcodeFormat.CODABAR, BarcodeFormat.DATABAR,
})


@dataclass(frozen=True)
class Point:
    x: int
    y: int


@dataclass(frozen=True)
class DecodedCode:
    """One code found. `position` holds the corners clockwise from the symbol's top-left (empty when the
    reader does not say, as with serial scanners); `raw` the payload bytes as the decoder returned them."""

    format: BarcodeFormat
    text: str
    position: tuple[Point, ...] = ()
    raw: bytes = field(default=b"", repr=False)
    backend: str = ""


class Decoder(Protocol):
    """Finds and decodes every code in one image. Pure CPU work: no device, no timeout needed."""

    name: str
    supported: frozenset[BarcodeFormat]

    def decode(self, image: ImageInput) -> list[DecodedCode]: ...


class CodeReader(Protocol):
    """A device that reads codes by itself (a hand-held serial QR scanner)."""

    def read_code(self, timeout_s: float) -> DecodedCode:
        """The next code; `NoCodeRead` if none arrives within `timeout_s` (keep it ≤ 1 s and loop)."""
        ...

    def close(self) -> None: ...
