"""The call-for-help button: on every screen, shows the station's phone (or the service window), says
honestly what becomes of the request, and the request reaches the heartbeat when there is a platform."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping
from kiosk.platform.client import PlatformClient
from kiosk.platform.sync import SyncEngine
from kiosk.runtime import KioskRuntime, demo_config
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow

PHONE = "0571-87654321"


def shown_window(qtbot: QtBot, runtime: KioskRuntime, tmp_path: Path) -> MainWindow:
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def press_help(qtbot: QtBot, window: MainWindow) -> tuple[QWidget, QLabel, QLabel]:
    qtbot.mouseClick(window.status_strip.help_button, Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert screen is not None
    assert screen.objectName() == "help_screen"
    phone = screen.findChild(QLabel, "help_phone")
    state = screen.findChild(QLabel, "help_state")
    assert phone is not None
    assert state is not None
    return screen, phone, state


def test_without_a_platform_help_says_staff_cannot_be_notified_and_where_to_go(
    runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path,
) -> None:
    window = shown_window(qtbot, runtime, tmp_path)  # kiosk demo: no platform, no phone configured
    window.open_service("rating")  # any screen: the strip, and its button, are on all of them
    before = window.current_screen()
    screen, phone, state = press_help(qtbot, window)
    assert "服务窗口" in phone.text()
    qtbot.waitUntil(lambda: "本机不能自动通知工作人员" in state.text(), timeout=5000)
    assert "已通知" not in state.text()
    assert runtime.help_requests.pending() == 0  # nobody would ever read it
    qtbot.mouseClick(window.status_strip.help_button, Qt.MouseButton.LeftButton)  # twice: stays put
    assert window.current_screen() is screen
    back = screen.findChild(type(window.status_strip.help_button), "help_back_button")
    assert back is not None
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.current_screen() is before
    window.close()


def test_offline_help_shows_the_phone_keeps_the_request_and_the_next_heartbeat_carries_it(
    make_runtime: MakeRuntime, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = make_runtime(demo_config(config_from_mapping({"terminal": {"help_phone": PHONE}})))
    config = runtime.config
    # A platform is configured but cannot be reached (nothing listens on port 9).
    client = PlatformClient("http://127.0.0.1:9", config.terminal.id, "token", timeout=(0.5, 0.5))
    engine = SyncEngine(runtime.cache, client, config.sync, devices=runtime.devices.statuses,
                        help_requests=runtime.help_requests.take)
    monkeypatch.setattr(runtime, "sync", engine)
    window = shown_window(qtbot, runtime, tmp_path)
    _screen, phone, state = press_help(qtbot, window)
    assert PHONE in phone.text()
    qtbot.waitUntil(lambda: "求助已保存在本机，联网后自动发给工作人员" in state.text(), timeout=5000)
    assert "已通知" not in state.text()
    assert "电话" in state.text()
    assert runtime.help_requests.pending() == 1

    engine.run_round()
    engine.stop()
    heartbeat = runtime.cache.outbox.get(runtime.cache.sync_state.get("engine.last_heartbeat_uuid"))
    assert heartbeat.kind == "heartbeat"
    body = runtime.cache.outbox.read_fields(heartbeat.uuid)
    assert body["help_requests"] == 1
    assert body["devices"]["printer"]["state"] == "unknown"
    assert runtime.help_requests.pending() == 0
    window.close()
