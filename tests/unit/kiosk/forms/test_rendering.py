"""Forms, guides and receipts render to A4 PDFs with the embedded font; nothing is cut silently."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.config import sample_catalog_path
from kiosk.forms.fonts import register_font
from kiosk.forms.guide_printout import layout_guide, render_guide
from kiosk.forms.page import CONTENT_W, Layout, Text
from kiosk.forms.prefill import prefill
from kiosk.forms.receipt import ReceiptData, render_receipt
from kiosk.forms.renderer import FormOverflow, check_fit, layout_form, render_form
from kiosk.forms.template import bundled_templates, get_template
from offline_cache.catalog import ServiceItem, parse_items

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout


def _items() -> dict[str, ServiceItem]:
    items = parse_items(json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"])
    return {item.code: item for item in items}


def test_font_is_registered_once() -> None:
    assert register_font() is register_font()


@needs_poppler
@pytest.mark.parametrize("form_id", sorted(bundled_templates()))
def test_prefilled_form_renders_with_the_embedded_font(form_id: str, tmp_path: Path,
                                                        resident: dict[str, str]) -> None:
    template = get_template(form_id)
    out = tmp_path / f"{form_id}.pdf"
    result = render_form(template, out, prefill(template, resident))
    assert result.pages == 2
    assert result.overflows == ()
    text = _text(out)
    assert "张秀英" in text
    assert "330102195203071229" in text
    assert template.title in text
    fonts = _fonts(out)
    assert "WenQuanYi" in fonts
    assert " no  " not in fonts.split("WenQuanYi", 1)[1].splitlines()[0][:60]  # embedded (emb = yes)


@needs_poppler
def test_blank_form_renders(tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    assert render_form(get_template("geti_sheli"), out).pages == 2
    assert "经营者姓名" in _text(out)


def test_long_text_wraps_inside_its_box(resident: dict[str, str]) -> None:
    template = get_template("geti_sheli")
    values = prefill(template, resident, {"scope": "日用百货、五金交电、文具用品零售；" * 4})
    layout, overflows = layout_form(template, values)
    assert overflows == []
    lines = [op for page in layout.pages for op in page if isinstance(op, Text) and "日用百货" in op.text]
    assert len(lines) >= 2
    ts = layout.typesetter
    assert all(ts.width(op.text, op.size) <= CONTENT_W for op in lines)


def test_a_value_that_does_not_fit_is_reported_not_cut(tmp_path: Path, resident: dict[str, str]) -> None:
    template = get_template("shengyu_dengji")
    resident["address"] = "浙江省杭州市上城区清波街道河坊街" * 12
    values = prefill(template, resident)
    overflows = check_fit(template, values)
    assert [o.field_id for o in overflows] == ["address"]
    assert overflows[0].lines_needed > overflows[0].lines_available == 2
    out = tmp_path / "o.pdf"
    with pytest.raises(FormOverflow) as caught:
        render_form(template, out, values)
    assert caught.value.overflows == overflows
    assert not out.exists()
    result = render_form(template, out, values, allow_overflow=True)
    assert [o.field_id for o in result.overflows] == ["address"]


def test_form_type_is_large_enough_for_elderly_readers(resident: dict[str, str]) -> None:
    template = get_template("yanglao_canbao")
    layout, _ = layout_form(template, prefill(template, resident))
    sizes = [op.size for page in layout.pages for op in page if isinstance(op, Text)]
    assert min(sizes) >= 12
    assert max(sizes) >= 20


def test_every_sample_item_lays_out_as_a_guide() -> None:
    for item in _items().values():
        layout: Layout = layout_guide(item)
        sizes = [op.size for page in layout.pages for op in page if isinstance(op, Text)]
        assert min(sizes) >= 13, item.code


def test_the_printed_guide_says_what_the_screen_says_about_this_terminal() -> None:
    from kiosk.resident.guides import build_detail

    for item in _items().values():
        printed = "".join(op.text for page in layout_guide(item).pages for op in page if isinstance(op, Text))
        shown = [line.plain for section in build_detail(item).sections for line in section.lines]
        here = next(line for line in shown if line.startswith("本终端："))
        assert here.removeprefix("本终端：") in printed, item.code
        if not item.declarable_here:
            assert "可以在这里申报" not in printed, item.code


@needs_poppler
def test_guide_printout_carries_the_whole_guide(tmp_path: Path) -> None:
    item = _items()["330000-GJJ-GG-0001"]
    out = tmp_path / "guide.pdf"
    assert render_guide(item, out, station="示例社区服务中心") >= 1
    text = _text(out)
    for expected in (item.name, "办理条件", "申请材料", "可容缺", "办理流程", item.phone_consult, item.place[:8],
                     item.materials[0].name, item.steps[-1][:8]):
        assert expected in text, expected


@needs_poppler
def test_receipt_masks_the_resident_and_qr_decodes_to_the_receipt_number(tmp_path: Path) -> None:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    data = ReceiptData(
        receipt_no="T0001-00000042", terminal_id="T0001", station="示例社区服务中心",
        service_name="住房公积金提取（购房）", service_code="330000-GJJ-GG-0001",
        received_at=datetime(2026, 11, 27, 10, 30), applicant_name="张秀英",
        applicant_id_number="330102195203071229", materials=("居民身份证", "购房合同"), delivery="邮政快递",
    )
    out = tmp_path / "receipt.pdf"
    assert render_receipt(data, out) == 1
    text = _text(out)
    assert "T0001-00000042" in text
    assert "330102********1229" in text
    assert "330102195203071229" not in text
    assert "张秀英" not in text
    assert "12345" in text
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(out), str(tmp_path / "r")],
                   check=True)
    symbols = decode(Image.open(tmp_path / "r.png"), symbols=[ZBarSymbol.QRCODE])
    assert [s.data.decode("utf-8") for s in symbols] == ["T0001-00000042"]


@needs_poppler
def test_receipt_qr_carries_the_case_number_once_known(tmp_path: Path) -> None:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    data = ReceiptData(
        receipt_no="T0001-000043", terminal_id="T0001", station="示例社区服务中心",
        service_name="个体工商户设立登记", service_code="330000-SJ-QR-0001",
        received_at=datetime(2026, 11, 27, 10, 30), case_no="RP2026112700000043",
    )
    out = tmp_path / "receipt.pdf"
    assert render_receipt(data, out) == 1
    text = _text(out)
    assert "T0001-000043" in text
    assert "RP2026112700000043" in text
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(out), str(tmp_path / "r")],
                   check=True)
    symbols = decode(Image.open(tmp_path / "r.png"), symbols=[ZBarSymbol.QRCODE])
    assert [s.data.decode("utf-8") for s in symbols] == ["RP2026112700000043"]
