"""Which layout the screens take, and the demo window's size, from the screen (ui/screen_fit.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from ui.screen_fit import orientation_for, windowed_size


@pytest.mark.parametrize(("setting", "screen", "expected"), [
    ("auto", QSize(1280, 800), "landscape"),
    ("auto", QSize(1920, 1080), "landscape"),
    ("auto", QSize(1080, 1920), "portrait"),
    ("landscape", QSize(1080, 1920), "landscape"),
    ("portrait", QSize(1920, 1080), "portrait"),
])
def test_layout_follows_the_screen_unless_configured(setting: str, screen: QSize, expected: str) -> None:
    assert orientation_for(setting, screen) == expected


def test_windowed_demo_turns_to_the_layout_and_fits_the_room() -> None:
    assert windowed_size(QSize(1280, 800), QSize(1920, 1050), "landscape") == QSize(1280, 800)
    assert windowed_size(QSize(1280, 800), QSize(1080, 1890), "portrait") == QSize(800, 1280)
    assert windowed_size(QSize(1280, 800), QSize(1024, 740), "landscape") == QSize(1024, 740)
