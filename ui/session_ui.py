"""Connects `kiosk.resident.session.Session` to the window: activity in, countdown banner and wipe out.

- An application-wide event filter counts every touch, click and key as activity, and presses and
  toggles made through the accessibility interface (AT-SPI), which come with no input event.
- One single-shot QTimer asks the session to `tick` exactly when something may change (the next
  countdown second, the timeout, the attract time); nothing is due on the attract screen, so no
  timer runs there, and the timer dies with the window.
- The countdown is a banner inside the main window, never a pop-up window (MIIT: no pop-ups).
- When a session ends every screen is wiped (`MainWindow.wipe_screens`), elder mode and the language
  go back to the terminal's defaults (`terminal.elder_mode`, `terminal.language`), the clipboard and
  the input method are cleared, and whatever else registered with `session.add_wipe_callback` runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Language
from kiosk.resident.session import Clock, EndReason, Session, SessionState
from ui.i18n import current_language, set_language
from ui.main_window import MainWindow

_ACTIVITY_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
})


class ActivityFilter(QObject):
    """Sees every input event of the application before any widget does; never swallows one.

    A screen reader's "Press" is `QAbstractButton.animateClick`: no input event, only the button's own
    click timer, so a timer event on a button counts (the other timer a button runs is auto-repeat, while
    a finger holds it). Its "Toggle" flips a checkable button without any event at all, so checkable
    buttons report their toggles; `on_toggle` decides whether a toggle was the resident's.
    """

    def __init__(self, on_activity: Callable[[], None], on_toggle: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity
        self._on_toggle = on_toggle or on_activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY_EVENTS:
            self._on_activity()
        elif isinstance(watched, QAbstractButton):
            if kind == QEvent.Type.Timer:
                self._on_activity()
            elif kind == QEvent.Type.Show:
                self.hook(watched)
        return False

    def hook(self, button: QAbstractButton) -> None:
        """Has a checkable button report its toggles (once, however often it is shown)."""
        if button.isCheckable() and not button.property("activityHooked"):
            button.setProperty("activityHooked", True)
            button.toggled.connect(self._toggled)

    def _toggled(self, _checked: bool) -> None:
        self._on_toggle()


class CountdownBanner(QFrame):
    """A wide banner across the bottom of the window: the seconds left and a big 继续 button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("countdown_banner")
        # Warm, light background with black text (contrast > 15:1) and a thick top rule, in both modes.
        self.setStyleSheet(
            "QFrame#countdown_banner { background: #fff1c2; border-top: 4px solid #8a4b00; }"
            "QFrame#countdown_banner QLabel { color: #000000; background: transparent; }"
            # Wider than the theme's square minimum: the one thing on screen a resident must find.
            "QPushButton#countdown_continue_button { min-width: 240px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(48, 20, 48, 20)
        layout.setSpacing(32)
        texts = QVBoxLayout()
        self.message = QLabel(self)
        self.message.setObjectName("countdown_message")
        self.message.setProperty("role", "title")
        self.message.setWordWrap(True)
        self.english = QLabel(self)
        self.english.setObjectName("countdown_english")
        self.english.setProperty("role", "subtitle")
        texts.addWidget(self.message)
        texts.addWidget(self.english)
        layout.addLayout(texts, 1)
        self.continue_button = QPushButton(self)
        self.continue_button.setObjectName("countdown_continue_button")
        layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.seconds = 0
        self.retranslate()
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        self.retranslate()

    def retranslate(self) -> None:
        self.message.setText(self.tr("还剩 %1 秒，点击任意处继续").replace("%1", str(self.seconds)))
        self.english.setText(f"{self.seconds} s left. Touch anywhere to continue.")
        # In English the line above already says it.
        self.english.setVisible(current_language() is Language.ZH_CN)
        self.continue_button.setText(self.tr("继续"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def place(self) -> None:
        """Spans the bottom of the parent, above every screen."""
        parent = self.parentWidget()
        if parent is None:
            return
        height = max(self.sizeHint().height(), self.minimumSizeHint().height())
        self.setGeometry(0, parent.height() - height, parent.width(), height)
        self.raise_()


class SessionController(QObject):
    """Owns the session's timer, filter and banner; lives as long as the main window.

    `card_changed(role, present)` may be emitted from any thread (the card watcher's): the queued
    connection brings it to `card_event` on the GUI thread.
    """

    card_changed = Signal(str, bool)

    def __init__(self, window: MainWindow, session: Session) -> None:
        super().__init__(window)
        self.setObjectName("session_controller")
        self.window = window
        self.session = session
        self.banner = CountdownBanner(window)
        self.banner.continue_button.clicked.connect(self._continue)
        self._timer = QTimer(self)
        self._timer.setObjectName("session_timer")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.tick)
        self._filter = ActivityFilter(self.activity, self._toggle_activity, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._filter)
        for button in window.findChildren(QAbstractButton):  # shown before the filter was there
            self._filter.hook(button)
        window.installEventFilter(self)
        window.status_strip.elder_mode_toggled.connect(session.set_elder_mode)
        session.set_elder_mode(window.theme.name == "elder")
        session.add_state_listener(self._on_state)
        session.add_wipe_callback(self._wipe)
        self.card_changed.connect(self.card_event)
        self._schedule()

    # --- inputs ---------------------------------------------------------------------------------

    def activity(self) -> None:
        self.session.touch()
        self._schedule()

    def card_event(self, role: str, present: bool) -> None:
        """A card was placed (starts or extends the session) or taken away (ends it where a step
        needs the card)."""
        if present:
            self.session.card_presented()
        else:
            self.session.card_removed()
        self._schedule()

    def _continue(self) -> None:
        self.activity()

    def _toggle_activity(self) -> None:
        """A choice flipped keeps a session alive; it never starts one, since a screen also sets its
        choices itself (the wipe resetting them after a session, say) while nobody is there."""
        if self.session.state in (SessionState.ACTIVE, SessionState.COUNTDOWN):
            self.activity()

    def tick(self) -> None:
        self.session.tick()
        if self.session.state is SessionState.COUNTDOWN:
            self.banner.show_seconds(self.session.seconds_left())
        self._schedule()

    def stop(self) -> None:
        """Stops the timer and the filter; the window is going away."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._filter)

    # --- reactions ------------------------------------------------------------------------------

    def _on_state(self, state: SessionState) -> None:
        if state is SessionState.COUNTDOWN:
            self.banner.show_seconds(self.session.seconds_left())
            self.banner.place()
            self.banner.show()
        else:
            self.banner.hide()
        if state is SessionState.ATTRACT:
            self.window.navigate("attract")
        elif state is SessionState.ACTIVE and self.window.current_screen() is self.window.screens.get("attract"):
            self.window.go_home()

    def _wipe(self, _reason: EndReason) -> None:
        self.window.wipe_screens()
        # The next resident meets the terminal as it is set up, not in the last one's mode or language.
        terminal = self.window.config.terminal
        self.window.status_strip.set_elder_mode(terminal.elder_mode)
        if current_language() is not terminal.language:
            set_language(terminal.language)
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        # Half-typed pinyin or a candidate list may still hold a piece of a name.
        QGuiApplication.inputMethod().reset()
        # Widgets outside the screens (the on-screen keyboard's candidate bar) clear themselves too.
        for widget in self.window.findChildren(QWidget):
            clear = getattr(widget, "clear_personal_state", None)
            if callable(clear):
                clear()

    def _schedule(self) -> None:
        due = self.session.seconds_until_due()
        if due is None or self._closing:
            self._timer.stop()
            return
        self._timer.start(max(50, math.ceil(due * 1000)))

    _closing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Close:
                self._closing = True
                self.stop()
            elif event.type() == QEvent.Type.Resize and self.banner.isVisible():
                self.banner.place()
        return False


def install_session(window: MainWindow, *, clock: Clock | None = None) -> SessionController:
    """Gives `window` a session; tests pass a fake `clock` and call `controller.tick()` themselves."""
    config = window.config
    session = Session(config, clock=clock) if clock is not None else Session(config)
    controller = SessionController(window, session)
    window.context.session = session
    return controller
