"""Printer health for the status strip: a printer is declared offline after several failed looks, not one."""

from __future__ import annotations

import threading
from collections.abc import Callable

from drivers.printer.errors import PrinterError
from drivers.printer.status import PrinterStatus
from drivers.status import DeviceState, DeviceStatus

FAILURES_BEFORE_OFFLINE = 3


class HealthTracker:
    """Counts consecutive failures to reach the print server; a single glitch only degrades the status."""

    def __init__(self, threshold: int = FAILURES_BEFORE_OFFLINE) -> None:
        self._threshold = threshold
        self._failures = 0
        self._lock = threading.Lock()

    def observe(self, look: Callable[[], PrinterStatus]) -> DeviceStatus:
        try:
            status = look()
        except PrinterError as exc:
            with self._lock:
                self._failures += 1
                failures = self._failures
            state = DeviceState.OFFLINE if failures >= self._threshold else DeviceState.DEGRADED
            return DeviceStatus(state, f"{exc.code}: {exc}", exc.message_key)
        with self._lock:
            self._failures = 0
        return status.device_status()
