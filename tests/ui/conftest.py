"""Fixtures for the screen tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.runtime import KioskRuntime
from tests.ui.screen_walk import close_window, make_window
from ui.main_window import MainWindow


@pytest.fixture
def offscreen_qt_warnings(expected_logs: Any) -> None:
    """For a test that starts the kiosk through `run_app`, which routes Qt's messages to the log: Qt's
    offscreen platform, which the suite runs on, warns on every window it shows that it cannot pass
    size hints on. A real display (xcb, eglfs) does not."""
    expected_logs("kiosk.qt", "This plugin does not support propagateSizeHints")


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[socket.socket]:
    """A stand-in for systemd's notify socket at tmp_path/notify: read what the kiosk sends it."""
    if len(str(tmp_path)) > 90:
        pytest.skip("tmp_path too long for an AF_UNIX socket path")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(tmp_path / "notify"))
    server.setblocking(False)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(params=[False, True], ids=["normal", "elder"])
def mode_window(request: pytest.FixtureRequest, runtime: KioskRuntime, qtbot: QtBot,
                tmp_path: Path) -> Iterator[MainWindow]:
    """The demo's main window at 1280×800, once in normal and once in elder mode."""
    window = make_window(runtime, qtbot, tmp_path, elder=request.param)
    yield window
    close_window(window)
