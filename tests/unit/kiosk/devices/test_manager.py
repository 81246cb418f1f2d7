"""DeviceManager: consecutive-failure counting, backoff reconnects, listeners, lazy building.

The poll loop is driven step by step with `poll_once()` and a fake clock: nothing sleeps.
"""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from drivers.errors import DeviceBusy, DeviceDisconnected, ProtocolError
from drivers.status import DeviceState, DeviceStatus
from kiosk.background import Backoff
from kiosk.config import config_from_mapping
from kiosk.devices.manager import (
    CAMERA,
    CITIZENCARD,
    IDCARD,
    PRINTER,
    CardReadCounts,
    DeviceManager,
    DeviceNotConfigured,
    DeviceSpec,
    specs_from_config,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MaxRng(random.Random):
    """Full jitter always at its ceiling, so the backoff schedule is exact."""

    def uniform(self, a: float, b: float) -> float:
        return b


class FakeDevice:
    """A device that can be unplugged; `built` counts drivers made, `checks` the looks taken."""

    def __init__(self) -> None:
        self.plugged = True
        self.built = 0
        self.closed = 0
        self.checks = 0
        self.status = DeviceStatus(DeviceState.OK, "fake")
        self.hang: threading.Event | None = None

    def spec(self) -> DeviceSpec:
        def build() -> Any:
            if not self.plugged:
                raise DeviceDisconnected("no such port")
            self.built += 1
            return self

        def check(driver: Any) -> DeviceStatus:
            self.checks += 1
            if self.hang is not None:
                self.hang.wait(10)
            if not self.plugged:
                raise DeviceDisconnected("gone")
            return self.status

        def close(driver: Any) -> None:
            self.closed += 1

        return DeviceSpec(build, check, close)


def manager(devices: dict[str, FakeDevice], clock: Clock, **kw: Any) -> DeviceManager:
    kw.setdefault("rng", MaxRng())
    kw.setdefault("backoff", Backoff(base_s=5.0, cap_s=40.0))
    return DeviceManager({role: d.spec() for role, d in devices.items()}, poll_interval_s=5.0, clock=clock, **kw)


def test_unconfigured_roles_and_nothing_built_before_the_first_look() -> None:
    printer = FakeDevice()
    m = manager({"printer": printer}, Clock())
    statuses = m.statuses()
    assert statuses["printer"].state is DeviceState.UNKNOWN
    assert statuses["idcard"].state is DeviceState.NOT_CONFIGURED
    assert printer.built == 0
    m.poll_once()
    assert printer.built == 1
    assert m.status("printer").state is DeviceState.OK


def test_only_due_devices_are_looked_at() -> None:
    clock = Clock()
    printer = FakeDevice()
    m = manager({"printer": printer}, clock)
    assert m.poll_once() == 5.0
    m.poll_once()
    assert printer.checks == 1
    clock.now += 5.0
    m.poll_once()
    assert printer.checks == 2


def test_one_glitch_is_not_an_outage(expected_logs: Any) -> None:
    clock = Clock()
    printer = FakeDevice()
    m = manager({"printer": printer}, clock)
    m.poll_once()
    printer.plugged = False
    for _ in range(2):
        clock.now += 5.0
        m.poll_once()
        assert m.status("printer").state is DeviceState.DEGRADED
        assert m.status("printer").usable
    printer.plugged = True
    clock.now += 5.0
    m.poll_once()
    assert m.status("printer").state is DeviceState.OK
    # The count starts again: two more failures still do not make an outage.
    printer.plugged = False
    for _ in range(2):
        clock.now += 5.0
        m.poll_once()
    assert m.status("printer").state is DeviceState.DEGRADED
    clock.now += 5.0
    expected_logs("kiosk.devices.manager", "printer offline after 3 failed checks")
    m.poll_once()
    status = m.status("printer")
    assert status.state is DeviceState.OFFLINE
    assert status.detail == DeviceDisconnected.code
    assert status.message_key == DeviceDisconnected.message_key


def test_unknown_device_stays_unknown_until_it_answers(expected_logs: Any) -> None:
    clock = Clock()
    camera = FakeDevice()
    camera.plugged = False
    m = manager({"camera": camera}, clock)
    m.poll_once()
    assert m.status("camera").state is DeviceState.UNKNOWN
    clock.now += 5.0
    m.poll_once()
    assert m.status("camera").state is DeviceState.UNKNOWN
    clock.now += 5.0
    expected_logs("kiosk.devices.manager", "camera offline")
    m.poll_once()
    assert m.status("camera").state is DeviceState.OFFLINE


def test_unplug_backs_off_then_reconnects_with_a_fresh_driver(expected_logs: Any) -> None:
    expected_logs("kiosk.devices.manager", "idcard offline after 3 failed checks")
    clock = Clock()
    reader = FakeDevice()
    m = manager({"idcard": reader}, clock)
    m.poll_once()
    reader.plugged = False
    for _ in range(3):
        clock.now += 5.0
        m.poll_once()
    assert m.status("idcard").state is DeviceState.OFFLINE
    assert reader.closed == 1  # the dead handle is dropped at once

    # Reconnect attempts at growing intervals: 5, 10, 20, 40, 40 s (ceiling of the backoff, capped).
    waits = []
    for _ in range(5):
        wait = m.poll_once()
        waits.append(wait)
        clock.now += wait
        attempts_before = reader.checks
        m.poll_once()
        assert reader.checks == attempts_before  # building fails while unplugged: no look at all
        assert m.status("idcard").state is DeviceState.OFFLINE
    assert waits == [5.0, 10.0, 20.0, 40.0, 40.0]

    # Nothing happens before the next attempt is due, even once the reader is back.
    reader.plugged = True
    clock.now += 39.0
    m.poll_once()
    assert m.status("idcard").state is DeviceState.OFFLINE
    clock.now += 1.0
    m.poll_once()
    assert m.status("idcard").state is DeviceState.OK
    assert reader.built == 2
    # Back to the normal rhythm, and a new outage starts the backoff from the beginning.
    assert m.poll_once() == 5.0


def test_offline_status_reported_by_the_device_counts_as_a_failure(expected_logs: Any) -> None:
    expected_logs("kiosk.devices.manager", "printer offline")
    clock = Clock()
    printer = FakeDevice()
    m = manager({"printer": printer}, clock)
    m.poll_once()
    printer.status = DeviceStatus(DeviceState.OFFLINE, "Paused", "printer.paused")
    clock.now += 5.0
    m.poll_once()
    assert m.status("printer") == DeviceStatus(DeviceState.DEGRADED, "Paused", "printer.paused")
    for _ in range(2):
        clock.now += 5.0
        m.poll_once()
    assert m.status("printer") == DeviceStatus(DeviceState.OFFLINE, "Paused", "printer.paused")


def test_a_hanging_check_times_out_and_does_not_stall_others(expected_logs: Any) -> None:
    expected_logs("kiosk.devices.manager", "scanner offline")
    clock = Clock()
    scanner, printer = FakeDevice(), FakeDevice()
    m = manager({"scanner": scanner, "printer": printer}, clock, check_timeout_s=0.05)
    scanner.hang = threading.Event()
    try:
        m.poll_once()
        assert m.status("printer").state is DeviceState.OK
        assert m.status("scanner").state is DeviceState.UNKNOWN
        for _ in range(2):
            clock.now += 5.0
            m.poll_once()
        # Still the first look: a hung check is never stacked with a second one.
        assert scanner.checks == 1
        assert m.status("scanner").state is DeviceState.OFFLINE
        assert m.status("scanner").detail == "device.timeout"
    finally:
        scanner.hang.set()


def test_listeners_hear_changes_only() -> None:
    clock = Clock()
    printer = FakeDevice()
    m = manager({"printer": printer}, clock)
    heard: list[dict[str, DeviceStatus]] = []
    m.add_listener(heard.append)
    m.poll_once()
    clock.now += 5.0
    m.poll_once()
    assert len(heard) == 1
    assert heard[0]["printer"].state is DeviceState.OK
    assert heard[0]["camera"].state is DeviceState.NOT_CONFIGURED
    printer.status = DeviceStatus(DeviceState.BUSY, "printing")
    clock.now += 5.0
    m.poll_once()
    assert [h["printer"].state for h in heard] == [DeviceState.OK, DeviceState.BUSY]


def test_use_is_exclusive_and_a_look_skips_a_device_in_use() -> None:
    clock = Clock()
    printer = FakeDevice()
    m = manager({"printer": printer}, clock)
    with m.use(PRINTER) as driver:
        assert driver is printer
        m.poll_once()
        assert printer.checks == 0  # no health look in the middle of a job
        assert m.status("printer").state is DeviceState.UNKNOWN
        with pytest.raises(DeviceBusy), m.use(PRINTER, wait_s=0.0):
            pass
    clock.now += 5.0
    m.poll_once()
    assert m.status("printer").state is DeviceState.OK
    with pytest.raises(DeviceNotConfigured), m.use(CAMERA):
        pass


def test_the_thread_starts_and_stops() -> None:
    printer = FakeDevice()
    m = manager({"printer": printer}, Clock())
    seen = threading.Event()
    m.add_listener(lambda statuses: seen.set())
    m.start(first_look_after_s=0.0)
    try:
        assert seen.wait(5.0)
    finally:
        m.stop()
    assert printer.closed == 1


def test_specs_from_config_skip_none_and_build_simulated_printer(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {
        "idcard": {"backend": "none"}, "citizencard": {"backend": "none"}, "camera": {"backend": "none"},
        "scanner": {"backend": "none"}, "printer": {"backend": "simulated"},
    }})
    specs = specs_from_config(config, tmp_path)
    assert set(specs) == {"printer"}
    m = DeviceManager(specs, clock=Clock())
    m.poll_once()
    assert m.status("printer").state is DeviceState.OK
    assert (tmp_path / "printed").is_dir()
    m.stop()


def test_building_the_manager_imports_no_native_stack(tmp_path: Path) -> None:
    # Start-up must stay fast: the heavy libraries load on the device thread's first look.
    import subprocess

    code = (
        "import sys; from pathlib import Path; from kiosk.config import Config; "
        "from kiosk.devices.manager import DeviceManager; DeviceManager.from_config(Config(), Path('.')); "
        "print(sorted(m for m in ('cv2', 'smartcard', 'cups', 'sane', 'serial') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[4]), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_a_driver_bug_is_logged_with_its_traceback_and_not_counted_as_a_device_failure(
    expected_logs: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    expected_logs("kiosk.devices.manager", "printer health check raised a bug")
    clock = Clock()

    def check(driver: object) -> DeviceStatus:
        raise ZeroDivisionError

    m = DeviceManager({"printer": DeviceSpec(lambda: object(), check)}, clock=clock, poll_interval_s=5.0)
    for _ in range(5):
        m.poll_once()
        clock.now += 5.0
    # Five broken looks in a row, yet the printer is not declared offline: a bug is not an outage.
    assert m.status("printer").state is DeviceState.UNKNOWN
    bugs = [r for r in caplog.records if "raised a bug" in r.getMessage()]
    assert len(bugs) == 5
    assert all(r.exc_info is not None and r.exc_info[0] is ZeroDivisionError for r in bugs)


def test_refused_cards_are_counted_and_a_run_of_them_shows_the_reader_degraded(expected_logs: Any) -> None:
    clock = Clock()
    reader = FakeDevice()
    m = manager({"idcard": reader}, clock)
    m.poll_once()
    heard: list[dict[str, DeviceStatus]] = []
    m.add_listener(heard.append)
    refusal = ProtocolError("card data refused: id_number: check", code="identity.card_data.check_digit")
    m.note_card_read(IDCARD)
    m.note_card_read(IDCARD, refusal)
    m.note_card_read(IDCARD, refusal)
    # Two refused cards may be two residents' damaged cards: nothing to show yet.
    assert m.status("idcard").state is DeviceState.OK
    assert m.card_reads(IDCARD) == CardReadCounts(accepted=1, refused=2, refused_in_a_row=2,
                                                  last_refusal="identity.card_data.check_digit")
    expected_logs("kiosk.devices.manager", "refused 3 cards in a row")
    m.note_card_read(IDCARD, refusal)
    status = m.status("idcard")
    assert status.state is DeviceState.DEGRADED
    assert "identity.card_data.check_digit" in status.detail
    assert heard[-1]["idcard"] == status  # the status strip and the heartbeat hear it
    # A health look that succeeds does not hide the run; an accepted card ends it.
    clock.now += 5.0
    m.poll_once()
    assert m.status("idcard").state is DeviceState.DEGRADED
    m.note_card_read(IDCARD)
    assert m.status("idcard").state is DeviceState.OK
    assert m.card_reads(IDCARD).refused == 3
    assert m.card_reads(CITIZENCARD) == CardReadCounts()
