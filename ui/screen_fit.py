"""The window on the screen the kiosk is given: it fills that screen, or fits in it, and never grows past it.

A terminal runs the kiosk on a bare X session with no window manager, where `showFullScreen()` only
asks and nobody answers: the window stayed at Qt's default size (853×533 on a 1280×800 screen). So
the window is sized to the screen's geometry here, and follows it when the screen changes (a panel
rotated with xrandr, a second monitor). On xcb a layout whose minimum is larger than the window makes
Qt grow the top-level past the screen, and it never shrinks back; so the window's maximum is the
screen, the central layout sets no minimum on it, and the screens scroll what does not fit.

Which layout the screens use (landscape or portrait) follows the screen's shape unless the config
names one (`ui.layout`).
"""

from __future__ import annotations

import logging
from typing import Literal

from PySide6.QtCore import QObject, QRect, QSize, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLayout, QWidget

log = logging.getLogger("kiosk.ui")

Orientation = Literal["landscape", "portrait"]


def orientation_for(setting: str, size: QSize) -> Orientation:
    """The layout for `setting` ("auto", "landscape" or "portrait") on a screen or window of `size`."""
    if setting in ("landscape", "portrait"):
        return "portrait" if setting == "portrait" else "landscape"
    return "portrait" if size.height() > size.width() else "landscape"


def windowed_size(wanted: QSize, room: QSize, orientation: Orientation) -> QSize:
    """The demo window's size: the configured one turned to the layout's shape, then cut to the room."""
    long_side, short_side = max(wanted.width(), wanted.height()), min(wanted.width(), wanted.height())
    shaped = QSize(short_side, long_side) if orientation == "portrait" else QSize(long_side, short_side)
    return shaped.boundedTo(room)


class ScreenFit(QObject):
    """Keeps `window` on its screen. `orientation_changed` tells the screens which layout to use."""

    orientation_changed = Signal(str)

    def __init__(self, window: QWidget, *, fullscreen: bool, layout: str, size: QSize) -> None:
        super().__init__(window)
        self.window = window
        self.fullscreen = fullscreen
        self.setting = layout
        self.wanted = size
        self.orientation: Orientation = "landscape"
        self._screen: QScreen | None = None
        # The window's size comes from here, never from its content's minimum (see the module's note).
        box = window.layout()
        if box is not None:
            box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

    def show(self) -> None:
        """Sizes the window to its screen and shows it; from then on it follows the screen."""
        self._follow(self.window.screen())
        self.fit()
        if self.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        handle = self.window.windowHandle()
        if handle is not None:
            handle.screenChanged.connect(self._screen_changed)
        # Some platforms place the window only when it is shown: fit again on the screen it landed on.
        self._follow(self.window.screen())
        self.fit()

    def _screen_changed(self, screen: QScreen) -> None:
        self._follow(screen)
        self.fit()

    def _follow(self, screen: QScreen) -> None:
        if screen is self._screen:
            return
        if self._screen is not None:
            self._screen.geometryChanged.disconnect(self._geometry_changed)
        self._screen = screen
        screen.geometryChanged.connect(self._geometry_changed)

    def _geometry_changed(self, _geometry: QRect) -> None:
        self.fit()

    def fit(self) -> None:
        screen = self._screen or self.window.screen()
        geometry = screen.geometry()
        orientation = orientation_for(self.setting, geometry.size())
        if orientation != self.orientation:
            self.orientation = orientation
            self.orientation_changed.emit(orientation)
        self.window.setMinimumSize(0, 0)
        self.window.setMaximumSize(geometry.size())
        if self.fullscreen:
            if self.window.geometry() != geometry:
                log.info("window sized to the screen: %dx%d", geometry.width(), geometry.height())
                self.window.setGeometry(geometry)
            return
        room = screen.availableGeometry()
        size = windowed_size(self.wanted, room.size(), orientation)
        if self.window.size() != size:
            self.window.resize(size)
        if not room.contains(self.window.geometry()):
            self.window.move(room.topLeft())
