"""The embedded Chinese font, registered with reportlab once per process.

WenQuanYi Micro Hei is a TrueType font reportlab can embed (as a subset). Noto CJK is CFF-based and cannot
be embedded, and reportlab's built-in CID fonts are not embedded at all: after CUPS' Ghostscript pass they
lose their Latin letters and digits (see docs/devices/printer.md).
"""

from __future__ import annotations

import threading
from pathlib import Path

FONT_NAME = "KioskSans"

# (file, index inside a .ttc): Debian/Ubuntu first, then Fedora/Arch layouts.
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)

_lock = threading.Lock()
_registered: str | None = None


class FontMissing(RuntimeError):
    """No embeddable Chinese TrueType font is installed."""


def find_font() -> tuple[Path, int]:
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return Path(path), index
    raise FontMissing(
        "no embeddable Chinese TrueType font found; install it with: apt install fonts-wqy-microhei "
        f"(looked for {', '.join(p for p, _ in FONT_CANDIDATES)})"
    )


def register_font() -> str:
    """Registers the font on first use (about 60 ms) and returns its reportlab name; later calls are free."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            path, index = find_font()
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
            _registered = FONT_NAME
    return _registered
