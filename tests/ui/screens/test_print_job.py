"""The print screen runs a job on the printer worker, shows its progress, and offers a way out on failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

import kiosk.resident.print_jobs
from drivers.printer.errors import PrinterNotReady
from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config, config_from_mapping
from kiosk.forms.template import get_template
from kiosk.resident.form_choices import form_print_request
from kiosk.resident.print_jobs import SPOOL_DIR, PrintStep
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.guide.detail import GuideDetailScreen
from ui.screens.print_job import PrintJobScreen


def simulated_config(out: Path) -> Config:
    return config_from_mapping({"devices": {"printer": {"backend": "simulated", "output_dir": str(out)}}})


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> Iterator[MainWindow]:
    config = simulated_config(tmp_path / "printed")
    w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), make_runtime(config))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    screen = w.screens.get("print")
    if isinstance(screen, PrintJobScreen):
        screen.shutdown()


def print_screen(window: MainWindow) -> PrintJobScreen:
    screen = window.current_screen()
    assert isinstance(screen, PrintJobScreen)
    return screen


def test_blank_form_prints_to_completion(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.navigate("print", form_print_request(get_template("shengyu_dengji"), {}))
    screen = print_screen(window)
    assert screen.title_label.text() == "生育登记表"
    assert screen.back_button.text().startswith("取消")
    qtbot.waitUntil(lambda: screen.step is PrintStep.DONE and not screen.busy, timeout=10000)
    assert screen.result is not None
    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1
    assert printed[0].read_bytes().startswith(b"%PDF-")
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []  # the rendered file is gone
    assert screen.home_button.isVisible()
    assert not screen.retry_button.isVisible()
    assert screen.state_label.text().startswith("打印完成")


def test_paused_printer_is_reported_with_a_way_out(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    printer = SimulatedPrinter(tmp_path / "printed", fault=PrinterFault.PAUSED)
    monkeypatch.setattr(kiosk.resident.print_jobs, "make_printer", lambda config, data_dir: printer)
    window.navigate("print", form_print_request(get_template("shengyu_dengji"), {}))
    screen = print_screen(window)
    qtbot.waitUntil(lambda: screen.error is not None, timeout=10000)
    assert isinstance(screen.error, PrinterNotReady)
    assert "打印机已暂停" in screen.message_label.text()
    assert "paused" in screen.message_en_label.text()
    assert screen.counter_label.isVisible()
    assert screen.retry_button.isVisible()
    assert screen.back_button.isVisible()
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []
    # Staff resume the printer; 重试 prints.
    printer.set_fault(PrinterFault.NONE)
    qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.step is PrintStep.DONE and not screen.busy, timeout=10000)
    assert not screen.counter_label.isVisible()
    # 返回 leads back to the form screen the request came from.
    screen.back_button.click()
    assert window.current_screen() is window.screens["forms"]


def test_cancel_during_a_job_goes_back_and_prints_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    printer = SimulatedPrinter(tmp_path / "printed", fault=PrinterFault.JOB_HANGS)
    monkeypatch.setattr(kiosk.resident.print_jobs, "make_printer", lambda config, data_dir: printer)
    window.navigate("print", form_print_request(get_template("shengyu_dengji"), {}))
    screen = print_screen(window)
    qtbot.waitUntil(lambda: screen.step is PrintStep.PRINTING, timeout=10000)
    screen.back_button.click()
    assert window.current_screen() is window.screens["forms"]
    assert not screen.busy
    qtbot.waitUntil(lambda: not screen._workers, timeout=10000)
    assert list((tmp_path / "printed").glob("*.pdf")) == []
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_wipe_forgets_the_request(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate("print", form_print_request(get_template("shengyu_dengji"), {"name": "张三"}))
    screen = print_screen(window)
    qtbot.waitUntil(lambda: screen.step is PrintStep.DONE and not screen.busy, timeout=10000)
    window.wipe_screens()
    assert screen.request is None
    assert screen.result is None
    assert screen.title_label.text() == "打印"
    assert screen.findChildren(QPushButton)


def test_a_printed_guide_is_named_a_guide_and_back_returns_to_it(qtbot: QtBot, window: MainWindow) -> None:
    code = "330000-GJJ-GG-0001"
    window.navigate("guide_detail", code)
    detail = window.current_screen()
    assert isinstance(detail, GuideDetailScreen)
    qtbot.mouseClick(detail.findChild(QPushButton, "guide_detail_print_button"), Qt.MouseButton.LeftButton)
    screen = print_screen(window)
    qtbot.waitUntil(lambda: screen.step is PrintStep.DONE and not screen.busy, timeout=10000)
    assert "取走办事指南" in screen.state_label.text()
    assert "表格" not in screen.state_label.text()
    assert "guide" in screen.state_en_label.text()
    assert screen.back_button.text().startswith("返回")
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is detail  # the guide the resident was reading, not home
    assert detail.detail is not None
    assert detail.detail.code == code
