"""Measuring and wrapping mixed Chinese/Latin text for a fixed width.

Chinese breaks between any two characters; runs of Latin letters and digits (an ID number, a phone
number, an English word) stay whole unless they are wider than the line. Closing punctuation never
starts a line. Widths are cached per character, which makes wrapping several times faster than asking
reportlab for each string.
"""

from __future__ import annotations

import re
import threading

_NO_LINE_START = set("，。、；：！？）】》」』”’,.;:!?)]}%")
_TOKEN = re.compile(r"[0-9A-Za-z@._\-/:+#]+|\s+|.", re.DOTALL)


class Typesetter:
    """Text metrics for one registered reportlab font."""

    def __init__(self, font_name: str) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.font_name = font_name
        self._font = pdfmetrics.getFont(font_name)
        self._widths: dict[str, float] = {}
        self._lock = threading.Lock()

    def _char_width(self, ch: str) -> float:
        width = self._widths.get(ch)
        if width is None:
            width = float(self._font.stringWidth(ch, 1000.0))
            with self._lock:
                self._widths[ch] = width
        return width

    def width(self, text: str, size: float) -> float:
        return sum(self._char_width(ch) for ch in text) * size / 1000.0

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Lines of `text` no wider than `width` points at `size`; explicit newlines are kept."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines.extend(self._wrap_paragraph(paragraph, size, width))
        return lines

    def _wrap_paragraph(self, text: str, size: float, width: float) -> list[str]:
        limit = width * 1000.0 / size
        lines: list[str] = []
        line: list[str] = []
        used = 0.0

        def flush() -> None:
            if line:
                lines.append("".join(line).rstrip())

        for token in _TOKEN.findall(text):
            token_w = sum(self._char_width(ch) for ch in token)
            if used + token_w <= limit:
                if line or not token.isspace():
                    line.append(token)
                    used += token_w
                continue
            if token.isspace():
                # A space at a break is dropped rather than carried to the next line.
                flush()
                line, used = [], 0.0
                continue
            if token in _NO_LINE_START and line:
                # Carry the last piece down with the punctuation instead of starting a line with it.
                last = line.pop()
                flush()
                line = [last, token]
                used = sum(self._char_width(ch) for ch in last) + token_w
                continue
            flush()
            line, used = [], 0.0
            if token_w <= limit:
                line, used = [token], token_w
                continue
            # A run wider than the whole line (a long URL): break it between characters.
            for ch in token:
                ch_w = self._char_width(ch)
                if used + ch_w > limit and line:
                    flush()
                    line, used = [], 0.0
                line.append(ch)
                used += ch_w
        flush()
        return lines or [""]
