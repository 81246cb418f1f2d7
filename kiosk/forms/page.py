"""A4 pages as lists of drawing operations, laid out first and drawn second.

Laying out before drawing lets the renderers know the page count for "第 1 页 共 2 页", and find fields
that do not fit before any paper is spent. Drawing is a thin pass over reportlab's canvas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kiosk.forms.fonts import register_font
from kiosk.forms.textlayout import Typesetter

MM = 72.0 / 25.4
PAGE_W = 210 * MM
PAGE_H = 297 * MM
MARGIN_X = 16 * MM
MARGIN_TOP = 15 * MM
MARGIN_BOTTOM = 16 * MM
CONTENT_W = PAGE_W - 2 * MARGIN_X
FOOTER_SIZE = 10.5

INK = (0.0, 0.0, 0.0)
GREY_TEXT = (0.25, 0.25, 0.25)
LABEL_FILL = (0.92, 0.92, 0.92)
HEADING_FILL = (0.85, 0.85, 0.85)
RULE = (0.35, 0.35, 0.35)


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    size: float
    text: str
    bold: bool = False
    align: str = "left"  # left | center | right
    colour: tuple[float, float, float] = INK


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float  # bottom
    w: float
    h: float
    fill: tuple[float, float, float] | None = None
    stroke: bool = True
    line_width: float = 0.7


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    line_width: float = 0.7


@dataclass(frozen=True, slots=True)
class Tick:
    """A check mark inside a square of side `size` whose lower left corner is (x, y)."""

    x: float
    y: float
    size: float


@dataclass(frozen=True, slots=True)
class Modules:
    """A QR symbol: dark modules as runs (row, first column, length) on a grid of `module` points."""

    x: float
    y: float  # bottom left of the symbol including its quiet zone
    module: float
    rows: int
    runs: tuple[tuple[int, int, int], ...]


Op = Text | Box | Line | Tick | Modules


@dataclass
class Layout:
    """Pages of operations; `typesetter` measures text in the embedded font."""

    typesetter: Typesetter
    pages: list[list[Op]] = field(default_factory=lambda: [[]])

    @classmethod
    def new(cls) -> Layout:
        return cls(_typesetter())

    @property
    def ops(self) -> list[Op]:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])


_TYPESETTER: Typesetter | None = None


def _typesetter() -> Typesetter:
    global _TYPESETTER
    if _TYPESETTER is None:
        _TYPESETTER = Typesetter(register_font())
    return _TYPESETTER


def footer_text(page: int, pages: int, left: str, printed_at: datetime) -> tuple[str, str]:
    return (left, f"第 {page} 页 / 共 {pages} 页   打印时间 {printed_at:%Y-%m-%d %H:%M}")


def draw(layout: Layout, out: Path | IO[bytes], *, title: str, footer_left: str, printed_at: datetime,
         subject: str = "") -> int:
    """Draws every page to a PDF; returns the page count. Document metadata never carries personal data."""
    from reportlab.pdfgen import canvas as rl_canvas

    font = layout.typesetter.font_name
    target: Any = str(out) if isinstance(out, Path) else out
    c = rl_canvas.Canvas(target, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    c.setTitle(title)
    c.setCreator("gov-kiosk")
    c.setAuthor("")
    if subject:
        c.setSubject(subject)
    pages = len(layout.pages)
    for number, ops in enumerate(layout.pages, start=1):
        _draw_ops(c, font, ops)
        left, right = footer_text(number, pages, footer_left, printed_at)
        c.setFillColorRGB(*GREY_TEXT)
        c.setFont(font, FOOTER_SIZE)
        c.drawString(MARGIN_X, MARGIN_BOTTOM - 8 * MM, left)
        c.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 8 * MM, right)
        c.showPage()
    c.save()
    return pages


def _draw_ops(c: Any, font: str, ops: Sequence[Op]) -> None:
    for op in ops:
        if isinstance(op, Text):
            c.setFillColorRGB(*op.colour)
            if op.bold:
                # The font has no bold face: fill and stroke the glyphs with a thin outline instead.
                text = c.beginText()
                text.setTextRenderMode(2)
                c.setStrokeColorRGB(*op.colour)
                c.setLineWidth(op.size * 0.035)
                text.setFont(font, op.size)
                width = c.stringWidth(op.text, font, op.size)
                x = op.x - width / 2 if op.align == "center" else op.x - width if op.align == "right" else op.x
                text.setTextOrigin(x, op.y)
                text.textOut(op.text)
                # Tr is text *state* and outlives the text object in PDF: switch back, or every later
                # string would be stroked too (with whatever line width the last box used).
                text.setTextRenderMode(0)
                c.drawText(text)
            else:
                c.setFont(font, op.size)
                if op.align == "center":
                    c.drawCentredString(op.x, op.y, op.text)
                elif op.align == "right":
                    c.drawRightString(op.x, op.y, op.text)
                else:
                    c.drawString(op.x, op.y, op.text)
        elif isinstance(op, Box):
            c.setLineWidth(op.line_width)
            c.setStrokeColorRGB(*RULE)
            if op.fill is not None:
                c.setFillColorRGB(*op.fill)
            c.rect(op.x, op.y, op.w, op.h, stroke=1 if op.stroke else 0, fill=1 if op.fill is not None else 0)
        elif isinstance(op, Line):
            c.setLineWidth(op.line_width)
            c.setStrokeColorRGB(*RULE)
            c.line(op.x1, op.y1, op.x2, op.y2)
        elif isinstance(op, Tick):
            c.setLineWidth(op.size * 0.14)
            c.setStrokeColorRGB(*INK)
            path = c.beginPath()
            path.moveTo(op.x + op.size * 0.18, op.y + op.size * 0.52)
            path.lineTo(op.x + op.size * 0.42, op.y + op.size * 0.22)
            path.lineTo(op.x + op.size * 0.85, op.y + op.size * 0.85)
            c.drawPath(path, stroke=1, fill=0)
        else:
            c.setFillColorRGB(*INK)
            top = op.y + op.rows * op.module
            for row, col, length in op.runs:
                c.rect(op.x + col * op.module, top - (row + 1) * op.module, length * op.module, op.module,
                       stroke=0, fill=1)
