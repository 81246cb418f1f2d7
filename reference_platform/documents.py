"""The PDFs the reference platform hands out: sample licences and issued certificates (dev and test only).

One A4 page drawn with reportlab: the title, the facts, the issuing department's seal (a red round seal, the
department's name around a star, drawn as vector graphics: no image files) and, for a certificate, its
verification code. They are signed afterwards (reference_platform.authority). `invariant` output: the same
facts give the same bytes before signing.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

_FONT = "RefPlatformSans"
# The kiosk's own print font when installed (it embeds); otherwise reportlab's built-in CID font, which a
# viewer substitutes. The platform is a test stand-in and must not depend on the kiosk's packages.
_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
)
_font_lock = threading.Lock()
_font_name: str | None = None

_RED = (0.82, 0.1, 0.1)
_SAMPLE_MARK = "样例 · 参考平台测试文件，非真实证照 / SAMPLE: reference platform test document"


def _font() -> str:
    global _font_name
    with _font_lock:
        if _font_name is None:
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont
            from reportlab.pdfbase.ttfonts import TTFont

            found = next((f for f in _FONT_FILES if Path(f).is_file()), None)
            if found is not None:
                pdfmetrics.registerFont(TTFont(_FONT, found, subfontIndex=0))
                _font_name = _FONT
            else:
                pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
                _font_name = "STSong-Light"
        return _font_name


def draw_seal(c: canvas.Canvas, cx: float, cy: float, radius: float, text: str) -> None:
    """A red round seal: a ring, a five-pointed star in the middle and `text` along the upper arc."""
    font = _font()
    c.saveState()
    c.setStrokeColorRGB(*_RED)
    c.setFillColorRGB(*_RED)
    c.setLineWidth(radius * 0.05)
    c.circle(cx, cy, radius, stroke=1, fill=0)
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        r = radius * (0.36 if i % 2 == 0 else 0.145)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    star = c.beginPath()
    star.moveTo(*points[0])
    for point in points[1:]:
        star.lineTo(*point)
    star.close()
    c.drawPath(star, stroke=0, fill=1)
    size = radius * 0.22
    c.setFont(font, size)
    # The name runs clockwise over the top, from lower left to lower right, as on a paper seal.
    span = math.radians(min(250.0, 22.0 * max(len(text) - 1, 1)))
    ring = radius - size * 1.05
    for i, char in enumerate(text):
        angle = math.pi / 2 + span / 2 - (i * span / (len(text) - 1) if len(text) > 1 else span / 2)
        c.saveState()
        c.translate(cx + ring * math.cos(angle), cy + ring * math.sin(angle))
        c.rotate(math.degrees(angle) - 90)
        c.drawCentredString(0, -size * 0.35, char)
        c.restoreState()
    c.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (character by character: Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, size) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def _page(title: str, rows: Sequence[tuple[str, str]], paragraphs: Sequence[str], seal: str, date_line: str,
          footer: Sequence[str]) -> bytes:
    font = _font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor(seal)
    width, height = A4
    left, right = 72.0, width - 72.0
    c.setFont(font, 9)
    c.setFillColorRGB(0.45, 0.45, 0.45)
    c.drawCentredString(width / 2, height - 40, _SAMPLE_MARK)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 26)
    c.drawCentredString(width / 2, height - 110, title)
    y = height - 170
    for paragraph in paragraphs:
        c.setFont(font, 14)
        # The first line indented by two characters, as Chinese paragraphs are.
        first, *rest = _wrap(paragraph, font, 14, right - left - 28) or [""]
        c.drawString(left + 28, y, first)
        y -= 24
        for line in _wrap("".join(rest), font, 14, right - left):
            c.drawString(left, y, line)
            y -= 24
        y -= 10
    for label, value in rows:
        c.setFont(font, 12)
        c.drawString(left, y, label)
        for i, line in enumerate(_wrap(value, font, 12, right - left - 120)):
            c.drawString(left + 120, y - i * 18, line)
            if i:
                y -= 18
        y -= 26
    seal_y = min(y - 90, 250.0)
    c.setFont(font, 13)
    c.drawRightString(right - 20, seal_y - 6, seal)
    c.drawRightString(right - 20, seal_y - 28, date_line)
    draw_seal(c, right - 90, seal_y, 62, seal)
    c.setFont(font, 9)
    for i, line in enumerate(footer):
        c.drawString(left, 60 - i * 13, line)
    c.showPage()
    c.save()
    return out.getvalue()


def _chinese_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _validity(meta: dict[str, Any]) -> str:
    until = meta["valid_until"]
    return f"{_chinese_date(meta['valid_from'])} 至 {'长期' if until is None else _chinese_date(until)}"


def render_licence(meta: dict[str, Any]) -> bytes:
    """A sample licence's page, from its LICENCE metadata (docs/platform-api.md)."""
    holder = meta["holder"]
    rows = [
        ("证照编号", meta["number"]),
        ("持证人", holder["name"]),
        ("身份证件号码", holder["id_number"]),
        ("颁发机构", meta["issuer"]["name"]),
        ("颁证日期", _chinese_date(meta["issued_on"])),
        ("有效期限", _validity(meta)),
    ]
    return _page(meta["name"], rows, [], meta["issuer"]["name"], _chinese_date(meta["issued_on"]),
                 [f"证照标识 {meta['licence_id']}"])


def render_certificate(meta: dict[str, Any], statement: str, purpose: str | None) -> bytes:
    """An issued certificate's page: the statement, its purpose, number, validity and verification code."""
    rows = [("证明编号", meta["number"]), ("有效期限", _validity(meta))]
    if purpose:
        rows.insert(0, ("用途", purpose))
    rows.append(("验证码", meta["verification_code"]))
    return _page(meta["name"], rows, [statement], meta["issuer"]["name"], _chinese_date(meta["issued_on"]),
                 [f"证明标识 {meta['certificate_id']}", "可凭验证码向出具部门核验本证明的真伪。"])
