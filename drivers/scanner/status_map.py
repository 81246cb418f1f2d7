"""SANE status → our typed errors.

python-sane raises `_sane.error` with only `sane_strstatus()` text, so the mapping is by that text
(SANE prints it untranslated). "Out of documents" means "feeder empty" after the first feeder page and
"nothing to scan" before it; the page loop decides which.
"""

from __future__ import annotations

from drivers.errors import DeviceError
from drivers.scanner.errors import (
    CoverOpen,
    NoDocument,
    PaperJammed,
    ScanCancelled,
    ScannerBusy,
    ScannerError,
    ScannerIOError,
    UnsupportedSetting,
)

NO_DOCS = "Document feeder out of documents"
CANCELLED = "Operation was canceled"

_BY_TEXT: dict[str, type[DeviceError]] = {
    NO_DOCS: NoDocument,
    "Document feeder jammed": PaperJammed,
    "Scanner cover is open": CoverOpen,
    "Device busy": ScannerBusy,
    "Lamp not ready, please retry": ScannerBusy,
    "Error during device I/O": ScannerIOError,
    CANCELLED: ScanCancelled,
    "Operation not supported": UnsupportedSetting,
    "Invalid argument": UnsupportedSetting,
}
_OTHER_CODES = {
    "Out of memory": "scanner.out_of_memory",
    "Access to resource has been denied": "scanner.access_denied",
    "Scanner mechanism locked for transport": "scanner.locked",
}


def error_for(text: str) -> DeviceError:
    """The typed error for a SANE status text (an unknown text keeps its wording under scanner.error)."""
    kind = _BY_TEXT.get(text)
    if kind is not None:
        return kind(f"SANE: {text}")
    return ScannerError(f"SANE: {text}", code=_OTHER_CODES.get(text, "scanner.error"))


# Errors that say something about the device's health; the others are the resident's (no paper,
# cover open) or ours (a setting), and a scanner reporting them is working.
HEALTH_FAILURES: tuple[type[DeviceError], ...] = (ScannerIOError, ScannerBusy)
