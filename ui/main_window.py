"""The main window: the status strip above one `QStackedWidget` that holds every screen."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.devices.gating import gate_all
from kiosk.platform.sync import SyncStatus
from kiosk.status import DeviceStatus, SystemStatus, initial_status
from ui.context import AppContext
from ui.screen_fit import Orientation
from ui.screens.coming import ComingSoonScreen
from ui.screens.home import SERVICES, HomeScreen
from ui.screens.registry import SCREENS
from ui.theme import ELDER, NORMAL, Theme, pick_font_family, stylesheet
from ui.widgets.status_strip import StatusStrip

log = logging.getLogger("kiosk.ui")


class MainWindow(QMainWindow):
    """Owns the navigator. Screens ask to navigate by signals; only this class switches pages."""

    def __init__(self, config: Config, parent: QWidget | None = None, *, context: AppContext) -> None:
        super().__init__(parent)
        self.context = context
        self.context.navigate = self.navigate
        self.context.go_home = self.go_home
        self.screens: dict[str, QWidget] = {}
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("政务服务自助终端"))
        self.config = config
        self.font_family = pick_font_family(config.ui.font_family)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.status_strip = StatusStrip(config.terminal.station, central)
        self.navigator = QStackedWidget(central)
        self.navigator.setObjectName("navigator")
        layout.addWidget(self.status_strip)
        layout.addWidget(self.navigator, 1)
        self.setCentralWidget(central)

        self.home = HomeScreen(self.navigator)
        self.coming_soon = ComingSoonScreen(self.navigator)
        self.navigator.addWidget(self.home)
        self.navigator.addWidget(self.coming_soon)
        self.home.service_requested.connect(self.open_service)
        self.coming_soon.home_requested.connect(self.go_home)
        self.status_strip.elder_mode_toggled.connect(self.set_elder_mode)
        self.status_strip.help_requested.connect(self.open_help)

        self.theme: Theme = NORMAL
        self.orientation: Orientation = "landscape"
        self.set_elder_mode(config.terminal.elder_mode)
        self.status_strip.set_elder_mode(config.terminal.elder_mode)
        self.system_status = initial_status(config)
        self.show_status(self.system_status)

    def current_screen(self) -> QWidget | None:
        return self.navigator.currentWidget()

    def go_home(self) -> None:
        self.navigator.setCurrentWidget(self.home)

    def screen_named(self, name: str) -> QWidget:
        """The screen registered as `name`, built on first use (so start-up stays fast)."""
        if name not in self.screens:
            widget = SCREENS[name](self.context, self.navigator)
            self._orient(widget)
            self.navigator.addWidget(widget)
            self.screens[name] = widget
        return self.screens[name]

    def navigate(self, name: str, payload: Any = None) -> None:
        """Shows screen `name`, handing it `payload`; an unknown name is a bug, logged, and leads home."""
        if name == "home":
            self.go_home()
            return
        if name not in SCREENS:
            log.error("navigation to unknown screen %r", name)
            self.go_home()
            return
        widget = self.screen_named(name)
        enter = getattr(widget, "enter", None)
        if callable(enter):
            enter(payload)
        self.navigator.setCurrentWidget(widget)

    def wipe_screens(self) -> None:
        """Session end: every screen drops what it showed of the resident, then home."""
        for widget in self.screens.values():
            wipe = getattr(widget, "wipe", None)
            if callable(wipe):
                wipe()
        self.go_home()

    def open_service(self, key: str) -> None:
        """A home tile: its service starts clean, with nothing of an earlier visit (a receipt number,
        a search, a half-read card) still on it. Other ways in (back from a guide, a receipt handed
        on) go through `navigate` and keep what they carry."""
        if key in SCREENS:
            wipe = getattr(self.screens.get(key), "wipe", None)
            if callable(wipe):
                wipe()
            self.navigate(key)
            return
        entry = next(s for s in SERVICES if s.key == key)
        self.coming_soon.show_service(self.tr(entry.title))
        self.navigator.setCurrentWidget(self.coming_soon)

    def set_elder_mode(self, on: bool) -> None:
        self.theme = ELDER if on else NORMAL
        self.setStyleSheet(stylesheet(self.theme, self.font_family))

    def set_orientation(self, orientation: Orientation) -> None:
        """Landscape or portrait (ui/screen_fit.py): each screen that has two layouts takes the one named."""
        self.orientation = orientation
        for widget in (self.home, *self.screens.values()):
            self._orient(widget)

    def _orient(self, widget: QWidget) -> None:
        set_orientation = getattr(widget, "set_orientation", None)
        if callable(set_orientation):
            set_orientation(self.orientation)

    def show_status(self, status: SystemStatus) -> None:
        self.system_status = status
        self.status_strip.show_status(status)

    def show_sync_status(self, sync: SyncStatus) -> None:
        """Slot for the sync bridge: the network state and outbox depth as the engine last saw them."""
        self.show_status(dataclasses.replace(self.system_status, network=sync.network, outbox_depth=sync.depth))

    def show_device_status(self, statuses: Mapping[str, DeviceStatus]) -> None:
        """Slot for the device bridge: the strip shows every device's health, the tiles their gating."""
        self.show_status(dataclasses.replace(self.system_status, devices=dict(statuses)))
        self.apply_gating(statuses)

    def apply_gating(self, statuses: Mapping[str, DeviceStatus]) -> None:
        """Greys out and disables each home tile whose service cannot work now, with the reason on it."""
        for key, gate in gate_all(statuses).items():
            tile = self.home.tiles.get(key)
            if tile is None:
                continue
            tile.setEnabled(gate.available)
            tile.set_note(gate.note)
            # Grey (white text on it stays above 4.5:1); a tile-local sheet so the theme stays untouched.
            tile.setStyleSheet("" if gate.available else "QPushButton { background: #5f6b7a; }")

    def open_help(self) -> None:
        """The help button: the help screen, which leads back to exactly where the resident was."""
        previous = self.current_screen()
        if previous is not None and previous is self.screens.get("help"):
            return
        self.navigate("help", lambda: self.navigator.setCurrentWidget(previous) if previous else self.go_home())
