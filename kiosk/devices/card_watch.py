"""Watches the card readers for a card being placed or taken away, for the session.

A session starts when a resident presents a card and ends when they take away a card a step needs.
The watcher asks the device manager's own readers (never a second handle on the same port) every
half second whether a card is there, and tells its listeners once per change. A reader that is busy
(a screen is reading the card) or failing is skipped for that round: the card is still there.

A placement is reported at once. A removal only once it is confirmed: `removal_misses` "no card"
answers in a row (one RF glitch or a card shifted on the reader must not end a resident's session).
After a first miss the reader is asked again after `recheck_s` instead of the full interval, so a
card that really went is reported within a second. The same rule serves both kinds of card.

Listeners are called on the watcher's thread; the screen layer marshals them with a signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from drivers.citizencard.protocol import CitizenCardReader
from drivers.errors import DeviceError
from drivers.idcard.protocol import IdCardReader
from kiosk.background import BackgroundThread
from kiosk.devices.manager import CITIZENCARD, IDCARD, DeviceManager, DeviceNotConfigured, DeviceRole

log = logging.getLogger(__name__)

CardListener = Callable[[str, bool], None]  # (role, present)
ROLES = ("idcard", "citizencard")
INTERVAL_S = 0.5
RECHECK_S = 0.2
REMOVAL_MISSES = 2

R = TypeVar("R")


def id_card_present(reader: IdCardReader) -> bool:
    """Whether a card lies on the ID-card reader, asked in under a second."""
    return reader.find_card(timeout_s=0.3)


def citizen_card_present(reader: CitizenCardReader) -> bool:
    return reader.card_present()


class CardPresence:
    """One reader's card as the session sees it: placed at once, removed only after `removal_misses`
    "no card" answers in a row."""

    def __init__(self, removal_misses: int = REMOVAL_MISSES) -> None:
        self.removal_misses = removal_misses
        self.present = False
        self._misses = 0

    @property
    def confirming_removal(self) -> bool:
        return self._misses > 0

    def reading(self, present: bool) -> bool | None:
        """Takes one answer from the reader; returns the new presence when it changed, else None."""
        if present:
            self._misses = 0
            if self.present:
                return None
            self.present = True
            return True
        if not self.present:
            return None
        self._misses += 1
        if self._misses < self.removal_misses:
            return None
        self._misses = 0
        self.present = False
        return False


class CardWatcher:
    def __init__(self, manager: DeviceManager, *, interval_s: float = INTERVAL_S, recheck_s: float = RECHECK_S,
                 removal_misses: int = REMOVAL_MISSES,
                 id_card: Callable[[IdCardReader], bool] = id_card_present,
                 citizen_card: Callable[[CitizenCardReader], bool] = citizen_card_present) -> None:
        self._manager = manager
        self._interval_s = interval_s
        self._recheck_s = recheck_s
        self._id_card = id_card
        self._citizen_card = citizen_card
        self._presence = {role: CardPresence(removal_misses) for role in ROLES}
        self._listeners: list[CardListener] = []
        self._thread = BackgroundThread("kiosk-cards")

    def add_listener(self, listener: CardListener) -> None:
        self._listeners.append(listener)

    def poll_once(self) -> float:
        """One look at each configured reader; listeners hear of every confirmed change. Returns the
        seconds until the next look (shorter while a removal is being confirmed)."""
        self._look("idcard", self._ask(IDCARD, self._id_card))
        self._look("citizencard", self._ask(CITIZENCARD, self._citizen_card))
        confirming = any(p.confirming_removal for p in self._presence.values())
        return self._recheck_s if confirming else self._interval_s

    def _ask(self, role: DeviceRole[R], present: Callable[[R], bool]) -> bool | None:
        """The reader's answer, or None when it gave none this round."""
        try:
            with self._manager.use(role, wait_s=0.1) as reader:
                return present(reader)
        except DeviceNotConfigured:
            return None
        except DeviceError:
            # Busy (a screen reads the card now) or failing: the device manager tracks its health.
            return None

    def _look(self, role: str, answer: bool | None) -> None:
        if answer is None:
            return
        changed = self._presence[role].reading(answer)
        if changed is None:
            return
        for listener in list(self._listeners):
            try:
                listener(role, changed)
            except Exception:
                # One broken listener must not keep the others (the session) from hearing of the card.
                log.exception("card listener %r failed", listener)

    def start(self) -> None:
        self._thread.start(self._run)

    def _run(self) -> None:
        wait = self._interval_s
        while not self._thread.stopping.wait(wait):
            wait = self.poll_once()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._thread.stop(timeout_s)
