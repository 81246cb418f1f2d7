"""The setup screen's 测试 button on the card readers: a card pulled mid-read is a failed test with the
reader's code, never an exception out of the worker; with the card back the test passes, masked."""

from __future__ import annotations

from pathlib import Path

from drivers.idcard.demo_card import DEMO_CARD
from drivers.idcard.factory import SimulatedIdCardReader
from drivers.idcard.simulator import Fault
from kiosk.config import config_from_mapping
from kiosk.devices.manager import IDCARD, DeviceManager
from kiosk.technician.device_tests import run_test


def test_a_card_pulled_mid_read_fails_the_test_and_the_next_one_passes(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}}})
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        reader = manager.current_driver(IDCARD)
        assert isinstance(reader, SimulatedIdCardReader)
        reader.simulator.inject(Fault.CARD_PULLED)
        outcome = run_test("idcard", config, tmp_path, manager=manager, live=config)
        assert not outcome.ok
        assert outcome.zh == "测试未通过"
        assert "idcard.sw." in outcome.en  # the reader's own code, for the technician
        assert outcome.masked == {}
        reader.place_card()
        outcome = run_test("idcard", config, tmp_path, manager=manager, live=config)
        assert outcome.ok
        assert outcome.masked["id_number"].endswith(str(DEMO_CARD["id_number"])[-4:])
        assert str(DEMO_CARD["id_number"]) not in repr(outcome)
    finally:
        manager.stop()
