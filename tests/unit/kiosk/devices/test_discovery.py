"""Device discovery: each probe with fakes, and its reasons when a stack is missing or hangs (the real
stacks are in tests/integration/test_discovery_services.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from drivers.errors import BackendUnavailable
from kiosk.devices import discovery
from kiosk.devices.discovery import Candidate, bounded, discover, manual_serial


@pytest.fixture
def release() -> Iterator[threading.Event]:
    gate = threading.Event()
    yield gate
    gate.set()  # lets an abandoned probe thread finish


def test_a_hanging_probe_becomes_a_reason(release: threading.Event) -> None:
    def hang() -> list[Candidate]:
        release.wait(10)
        return []

    found = bounded("sane", hang, 0.01)
    assert found.candidates == ()
    assert found.reasons == ("sane: 超时 / no answer within 0.01 s",)


def test_a_missing_stack_becomes_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Any:
        raise BackendUnavailable("pycups is not installed: pip install pycups")

    monkeypatch.setattr("drivers.printer.cups_printer.import_cups", missing)
    found = discover("printer")
    assert [c.backend for c in found.candidates] == ["simulated"]
    assert len(found.reasons) == 1
    assert found.reasons[0].startswith("cups: pycups is not installed")


def test_cups_queues_with_their_state(monkeypatch: pytest.MonkeyPatch) -> None:
    class Connection:
        def getPrinters(self) -> dict[str, dict[str, Any]]:
            return {
                "Front": {"printer-info": "HP LaserJet", "printer-state": 3, "printer-is-accepting-jobs": True},
                "Back": {"printer-info": "", "printer-state": 5, "printer-is-accepting-jobs": False,
                         "printer-state-message": "out of paper"},
            }

        def getDefault(self) -> str:
            return "Front"

    fake = SimpleNamespace(Connection=Connection, IPPError=type("IPPError", (Exception,), {}),
                           HTTPError=type("HTTPError", (Exception,), {}))
    monkeypatch.setattr("drivers.printer.cups_printer.import_cups", lambda: fake)
    found = discovery.discover_printers()
    assert found.candidates == (
        Candidate("Back", "已停止 stopped · 不接受任务 not accepting jobs · out of paper", "cups"),
        Candidate("Front", "HP LaserJet · 空闲 idle · 默认 default", "cups"),
    )


def test_serial_ports_prefer_the_by_id_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from serial.tools import list_ports

    ports = [SimpleNamespace(device="/dev/ttyUSB0", description="CH340", hwid="USB VID:PID=1A86:7523"),
             SimpleNamespace(device="/dev/ttyS0", description="n/a", hwid="n/a")]
    monkeypatch.setattr(list_ports, "comports", lambda: ports)
    monkeypatch.setattr(discovery, "_by_id_links", lambda: {"/dev/ttyUSB0": "/dev/serial/by-id/usb-ch340-port0"})
    found = discover("idcard")
    assert found.candidates[:2] == (
        Candidate("/dev/ttyS0", "", "serial"),
        Candidate("/dev/serial/by-id/usb-ch340-port0", "/dev/ttyUSB0 · CH340 · USB VID:PID=1A86:7523", "serial"),
    )
    assert found.candidates[-1].backend == "simulated"


def test_a_pty_typed_in_by_hand_is_accepted_and_a_file_is_not(tmp_path: Any) -> None:
    master, slave = os.openpty()
    try:
        name = os.ttyname(slave)
        assert manual_serial(f" {name} ") == Candidate(name, "手动输入 / entered by hand", "serial")
    finally:
        os.close(master)
        os.close(slave)
    plain = tmp_path / "not-a-port"
    plain.write_text("x")
    with pytest.raises(ValueError, match="not a character device"):
        manual_serial(str(plain))
    with pytest.raises(ValueError, match="enter a port path"):
        manual_serial("  ")
    with pytest.raises(ValueError, match="No such file"):
        manual_serial(str(tmp_path / "missing"))


def test_cameras_from_dev_video_and_the_simulator_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery.glob, "glob", lambda pattern: ["/dev/video1", "/dev/video0"]
                        if pattern == "/dev/video*" else [])
    monkeypatch.setattr(discovery, "_video_name", lambda device: "USB Camera" if device == "/dev/video0" else "")
    found = discover("camera")
    assert found.candidates == (
        Candidate("/dev/video0", "USB Camera", "opencv"),
        Candidate("/dev/video1", "V4L2", "opencv"),
        Candidate("0", "模拟高拍仪 / simulated camera (demo scene)", "simulated"),
    )


def test_camera_probe_keeps_only_devices_that_give_a_frame(tmp_path: Any) -> None:
    # OpenCV cannot read a frame from an empty file: the node is left out.
    node = tmp_path / "video9"
    node.write_bytes(b"")
    assert discovery._cameras(True, 0.5, [str(node)]) == []


def test_barcode_offers_serial_ports_and_camera_decoders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "_serial_ports", lambda: [])
    assert [c.backend for c in discover("barcode").candidates] == ["zxing", "pyzbar"]
    with pytest.raises(ValueError, match="no such role"):
        discover("fax")
