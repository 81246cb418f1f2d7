"""The simulated backend: the same virtual card `virtual_card` serves to pcscd, answered in-process.

Everything above the transport (profiles, T=0 rules, authentication, decoders) is the code the PC/SC
backend runs; only pyscard and pcscd are left out, so `kiosk demo` works on a machine without them.
Tests and the demo insert and remove cards with `insert()` / `remove()`; `place_card()` / `take_card()`
are the demo's hand with the reader's own card (the fixture it was built with).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drivers.citizencard import profile_runner
from drivers.citizencard.auth import Authenticator
from drivers.citizencard.card_emulator import VirtualCard, load_fixture
from drivers.citizencard.channel import DEFAULT_STEP_S, Deadline
from drivers.citizencard.errors import CardRemoved, CitizenCardError, NoCardPresent
from drivers.citizencard.health import Health
from drivers.citizencard.models import CitizenCard
from drivers.citizencard.profiles import resolve_profiles
from drivers.status import DeviceStatus

DEMO_FIXTURE = Path(__file__).with_name("demo_card.toml")
READER_NAME = "Simulated citizen-card reader"


class EmulatedChannel:
    """A CardChannel onto a VirtualCard; `pulled` makes every later APDU fail as a removed card would."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.pulled = False

    @property
    def atr(self) -> bytes:
        return self.card.atr

    def transmit(self, command: bytes, timeout_s: float) -> bytes:
        if self.pulled:
            raise CardRemoved("simulated card was removed")
        return self.card.apdu(command)


class SimulatedCitizenCardReader:
    def __init__(
        self,
        fixture: Path | None = DEMO_FIXTURE,
        *,
        profile: str = "",
        authenticator: Authenticator | None = None,
        step_timeout_s: float = DEFAULT_STEP_S,
        card_placed: bool = True,
    ) -> None:
        self.fixture = fixture
        self._profiles = resolve_profiles(profile)
        self._authenticator = authenticator
        self._step_s = step_timeout_s
        self._lock = threading.Lock()
        self._channel: EmulatedChannel | None = None
        self._health = Health()
        if fixture is not None and card_placed:
            self.insert(fixture)

    def insert(self, fixture: Path) -> None:
        card = VirtualCard(load_fixture(fixture))
        with self._lock:
            self._channel = EmulatedChannel(card)

    def remove(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._channel.pulled = True
            self._channel = None

    def place_card(self) -> None:
        """A fresh copy of the reader's own card goes in (as if the same card were inserted again)."""
        if self.fixture is not None:
            self.insert(self.fixture)

    def take_card(self) -> None:
        self.remove()

    def card_placed(self) -> bool:
        return self.card_present()

    def card_present(self) -> bool:
        return self._channel is not None

    def read_card(self, timeout_s: float = 5.0) -> CitizenCard:
        deadline = Deadline(timeout_s, step_s=self._step_s)
        try:
            channel = self._channel
            if channel is None:
                raise NoCardPresent("no card in the simulated reader")
            channel.card.reset()
            card = profile_runner.read_card(
                channel, self._profiles, reader=READER_NAME, authenticator=self._authenticator, deadline=deadline
            )
        except CitizenCardError as exc:
            self._health.failed(exc)
            raise
        self._health.ok()
        return card

    @contextmanager
    def open_card(self, timeout_s: float = 1.0) -> Iterator[EmulatedChannel]:
        """The powered card as a channel (the PSAM role in tests)."""
        channel = self._channel
        if channel is None:
            raise NoCardPresent("no card in the simulated reader")
        yield channel

    def status(self) -> DeviceStatus:
        return self._health.status()

    def close(self) -> None:
        self.remove()
