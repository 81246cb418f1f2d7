"""Puts a main window on the common vertical terminal screen, 1080×1920, for the portrait layout tests."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton, QApplication

from ui.main_window import MainWindow


def to_portrait(window: MainWindow, *, elder: bool) -> None:
    window.status_strip.set_elder_mode(elder)
    window.set_orientation("portrait")
    window.resize(1080, 1920)


def settle() -> None:
    """A layout change reaches the widgets' geometry over a few turns of the event loop."""
    for _ in range(4):
        QApplication.processEvents()


def assert_not_cut(buttons: Iterable[QAbstractButton]) -> None:
    # The sheet's padding is not in contentsRect: a button narrower than it asks for has its text cut.
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
