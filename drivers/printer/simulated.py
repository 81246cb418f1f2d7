"""The simulated printer: PDFs go to a folder, and it can be told to fail in each way a real one does.

It answers through the same typed status (`parse_printer_status` on the attributes CUPS would give) and
the same follow loop as the CUPS backend, so what the tests see is what the kiosk will see. A fault set
while jobs wait behaves like the real thing: they wait (paper out, jam, paused …) and print once the fault
is cleared, as after a technician's refill and `cupsenable`.
"""

from __future__ import annotations

import enum
import itertools
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from drivers.printer.errors import PrinterError, PrinterNotReady, QueueNotFound
from drivers.printer.follow import POLL_S, print_and_follow
from drivers.printer.protocol import JobProgress, JobState, PrintResult, QueueInfo
from drivers.printer.status import (
    IPP_PRINTER_IDLE,
    IPP_PRINTER_PROCESSING,
    IPP_PRINTER_STOPPED,
    PrinterStatus,
    parse_printer_status,
)


class PrinterFault(enum.Enum):
    NONE = "none"
    PAUSED = "paused"
    OFFLINE = "offline"
    MEDIA_EMPTY = "media_empty"
    MEDIA_JAM = "media_jam"
    DOOR_OPEN = "door_open"
    TONER_LOW = "toner_low"
    TONER_EMPTY = "toner_empty"
    NOT_ACCEPTING = "not_accepting"
    JOB_ABORTED = "job_aborted"
    JOB_HANGS = "job_hangs"
    SERVER_DOWN = "server_down"


# What CUPS reports for each fault: (printer-state, printer-state-reasons, printer-state-message).
_REPORTS: dict[PrinterFault, tuple[int, tuple[str, ...], str]] = {
    PrinterFault.NONE: (IPP_PRINTER_IDLE, (), ""),
    PrinterFault.PAUSED: (IPP_PRINTER_STOPPED, ("paused",), "Paused (simulated)"),
    PrinterFault.OFFLINE: (IPP_PRINTER_PROCESSING, (), "The printer may not exist or is unavailable at this time."),
    PrinterFault.MEDIA_EMPTY: (IPP_PRINTER_STOPPED, ("media-empty-error", "paused"), "Out of paper (simulated)"),
    PrinterFault.MEDIA_JAM: (IPP_PRINTER_STOPPED, ("media-jam-error", "paused"), "Paper jam (simulated)"),
    PrinterFault.DOOR_OPEN: (IPP_PRINTER_STOPPED, ("door-open-error", "paused"), "Door open (simulated)"),
    PrinterFault.TONER_LOW: (IPP_PRINTER_IDLE, ("toner-low-warning",), ""),
    PrinterFault.TONER_EMPTY: (IPP_PRINTER_STOPPED, ("toner-empty-error", "paused"), "Toner empty (simulated)"),
    PrinterFault.NOT_ACCEPTING: (IPP_PRINTER_IDLE, (), "Not accepting jobs (simulated)"),
    PrinterFault.JOB_ABORTED: (IPP_PRINTER_IDLE, (), ""),
    PrinterFault.JOB_HANGS: (IPP_PRINTER_PROCESSING, (), "Printing (simulated)"),
}
_PRINTS = frozenset({PrinterFault.NONE, PrinterFault.TONER_LOW})
_JOB_NAME = re.compile(r"job_(\d+)\.pdf$")


@dataclass
class _Job:
    pdf: Path
    title: str
    state: JobState
    message: str = ""


class SimulatedPrinter:
    """A print queue that writes each completed job to `<output_dir>/<title>-job_<id>.pdf`."""

    def __init__(self, output_dir: Path, *, queue: str = "Simulated", job_timeout_s: float = 120.0,
                 poll_s: float = POLL_S, fault: PrinterFault = PrinterFault.NONE) -> None:
        self.output_dir = output_dir
        self._queue = queue
        self._job_timeout_s = job_timeout_s
        self._poll_s = poll_s
        self._fault = fault
        self._jobs: dict[int, _Job] = {}
        self._lock = threading.Lock()
        output_dir.mkdir(parents=True, exist_ok=True)
        # Job ids keep counting across runs, as a print server's do, so no output file is overwritten.
        used = [int(m.group(1)) for p in output_dir.glob("*job_*.pdf") if (m := _JOB_NAME.search(p.name))]
        self._ids = itertools.count(max(used, default=0) + 1)

    @property
    def queue(self) -> str:
        return self._queue

    @property
    def fault(self) -> PrinterFault:
        return self._fault

    def set_fault(self, fault: PrinterFault) -> None:
        """Puts the printer into a fault, or back to working with PrinterFault.NONE (waiting jobs then print)."""
        with self._lock:
            self._fault = fault
            if fault in _PRINTS:
                for job_id, job in self._jobs.items():
                    if not job.state.finished:
                        self._complete(job_id, job)

    def _check_server(self) -> None:
        if self._fault is PrinterFault.SERVER_DOWN:
            raise PrinterError("print server unreachable (simulated)", code="printer.server_unreachable",
                               message_key="printer.offline")

    def queues(self, timeout_s: float = 1.0) -> list[QueueInfo]:
        self._check_server()
        return [QueueInfo(name=self._queue, description="Simulated printer",
                          device_uri=self.output_dir.as_uri(), is_default=True)]

    def printer_status(self, timeout_s: float = 1.0) -> PrinterStatus:
        self._check_server()
        state, reasons, message = _REPORTS[self._fault]
        with self._lock:
            busy = any(not job.state.finished for job in self._jobs.values())
        if busy and state == IPP_PRINTER_IDLE:
            state = IPP_PRINTER_PROCESSING
        return parse_printer_status(self._queue, state, reasons, message,
                                    accepting=self._fault is not PrinterFault.NOT_ACCEPTING)

    def submit(self, pdf: Path, title: str, timeout_s: float = 1.0) -> int:
        self._check_server()
        if self._fault is PrinterFault.NOT_ACCEPTING:
            raise PrinterNotReady(self.printer_status())
        with self._lock:
            job_id = next(self._ids)
            job = _Job(pdf=pdf, title=title, state=JobState.PENDING)
            self._jobs[job_id] = job
            if self._fault in _PRINTS:
                self._complete(job_id, job)
            elif self._fault is PrinterFault.JOB_ABORTED:
                job.state, job.message = JobState.ABORTED, "Printer offline (simulated)"
            elif self._fault in (PrinterFault.JOB_HANGS, PrinterFault.OFFLINE):
                job.state = JobState.PROCESSING
            else:
                job.message = _REPORTS[self._fault][2]
        return job_id

    def _complete(self, job_id: int, job: _Job) -> None:
        safe = re.sub(r"[^0-9A-Za-z_.-]+", "_", job.title).strip("_") or "job"
        shutil.copyfile(job.pdf, self.output_dir / f"{safe}-job_{job_id}.pdf")
        job.state, job.message = JobState.COMPLETED, ""

    def job(self, job_id: int, timeout_s: float = 1.0) -> JobProgress:
        self._check_server()
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise QueueNotFound(f"job {job_id}: no such job")
            return JobProgress(job_id=job_id, state=job.state, printer_message=job.message)

    def output_of(self, job_id: int) -> Path:
        """Where a completed job's PDF was written."""
        return next(self.output_dir.glob(f"*-job_{job_id}.pdf"))

    def cancel(self, job_id: int, timeout_s: float = 1.0) -> None:
        self._check_server()
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and not job.state.finished:
                job.state = JobState.CANCELED

    def print_pdf(
        self, pdf: Path, title: str, *, timeout_s: float | None = None, cancel: threading.Event | None = None,
    ) -> PrintResult:
        return print_and_follow(
            pdf, title, self._queue, self.submit, self.job, self.printer_status, self.cancel,
            timeout_s=self._job_timeout_s if timeout_s is None else timeout_s, cancel=cancel, poll_s=self._poll_s,
        )
