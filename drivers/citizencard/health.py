"""Consecutive-failure bookkeeping shared by the backends: offline after several reader failures, not one."""

from __future__ import annotations

from drivers.citizencard.errors import CitizenCardError, PcscUnavailable, ReaderNotFound
from drivers.citizencard.protocol import OFFLINE_AFTER_FAILURES
from drivers.status import DeviceState, DeviceStatus

# Card-level errors (removed, unknown card, needs PSAM) say nothing about the reader's health.
_READER_FAILURES = (PcscUnavailable, ReaderNotFound)


class Health:
    def __init__(self, threshold: int = OFFLINE_AFTER_FAILURES) -> None:
        self.threshold = threshold
        self.failures = 0
        self.last_error: CitizenCardError | None = None
        self.seen_ok = False

    def ok(self) -> None:
        self.failures = 0
        self.last_error = None
        self.seen_ok = True

    def failed(self, error: CitizenCardError) -> None:
        if isinstance(error, _READER_FAILURES):
            self.failures += 1
            self.last_error = error
        else:
            # The reader answered, the card did not: the reader is fine.
            self.failures = 0
            self.seen_ok = True

    def status(self) -> DeviceStatus:
        if self.failures >= self.threshold and self.last_error is not None:
            return DeviceStatus(DeviceState.OFFLINE, self.last_error.code, self.last_error.message_key)
        if self.failures and self.last_error is not None:
            return DeviceStatus(DeviceState.DEGRADED, self.last_error.code, self.last_error.message_key)
        if self.seen_ok:
            return DeviceStatus(DeviceState.OK)
        return DeviceStatus(DeviceState.UNKNOWN)
