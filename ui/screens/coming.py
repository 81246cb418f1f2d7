"""Shown for a service whose screens are not built yet: says so plainly and leads back home."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import current_language
from ui.screens.home import SERVICES


class ComingSoonScreen(QWidget):
    home_requested = Signal()
    prompt = "本终端暂未开通此项服务，请到窗口办理或咨询工作人员。"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coming_soon_screen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(24)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("coming_soon_title")
        self.title_label.setProperty("role", "title")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._service = ""  # Chinese source of the title, so it can be shown again in a new language
        message = QLabel(self.tr("本终端暂未开通此项服务，请到窗口办理或咨询工作人员。"), self)
        self.message_label = message
        message.setObjectName("coming_soon_message")
        message.setProperty("role", "body")
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        english = QLabel("This service is not available on this terminal yet. Please ask at the counter.", self)
        english.setProperty("role", "subtitle")
        english.setWordWrap(True)
        english.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.english_label = english
        back = QPushButton(self.tr("返回首页 Home"), self)
        self.home_button = back
        back.setObjectName("coming_soon_home_button")
        back.clicked.connect(self.home_requested)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(message)
        layout.addWidget(english)
        layout.addSpacing(24)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_service(self, title: str) -> None:
        # The caller may pass a tile title already translated; keep its Chinese source when we know it.
        self._service = next(
            (e.title for e in SERVICES if title in (e.title, QCoreApplication.translate("HomeScreen", e.title))),
            title,
        )
        self.title_label.setText(QCoreApplication.translate("HomeScreen", self._service))

    def retranslate(self) -> None:
        self.message_label.setText(self.tr("本终端暂未开通此项服务，请到窗口办理或咨询工作人员。"))
        self.home_button.setText(self.tr("返回首页 Home"))
        # In English the message above already says this.
        self.english_label.setVisible(current_language() == "zh_CN")
        if self._service:
            self.title_label.setText(QCoreApplication.translate("HomeScreen", self._service))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
