"""Printing through the real cupsd: the cups-pdf queue, and fault queues on the fakeprn backend
(scripts/cups-backend-fakeprn) for paper-out, jam, door-open, toner-low, offline and stuck jobs."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.printer.cups_printer import CupsPrinter
from drivers.printer.errors import PrinterNotReady, PrintJobFailed, PrintJobTimeout, QueueNotFound
from drivers.printer.status import PrinterCondition
from drivers.status import DeviceState
from kiosk.forms.prefill import prefill
from kiosk.forms.renderer import render_form
from kiosk.forms.template import get_template

pytestmark = pytest.mark.services

RESIDENT = {
    "name": "张秀英", "id_number": "330102195203071229", "gender": "女", "birth_date": "1952-03-07",
    "nation": "汉", "address": "浙江省杭州市上城区清波街道河坊街126号3幢2单元501室", "phone": "13812345678",
}


@pytest.fixture
def form_pdf(tmp_path: Path) -> Path:
    template = get_template("shengyu_dengji")
    out = tmp_path / "form.pdf"
    render_form(template, out, prefill(template, RESIDENT))
    return out


FaultQueue = tuple[str, Callable[[str], None]]


@pytest.fixture
def fault_queue() -> Iterator[FaultQueue]:
    """A fresh raw queue on the fakeprn backend, so no test sees another's sticky state; removed afterwards."""
    import cups

    fault_dir = Path(os.environ["KIOSK_TEST_FAULT_DIR"])
    name = f"KioskTest{uuid.uuid4().hex[:8]}"
    mode_file = fault_dir / f"{name}.mode"
    mode_file.write_text("ok\n")
    conn = cups.Connection()
    conn.addPrinter(name, device=f"fakeprn:{fault_dir}", info="kiosk test queue")
    conn.setPrinterErrorPolicy(name, "abort-job")
    conn.enablePrinter(name)
    conn.acceptJobs(name)

    def set_mode(mode: str) -> None:
        mode_file.write_text(mode + "\n")

    try:
        yield name, set_mode
    finally:
        conn.deletePrinter(name)
        mode_file.unlink(missing_ok=True)


def test_prefilled_form_prints_to_the_cups_pdf_queue(form_pdf: Path) -> None:
    printer = CupsPrinter(os.environ["KIOSK_TEST_CUPS_QUEUE"], job_timeout_s=60)
    result = printer.print_pdf(form_pdf, "kiosk-form-test")
    assert result.status_after.can_print
    outputs = list(Path(os.environ["KIOSK_TEST_PDF_DIR"]).glob(f"*job_{result.job_id}.pdf"))
    assert len(outputs) == 1
    text = subprocess.run(["pdftotext", str(outputs[0]), "-"], check=True, capture_output=True, text=True).stdout
    assert "张秀英" in text
    assert "330102195203071229" in text


def test_queues_are_listed() -> None:
    names = [q.name for q in CupsPrinter(os.environ["KIOSK_TEST_CUPS_QUEUE"]).queues()]
    assert os.environ["KIOSK_TEST_CUPS_QUEUE"] in names


def test_missing_queue_is_a_typed_error(form_pdf: Path) -> None:
    with pytest.raises(QueueNotFound):
        CupsPrinter("NoSuchKioskQueue").print_pdf(form_pdf, "t")


def test_paused_queue_is_reported_paused_with_its_message(fault_queue: FaultQueue, form_pdf: Path) -> None:
    import cups

    name, _ = fault_queue
    cups.Connection().disablePrinter(name, reason="paused for maintenance (test)")
    printer = CupsPrinter(name)
    status = printer.printer_status()
    assert status.condition is PrinterCondition.PAUSED
    assert status.message == "paused for maintenance (test)"
    assert printer.printer_status().device_status().state is DeviceState.OFFLINE
    with pytest.raises(PrinterNotReady) as caught:
        printer.print_pdf(form_pdf, "t")
    assert caught.value.code == "printer.paused"
    assert caught.value.status.message == "paused for maintenance (test)"


@pytest.mark.parametrize(
    ("mode", "code", "message"),
    [
        ("paperout", "printer.media_empty", "Out of paper (simulated)"),
        ("jam", "printer.media_jam", "Paper jam (simulated)"),
        ("door", "printer.door_open", "Door open (simulated)"),
    ],
)
def test_device_fault_fails_the_job_with_the_printers_reason(
    fault_queue: FaultQueue, form_pdf: Path, mode: str, code: str, message: str,
) -> None:
    import cups

    name, set_mode = fault_queue
    set_mode(mode)
    printer = CupsPrinter(name, job_timeout_s=60)
    with pytest.raises(PrinterNotReady) as caught:
        printer.print_pdf(form_pdf, "t")
    error = caught.value
    assert error.code == code
    assert error.status.message == message
    assert error.job_id is not None
    # The waiting job was canceled: no form with a resident's data prints after they have gone.
    assert error.job_id not in cups.Connection().getJobs(which_jobs="not-completed")


def test_offline_device_aborts_the_job_and_the_caller_hears_it(fault_queue: FaultQueue, form_pdf: Path) -> None:
    name, set_mode = fault_queue
    set_mode("offline")
    with pytest.raises(PrintJobFailed) as caught:
        CupsPrinter(name, job_timeout_s=60).print_pdf(form_pdf, "t")
    assert caught.value.code == "printer.job_aborted"
    assert caught.value.printer_message == "Printer offline (simulated)"


def test_toner_low_prints_and_degrades(fault_queue: FaultQueue, form_pdf: Path) -> None:
    name, set_mode = fault_queue
    set_mode("tonerlow")
    printer = CupsPrinter(name, job_timeout_s=60)
    result = printer.print_pdf(form_pdf, "t")
    assert result.status_after.condition is PrinterCondition.TONER_LOW
    assert printer.printer_status().device_status().state is DeviceState.DEGRADED
    out = Path(os.environ["KIOSK_TEST_FAULT_DIR"]) / "out" / f"{name}-job-{result.job_id}.prn"
    assert out.read_bytes() == form_pdf.read_bytes()


@pytest.mark.slow
def test_a_job_that_never_finishes_times_out_and_is_canceled(fault_queue: FaultQueue, form_pdf: Path) -> None:
    import cups

    name, set_mode = fault_queue
    set_mode("hang")
    with pytest.raises(PrintJobTimeout) as caught:
        CupsPrinter(name).print_pdf(form_pdf, "t", timeout_s=1.0)
    assert caught.value.job_id not in cups.Connection().getJobs(which_jobs="not-completed")
