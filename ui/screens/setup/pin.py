"""The technician PIN pad (技术员登录): opened by five taps in the home screen's corner.

A large digit pad, dots for what has been typed (never the digits), and one message line in Chinese
with English under it: wrong PIN and how many tries are left, locked with a live countdown, or no PIN
set yet (run `kiosk set-pin`). The rules, the hash and the lockout are kiosk/technician/pin.py's; the
scrypt check takes tens of milliseconds by design, so it runs on a `DeviceWorker`. The right PIN
opens the setup screen ("setup"); 取消, an idle session's end and `wipe()` drop what was typed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician.pin import MAX_LENGTH, MIN_LENGTH, Outcome, TechnicianPin, VerifyResult
from ui.context import AppContext
from ui.i18n.texts import keep_made, pick, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.workers import LazyWorker

DOT = "●"
EMPTY_DOT = "○"
PAD_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("delete", "0", "ok"))


def _countdown(seconds: float) -> str:
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class SetupPinScreen(QWidget):
    prompt = "请输入技术员密码。"  # spoken by ui/voice.py when the screen appears

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_pin")
        # Takes keys itself so a technician with a USB keyboard can type; the pad's keys never take focus.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.context = context
        self.store = TechnicianPin(context.data_dir)
        # The countdown runs on the monotonic clock: the store's wall-clock deadline is read once.
        self.monotonic: Callable[[], float] = time.monotonic
        self._digits: list[str] = []
        self._locked_until: float | None = None
        self._busy = False
        self._not_set = False
        self._worker = LazyWorker("technician_pin", self)
        self.countdown = QTimer(self)
        self.countdown.setObjectName("setup_pin_countdown")
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(64, 40, 64, 40)
        outer.setSpacing(56)

        texts = QVBoxLayout()
        texts.setSpacing(12)
        self.title = QLabel(self)
        self.title.setObjectName("setup_pin_title")
        self.title.setProperty("role", "title")
        self.subtitle = QLabel("Technician sign-in", self)
        self.subtitle.setProperty("role", "subtitle")
        self.dots = QLabel(self)
        self.dots.setObjectName("setup_pin_dots")
        self.dots.setProperty("role", "title")
        self.dots.setMinimumHeight(72)
        self.dots.setAccessibleName("PIN")
        self.message = QLabel(self)
        self.message.setObjectName("setup_pin_message")
        self.message.setProperty("role", "body")
        self.message.setWordWrap(True)
        self.message_en = QLabel(self)
        self.message_en.setObjectName("setup_pin_message_en")
        self.message_en.setProperty("role", "subtitle")
        self.message_en.setWordWrap(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("pin_cancel")
        self.cancel_button.setProperty("role", "secondary")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        texts.addStretch(1)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        texts.addSpacing(24)
        texts.addWidget(self.dots)
        texts.addSpacing(12)
        texts.addWidget(self.message)
        texts.addWidget(self.message_en)
        texts.addStretch(2)
        texts.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(texts, 1)

        self.pad = QFrame(self)
        self.pad.setObjectName("setup_pin_pad")
        self.pad.setProperty("role", "keyboard")  # the theme's key rule: no side padding, so 删除 Delete fits
        grid = QGridLayout(self.pad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(16)
        self.keys: dict[str, QPushButton] = {}
        for row, names in enumerate(PAD_ROWS):
            for column, name in enumerate(names):
                key = QPushButton(self.pad)
                key.setObjectName(f"pin_key_{name}" if name.isdigit() else f"pin_{name}")
                key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                if name == "delete":
                    key.setProperty("role", "secondary")
                    key.clicked.connect(self.delete_digit)
                elif name == "ok":
                    key.clicked.connect(self.submit)
                else:
                    # The digit in a title-sized label: the theme's title size, so it grows in elder mode.
                    label = QLabel(name, key)
                    label.setProperty("role", "title")
                    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                    inner = QVBoxLayout(key)
                    inner.setContentsMargins(0, 0, 0, 0)
                    inner.addWidget(label)
                    key.setAccessibleName(name)
                    key.clicked.connect(lambda _checked=False, digit=name: self.add_digit(digit))
                self.keys[name] = key
                grid.addWidget(key, row, column)
        # Colours only, no sizes: white digits on the accent, and a locked pad visibly greyed out
        # (white on #5f6b7a stays above 4.5:1, as on the home screen's unavailable tiles).
        self.pad.setStyleSheet(
            "QFrame#setup_pin_pad QLabel { color: #ffffff; background: transparent; }"
            "QFrame#setup_pin_pad QPushButton:disabled { background: #5f6b7a; border-color: #5f6b7a;"
            " color: #ffffff; }"
        )
        outer.addWidget(self.pad, 1)
        self.retranslate()
        self._show_entry_hint()

    # -- texts --------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("技术员登录"))
        self.cancel_button.setText(self.tr("取消 Cancel"))
        self.keys["delete"].setText(self.tr("删除\nDelete"))
        self.keys["ok"].setText(self.tr("确定\nOK"))
        self._render_dots()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            retranslate_kept(self)
        super().changeEvent(event)

    def _say(self, chinese: str, english: str) -> None:
        # Kept to be said again after a language switch: in English the English line alone.
        keep_made(self.message, lambda: pick(chinese, english))
        keep_made(self.message_en, lambda: pick(english, ""))

    def _render_dots(self) -> None:
        # Only the count of digits shows: someone looking over the technician's shoulder learns no digit.
        # Empty circles up to the shortest PIN: a technician sees how many are still needed.
        shown = DOT * len(self._digits) + EMPTY_DOT * max(0, MIN_LENGTH - len(self._digits))
        self.dots.setText(" ".join(shown))

    def _show_entry_hint(self) -> None:
        self._say(self.tr("请输入 %1 到 %2 位技术员 PIN，再按“确定”。")
                  .replace("%1", str(MIN_LENGTH)).replace("%2", str(MAX_LENGTH)),
                  f"Enter the technician PIN ({MIN_LENGTH}-{MAX_LENGTH} digits), then press OK.")

    def _show_not_set(self) -> None:
        # No default PIN exists, so there is nothing to type: the pad stays off until set-pin has run.
        self._not_set = True
        self._update_keys()
        self._say(self.tr("本机尚未设置技术员 PIN。\n请在终端命令行运行：kiosk set-pin"),
                  "No technician PIN has been set.\nRun on the terminal's console: kiosk set-pin")

    def _show_locked(self, seconds: float) -> None:
        left = _countdown(seconds)
        self._say(self.tr("错误次数过多，已锁定。请在 %1 后再试。").replace("%1", left),
                  f"Too many wrong PINs: the pad is locked. Try again in {left}.")

    # -- entry --------------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self._locked_until is not None

    def _accepting(self) -> bool:
        return not self._busy and not self._not_set and not self.is_locked()

    def add_digit(self, digit: str) -> None:
        if not self._accepting() or len(self._digits) >= MAX_LENGTH:
            return
        self._digits.append(digit)
        self._render_dots()

    def delete_digit(self) -> None:
        if not self._accepting():
            return
        if self._digits:
            self._digits.pop()
        self._render_dots()

    def submit(self) -> None:
        """确定: checks the typed PIN on the worker thread; the digits are cleared at once."""
        if not self._accepting():
            return
        if len(self._digits) < MIN_LENGTH:
            self._show_entry_hint()
            return
        pin = "".join(self._digits)
        self._digits.clear()
        self._render_dots()
        self._set_busy(True)
        self._say(self.tr("正在核对…"), "Checking…")
        call = self._worker.submit(self.store.verify, pin, expected=(OSError,))
        call.finished.connect(self._on_result)
        call.failed.connect(self._on_failed)

    def cancel(self) -> None:
        self.wipe()
        self.context.go_home()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A technician with a USB keyboard may type; the pad is the same path.
        text = event.text()
        if text.isascii() and text.isdigit() and len(text) == 1:
            self.add_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.delete_digit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    # -- results ------------------------------------------------------------------------------------

    def _on_result(self, value: object) -> None:
        self._set_busy(False)
        if not isinstance(value, VerifyResult):  # pragma: no cover - verify returns nothing else
            self._on_failed(TypeError(type(value).__name__))
            return
        if value.outcome is Outcome.ACCEPTED:
            self.wipe()
            self.context.navigate("setup", None)
        elif value.outcome is Outcome.WRONG:
            self._say(self.tr("PIN 不正确，还可再试 %1 次。").replace("%1", str(value.attempts_left)),
                      f"Wrong PIN. {value.attempts_left} more {'try' if value.attempts_left == 1 else 'tries'}"
                      " before the pad locks.")
        elif value.outcome is Outcome.LOCKED:
            self._lock(value.locked_for_s)
        else:
            self._show_not_set()

    def _on_failed(self, error: object) -> None:
        self._set_busy(False)
        if shown_as_bug(self, error, self.context, "setup: checking the technician PIN"):
            self._say("", "")
            return
        self._say(self.tr("无法核对 PIN（存储出错），请查看终端日志。"),
                  "The PIN could not be checked (storage error); see the terminal's log.")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_keys()

    def _update_keys(self) -> None:
        for key in self.keys.values():
            key.setEnabled(self._accepting())

    def _lock(self, seconds: float) -> None:
        self._digits.clear()
        self._render_dots()
        self._locked_until = self.monotonic() + seconds
        self._update_keys()
        self._show_locked(seconds)
        if self.isVisible():
            self.countdown.start()

    def tick(self) -> None:
        if self._locked_until is None:
            self.countdown.stop()
            return
        left = self._locked_until - self.monotonic()
        if left > 0:
            self._show_locked(left)
            return
        self.countdown.stop()
        self._locked_until = None
        self._update_keys()
        self._say(self.tr("可以再次输入 PIN。"), "You may enter the PIN again.")

    # -- navigator hooks ----------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        """Each opening starts empty and shows the pad's state: two tiny file reads, no hashing."""
        del payload
        self.wipe()
        self._locked_until = None
        self._not_set = False
        if not self.store.is_set():
            self._show_not_set()
        else:
            left = self.store.locked_for()
            if left > 0:
                self._lock(left)
            else:
                self._show_entry_hint()
        self._update_keys()
        self.setFocus()

    def wipe(self) -> None:
        """Drops every typed digit (session end, cancel, success)."""
        self._digits.clear()
        self._render_dots()

    def showEvent(self, event: QShowEvent) -> None:
        if self._locked_until is not None:
            self.tick()
            if self._locked_until is not None:
                self.countdown.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Nothing ticks or waits behind another screen; a check in hand finishes, its result is dropped.
        self.countdown.stop()
        self.wipe()
        self._stop_worker()
        super().hideEvent(event)

    def _stop_worker(self) -> None:
        self._worker.stop()
        if self._busy:
            self._set_busy(False)
            self._show_entry_hint()
