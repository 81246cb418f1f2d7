"""Following a print job to its end: the loop both backends share, so the simulator exercises the same code.

The loop asks for the job's state and the printer's status in steps of at most `poll_s`, waits between
them on the cancel event (never a bare sleep), and turns what it sees into a PrintResult or a typed error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers.errors import DeviceError
from drivers.printer.errors import PrintCanceled, PrinterNotReady, PrintFileError, PrintJobFailed, PrintJobTimeout
from drivers.printer.protocol import JobProgress, JobState, PrintResult
from drivers.printer.status import PrinterStatus

log = logging.getLogger(__name__)

POLL_S = 0.05
# A printer that cannot print while our job waits usually stays so until a technician comes: say so at once,
# but only after it said so on a few looks in a row, so a passing state does not fail a job that would print.
NOT_READY_LOOKS = 3


def check_pdf(pdf: Path) -> None:
    """Refuses anything but a readable PDF before it reaches the printer (a stray file prints pages of garbage)."""
    try:
        with pdf.open("rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        raise PrintFileError(f"{pdf}: {exc.strerror or exc}") from exc
    if head != b"%PDF-":
        raise PrintFileError(f"{pdf}: not a PDF file")


def follow_job(
    job_id: int,
    queue: str,
    poll_job: Callable[[int], JobProgress],
    poll_status: Callable[[], PrinterStatus],
    *,
    timeout_s: float,
    cancel: threading.Event | None = None,
    poll_s: float = POLL_S,
    clock: Callable[[], float] = time.monotonic,
) -> PrintResult:
    """Waits for the job to complete. Raises PrintJobFailed, PrinterNotReady, PrintJobTimeout or PrintCanceled."""
    event = cancel if cancel is not None else threading.Event()
    deadline = clock() + timeout_s
    not_ready = 0
    while True:
        progress = poll_job(job_id)
        if progress.state is JobState.COMPLETED:
            return PrintResult(job_id=job_id, queue=queue, status_after=poll_status())
        if progress.state is JobState.ABORTED:
            raise PrintJobFailed(job_id, "aborted", progress.printer_message)
        if progress.state is JobState.CANCELED:
            raise PrintJobFailed(job_id, "canceled", progress.printer_message)
        status = poll_status()
        not_ready = 0 if status.can_print else not_ready + 1
        if not_ready >= NOT_READY_LOOKS:
            raise PrinterNotReady(status, job_id)
        if clock() >= deadline:
            raise PrintJobTimeout(job_id, timeout_s, progress.printer_message)
        if event.wait(poll_s):
            raise PrintCanceled(job_id)


def print_and_follow(
    pdf: Path,
    title: str,
    queue: str,
    submit: Callable[[Path, str], int],
    poll_job: Callable[[int], JobProgress],
    poll_status: Callable[[], PrinterStatus],
    cancel_job: Callable[[int], None],
    *,
    timeout_s: float,
    cancel: threading.Event | None = None,
    poll_s: float = POLL_S,
) -> PrintResult:
    """Checks the file and the printer, submits, follows; cancels the job on every failure."""
    check_pdf(pdf)
    before = poll_status()
    if not before.can_print:
        # Queueing now would print later, maybe after the resident has gone; refuse instead.
        raise PrinterNotReady(before)
    job_id = submit(pdf, title)
    try:
        return follow_job(job_id, queue, poll_job, poll_status, timeout_s=timeout_s, cancel=cancel, poll_s=poll_s)
    except (PrinterNotReady, PrintJobTimeout, PrintCanceled):
        _cancel_quietly(cancel_job, job_id)
        raise


def _cancel_quietly(cancel_job: Callable[[int], None], job_id: int) -> None:
    try:
        cancel_job(job_id)
    except DeviceError as exc:
        # The job may have finished meanwhile; the caller's error is the one that matters.
        log.info("could not cancel job %d: %s", job_id, exc.code)
