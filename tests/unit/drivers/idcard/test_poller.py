"""Card-placed / card-removed once per physical event, against a scripted reader."""

from __future__ import annotations

from pathlib import Path

from drivers.idcard.encode import load_card_fixture
from drivers.idcard.models import IdCard, SamId
from drivers.idcard.poller import CardPlaced, CardPoller, CardReadFailed, CardRemoved
from drivers.idcard.status_codes import CardReadFailed as ReadFailedError
from drivers.status import DeviceState, DeviceStatus

CARD = load_card_fixture(Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "idcard" / "resident.json")


class ScriptedReader:
    """find answers from `present`; reads fail while `failures` > 0."""

    def __init__(self) -> None:
        self.present: list[bool] = []
        self.failures = 0
        self.reads = 0

    def find_card(self, timeout_s: float = 1.0) -> bool:
        return self.present.pop(0)

    def read_found_card(self, timeout_s: float = 3.0) -> IdCard:
        self.reads += 1
        if self.failures:
            self.failures -= 1
            raise ReadFailedError(sw3=0x41)
        return CARD

    def read_card(self, timeout_s: float = 3.0) -> IdCard:
        return CARD

    def sam_status(self, timeout_s: float = 1.0) -> None:
        return None

    def sam_id(self, timeout_s: float = 1.0) -> SamId:
        return SamId(bytes(16))

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.OK)

    def cancel(self) -> None:
        return None

    def close(self) -> None:
        return None


def run(reader: ScriptedReader, poller: CardPoller) -> list[str]:
    out = []
    while reader.present:
        event = poller.poll()
        out.append(type(event).__name__ if event else "-")
    return out


def test_a_card_left_on_the_reader_is_reported_once() -> None:
    reader = ScriptedReader()
    reader.present = [False, True, True, True, True, False, False, False]
    assert run(reader, CardPoller(reader)) == ["-", "CardPlaced", "-", "-", "-", "-", "CardRemoved", "-"]
    assert reader.reads == 1


def test_one_missed_find_is_not_a_removal() -> None:
    reader = ScriptedReader()
    reader.present = [True, False, True, False, True]
    assert run(reader, CardPoller(reader)) == ["CardPlaced", "-", "-", "-", "-"]


def test_a_failed_read_is_reported_once_then_retried() -> None:
    reader = ScriptedReader()
    reader.failures = 2
    reader.present = [True, True, True, True, False, False, True]
    poller = CardPoller(reader)
    events = []
    while reader.present:
        events.append(poller.poll())
    assert isinstance(events[0], CardReadFailed)
    assert events[0].error.message_key == "idcard.place_again"
    assert events[1] is None
    assert isinstance(events[2], CardPlaced)
    assert events[3] is None
    assert isinstance(events[5], CardRemoved)
    assert isinstance(events[6], CardPlaced)
