"""ui/crash.py: Qt's own messages reach the log; under `kiosk run` an uncaught exception on the GUI thread
ends the event loop with EXIT_BUG after telling systemd, and `kiosk demo` carries on."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMessageLogContext, QTimer, QtMsgType, qCritical, qDebug, qWarning
from PySide6.QtWidgets import QApplication

from kiosk import crash
from kiosk.cli import main as cli
from kiosk.watchdog import Notifier
from ui.crash import BugExit, qt_message, qt_messages_logged

ID = "330106199001010014"


@pytest.fixture
def notifier(tmp_path: Path, systemd: socket.socket) -> Iterator[Notifier]:
    sender = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify")})
    yield sender
    sender.close()


def _with_guard(run: Callable[[], int], *steps: tuple[int, Callable[[], object]]) -> int:
    """Runs `run` (which runs the event loop) with `steps` (delay in ms, callable) queued, and a guard
    that ends a loop still running after 20 s with 99. Timers not fired yet are stopped after, so none
    can end the loop of a later test."""
    timers: list[QTimer] = []
    for delay, step in (*steps, (20_000, lambda: QCoreApplication.exit(99))):
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(step)
        timer.start(delay)
        timers.append(timer)
    try:
        return run()
    finally:
        for timer in timers:
            timer.stop()


def test_qt_messages_go_to_the_log_at_their_level(
    qapp: QApplication, caplog: pytest.LogCaptureFixture, expected_logs: Any, qtlog: Any
) -> None:
    expected_logs("kiosk.qt", "a style sheet did not parse")
    expected_logs("kiosk.qt", "the platform plugin is broken")
    caplog.set_level(logging.DEBUG, "kiosk.qt")
    with qt_messages_logged():
        qDebug("painting the home screen")
        qWarning("a style sheet did not parse")
        qCritical(f"the platform plugin is broken for {ID}")
    qDebug("after the block: the previous handler's again")
    seen = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "kiosk.qt"]
    assert seen == [
        (logging.DEBUG, "default: painting the home screen"),
        (logging.WARNING, "default: a style sheet did not parse"),
        (logging.ERROR, "default: the platform plugin is broken for 330106********0014"),
    ]
    # pytest-qt's handler, the one in place before the block, has only the message sent after it.
    assert [r.message for r in qtlog.records] == ["after the block: the previous handler's again"]


@pytest.mark.parametrize(("mode", "level"), [
    (QtMsgType.QtInfoMsg, logging.DEBUG),
    (QtMsgType.QtFatalMsg, logging.CRITICAL),  # Qt aborts right after the handler: it cannot be sent for real
])
def test_qt_info_is_debug_and_fatal_is_critical(
    mode: QtMsgType, level: int, caplog: pytest.LogCaptureFixture, expected_logs: Any
) -> None:
    expected_logs("kiosk.qt", "last words")
    caplog.set_level(logging.DEBUG, "kiosk.qt")
    qt_message(mode, QMessageLogContext(), "last words")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(level, "default: last words")]


def _paint_tile() -> None:
    raise ZeroDivisionError(f"tile width for {ID}")


@pytest.mark.qt_no_exception_capture
def test_under_run_a_bug_in_a_slot_quits_with_exit_bug_and_tells_systemd(
    qapp: QApplication, crash_hooks: None, kiosk_log: Path, expected_logs: Any,
    systemd: socket.socket, notifier: Notifier,
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: ZeroDivisionError")
    expected_logs("kiosk.ui.crash", "quitting with exit code 70")
    bug_exit = BugExit(notifier)
    with crash.on_uncaught(bug_exit):
        code = _with_guard(qapp.exec, (0, _paint_tile))
    assert code == crash.EXIT_BUG == 70
    assert bug_exit.exiting
    message = systemd.recv(4096).decode()
    assert message == "STOPPING=1\nSTATUS=restarting after an internal error (ZeroDivisionError)"
    text = kiosk_log.read_text(encoding="utf-8")
    assert "_paint_tile" in text
    assert "ZeroDivisionError: tile width for 330106********0014" in text
    assert ID not in text


@pytest.mark.qt_no_exception_capture
def test_a_second_bug_while_quitting_changes_nothing(
    qapp: QApplication, crash_hooks: None, expected_logs: Any, systemd: socket.socket, notifier: Notifier,
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: ZeroDivisionError")
    expected_logs("kiosk.ui.crash", "quitting with exit code 70")
    with crash.on_uncaught(BugExit(notifier)):
        code = _with_guard(qapp.exec, (0, _paint_tile), (0, _paint_tile))
    assert code == crash.EXIT_BUG
    systemd.recv(4096)
    with pytest.raises(BlockingIOError):
        systemd.recv(4096)


@pytest.mark.qt_no_exception_capture
def test_under_demo_a_bug_in_a_slot_is_logged_and_the_kiosk_carries_on(
    qapp: QApplication, crash_hooks: None, kiosk_log: Path, expected_logs: Any,
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: ZeroDivisionError")
    after: list[bool] = []
    code = _with_guard(qapp.exec, (0, _paint_tile), (50, lambda: after.append(True)),
                       (60, lambda: QCoreApplication.exit(0)))
    assert code == 0
    assert after == [True]
    assert "_paint_tile" in kiosk_log.read_text(encoding="utf-8")


def _kiosk(argv: list[str], tmp_path: Path, *steps: tuple[int, Callable[[], object]]) -> int:
    config = tmp_path / "kiosk.toml"
    config.write_text("".join(f'[devices.{kind}]\nbackend = "simulated"\n'
                              for kind in ("idcard", "citizencard", "printer", "camera", "scanner")),
                      encoding="utf-8")
    code = _with_guard(lambda: cli.main(["--config", str(config), "--data-dir", str(tmp_path), *argv]), *steps)
    # Closing the last window posts a Quit event; left pending it would end a later test's wait.
    QCoreApplication.removePostedEvents(None, QEvent.Type.Quit)
    return code


@pytest.mark.qt_no_exception_capture
@pytest.mark.usefixtures("qapp", "crash_hooks", "offscreen_qt_warnings")
@pytest.mark.parametrize(("command", "code"), [("run", crash.EXIT_BUG), ("demo", 0)])
def test_kiosk_run_quits_with_exit_bug_after_a_bug_on_the_gui_thread_and_demo_carries_on(
    tmp_path: Path, kiosk_log: Path, expected_logs: Any, command: str, code: int
) -> None:
    expected_logs("kiosk.crash", "uncaught exception: ZeroDivisionError")
    expected_logs("kiosk.ui.crash", "quitting with exit code 70")
    # Under demo the loop is still running half a second later and ends as a person would end it.
    assert _kiosk([command], tmp_path, (0, _paint_tile), (500, QCoreApplication.quit)) == code
    assert "_paint_tile" in kiosk_log.read_text(encoding="utf-8")
