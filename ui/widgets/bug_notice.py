"""What a resident sees when a worker call hit a bug: 出错了，请联系工作人员, and the call-for-help button.

Every screen's failure handler starts with `shown_as_bug(...)`. A `ui.workers.Bug` (the worker has logged
its traceback already) covers the screen, or the part of it the handler names, with this notice: no
device or network is blamed for what is our mistake, and nothing half-done stays on show. Any other
failure is an expected, typed one: it is logged here by type and code (never its message, which may
name a file or carry what a resident typed) and the handler explains it as before.

The notice lies inside the screen, not in a window of its own (the elder-mode rules allow no pop-ups),
and goes away when the screen is left, so whoever comes next starts clean.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.crash import error_code
from ui.context import AppContext
from ui.workers import Bug

log = logging.getLogger("kiosk.ui.failure")


class BugNotice(QFrame):
    """Covers `host` whole until the resident asks for help, goes back, or `host` is hidden."""

    def __init__(self, host: QWidget, context: AppContext) -> None:
        super().__init__(host)
        self.setObjectName("bug_notice")
        self.host = host
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(24)
        self.text_label = QLabel(self)
        self.text_label.setObjectName("bug_notice_text")
        self.text_label.setProperty("role", "title")
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.help_button = QPushButton(self)
        self.help_button.setObjectName("bug_notice_help_button")
        self.help_button.clicked.connect(self.call_staff)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("bug_notice_back_button")
        self.back_button.setProperty("role", "secondary")
        self.back_button.clicked.connect(self.dismiss)
        layout.addStretch(1)
        layout.addWidget(self.text_label)
        layout.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()
        host.installEventFilter(self)
        self.setGeometry(host.rect())

    def retranslate(self) -> None:
        self.text_label.setText(self.tr("出错了，请联系工作人员\nSomething went wrong, please ask staff"))
        self.help_button.setText(self.tr("呼叫工作人员 Call staff"))
        self.help_button.setAccessibleName("呼叫工作人员 Call staff")
        self.back_button.setText(self.tr("返回 Back"))
        self.back_button.setAccessibleName("返回 Back")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host:
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(self.host.rect())
            elif event.type() == QEvent.Type.Hide:
                self.dismiss()
        return False

    def call_staff(self) -> None:
        # Gone first: when the host is the help screen itself, navigating there does not hide it.
        self.dismiss()
        self.context.navigate("help", None)

    def dismiss(self) -> None:
        self.host.removeEventFilter(self)
        self.hide()
        self.deleteLater()


def show_bug_notice(host: QWidget, context: AppContext) -> BugNotice | None:
    """Covers `host` with the notice (one at a time: a second bug on the same screen reuses it). Not on
    a hidden host: the resident has left, and the next one must not find it there on arrival."""
    if not host.isVisible():
        return None
    notice = next((n for n in host.findChildren(BugNotice, options=Qt.FindChildOption.FindDirectChildrenOnly)
                   if n.isVisibleTo(host)), None)
    if notice is None:
        notice = BugNotice(host, context)
    notice.raise_()
    notice.show()
    return notice


def shown_as_bug(host: QWidget, failure: object, context: AppContext, what: str) -> bool:
    """For a failure handler: True when `failure` is a Bug, now shown over `host`; False for an expected
    failure, logged here by type and code, for the caller to explain in its own words."""
    if isinstance(failure, Bug):
        show_bug_notice(host, context)
        return True
    code = error_code(failure) if isinstance(failure, BaseException) else ""
    log.info("%s failed: %s%s", what, type(failure).__name__, f" ({code})" if code else "")
    return False
