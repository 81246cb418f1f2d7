"""Service gating: what each home service needs and the reason shown when it cannot be used."""

from __future__ import annotations

import pytest

from drivers.status import DeviceState, DeviceStatus
from kiosk.devices.gating import SERVICE_NEEDS, gate, gate_all
from kiosk.status import DEVICE_ROLES

OK = DeviceStatus(DeviceState.OK)
DOWN = DeviceStatus(DeviceState.OFFLINE, "device.disconnected")
NONE = DeviceStatus(DeviceState.NOT_CONFIGURED)
UNKNOWN = DeviceStatus(DeviceState.UNKNOWN)


def statuses(**overrides: DeviceStatus) -> dict[str, DeviceStatus]:
    return {role: overrides.get(role, OK) for role in DEVICE_ROLES}


def test_everything_available_when_every_device_works() -> None:
    gates = gate_all(statuses())
    assert set(gates) == {"guide", "forms", "declare", "progress", "rating"}
    assert all(g.available and g.note == "" for g in gates.values())


def test_printer_down_closes_forms_only_and_names_it() -> None:
    gates = gate_all(statuses(printer=DOWN))
    assert not gates["forms"].available
    assert gates["forms"].reason_zh == "暂停服务：打印机故障"
    assert gates["forms"].reason_en == "Unavailable: printer out of order"
    assert gates["forms"].down == ("printer",)
    # The guide still works; it only cannot be printed.
    assert gates["guide"].available
    assert gates["guide"].reason_zh == "暂不能打印指南"
    assert all(gates[key].available for key in ("declare", "progress", "rating"))


def test_not_configured_says_the_terminal_has_none() -> None:
    g = gate("forms", statuses(printer=NONE))
    assert not g.available
    assert "本机未配备打印机" in g.reason_zh
    assert "no printer at this terminal" in g.reason_en


@pytest.mark.parametrize("down", [("camera",), ("scanner",), ("idcard",), ("citizencard",), ("camera", "idcard")])
def test_declare_needs_one_capture_device_and_one_card_reader(down: tuple[str, ...]) -> None:
    assert gate("declare", statuses(**{role: DOWN for role in down})).available


def test_declare_closed_when_both_capture_devices_are_down() -> None:
    g = gate("declare", statuses(camera=DOWN, scanner=NONE))
    assert not g.available
    assert g.reason_zh == "暂停服务：高拍仪、扫描仪均不可用"
    assert g.reason_en == "Unavailable: document camera and scanner unavailable"
    assert g.note == f"{g.reason_zh}\n{g.reason_en}"


def test_declare_names_every_unmet_need() -> None:
    g = gate("declare", statuses(camera=DOWN, scanner=DOWN, idcard=DOWN, citizencard=DOWN))
    assert not g.available
    assert g.reason_zh == "暂停服务：高拍仪、扫描仪均不可用；身份证阅读器、市民卡读卡器均不可用"
    assert g.down == ("camera", "scanner", "idcard", "citizencard")


def test_devices_still_being_checked_do_not_close_a_service() -> None:
    assert all(g.available for g in gate_all({role: UNKNOWN for role in DEVICE_ROLES}).values())


def test_degraded_and_busy_devices_are_usable() -> None:
    assert gate("forms", statuses(printer=DeviceStatus(DeviceState.DEGRADED, "toner low"))).available
    assert gate("forms", statuses(printer=DeviceStatus(DeviceState.BUSY))).available


def test_a_role_missing_from_the_mapping_counts_as_not_configured() -> None:
    assert not gate("forms", {}).available
    assert all(gate(key, {}).available for key in ("guide", "rating"))


def test_services_without_needs() -> None:
    for key in ("guide", "progress", "rating"):
        assert SERVICE_NEEDS[key] == ()
    progress = gate("progress", statuses(camera=DOWN))
    assert progress.available
    assert progress.note == "暂不能扫码查询\nQR lookup unavailable"
