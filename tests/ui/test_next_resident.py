"""Nothing of one resident reaches the next: a home tile always opens its service clean, and the end of a
session puts elder mode and the language back to the terminal's defaults.

The walk: a first resident is identified by card for a declaration, rates a receipt with a comment and a
phone number, searches the guides, types a number to query, and turns on elder mode and English; the
session ends by idle timeout; the second resident opens every tile and sees none of it on any screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from drivers.idcard.demo_card import DEMO_CARD
from kiosk.cli.launch import LaunchOptions
from kiosk.config import Language
from kiosk.devices.demo_cards import DemoCards
from kiosk.privacy import mask_id_number, mask_name
from kiosk.resident.session import SessionState
from kiosk.runtime import KioskRuntime
from tests.ui.test_session import FakeClock
from ui.app import create_main_window
from ui.i18n import current_language, set_language
from ui.main_window import MainWindow
from ui.screens.declare.wizard import DeclareScreen
from ui.screens.forms.choose import FormsScreen
from ui.screens.guide.search import GuideScreen
from ui.screens.progress import ProgressScreen
from ui.screens.rating import RatingScreen
from ui.session_ui import SessionController, install_session

NAME = str(DEMO_CARD["name"])
ID_NUMBER = str(DEMO_CARD["id_number"])
RECEIPT = "HZ20250101-0042"
COMMENT = "窗口阿姨很耐心"
PHONE = "13912345678"
SEARCH = "qzx宅基地"
CASE_NUMBER = "SL2025099173"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, runtime: KioskRuntime) -> Iterator[MainWindow]:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for screen in w.screens.values():
        if isinstance(screen, DeclareScreen | FormsScreen):
            screen.shutdown()
    set_language(Language.ZH_CN)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def controller(window: MainWindow, clock: FakeClock) -> SessionController:
    return install_session(window, clock=clock)


def shown_texts(root: QWidget) -> list[str]:
    """Every text a person can see in `root`'s widget tree: labels, buttons, fields (typed or not)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            texts.append(widget.toPlainText())
    return texts


def pieces_of_the_first_resident() -> list[str]:
    return [NAME, mask_name(NAME), ID_NUMBER, mask_id_number(ID_NUMBER), ID_NUMBER[-4:],
            RECEIPT, COMMENT, PHONE, SEARCH, CASE_NUMBER]


def assert_nothing_of_the_first_resident(window: MainWindow, where: str) -> None:
    shown = "\n".join(shown_texts(window))
    for piece in pieces_of_the_first_resident():
        assert piece not in shown, f"{piece!r} still shown on {where}"


def open_tile(qtbot: QtBot, window: MainWindow, key: str) -> QWidget:
    window.go_home()
    qtbot.mouseClick(window.home.tiles[key], Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert screen is not None
    assert screen is window.screens[key]
    return screen


def test_a_tile_opens_its_service_clean_in_the_same_session(
    qtbot: QtBot, window: MainWindow, controller: SessionController,
) -> None:
    # A declaration ends on the rating screen with its receipt; later the resident taps 服务评价 at home.
    window.navigate("rating", RECEIPT)
    rating = window.current_screen()
    assert isinstance(rating, RatingScreen)
    assert RECEIPT in rating.receipt_label.text()
    open_tile(qtbot, window, "rating")
    assert rating.receipt_no is None
    assert not rating.receipt_label.isVisibleTo(rating)

    guide = open_tile(qtbot, window, "guide")
    assert isinstance(guide, GuideScreen)
    guide.search_field.insert(SEARCH)
    open_tile(qtbot, window, "guide")
    assert guide.search_field.text() == ""

    progress = open_tile(qtbot, window, "progress")
    assert isinstance(progress, ProgressScreen)
    progress.number_field.setText(CASE_NUMBER)
    open_tile(qtbot, window, "progress")
    assert progress.number_field.text() == ""


def test_the_next_resident_sees_nothing_of_the_last_and_starts_in_the_default_mode(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, controller: SessionController, clock: FakeClock,
) -> None:
    config = window.config
    assert not config.terminal.elder_mode
    assert config.terminal.language is Language.ZH_CN

    # --- the first resident -------------------------------------------------------------------------
    controller.activity()
    qtbot.mouseClick(window.status_strip.elder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.home.language_button, Qt.MouseButton.LeftButton)
    assert window.theme.name == "elder"
    assert current_language() is Language.EN

    DemoCards(runtime.devices).toggle("idcard")
    declare = open_tile(qtbot, window, "declare")
    assert isinstance(declare, DeclareScreen)
    qtbot.waitUntil(lambda: declare.resident is not None, timeout=15000)
    assert declare.resident.name == NAME

    window.navigate("rating", RECEIPT)
    rating = window.current_screen()
    assert isinstance(rating, RatingScreen)
    rating.comment_field.setText(COMMENT)
    rating.phone_field.setText(PHONE)

    guide = open_tile(qtbot, window, "guide")
    assert isinstance(guide, GuideScreen)
    guide.search_field.insert(SEARCH)
    progress = open_tile(qtbot, window, "progress")
    assert isinstance(progress, ProgressScreen)
    progress.number_field.setText(CASE_NUMBER)
    DemoCards(runtime.devices).toggle("idcard")  # the card goes back in the resident's pocket

    # --- the session ends by idle timeout ------------------------------------------------------------
    clock.now += controller.session.timings.idle_timeout_s - controller.session.timings.countdown_s
    controller.tick()
    assert controller.session.state is SessionState.COUNTDOWN
    clock.now += controller.session.timings.countdown_s
    controller.tick()
    assert controller.session.state is SessionState.IDLE
    assert window.current_screen() is window.home
    assert window.theme.name == "normal"
    assert not window.status_strip.elder_button.isChecked()
    assert current_language() is Language.ZH_CN
    assert window.home.language_button.text() == "English"

    # --- the second resident opens every tile -------------------------------------------------------
    controller.activity()
    assert_nothing_of_the_first_resident(window, "home")
    for key in window.home.tiles:
        open_tile(qtbot, window, key)
        qtbot.wait(50)
        assert_nothing_of_the_first_resident(window, key)
