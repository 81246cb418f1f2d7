"""Flowing text for the guide print-out and the receipt: headings, paragraphs, lists, label–value rows,
broken across pages with a running title on every page after the first."""

from __future__ import annotations

from kiosk.forms.page import (
    CONTENT_W,
    GREY_TEXT,
    HEADING_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MM,
    PAGE_H,
    Box,
    Layout,
    Line,
    Text,
)

LEADING = 1.5


class FlowWriter:
    def __init__(self, layout: Layout, *, running_title: str = "", running_size: float = 13.0) -> None:
        self.layout = layout
        self.ts = layout.typesetter
        self.running_title = running_title
        self.running_size = running_size
        self.y = PAGE_H - MARGIN_TOP
        # A little above the page's bottom margin, so body text never crowds the footer line.
        self.bottom = MARGIN_BOTTOM + 3 * MM

    def room(self) -> float:
        return self.y - self.bottom

    def new_page(self) -> None:
        self.layout.new_page()
        self.y = PAGE_H - MARGIN_TOP
        if self.running_title:
            self.y -= self.running_size
            self.layout.ops.append(Text(MARGIN_X, self.y, self.running_size, self.running_title + "（续）",
                                        colour=GREY_TEXT))
            self.y -= 3 * MM
            self.layout.ops.append(Line(MARGIN_X, self.y, MARGIN_X + CONTENT_W, self.y, 0.5))
            self.y -= 5 * MM

    def ensure(self, height: float) -> None:
        if self.room() < height:
            self.new_page()

    def space(self, height: float) -> None:
        self.y -= height

    def title(self, text: str, size: float, *, subtitle: str = "", subtitle_size: float = 13.0) -> None:
        for line in self.ts.wrap(text, size, CONTENT_W):
            self.y -= size * 1.2
            self.layout.ops.append(Text(MARGIN_X + CONTENT_W / 2, self.y, size, line, bold=True, align="center"))
        if subtitle:
            self.y -= subtitle_size * 1.5
            self.layout.ops.append(Text(MARGIN_X + CONTENT_W / 2, self.y, subtitle_size, subtitle, align="center",
                                        colour=GREY_TEXT))
        self.y -= size * 0.6

    def heading(self, text: str, size: float, *, body_size: float) -> None:
        """A shaded band with the heading; kept on the same page as at least two lines of what follows."""
        band = size * 1.7
        gap = 4 * MM
        self.ensure(gap + band + 2 * body_size * LEADING + 4 * MM)
        self.y -= gap + band
        self.layout.ops.append(Box(MARGIN_X, self.y, CONTENT_W, band, fill=HEADING_FILL, stroke=False))
        self.layout.ops.append(Box(MARGIN_X, self.y, 1.6 * MM, band, fill=(0.2, 0.2, 0.2), stroke=False))
        self.layout.ops.append(Text(MARGIN_X + 4 * MM, self.y + (band - size) / 2 + size * 0.15, size, text,
                                    bold=True))
        self.y -= 2.5 * MM

    def paragraph(self, text: str, size: float, *, prefix: str = "", indent: float = 0.0,
                  bold: bool = False) -> None:
        """Wrapped text; `prefix` (a number or bullet) hangs in the left margin of the wrapped lines."""
        hang = self.ts.width(prefix, size) if prefix else 0.0
        x = MARGIN_X + indent
        lines = self.ts.wrap(text, size, CONTENT_W - indent - hang)
        for i, line in enumerate(lines):
            self.ensure(size * LEADING)
            self.y -= size * LEADING
            if i == 0 and prefix:
                self.layout.ops.append(Text(x, self.y, size, prefix, bold=bold))
            self.layout.ops.append(Text(x + hang, self.y, size, line, bold=bold))
        self.y -= size * 0.35

    def label_value(self, label: str, value: str, size: float, *, label_w: float) -> None:
        """`label` in a fixed column, `value` wrapped beside it; the pair never splits across pages."""
        lines = self.ts.wrap(value, size, CONTENT_W - label_w)
        self.ensure(len(lines) * size * LEADING)
        for i, line in enumerate(lines):
            self.y -= size * LEADING
            if i == 0:
                self.layout.ops.append(Text(MARGIN_X, self.y, size, label, colour=GREY_TEXT))
            self.layout.ops.append(Text(MARGIN_X + label_w, self.y, size, line))
        self.y -= size * 0.3
