"""What a printer says about itself, in typed form: CUPS printer-state + printer-state-reasons + message.

Both backends report through `PrinterStatus`; `parse_printer_status` turns the raw IPP attributes into it
so the mapping is one piece of pure logic the unit tests cover.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from drivers.status import DeviceState, DeviceStatus


class PrinterCondition(enum.Enum):
    """One thing a printer can be in. Ordered below from the most to the least severe."""

    OFFLINE = "offline"
    DOOR_OPEN = "door_open"
    MEDIA_JAM = "media_jam"
    MEDIA_EMPTY = "media_empty"
    TONER_EMPTY = "toner_empty"
    NOT_ACCEPTING = "not_accepting"
    PAUSED = "paused"
    OTHER_ERROR = "other_error"
    MEDIA_LOW = "media_low"
    TONER_LOW = "toner_low"
    PRINTING = "printing"
    READY = "ready"


SEVERITY: tuple[PrinterCondition, ...] = tuple(PrinterCondition)

# The printer cannot put paper out while any of these holds.
BLOCKING = frozenset({
    PrinterCondition.OFFLINE, PrinterCondition.DOOR_OPEN, PrinterCondition.MEDIA_JAM, PrinterCondition.MEDIA_EMPTY,
    PrinterCondition.TONER_EMPTY, PrinterCondition.NOT_ACCEPTING, PrinterCondition.PAUSED,
    PrinterCondition.OTHER_ERROR,
})
# Prints, but a technician should look soon.
WARNING = frozenset({PrinterCondition.MEDIA_LOW, PrinterCondition.TONER_LOW})

# IPP printer-state-reasons keywords (RFC 8011 §5.4.12 and PWG 5100.9), without their -error/-warning/-report
# suffix. Vendor drivers use several spellings for the same fault.
_REASONS: dict[str, PrinterCondition] = {
    "offline": PrinterCondition.OFFLINE,
    "shutdown": PrinterCondition.OFFLINE,
    "timed-out": PrinterCondition.OFFLINE,
    "door-open": PrinterCondition.DOOR_OPEN,
    "cover-open": PrinterCondition.DOOR_OPEN,
    "interlock-open": PrinterCondition.DOOR_OPEN,
    "media-jam": PrinterCondition.MEDIA_JAM,
    "input-tray-missing": PrinterCondition.MEDIA_EMPTY,
    "media-empty": PrinterCondition.MEDIA_EMPTY,
    "media-needed": PrinterCondition.MEDIA_EMPTY,
    "toner-empty": PrinterCondition.TONER_EMPTY,
    "marker-supply-empty": PrinterCondition.TONER_EMPTY,
    "paused": PrinterCondition.PAUSED,
    "moving-to-paused": PrinterCondition.PAUSED,
    "media-low": PrinterCondition.MEDIA_LOW,
    "toner-low": PrinterCondition.TONER_LOW,
    "marker-supply-low": PrinterCondition.TONER_LOW,
}
_SUFFIXES = ("-error", "-warning", "-report")
# Reasons that say nothing about the printer's health.
# connecting-to-device shows during every network print job; an unreachable printer shows in the message.
_IGNORED = frozenset({
    "none", "connecting-to-device", "cups-waiting-for-job-completed", "cups-insecure-filter", "cups-missing-filter",
})
# What the CUPS socket/ipp backends put in printer-state-message while they retry an unreachable printer; the
# reasons stay 'none' then, so the message is the only sign.
_OFFLINE_MESSAGES = ("may not exist or is unavailable", "unable to connect", "network host", "not responding")

IPP_PRINTER_IDLE = 3
IPP_PRINTER_PROCESSING = 4
IPP_PRINTER_STOPPED = 5


@dataclass(frozen=True)
class PrinterStatus:
    """A printer (CUPS queue) as its server reports it.

    `conditions` is sorted most severe first; `message` is the printer's own text (technician-facing,
    English as CUPS gives it); `reasons` are the raw IPP keywords, kept for the setup screen and logs.
    """

    queue: str
    conditions: tuple[PrinterCondition, ...]
    message: str = ""
    reasons: tuple[str, ...] = ()
    accepting: bool = True

    @property
    def condition(self) -> PrinterCondition:
        """The one condition to tell the resident about."""
        return self.conditions[0] if self.conditions else PrinterCondition.READY

    @property
    def can_print(self) -> bool:
        return not BLOCKING.intersection(self.conditions)

    @property
    def message_key(self) -> str:
        return f"printer.{self.condition.value}"

    def device_status(self) -> DeviceStatus:
        """The kind-independent health for the status strip and service gating."""
        detail = self.message or ", ".join(self.reasons)
        if not self.can_print:
            return DeviceStatus(DeviceState.OFFLINE, detail, self.message_key)
        if WARNING.intersection(self.conditions):
            return DeviceStatus(DeviceState.DEGRADED, detail, self.message_key)
        if PrinterCondition.PRINTING in self.conditions:
            return DeviceStatus(DeviceState.BUSY, detail, self.message_key)
        return DeviceStatus(DeviceState.OK, detail, self.message_key)


def condition_for_reason(reason: str) -> PrinterCondition | None:
    """The condition one printer-state-reasons keyword stands for, or None for reasons we do not act on."""
    keyword = reason.strip().lower()
    if keyword in _IGNORED or not keyword:
        return None
    for suffix in _SUFFIXES:
        if keyword.endswith(suffix):
            keyword = keyword[: -len(suffix)]
            break
    if keyword in _REASONS:
        return _REASONS[keyword]
    # An unknown -error reason still stops the paper; unknown warnings and reports do not.
    return PrinterCondition.OTHER_ERROR if reason.strip().lower().endswith("-error") else None


def parse_printer_status(
    queue: str, state: int, reasons: Iterable[str], message: str = "", *, accepting: bool = True,
) -> PrinterStatus:
    """Typed status from the IPP attributes printer-state, printer-state-reasons, printer-state-message and
    printer-is-accepting-jobs."""
    raw = tuple(r for r in reasons if r and r != "none")
    found = {c for c in (condition_for_reason(r) for r in raw) if c is not None}
    if state == IPP_PRINTER_STOPPED and not BLOCKING.intersection(found):
        # Stopped without a fault reason: disabled by a technician (cupsdisable) or by a backend failure.
        found.add(PrinterCondition.PAUSED)
    if state == IPP_PRINTER_PROCESSING:
        lowered = message.lower()
        if any(text in lowered for text in _OFFLINE_MESSAGES):
            found.add(PrinterCondition.OFFLINE)
        else:
            found.add(PrinterCondition.PRINTING)
    if not accepting:
        found.add(PrinterCondition.NOT_ACCEPTING)
    if not found:
        found.add(PrinterCondition.READY)
    conditions = tuple(sorted(found, key=SEVERITY.index))
    return PrinterStatus(queue=queue, conditions=conditions, message=message.strip(), reasons=raw, accepting=accepting)
