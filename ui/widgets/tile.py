"""A large home-screen tile: a Chinese title, an English subtitle and a line for the service's state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class ServiceTile(QPushButton):
    """A whole-surface button; its labels let touches fall through to the button."""

    def __init__(self, object_name: str, title: str, subtitle: str, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "tile")
        self.setProperty("tileIndex", index % 5)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"{title} {subtitle}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(8)
        self.title_label = self._label(title, "tile_title")
        self.subtitle_label = self._label(subtitle, "tile_subtitle")
        self.note_label = self._label("", "tile_note")
        self.note_label.setObjectName(f"{object_name}_note")
        self.note_label.hide()
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)

    def _label(self, text: str, role: str) -> QLabel:
        label = QLabel(text, self)
        label.setProperty("role", role)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return label

    def set_note(self, text: str) -> None:
        """A short line under the title, e.g. why the service cannot be used right now."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))
