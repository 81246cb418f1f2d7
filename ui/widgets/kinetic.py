"""Finger scrolling for scroll areas."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScroller


def make_kinetic(area: QAbstractScrollArea) -> None:
    """A finger drag (or a mouse drag on a touch screen driver) flicks the area like a phone list."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
