"""DeviceManager.apply / reconfigure and KioskRuntime.apply_config: a changed assignment without a restart."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from drivers.errors import DeviceBusy
from drivers.status import DeviceState, DeviceStatus
from kiosk.config import Config, config_from_mapping
from kiosk.devices.manager import PRINTER, DeviceManager, DeviceSpec
from kiosk.runtime import KioskRuntime, needs_restart
from kiosk.technician.config_write import apply_changes


class Fake:
    def __init__(self, name: str) -> None:
        self.name = name
        self.built = 0
        self.closed = 0
        self.checks = 0

    def spec(self) -> DeviceSpec:
        def build() -> Any:
            self.built += 1
            return self

        def check(driver: Any) -> DeviceStatus:
            self.checks += 1
            return DeviceStatus(DeviceState.OK, self.name)

        def close(driver: Any) -> None:
            self.closed += 1

        return DeviceSpec(build, check, close)


def test_apply_closes_the_old_driver_and_the_next_look_builds_the_new_one() -> None:
    old, new = Fake("old"), Fake("new")
    manager = DeviceManager({"printer": old.spec()})
    seen: list[dict[str, DeviceStatus]] = []
    manager.add_listener(seen.append)
    manager.poll_once()
    assert manager.status("printer") == DeviceStatus(DeviceState.OK, "old")
    status = manager.apply(PRINTER, new.spec())
    assert status.state is DeviceState.UNKNOWN
    assert (old.closed, new.built) == (1, 0)
    assert seen[-1]["printer"].state is DeviceState.UNKNOWN
    manager.poll_once()  # due at once, not a poll interval later
    assert manager.status("printer") == DeviceStatus(DeviceState.OK, "new")
    assert new.built == 1
    with manager.use(PRINTER) as driver:
        assert driver is new
    manager.stop()
    assert new.closed == 1


def test_apply_none_unconfigures_and_a_busy_device_is_refused() -> None:
    fake = Fake("p")
    manager = DeviceManager({"printer": fake.spec()})
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with manager.use(PRINTER):
            held.set()
            release.wait(10)

    user = threading.Thread(target=hold)
    user.start()
    held.wait(10)
    with pytest.raises(DeviceBusy):
        manager.apply(PRINTER, None, wait_s=0.01)
    release.set()
    user.join()
    assert manager.apply(PRINTER, None).state is DeviceState.NOT_CONFIGURED
    assert not manager.configured("printer")
    assert fake.closed == 1


def test_a_look_of_the_replaced_device_is_ignored() -> None:
    old, new = Fake("old"), Fake("new")
    manager = DeviceManager({"printer": old.spec()}, check_timeout_s=5.0)
    gate = threading.Event()
    entered = threading.Event()
    slow = DeviceSpec(lambda: old, lambda d: (entered.set(), gate.wait(10), DeviceStatus(DeviceState.OK, "old"))[2],
                      lambda d: None)
    manager.apply(PRINTER, slow)
    result: list[float] = []
    poller = threading.Thread(target=lambda: result.append(manager.poll_once()))
    poller.start()
    entered.wait(10)
    # The look holds the device's lock; the reassignment waits for it and wins.
    applier = threading.Thread(target=manager.apply, args=(PRINTER, new.spec(), 10.0))
    applier.start()
    gate.set()
    applier.join()
    poller.join()
    assert manager.status("printer").state is DeviceState.UNKNOWN
    manager.poll_once()
    assert manager.status("printer") == DeviceStatus(DeviceState.OK, "new")


def test_reconfigure_replaces_only_the_roles_whose_section_changed(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {
        "idcard": {"backend": "none"}, "citizencard": {"backend": "none"}, "printer": {"backend": "simulated"},
        "camera": {"backend": "none"}, "scanner": {"backend": "simulated"},
    }})
    manager = DeviceManager.from_config(config, tmp_path)
    assert manager.configured("printer")
    assert not manager.configured("camera")
    changed = apply_changes(config, {"devices.camera.backend": "simulated", "devices.scanner.backend": "none"})
    replaced = manager.reconfigure(changed, tmp_path)
    assert set(replaced) == {"camera", "scanner"}
    assert manager.configured("camera")
    assert not manager.configured("scanner")
    assert manager.reconfigure(changed, tmp_path) == {}
    manager.stop()


def test_runtime_apply_config_swaps_devices_and_names_the_keys_that_need_a_restart(tmp_path: Path) -> None:
    config = config_from_mapping({"devices": {
        "idcard": {"backend": "none"}, "citizencard": {"backend": "none"}, "printer": {"backend": "none"},
        "camera": {"backend": "none"}, "scanner": {"backend": "none"},
    }})
    runtime = KioskRuntime(config, tmp_path)
    try:
        new = apply_changes(config, {"devices.printer.backend": "simulated", "terminal.region_code": "330102",
                                     "platform.read_timeout_s": 20.0, "terminal.id": "T0002"})
        applied = runtime.apply_config(new)
        assert runtime.config is new
        assert applied.live == ("terminal.region_code", "platform.read_timeout_s", "devices.printer.backend")
        assert applied.restart == ("terminal.id",)
        assert applied.devices == {"printer": DeviceStatus(DeviceState.UNKNOWN)}
        assert runtime.devices.configured("printer")
    finally:
        runtime.close()


def test_needs_restart() -> None:
    assert not needs_restart("devices.idcard.port")
    assert not needs_restart("platform.url")
    assert needs_restart("terminal.id")
    assert needs_restart("session.idle_timeout_s")
    assert Config() == Config()
