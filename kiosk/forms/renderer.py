"""Renders a form template, blank or pre-filled, to an A4 PDF with the embedded Chinese font.

Type is generous for elderly readers (values 14 pt, labels and body 12–13 pt, headings 15 pt, title
22 pt) and rows are tall enough to write in by hand. A value wraps inside its box; a value that still
does not fit (even at the 12 pt floor) is reported as an Overflow and, unless the caller allows it,
nothing is rendered: a form is never printed with a silently cut value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from kiosk.forms.page import (
    CONTENT_W,
    GREY_TEXT,
    HEADING_FILL,
    LABEL_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MM,
    PAGE_H,
    Box,
    Layout,
    Line,
    Op,
    Text,
    Tick,
    draw,
)
from kiosk.forms.template import GRID_COLUMNS, FormField, FormTemplate, Section
from kiosk.forms.validation import parse_date

TITLE_SIZE = 22.0
SUBTITLE_SIZE = 12.0
HEADING_SIZE = 15.0
TEXT_SIZE = 13.0
LABEL_SIZE = 12.0
VALUE_SIZE = 14.0
MIN_VALUE_SIZE = 12.0
LEADING = 1.4
PAD_X = 2.2 * MM
PAD_Y = 2.2 * MM
BOX = 11.0  # side of a tick box, points
MIN_ROW_H = 11 * MM
MIN_LABEL_W = 18 * MM
MAX_LABEL_W = 36 * MM
SIGNATURE_H = 16 * MM
FILL_NOTE = "请用黑色或蓝黑色钢笔、签字笔填写，字迹清楚；带 * 的为必填项。"


@dataclass(frozen=True)
class Overflow:
    """A value that does not fit its box: `lines_needed` at the smallest allowed size vs `lines_available`."""

    field_id: str
    label: str
    lines_needed: int
    lines_available: int

    def describe(self) -> str:
        return (f"「{self.label}」内容过长，需要 {self.lines_needed} 行，只有 {self.lines_available} 行 / "
                f"field {self.field_id!r} does not fit: needs {self.lines_needed} lines, has {self.lines_available}")


class FormOverflow(ValueError):
    """Raised instead of rendering when values do not fit; `overflows` lists each one."""

    def __init__(self, overflows: list[Overflow]) -> None:
        super().__init__("; ".join(o.describe() for o in overflows))
        self.overflows = overflows


@dataclass(frozen=True)
class RenderResult:
    pages: int
    overflows: tuple[Overflow, ...] = ()


@dataclass
class _Cell:
    field: FormField
    x: float
    w: float
    label_w: float
    label_lines: list[str]
    value_lines: list[str]
    value_size: float
    height: float


class _FormLayout:
    def __init__(self, template: FormTemplate, values: Mapping[str, str]) -> None:
        self.template = template
        self.values = values
        self.layout = Layout.new()
        self.ts = self.layout.typesetter
        self.overflows: list[Overflow] = []
        self.y = PAGE_H - MARGIN_TOP
        self._label_w = MIN_LABEL_W

    @property
    def ops(self) -> list[Op]:
        return self.layout.ops

    def run(self) -> Layout:
        self._header()
        for index, section in enumerate(self.template.sections):
            if section.page_break and index > 0:
                self._new_page()
            self._section(section)
        return self.layout

    # -- page furniture --------------------------------------------------------------------------------------

    def _header(self) -> None:
        t = self.template
        centre = MARGIN_X + CONTENT_W / 2
        for line in self.ts.wrap(t.title, TITLE_SIZE, CONTENT_W):
            self.y -= TITLE_SIZE * 1.15
            self.ops.append(Text(centre, self.y, TITLE_SIZE, line, bold=True, align="center"))
        if t.title_en:
            self.y -= SUBTITLE_SIZE * 1.6
            self.ops.append(Text(centre, self.y, SUBTITLE_SIZE, t.title_en, align="center", colour=GREY_TEXT))
        self.y -= LABEL_SIZE * 2.0
        if t.department:
            self.ops.append(Text(MARGIN_X, self.y, LABEL_SIZE, f"受理部门：{t.department}"))
        self.ops.append(Text(MARGIN_X + CONTENT_W, self.y, LABEL_SIZE, "填表日期：        年      月      日",
                             align="right"))
        self.y -= 2 * MM
        for paragraph in ([t.intro] if t.intro else []) + [FILL_NOTE]:
            for line in self.ts.wrap(paragraph, LABEL_SIZE, CONTENT_W):
                self.y -= LABEL_SIZE * LEADING
                self.ops.append(Text(MARGIN_X, self.y, LABEL_SIZE, line, colour=GREY_TEXT))
        self.y -= 3 * MM

    def _new_page(self) -> None:
        self.layout.new_page()
        self.y = PAGE_H - MARGIN_TOP - LABEL_SIZE
        self.ops.append(Text(MARGIN_X, self.y, LABEL_SIZE, f"{self.template.title}（续）", colour=GREY_TEXT))
        self.y -= 5 * MM

    def _ensure(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self._new_page()

    # -- sections ---------------------------------------------------------------------------------------------

    def _section(self, section: Section) -> None:
        band = HEADING_SIZE * 1.75
        rows = self._rows(section.fields)
        first_row_h = max((c.height for c in rows[0]), default=0.0) if rows else 0.0
        text_lines = self.ts.wrap(section.text, TEXT_SIZE, CONTENT_W - 2 * PAD_X) if section.text else []
        first_block = first_row_h or (TEXT_SIZE * LEADING * min(2, len(text_lines))) or SIGNATURE_H
        # The heading stays with the start of its section.
        self._ensure(band + first_block + 2 * MM)
        self.y -= band
        self.ops.append(Box(MARGIN_X, self.y, CONTENT_W, band, fill=HEADING_FILL, stroke=False))
        self.ops.append(Box(MARGIN_X, self.y, 1.6 * MM, band, fill=(0.2, 0.2, 0.2), stroke=False))
        self.ops.append(Text(MARGIN_X + 4 * MM, self.y + (band - HEADING_SIZE) / 2 + HEADING_SIZE * 0.15,
                             HEADING_SIZE, section.title, bold=True))
        self.y -= 1.5 * MM
        for row in rows:
            self._place_row(row)
        if text_lines:
            self.y -= 1.5 * MM
            for line in text_lines:
                self._ensure(TEXT_SIZE * LEADING)
                self.y -= TEXT_SIZE * LEADING
                self.ops.append(Text(MARGIN_X + PAD_X, self.y, TEXT_SIZE, line))
            self.y -= 2 * MM
        if section.signature:
            self._signature(section.signature)
        self.y -= 4 * MM

    def _rows(self, fields: tuple[FormField, ...]) -> list[list[_Cell]]:
        # One label width for the whole section keeps the columns of boxes aligned; long labels wrap.
        natural = max((self.ts.width(self._label(f), LABEL_SIZE) + 2 * PAD_X for f in fields), default=0.0)
        self._label_w = min(max(natural, MIN_LABEL_W), MAX_LABEL_W)
        rows: list[list[_Cell]] = []
        row: list[FormField] = []
        used = 0
        for field in fields:
            if used + field.span > GRID_COLUMNS and row:
                rows.append(self._measure_row(row))
                row, used = [], 0
            row.append(field)
            used += field.span
        if row:
            rows.append(self._measure_row(row))
        return rows

    def _measure_row(self, fields: list[FormField]) -> list[_Cell]:
        column = CONTENT_W / GRID_COLUMNS
        x = MARGIN_X
        cells = []
        for i, field in enumerate(fields):
            # The last cell of a row takes up what the grid leaves, so every row spans the full width.
            w = MARGIN_X + CONTENT_W - x if i == len(fields) - 1 else field.span * column
            cells.append(self._measure_cell(field, x, w))
            x += w
        return cells

    @staticmethod
    def _label(field: FormField) -> str:
        return ("*" if field.required else "") + field.label

    def _measure_cell(self, field: FormField, x: float, w: float) -> _Cell:
        label_w = min(self._label_w, w * 0.45)
        label_lines = self.ts.wrap(self._label(field), LABEL_SIZE, label_w - 2 * PAD_X)
        value_w = w - label_w - 2 * PAD_X
        value = self._display(field)
        size = VALUE_SIZE
        if field.type == "choice":
            value_lines = self._option_lines(field, value_w)
            lines_h = len(value_lines) * VALUE_SIZE * LEADING
        elif field.type == "checkbox":
            value_lines = []
            lines_h = VALUE_SIZE * LEADING
        else:
            value_lines, size = self._fit(field, value, value_w)
            lines_h = field.lines * VALUE_SIZE * LEADING
        height = max(MIN_ROW_H, lines_h + 2 * PAD_Y, len(label_lines) * LABEL_SIZE * LEADING + 2 * PAD_Y)
        return _Cell(field, x, w, label_w, label_lines, value_lines, size, height)

    def _display(self, field: FormField) -> str:
        value = self.values.get(field.id, "")
        if field.type == "date" and value:
            parsed = parse_date(value)
            if parsed is not None:
                return f"{parsed.year}年{parsed.month:02d}月{parsed.day:02d}日"
        return value

    def _fit(self, field: FormField, value: str, width: float) -> tuple[list[str], float]:
        if not value:
            return [], VALUE_SIZE
        box_h = field.lines * VALUE_SIZE * LEADING
        for size in (VALUE_SIZE, 13.0, MIN_VALUE_SIZE):
            lines = self.ts.wrap(value, size, width)
            capacity = max(1, math.floor(box_h / (size * LEADING) + 1e-6))
            if len(lines) <= capacity:
                return lines, size
        self.overflows.append(Overflow(field.id, field.label, len(lines), capacity))
        kept = lines[:capacity]
        # Visible cut mark, only when the caller asked to render an overflowing form anyway.
        last = kept[-1]
        while last and self.ts.width(last + "…", MIN_VALUE_SIZE) > width:
            last = last[:-1]
        kept[-1] = last + "…"
        return kept, MIN_VALUE_SIZE

    def _option_lines(self, field: FormField, width: float) -> list[str]:
        """Options flowed into lines; each line is the options' texts joined by a tab (split when drawn)."""
        lines: list[list[str]] = [[]]
        used = 0.0
        for option in field.options:
            option_w = BOX + 4 + self.ts.width(option, VALUE_SIZE) + 12
            if used + option_w > width and lines[-1]:
                lines.append([])
                used = 0.0
            lines[-1].append(option)
            used += option_w
        return ["\t".join(line) for line in lines]

    def _place_row(self, row: list[_Cell]) -> None:
        height = max(c.height for c in row)
        self._ensure(height)
        bottom = self.y - height
        for cell in row:
            self._place_cell(cell, bottom, height)
        self.y = bottom

    def _place_cell(self, cell: _Cell, bottom: float, height: float) -> None:
        ops = self.ops
        top = bottom + height
        ops.append(Box(cell.x, bottom, cell.label_w, height, fill=LABEL_FILL))
        ops.append(Box(cell.x + cell.label_w, bottom, cell.w - cell.label_w, height))
        label_block = len(cell.label_lines) * LABEL_SIZE * LEADING
        y = top - (height - label_block) / 2
        for line in cell.label_lines:
            y -= LABEL_SIZE * LEADING
            ops.append(Text(cell.x + PAD_X, y + LABEL_SIZE * 0.35, LABEL_SIZE, line))
        vx = cell.x + cell.label_w + PAD_X
        field = cell.field
        value = self.values.get(field.id, "")
        if field.type == "choice":
            self._place_options(cell, vx, top, height, value)
        elif field.type == "checkbox":
            by = bottom + (height - BOX) / 2
            ops.append(Box(vx, by, BOX, BOX, line_width=0.9))
            if value == "是":
                ops.append(Tick(vx, by, BOX))
            if field.hint:
                ops.append(Text(vx + BOX + 4, by + 1.5, VALUE_SIZE, field.hint))
        elif field.type == "date" and not value:
            y = bottom + height / 2 - VALUE_SIZE * 0.35
            ops.append(Text(cell.x + cell.w - 3 * MM, y, VALUE_SIZE, "年        月        日", align="right",
                            colour=GREY_TEXT))
        else:
            size = cell.value_size
            block = len(cell.value_lines) * size * LEADING
            # One line sits in the middle of its box; several start at the top.
            y = top - PAD_Y if field.lines > 1 else top - (height - block) / 2
            for line in cell.value_lines:
                y -= size * LEADING
                ops.append(Text(vx, y + size * 0.35, size, line))

    def _place_options(self, cell: _Cell, x: float, top: float, height: float, value: str) -> None:
        block = len(cell.value_lines) * VALUE_SIZE * LEADING
        y = top - (height - block) / 2
        for line in cell.value_lines:
            y -= VALUE_SIZE * LEADING
            ox = x
            base = y + VALUE_SIZE * 0.35
            for option in line.split("\t"):
                self.ops.append(Box(ox, base - 1, BOX, BOX, line_width=0.9))
                if option == value:
                    self.ops.append(Tick(ox, base - 1, BOX))
                self.ops.append(Text(ox + BOX + 4, base, VALUE_SIZE, option))
                ox += BOX + 4 + self.ts.width(option, VALUE_SIZE) + 12

    def _signature(self, labels: tuple[str, ...]) -> None:
        self._ensure(SIGNATURE_H)
        self.y -= SIGNATURE_H
        base = self.y + 4 * MM
        slot = CONTENT_W / len(labels)
        for i, label in enumerate(labels):
            x = MARGIN_X + i * slot + PAD_X
            text = f"{label}："
            self.ops.append(Text(x, base, VALUE_SIZE, text))
            start = x + self.ts.width(text, VALUE_SIZE) + 2
            if label.endswith("日期"):
                self.ops.append(Text(start + 14 * MM, base, VALUE_SIZE, "年      月      日"))
            else:
                self.ops.append(Line(start, base - 2, MARGIN_X + (i + 1) * slot - 4 * MM, base - 2, 0.8))


def layout_form(template: FormTemplate, values: Mapping[str, str] | None = None) -> tuple[Layout, list[Overflow]]:
    """Pages of drawing operations and the values that do not fit (cut to their boxes with a "…")."""
    builder = _FormLayout(template, values or {})
    return builder.run(), builder.overflows


def check_fit(template: FormTemplate, values: Mapping[str, str]) -> list[Overflow]:
    """Fields whose values would not fit their boxes; the screen asks before the paper is printed."""
    return layout_form(template, values)[1]


def render_form(
    template: FormTemplate,
    out: Path | IO[bytes],
    values: Mapping[str, str] | None = None,
    *,
    allow_overflow: bool = False,
    printed_at: datetime | None = None,
) -> RenderResult:
    """Renders the form (blank when `values` is empty). Raises FormOverflow if a value does not fit, unless
    `allow_overflow`, in which case the cut values end with a visible "…" and are listed in the result."""
    layout, overflows = layout_form(template, values)
    if overflows and not allow_overflow:
        raise FormOverflow(overflows)
    pages = draw(layout, out, title=template.title, subject=template.id,
                 footer_left=f"{template.title} · {template.id} 第{template.version}版",
                 printed_at=printed_at or datetime.now())
    return RenderResult(pages=pages, overflows=tuple(overflows))
