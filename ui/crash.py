"""The screen layer's part of the crash handling (kiosk/crash.py has the rest).

- Qt's own messages (a failed style sheet, a platform plugin problem, a fatal error just before Qt
  aborts) go to the kiosk log instead of a stderr nobody reads on a terminal: warnings as warnings,
  criticals as errors, fatals as critical; debug and info stay at debug.
- Under `kiosk run` an uncaught exception on the GUI thread ends the event loop with `EXIT_BUG`, after
  telling systemd why, so the unit starts a fresh process. PySide6 reports an exception raised in a
  slot through `sys.excepthook` and carries on; carrying on with a screen whose state a bug left half
  changed is how the next resident gets to see the last one's data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)

from kiosk.crash import EXIT_BUG
from kiosk.watchdog import Notifier

log = logging.getLogger("kiosk.ui.crash")
qt_log = logging.getLogger("kiosk.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.DEBUG,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's message handler: one log record per message, through the same scrubber as everything else."""
    category = context.category or "default"
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_log.log(_LEVELS.get(mode, logging.WARNING), "%s: %s%s", category, message, where)


@contextmanager
def qt_messages_logged() -> Iterator[None]:
    """Routes Qt's messages to the log while the block runs; the previous handler is back after it."""
    previous = qInstallMessageHandler(qt_message)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


class BugExit(QObject):
    """Called by kiosk.crash after an uncaught exception has been logged: says so to systemd and ends
    the event loop with EXIT_BUG. Safe from any thread: a queued signal brings it to the GUI thread."""

    _bug = Signal(str)

    def __init__(self, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bug_exit")
        self.notifier = notifier
        self.exiting = False
        self._bug.connect(self._exit)

    def __call__(self, exc: BaseException) -> None:
        self._bug.emit(type(exc).__name__)

    @Slot(str)
    def _exit(self, kind: str) -> None:
        if self.exiting:
            return  # a second bug while the loop winds down changes nothing
        self.exiting = True
        log.critical("quitting with exit code %d after an uncaught %s; systemd starts the kiosk again",
                     EXIT_BUG, kind)
        self.notifier.notify("STOPPING=1", f"STATUS=restarting after an internal error ({kind})")
        QCoreApplication.exit(EXIT_BUG)
