"""The call-for-help screen (呼叫工作人员): the station's phone number (or, with none configured, the
service window), and a help request recorded for the platform's next heartbeat.

Opened from the help button in the status strip on every screen; `enter(payload)` takes a callable
that returns the resident to where they were (the main window passes it), so asking for help never
throws away a half-filled form. Recording the request writes to the database, so it runs on a worker
thread. The screen says what is true (kiosk/platform/help_requests.py): staff get it within minutes
online, it is kept and sent when the link is back offline, and with no platform staff cannot be notified
from here; in every case the phone or the window is the quicker way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.platform.help_requests import HelpAnswer, ask_for_help, station_phone
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.texts import keep, keep_made, keep_other, pick, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.workers import LazyWorker


class HelpScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_screen")
        self.context = context
        self.help_requests = context.runtime.help_requests
        self._back: Callable[[], None] = context.go_home
        self._worker = LazyWorker("help", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(20)
        title = QLabel(self)
        keep(title, "HelpScreen", QT_TRANSLATE_NOOP("HelpScreen", "呼叫工作人员"))
        title.setObjectName("help_title")
        title.setProperty("role", "title")
        subtitle = QLabel(self)
        keep_other(subtitle, "呼叫工作人员", "Call for help")
        subtitle.setProperty("role", "subtitle")
        self.phone_label = QLabel(self)
        self.phone_label.setObjectName("help_phone")
        self.phone_label.setWordWrap(True)
        self.phone_en = phone_en = QLabel(self)
        phone_en.setObjectName("help_phone_en")
        phone_en.setProperty("role", "subtitle")
        phone_en.setWordWrap(True)
        phone_en.setProperty("otherLanguage", True)  # the other language's line
        self._show_phone()
        self.state_label = QLabel(self)
        self.state_label.setObjectName("help_state")
        self.state_label.setProperty("role", "body")
        self.state_label.setWordWrap(True)
        self.back_button = QPushButton(self)
        keep(self.back_button, "HelpScreen", QT_TRANSLATE_NOOP("HelpScreen", "返回 Back"))
        self.back_button.setObjectName("help_back_button")
        self.back_button.clicked.connect(self._go_back)
        for widget in (title, subtitle, self.phone_label, phone_en, self.state_label):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(24)
        layout.addWidget(self.phone_label)
        layout.addWidget(phone_en)
        layout.addSpacing(24)
        layout.addWidget(self.state_label)
        layout.addSpacing(24)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
            self._show_phone()
        super().changeEvent(event)

    def _show_phone(self) -> None:
        """From the config as it is now (the setup screen may have changed it)."""
        phone = station_phone(self.context.config)
        if phone:
            self.phone_label.setText(self.tr("工作人员电话：%1").replace("%1", phone))
            self.phone_en.setText(pick(f"Staff phone: {phone}", f"工作人员电话：{phone}"))
        else:
            self.phone_label.setText(self.tr("请到服务窗口找工作人员。"))
            self.phone_en.setText(pick("Please ask a member of staff at the service window.",
                                       "请到服务窗口找工作人员。"))
        self.phone_label.setProperty("role", "title" if phone else "body")
        self.phone_label.style().unpolish(self.phone_label)
        self.phone_label.style().polish(self.phone_label)

    def enter(self, payload: Any = None) -> None:
        self._back = payload if callable(payload) else self.context.go_home
        self._show_phone()
        keep_made(self.state_label, lambda: self.tr("正在发出求助…\nSending your request…"))
        sync = self.context.runtime.sync
        call = self._worker.submit(ask_for_help, self.help_requests, lambda: sync.status().network,
                                   self.context.config.sync.heartbeat_interval_s, sync.wake)
        call.finished.connect(self._on_recorded)
        call.failed.connect(self._on_failed)

    def _on_recorded(self, answer: object) -> None:
        self._stop_worker()
        if not isinstance(answer, HelpAnswer):
            return
        phone = bool(station_phone(self.context.config))
        # Sources, not translations: the line is made again in the other language on LanguageChange.
        if phone:
            then_zh = QT_TRANSLATE_NOOP("HelpScreen", "着急请拨打上面的电话，或到服务窗口。")
            then_en = "If it is urgent, call the number above or go to the service window."
        else:
            then_zh = QT_TRANSLATE_NOOP("HelpScreen", "着急请到服务窗口找工作人员。")
            then_en = "If it is urgent, go to the service window."
        if answer.outcome == "on_its_way":
            zh = QT_TRANSLATE_NOOP("HelpScreen", "求助已发出，工作人员约%1分钟内收到。")
            en = f"Your request is on its way: staff see it within about {answer.minutes} minutes."
        elif answer.outcome == "kept":
            zh = QT_TRANSLATE_NOOP("HelpScreen", "网络未连接：求助已保存在本机，联网后自动发给工作人员。")
            en = "No network: your request is kept here and reaches staff when the link is back."
        else:
            zh = QT_TRANSLATE_NOOP("HelpScreen", "本机不能自动通知工作人员。")
            en = "This terminal cannot notify staff by itself."
            # Without a phone the line above already sends the resident to the window: not said twice.
            then_zh = QT_TRANSLATE_NOOP("HelpScreen", "请拨打上面的电话，或到服务窗口。") if phone else ""
            then_en = "Please call the number above or go to the service window." if phone else ""
        minutes = str(answer.minutes)

        def line() -> str:
            first = QCoreApplication.translate("HelpScreen", zh).replace("%1", minutes)
            then = QCoreApplication.translate("HelpScreen", then_zh) if then_zh else ""
            # In English the translation alone: the English line would say the same again. English
            # sentences take a space between them, Chinese ones none.
            return bilingual(f"{first} {then}".rstrip() if first.isascii() else f"{first}{then}",
                             f"{en} {then_en}".rstrip(), "\n")

        keep_made(self.state_label, line)

    def _on_failed(self, error: object) -> None:
        self._stop_worker()
        # Either way the request was not recorded: the label says so under the notice too.
        keep_made(self.state_label,
                  lambda: self.tr("通知未能发出，请到服务窗口。\nCould not notify staff: please ask at the counter."))
        shown_as_bug(self, error, self.context, "help request")

    def _go_back(self) -> None:
        self._back()

    def _stop_worker(self) -> None:
        self._worker.stop()

    def hideEvent(self, event: QHideEvent) -> None:
        # A pending request still completes (shutdown lets the call in hand finish); no thread is left behind.
        self._stop_worker()
        super().hideEvent(event)

    def wipe(self) -> None:
        keep_made(self.state_label, None)
        self._back = self.context.go_home
