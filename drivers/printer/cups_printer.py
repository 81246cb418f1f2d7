"""The real backend: pycups over a local or remote cupsd.

pycups is imported lazily so the rest of the kiosk runs where libcups is missing. pycups has no per-call
timeout; calls go to cupsd on the local socket and answer in milliseconds, and the follow loop never
waits more than its poll step between them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from drivers.errors import BackendUnavailable
from drivers.printer.errors import PrinterError, PrinterNotReady, QueueNotFound
from drivers.printer.follow import POLL_S, print_and_follow
from drivers.printer.protocol import JobProgress, JobState, PrintResult, QueueInfo
from drivers.printer.status import PrinterStatus, parse_printer_status

log = logging.getLogger(__name__)

_PRINTER_ATTRIBUTES = [
    "printer-state", "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs",
]
_JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]
_IPP_NOT_FOUND = 0x0406
_IPP_NOT_ACCEPTING = 0x0506
_IPP_NOT_POSSIBLE = 0x0404


def import_cups() -> ModuleType:
    try:
        import cups
    except ImportError as exc:
        raise BackendUnavailable(
            "pycups is not installed: apt install libcups2-dev cups-client, then pip install pycups"
        ) from exc
    module: ModuleType = cups
    return module


class CupsPrinter:
    """One CUPS queue (or the server's default destination when `queue` is empty)."""

    def __init__(self, queue: str = "", *, job_timeout_s: float = 120.0, poll_s: float = POLL_S) -> None:
        self._cups = import_cups()
        self._requested = queue
        self._queue = queue
        self._job_timeout_s = job_timeout_s
        self._poll_s = poll_s
        self._conn: Any = None
        # A pycups connection is one HTTP connection: one request at a time.
        self._lock = threading.RLock()

    # -- connection ----------------------------------------------------------------------------------------

    def _call(self, what: str, method: str, *args: Any, **kwargs: Any) -> Any:
        cups = self._cups
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = cups.Connection()
                return getattr(self._conn, method)(*args, **kwargs)
            except cups.IPPError as exc:
                status, text = exc.args if len(exc.args) == 2 else (0, str(exc))
                if status == _IPP_NOT_FOUND:
                    raise QueueNotFound(f"{what}: {text}") from exc
                raise PrinterError(f"{what}: IPP {status:#06x} {text}", code="printer.ipp_error") from exc
            except (RuntimeError, cups.HTTPError) as exc:
                # cupsd restarted or is down: reconnect on the next call.
                self._conn = None
                raise PrinterError(f"{what}: print server unreachable ({exc})", code="printer.server_unreachable",
                                   message_key="printer.offline") from exc

    @property
    def queue(self) -> str:
        if not self._queue:
            default = self._call("default destination", "getDefault")
            if not default:
                raise QueueNotFound("no queue configured and the print server has no default destination")
            self._queue = str(default)
        return self._queue

    # -- Printer protocol -----------------------------------------------------------------------------------

    def queues(self, timeout_s: float = 1.0) -> list[QueueInfo]:
        printers: dict[str, dict[str, Any]] = self._call("list queues", "getPrinters")
        default = self._call("default destination", "getDefault")
        return [
            QueueInfo(name=name, description=str(attrs.get("printer-info", "")),
                      device_uri=str(attrs.get("device-uri", "")), is_default=name == default)
            for name, attrs in sorted(printers.items())
        ]

    def printer_status(self, timeout_s: float = 1.0) -> PrinterStatus:
        queue = self.queue
        attrs: dict[str, Any] = self._call(
            f"queue {queue}", "getPrinterAttributes", queue, requested_attributes=_PRINTER_ATTRIBUTES,
        )
        reasons = attrs.get("printer-state-reasons", [])
        if isinstance(reasons, str):
            reasons = [reasons]
        return parse_printer_status(
            queue, int(attrs.get("printer-state", 0)), [str(r) for r in reasons],
            str(attrs.get("printer-state-message", "")), accepting=bool(attrs.get("printer-is-accepting-jobs", True)),
        )

    def submit(self, pdf: Path, title: str, timeout_s: float = 1.0) -> int:
        queue = self.queue
        try:
            job_id = self._call(f"queue {queue}", "printFile", queue, str(pdf), title, {})
        except PrinterError as exc:
            if isinstance(exc.__cause__, self._cups.IPPError) and exc.__cause__.args[:1] in (
                (_IPP_NOT_ACCEPTING,), (_IPP_NOT_POSSIBLE,),
            ):
                raise PrinterNotReady(self.printer_status()) from exc
            raise
        log.info("job %d submitted to %s", job_id, queue)
        return int(job_id)

    def job(self, job_id: int, timeout_s: float = 1.0) -> JobProgress:
        attrs: dict[str, Any] = self._call(
            f"job {job_id}", "getJobAttributes", job_id, requested_attributes=_JOB_ATTRIBUTES,
        )
        return JobProgress(
            job_id=job_id, state=JobState(int(attrs["job-state"])),
            printer_message=str(attrs.get("job-printer-state-message", "")),
        )

    def cancel(self, job_id: int, timeout_s: float = 1.0) -> None:
        if self.job(job_id).state.finished:
            return
        # purge_job=True: the spooled copy holds a resident's data; nothing keeps it after a cancel.
        self._call(f"job {job_id}", "cancelJob", job_id, purge_job=True)
        log.info("job %d canceled", job_id)

    def print_pdf(
        self, pdf: Path, title: str, *, timeout_s: float | None = None, cancel: threading.Event | None = None,
    ) -> PrintResult:
        return print_and_follow(
            pdf, title, self.queue, self.submit, self.job, self.printer_status, self.cancel,
            timeout_s=self._job_timeout_s if timeout_s is None else timeout_s, cancel=cancel, poll_s=self._poll_s,
        )
