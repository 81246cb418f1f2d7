"""What follows the home screen's first paint: READY=1 and watchdog pings to systemd, and the self-test.

systemd counts the kiosk as started when the home screen has painted, not when the process exists: a
kiosk stuck before its first frame is a failed start. From then on a timer on the GUI thread pings the
watchdog, so a hung GUI thread stops the pings and systemd restarts the kiosk (packaging/kiosk.service).

`kiosk demo --self-test` (and `run --self-test`) checks a build end to end: the process starts, the
home screen paints, every screen module and the data files a bundle must carry are found, and the
process exits 0; any failure, an ERROR logged on the way, or no paint within the time limit exits 1.
CI runs it against the PyInstaller bundle (scripts/ci_bundle.sh).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.watchdog import Notifier
from ui.main_window import MainWindow

log = logging.getLogger("kiosk.ui.startup")

EXIT_SELF_TEST_FAILED = 1
SELF_TEST_LIMIT_S = 60.0


class _FirstPaint(QObject):
    """Calls back once, just after `widget` has painted for the first time."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # After this paint event has been handled, so the frame is complete when we say so.
            QTimer.singleShot(0, self._callback)
        return False


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def self_test_checks() -> list[str]:
    """What a bundle must carry beyond the home screen; returns the problems found (none = pass).

    Screens are imported by name only when a resident opens them, and data files are read only when
    used, so a bundle missing one starts fine and fails later in front of a resident. Look now.
    """
    problems: list[str] = []
    import ui.screens

    for module in pkgutil.iter_modules(ui.screens.__path__, "ui.screens."):
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # noqa: BLE001 - any failure to import is the finding
            problems.append(f"screen module {module.name}: {exc!r}")
    from kiosk.forms.fonts import FontMissing, find_font
    from kiosk.forms.template import bundled_templates

    try:
        find_font()
    except FontMissing as exc:
        problems.append(str(exc))
    try:
        if not bundled_templates():
            problems.append("no form templates found")
    except Exception as exc:  # noqa: BLE001 - a template that does not load is the finding
        problems.append(f"form templates: {exc!r}")
    return problems


class Startup(QObject):
    """Owns the systemd notifier and the watchdog timer for one window; stop() before the window goes."""

    def __init__(self, window: MainWindow, notifier: Notifier, *, self_test: bool = False,
                 checks: Callable[[], list[str]] | None = None) -> None:
        super().__init__(window)
        self.setObjectName("startup")
        self.window = window
        self.notifier = notifier
        self.painted = False
        self._started_at = time.monotonic()
        self._checks = checks
        self._self_test = self_test
        self._problems: list[str] = []
        self._errors: _ErrorCounter | None = None
        self.watchdog = QTimer(self)
        self.watchdog.setObjectName("watchdog_timer")
        self.watchdog.timeout.connect(notifier.ping)
        self._limit = QTimer(self)
        self._limit.setObjectName("self_test_limit")
        self._limit.setSingleShot(True)
        self._limit.timeout.connect(self._too_slow)
        if self_test:
            self._errors = _ErrorCounter()
            logging.getLogger().addHandler(self._errors)
            self._limit.start(int(SELF_TEST_LIMIT_S * 1000))
        home = window.current_screen() or window
        _FirstPaint(home, self._on_painted)

    def _on_painted(self) -> None:
        self.painted = True
        elapsed_ms = (time.monotonic() - self._started_at) * 1000
        log.info("home screen shown %.0f ms after the window was built", elapsed_ms)
        self.notifier.ready("home screen shown")
        if self.notifier.interval_s is not None:
            self.watchdog.start(max(1, int(self.notifier.interval_s * 1000)))
        if self._self_test:
            self._limit.stop()
            # Looked up now, not at definition, so a test can replace the module's checks.
            self._problems += (self._checks or self_test_checks)()
            QCoreApplication.exit(EXIT_SELF_TEST_FAILED if self._problems else 0)

    def _too_slow(self) -> None:
        self._problems.append(f"the home screen did not paint within {SELF_TEST_LIMIT_S:.0f} s")
        QCoreApplication.exit(EXIT_SELF_TEST_FAILED)

    def stop(self) -> None:
        """The app is shutting down deliberately: stop pinging and tell systemd so."""
        self.watchdog.stop()
        self._limit.stop()
        self.notifier.stopping()
        self.notifier.close()

    def verdict(self, exit_code: int) -> int:
        """The self-test's exit code, given the event loop's; prints one line saying why."""
        if self._errors is not None:
            logging.getLogger().removeHandler(self._errors)
            self._problems += [f"logged an error: {m}" for m in self._errors.messages]
        if not self.painted and not self._problems:
            self._problems.append("the event loop ended before the home screen painted")
        if exit_code == 0 and not self._problems:
            # The verdict is for whoever ran the self-test (CI, a technician), not for the log file.
            from kiosk.forms.fonts import find_font

            print(f"self-test: ok, home screen shown; print font {find_font()[0]}")  # noqa: T201
            return 0
        for problem in self._problems:
            print(f"self-test: FAILED: {problem}", file=sys.stderr)  # noqa: T201
        return exit_code or EXIT_SELF_TEST_FAILED
