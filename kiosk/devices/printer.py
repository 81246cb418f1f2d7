"""The configured printer as a driver, for the print jobs and commands that do not go through the
device manager's long-lived devices."""

from __future__ import annotations

from pathlib import Path

from drivers.printer.factory import open_printer
from drivers.printer.protocol import Printer
from kiosk.config import Config


def make_printer(config: Config, data_dir: Path, queue: str | None = None) -> Printer:
    """The configured printer; the simulated one writes to devices.printer.output_dir (default <data>/printed)."""
    settings = config.devices.printer
    output_dir = Path(settings.output_dir).expanduser() if settings.output_dir else Path("printed")
    if not output_dir.is_absolute():
        output_dir = data_dir / output_dir
    return open_printer(settings.backend, queue=queue or settings.queue, output_dir=output_dir,
                        job_timeout_s=settings.job_timeout_s)
