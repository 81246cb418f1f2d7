"""Puts a main window on the common vertical terminal screen, 1080×1920, for the portrait layout tests."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def to_portrait(window: MainWindow, *, elder: bool) -> None:
    window.status_strip.set_elder_mode(elder)
    window.set_orientation("portrait")
    window.resize(1080, 1920)


def settle() -> None:
    """A layout change reaches the widgets' geometry over a few turns of the event loop."""
    for _ in range(4):
        QApplication.processEvents()
