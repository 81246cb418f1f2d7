"""The navigator builds registered screens on first use, hands them their payload, and wipes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.screens import registry


class EchoScreen(QLabel):
    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("echo_screen")
        self.context = context

    def enter(self, payload: Any) -> None:
        self.setText(f"resident {payload}")

    def wipe(self) -> None:
        self.clear()


@pytest.fixture
def echo_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # setitem: the real "rating" screen is registered too, and comes back afterwards.
    monkeypatch.setitem(registry.SCREENS, "echo", EchoScreen)
    monkeypatch.setitem(registry.SCREENS, "rating", EchoScreen)


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    return w


def test_navigate_builds_once_and_hands_over_the_payload(window: MainWindow, echo_registered: None) -> None:
    window.navigate("echo", "张三")
    screen = window.current_screen()
    assert isinstance(screen, EchoScreen)
    assert screen.text() == "resident 张三"
    window.navigate("home")
    window.context.navigate("echo", "李四")
    assert window.current_screen() is screen
    assert screen.text() == "resident 李四"


def test_wipe_clears_every_screen_and_goes_home(window: MainWindow, echo_registered: None) -> None:
    window.navigate("echo", "张三")
    window.wipe_screens()
    assert window.current_screen() is window.home
    assert "张三" not in window.screens["echo"].text()  # type: ignore[attr-defined]


def test_tiles_open_registered_screens(
    window: MainWindow, echo_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(registry.SCREENS, "progress")
    window.open_service("rating")
    assert isinstance(window.current_screen(), EchoScreen)
    window.open_service("progress")
    assert window.current_screen() is window.coming_soon


def test_unknown_screen_is_logged_and_leads_home(window: MainWindow, expected_logs: Any) -> None:
    expected_logs("kiosk.ui", "unknown screen 'nowhere'")
    window.navigate("nowhere")
    assert window.current_screen() is window.home
