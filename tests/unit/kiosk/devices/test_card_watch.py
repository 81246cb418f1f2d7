"""The card watcher reports each placing once, a removal only once it is confirmed, and skips busy readers."""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.errors import DeviceBusy
from drivers.idcard.factory import SimulatedIdCardReader
from kiosk.config import config_from_mapping
from kiosk.devices.card_watch import CardPresence, CardWatcher
from kiosk.devices.manager import IDCARD, DeviceManager, DeviceNotConfigured, DeviceRole


class FakeManager:
    """Only the ID-card reader is configured; `busy` makes it in use by a screen."""

    def __init__(self) -> None:
        self.busy = False

    @contextlib.contextmanager
    def use(self, role: DeviceRole[object], wait_s: float = 2.0) -> Iterator[str]:
        if role.name == "citizencard":
            raise DeviceNotConfigured("not here")
        if self.busy:
            raise DeviceBusy("in use")
        yield role.name


def watch(answers: list[bool], manager: FakeManager | None = None) -> tuple[CardWatcher, list[tuple[str, bool]]]:
    """A watcher whose ID-card reader answers `answers` in turn (the last one forever after)."""

    def id_card(reader: object) -> bool:
        return answers.pop(0) if len(answers) > 1 else answers[0]

    watcher = CardWatcher(manager or FakeManager(), id_card=id_card)  # type: ignore[arg-type]
    events: list[tuple[str, bool]] = []
    watcher.add_listener(lambda role, on: events.append((role, on)))
    return watcher, events


def test_a_placement_is_reported_once_and_a_busy_reader_is_no_removal() -> None:
    manager = FakeManager()
    watcher, events = watch([False, True, True], manager)
    watcher.poll_once()
    watcher.poll_once()
    watcher.poll_once()  # still there: no second event
    manager.busy = True  # a screen is reading the card: no answer, so no removal either
    for _ in range(3):
        watcher.poll_once()
    assert events == [("idcard", True)]


def test_one_missed_poll_does_not_end_the_session() -> None:
    watcher, events = watch([True, False, True, True])
    for _ in range(4):
        watcher.poll_once()
    assert events == [("idcard", True)]


def test_a_removal_is_reported_after_consecutive_misses_and_rechecked_quickly() -> None:
    watcher, events = watch([True, False, False])
    assert watcher.poll_once() == pytest.approx(0.5)
    # One miss: the reader is asked again soon instead of after the whole interval.
    assert watcher.poll_once() == pytest.approx(0.2)
    assert events == [("idcard", True)]
    assert watcher.poll_once() == pytest.approx(0.5)
    assert events == [("idcard", True), ("idcard", False)]


def test_presence_rule_counts_misses_in_a_row_only() -> None:
    presence = CardPresence(removal_misses=3)
    answers = [True, False, False, True, False, False, False]
    assert [presence.reading(a) for a in answers] == [True, None, None, None, None, None, False]


def test_a_real_removal_is_reported_within_a_second(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    watcher = CardWatcher(manager)
    events: queue.Queue[tuple[str, bool, float]] = queue.Queue()
    watcher.add_listener(lambda role, on: events.put((role, on, time.monotonic())))
    watcher.start()
    try:
        # The simulator starts with its demo card on the reader.
        assert events.get(timeout=5.0)[:2] == ("idcard", True)
        with manager.use(IDCARD) as reader:
            assert isinstance(reader, SimulatedIdCardReader)
            reader.simulator.remove_card()
            removed_at = time.monotonic()
        role, present, reported_at = events.get(timeout=5.0)
        assert (role, present) == ("idcard", False)
        assert reported_at - removed_at < 1.0
    finally:
        watcher.stop()
        manager.stop()
