"""Captured paper materials as outbox attachments.

A page from the document camera or the scanner (JPEG/PNG bytes, or a multi-page PDF) becomes a
`CapturedPage` for the outbox with its provenance, content hash and page count, under a size cap: an
image over the cap is re-encoded as JPEG at falling quality and then downscaled, never below a size a
clerk can still read; when even that is too big the caller is told (`MaterialTooLarge`) rather than
handed an illegible page. Several pages of one material (a household register) are joined into one PDF.

Each attachment names the catalogue material (`ServiceItem.materials`) it satisfies; `submission_parts`
gives the outbox its pages and the `fields["attachments"]` list that kiosk/platform/sync.py reads by position.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from offline_cache.catalog import Material, ServiceItem
from offline_cache.outbox import CapturedPage

if TYPE_CHECKING:
    from PIL import Image

# The platform accepts larger bodies; this keeps an island link's upload of one page under a minute.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# Below this many pixels on the long side an A4 page (≈ 120 dpi) stops being legible to a clerk.
DEFAULT_MIN_LONG_SIDE_PX = 1400
_QUALITIES = (85, 75, 65, 55, 45)
_SCALE_STEP = 0.85
_DEFAULT_DPI = 200

MESSAGES: dict[str, tuple[str, str]] = {
    "materials.too_large": (
        "材料图像过大，请降低分辨率后重新拍摄或扫描。",
        "The material image is too large. Please capture it again at a lower resolution.",
    ),
    "materials.unreadable": (
        "无法读取该材料文件，请重新拍摄或扫描。",
        "The material file cannot be read. Please capture it again.",
    ),
    "materials.unknown": ("该事项不需要此材料。", "This service does not ask for that material."),
}


class MaterialError(Exception):
    """Base of material failures; `code` is stable, `message_key` names the screen text in MESSAGES."""

    code = "materials.error"
    message_key = "materials.unreadable"


class MaterialTooLarge(MaterialError):
    code = "materials.too_large"
    message_key = "materials.too_large"


class UnreadableMaterial(MaterialError):
    code = "materials.unreadable"
    message_key = "materials.unreadable"


class UnknownMaterial(MaterialError):
    code = "materials.unknown"
    message_key = "materials.unknown"


@dataclass(frozen=True)
class MaterialAttachment:
    """One attachment ready for the outbox, and the catalogue material it satisfies."""

    page: CapturedPage
    material: Material
    service_code: str
    pages: int
    sha256: str
    original_size: int
    recompressed: bool
    width_px: int = 0
    height_px: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def size(self) -> int:
        return len(self.page.data)

    def attachment_entry(self) -> dict[str, Any]:
        """This attachment's entry in the submission's `fields["attachments"]` (kiosk/platform/sync.py reads it)."""
        return {"material": self.material.name, "pages": self.pages}


def find_material(item: ServiceItem, name: str) -> Material:
    """The material of `item` called `name` (`UnknownMaterial` if the item does not ask for it)."""
    for material in item.materials:
        if material.name == name:
            return material
    raise UnknownMaterial(f"service {item.code} lists no material {name!r}")


def sniff_media_type(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    raise UnreadableMaterial("not a JPEG, PNG, TIFF or PDF file")


def attach(
    data: bytes,
    *,
    item: ServiceItem,
    material: str,
    device: str,
    captured_at: datetime,
    identified_by_card: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
    min_long_side_px: int = DEFAULT_MIN_LONG_SIDE_PX,
) -> MaterialAttachment:
    """One captured page (an image) or document (a PDF) as an attachment satisfying `material` of `item`.

    `device` is the provenance kind the platform expects ("camera", "scanner"). Raises
    `UnknownMaterial`, `UnreadableMaterial`, or `MaterialTooLarge` when it cannot be brought under
    `max_bytes` without going below `min_long_side_px`.
    """
    entry = find_material(item, material)
    media_type = sniff_media_type(data)
    notes: list[str] = []
    width = height = 0
    if media_type == "application/pdf":
        pages = pdf_page_count(data)
        if len(data) > max_bytes:
            raise MaterialTooLarge(
                f"a {pages}-page PDF of {len(data)} bytes is over the {max_bytes}-byte cap; "
                "PDFs are not re-encoded: capture the pages as images (attach_pages) or at a lower resolution"
            )
        out = data
    else:
        pages = 1
        image = _open_image(data)
        width, height = image.size
        if len(data) <= max_bytes and media_type in ("image/jpeg", "image/png"):
            out = data
        else:
            out, (width, height), notes = _fit_jpeg(image, _dpi(image), max_bytes, min_long_side_px)
            media_type = "image/jpeg"
    return _attachment(out, media_type, entry, item, device, captured_at, identified_by_card, pages, len(data),
                       width, height, notes)


def attach_pages(
    images: Sequence[bytes],
    *,
    item: ServiceItem,
    material: str,
    device: str,
    captured_at: datetime,
    identified_by_card: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
    min_long_side_px: int = DEFAULT_MIN_LONG_SIDE_PX,
) -> MaterialAttachment:
    """Several page images of one material (both sides of a card, an ADF batch) as one multi-page PDF."""
    if not images:
        raise UnreadableMaterial("no pages to attach")
    if len(images) == 1:
        return attach(images[0], item=item, material=material, device=device, captured_at=captured_at,
                      identified_by_card=identified_by_card, max_bytes=max_bytes, min_long_side_px=min_long_side_px)
    entry = find_material(item, material)
    for data in images:
        if sniff_media_type(data) == "application/pdf":
            raise UnreadableMaterial("attach_pages takes page images; attach a PDF with attach()")
    opened = [_open_image(data) for data in images]
    original = sum(len(d) for d in images)
    pdf, notes = _fit_pdf(opened, max_bytes, min_long_side_px)
    width, height = opened[0].size
    return _attachment(pdf, "application/pdf", entry, item, device, captured_at, identified_by_card, len(opened),
                       original, width, height, notes)


def submission_parts(attachments: Iterable[MaterialAttachment]) -> tuple[list[CapturedPage], list[dict[str, Any]]]:
    """What `Outbox.add_submission` takes: the pages, and the `fields["attachments"]` entries in the same order."""
    chosen = list(attachments)
    return [a.page for a in chosen], [a.attachment_entry() for a in chosen]


def outstanding(item: ServiceItem, attachments: Iterable[MaterialAttachment]) -> list[Material]:
    """Required materials of `item` that no attachment satisfies yet (`waivable` ones are 容缺: may follow later)."""
    have = {a.material.name for a in attachments if a.service_code == item.code}
    return [m for m in item.materials if m.required and m.name not in have]


# --- PDF page count ---------------------------------------------------------------------------

_PAGES_COUNT = re.compile(rb"/Type\s*/Pages\b(?:(?!endobj).){0,4096}?/Count\s+(\d+)", re.S)
_COUNT_PAGES = re.compile(rb"/Count\s+(\d+)(?:(?!endobj).){0,4096}?/Type\s*/Pages\b", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_STREAM = re.compile(rb"/FlateDecode.{0,200}?stream\r?\n", re.S)


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF: the `/Count` of its root page tree (the largest, since every subtree counts less).

    Object streams (PDF 1.5) are inflated and searched too. Not a PDF parser: a PDF whose page tree is
    hidden some other way is refused as unreadable, never guessed.
    """
    if not data.startswith(b"%PDF-"):
        raise UnreadableMaterial("not a PDF")
    texts = [data, *_inflated_streams(data)]
    counts = [int(m.group(1)) for text in texts for rx in (_PAGES_COUNT, _COUNT_PAGES) for m in rx.finditer(text)]
    if counts:
        return max(counts)
    pages = sum(len(_PAGE.findall(text)) for text in texts)
    if pages:
        return pages
    raise UnreadableMaterial("no page tree found in the PDF")


def _inflated_streams(data: bytes) -> list[bytes]:
    found = []
    for match in _STREAM.finditer(data):
        try:
            inflater = zlib.decompressobj()
            chunk = inflater.decompress(data[match.end(): match.end() + 4 * 1024 * 1024], 8 * 1024 * 1024)
        except zlib.error:
            continue
        if b"/Type" in chunk:
            found.append(chunk)
    return found


# --- images -----------------------------------------------------------------------------------

def _open_image(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableMaterial(f"the image cannot be decoded: {exc}") from exc
    return image


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value > 0 else _DEFAULT_DPI


def _jpeg_ready(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("1", "P", "LA", "I;16", "I"):
        return image.convert("L") if image.mode != "P" else image.convert("RGB")
    return image.convert("RGB")


def _ladder(size: tuple[int, int], min_long_side_px: int) -> Iterable[tuple[float, int]]:
    """(scale, quality) pairs in the order tried: quality first, then smaller, down to the legibility floor."""
    scale = 1.0
    long_side = max(size)
    while True:
        for quality in _QUALITIES:
            yield scale, quality
        scale *= _SCALE_STEP
        if long_side * scale < min_long_side_px:
            return


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    from PIL import Image

    if scale >= 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _fit_jpeg(
    image: Image.Image, dpi: int, max_bytes: int, min_long_side_px: int
) -> tuple[bytes, tuple[int, int], list[str]]:
    base = _jpeg_ready(image)
    last = 0
    for scale, quality in _ladder(base.size, min(min_long_side_px, max(base.size))):
        candidate = _scaled(base, scale)
        buffer = io.BytesIO()
        # Keep the physical size: a downscaled page is the same A4 at a lower dpi.
        effective = max(1, round(dpi * scale))
        candidate.save(buffer, format="JPEG", quality=quality, optimize=True, dpi=(effective, effective))
        last = buffer.tell()
        if last <= max_bytes:
            return buffer.getvalue(), candidate.size, [f"re-encoded at quality {quality}, scale {scale:.2f}"]
    raise MaterialTooLarge(
        f"cannot bring the image under {max_bytes} bytes without going below {min_long_side_px} px "
        f"(smallest attempt {last} bytes)"
    )


def _fit_pdf(images: list[Image.Image], max_bytes: int, min_long_side_px: int) -> tuple[bytes, list[str]]:
    bases = [_jpeg_ready(im) for im in images]
    dpis = [_dpi(im) for im in images]
    longest = max(max(b.size) for b in bases)
    last = 0
    for scale, quality in _ladder((longest, longest), min(min_long_side_px, longest)):
        pages = [_scaled(b, scale) for b in bases]
        buffer = io.BytesIO()
        resolution = max(1, round(dpis[0] * scale))
        pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=resolution,
                      quality=quality)
        last = buffer.tell()
        if last <= max_bytes:
            note = [] if (scale, quality) == (1.0, _QUALITIES[0]) else [
                f"re-encoded at quality {quality}, scale {scale:.2f}"]
            return buffer.getvalue(), note
    raise MaterialTooLarge(
        f"cannot bring {len(images)} pages under {max_bytes} bytes without going below {min_long_side_px} px "
        f"(smallest attempt {last} bytes)"
    )


def _attachment(
    data: bytes, media_type: str, material: Material, item: ServiceItem, device: str, captured_at: datetime,
    identified_by_card: bool, pages: int, original_size: int, width: int, height: int, notes: list[str],
) -> MaterialAttachment:
    page = CapturedPage(data, media_type, device, captured_at, identified_by_card)
    return MaterialAttachment(
        page=page, material=material, service_code=item.code, pages=pages, sha256=hashlib.sha256(data).hexdigest(),
        original_size=original_size, recompressed=bool(notes), width_px=width,
        height_px=height, notes=tuple(notes),
    )
