"""Page images as files: JPEG with the physical resolution recorded, and multi-page PDF via reportlab."""

from __future__ import annotations

import io
import os
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path

from drivers.camera._cv import require_cv2
from drivers.camera.protocol import Image

# JFIF APP0 segment: FFD8 FFE0 <len:2> "JFIF\0" <version:2> <units:1> <xdensity:2> <ydensity:2>.
_JFIF_UNITS_OFFSET = 13


def encode_jpeg(image: Image, quality: int = 85, dpi: int | None = None) -> bytes:
    """Baseline JPEG; with `dpi`, the JFIF header says so, so viewers and the PDF print it at true size."""
    require_cv2()
    import cv2

    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    data = bytes(buffer)
    return with_dpi(data, dpi) if dpi else data


def with_dpi(jpeg: bytes, dpi: int) -> bytes:
    """`jpeg` with its JFIF density set to `dpi` dots per inch (OpenCV writes 1:1 aspect, no unit)."""
    if jpeg[:4] != b"\xff\xd8\xff\xe0" or jpeg[6:11] != b"JFIF\x00":
        return jpeg
    density = struct.pack(">BHH", 1, dpi, dpi)
    return jpeg[:_JFIF_UNITS_OFFSET] + density + jpeg[_JFIF_UNITS_OFFSET + len(density):]


def jpeg_dpi(jpeg: bytes) -> int | None:
    """The dpi recorded in a JFIF header, if it records one in inches."""
    if jpeg[6:11] != b"JFIF\x00" or jpeg[_JFIF_UNITS_OFFSET] != 1:
        return None
    value: int = struct.unpack(">H", jpeg[_JFIF_UNITS_OFFSET + 1:_JFIF_UNITS_OFFSET + 3])[0]
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` so that `path` never holds half a file, even if the kiosk is switched off meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pages_to_pdf(pages: Sequence[tuple[bytes, int]], *, title: str = "") -> bytes:
    """One PDF page per (JPEG bytes, dpi), each sized to the image's physical size.

    reportlab embeds JPEG data as it is (DCTDecode), so no second lossy compression happens. `invariant`
    makes the same pages give the same bytes, which keeps content hashes stable across retries.
    """
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    if not pages:
        raise ValueError("a PDF needs at least one page")
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=0)
    if title:
        canvas.setTitle(title)
    for jpeg, dpi in pages:
        reader = ImageReader(io.BytesIO(jpeg))
        width_px, height_px = reader.getSize()
        width_pt, height_pt = width_px * 72.0 / dpi, height_px * 72.0 / dpi
        canvas.setPageSize((width_pt, height_pt))
        canvas.drawImage(reader, 0, 0, width_pt, height_pt)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
