"""PyInstaller runtime hook: print-outs embed the WenQuanYi font carried in the bundle.

The forms renderer looks for the font at the distribution paths (kiosk/forms/fonts.py). A terminal
that runs the bundle may lack fonts-wqy-microhei, and a different copy would change the layout of
every print-out, so the bundle's own copy goes first. Runs before `kiosk` starts; costs one import.
"""

from __future__ import annotations

import sys
from pathlib import Path

_bundled = Path(getattr(sys, "_MEIPASS", "")) / "fonts" / "wqy-microhei.ttc"
if _bundled.is_file():
    from kiosk.forms import fonts

    fonts.FONT_CANDIDATES = ((str(_bundled), 0), *fonts.FONT_CANDIDATES)
