"""Test hygiene for the whole suite.

- Qt runs on the offscreen platform unless a test is marked `xvfb` and a DISPLAY exists.
- Any log record at WARNING or above fails the test unless the test declared it with `expected_logs`.
- A QThread still running or a QTimer still active after a Qt test fails the test (napari's idea).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before the first QApplication exists; without a display Qt aborts the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The real user's config and data must never be touched by tests.
os.environ.setdefault("XDG_DATA_HOME", "/nonexistent-kiosk-test-data")

from kiosk.logsetup import install_record_scrubber

install_record_scrubber()

# The kiosk runtime every screen test builds, as `kiosk demo` builds it (make_runtime, runtime).
pytest_plugins = ["tests.demo_runtime"]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class ExpectedLogs:
    """Patterns of WARNING+ messages a test expects; each must match at least one record."""

    def __init__(self) -> None:
        self.patterns: list[tuple[str, re.Pattern[str]]] = []

    def __call__(self, logger: str, pattern: str) -> None:
        self.patterns.append((logger, re.compile(pattern)))

    def allows(self, record: logging.LogRecord) -> bool:
        return any(
            record.name.startswith(logger) and rx.search(record.getMessage()) for logger, rx in self.patterns
        )


@pytest.fixture
def expected_logs() -> ExpectedLogs:
    return ExpectedLogs()


@pytest.fixture
def kiosk_log(tmp_path: Path) -> Iterator[Path]:
    """The kiosk's own log file, set up as `kiosk run` does it (kiosk/logsetup.py); gone after the test."""
    from kiosk import logsetup

    root = logging.getLogger()
    level = root.level
    logsetup.setup_logging(tmp_path / "logs", level="DEBUG", stderr=False)
    try:
        yield tmp_path / "logs" / "kiosk.log"
    finally:
        for handler in logsetup._handlers:
            root.removeHandler(handler)
            handler.close()
        logsetup._handlers.clear()
        root.setLevel(level)


@pytest.fixture
def crash_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """kiosk.crash's hooks for the test; the interpreter's own are back after it."""
    import sys
    import threading

    from kiosk import crash

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install()


@pytest.fixture(autouse=True)
def _fail_on_unexpected_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    # Taken before the test runs: the same instance the test gets if it asks for `expected_logs`, and
    # still ours to read after the test's own fixtures are torn down.
    expected: ExpectedLogs = request.getfixturevalue("expected_logs")
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    unexpected = [r for r in collector.records if not expected.allows(r)]
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected log records at WARNING or above:\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_dangling_qt_objects(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tracks QThreads and QTimers started during a Qt test and fails if any outlives it."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer

    # Requested here, before the test's own qtbot, so this teardown runs after qtbot closed its widgets.
    request.getfixturevalue("qapp")
    threads: list[QThread] = []
    timers: list[QTimer] = []
    original_thread_start = QThread.start
    original_timer_start = QTimer.start

    def thread_start(self: QThread, *args: object) -> None:
        threads.append(self)
        original_thread_start(self, *args)  # type: ignore[arg-type]

    def timer_start(self: QTimer, *args: object) -> None:
        timers.append(self)
        original_timer_start(self, *args)  # type: ignore[arg-type]

    QThread.start = thread_start  # type: ignore[method-assign]
    QTimer.start = timer_start  # type: ignore[method-assign]
    try:
        yield
    finally:
        QThread.start = original_thread_start  # type: ignore[method-assign]
        QTimer.start = original_timer_start  # type: ignore[method-assign]
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leaks = [f"QThread {t.objectName() or t!r} still running" for t in threads
             if shiboken6.isValid(t) and t.isRunning()]
    leaks += [f"QTimer {t.objectName() or t!r} (parent {t.parent()!r}) still active" for t in timers
              if shiboken6.isValid(t) and t.isActive()]
    for t in threads:
        if shiboken6.isValid(t) and t.isRunning():
            t.quit()
            t.wait(2000)
    if leaks:
        pytest.fail("Qt objects outlived the test:\n" + "\n".join(leaks), pytrace=False)
