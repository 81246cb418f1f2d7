"""The real backend: the SAM protocol over a serial port with pyserial (RS-232 or a USB-serial bridge).

One exchange at a time (a lock), every wait bounded: pyserial reads return at least every
`POLL_INTERVAL_S` so `cancel()` and the step deadline are honoured. After a failed exchange (timeout,
corrupt frame, stale reply) the next one first flushes the input and re-synchronises with a SAM
status exchange. If the port vanishes (USB unplugged) the port is dropped and every later call tries
to reopen it, so a replug needs no restart. `status()` tells how the latest exchange went; deciding
that the reader is offline (several failed looks in a row) is the device manager's job.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from drivers.idcard import commands as cmds
from drivers.idcard.decode import decode_additional_address, decode_text, split_read_reply
from drivers.idcard.errors import (
    BaudNotDetected,
    CardStatusError,
    FrameError,
    IdCardError,
    PortBusy,
    PortUnavailable,
    ReadCancelled,
    ReaderDisconnected,
    ReaderTimeout,
    SerialLibraryMissing,
    UnexpectedReply,
)
from drivers.idcard.frames import FrameParser, Response, parse_response_body
from drivers.idcard.models import IdCard, SamId
from drivers.idcard.status_codes import SW3_NO_CARD, SW3_NO_CONTENT, CommandError, NoCard, error_for
from drivers.status import DeviceState, DeviceStatus, failed_look

if TYPE_CHECKING:
    from drivers.idcard.commands import Command

log = logging.getLogger("drivers.idcard.serial")

# 115200 is the usual default; some older modules run at 9600 (device-protocols.md 1.1).
BAUD_RATES = (115200, 9600, 57600, 38400, 19200)
POLL_INTERVAL_S = 0.1
DETECT_TIMEOUT_S = 0.3
# After a corrupt frame, how long to keep listening for a good one right behind it.
AFTER_ERROR_GRACE_S = 0.1
FIND_POLL_INTERVAL_S = 0.1
# The 30 10 reply with a 1024-byte fingerprint, the longest reply there is.
READ_REPLY_MAX_BYTES = 2321


def _import_serial() -> Any:
    try:
        import serial
    except ImportError as exc:  # pragma: no cover - pyserial is a dependency
        raise SerialLibraryMissing("pyserial is not installed: pip install 'pyserial>=3.5,<4'") from exc
    return serial


def wire_time_s(nbytes: int, baud: int) -> float:
    """Time on an 8N1 line: 10 bits a byte."""
    return nbytes * 10 / baud


class SerialIdCardReader:
    """`IdCardReader` on a serial port.

    baud 0 detects the rate (SAM status at each usual rate). `retries` is how many times a command is
    re-sent after a corrupt or missing reply. `with_fingerprint` reads with 30 10 instead of 30 01;
    `additional_address` also asks for the new address (30 03).
    """

    def __init__(
        self,
        port: str,
        baud: int = 0,
        *,
        step_timeout_s: float = 1.0,
        read_timeout_s: float = 2.0,
        retries: int = 1,
        with_fingerprint: bool = False,
        additional_address: bool = True,
    ) -> None:
        self.port = port
        self.configured_baud = baud
        self.step_timeout_s = step_timeout_s
        self.read_timeout_s = read_timeout_s
        self.retries = retries
        self.with_fingerprint = with_fingerprint
        self.additional_address = additional_address
        self.baud: int | None = None  # in use, once open
        self._serial_mod: Any = None
        # What a vanished port raises: pyserial's exception, OSError, and termios.error, which is
        # not an OSError (tcflush on a pty whose other side has gone).
        self._io_errors: tuple[type[BaseException], ...] = (OSError,)
        self._ser: Any = None
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._parser = FrameParser()
        self._needs_resync = False
        self._contacted = False
        self._last_error: IdCardError | None = None
        self._address_unsupported = False

    # --- public API ---------------------------------------------------------------------------

    def read_card(self, timeout_s: float = 3.0) -> IdCard:
        deadline = time.monotonic() + timeout_s
        while not self.find_card(min(self.step_timeout_s, max(0.05, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise NoCard(sw3=SW3_NO_CARD)
            if self._cancel.wait(FIND_POLL_INTERVAL_S):
                self._cancel.clear()
                raise ReadCancelled("cancelled while waiting for a card")
        return self.read_found_card(max(timeout_s, self.read_timeout_s))

    def find_card(self, timeout_s: float = 1.0) -> bool:
        reply = self._command(cmds.FIND_CARD, timeout_s, ok_codes=(SW3_NO_CARD,))
        return reply.sw3 != SW3_NO_CARD

    def read_found_card(self, timeout_s: float = 3.0) -> IdCard:
        self._command(cmds.SELECT_CARD, min(self.step_timeout_s, max(timeout_s, 0.05)))
        read = cmds.READ_WITH_FINGERPRINT if self.with_fingerprint else cmds.READ_TEXT_PHOTO
        # Never shorter than the wire needs (1.35 s for a read at 9600 baud), whatever the caller asks.
        wire = wire_time_s(READ_REPLY_MAX_BYTES, self.baud or BAUD_RATES[0])
        reply = self._command(read, max(min(timeout_s, self.read_timeout_s), 1.5 * wire))
        parts = split_read_reply(reply.data, with_fingerprint=self.with_fingerprint)
        card = decode_text(parts.text, photo=parts.photo, fingerprint=parts.fingerprint)
        if self.additional_address and not self._address_unsupported:
            address = self._read_additional_address()
            if address is not None:
                card = _replace_address(card, address)
        return card

    def sam_status(self, timeout_s: float = 1.0) -> None:
        self._command(cmds.SAM_STATUS, timeout_s)

    def sam_id(self, timeout_s: float = 1.0) -> SamId:
        return SamId(self._command(cmds.SAM_ID, timeout_s).data)

    def reset_sam(self, timeout_s: float = 1.0) -> None:
        self._command(cmds.RESET_SAM, timeout_s)

    def status(self) -> DeviceStatus:
        if self._last_error is not None:
            return failed_look(self._last_error)
        if not self._contacted:
            return DeviceStatus(DeviceState.UNKNOWN, detail=self.port)
        return DeviceStatus(DeviceState.OK, detail=f"{self.port} @ {self.baud}")

    def cancel(self) -> None:
        self._cancel.set()
        ser = self._ser
        if ser is not None:
            with contextlib.suppress(OSError, AttributeError):
                ser.cancel_read()

    def close(self) -> None:
        with self._lock:
            self._drop_port()

    def __enter__(self) -> SerialIdCardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- exchanges ------------------------------------------------------------------------------

    def _read_additional_address(self) -> str | None:
        try:
            reply = self._command(cmds.READ_ADDITIONAL_ADDRESS, self.step_timeout_s, ok_codes=(SW3_NO_CONTENT,))
        except CommandError:
            # A module that does not know 30 03 (its support is single-sourced [V1]): stop asking.
            self._address_unsupported = True
            log.info("reader does not support the additional-address command")
            return None
        if reply.sw3 == SW3_NO_CONTENT:
            return None
        return decode_additional_address(reply.data)

    def _command(self, command: Command, timeout_s: float, *, ok_codes: tuple[int, ...] = ()) -> Response:
        """Sends a command and returns its reply; a failure SW3 (not in ok_codes) raises its typed error."""
        with self._lock:
            self._cancel.clear()
            attempt = 0
            while True:
                try:
                    reply = self._exchange(command, timeout_s)
                except (FrameError, ReaderTimeout) as exc:
                    self._needs_resync = True
                    if attempt >= self.retries:
                        self._note_failure(exc)
                        raise
                    attempt += 1
                    log.info("%s: %s; sending it again", command.name, exc.code)
                    continue
                except IdCardError as exc:
                    if not isinstance(exc, ReadCancelled):
                        self._note_failure(exc)
                    raise
                self._note_success()
                if reply.sw3 in ok_codes or reply.sw3 in (0x90, 0x9F):
                    return reply
                error = error_for(reply.sw3)
                if not isinstance(error, CardStatusError):
                    # The SAM itself is unwell or rejects us: that is a device failure, not the card's.
                    self._note_failure(error)
                raise error

    def _exchange(self, command: Command, timeout_s: float) -> Response:
        ser = self._ensure_open()
        if self._needs_resync:
            self._resync(ser)
        return self._send_and_receive(ser, command, timeout_s)

    def _send_and_receive(self, ser: Any, command: Command, timeout_s: float) -> Response:
        try:
            ser.reset_input_buffer()
            self._parser.reset()
            ser.write(command.frame)
        except self._io_errors as exc:
            self._drop_port()
            raise ReaderDisconnected(f"write to {self.port} failed: {type(exc).__name__}") from exc
        return self._receive(ser, command, time.monotonic() + timeout_s)

    def _receive(self, ser: Any, command: Command, deadline: float) -> Response:
        pending_error: FrameError | None = None
        parser = self._parser
        while True:
            try:
                body = parser.next_body()
            except FrameError as exc:
                # Something valid may follow right behind the corrupt frame (garbage that looked like a
                # preamble); listen a little longer before reporting.
                pending_error = exc
                deadline = min(deadline, time.monotonic() + AFTER_ERROR_GRACE_S)
                continue
            if body is not None:
                try:
                    reply = parse_response_body(body)
                except FrameError as exc:
                    pending_error = exc
                    continue
                if command.accepts(reply):
                    return reply
                pending_error = UnexpectedReply(f"{command.name}: skipped a reply that does not fit")
                log.info("%s: skipped a stale or unexpected reply", command.name)
                continue
            if self._cancel.is_set():
                self._cancel.clear()
                self._needs_resync = True
                raise ReadCancelled(f"{command.name} cancelled")
            if time.monotonic() >= deadline:
                if pending_error is not None:
                    raise pending_error
                truncated = parser.truncation_error()
                if truncated is not None:
                    raise truncated
                raise ReaderTimeout(f"{command.name}: no reply from {self.port}")
            try:
                chunk = ser.read(parser.bytes_needed())
            except self._io_errors as exc:
                self._drop_port()
                raise ReaderDisconnected(f"read from {self.port} failed: {type(exc).__name__}") from exc
            parser.feed(chunk)

    def _resync(self, ser: Any) -> None:
        """After a failed exchange: flush, and let one SAM status exchange soak up a late reply."""
        self._needs_resync = False
        # A failure here is fine: the command that follows has its own shape check.
        with contextlib.suppress(FrameError, ReaderTimeout):
            self._send_and_receive(ser, cmds.SAM_STATUS, self.step_timeout_s / 2)

    # --- the port -------------------------------------------------------------------------------

    def _ensure_open(self) -> Any:
        if self._ser is not None:
            return self._ser
        serial = self._serial_mod = self._serial_mod or _import_serial()
        self._io_errors = _io_errors(serial)
        try:
            ser = serial.Serial(
                self.port, self.configured_baud or BAUD_RATES[0], bytesize=8, parity="N", stopbits=1,
                timeout=POLL_INTERVAL_S, write_timeout=1.0, exclusive=True,
            )
        except (OSError, serial.SerialException, ValueError) as exc:
            raise _open_error(self.port, exc) from exc
        self._ser = ser
        self._parser = FrameParser()
        self._needs_resync = False
        if self.configured_baud:
            self.baud = self.configured_baud
        else:
            self.baud = self._detect_baud(ser)
        log.info("ID-card reader open on %s at %d baud", self.port, self.baud)
        return ser

    def _detect_baud(self, ser: Any) -> int:
        rates = list(dict.fromkeys([*([self.baud] if self.baud else []), *BAUD_RATES]))
        for rate in rates:
            try:
                ser.baudrate = rate
                self._send_and_receive(ser, cmds.SAM_STATUS, DETECT_TIMEOUT_S)
            except (FrameError, ReaderTimeout):
                continue
            except self._io_errors as exc:
                self._drop_port()
                raise ReaderDisconnected(f"{self.port} failed during baud detection") from exc
            return rate
        self._drop_port()
        raise BaudNotDetected(f"no reply to SAM status on {self.port} at {', '.join(map(str, rates))} baud")

    def _drop_port(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            with contextlib.suppress(*self._io_errors):
                ser.close()

    # --- health ---------------------------------------------------------------------------------

    def _note_success(self) -> None:
        self._contacted = True
        if self._last_error is not None:
            log.info("ID-card reader answering again after %s", self._last_error.code)
        self._last_error = None

    def _note_failure(self, error: IdCardError) -> None:
        # Only the latest outcome is kept: counting failures into an outage is the device manager's job.
        self._last_error = error


def _io_errors(serial: Any) -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OSError, serial.SerialException]
    try:
        import termios

        found.append(termios.error)
    except ImportError:  # pragma: no cover - not a POSIX system
        pass
    return tuple(found)


def _open_error(port: str, exc: BaseException) -> IdCardError:
    number = getattr(exc, "errno", None)
    text = str(exc)
    if number in (errno.EBUSY, errno.EAGAIN) or "exclusively lock" in text:
        return PortBusy(f"{port} is in use by another program")
    if number == errno.EACCES or "Permission denied" in text:
        return PortUnavailable(f"{port}: permission denied (add the kiosk user to the dialout group)")
    return PortUnavailable(f"{port} cannot be opened ({type(exc).__name__})")


def _replace_address(card: IdCard, address: str) -> IdCard:
    return dataclasses.replace(card, additional_address=address)
