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
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.simulator import IdCardSimulator


class SimulatedIdCardReader(SerialIdCardReader):
    """The serial backend bound to its own simulator; `simulator` lets a demo place and remove cards."""

    def __init__(self, simulator: IdCardSimulator, **kwargs: object) -> None:
        self.simulator = simulator
        super().__init__(simulator.start(), 0, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        super().close()
        self.simulator.stop()


def open_reader(backend: str, *, port: str, baud: int = 0, card_file: str = "") -> SerialIdCardReader:
    """The configured reader. It opens the port lazily, on its first exchange."""
    if backend == "serial":
        return SerialIdCardReader(port, baud)
    if backend == "simulated":
        card = load_card_fixture(Path(card_file).expanduser()) if card_file else card_from_dict(DEMO_CARD)
        return SimulatedIdCardReader(IdCardSimulator(card))
    raise ReaderNotConfigured(f"ID-card reader backend is {backend!r}")
