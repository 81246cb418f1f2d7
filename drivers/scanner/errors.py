"""Typed scanner errors: a stable `code` for logs and the setup screen, a `message_key` for residents."""

from __future__ import annotations

from drivers.errors import BackendUnavailable, DeviceBusy, DeviceError, DeviceNotFound, DeviceTimeout


class ScannerError(DeviceError):
    code = "scanner.error"
    message_key = "scanner.error"


class ScannerBackendUnavailable(BackendUnavailable):
    code = "scanner.backend_unavailable"
    message_key = "scanner.unavailable"


class ScannerNotFound(DeviceNotFound):
    code = "scanner.not_found"
    message_key = "scanner.unavailable"


class NoDocument(ScannerError):
    """The glass or the feeder is empty: the resident should put the material in."""

    code = "scanner.no_document"
    message_key = "scanner.no_document"


class PaperJammed(ScannerError):
    code = "scanner.jammed"
    message_key = "scanner.jammed"


class CoverOpen(ScannerError):
    code = "scanner.cover_open"
    message_key = "scanner.cover_open"


class ScannerBusy(DeviceBusy):
    code = "scanner.busy"
    message_key = "scanner.busy"


class ScannerIOError(ScannerError):
    """The link to the scanner failed (cable, power, USB reset); counts toward declaring it offline."""

    code = "scanner.io_error"
    message_key = "scanner.unavailable"


class ScanCancelled(ScannerError):
    code = "scanner.cancelled"
    message_key = "scanner.cancelled"


class ScanTimeout(DeviceTimeout):
    code = "scanner.timeout"
    message_key = "scanner.unavailable"


class UnsupportedSetting(ScannerError):
    """The device cannot do what was asked (a mode, a source); a configuration problem, not the resident's."""

    code = "scanner.unsupported"
    message_key = "scanner.unavailable"
