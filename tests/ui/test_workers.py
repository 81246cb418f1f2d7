"""DeviceWorker runs blocking calls off the GUI thread and reports back on it."""

from __future__ import annotations

import errno
import threading
from typing import Any

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from drivers.errors import DeviceTimeout
from ui.workers import Bug, DeviceWorker, LazyWorker


@pytest.fixture
def worker(qtbot: QtBot) -> DeviceWorker:
    w = DeviceWorker("test")
    yield w  # type: ignore[misc]
    w.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, worker: DeviceWorker) -> None:
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def blocking(x: int) -> int:
        seen["thread"] = threading.current_thread().name
        return x * 2

    call = worker.submit(blocking, 21)
    with qtbot.waitSignal(call.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen["thread"] != threading.main_thread().name
    assert QThread.currentThread() is gui


def test_expected_failures_come_back_as_themselves(
    qtbot: QtBot, worker: DeviceWorker, caplog: pytest.LogCaptureFixture
) -> None:
    def no_answer() -> None:
        raise DeviceTimeout("reader says no")

    def disk_full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    first = worker.submit(no_answer)
    with qtbot.waitSignal(first.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], DeviceTimeout)
    # An error type only the call's own screen explains is expected when the call says so.
    second = worker.submit(disk_full, expected=(OSError,))
    with qtbot.waitSignal(second.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], OSError)
    assert not [r for r in caplog.records if r.name == "kiosk.ui.workers"]


def test_a_bug_comes_back_as_a_bug_and_its_traceback_is_logged_once(
    qtbot: QtBot, worker: DeviceWorker, caplog: pytest.LogCaptureFixture, expected_logs: Any
) -> None:
    expected_logs("kiosk.ui.workers", "bug in the test worker")

    def halve_the_queue() -> float:
        return 1 / 0

    call = worker.submit(halve_the_queue)
    with qtbot.waitSignal(call.failed, timeout=5000) as blocker:
        pass
    failure = blocker.args[0]
    assert isinstance(failure, Bug)
    assert isinstance(failure.error, ZeroDivisionError)
    logged = [r for r in caplog.records if r.name == "kiosk.ui.workers"]
    assert len(logged) == 1
    assert logged[0].levelname == "ERROR"
    text = logged[0].getMessage()
    assert "Traceback" in text
    assert "halve_the_queue" in text
    assert "ZeroDivisionError" in text


def test_an_os_error_the_call_did_not_name_is_a_bug(
    qtbot: QtBot, worker: DeviceWorker, expected_logs: Any
) -> None:
    expected_logs("kiosk.ui.workers", "FileNotFoundError")

    def read_missing() -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file", "/opt/gov-kiosk/missing.toml")

    call = worker.submit(read_missing)
    with qtbot.waitSignal(call.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], Bug)


def test_gui_keeps_running_while_a_call_blocks(qtbot: QtBot, worker: DeviceWorker) -> None:
    release = threading.Event()
    call = worker.submit(release.wait, 10.0)
    # The GUI thread is free: it can process events and run other code while the call waits.
    qtbot.waitUntil(lambda: not call.done, timeout=1000)
    release.set()
    with qtbot.waitSignal(call.finished, timeout=5000):
        pass


def test_cancelled_call_reports_nothing(qtbot: QtBot, worker: DeviceWorker) -> None:
    release = threading.Event()
    first = worker.submit(release.wait, 10.0)
    second = worker.submit(lambda: "late")
    reported: list[object] = []
    second.finished.connect(reported.append)
    second.failed.connect(reported.append)
    second.cancel()
    release.set()
    qtbot.waitUntil(lambda: first.done and second.done, timeout=5000)
    assert reported == []


def test_lazy_worker_starts_on_first_call_and_again_after_stop(qtbot: QtBot) -> None:
    from PySide6.QtCore import QObject

    owner = QObject()
    lazy = LazyWorker("lazy", owner)
    assert not lazy.running
    threads: list[QThread] = []
    with qtbot.waitSignal(lazy.submit(lambda: threads.append(QThread.currentThread()) or 1).finished) as first:
        pass
    assert first.args == [1]
    assert lazy.running
    lazy.stop()
    assert not lazy.running
    with qtbot.waitSignal(lazy.submit(lambda: 2).finished) as second:
        pass
    assert second.args == [2]
    lazy.stop()
    assert threads[0] is not QThread.currentThread()
