"""The interface every ID-card reader backend offers: small, blocking, each call bounded by a timeout.

A caller (the kiosk's reader worker) runs these on its own thread; `cancel()` may be called from any
other thread and makes the call in progress raise `ReadCancelled` within about 0.1 s.
"""

from __future__ import annotations

from typing import Protocol

from drivers.idcard.models import IdCard, SamId
from drivers.status import DeviceStatus


class IdCardReader(Protocol):
    def read_card(self, timeout_s: float = 3.0) -> IdCard:
        """Waits up to timeout_s for a card, then find → select → read; `NoCard` if none came."""
        ...

    def find_card(self, timeout_s: float = 1.0) -> bool:
        """One find-card exchange: True if a card is in the field, False if not."""
        ...

    def read_found_card(self, timeout_s: float = 3.0) -> IdCard:
        """Select and read the card a successful `find_card` just found."""
        ...

    def sam_status(self, timeout_s: float = 1.0) -> None:
        """Raises the typed error if the reader's security module is not healthy."""
        ...

    def sam_id(self, timeout_s: float = 1.0) -> SamId: ...

    def status(self) -> DeviceStatus:
        """Health from the last exchanges; never blocks on the device."""
        ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...
