"""The screenshot script draws real windows on the X server (the xcb platform, as on a terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.slow]


def test_home_screen_renders_on_xvfb(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshot.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "home.png"))
    assert (image.width(), image.height()) == (1280, 800)
    # The tiles are painted in colour: a blank or black grab would have a single colour.
    colours = {image.pixelColor(x, y).name() for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    assert len(colours) > 5
