"""`kiosk demo` starts with no card on either simulated reader; the demo's hand places and takes away each
card on the simulator itself, and the card watch sees it as it sees a real card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Config, config_from_mapping
from kiosk.devices.card_watch import CardWatcher
from kiosk.devices.demo_cards import DemoCards
from kiosk.devices.manager import DeviceManager
from kiosk.runtime import demo_config


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[DeviceManager]:
    devices = DeviceManager.from_config(demo_config(Config()), tmp_path)
    yield devices
    devices.stop()


def watched(manager: DeviceManager) -> tuple[CardWatcher, list[tuple[str, bool]]]:
    watcher = CardWatcher(manager, removal_misses=2)
    events: list[tuple[str, bool]] = []
    watcher.add_listener(lambda role, present: events.append((role, present)))
    return watcher, events


def test_the_demo_starts_with_no_card_on_either_reader(manager: DeviceManager) -> None:
    watcher, events = watched(manager)
    watcher.poll_once()
    watcher.poll_once()
    assert events == []
    cards = DemoCards(manager)
    assert not cards.placed("idcard")
    assert not cards.placed("citizencard")


@pytest.mark.parametrize("role", ["idcard", "citizencard"])
def test_placing_and_taking_away_a_card_is_what_the_card_watch_sees(manager: DeviceManager, role: str) -> None:
    watcher, events = watched(manager)
    cards = DemoCards(manager)
    assert cards.toggle(role) is True
    watcher.poll_once()
    assert events == [(role, True)]
    assert cards.toggle(role) is False
    watcher.poll_once()
    watcher.poll_once()  # a removal is confirmed by a second look
    assert events == [(role, True), (role, False)]
    assert cards.toggle(role) is True  # the same card goes back on
    watcher.poll_once()
    assert events == [(role, True), (role, False), (role, True)]


def test_a_reader_that_is_not_a_simulator_is_out_of_the_hands_reach(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "none"}, "citizencard": {"backend": "none"}}})
    devices = DeviceManager.from_config(config, tmp_path)
    try:
        assert DemoCards(devices).toggle("idcard") is None
        assert DemoCards(devices).toggle("citizencard") is None
    finally:
        devices.stop()
