"""The printer interface every backend implements, and the values it hands back.

Every method blocks for at most about a second per step; `print_pdf` loops over such steps and
checks a cancel event between them, so a resident walking away or a shutdown stops the wait at once.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from drivers.printer.status import PrinterStatus


class JobState(enum.Enum):
    """IPP job-state, named."""

    PENDING = 3
    HELD = 4
    PROCESSING = 5
    STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def finished(self) -> bool:
        return self.value >= JobState.CANCELED.value


@dataclass(frozen=True)
class QueueInfo:
    name: str
    description: str
    device_uri: str
    is_default: bool


@dataclass(frozen=True)
class JobProgress:
    """One look at a job: its state and the printer's message about it."""

    job_id: int
    state: JobState
    printer_message: str = ""


@dataclass(frozen=True)
class PrintResult:
    """A job that completed: the paper is out (as far as the printer can tell)."""

    job_id: int
    queue: str
    status_after: PrinterStatus


class Printer(Protocol):
    """One print queue."""

    @property
    def queue(self) -> str:
        """The queue this printer prints to (resolved: never empty once the printer is opened)."""
        ...

    def queues(self, timeout_s: float = 1.0) -> list[QueueInfo]:
        """Every queue the print server offers."""
        ...

    def printer_status(self, timeout_s: float = 1.0) -> PrinterStatus:
        """The printer's state and reasons now. Raises PrinterError if the server cannot be asked."""
        ...

    def submit(self, pdf: Path, title: str, timeout_s: float = 1.0) -> int:
        """Hands a PDF to the queue; returns the job id. Raises PrintFileError, QueueNotFound, PrinterNotReady."""
        ...

    def job(self, job_id: int, timeout_s: float = 1.0) -> JobProgress:
        """One look at a job."""
        ...

    def cancel(self, job_id: int, timeout_s: float = 1.0) -> None:
        """Cancels a job that has not finished; a finished job is left alone."""
        ...

    def print_pdf(
        self, pdf: Path, title: str, *, timeout_s: float | None = None, cancel: threading.Event | None = None,
    ) -> PrintResult:
        """Submits and follows the job until it completes. On any failure the job is canceled (so no paper
        with a resident's data comes out after they left) and a typed PrinterError is raised."""
        ...
