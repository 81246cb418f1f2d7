"""The call-for-help screen (呼叫工作人员): the station's phone number, and a help request recorded for
the platform's next heartbeat.

Opened from the help button in the status strip on every screen; `enter(payload)` takes a callable
that returns the resident to where they were (the main window passes it), so asking for help never
throws away a half-filled form. Recording the request writes to the database, so it runs on a worker
thread; the screen says when staff have been notified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.platform.help_requests import station_phone
from ui.context import AppContext
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
        title = QLabel(self.tr("呼叫工作人员"), self)
        title.setObjectName("help_title")
        title.setProperty("role", "title")
        subtitle = QLabel("Call for help", self)
        subtitle.setProperty("role", "subtitle")
        phone = station_phone(context.config)
        if phone:
            text = self.tr("工作人员电话：%1").replace("%1", phone)
            english = f"Staff phone: {phone}"
        else:
            text = self.tr("请到服务窗口找工作人员，或在此稍候。")
            english = "Please ask at the service counter, or wait here."
        self.phone_label = QLabel(text, self)
        self.phone_label.setObjectName("help_phone")
        self.phone_label.setProperty("role", "title" if phone else "body")
        self.phone_label.setWordWrap(True)
        phone_en = QLabel(english, self)
        phone_en.setProperty("role", "subtitle")
        phone_en.setWordWrap(True)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("help_state")
        self.state_label.setProperty("role", "body")
        self.state_label.setWordWrap(True)
        self.back_button = QPushButton(self.tr("返回 Back"), self)
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

    def enter(self, payload: Any = None) -> None:
        self._back = payload if callable(payload) else self.context.go_home
        self.state_label.setText(self.tr("正在通知工作人员…\nNotifying staff…"))
        call = self._worker.submit(self.help_requests.record)
        call.finished.connect(self._on_recorded)
        call.failed.connect(self._on_failed)

    def _on_recorded(self, _count: object) -> None:
        self.state_label.setText(self.tr("已通知工作人员，请稍候。\nStaff have been notified. Please wait."))
        self._stop_worker()

    def _on_failed(self, error: object) -> None:
        self._stop_worker()
        # Either way the request was not recorded: the label says so under the notice too.
        self.state_label.setText(
            self.tr("通知未能发出，请到服务窗口。\nCould not notify staff: please ask at the counter."))
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
        self.state_label.clear()
        self._back = self.context.go_home
