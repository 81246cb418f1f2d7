"""The device manager is the one place that declares a device offline, shown through real backends.

The drivers report every look as it went (tests/unit/drivers/...); here the manager turns those looks
into OK / DEGRADED / OFFLINE: one failed look is not an outage, `offline_after` in a row are, and a
good look in between starts the count again. The ID-card reader is the real pyserial backend talking
to the protocol simulator over a pty; the printer is the simulated print server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.idcard.encode import load_card_fixture
from drivers.idcard.simulator import Fault, IdCardSimulator
from drivers.idcard.status_codes import SamSelfTestFailed
from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from drivers.status import DeviceState
from kiosk.background import Backoff
from kiosk.config import config_from_mapping
from kiosk.devices.manager import (
    POLL_INTERVAL_S,
    DeviceManager,
    DeviceSpec,
    DeviceSpecs,
    printer_check,
    specs_from_config,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "idcard"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _manager(specs: DeviceSpecs, clock: Clock) -> DeviceManager:
    # Real I/O behind the looks: a generous wait, which changes nothing about the counting.
    return DeviceManager(specs, clock=clock, check_timeout_s=5.0, offline_after=3,
                         backoff=Backoff(base_s=POLL_INTERVAL_S, cap_s=POLL_INTERVAL_S))


def _look(manager: DeviceManager, clock: Clock, role: str) -> DeviceState:
    clock.now += POLL_INTERVAL_S
    manager.poll_once()
    return manager.status(role).state


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[IdCardSimulator]:
    simulator = IdCardSimulator(load_card_fixture(FIXTURES / "resident.json"), link=tmp_path / "ttyIDCARD")
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def idcard(sim: IdCardSimulator, tmp_path: Path) -> Iterator[tuple[DeviceManager, Clock]]:
    """A manager of the configured ID-card reader alone: the real serial backend and the manager's own check."""
    config = config_from_mapping({"devices": {"idcard": {"backend": "serial", "port": sim.port, "baud": 115200}}})
    clock = Clock()
    manager = _manager({"idcard": specs_from_config(config, tmp_path)["idcard"]}, clock)
    yield manager, clock
    manager.stop()


def test_idcard_reader_goes_offline_only_after_three_failed_looks_in_a_row(
    sim: IdCardSimulator, idcard: tuple[DeviceManager, Clock], expected_logs: Any,
) -> None:
    manager, clock = idcard
    assert _look(manager, clock, "idcard") is DeviceState.OK
    # Two failed SAM status looks, then a good one: never offline, and the count starts again.
    sim.inject(Fault.SAM_FAULT, count=2)
    assert [_look(manager, clock, "idcard") for _ in range(3)] == [
        DeviceState.DEGRADED, DeviceState.DEGRADED, DeviceState.OK]
    sim.inject(Fault.SAM_FAULT, count=3)
    expected_logs("kiosk.devices.manager", "idcard offline after 3 failed checks")
    assert [_look(manager, clock, "idcard") for _ in range(3)] == [
        DeviceState.DEGRADED, DeviceState.DEGRADED, DeviceState.OFFLINE]
    status = manager.status("idcard")
    assert (status.detail, status.message_key) == (SamSelfTestFailed.code, SamSelfTestFailed.message_key)
    # Unplugged while offline: reconnect attempts fail until the reader is back, then a fresh driver works.
    sim.vanish()
    assert _look(manager, clock, "idcard") is DeviceState.OFFLINE
    sim.reappear()
    assert _look(manager, clock, "idcard") is DeviceState.OK


def test_printer_goes_offline_only_after_three_failed_looks_in_a_row(tmp_path: Path, expected_logs: Any) -> None:
    printer = SimulatedPrinter(output_dir=tmp_path)
    clock = Clock()
    manager = _manager({"printer": DeviceSpec(lambda: printer, printer_check)}, clock)
    assert _look(manager, clock, "printer") is DeviceState.OK
    printer.set_fault(PrinterFault.SERVER_DOWN)
    assert [_look(manager, clock, "printer") for _ in range(2)] == [DeviceState.DEGRADED, DeviceState.DEGRADED]
    printer.set_fault(PrinterFault.NONE)
    assert _look(manager, clock, "printer") is DeviceState.OK
    # A paused queue is OFFLINE on the one look that saw it; the manager counts it as one failed look.
    printer.set_fault(PrinterFault.PAUSED)
    assert _look(manager, clock, "printer") is DeviceState.DEGRADED
    printer.set_fault(PrinterFault.SERVER_DOWN)
    assert _look(manager, clock, "printer") is DeviceState.DEGRADED
    expected_logs("kiosk.devices.manager", "printer offline after 3 failed checks")
    assert _look(manager, clock, "printer") is DeviceState.OFFLINE
    assert manager.status("printer").detail == "printer.server_unreachable"
    printer.set_fault(PrinterFault.NONE)
    assert _look(manager, clock, "printer") is DeviceState.OK
