"""`kiosk demo`'s card keys: F5 puts the ID card on the simulated reader and takes it away again, F6 the
citizen card. The declaration waits for a card until one is placed; the session hears the card through
the card watch, as from a real reader; the window title names the keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.idcard.demo_card import DEMO_CARD
from kiosk.devices.demo_cards import DemoCards
from kiosk.resident.session import SessionState
from kiosk.runtime import KioskRuntime
from tests.ui import test_next_resident
from ui.demo_cards import DemoCardKeys, install_demo_card_keys
from ui.main_window import MainWindow
from ui.screens.declare.wizard import DeclareScreen
from ui.session_ui import SessionController, install_session

# The same window as the next-resident walk: `kiosk demo`'s runtime, 1280×800, shown.
window = test_next_resident.window


@pytest.fixture
def controller(window: MainWindow, runtime: KioskRuntime) -> SessionController:
    session = install_session(window, clock=test_next_resident.FakeClock())
    runtime.cards.add_listener(session.card_changed.emit)
    return session


@pytest.fixture
def keys(window: MainWindow, runtime: KioskRuntime) -> DemoCardKeys:
    return install_demo_card_keys(window, DemoCards(runtime.devices))


def test_the_declaration_waits_for_a_card_until_f5_places_one(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, controller: SessionController, keys: DemoCardKeys,
) -> None:
    assert "F5" in window.windowTitle()
    assert "F6" in window.windowTitle()
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    # No card lies on the demo's reader: the prompt stays.
    qtbot.wait(1500)
    assert screen.step == "identify"
    assert "正在等待读卡" in screen.identify_page.message.text()

    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert keys.placed["idcard"]
    assert "已放上" in window.windowTitle()
    # Identified: who was read shows, masked, until the resident taps 下一步.
    qtbot.waitUntil(lambda: screen.resident is not None, timeout=15000)
    assert screen.step == "identify"
    screen.next()
    assert screen.step == "service"
    assert str(DEMO_CARD["id_number"]) not in window.windowTitle()

    # The card watch sees the card placed, and then taken away, as it would on a real reader.
    seen: list[tuple[str, bool]] = []
    runtime.cards.add_listener(lambda role, present: seen.append((role, present)))
    runtime.cards.poll_once()
    assert seen == [("idcard", True)]
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not keys.placed["idcard"]
    assert "未放" in window.windowTitle()
    runtime.cards.poll_once()
    runtime.cards.poll_once()  # a removal is confirmed by a second look
    assert seen == [("idcard", True), ("idcard", False)]
    # The declaration read the card once and told the resident to take it back: it carries on.
    assert controller.session.state is SessionState.ACTIVE
    assert screen.step == "service"


def test_f6_places_and_takes_away_the_citizen_card(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, keys: DemoCardKeys,
) -> None:
    seen: list[tuple[str, bool]] = []
    runtime.cards.add_listener(lambda role, present: seen.append((role, present)))
    runtime.cards.poll_once()
    assert seen == []
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert "已插入" in window.windowTitle()
    runtime.cards.poll_once()
    assert seen == [("citizencard", True)]
    qtbot.keyClick(window, Qt.Key.Key_F6)
    runtime.cards.poll_once()
    runtime.cards.poll_once()
    assert seen == [("citizencard", True), ("citizencard", False)]


def test_taking_the_card_away_before_next_keeps_who_was_identified_and_the_session(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, controller: SessionController, keys: DemoCardKeys,
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F5)
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    qtbot.waitUntil(lambda: screen.resident is not None, timeout=15000)
    runtime.cards.poll_once()
    assert controller.session.state is SessionState.ACTIVE
    identity = screen.identify_page.identity.text()
    assert identity.startswith("已识别：")
    # As the screen asks: the resident takes the card back before tapping 下一步.
    qtbot.keyClick(window, Qt.Key.Key_F5)
    runtime.cards.poll_once()
    runtime.cards.poll_once()  # a removal is confirmed by a second look
    qtbot.wait(50)  # the watch's report crosses to the GUI thread by a queued signal
    assert controller.session.state is SessionState.ACTIVE
    assert screen.step == "identify"
    assert screen.identify_page.identity.text() == identity
    assert screen.identify_page.identity.isVisible()
    assert screen.next_button.isEnabled()
    screen.next()
    assert screen.step == "service"
