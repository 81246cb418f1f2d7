"""The card watcher reports each placing and removal once, and skips readers that are busy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drivers.errors import DeviceBusy
from kiosk.config import config_from_mapping
from kiosk.devices.card_watch import CardWatcher
from kiosk.devices.manager import DeviceManager, DeviceNotConfigured


class FakeManager:
    def __init__(self) -> None:
        self.busy = False

    @contextlib.contextmanager
    def use(self, role: str, wait_s: float = 2.0) -> Iterator[Any]:
        if role == "citizencard":
            raise DeviceNotConfigured("not here")
        if self.busy:
            raise DeviceBusy("in use")
        yield role


def test_changes_are_reported_once() -> None:
    manager = FakeManager()
    present = {"idcard": False}
    watcher = CardWatcher(manager, present=lambda role, driver: present[role])  # type: ignore[arg-type]
    events: list[tuple[str, bool]] = []
    watcher.add_listener(lambda role, on: events.append((role, on)))
    watcher.poll_once()
    present["idcard"] = True
    watcher.poll_once()
    watcher.poll_once()  # still there: no second event
    manager.busy = True  # a screen is reading the card: no false removal
    present["idcard"] = False
    watcher.poll_once()
    manager.busy = False
    watcher.poll_once()
    assert events == [("idcard", True), ("idcard", False)]


def test_simulated_id_card_reader_through_the_manager(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    watcher = CardWatcher(manager)
    events: list[tuple[str, bool]] = []
    watcher.add_listener(lambda role, on: events.append((role, on)))
    try:
        watcher.poll_once()
        assert events == [("idcard", True)]  # the simulator starts with its demo card on the reader
    finally:
        manager.stop()
