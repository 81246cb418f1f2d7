"""The attract screen after long idle: large, calm, and a touch anywhere starts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.config import Language
from ui.context import AppContext
from ui.i18n import current_language


class AttractScreen(QWidget):
    """No buttons to find: the whole surface is the button. The session controller sees the touch too."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract_screen")
        self.context = context
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 64, 64, 64)
        layout.setSpacing(28)
        self.welcome = QLabel(self)
        self.welcome.setObjectName("attract_welcome")
        self.welcome.setProperty("role", "title")
        self.station = QLabel(context.config.terminal.station, self)
        self.station.setObjectName("attract_station")
        self.station.setProperty("role", "body")
        self.touch_hint = QLabel(self)
        self.touch_hint.setObjectName("attract_touch_hint")
        self.touch_hint.setProperty("role", "attract_hint")
        self.english = QLabel("Touch the screen to start", self)
        self.english.setProperty("role", "subtitle")
        for label in (self.welcome, self.station, self.touch_hint, self.english):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addStretch(2)
        layout.addWidget(self.welcome)
        layout.addWidget(self.station)
        layout.addStretch(1)
        layout.addWidget(self.touch_hint)
        layout.addWidget(self.english)
        layout.addStretch(2)
        self.retranslate()

    prompt = "欢迎使用政务服务自助终端，请轻触屏幕开始。"

    def retranslate(self) -> None:
        self.welcome.setText(self.tr("欢迎使用政务服务自助终端"))
        self.touch_hint.setText(self.tr("请轻触屏幕任意位置开始"))
        self.english.setVisible(current_language() is Language.ZH_CN)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.context.go_home()
