"""The printer test page, for `kiosk devices test printer` and the setup screen's 测试 button."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

from kiosk.config import Config
from kiosk.forms.fonts import register_font


def render_test_page(path: Path, config: Config) -> None:
    """The printer test page: terminal, host and time, Chinese and Latin text, and a frame 1 cm inside
    the paper edge."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = register_font()
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont(font, 28)
    c.drawCentredString(width / 2, height - 120, "打印测试页 Printer test page")
    c.setFont(font, 16)
    lines = [
        f"终端 Terminal: {config.terminal.id}  {config.terminal.station}",
        f"主机 Host: {socket.gethostname()}",
        f"时间 Time: {datetime.now().strftime('%Y-%m-%d %H:%M:%S')}",
        "中文、English、0123456789 ¥12.50",
        "文字应清晰完整 / all text should be sharp and complete",
    ]
    for n, line in enumerate(lines):
        c.drawString(72, height - 200 - n * 32, line)
    # A frame 1 cm inside the paper edge shows whether the printer's margins cut anything.
    c.rect(28.35, 28.35, width - 56.7, height - 56.7)
    c.showPage()
    c.save()
