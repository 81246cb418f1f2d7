"""A guide in a result list: the name large, the department and theme beneath, the whole row one target.

Shared by the guide search and the declaration's service choice.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.resident.guides import GuideRow
from ui.i18n.terms import term


class GuideRowButton(QPushButton):
    """One result: the item name large, the department and theme beneath; the whole row is the target."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"guide_result_{index}")
        self.setProperty("role", "secondary")
        self.setProperty("guideRow", True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.code = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.setSpacing(4)
        self.name_label = QLabel(self)
        self.name_label.setProperty("role", "body")
        self.name_label.setWordWrap(True)
        self.details_label = QLabel(self)
        self.details_label.setProperty("role", "subtitle")
        self.details_label.setWordWrap(True)
        for label in (self.name_label, self.details_label):
            # Touches go to the button underneath, so the whole row answers.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def show_row(self, row: GuideRow) -> None:
        self.code = row.code
        self.name_label.setText(row.name)
        self.details_label.setText(term(row.details))
        self.setAccessibleName(row.name)
        self.show()

    def clear_row(self) -> None:
        self.code = ""
        self.name_label.clear()
        self.details_label.clear()
        self.hide()

    def sizeHint(self) -> QSize:
        # QPushButton's own hint ignores the labels' layout; the rows must grow with wrapped names.
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None:
            hint.setHeight(max(hint.height(), layout.sizeHint().height()))
        return hint
