"""Carries the sync engine's status reports from its thread to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.platform.sync import SyncEngine, SyncStatus


class SyncBridge(QObject):
    """Lives on the GUI thread. The engine calls `_on_status` on the sync thread; emitting the signal
    from there queues it, so connected slots always run on the GUI thread."""

    status_changed = Signal(object)

    def __init__(self, engine: SyncEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        engine.add_listener(self._on_status)

    def _on_status(self, status: SyncStatus) -> None:
        self.status_changed.emit(status)
