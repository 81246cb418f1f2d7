"""Form printing: choose a form, blank or pre-filled from a simulated card, preview, print to completion."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

import ui.screens.forms.choose
from drivers.idcard.demo_card import DEMO_CARD
from drivers.idcard.factory import SimulatedIdCardReader
from drivers.idcard.simulator import Fault
from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping
from kiosk.devices.manager import IDCARD
from kiosk.identity.read import IdentifyCanceled, NoReaderAvailable
from kiosk.resident.print_jobs import SPOOL_DIR, PrintStep
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.forms.choose import FormButton, FormsScreen
from ui.screens.print_job import PrintJobScreen
from ui.widgets.bug_notice import BugNotice

NAME = str(DEMO_CARD["name"])
ID_NUMBER = str(DEMO_CARD["id_number"])


def make_window(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime, idcard: str = "simulated",
                citizencard: str = "none") -> MainWindow:
    config = config_from_mapping({"devices": {
        "printer": {"backend": "simulated", "output_dir": str(tmp_path / "printed")},
        "idcard": {"backend": idcard},
        "citizencard": {"backend": citizencard},
    }})
    w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), make_runtime(config))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def shutdown(window: MainWindow) -> None:
    for screen in window.screens.values():
        if isinstance(screen, (FormsScreen, PrintJobScreen)):
            screen.shutdown()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, make_runtime)
    yield w
    shutdown(w)


def open_forms(window: MainWindow) -> FormsScreen:
    window.open_service("forms")
    screen = window.current_screen()
    assert isinstance(screen, FormsScreen)
    return screen


def visible_text(window: MainWindow) -> str:
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(texts)


def test_the_tile_lists_every_form_with_its_services(window: MainWindow) -> None:
    screen = open_forms(window)
    assert screen.pages.currentWidget() is screen.list_page
    assert set(screen.form_buttons) == {"geti_sheli", "gongjijin_tiqu", "shengyu_dengji", "wufanzui_zhengming",
                                        "yanglao_canbao"}
    button = screen.form_buttons["gongjijin_tiqu"]
    assert isinstance(button, FormButton)
    assert button.name_label.text() == "住房公积金提取申请表"
    assert "住房公积金提取（租房）" in button.details_label.text()


def test_blank_form_prints(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    screen = open_forms(window)
    qtbot.mouseClick(screen.form_buttons["shengyu_dengji"], Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.mode_page
    qtbot.mouseClick(screen.blank_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.preview_page
    assert "空白表格" in screen.preview_heading.text()
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    printing = window.current_screen()
    assert isinstance(printing, PrintJobScreen)
    qtbot.waitUntil(lambda: printing.step is PrintStep.DONE, timeout=10000)
    assert len(list((tmp_path / "printed").glob("*.pdf"))) == 1
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def prefill_from_card(qtbot: QtBot, screen: FormsScreen, form_id: str = "shengyu_dengji") -> None:
    qtbot.mouseClick(screen.form_buttons[form_id], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.prefill_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.card_page
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.preview_page, timeout=15000)


def test_prefilled_from_a_simulated_id_card_and_printed(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    screen = open_forms(window)
    prefill_from_card(qtbot, screen)
    assert screen.resident is not None
    assert NAME in screen.values.values()
    assert ID_NUMBER in screen.values.values()
    # The preview shows the card's values masked, never in full.
    shown = visible_text(window)
    assert NAME not in shown
    assert ID_NUMBER not in shown
    assert "**样例" in shown
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    printing = window.current_screen()
    assert isinstance(printing, PrintJobScreen)
    qtbot.waitUntil(lambda: printing.step is PrintStep.DONE, timeout=10000)
    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(printed[0]), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert NAME in text
        assert ID_NUMBER in text.replace(" ", "")


def test_wipe_forgets_the_resident(qtbot: QtBot, window: MainWindow) -> None:
    screen = open_forms(window)
    prefill_from_card(qtbot, screen)
    window.wipe_screens()
    assert screen.resident is None
    assert screen.values == {}
    assert screen.preview_grid.count() == 0
    everything = "\n".join(w.text() for w in window.findChildren(QLabel))
    assert "样例" not in everything
    assert ID_NUMBER[-4:] not in everything


def test_no_reader_is_reported_with_a_way_out(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> None:
    window = make_window(qtbot, tmp_path, make_runtime, idcard="none", citizencard="none")
    try:
        screen = open_forms(window)
        qtbot.mouseClick(screen.form_buttons["shengyu_dengji"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.prefill_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.card_error is not None, timeout=10000)
        assert isinstance(screen.card_error, NoReaderAvailable)
        assert "读卡器暂时无法使用" in screen.card_message.text()
        assert screen.card_retry_button.isVisible()
        qtbot.mouseClick(screen.card_blank_button, Qt.MouseButton.LeftButton)
        assert screen.pages.currentWidget() is screen.preview_page
    finally:
        shutdown(window)


def test_back_from_the_card_page_cancels_the_read(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()

    def no_card_comes(devices: object, timeout_s: float, cancel: threading.Event) -> object:
        started.set()
        cancel.wait(timeout_s)
        raise IdentifyCanceled("canceled")

    monkeypatch.setattr(ui.screens.forms.choose, "read_resident_from", no_card_comes)
    window = make_window(qtbot, tmp_path, make_runtime)
    try:
        screen = open_forms(window)
        qtbot.mouseClick(screen.form_buttons["shengyu_dengji"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.prefill_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(started.is_set, timeout=10000)
        qtbot.mouseClick(screen.card_back_button, Qt.MouseButton.LeftButton)
        assert screen.pages.currentWidget() is screen.mode_page
        qtbot.waitUntil(lambda: not screen._workers, timeout=10000)
    finally:
        shutdown(window)


def test_a_card_pulled_mid_read_says_so_and_offers_another_try(qtbot: QtBot, window: MainWindow) -> None:
    reader = window.context.runtime.devices.current_driver(IDCARD)
    assert isinstance(reader, SimulatedIdCardReader)
    reader.simulator.inject(Fault.CARD_PULLED)  # lifted just after the reader found it
    screen = open_forms(window)
    qtbot.mouseClick(screen.form_buttons["shengyu_dengji"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.prefill_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.card_error is not None, timeout=15000)
    assert screen.pages.currentWidget() is screen.card_page
    assert "重新放置" in screen.card_message.text()
    assert screen.card_retry_button.isVisible()
    assert not any(n.isVisible() for n in screen.findChildren(BugNotice))  # not "ask staff": not a bug
    reader.place_card()
    qtbot.mouseClick(screen.card_retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.preview_page, timeout=15000)
    assert screen.resident is not None
