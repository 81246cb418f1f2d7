"""A reader from the configuration values (backend, port, baud, card_file).

`simulated` is the real serial backend talking to the simulator over a pty started in this process
(with `card_file` or the bundled demo card), so `kiosk demo` and the tests run the same code as a
terminal with hardware. Plain arguments, not the kiosk's config object: drivers import nothing above
them.
"""

from __future__ import annotations

from pathlib import Path

from drivers.idcard.demo_card import DEMO_CARD
from drivers.idcard.encode import card_from_dict, load_card_fixture
from drivers.idcard.errors import ReaderNotConfigured
from drivers.idcard.models import IdCard
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.simulator import IdCardSimulator


class SimulatedIdCardReader(SerialIdCardReader):
    """The serial backend bound to its own simulator. `place_card` and `take_card` are a person's hand
    on the reader (the demo's card keys): the reader answers find-card accordingly over the wire, as a
    real one would, so the card watch and the screens cannot tell the difference."""

    def __init__(self, simulator: IdCardSimulator, *, card: IdCard | None = None, **kwargs: object) -> None:
        self.simulator = simulator
        # The card this reader's hand holds, placed or not; a simulator started empty still has one.
        self.card = card if card is not None else simulator.card
        super().__init__(simulator.start(), 0, **kwargs)  # type: ignore[arg-type]

    def card_placed(self) -> bool:
        return self.simulator.card is not None

    def place_card(self) -> None:
        if self.card is not None:
            self.simulator.place_card(self.card)

    def take_card(self) -> None:
        self.simulator.remove_card()

    def close(self) -> None:
        super().close()
        self.simulator.stop()


def open_reader(backend: str, *, port: str, baud: int = 0, card_file: str = "",
                card_placed: bool = True) -> SerialIdCardReader:
    """The configured reader. It opens the port lazily, on its first exchange. `card_placed` (simulated
    backend): whether the card lies on the reader from the start or waits for `place_card`."""
    if backend == "serial":
        return SerialIdCardReader(port, baud)
    if backend == "simulated":
        card = load_card_fixture(Path(card_file).expanduser()) if card_file else card_from_dict(DEMO_CARD)
        return SimulatedIdCardReader(IdCardSimulator(card if card_placed else None), card=card)
    raise ReaderNotConfigured(f"ID-card reader backend is {backend!r}")
