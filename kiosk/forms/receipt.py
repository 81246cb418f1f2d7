"""The receipt (受理回执) a resident takes home after declaring.

It carries the local receipt number (and the platform's case number once known) in large type, a QR
code for the progress query (the case number when known, else the receipt number), the service, time,
materials received and delivery choice. Personal data is limited to what the resident needs to recognise
the receipt: a masked name and ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from kiosk.forms.flow import FlowWriter
from kiosk.forms.page import (
    CONTENT_W,
    GREY_TEXT,
    MARGIN_X,
    MM,
    Box,
    Layout,
    Modules,
    Text,
    draw,
)
from kiosk.privacy import mask_id_number, mask_name

TITLE_SIZE = 26.0
NUMBER_SIZE = 22.0
BODY_SIZE = 15.0
NOTE_SIZE = 13.0
QR_SIDE = 40 * MM
LABEL_W = 30 * MM
QUIET_ZONE = 4  # modules: the minimum ISO/IEC 18004 asks for


@dataclass(frozen=True)
class ReceiptData:
    receipt_no: str
    terminal_id: str
    station: str
    service_name: str
    service_code: str
    received_at: datetime
    case_no: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""
    materials: tuple[str, ...] = ()
    delivery: str = ""
    hotline: str = "12345"


def qr_payload(data: ReceiptData) -> str:
    """What the receipt's QR code says: the platform's case number once known, else the local receipt number
    (the progress query accepts both)."""
    return data.case_no or data.receipt_no


def qr_modules(payload: str, x: float, y: float, side: float) -> Modules:
    """A QR code (never Micro QR, which zbar cannot read) with an ECI header so UTF-8 decodes everywhere."""
    import segno

    qr = segno.make_qr(payload, eci=True, error="m")
    matrix = [list(row) for row in qr.matrix]
    size = len(matrix) + 2 * QUIET_ZONE
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r + QUIET_ZONE, start + QUIET_ZONE, c - start))
            else:
                c += 1
    return Modules(x=x, y=y, module=side / size, rows=size, runs=tuple(runs))


def layout_receipt(data: ReceiptData) -> Layout:
    layout = Layout.new()
    w = FlowWriter(layout, running_title=f"受理回执 {data.receipt_no}")
    w.title("受理回执", TITLE_SIZE, subtitle=f"Receipt · {data.station}")
    w.space(2 * MM)

    # The number block: number in large type on the left, its QR code on the right.
    top = w.y
    block_h = QR_SIDE + 10 * MM
    w.layout.ops.append(Box(MARGIN_X, top - block_h, CONTENT_W, block_h, line_width=1.0))
    qr_x = MARGIN_X + CONTENT_W - QR_SIDE - 3 * MM
    w.layout.ops.append(qr_modules(qr_payload(data), qr_x, top - QR_SIDE - 3 * MM, QR_SIDE))
    w.layout.ops.append(Text(qr_x + QR_SIDE / 2, top - block_h + 3 * MM, 12.0, "扫码查询办理进度", align="center",
                             colour=GREY_TEXT))
    x = MARGIN_X + 5 * MM
    y = top - 12 * MM
    w.layout.ops.append(Text(x, y, BODY_SIZE, "受理编号（查询凭证）"))
    y -= NUMBER_SIZE * 1.6
    w.layout.ops.append(Text(x, y, NUMBER_SIZE, data.receipt_no, bold=True))
    y -= BODY_SIZE * 2.2
    case = data.case_no or "联网后生成，可先凭受理编号查询"
    w.layout.ops.append(Text(x, y, BODY_SIZE, "办件编号", colour=GREY_TEXT))
    for i, line in enumerate(w.ts.wrap(case, BODY_SIZE, qr_x - x - 30 * MM)):
        w.layout.ops.append(Text(x + 24 * MM, y - i * BODY_SIZE * 1.4, BODY_SIZE, line))
    w.y = top - block_h - 4 * MM

    rows = [
        ("办理事项", data.service_name),
        ("受理时间", f"{data.received_at:%Y年%m月%d日 %H:%M}"),
    ]
    if data.applicant_name:
        rows.append(("申请人", mask_name(data.applicant_name)))
    if data.applicant_id_number:
        rows.append(("身份证号", mask_id_number(data.applicant_id_number)))
    rows += [
        ("送达方式", data.delivery or "窗口领取"),
        ("受理终端", f"{data.station}（{data.terminal_id}）"),
        ("事项编码", data.service_code),
    ]
    for label, value in rows:
        w.label_value(label, value, BODY_SIZE, label_w=LABEL_W)

    w.heading("已收材料", 17.0, body_size=BODY_SIZE)
    if data.materials:
        for i, material in enumerate(data.materials, start=1):
            w.paragraph(material, BODY_SIZE, prefix=f"{i}. ")
    else:
        w.paragraph("无", BODY_SIZE)
    w.space(3 * MM)
    w.paragraph("请妥善保管本回执。可凭受理编号或办件编号在本终端、浙里办或拨打服务热线查询办理进度。", NOTE_SIZE)
    w.paragraph(f"服务热线  {data.hotline}", 18.0, bold=True)
    return layout


def render_receipt(data: ReceiptData, out: Path | IO[bytes], *, printed_at: datetime | None = None) -> int:
    """Renders the receipt; returns the page count (1 unless the materials list is very long)."""
    return draw(layout_receipt(data), out, title="受理回执", subject=data.receipt_no,
                footer_left=f"受理回执 · {data.receipt_no}", printed_at=printed_at or datetime.now())
