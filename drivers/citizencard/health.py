"""How the latest read went, which both backends report as their status."""

from __future__ import annotations

from drivers.citizencard.errors import CitizenCardError, PcscUnavailable, ReaderNotFound
from drivers.status import DeviceState, DeviceStatus, failed_look

# Card-level errors (removed, unknown card, needs PSAM) say nothing about the reader's health.
_READER_FAILURES = (PcscUnavailable, ReaderNotFound)


class Health:
    """Only the latest outcome: counting failed looks into an outage is the device manager's job."""

    def __init__(self) -> None:
        self.last_error: CitizenCardError | None = None
        self.seen_ok = False

    def ok(self) -> None:
        self.last_error = None
        self.seen_ok = True

    def failed(self, error: CitizenCardError) -> None:
        if isinstance(error, _READER_FAILURES):
            self.last_error = error
        else:
            # The reader answered, the card did not: the reader is fine.
            self.ok()

    def status(self) -> DeviceStatus:
        if self.last_error is not None:
            return failed_look(self.last_error)
        if self.seen_ok:
            return DeviceStatus(DeviceState.OK)
        return DeviceStatus(DeviceState.UNKNOWN)
