"""Service gating on the home screen: a printer that goes down greys out form printing, with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from drivers.status import DeviceState, DeviceStatus
from kiosk.cli.launch import LaunchOptions
from kiosk.devices.manager import DeviceManager, DeviceSpec, printer_check
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.device_bridge import DeviceBridge


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_printer_down_greys_out_form_printing_and_comes_back(
    runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, expected_logs: Any,
) -> None:
    expected_logs("kiosk.devices.manager", "printer offline after 3 failed checks")
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    printer = SimulatedPrinter(tmp_path / "printed")
    clock = Clock()
    # The real health check against the simulated print queue; the same instance across reconnects,
    # as a CUPS queue survives the printer being switched off.
    working = DeviceSpec(lambda: object(), lambda _driver: DeviceStatus(DeviceState.OK))
    specs = {role: working for role in ("idcard", "citizencard", "camera", "scanner")}
    specs["printer"] = DeviceSpec(lambda: printer, printer_check)
    manager = DeviceManager(specs, clock=clock)
    bridge = DeviceBridge(manager, window)
    bridge.statuses_changed.connect(window.show_device_status)
    forms = window.home.tiles["forms"]

    manager.poll_once()
    assert forms.isEnabled()
    assert not forms.note_label.isVisible()

    printer.set_fault(PrinterFault.SERVER_DOWN)
    for _ in range(2):  # one glitch, then two: not yet an outage
        clock.now += 5.0
        manager.poll_once()
    assert forms.isEnabled()
    clock.now += 5.0
    manager.poll_once()
    assert not forms.isEnabled()
    assert forms.note_label.isVisible()
    assert "打印机故障" in forms.note_label.text()
    assert "printer out of order" in forms.note_label.text()
    assert window.status_strip.devices_label.text() == "设备故障：打印机"
    qtbot.mouseClick(forms, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.home
    # The rest keeps working; the guide only loses its print button.
    for key in ("guide", "declare", "progress", "rating"):
        assert window.home.tiles[key].isEnabled(), key
    assert "暂不能打印指南" in window.home.tiles["guide"].note_label.text()

    printer.set_fault(PrinterFault.NONE)
    clock.now += manager.poll_once()
    manager.poll_once()
    assert forms.isEnabled()
    assert not forms.note_label.isVisible()
    assert window.home.tiles["guide"].note_label.text() == ""
