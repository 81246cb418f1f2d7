"""A stack of pages sized by the page on show only.

QStackedWidget asks for the largest size hint, minimum and height-for-width over ALL its pages, hidden
ones included. On a fixed 1280×800 screen that is wrong: a tall page shown once (the capture widget's
problem page in elder type) keeps the whole window's minimum above the screen after the resident has
left it. `PageStack` answers with the current page's sizes and re-asks its parent when the page changes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStackedWidget, QWidget


class PageStack(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return QSize(0, 0)
        # What the layout would grant the page: its hint, unless it set an explicit minimum.
        hint = page.minimumSizeHint().expandedTo(page.minimumSize())
        return hint.boundedTo(page.maximumSize())

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1
