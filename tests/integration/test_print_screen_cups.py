"""The print screen through the real cupsd: a pre-filled form completes on the cups-pdf queue, a paused queue
is reported with its message and a way out."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from drivers.printer.errors import PrinterNotReady
from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping
from kiosk.forms.prefill import prefill
from kiosk.forms.template import get_template
from kiosk.resident.form_choices import form_print_request
from kiosk.resident.print_jobs import SPOOL_DIR
from tests.demo_runtime import MakeRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.print_job import PrintJobScreen

pytestmark = pytest.mark.services

RESIDENT = {"name": "张秀英", "id_number": "330102195203071229", "gender": "女", "birth_date": "1952-03-07"}


def window_for(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime, queue: str) -> MainWindow:
    config = config_from_mapping({"devices": {"printer": {"backend": "cups", "queue": queue, "job_timeout_s": 60}}})
    w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), make_runtime(config))
    qtbot.addWidget(w)
    return w


def run(qtbot: QtBot, window: MainWindow) -> PrintJobScreen:
    template = get_template("shengyu_dengji")
    window.navigate("print", form_print_request(template, prefill(template, RESIDENT)))
    screen = window.current_screen()
    assert isinstance(screen, PrintJobScreen)
    # The job's own DONE report can arrive before the call's result: wait for the result itself.
    qtbot.waitUntil(lambda: screen.result is not None or screen.error is not None, timeout=90000)
    return screen


@pytest.fixture
def paused_queue() -> Iterator[str]:
    import cups

    fault_dir = Path(os.environ["KIOSK_TEST_FAULT_DIR"])
    name = f"KioskScreen{uuid.uuid4().hex[:8]}"
    (fault_dir / f"{name}.mode").write_text("ok\n")
    conn = cups.Connection()
    conn.addPrinter(name, device=f"fakeprn:{fault_dir}", info="kiosk print-screen test queue")
    conn.acceptJobs(name)
    conn.disablePrinter(name)  # paused, as `cupsdisable` leaves it
    try:
        yield name
    finally:
        conn.deletePrinter(name)
        (fault_dir / f"{name}.mode").unlink(missing_ok=True)


def test_prefilled_form_completes_on_cups_pdf(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> None:
    window = window_for(qtbot, tmp_path, make_runtime, os.environ["KIOSK_TEST_CUPS_QUEUE"])
    screen = run(qtbot, window)
    try:
        assert screen.error is None
        assert screen.result is not None
        assert screen.result.queue == os.environ["KIOSK_TEST_CUPS_QUEUE"]
        assert list((tmp_path / SPOOL_DIR).iterdir()) == []
    finally:
        screen.shutdown()


def test_paused_cups_queue_is_reported_with_a_way_out(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime,
                                                      paused_queue: str) -> None:
    window = window_for(qtbot, tmp_path, make_runtime, paused_queue)
    screen = run(qtbot, window)
    try:
        assert isinstance(screen.error, PrinterNotReady)
        assert "打印机已暂停" in screen.message_label.text()
        assert not screen.counter_label.isHidden()
        assert not screen.retry_button.isHidden()
        assert not screen.back_button.isHidden()
        assert list((tmp_path / SPOOL_DIR).iterdir()) == []
    finally:
        screen.shutdown()
