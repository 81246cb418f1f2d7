"""Typed printer failures. `code` and `message_key` follow the printer's condition or the job's fate."""

from __future__ import annotations

from drivers.errors import DeviceError, DeviceTimeout
from drivers.printer.status import PrinterStatus


class PrinterError(DeviceError):
    code = "printer.error"
    message_key = "printer.error"


class QueueNotFound(PrinterError):
    """The configured CUPS queue does not exist (or the server has no default destination)."""

    code = "printer.queue_not_found"
    message_key = "printer.offline"


class PrintFileError(PrinterError):
    """The file to print is missing or is not a PDF; nothing was sent to the printer."""

    code = "printer.bad_file"
    message_key = "printer.error"


class PrinterNotReady(PrinterError):
    """The printer cannot print now (offline, paused, out of paper, jammed, door open …).

    `status` is what the printer reported; `job_id` is the job that was waiting when it was noticed (None if
    it was noticed before submitting). Code and message key are `printer.<condition>`.
    """

    def __init__(self, status: PrinterStatus, job_id: int | None = None) -> None:
        key = status.message_key
        super().__init__(
            f"queue {status.queue}: {status.condition.value}" + (f" ({status.message})" if status.message else ""),
            code=key, message_key=key,
        )
        self.status = status
        self.job_id = job_id


class PrintJobFailed(PrinterError):
    """The job ended without printing: aborted by the printer or its backend, or canceled at the server."""

    def __init__(self, job_id: int, state: str, printer_message: str = "") -> None:
        super().__init__(
            f"job {job_id} {state}" + (f": {printer_message}" if printer_message else ""),
            code=f"printer.job_{state}", message_key="printer.job_failed",
        )
        self.job_id = job_id
        self.state = state
        self.printer_message = printer_message


class PrintJobTimeout(PrinterError, DeviceTimeout):
    """The job did not finish within the job timeout (the printer may be stuck or unreachable)."""

    code = "printer.job_timeout"
    message_key = "printer.job_timeout"

    def __init__(self, job_id: int, timeout_s: float, printer_message: str = "") -> None:
        super().__init__(
            f"job {job_id} not finished after {timeout_s:g} s" + (f": {printer_message}" if printer_message else "")
        )
        self.job_id = job_id
        self.printer_message = printer_message


class PrintCanceled(PrinterError):
    """The caller gave up waiting (the resident left, the kiosk is shutting down); the job was canceled."""

    code = "printer.canceled_by_caller"
    message_key = "printer.canceled"

    def __init__(self, job_id: int) -> None:
        super().__init__(f"job {job_id} canceled by the caller")
        self.job_id = job_id
