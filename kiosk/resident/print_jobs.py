"""One print job from a resident's screen: render a PDF, print it on the configured printer, clean up.

A screen builds a `PrintRequest` (what to print and how to render it) and hands it to the print screen,
which runs `run_print_job` on the printer's worker thread. The job reports each step through a callback
(`PrintStep`) so the screen can show live progress, raises the printer's typed errors
(drivers.printer.errors) on failure, and always removes the rendered file: a form with a resident's data
must not stay on disk after the job, printed or not.
"""

from __future__ import annotations

import enum
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drivers.errors import DeviceError
from drivers.printer.errors import PrintCanceled, PrintFileError
from drivers.printer.follow import POLL_S, print_and_follow
from drivers.printer.messages import message_for
from drivers.printer.protocol import JobProgress, JobState, Printer, PrintResult
from kiosk.config import Config
from kiosk.devices.printer import make_printer
from kiosk.forms.fonts import FontMissing

__all__ = ["PRINT_ERRORS", "PrintFailure", "PrintProgress", "PrintRequest", "PrintResult", "PrintStep",
           "counter_note", "describe_failure", "note_after", "run_print_job"]



def counter_note(document: tuple[str, str]) -> tuple[str, str]:
    """When the printer cannot print: the paper `document` (Chinese, English) is at the counter too."""
    return f"您也可以到服务窗口领取纸质{document[0]}。", f"You can also get this {document[1]} at the service counter."


# What `run_print_job` raises besides the printer's DeviceErrors that is not a bug: the spool file cannot
# be written (disk full, read-only medium) or the terminal lacks the CJK font. The screens say "not
# printed" for these; anything else the render raises is a bug (ui/workers.py).
PRINT_ERRORS: tuple[type[Exception], ...] = (OSError, FontMissing)

# Rendered files live here (under the data dir, not /tmp: the data dir is the kiosk's own, private folder).
SPOOL_DIR = "spool"


@dataclass(frozen=True)
class PrintRequest:
    """What to print: a title for the screen and the job, and a function that writes the PDF to a path.
The title and the description are Chinese, with `title_en` and `description_en` for a screen in
English (empty: the Chinese stands, as for a catalogue name).

    `back_to` names the screen 返回 leads to from the print screen ("" = home), with `back_payload`
    (a guide's item code: back to that guide, not to the search). `document` is what comes out of the
    printer, as the print screen names it (Chinese, English): a form, a guide.
    """

    title: str
    render: Callable[[Path], object]
    description: str = ""
    back_to: str = ""
    back_payload: object = None
    document: tuple[str, str] = ("表格", "form")
    title_en: str = ""
    description_en: str = ""


class PrintStep(enum.Enum):
    """What the job is doing, for the screen's progress line."""

    RENDERING = "rendering"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    WAITING = "waiting"  # the job is queued or held
    PRINTING = "printing"
    DONE = "done"


@dataclass(frozen=True)
class PrintProgress:
    step: PrintStep
    job_id: int | None = None
    printer_message: str = ""


ProgressCallback = Callable[[PrintProgress], None]

_JOB_STEP: dict[JobState, PrintStep] = {
    JobState.PENDING: PrintStep.WAITING,
    JobState.HELD: PrintStep.WAITING,
    JobState.STOPPED: PrintStep.WAITING,
    JobState.PROCESSING: PrintStep.PRINTING,
}


def job_title(request: PrintRequest) -> str:
    """The job name the print server sees: the request's title, never a resident's value."""
    return f"kiosk-{request.title}"


def render_to_spool(request: PrintRequest, data_dir: Path) -> Path:
    """Renders the request's PDF into a fresh private file under <data_dir>/spool; the caller removes it."""
    spool = data_dir / SPOOL_DIR
    spool.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix="job-", suffix=".pdf", dir=spool)
    os.close(fd)
    path = Path(name)
    try:
        request.render(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if path.stat().st_size == 0:
        path.unlink(missing_ok=True)
        raise PrintFileError(f"{request.title}: nothing was rendered")
    return path


def print_file(
    printer: Printer, pdf: Path, title: str, progress: ProgressCallback, *,
    timeout_s: float, cancel: threading.Event | None = None, poll_s: float = POLL_S,
) -> PrintResult:
    """Prints through the driver's own follow loop, reporting each change of the job's state.

    The same loop `Printer.print_pdf` runs, fed with the printer's public steps, so the screen sees the
    job's states as they come and every failure is still the driver's typed error (with the job canceled).
    """
    last: list[PrintProgress] = []

    def report(update: PrintProgress) -> None:
        if not last or last[-1] != update:
            last[:] = [update]
            progress(update)

    def submit(path: Path, name: str) -> int:
        report(PrintProgress(PrintStep.SUBMITTING))
        job_id = printer.submit(path, name)
        report(PrintProgress(PrintStep.SUBMITTED, job_id))
        return job_id

    def poll_job(job_id: int) -> JobProgress:
        look = printer.job(job_id)
        step = _JOB_STEP.get(look.state)
        if step is not None:
            report(PrintProgress(step, job_id, look.printer_message))
        return look

    result = print_and_follow(
        pdf, title, printer.queue, submit, poll_job, printer.printer_status, printer.cancel,
        timeout_s=timeout_s, cancel=cancel, poll_s=poll_s,
    )
    report(PrintProgress(PrintStep.DONE, result.job_id))
    return result


def run_print_job(
    request: PrintRequest, config: Config, data_dir: Path, progress: ProgressCallback, *,
    cancel: threading.Event | None = None, printer: Printer | None = None,
) -> PrintResult:
    """The blocking job the print screen runs on its worker: render, print, remove the rendered file.

    Raises the printer's typed errors (PrinterError subclasses, PrinterNotConfigured) and whatever the
    render raises; the rendered file is gone when this returns or raises.
    """
    progress(PrintProgress(PrintStep.RENDERING))
    pdf = render_to_spool(request, data_dir)
    try:
        chosen = printer if printer is not None else make_printer(config, data_dir)
        return print_file(chosen, pdf, job_title(request), progress,
                          timeout_s=config.devices.printer.job_timeout_s, cancel=cancel)
    finally:
        pdf.unlink(missing_ok=True)


@dataclass(frozen=True)
class PrintFailure:
    """What the screen tells the resident about a failed job."""

    zh: str
    en: str
    message_key: str
    cannot_print: bool  # point the resident to the counter: this printer will not print it now
    canceled: bool


def describe_failure(error: BaseException) -> PrintFailure:
    """The resident's message for any failure of `run_print_job` (printer errors by their message key)."""
    if isinstance(error, PrintCanceled):
        text = message_for("printer.canceled")
        return PrintFailure(text.zh, text.en, "printer.canceled", cannot_print=False, canceled=True)
    key = error.message_key if isinstance(error, DeviceError) else "printer.error"
    text = message_for(key)
    return PrintFailure(text.zh, text.en, key, cannot_print=True, canceled=False)


def note_after(result: PrintResult) -> tuple[str, str] | None:
    """A warning the printer gave after the job printed (paper or toner low), or None."""
    after = result.status_after
    if after.condition.value in ("ready", "printing"):
        return None
    text = message_for(after.message_key)
    return text.zh, text.en
