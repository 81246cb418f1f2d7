"""The call-for-help button: on every screen, shows where staff are, and the request reaches the heartbeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.platform.client import PlatformClient
from kiosk.platform.sync import SyncEngine
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window


def test_help_button_says_where_staff_are_and_records_a_request_the_next_heartbeat_carries(
    runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, expected_logs: Any,
) -> None:
    config = runtime.config
    window = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.open_service("rating")  # any screen: the strip, and its button, are on all of them
    before = window.current_screen()

    qtbot.mouseClick(window.status_strip.help_button, Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert screen is not None
    assert screen.objectName() == "help_screen"
    phone = screen.findChild(QLabel, "help_phone")
    assert phone is not None
    assert "服务窗口" in phone.text()
    state = screen.findChild(QLabel, "help_state")
    assert state is not None
    qtbot.waitUntil(lambda: "已通知工作人员" in state.text(), timeout=5000)
    assert runtime.help_requests.pending() == 1
    qtbot.mouseClick(window.status_strip.help_button, Qt.MouseButton.LeftButton)  # twice: stays put
    assert window.current_screen() is screen

    back = screen.findChild(type(window.status_strip.help_button), "help_back_button")
    assert back is not None
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.current_screen() is before

    # The next heartbeat carries the request (queued even while the platform is unreachable).
    client = PlatformClient("http://127.0.0.1:9", config.terminal.id, "token", timeout=(0.5, 0.5))
    engine = SyncEngine(runtime.cache, client, config.sync, devices=runtime.devices.statuses,
                        help_requests=runtime.help_requests.take)
    engine.run_round()
    engine.stop()
    heartbeat = runtime.cache.outbox.get(runtime.cache.sync_state.get("engine.last_heartbeat_uuid"))
    assert heartbeat.kind == "heartbeat"
    body = heartbeat.fields or {}
    assert body["help_requests"] == 1
    assert body["devices"]["printer"]["state"] == "unknown"
    assert runtime.help_requests.pending() == 0
    window.close()

