"""A hand-held QR scanner simulated on a pseudo terminal delivers codes to the pyserial backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.barcode.errors import CodeScannerNotFound, NoCodeRead
from drivers.barcode.protocol import BarcodeFormat
from drivers.barcode.serial_scanner import SerialCodeReader
from drivers.barcode.serial_sim import PtyCodeScanner
from drivers.status import DeviceState


@pytest.fixture
def rig() -> Iterator[tuple[PtyCodeScanner, SerialCodeReader]]:
    sim = PtyCodeScanner()
    reader = SerialCodeReader(sim.port, aim_ids=True)
    reader.open()
    yield sim, reader
    reader.close()
    sim.close()


def test_codes_arrive_in_order_with_any_line_ending(rig: tuple[PtyCodeScanner, SerialCodeReader]) -> None:
    sim, reader = rig
    sim.scan("T0001-000042")
    sim.terminator = b"\r"
    sim.scan("受理编号 T0001-000043", aim_id="]Q1")
    sim.terminator = b"\n"
    sim.scan("6901234567892", aim_id="]E0")
    first, second, third = (reader.read_code(timeout_s=1.0) for _ in range(3))
    assert (first.format, first.text) == (BarcodeFormat.UNKNOWN, "T0001-000042")
    assert (second.format, second.text) == (BarcodeFormat.QR_CODE, "受理编号 T0001-000043")
    assert (third.format, third.text) == (BarcodeFormat.EAN_13, "6901234567892")
    assert reader.status().state is DeviceState.OK


def test_a_code_split_across_reads_and_a_gbk_scanner(rig: tuple[PtyCodeScanner, SerialCodeReader]) -> None:
    sim, reader = rig
    sim.send_raw("回执".encode("gb18030"))
    with pytest.raises(NoCodeRead):
        reader.read_code(timeout_s=0.05)
    sim.send_raw(b"T0001\r\n")
    assert reader.read_code(timeout_s=1.0).text == "回执T0001"


def test_no_code_within_the_timeout(rig: tuple[PtyCodeScanner, SerialCodeReader]) -> None:
    _, reader = rig
    with pytest.raises(NoCodeRead):
        reader.read_code(timeout_s=0.05)


def test_missing_port() -> None:
    reader = SerialCodeReader("/dev/does-not-exist-kiosk")
    with pytest.raises(CodeScannerNotFound):
        reader.read_code(timeout_s=0.05)
    assert reader.status().state is DeviceState.OFFLINE
