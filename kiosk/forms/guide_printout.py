"""The service guide (办事指南) of a catalogue item, printed for a resident to take home.

Laid out for elderly readers: body 15 pt, headings 18 pt, the title 24 pt, one topic per shaded heading,
numbered conditions, materials and steps, and the 容缺 mark spelled out in words.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from kiosk.forms.flow import FlowWriter
from kiosk.forms.guide_lines import delivery_text, here_text, online_text
from kiosk.forms.page import MM, Layout, draw
from offline_cache.catalog import Material, ServiceItem

TITLE_SIZE = 24.0
HEADING_SIZE = 18.0
BODY_SIZE = 15.0
NOTE_SIZE = 13.0
LABEL_W = 34 * MM
_FORMS = {"paper": "纸质", "electronic": "电子", "either": "纸质或电子"}
_VISITS = {0: "零跑动（不用到现场）", 1: "最多跑一次", 2: "需到现场 2 次"}


def limit_text(days: int) -> str:
    return "即办（当场办结）" if days == 0 else f"{days} 个工作日"


def material_text(material: Material) -> str:
    marks = ["必须提供" if material.required else "有则提供"]
    if material.waivable:
        marks.append("可容缺，可先办理后补交")
    return f"{material.name}（{material.copies}，{_FORMS[material.form]}）【{'；'.join(marks)}】"


def layout_guide(item: ServiceItem, *, station: str = "") -> Layout:
    layout = Layout.new()
    w = FlowWriter(layout, running_title=f"{item.name} · 办事指南")
    w.title(item.name, TITLE_SIZE, subtitle="办事指南 / Service guide" + (f" · {station}" if station else ""))
    if item.summary:
        w.paragraph(item.summary, BODY_SIZE)
        w.space(2 * MM)

    w.heading("基本信息", HEADING_SIZE, body_size=BODY_SIZE)
    for label, value in (
        ("办理部门", item.department),
        ("办理时限", f"承诺 {limit_text(item.promised_limit_days)}；法定 {limit_text(item.legal_limit_days)}"),
        ("收费标准", item.fees),
        ("到现场次数", _VISITS.get(item.visits, f"{item.visits} 次")),
        # As the guide screen words them: the screen and the paper agree on this terminal.
        ("本终端", here_text(item.declarable_here)),
        ("网上办理", online_text(item.online)),
        ("结果送达", delivery_text(item.express)),
        ("事项编码", item.code),
    ):
        w.label_value(label, value, BODY_SIZE, label_w=LABEL_W)

    if item.conditions:
        w.heading("办理条件", HEADING_SIZE, body_size=BODY_SIZE)
        for i, condition in enumerate(item.conditions, start=1):
            w.paragraph(condition, BODY_SIZE, prefix=f"{i}. ")

    if item.materials:
        w.heading("申请材料", HEADING_SIZE, body_size=BODY_SIZE)
        if any(m.waivable for m in item.materials):
            w.paragraph("标有「可容缺」的材料，暂时缺少也可以先受理，之后再补交。", NOTE_SIZE)
        for i, material in enumerate(item.materials, start=1):
            w.paragraph(material_text(material), BODY_SIZE, prefix=f"{i}. ")
            if material.note:
                w.paragraph(material.note, NOTE_SIZE, indent=BODY_SIZE * 1.4)

    if item.steps:
        w.heading("办理流程", HEADING_SIZE, body_size=BODY_SIZE)
        for i, step in enumerate(item.steps, start=1):
            w.paragraph(step, BODY_SIZE, prefix=f"第{i}步  ")

    w.heading("办理地点和时间", HEADING_SIZE, body_size=BODY_SIZE)
    w.label_value("办理地点", item.place, BODY_SIZE, label_w=LABEL_W)
    w.label_value("办公时间", item.hours, BODY_SIZE, label_w=LABEL_W)

    w.heading("咨询和投诉", HEADING_SIZE, body_size=BODY_SIZE)
    w.label_value("咨询电话", item.phone_consult, BODY_SIZE, label_w=LABEL_W)
    w.label_value("投诉电话", item.phone_complaint, BODY_SIZE, label_w=LABEL_W)

    if item.legal_basis:
        w.heading("设定依据", HEADING_SIZE, body_size=NOTE_SIZE)
        for basis in item.legal_basis:
            w.paragraph(basis, NOTE_SIZE, prefix="· ")
    return layout


def render_guide(item: ServiceItem, out: Path | IO[bytes], *, station: str = "",
                 printed_at: datetime | None = None) -> int:
    """Renders the guide; returns the page count."""
    return draw(layout_guide(item, station=station), out, title=f"{item.name} 办事指南", subject=item.code,
                footer_left=f"办事指南 · {item.code}", printed_at=printed_at or datetime.now())
