"""A layout that lines its widgets up like words: as many on a row as fit, the rest on the next row.

Choice buttons (a form's 提取原因, four long options) were placed in a fixed number of columns; with the
digit pad beside the form the row got narrower than its buttons and Qt squeezed them below their text
("购买商品住房" showed as "买商品住"). Wrapping by the width actually given keeps every button at its
size hint in any orientation, type size and keyboard state, without the page knowing which one it is in.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Rows of widgets at their size hints, wrapping at the layout's width (height for width)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 12) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout's item list ----------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # --- sizes --------------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:
        # One row of everything: what the layout would like; heightForWidth says what it needs.
        hints = [item.sizeHint() for item in self._visible()]
        width = sum(h.width() for h in hints) + self._spacing * max(len(hints) - 1, 0)
        height = max((h.height() for h in hints), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        # As narrow as the widest single widget: below that a button would be cut, which is the point.
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize()).expandedTo(item.sizeHint())
        return size.grownBy(self.contentsMargins())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # --- placing ------------------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Places (or, with move=False, only measures) the rows inside `rect`; the height they take."""
        inner = rect.marginsRemoved(self.contentsMargins() or QMargins())
        x, y, row_height = inner.x(), inner.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            if x > inner.x() and x + hint.width() > inner.right() + 1:
                x, y = inner.x(), y + row_height + self._spacing
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            row_height = max(row_height, hint.height())
        margins = self.contentsMargins()
        return y + row_height - rect.y() + margins.bottom()
