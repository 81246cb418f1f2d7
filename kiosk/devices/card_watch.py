"""Watches the card readers for a card being placed or taken away, for the session.

A session starts when a resident presents a card and ends when they take away a card a step needs.
The watcher asks the device manager's own readers (never a second handle on the same port) every
half second whether a card is there, and tells its listeners once per change. A reader that is busy
(a screen is reading the card) or failing is skipped for that round: the card is still there.

Listeners are called on the watcher's thread; the screen layer marshals them with a signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from drivers.errors import DeviceError
from kiosk.background import BackgroundThread
from kiosk.devices.manager import DeviceManager, DeviceNotConfigured

log = logging.getLogger(__name__)

CardListener = Callable[[str, bool], None]  # (role, present)
ROLES = ("idcard", "citizencard")


def card_present(role: str, driver: Any) -> bool:
    """Whether a card lies on the reader, asked in under a second."""
    if role == "idcard":
        return bool(driver.find_card(timeout_s=0.3))
    return bool(driver.card_present())


class CardWatcher:
    def __init__(self, manager: DeviceManager, *, interval_s: float = 0.5,
                 present: Callable[[str, Any], bool] = card_present) -> None:
        self._manager = manager
        self._interval_s = interval_s
        self._present = present
        self._listeners: list[CardListener] = []
        self._last: dict[str, bool] = {}
        self._thread = BackgroundThread("kiosk-cards")

    def add_listener(self, listener: CardListener) -> None:
        self._listeners.append(listener)

    def poll_once(self) -> None:
        """One look at each configured reader; listeners hear of every change."""
        for role in ROLES:
            try:
                with self._manager.use(role, wait_s=0.1) as driver:
                    present = self._present(role, driver)
            except DeviceNotConfigured:
                continue
            except DeviceError:
                # Busy (a screen reads the card now) or failing: the device manager tracks its health.
                continue
            if self._last.get(role, False) != present:
                self._last[role] = present
                for listener in list(self._listeners):
                    try:
                        listener(role, present)
                    except Exception:
                        log.exception("card listener %r failed", listener)

    def start(self) -> None:
        self._thread.start(self._run)

    def _run(self) -> None:
        while not self._thread.stopping.wait(self._interval_s):
            self.poll_once()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._thread.stop(timeout_s)
