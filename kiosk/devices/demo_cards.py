"""The hand of whoever tries `kiosk demo`: places and takes away the card on each simulated reader.

A card is put on the simulator itself (the ID-card reader's pty answers find-card over the wire, the
citizen card answers its APDUs in-process), never announced to the session directly: the card watch
sees it on its next look and the session reacts exactly as to a real card. The readers come from the
device manager as they stand, so a reader rebuilt after a reconnect is the one the hand reaches.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from drivers.errors import DeviceError
from kiosk.devices.manager import CITIZENCARD, IDCARD, DeviceManager

log = logging.getLogger(__name__)

ROLES = ("idcard", "citizencard")


@runtime_checkable
class CardSlot(Protocol):
    """A simulated reader a hand can reach (drivers.idcard.factory, drivers.citizencard.simulated)."""

    def card_placed(self) -> bool: ...

    def place_card(self) -> None: ...

    def take_card(self) -> None: ...


class DemoCards:
    def __init__(self, manager: DeviceManager) -> None:
        self._manager = manager

    def _slot(self, role: str) -> CardSlot | None:
        try:
            reader: object = (self._manager.current_driver(IDCARD) if role == "idcard"
                              else self._manager.current_driver(CITIZENCARD))
        except DeviceError as exc:
            log.info("demo cards: no %s reader to reach (%s)", role, exc.code)
            return None
        return reader if isinstance(reader, CardSlot) else None

    def placed(self, role: str) -> bool:
        slot = self._slot(role)
        return slot is not None and slot.card_placed()

    def toggle(self, role: str) -> bool | None:
        """Places the card if none lies on the reader, else takes it away; returns whether a card lies
        there now, or None when that reader is not a simulator (nothing a demo hand can reach)."""
        if role not in ROLES:
            raise ValueError(f"no card reader role {role!r}")
        slot = self._slot(role)
        if slot is None:
            return None
        if slot.card_placed():
            slot.take_card()
        else:
            slot.place_card()
        now = slot.card_placed()
        log.info("demo cards: %s card %s", role, "placed" if now else "taken away")
        return now
