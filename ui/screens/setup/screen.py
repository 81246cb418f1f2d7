"""The technician setup screen ("setup"): a side navigation over four pages, and 退出 Exit.

Opened by the PIN pad ("setup_pin") once a technician PIN is accepted. Pages: 设备 Devices
(setup_devices.py), 终端 Terminal (setup_terminal.py), 同步 Sync (setup_sync.py) and 日志 Logs
(setup_logs.py); each is built on first view and gets `enter()` whenever it is shown. 退出 records
`setup.exit` in the audit log and returns home. A resident's session ending (`wipe`) also closes
the screen, so a technician who walks away never leaves it open.

The pages are built in the language of the moment. The language changes only on the home screen and when
a session ends (back to the terminal's default), never while a technician works on a page; so on a switch
the pages built so far are dropped and built again, in the new language, when next shown.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.i18n.texts import keep, keep_made, pick, retranslate_kept
from ui.screens.setup.devices import audit_line, choice_style
from ui.theme import Theme
from ui.widgets.type_size import ThemeWatcher

# key -> (module, class, Chinese, English), in the order of the side navigation.
PAGES: dict[str, tuple[str, str, str, str]] = {
    "devices": ("ui.screens.setup.devices", "DevicesPage", "设备", "Devices"),
    "terminal": ("ui.screens.setup.terminal", "TerminalPage", "终端", "Terminal"),
    "sync": ("ui.screens.setup.sync", "SyncPage", "同步", "Sync"),
    "logs": ("ui.screens.setup.logs", "LogsPage", "日志", "Logs"),
}


class SetupScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup")
        # Elder mode swaps the window's theme: restyle what the theme's sheet has no rule for.
        self._theme = ThemeWatcher(self, self._restyle)
        self.context = context
        self.pages: dict[str, QWidget] = {}
        self.current = ""

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        nav = QFrame(self)
        nav.setObjectName("setup_nav")
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(16, 16, 16, 16)
        nav_layout.setSpacing(12)
        self.nav_group = QButtonGroup(self)
        self.nav_buttons: dict[str, QPushButton] = {}
        for key, (_module, _cls, zh, en) in PAGES.items():
            button = QPushButton(nav)
            keep_made(button, functools.partial(pick, f"{zh}\n{en}", en))
            button.setObjectName(f"setup_nav_{key}")
            button.setCheckable(True)
            button.clicked.connect(functools.partial(self.show_page, key))
            self.nav_group.addButton(button)
            self.nav_buttons[key] = button
            nav_layout.addWidget(button)
        nav_layout.addStretch(1)
        self.exit_button = QPushButton(nav)
        keep(self.exit_button, "SetupScreen", QT_TRANSLATE_NOOP("SetupScreen", "退出\nExit"))
        self.exit_button.setObjectName("setup_exit_button")
        self.exit_button.setProperty("role", "secondary")
        self.exit_button.clicked.connect(lambda _checked=False: self.leave())
        nav_layout.addWidget(self.exit_button)
        nav.setMinimumWidth(200)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("setup_pages")
        layout.addWidget(nav)
        layout.addWidget(self.stack, 1)

    def _restyle(self, theme: Theme) -> None:
        # The page shown keeps the accent colour; the others look like secondary buttons.
        for button in self.nav_buttons.values():
            button.setStyleSheet(choice_style(theme))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
            self._rebuild_pages()
        super().changeEvent(event)

    def _rebuild_pages(self) -> None:
        """Drops the pages built in the other language (see the module docstring); the one on show is built
        again at once."""
        on_show = self.isVisible() and self.stack.currentWidget() is self.pages.get(self.current)
        shown = self.current if on_show else ""
        for widget in self.pages.values():
            self.stack.removeWidget(widget)
            widget.hide()  # a page keeps no thread while hidden (sync, logs)
            shutdown = getattr(widget, "shutdown", None)
            if callable(shutdown):
                shutdown()
            widget.deleteLater()
        self.pages.clear()
        if shown:
            self.show_page(shown)

    def page(self, key: str) -> QWidget:
        """The page `key`, built on first use."""
        if key not in self.pages:
            module, cls, _zh, _en = PAGES[key]
            factory: Callable[[AppContext, QWidget], QWidget] = getattr(importlib.import_module(module), cls)
            widget = factory(self.context, self.stack)
            self.stack.addWidget(widget)
            self.pages[key] = widget
        return self.pages[key]

    def show_page(self, key: str, _checked: bool = False) -> None:
        widget = self.page(key)
        self.current = key
        self.nav_buttons[key].setChecked(True)
        self.stack.setCurrentWidget(widget)
        enter = getattr(widget, "enter", None)
        if callable(enter):
            enter()

    def enter(self, payload: Any = None) -> None:
        """Shown after the PIN pad: starts on the page asked for (a key of PAGES), else Devices."""
        self.show_page(payload if isinstance(payload, str) and payload in PAGES else "devices")

    def leave(self) -> None:
        """退出: one audit line, then home."""
        audit_line(self.context, "setup.exit", page=self.current or "-")
        for widget in self.pages.values():
            wipe = getattr(widget, "wipe", None)
            if callable(wipe):
                wipe()
        self.context.go_home()

    def wipe(self) -> None:
        """Session end (idle): pages drop what they showed (a masked test card, a typed token)."""
        for widget in self.pages.values():
            wipe = getattr(widget, "wipe", None)
            if callable(wipe):
                wipe()

    def shutdown(self) -> None:
        """Stops every page's worker (application exit, tests)."""
        for widget in self.pages.values():
            shutdown = getattr(widget, "shutdown", None)
            if callable(shutdown):
                shutdown()
