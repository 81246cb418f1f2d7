"""Typed camera errors: a stable `code` for logs and the setup screen, a `message_key` for residents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.errors import BackendUnavailable, DeviceDisconnected, DeviceError, DeviceNotFound, DeviceTimeout

if TYPE_CHECKING:
    from drivers.camera.quality import QualityReport


class CameraBackendUnavailable(BackendUnavailable):
    code = "camera.backend_unavailable"
    message_key = "camera.unavailable"


class CameraNotFound(DeviceNotFound):
    code = "camera.not_found"
    message_key = "camera.unavailable"


class CameraDisconnected(DeviceDisconnected):
    """Frames stopped coming; the backend reconnects on later reads."""

    code = "camera.disconnected"
    message_key = "camera.unavailable"


class CameraTimeout(DeviceTimeout):
    code = "camera.timeout"
    message_key = "camera.unavailable"


class CameraNotOpen(DeviceError):
    code = "camera.not_open"
    message_key = "camera.unavailable"


class PageNotFound(DeviceError):
    """The frame holds no page we can outline: the resident should place the material in the frame."""

    code = "camera.page_not_found"
    message_key = "camera.quality.no_page"


class CaptureRejected(DeviceError):
    """The page was found but is not legible enough; `report` lists what to fix, most important first."""

    code = "camera.capture_rejected"

    def __init__(self, report: QualityReport) -> None:
        first = report.issues[0].message_key if report.issues else "camera.quality.retry"
        super().__init__(
            "capture rejected: " + ", ".join(issue.kind.value for issue in report.issues), message_key=first
        )
        self.report = report
