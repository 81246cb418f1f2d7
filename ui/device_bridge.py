"""Carries the device manager's status reports from its thread to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.devices.manager import DeviceManager
from kiosk.status import DeviceStatus


class DeviceBridge(QObject):
    """Lives on the GUI thread. The manager calls `_on_statuses` on its own thread; emitting the signal
    from there queues it, so connected slots (status strip, tile gating) always run on the GUI thread.

    `statuses_changed(dict[str, DeviceStatus])`: every role's status, after any change.
    """

    statuses_changed = Signal(object)

    def __init__(self, manager: DeviceManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        manager.add_listener(self._on_statuses)

    def _on_statuses(self, statuses: dict[str, DeviceStatus]) -> None:
        self.statuses_changed.emit(statuses)
