"""The link to one card (a PC/SC connection or the in-process virtual card) and the read's time budget.

Every blocking step gets at most `Deadline.step_s` (1 s by default) and never more than what is left of
the whole read, so a slow or silent card ends in CardTimeout and a cancelled session is never stuck.
"""

from __future__ import annotations

import time
from typing import Protocol

from drivers.citizencard import apdu
from drivers.citizencard.errors import CardTimeout

DEFAULT_STEP_S = 1.0


class CardChannel(Protocol):
    """An open link to a powered card."""

    @property
    def atr(self) -> bytes: ...

    def transmit(self, command: bytes, timeout_s: float) -> bytes:
        """Sends one APDU and returns data + SW1 SW2; raises a CitizenCardError (CardTimeout after timeout_s)."""
        ...


class Deadline:
    def __init__(self, timeout_s: float, *, step_s: float = DEFAULT_STEP_S) -> None:
        self.timeout_s = timeout_s
        self.step_s = step_s
        self._end = time.monotonic() + timeout_s

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def step_timeout(self) -> float:
        """The time the next blocking step may take; CardTimeout once the whole budget is spent."""
        left = self.remaining()
        if left <= 0:
            raise CardTimeout(f"card read did not finish within {self.timeout_s:g} s")
        return min(left, self.step_s)


def exchange(channel: CardChannel, command: apdu.Command, deadline: Deadline) -> apdu.Response:
    """One command with the T=0 rules applied, each APDU within the deadline's step time."""
    return apdu.transceive(lambda raw: channel.transmit(raw, deadline.step_timeout()), command)
