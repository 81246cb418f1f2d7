"""Every setup page, in normal and elder mode, fits the terminal's 1280×800 screen: the main window
neither grows past 800 px nor asks for more (its minimum size hint), also with the export panels and
the on-screen keyboard open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.runtime import KioskRuntime
from kiosk.technician.pin import TechnicianPin
from tests.demo_runtime import MakeRuntime
from tests.ui.journeys.checks import widget_problems
from tests.ui.portrait import settle, to_portrait
from ui.app import create_main_window
from ui.main_window import MainWindow

WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def runtime(make_runtime: MakeRuntime) -> KioskRuntime:
    opened = make_runtime()
    outbox = opened.cache.outbox
    for code in ("330100-SHENGYU-01", "330100-JUZHU-02"):
        item = outbox.add_submission(code, {"copies": 1}, {})
        outbox.mark_sending(item.uuid)
        outbox.mark_rejected(item.uuid, "材料不全：缺少出生医学证明 / missing attachment: birth certificate")
    return opened


@pytest.fixture
def window(qtbot: QtBot, runtime: KioskRuntime, tmp_path: Path) -> Iterator[MainWindow]:
    TechnicianPin(tmp_path).set_pin("480713")
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(WIDTH, HEIGHT)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if "setup" in w.screens:
        setup: Any = w.screens["setup"]
        setup.shutdown()


def _page(window: MainWindow, key: str) -> Any:
    if window.current_screen() is not window.screen_named("setup"):
        window.navigate("setup", key)
    setup: Any = window.current_screen()
    setup.show_page(key)
    return setup.pages[key]


def _sync_export(window: MainWindow) -> None:
    _page(window, "sync").export_toggle.setChecked(True)


def _logs_export(window: MainWindow) -> None:
    page = _page(window, "logs")
    page.chooser.keyboard_button.setChecked(True)
    page.chooser.path_field.setText("/media/kiosk/KINGSTON")


def _logs_digits(window: MainWindow) -> None:
    _logs_export(window)
    _page(window, "logs").chooser.keyboard.set_layout("digits")


STATES: dict[str, Callable[[MainWindow], None]] = {
    "pin": lambda w: w.navigate("setup_pin"),
    "devices": lambda w: _page(w, "devices"),
    "terminal": lambda w: _page(w, "terminal"),
    "sync": lambda w: _page(w, "sync"),
    "sync-export": _sync_export,
    "logs": lambda w: _page(w, "logs"),
    "logs-export-keyboard": _logs_export,
    "logs-export-digits": _logs_digits,
}


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("state", list(STATES))
def test_the_page_fits_the_screen(qtbot: QtBot, window: MainWindow, state: str, elder: bool) -> None:
    window.set_elder_mode(elder)
    STATES[state](window)
    window.resize(WIDTH, HEIGHT)
    QApplication.processEvents()
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= HEIGHT
    assert window.minimumSizeHint().width() <= WIDTH
    assert (window.width(), window.height()) == (WIDTH, HEIGHT)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_log_view_shows_several_lines(qtbot: QtBot, window: MainWindow, elder: bool) -> None:
    window.set_elder_mode(elder)
    page = _page(window, "logs")
    window.resize(WIDTH, HEIGHT)
    QApplication.processEvents()
    assert page.view.viewport().height() >= 4 * page.view.fontMetrics().lineSpacing()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_sync_export_panel_is_scrolled_into_view(qtbot: QtBot, window: MainWindow, elder: bool) -> None:
    window.set_elder_mode(elder)
    page = _page(window, "sync")
    window.resize(WIDTH, HEIGHT)
    QApplication.processEvents()
    page.export_toggle.setChecked(True)

    def button_in_view() -> bool:
        viewport = page.scroll_area.viewport()
        top = page.export_button.mapTo(viewport, page.export_button.rect().topLeft()).y()
        return top >= 0 and top + page.export_button.height() <= viewport.height()

    qtbot.waitUntil(button_in_view)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_portrait_screen_the_device_roles_keep_their_names_whole(
        qtbot: QtBot, window: MainWindow, elder: bool) -> None:
    """Three to a row on a 1080-px portrait screen, 社保卡 Citizen card and the others were cut in elder type
    (found by tests/ui/test_journeys.py)."""
    to_portrait(window, elder=elder)
    _page(window, "devices")
    settle()
    assert widget_problems(window) == []
