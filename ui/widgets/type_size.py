"""Keeping a screen's own style sheet in step with the theme (its type size, or the theme itself).

Some screens size things the theme's sheet has no rule for (check-box indicators, keys, a huge
number) from the text size. The main window swaps its sheet for elder mode, so such a screen re-styles
itself whenever the size its font resolves to changes: on a style or font change, and when it is
first shown (before that its font is not resolved yet).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ui.theme import NORMAL, Theme

_EVENTS = (QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.Show)


class TypeSizeWatcher(QObject):
    """Calls `apply(px)` with `widget`'s text size in pixels each time it changes; `px` is the last one."""

    def __init__(self, widget: QWidget, apply: Callable[[int], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._apply = apply
        self.px = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() in _EVENTS:
            self.refresh()
        return False

    def refresh(self) -> None:
        px = self._widget.fontInfo().pixelSize()
        if px > 0 and px != self.px:
            self.px = px  # before apply: a setStyleSheet there sends another StyleChange
            self._apply(px)


class ThemeWatcher(QObject):
    """Calls `apply(theme)` with the main window's theme (ui/theme.py) each time it changes, seen through the
    same events; for screens that style from the theme's numbers and colours rather than the text size."""

    def __init__(self, widget: QWidget, apply: Callable[[Theme], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._apply = apply
        self.name = ""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() in _EVENTS:
            theme = getattr(self._widget.window(), "theme", NORMAL)
            if theme.name != self.name:
                self.name = theme.name
                self._apply(theme)
        return False
