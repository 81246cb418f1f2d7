"""The technician's hidden way in: five quick taps in the top-left corner of a screen.

Nothing on screen hints at it, so residents do not find it by accident, and a technician needs no
keyboard or tool. `CornerTaps(widget)` watches presses (mouse or touch begin) that reach `widget`:
the tiles and buttons keep their own presses, so only the bare corner (the greeting's label lets
touches through) counts. Five taps inside the corner square within three seconds emit `triggered`;
a tap anywhere else on the widget starts the count again. The filter never consumes an event.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

CORNER_PX = 120
TAPS = 5
WINDOW_S = 3.0

_PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick})


class CornerTaps(QObject):
    """Counts corner taps on `watched` (see the module docstring); `clock` is monotonic seconds."""

    triggered = Signal()

    def __init__(
        self,
        watched: QWidget,
        *,
        corner_px: int = CORNER_PX,
        taps: int = TAPS,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(watched)
        self.setObjectName("corner_taps")
        self.corner_px = corner_px
        self.taps = taps
        self.window_s = window_s
        self.clock = clock  # replaceable, so tests tap slowly without waiting
        self._times: list[float] = []
        # A touch the widget does not accept comes back as a synthesized mouse press: one tap, not two.
        self._touch_counted = False
        watched.installEventFilter(self)

    def reset(self) -> None:
        self._times.clear()
        self._touch_counted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # A quick second tap reaches a widget as a double-click instead of a press: it is a tap too.
        if kind in _PRESSES and isinstance(event, QMouseEvent):
            if self._touch_counted and event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
                self._touch_counted = False
                return False
            self._touch_counted = False
            self._tap(event.position())
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
            self._touch_counted = True
            self._tap(event.points()[0].position())
        elif kind == QEvent.Type.Hide:
            self.reset()
        return False

    def _tap(self, position: QPointF) -> None:
        if not (0 <= position.x() < self.corner_px and 0 <= position.y() < self.corner_px):
            self._times.clear()
            return
        now = self.clock()
        self._times = [t for t in self._times if now - t <= self.window_s]
        self._times.append(now)
        if len(self._times) >= self.taps:
            self._times.clear()
            self.triggered.emit()
