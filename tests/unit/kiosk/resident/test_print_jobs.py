"""The print job (render, print, remove), card identification and the form choices, without Qt."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from drivers.printer.errors import PrintCanceled, PrinterNotReady, PrintFileError
from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from kiosk.config import Config, config_from_mapping
from kiosk.devices.manager import DeviceManager
from kiosk.forms.template import get_template
from kiosk.identity.read import (
    NoCardPresented,
    NoReaderAvailable,
    managed_card_readers,
    read_resident,
    read_resident_from,
)
from kiosk.identity.resident import Gender, IdentitySource, Resident
from kiosk.resident.form_choices import form_choices, form_print_request, prefill_values, preview_rows
from kiosk.resident.print_jobs import (
    SPOOL_DIR,
    PrintProgress,
    PrintRequest,
    PrintStep,
    counter_note,
    run_print_job,
)

RESIDENT = Resident(IdentitySource.ID_CARD, "张秀英", "330102195203071229", Gender.FEMALE, None, nation="汉")


def simulated(tmp_path: Path) -> Config:
    return config_from_mapping({"devices": {"printer": {"backend": "simulated", "output_dir": str(tmp_path / "out")}}})


def test_job_prints_reports_each_step_and_removes_the_rendered_file(tmp_path: Path) -> None:
    steps: list[PrintProgress] = []
    request = form_print_request(get_template("shengyu_dengji"), {})
    result = run_print_job(request, simulated(tmp_path), tmp_path, steps.append)
    assert steps[0].step is PrintStep.RENDERING
    assert PrintStep.SUBMITTED in [s.step for s in steps]
    assert steps[-1] == PrintProgress(PrintStep.DONE, result.job_id)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_a_paused_printer_raises_its_typed_error_and_leaves_nothing(tmp_path: Path) -> None:
    printer = SimulatedPrinter(tmp_path / "out", fault=PrinterFault.PAUSED)
    with pytest.raises(PrinterNotReady) as caught:
        run_print_job(form_print_request(get_template("shengyu_dengji"), {}), simulated(tmp_path), tmp_path,
                      lambda _: None, printer=printer)
    assert caught.value.message_key == "printer.paused"
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_cancel_stops_a_waiting_job(tmp_path: Path) -> None:
    printer = SimulatedPrinter(tmp_path / "out", fault=PrinterFault.JOB_HANGS)
    cancel = threading.Event()

    def progress(update: PrintProgress) -> None:
        if update.step is PrintStep.PRINTING:
            cancel.set()

    with pytest.raises(PrintCanceled):
        run_print_job(form_print_request(get_template("shengyu_dengji"), {}), simulated(tmp_path), tmp_path,
                      progress, cancel=cancel, printer=printer)
    assert list((tmp_path / "out").glob("*.pdf")) == []
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_a_render_that_fails_or_writes_nothing_leaves_nothing(tmp_path: Path) -> None:
    def boom(path: Path) -> object:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        run_print_job(PrintRequest("x", boom), simulated(tmp_path), tmp_path, lambda _: None)
    with pytest.raises(PrintFileError):
        run_print_job(PrintRequest("x", lambda path: None), simulated(tmp_path), tmp_path, lambda _: None)
    assert list((tmp_path / SPOOL_DIR).iterdir()) == []


def test_form_choices_name_their_services() -> None:
    choices = {c.id: c for c in form_choices()}
    assert choices["shengyu_dengji"].service_names == ("生育登记",)
    only_known = {c.id: c for c in form_choices(lambda code: None)}
    assert only_known["shengyu_dengji"].service_names == ()


def test_a_form_s_print_job_names_it_in_both_languages() -> None:
    template = get_template("shengyu_dengji")
    blank = form_print_request(template, {})
    assert (blank.title, blank.title_en) == (template.title, template.title_en)
    assert blank.description == f"空白表格 · {template.department}"
    assert blank.description_en == f"Blank form · {template.department}"
    assert form_print_request(template, {"name": "张三"}).description_en.startswith("Pre-filled form")


def test_the_counter_note_names_what_was_printed() -> None:
    assert counter_note(("办事指南", "guide")) == ("您也可以到服务窗口领取纸质办事指南。",
                                                "You can also get this guide at the service counter.")
    assert counter_note(("表格", "form"))[1] == "You can also get this form at the service counter."


def test_preview_masks_every_card_value() -> None:
    template = get_template("shengyu_dengji")
    values = prefill_values(template, RESIDENT)
    assert "张秀英" in values.values()
    rows = preview_rows(template, values, RESIDENT)
    shown = " ".join(r.value for r in rows)
    assert "张秀英" not in shown
    assert "330102195203071229" not in shown
    assert "**英" in shown
    assert prefill_values(template, None) == {}
    assert not any(r.prefilled for r in preview_rows(template, {}, None))


def test_identify_reads_the_simulated_id_card(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        resident = read_resident_from(manager, 5.0)
    finally:
        manager.stop()
    assert resident.source is IdentitySource.ID_CARD
    assert resident.name


def test_identify_without_readers_or_cards_says_so(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "none"}, "citizencard": {"backend": "none"}}})
    with pytest.raises(NoReaderAvailable):
        read_resident_from(DeviceManager.from_config(config, tmp_path), 1.0)
    config = config_from_mapping({"devices": {"idcard": {"backend": "none"},
                                              "citizencard": {"backend": "simulated"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        with managed_card_readers(manager) as readers:
            readers.citizencard.remove()  # type: ignore[union-attr]
            clock = iter([0.0, 0.0, 10.0])
            with pytest.raises(NoCardPresented):
                read_resident(readers, 1.0, clock=lambda: next(clock), step_s=0.01)
    finally:
        manager.stop()
