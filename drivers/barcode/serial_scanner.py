"""Hand-held QR scanners on a serial port (or USB CDC-ACM): each code arrives as one text line.

Scanners end a code with CR, LF or CR LF depending on their setup; all three are accepted and empty
lines skipped. Chinese-market scanners send either UTF-8 or GB18030 (GBK), so both are tried in that
order. With `aim_ids` the scanner is expected to prefix each code with its AIM symbology identifier
(`]Q1` for QR, `]E0` for EAN-13…), which is stripped and turned into the format.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from drivers.barcode.errors import (
    BarcodeBackendUnavailable,
    CodeScannerDisconnected,
    CodeScannerNotFound,
    NoCodeRead,
    UnreadableCode,
)
from drivers.barcode.protocol import BarcodeFormat, DecodedCode
from drivers.status import DeviceState, DeviceStatus

_log = logging.getLogger(__name__)

MAX_LINE = 4096
# Longest read per step, so a caller's cancel is seen within this even with a long timeout.
_STEP_S = 0.2
_AIM: dict[str, BarcodeFormat] = {
    "Q": BarcodeFormat.QR_CODE,
    "d": BarcodeFormat.DATA_MATRIX,
    "L": BarcodeFormat.PDF417,
    "z": BarcodeFormat.AZTEC,
    "E": BarcodeFormat.EAN_13,
    "C": BarcodeFormat.CODE_128,
    "A": BarcodeFormat.CODE_39,
    "G": BarcodeFormat.CODE_93,
    "I": BarcodeFormat.ITF,
    "F": BarcodeFormat.CODABAR,
    "e": BarcodeFormat.DATABAR,
}


def _serial() -> Any:
    try:
        import serial
    except ImportError as exc:
        raise BarcodeBackendUnavailable("pyserial is not installed: pip install pyserial") from exc
    return serial


def decode_line(line: bytes, *, aim_ids: bool = False) -> DecodedCode:
    """One received line (without its terminator) as a code."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = line.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte sequence
        raise UnreadableCode("a code in an unknown character set")
    fmt = BarcodeFormat.UNKNOWN
    if aim_ids and len(text) >= 3 and text[0] == "]":
        fmt = _AIM.get(text[1], BarcodeFormat.UNKNOWN)
        if fmt is BarcodeFormat.EAN_13 and text[2] == "4":
            fmt = BarcodeFormat.EAN_8
        text = text[3:]
    if not text:
        raise UnreadableCode("an empty code")
    return DecodedCode(fmt, text, (), line, "serial")


class SerialCodeReader:
    """Reads codes from `port` (e.g. /dev/ttyACM0); the port is opened on first use and after a failure."""

    def __init__(self, port: str, *, baudrate: int = 9600, aim_ids: bool = False) -> None:
        if not port:
            raise CodeScannerNotFound("no serial port configured for the QR scanner (devices.barcode.port)")
        self._serial_mod = _serial()
        self.port = port
        self._baudrate = baudrate
        self._aim_ids = aim_ids
        self._conn: Any = None
        self._buffer = bytearray()
        self._failures = 0

    def read_code(self, timeout_s: float) -> DecodedCode:
        """The next code; `NoCodeRead` after `timeout_s` without one."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        while True:
            line = self._take_line()
            if line is not None:
                self._failures = 0
                return decode_line(line, aim_ids=self._aim_ids)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NoCodeRead(f"no code within {timeout_s:g} s")
            self._read_some(min(remaining, _STEP_S))

    def open(self) -> None:
        """Open the port now (pyserial discards what arrived before it was opened)."""
        self._open()

    def status(self) -> DeviceStatus:
        try:
            self._open()
        except CodeScannerNotFound as exc:
            return DeviceStatus(DeviceState.OFFLINE, exc.code, exc.message_key)
        if self._failures:
            return DeviceStatus(DeviceState.DEGRADED, "barcode.scanner_disconnected")
        return DeviceStatus(DeviceState.OK, self.port)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def __enter__(self) -> SerialCodeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> Any:
        if self._conn is None:
            try:
                self._conn = self._serial_mod.Serial(self.port, self._baudrate, timeout=_STEP_S)
            except self._serial_mod.SerialException as exc:
                self._failures += 1
                raise CodeScannerNotFound(f"cannot open QR scanner port {self.port}: {exc}") from exc
            self._buffer.clear()
        return self._conn

    def _read_some(self, timeout_s: float) -> None:
        conn = self._open()
        try:
            conn.timeout = timeout_s
            chunk = conn.read(max(1, conn.in_waiting))
        except (self._serial_mod.SerialException, OSError) as exc:
            self._failures += 1
            self.close()
            _log.info("barcode: serial scanner on %s failed (%d in a row)", self.port, self._failures)
            raise CodeScannerDisconnected(f"QR scanner on {self.port} stopped answering: {exc}") from exc
        self._buffer.extend(chunk)
        if len(self._buffer) > MAX_LINE and not any(b in self._buffer for b in b"\r\n"):
            self._buffer.clear()
            raise UnreadableCode(f"a line longer than {MAX_LINE} bytes; discarded")

    def _take_line(self) -> bytes | None:
        while True:
            ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
            if not ends:
                return None
            end = min(ends)
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            if line:
                return line
