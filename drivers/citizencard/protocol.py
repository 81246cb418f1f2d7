"""The citizen-card reader interface the kiosk programs against; the PC/SC and simulated backends implement it."""

from __future__ import annotations

from typing import Protocol

from drivers.citizencard.models import CitizenCard
from drivers.status import DeviceStatus


class CitizenCardReader(Protocol):
    def read_card(self, timeout_s: float = 5.0) -> CitizenCard:
        """Reads the card in the reader; every blocking step is at most 1 s, the whole read at most timeout_s.

        Raises a CitizenCardError: NoCardPresent, CardRemoved, CardTimeout, SecurityModuleRequired, …
        """
        ...

    def card_present(self) -> bool:
        """Whether a card is in the configured reader now (does not power it)."""
        ...

    def status(self) -> DeviceStatus: ...

    def close(self) -> None: ...
