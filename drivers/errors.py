"""The typed errors every driver raises: a stable code for logs and a message key for the screen."""

from __future__ import annotations


class DeviceError(Exception):
    """Base of every device failure.

    `code` is stable across releases (logs, heartbeats, the setup screen match on it); `message_key`
    names the resident-facing text the UI looks up. The exception message itself is for technicians
    and must never carry personal data.
    """

    code: str = "device.error"
    message_key: str = "device.error"

    def __init__(self, message: str = "", *, code: str | None = None, message_key: str | None = None) -> None:
        super().__init__(message or self.code)
        if code is not None:
            self.code = code
        if message_key is not None:
            self.message_key = message_key


class DeviceNotFound(DeviceError):
    code = "device.not_found"
    message_key = "device.not_found"


class DeviceTimeout(DeviceError):
    code = "device.timeout"
    message_key = "device.timeout"


class DeviceDisconnected(DeviceError):
    code = "device.disconnected"
    message_key = "device.disconnected"


class DeviceBusy(DeviceError):
    code = "device.busy"
    message_key = "device.busy"


class ProtocolError(DeviceError):
    code = "device.protocol"
    message_key = "device.protocol"


class BackendUnavailable(DeviceError):
    """The library or system service a real backend needs is missing; the message says what to install."""

    code = "device.backend_unavailable"
    message_key = "device.backend_unavailable"
