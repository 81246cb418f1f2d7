"""The simulated printer through the shared follow loop: every way a print can end."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from drivers.printer.errors import (
    PrintCanceled,
    PrinterError,
    PrinterNotReady,
    PrintFileError,
    PrintJobFailed,
    PrintJobTimeout,
)
from drivers.printer.factory import PrinterNotConfigured, open_printer
from drivers.printer.follow import follow_job
from drivers.printer.protocol import JobState
from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from drivers.printer.status import PrinterCondition
from drivers.status import DeviceState


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "in.pdf"
    path.write_bytes(b"%PDF-1.4\n% test\n%%EOF\n")
    return path


@pytest.fixture
def printer(tmp_path: Path) -> SimulatedPrinter:
    return SimulatedPrinter(tmp_path / "out", poll_s=0.001)


def test_prints_to_the_folder(printer: SimulatedPrinter, pdf: Path) -> None:
    result = printer.print_pdf(pdf, "form test")
    out = printer.output_of(result.job_id)
    assert out.name == f"form_test-job_{result.job_id}.pdf"
    assert out.read_bytes() == pdf.read_bytes()
    assert result.status_after.condition is PrinterCondition.READY


def test_job_ids_continue_across_instances(tmp_path: Path, pdf: Path) -> None:
    first = SimulatedPrinter(tmp_path / "out").print_pdf(pdf, "a").job_id
    second = SimulatedPrinter(tmp_path / "out").print_pdf(pdf, "a").job_id
    assert second > first


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (PrinterFault.PAUSED, "printer.paused"),
        (PrinterFault.MEDIA_EMPTY, "printer.media_empty"),
        (PrinterFault.MEDIA_JAM, "printer.media_jam"),
        (PrinterFault.DOOR_OPEN, "printer.door_open"),
        (PrinterFault.TONER_EMPTY, "printer.toner_empty"),
        (PrinterFault.NOT_ACCEPTING, "printer.not_accepting"),
        (PrinterFault.OFFLINE, "printer.offline"),
    ],
)
def test_a_printer_that_cannot_print_is_refused_before_submitting(
    printer: SimulatedPrinter, pdf: Path, fault: PrinterFault, code: str,
) -> None:
    printer.set_fault(fault)
    with pytest.raises(PrinterNotReady) as caught:
        printer.print_pdf(pdf, "t")
    assert caught.value.code == code
    assert caught.value.message_key == code
    assert caught.value.job_id is None
    assert not list(printer.output_dir.iterdir())


@pytest.mark.parametrize("fault", [PrinterFault.MEDIA_EMPTY, PrinterFault.MEDIA_JAM, PrinterFault.OFFLINE])
def test_a_fault_while_the_job_waits_fails_it_and_cancels_it(
    printer: SimulatedPrinter, pdf: Path, fault: PrinterFault,
) -> None:
    printer.set_fault(fault)
    job_id = printer.submit(pdf, "t")
    with pytest.raises(PrinterNotReady) as caught:
        follow_job(job_id, printer.queue, printer.job, printer.printer_status, timeout_s=60, poll_s=0.001)
    assert caught.value.job_id == job_id
    assert caught.value.status.message


def test_waiting_job_prints_once_the_fault_is_cleared(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.MEDIA_EMPTY)
    job_id = printer.submit(pdf, "t")
    assert printer.job(job_id).state is JobState.PENDING
    printer.set_fault(PrinterFault.NONE)
    assert printer.job(job_id).state is JobState.COMPLETED
    assert printer.output_of(job_id).exists()


def test_aborted_job_surfaces_with_the_printer_message(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.JOB_ABORTED)
    with pytest.raises(PrintJobFailed) as caught:
        printer.print_pdf(pdf, "t")
    assert caught.value.code == "printer.job_aborted"
    assert caught.value.message_key == "printer.job_failed"
    assert "offline" in caught.value.printer_message.lower()


def test_toner_low_prints_and_says_so(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.TONER_LOW)
    result = printer.print_pdf(pdf, "t")
    assert result.status_after.condition is PrinterCondition.TONER_LOW
    assert printer.output_of(result.job_id).exists()


def test_a_job_that_never_ends_times_out_and_is_canceled(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.JOB_HANGS)
    job_id = printer.submit(pdf, "t")
    ticks = iter(range(1000))

    def clock() -> float:
        return float(next(ticks))

    with pytest.raises(PrintJobTimeout) as caught:
        follow_job(job_id, printer.queue, printer.job, printer.printer_status, timeout_s=5, poll_s=0.001,
                   clock=clock)
    assert caught.value.job_id == job_id
    assert caught.value.code == "printer.job_timeout"


def test_print_pdf_cancels_a_timed_out_job(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.JOB_HANGS)
    with pytest.raises(PrintJobTimeout) as caught:
        printer.print_pdf(pdf, "t", timeout_s=0)
    assert printer.job(caught.value.job_id).state is JobState.CANCELED


def test_the_cancel_event_stops_the_wait_and_the_job(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.JOB_HANGS)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(PrintCanceled) as caught:
        printer.print_pdf(pdf, "t", cancel=cancel)
    assert printer.job(caught.value.job_id).state is JobState.CANCELED


def test_not_a_pdf_never_reaches_the_printer(printer: SimulatedPrinter, tmp_path: Path) -> None:
    text = tmp_path / "x.pdf"
    text.write_text("hello")
    with pytest.raises(PrintFileError):
        printer.print_pdf(text, "t")
    with pytest.raises(PrintFileError):
        printer.print_pdf(tmp_path / "missing.pdf", "t")


def test_each_look_at_an_unreachable_server_fails_on_its_own(printer: SimulatedPrinter) -> None:
    # No count in the driver: every look says what it found, and the device manager counts failed looks.
    assert printer.printer_status().device_status().state is DeviceState.OK
    printer.set_fault(PrinterFault.SERVER_DOWN)
    for _ in range(4):
        with pytest.raises(PrinterError) as caught:
            printer.printer_status()
        assert caught.value.code == "printer.server_unreachable"
    printer.set_fault(PrinterFault.NONE)
    assert printer.printer_status().device_status().state is DeviceState.OK


def test_a_paused_printer_is_offline_on_a_single_look(printer: SimulatedPrinter) -> None:
    # What the print server says is a fact of this one look, not a count.
    printer.set_fault(PrinterFault.PAUSED)
    assert printer.printer_status().device_status().state is DeviceState.OFFLINE


def test_server_down_is_a_typed_error(printer: SimulatedPrinter, pdf: Path) -> None:
    printer.set_fault(PrinterFault.SERVER_DOWN)
    with pytest.raises(PrinterError) as caught:
        printer.print_pdf(pdf, "t")
    assert caught.value.code == "printer.server_unreachable"


def test_factory(tmp_path: Path) -> None:
    assert isinstance(open_printer("simulated", output_dir=tmp_path), SimulatedPrinter)
    with pytest.raises(PrinterNotConfigured):
        open_printer("none")
    with pytest.raises(PrinterNotConfigured):
        open_printer("simulated")

