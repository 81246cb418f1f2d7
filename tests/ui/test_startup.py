"""After the home screen paints: READY=1 and watchdog pings to systemd; the self-test's verdict."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.cli import main as cli
from kiosk.cli.launch import LaunchOptions
from kiosk.runtime import KioskRuntime
from kiosk.watchdog import Notifier
from ui import startup
from ui.app import create_main_window


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def _received(server: socket.socket, into: list[bytes]) -> list[bytes]:
    while True:
        try:
            into.append(server.recv(4096))
        except BlockingIOError:
            return into


def test_ready_after_the_home_screen_paints_then_watchdog_pings(
    runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, systemd: socket.socket
) -> None:
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    # WatchdogSec of 2 ms: pings every millisecond, so the test does not wait long for a few.
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "2000"})
    started = startup.Startup(window, notifier)
    messages: list[bytes] = []
    try:
        assert _received(systemd, messages) == []  # nothing before the first paint
        window.show()
        qtbot.waitUntil(lambda: _received(systemd, messages).count(b"WATCHDOG=1") >= 2)
        assert messages[0].startswith(b"READY=1")
        assert started.painted
    finally:
        started.stop()
    assert _received(systemd, messages)[-1] == b"STOPPING=1"
    assert not started.watchdog.isActive()


def test_without_systemd_no_watchdog_timer_runs(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> None:
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    started = startup.Startup(window, Notifier({}))
    window.show()
    qtbot.waitUntil(lambda: started.painted)
    assert not started.watchdog.isActive()
    started.stop()


def _demo_self_test(tmp_path: Path) -> int:
    code = cli.main(["--data-dir", str(tmp_path / "data"), "demo", "--self-test"])
    QCoreApplication.removePostedEvents(None, QEvent.Type.Quit)
    return code


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_self_test_passes_and_says_so(
    qapp: QApplication, tmp_path: Path, restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _demo_self_test(tmp_path) == 0
    assert "self-test: ok" in capsys.readouterr().out


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_self_test_fails_on_a_missing_file(
    qapp: QApplication, tmp_path: Path, restore_logging: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(startup, "self_test_checks", lambda: ["no form templates found"])
    assert _demo_self_test(tmp_path) == 1
    assert "self-test: FAILED: no form templates found" in capsys.readouterr().err


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_self_test_fails_on_a_logged_error(
    qapp: QApplication, tmp_path: Path, restore_logging: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, expected_logs: Any,
) -> None:
    expected_logs("kiosk.selftest.probe", "broken on purpose")

    def checks() -> list[str]:
        logging.getLogger("kiosk.selftest.probe").error("broken on purpose")
        return []

    monkeypatch.setattr(startup, "self_test_checks", checks)
    assert _demo_self_test(tmp_path) == 1
    assert "logged an error: kiosk.selftest.probe: broken on purpose" in capsys.readouterr().err


def test_the_real_checks_find_screens_font_and_templates() -> None:
    assert startup.self_test_checks() == []
