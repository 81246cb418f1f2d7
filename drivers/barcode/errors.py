"""Typed barcode errors: a stable `code` for logs and the setup screen, a `message_key` for residents."""

from __future__ import annotations

from drivers.errors import BackendUnavailable, DeviceDisconnected, DeviceError, DeviceNotFound, DeviceTimeout


class BarcodeBackendUnavailable(BackendUnavailable):
    code = "barcode.backend_unavailable"
    message_key = "barcode.unavailable"


class UnsupportedImage(DeviceError):
    """The image is not something a decoder can read (dtype, channels); a programming error upstream."""

    code = "barcode.unsupported_image"
    message_key = "barcode.unavailable"


class NoCodeRead(DeviceTimeout):
    """No code arrived within the timeout; normal while waiting for a resident."""

    code = "barcode.no_code"
    message_key = "barcode.show_code"


class CodeScannerNotFound(DeviceNotFound):
    code = "barcode.scanner_not_found"
    message_key = "barcode.unavailable"


class CodeScannerDisconnected(DeviceDisconnected):
    code = "barcode.scanner_disconnected"
    message_key = "barcode.unavailable"


class UnreadableCode(DeviceError):
    """A code was read but its payload is not text we understand (garbled line, wrong encoding)."""

    code = "barcode.unreadable"
    message_key = "barcode.unreadable"
