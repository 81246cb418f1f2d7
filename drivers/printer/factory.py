"""Opens the configured printer backend from plain settings (drivers import nothing of the kiosk's config)."""

from __future__ import annotations

from pathlib import Path

from drivers.errors import DeviceError
from drivers.printer.protocol import Printer


class PrinterNotConfigured(DeviceError):
    code = "printer.not_configured"
    message_key = "printer.not_configured"


def open_printer(backend: str, *, queue: str = "", output_dir: Path | None = None,
                 job_timeout_s: float = 120.0) -> Printer:
    """backend: "cups" | "simulated" | "none" (devices.printer.backend)."""
    if backend == "cups":
        from drivers.printer.cups_printer import CupsPrinter

        return CupsPrinter(queue, job_timeout_s=job_timeout_s)
    if backend == "simulated":
        from drivers.printer.simulated import SimulatedPrinter

        if output_dir is None:
            raise PrinterNotConfigured("the simulated printer needs an output folder")
        return SimulatedPrinter(output_dir, queue=queue or "Simulated", job_timeout_s=job_timeout_s)
    raise PrinterNotConfigured(f"no printer configured (devices.printer.backend = {backend!r})")
