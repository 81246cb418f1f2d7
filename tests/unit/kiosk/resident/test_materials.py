"""Captured pages become outbox attachments: hash, size cap, page count, the material they satisfy."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from datetime import UTC, datetime

import numpy as np
import pytest
from PIL import Image

from kiosk.config import sample_catalog_path
from kiosk.resident import materials
from kiosk.resident.materials import MaterialTooLarge, UnknownMaterial, UnreadableMaterial
from offline_cache.catalog import Material, ServiceItem

SAMPLE = sample_catalog_path()
WHEN = datetime(2026, 11, 27, 10, 12, 3, tzinfo=UTC)


def item() -> ServiceItem:
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"][0]
    return dataclasses.replace(
        ServiceItem.from_dict(base),
        code="330000-GA-XK-0001",
        materials=(
            Material("居民户口簿", "原件1份", "paper", required=True, waivable=False, note=""),
            Material("数码照片回执", "1份", "paper", required=True, waivable=True, note=""),
            Material("委托书", "1份", "paper", required=False, waivable=False, note=""),
        ),
    )


def noisy_jpeg(width: int = 1654, height: int = 2339, quality: int = 95, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(
        buffer, "JPEG", quality=quality, dpi=(200, 200))
    return buffer.getvalue()


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (400, 300), 255).save(buffer, "PNG")
    return buffer.getvalue()


def attach(data: bytes, **kw: object) -> materials.MaterialAttachment:
    return materials.attach(data, item=item(), material="居民户口簿", device="scanner", captured_at=WHEN,
                            identified_by_card=True, **kw)  # type: ignore[arg-type]


def test_small_image_is_kept_as_is_with_provenance_and_hash() -> None:
    data = small_png()
    a = attach(data)
    assert a.page.data == data
    assert a.page.media_type == "image/png"
    assert (a.page.device, a.page.captured_at, a.page.identified_by_card) == ("scanner", WHEN, True)
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert (a.pages, a.recompressed) == (1, False)
    assert a.material.name == "居民户口簿"
    assert a.attachment_entry() == {"material": "居民户口簿", "pages": 1}


def test_an_image_over_the_cap_is_recompressed_under_it() -> None:
    data = noisy_jpeg()
    cap = len(data) // 3
    a = attach(data, max_bytes=cap)
    assert a.size <= cap
    assert a.recompressed
    assert a.page.media_type == "image/jpeg"
    assert a.original_size == len(data)
    assert a.sha256 == hashlib.sha256(a.page.data).hexdigest()
    assert Image.open(io.BytesIO(a.page.data)).size == (a.width_px, a.height_px)


def test_when_recompression_cannot_reach_the_cap_it_says_so() -> None:
    with pytest.raises(MaterialTooLarge, match="without going below 1400 px"):
        attach(noisy_jpeg(), max_bytes=50_000)


def test_several_pages_become_one_pdf_with_a_page_count() -> None:
    pages = [noisy_jpeg(800, 1100, seed=n) for n in range(3)]
    a = materials.attach_pages(pages, item=item(), material="居民户口簿", device="camera", captured_at=WHEN,
                               identified_by_card=False, min_long_side_px=600)
    assert a.page.media_type == "application/pdf"
    assert a.pages == 3
    assert materials.pdf_page_count(a.page.data) == 3
    capped = materials.attach_pages(pages, item=item(), material="居民户口簿", device="camera", captured_at=WHEN,
                                    identified_by_card=False, max_bytes=a.size // 2, min_long_side_px=600)
    assert capped.size <= a.size // 2
    assert capped.pages == 3


def test_a_pdf_is_counted_and_refused_over_the_cap() -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for n in range(4):
        c.drawString(72, 720, f"page {n}")
        c.showPage()
    c.save()
    pdf = buffer.getvalue()
    a = attach(pdf)
    assert (a.pages, a.page.media_type) == (4, "application/pdf")
    with pytest.raises(MaterialTooLarge):
        attach(pdf, max_bytes=len(pdf) - 1)


def test_unknown_material_and_unreadable_bytes() -> None:
    with pytest.raises(UnknownMaterial):
        materials.attach(small_png(), item=item(), material="结婚证", device="scanner", captured_at=WHEN,
                         identified_by_card=False)
    with pytest.raises(UnreadableMaterial):
        attach(b"GIF89a not ours")
    with pytest.raises(UnreadableMaterial):
        attach(b"\xff\xd8\xff truncated jpeg")
    with pytest.raises(UnreadableMaterial):
        materials.pdf_page_count(b"%PDF-1.4\nnothing here")


def test_submission_parts_line_up_with_sync_and_outstanding_materials() -> None:
    first = attach(small_png())
    pages, entries = materials.submission_parts([first])
    assert pages == [first.page]
    assert entries == [{"material": "居民户口簿", "pages": 1}]
    missing = materials.outstanding(item(), [first])
    assert [m.name for m in missing] == ["数码照片回执"]
    assert isinstance(missing[0], Material)
    assert missing[0].waivable
