"""The stacks the real backends speak to are up and behave as the drivers will expect."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.services


def test_pcscd_lists_the_virtual_readers() -> None:
    from smartcard.System import readers

    names = [str(r) for r in readers()]
    assert any(name.startswith("Virtual PCD") for name in names), names


def test_cups_prints_a_pdf_to_the_test_queue(tmp_path: Path) -> None:
    import cups
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    queue = os.environ["KIOSK_TEST_CUPS_QUEUE"]
    pdf = tmp_path / "probe.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawString(72, 720, "kiosk print probe")
    c.save()
    conn = cups.Connection()
    assert queue in conn.getPrinters()
    job = conn.printFile(queue, str(pdf), "kiosk-probe", {})
    # Polling the job state is how the printer driver will follow a job; bounded, never a fixed sleep.
    deadline = time.monotonic() + 60
    state = 0
    while time.monotonic() < deadline:
        state = conn.getJobAttributes(job)["job-state"]
        if state >= cups.IPP_JOB_CANCELED:
            break
        time.sleep(0.05)
    assert state == cups.IPP_JOB_COMPLETED
    out = Path(os.environ["KIOSK_TEST_PDF_DIR"])
    assert list(out.glob(f"*job_{job}.pdf")), sorted(p.name for p in out.iterdir())


def test_sane_test_backend_scans() -> None:
    import sane

    # libsane's reader (sanei_thread) puts SIGPIPE back to its default action during a scan; Python
    # ignores SIGPIPE, so every later write to a closed socket would then kill the whole process
    # instead of raising BrokenPipeError. The scanner driver must restore it the same way.
    sane.init()
    try:
        devices = [d[0] for d in sane.get_devices()]
        assert "test:0" in devices
        dev = sane.open("test:0")
        try:
            dev.mode = "Gray"
            dev.resolution = 50
            image = dev.scan()
        finally:
            dev.close()
    finally:
        sane.exit()
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    assert image.size[0] > 100
    assert image.size[1] > 100
