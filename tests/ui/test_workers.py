"""DeviceWorker runs blocking calls off the GUI thread and reports back on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from ui.workers import DeviceWorker, LazyWorker


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


def test_exceptions_come_back_as_failed(qtbot: QtBot, worker: DeviceWorker) -> None:
    def boom() -> None:
        raise ValueError("reader says no")

    call = worker.submit(boom)
    with qtbot.waitSignal(call.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)


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
