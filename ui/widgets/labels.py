"""The screens' plain text label: named for tests and style sheets, styled by its theme role, wrapped."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def text_label(parent: QWidget, name: str, role: str, text: str = "") -> QLabel:
    """`role` is the theme's ("title", "subtitle", "body"); long text wraps rather than widening the screen."""
    widget = QLabel(text, parent)
    widget.setObjectName(name)
    widget.setProperty("role", role)
    widget.setWordWrap(True)
    return widget
