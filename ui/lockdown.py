"""Kiosk lock-down for `kiosk run`: residents cannot leave, close or break out of the kiosk screen.

Applied only when the kiosk runs full screen for residents (`kiosk run`, ui.fullscreen = true), never in
`kiosk demo`, where a developer needs the window manager, Esc and right-click as usual.

- The window is frameless and stays on top: no title bar to close or drag, nothing drawn over it.
- An application-wide event filter swallows the keys that leave or close a window (Alt+F4, Esc,
  Alt+Tab where Qt sees it before the window manager does, Ctrl+Q, Ctrl+W, F11) and every context menu
  (a long press on a touch screen is a right-click: a text field's menu would offer Paste).
- Close events on the window are refused until `release()`. The app's own deliberate shutdown (SIGTERM
  from systemd, Ctrl-C, `QApplication.quit`, the self-test) releases the lock first: Qt 6's quit()
  tries to close every window and gives up if one refuses, so the lock lets go when it sees the
  application's Quit event (which no key or touch of a resident's produces), and on aboutToQuit.
- The mouse cursor is hidden when a touch screen is attached: a resident touching the screen should
  not see an arrow jump around. With a mouse only (a technician's bench) it stays.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QInputDevice, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("kiosk.ui.lockdown")

_M = Qt.KeyboardModifier
_K = Qt.Key

# (key, modifiers that must all be held). Modifiers beyond these still match: Ctrl+Shift+Q closes too.
BLOCKED_KEYS: tuple[tuple[Qt.Key, Qt.KeyboardModifier], ...] = (
    (_K.Key_F4, _M.AltModifier),
    (_K.Key_Escape, _M.NoModifier),
    (_K.Key_Tab, _M.AltModifier),
    (_K.Key_Backtab, _M.AltModifier),
    (_K.Key_Q, _M.ControlModifier),
    (_K.Key_W, _M.ControlModifier),
    (_K.Key_F11, _M.NoModifier),
)

# A shortcut is matched on ShortcutOverride before the KeyPress is delivered: swallow both.
_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})


def is_blocked_key(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """Whether the key combination is one a resident could use to leave the kiosk."""
    # The keypad flag says where the key is, not what it means.
    held = modifiers & ~_M.KeypadModifier
    return any(key == blocked and (held & needed) == needed for blocked, needed in BLOCKED_KEYS)


def touch_screen_present() -> bool:
    """Whether Qt sees a touch screen among the input devices (needs the QGuiApplication)."""
    return any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices())


class LockDown(QObject):
    """Holds `window` locked; `release()` lets it close (and is called when the app quits)."""

    def __init__(self, window: QWidget, *, hide_cursor: bool | None = None) -> None:
        super().__init__(window)
        self.setObjectName("lockdown")
        self.window = window
        self.locked = True
        self.swallowed = 0  # how many events were refused; for tests and the log on release
        self._cursor_hidden = False
        window.setWindowFlags(
            window.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            app.aboutToQuit.connect(self.release)
        if hide_cursor is None:
            hide_cursor = touch_screen_present()
        if hide_cursor and isinstance(app, QApplication):
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True
        log.info("lock-down on (cursor %s)", "hidden" if self._cursor_hidden else "shown")

    def release(self) -> None:
        """Lets the window close and hands keys, menus and the cursor back; for a deliberate exit."""
        if not self.locked:
            return
        self.locked = False
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False
        log.info("lock-down released after refusing %d events", self.swallowed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Quit and watched is QCoreApplication.instance():
            self.release()
            return False
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent):
            if is_blocked_key(event.key(), event.modifiers()):
                # An accepted ShortcutOverride tells Qt the key is taken, so no QShortcut or QAction
                # bound to it runs; the KeyPress that follows is swallowed here as well.
                return self._swallow(event, accept=True)
        elif kind == QEvent.Type.ContextMenu:
            return self._swallow(event, accept=True)
        elif kind == QEvent.Type.Close and watched is self.window and self.locked:
            # Returning True alone is not enough: a QCloseEvent starts accepted and the window would
            # still close. Ignoring it is what refuses the close.
            return self._swallow(event, accept=False)
        return False

    def _swallow(self, event: QEvent, *, accept: bool) -> bool:
        event.setAccepted(accept)
        self.swallowed += 1
        return True


def cursor_setting(value: str) -> bool | None:
    """`ui.hide_cursor` as apply_lockdown takes it: "always" True, "never" False, "auto" None."""
    return {"always": True, "never": False}.get(value)


def apply_lockdown(window: QWidget, *, hide_cursor: bool | None = None) -> LockDown:
    """Locks `window` down; call before showing it (window flags change on show). `hide_cursor`
    None = hide it when a touch screen is attached."""
    return LockDown(window, hide_cursor=hide_cursor)
