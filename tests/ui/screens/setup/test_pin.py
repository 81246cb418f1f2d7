"""The technician PIN pad: opened by five corner taps on the home screen, locked by five wrong PINs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.runtime import KioskRuntime
from kiosk.technician.audit import audit_log_for
from kiosk.technician.pin import FREE_FAILURES, TechnicianPin
from ui.app import create_main_window
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.screens.setup.pin import DOT, SetupPinScreen

PIN = "480713"
CORNER = QPoint(20, 20)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    TechnicianPin(tmp_path).set_pin(PIN)
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def navigated() -> list[tuple[str, Any]]:
    return []


@pytest.fixture
def pad(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, navigated: list[tuple[str, Any]]) -> SetupPinScreen:
    """The pad on its own, with a context that records navigation (the setup screen is built elsewhere)."""
    TechnicianPin(tmp_path).set_pin(PIN)
    context = AppContext(config=runtime.config, data_dir=tmp_path, runtime=runtime)
    context.navigate = lambda name, payload=None: navigated.append((name, payload))
    context.go_home = lambda: navigated.append(("home", None))
    screen = SetupPinScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.enter(None)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _key(screen: QWidget, name: str) -> QPushButton:
    button = screen.findChild(QPushButton, f"pin_key_{name}" if name.isdigit() else f"pin_{name}")
    assert button is not None, name
    return button


def _type(qtbot: QtBot, screen: QWidget, digits: str) -> None:
    for digit in digits:
        qtbot.mouseClick(_key(screen, digit), Qt.MouseButton.LeftButton)


def _try(qtbot: QtBot, screen: SetupPinScreen, pin: str, expect: str) -> None:
    _type(qtbot, screen, pin)
    qtbot.mouseClick(_key(screen, "ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: expect in screen.message.text(), timeout=5000)


def _tap_corner(qtbot: QtBot, window: MainWindow, times: int, clock: FakeClock, step: float = 0.2) -> None:
    for _ in range(times):
        qtbot.mouseClick(window.home, Qt.MouseButton.LeftButton, pos=CORNER)
        clock.now += step


def test_dots_show_how_many_digits_never_which(qtbot: QtBot, pad: SetupPinScreen) -> None:
    _type(qtbot, pad, "4807")
    assert pad.dots.text().count(DOT) == 4
    assert not any(d in pad.dots.text() for d in "0123456789")
    qtbot.mouseClick(_key(pad, "delete"), Qt.MouseButton.LeftButton)
    assert pad.dots.text().count(DOT) == 3
    pad.wipe()
    assert pad.dots.text().count(DOT) == 0


def test_right_pin_opens_setup(qtbot: QtBot, pad: SetupPinScreen, navigated: list[tuple[str, Any]],
                               tmp_path: Path) -> None:
    _type(qtbot, pad, PIN)
    qtbot.mouseClick(_key(pad, "ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(navigated), timeout=5000)
    assert navigated == [("setup", None)]
    assert pad.dots.text().count(DOT) == 0
    assert [e.action for e in audit_log_for(tmp_path).tail()][-1] == "pin.accepted"


def test_too_short_is_not_checked(qtbot: QtBot, pad: SetupPinScreen, tmp_path: Path) -> None:
    _type(qtbot, pad, "48071")
    qtbot.mouseClick(_key(pad, "ok"), Qt.MouseButton.LeftButton)
    assert "6 到 12 位" in pad.message.text()
    assert TechnicianPin(tmp_path).attempts_left() == FREE_FAILURES


def test_wrong_pin_five_times_locks_the_pad(qtbot: QtBot, pad: SetupPinScreen, navigated: list[tuple[str, Any]],
                                            tmp_path: Path) -> None:
    clock = FakeClock()
    pad.monotonic = clock  # the countdown's clock: the test moves it instead of waiting
    for left in range(FREE_FAILURES - 1, 0, -1):
        _try(qtbot, pad, "111112", f"还可再试 {left} 次")
        assert f"{left} more tr" in pad.message_en.text()
    _try(qtbot, pad, "111112", "已锁定")
    assert "0:30" in pad.message.text()
    assert "locked" in pad.message_en.text()
    assert pad.is_locked()
    # Refuses further input, even the right PIN: the keys are off and nothing reaches the store.
    assert not _key(pad, "5").isEnabled()
    assert not _key(pad, "ok").isEnabled()
    _type(qtbot, pad, PIN)
    pad.add_digit("4")
    pad.submit()
    assert pad.dots.text().count(DOT) == 0
    assert navigated == []
    assert TechnicianPin(tmp_path).locked_for() > 0
    # The countdown is live while the pad shows; it ends on the monotonic clock, then the keys return.
    countdown = pad.findChild(QTimer, "setup_pin_countdown")
    assert countdown is not None
    assert countdown.isActive()
    clock.now += 18
    pad.tick()
    assert "0:12" in pad.message.text()
    clock.now += 12
    pad.tick()
    assert not pad.is_locked()
    assert not countdown.isActive()
    assert _key(pad, "5").isEnabled()
    assert "再次输入" in pad.message.text()


def test_lock_survives_reopening_and_timer_stops_when_hidden(qtbot: QtBot, pad: SetupPinScreen,
                                                            tmp_path: Path) -> None:
    store = TechnicianPin(tmp_path)
    for _ in range(FREE_FAILURES):
        store.verify("111112")
    pad.hide()
    pad.enter(None)
    pad.show()
    assert pad.is_locked()
    assert "已锁定" in pad.message.text()
    assert pad.countdown.isActive()
    pad.hide()
    assert not pad.countdown.isActive()


def test_no_pin_set_says_run_set_pin(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> None:
    screen = SetupPinScreen(AppContext(config=runtime.config, data_dir=tmp_path, runtime=runtime))
    qtbot.addWidget(screen)
    screen.enter(None)
    assert "kiosk set-pin" in screen.message.text()
    assert "kiosk set-pin" in screen.message_en.text()
    assert not _key(screen, "1").isEnabled()
    assert _key(screen, "cancel").isEnabled()


def test_five_corner_taps_open_the_pin_pad_and_cancel_goes_home(qtbot: QtBot, window: MainWindow) -> None:
    clock = FakeClock()
    window.home.corner_taps.clock = clock
    _tap_corner(qtbot, window, 5, clock)
    screen = window.current_screen()
    assert screen is not None
    assert screen.objectName() == "setup_pin"
    _type(qtbot, screen, "48")
    qtbot.mouseClick(_key(screen, "cancel"), Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.home
    assert isinstance(screen, SetupPinScreen)
    assert screen.dots.text().count(DOT) == 0


def test_four_taps_slow_taps_or_taps_elsewhere_do_not_open_it(qtbot: QtBot, window: MainWindow) -> None:
    clock = FakeClock()
    window.home.corner_taps.clock = clock
    _tap_corner(qtbot, window, 4, clock)
    assert window.current_screen() is window.home
    clock.now += 10
    _tap_corner(qtbot, window, 5, clock, step=1.0)  # 4 s from first to last
    assert window.current_screen() is window.home
    clock.now += 10
    _tap_corner(qtbot, window, 3, clock)
    qtbot.mouseClick(window.home, Qt.MouseButton.LeftButton, pos=QPoint(window.home.width() // 2, 20))
    _tap_corner(qtbot, window, 2, clock)
    assert window.current_screen() is window.home


def test_corner_does_not_cover_a_tile_and_tiles_still_open(qtbot: QtBot, window: MainWindow) -> None:
    for elder in (False, True):
        window.set_elder_mode(elder)
        QApplication.processEvents()  # the style change re-lays the home screen out
        for tile in window.home.tiles.values():
            assert tile.geometry().top() > window.home.corner_taps.corner_px
    clock = FakeClock()
    window.home.corner_taps.clock = clock
    _tap_corner(qtbot, window, 4, clock)
    # Only the tile's signal is watched: the service screens behind the tiles are not this test's.
    window.home.service_requested.disconnect(window.open_service)
    with qtbot.waitSignal(window.home.service_requested) as pressed:
        qtbot.mouseClick(window.home.tiles["declare"], Qt.MouseButton.LeftButton)
    assert pressed.args == ["declare"]


def test_a_usb_keyboard_types_into_the_pad(qtbot: QtBot, pad: SetupPinScreen,
                                           navigated: list[tuple[str, Any]]) -> None:
    qtbot.keyClicks(pad, "4807139")
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.dots.text().count(DOT) == 6
    qtbot.keyClick(pad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(navigated), timeout=5000)
    assert navigated == [("setup", None)]


def test_five_corner_touches_open_the_pin_pad(qtbot: QtBot, window: MainWindow) -> None:
    clock = FakeClock()
    window.home.corner_taps.clock = clock
    device = QTest.createTouchDevice()
    # Touches go to the window (QTest maps a widget's touch points from the window); Qt turns each
    # unaccepted touch into one mouse press on the home screen.
    corner = window.home.mapTo(window, CORNER)
    for _ in range(5):
        QTest.touchEvent(window, device).press(0, corner).commit()
        QTest.touchEvent(window, device).release(0, corner).commit()
        clock.now += 0.2
    screen = window.current_screen()
    assert screen is not None
    assert screen.objectName() == "setup_pin"


def test_in_the_window_the_right_pin_opens_the_setup_screen(qtbot: QtBot, window: MainWindow) -> None:
    clock = FakeClock()
    window.home.corner_taps.clock = clock
    _tap_corner(qtbot, window, 5, clock)
    pad = window.current_screen()
    assert isinstance(pad, SetupPinScreen)
    _type(qtbot, pad, PIN)
    qtbot.mouseClick(_key(pad, "ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_screen() is not pad, timeout=5000)
    screen = window.current_screen()
    assert screen is not None
    assert screen.objectName() == "setup"
