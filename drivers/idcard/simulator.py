"""A reader that speaks the SAM protocol byte for byte on a pseudo terminal, for tests, demos and benches.

The simulator owns the master side of a pty and keeps the slave side open itself (so a client may
close and reopen the port, as with socat); clients open the slave path, or the stable symlink given
as `link`, with the real pyserial backend. A pty ignores the baud rate, so with `pace_baud` the
simulator waits out the wire time of each request and sends each reply at that rate (10 bits a
byte), which makes latency figures honest.

Faults are injected on demand with `inject(Fault.X, count)`; `vanish()` and `reappear()` model a USB
reader unplugged and plugged back in (the pty and the symlink disappear, then come back under the
same link). The state machine follows a real SAM: find (20 01) → select (20 02) → read (30 01/30 10).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import queue
import select
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drivers.idcard.encode import encode_additional_address, encode_read_data
from drivers.idcard.errors import FrameChecksumError, FrameError, FrameLengthError
from drivers.idcard.frames import MIN_REQUEST_LEN, FrameParser, Request, build_response, parse_request_body
from drivers.idcard.models import IdCard

log = logging.getLogger("drivers.idcard.simulator")

# The synthetic SAM ID of the reference vector 6.4: 05.01-20101117-0052152654-1712318975.
DEFAULT_SAM_ID = bytes.fromhex("05000100FDB732014EC91B03FFE90F66")
PACE_CHUNK = 16
GARBAGE = bytes.fromhex("00FF13AA55AAAA96AA0D0A69AAAAAA96") + b"noise\x00\xaa"

FIND, SELECT, READ, READ_FP, ADDRESS = (0x20, 0x01), (0x20, 0x02), (0x30, 0x01), (0x30, 0x10), (0x30, 0x03)


class Fault(enum.Enum):
    NO_CARD = "no_card"  # find-card answers 80
    READ_FAILURE = "read_failure"  # read answers 41
    SELECT_FAILURE = "select_failure"  # select answers 81
    SAM_FAULT = "sam_fault"  # SAM status answers 60
    BAD_CHECKSUM = "bad_checksum"  # the reply's CHK is wrong
    TRUNCATED = "truncated"  # only the first half of the reply is sent
    GARBAGE = "garbage"  # noise (with partial preambles) is sent before the reply
    SLOW = "slow"  # the reply comes `slow_delay_s` late
    VANISH = "vanish"  # instead of replying, the device disappears (call reappear())
    # The card leaves the reader just after this reply: a hand that lifts it mid-read. By default right
    # after find-card said it is there, so select (81) and read (41) find it gone, as on a real reader.
    CARD_PULLED = "card_pulled"


# The command a fault applies to unless inject() says otherwise; None = the next reply of any kind.
_DEFAULT_TARGET: dict[Fault, tuple[int, int] | None] = {
    Fault.NO_CARD: FIND,
    Fault.READ_FAILURE: READ,
    Fault.SELECT_FAILURE: SELECT,
    Fault.SAM_FAULT: (0x11, 0xFF),
    Fault.CARD_PULLED: FIND,
}


@dataclass
class _Injected:
    fault: Fault
    remaining: int
    target: tuple[int, int] | None


class IdCardSimulator:
    def __init__(
        self,
        card: IdCard | None = None,
        *,
        link: Path | None = None,
        pace_baud: int = 0,
        slow_delay_s: float = 2.0,
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        self.card = card
        self.link = link
        self.pace_baud = pace_baud
        self.slow_delay_s = slow_delay_s
        self.sam_id = sam_id
        self.requests: list[Request] = []
        self.replies_sent = 0  # replies fully written (or dropped), faulty ones included
        self._faults: list[_Injected] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._master: int | None = None
        self._slave: int | None = None
        self._pts = ""
        self._control: queue.Queue[Callable[[], None]] = queue.Queue()
        self._wake_r, self._wake_w = os.pipe()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._found = False
        self._selected = False
        self._parser = FrameParser(min_len=MIN_REQUEST_LEN)

    # --- life cycle -----------------------------------------------------------------------------

    @property
    def port(self) -> str:
        """The path clients open: the symlink if one was asked for, else the pty's /dev/pts/N."""
        return str(self.link) if self.link else self._pts

    def start(self) -> str:
        self._open_pty()
        self._thread = threading.Thread(target=self._run, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        self._stop.set()
        os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_pty()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> IdCardSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- control from tests and the demo ---------------------------------------------------------

    def place_card(self, card: IdCard) -> None:
        with self._lock:
            self.card = card
            self._found = self._selected = False

    def remove_card(self) -> None:
        with self._lock:
            self.card = None
            self._found = self._selected = False

    def inject(self, fault: Fault, count: int = 1, *, command: tuple[int, int] | None = None) -> None:
        """The next `count` replies to `command` (default: the fault's natural one) carry the fault."""
        with self._lock:
            self._faults.append(_Injected(fault, count, command or _DEFAULT_TARGET.get(fault)))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def vanish(self) -> None:
        """The device disappears: the pty closes and the symlink goes away."""
        self._call(self._close_pty)

    def reappear(self) -> None:
        """A new pty comes up; the symlink (if any) points at it again."""
        self._call(self._open_pty)

    def wait_for_requests(self, count: int, timeout_s: float = 5.0) -> bool:
        """True once `count` requests in all have been received."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.requests) >= count, timeout_s)

    def wait_for_replies(self, count: int, timeout_s: float = 5.0) -> bool:
        """True once `count` replies in all have been sent (a slow one included)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.replies_sent >= count, timeout_s)

    def _call(self, action: Callable[[], None]) -> None:
        if self._thread is None or not self._thread.is_alive():
            action()
            return
        done = threading.Event()

        def run() -> None:
            try:
                action()
            finally:
                done.set()

        self._control.put(run)
        os.write(self._wake_w, b"x")
        if not done.wait(5):
            raise TimeoutError("simulator thread did not respond")

    # --- the pty --------------------------------------------------------------------------------

    def _open_pty(self) -> None:
        master, slave = os.openpty()
        # Raw from the start: with the default line discipline the pty would echo requests back and
        # translate CR/LF before any client had configured it.
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave, self._pts = master, slave, os.ttyname(slave)
        self._parser = FrameParser(min_len=MIN_REQUEST_LEN)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self._pts)
            tmp.replace(self.link)

    def _close_pty(self) -> None:
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
        for fd in (self._slave, self._master):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    # --- serving --------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            while not self._control.empty():
                self._control.get_nowait()()
            fds = [self._wake_r] + ([self._master] if self._master is not None else [])
            ready, _, _ = select.select(fds, [], [], 0.5)
            if self._wake_r in ready:
                os.read(self._wake_r, 64)
                continue
            if self._master is None or self._master not in ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                continue
            self._parser.feed(data)
            self._serve_buffered()

    def _serve_buffered(self) -> None:
        while self._master is not None:
            try:
                body = self._parser.next_body()
            except FrameChecksumError:
                self._send(build_response(0x10))  # what a SAM answers to a corrupt request
                continue
            except FrameLengthError:
                self._send(build_response(0x11))
                continue
            if body is None:
                return
            try:
                request = parse_request_body(body)
            except FrameError:
                self._send(build_response(0x11))
                continue
            with self._changed:
                self.requests.append(request)
                self._changed.notify_all()
            self._handle(request, 7 + len(body) + 1)

    def _take_fault(self, command: tuple[int, int]) -> set[Fault]:
        taken: set[Fault] = set()
        with self._lock:
            for item in self._faults:
                if item.remaining > 0 and (item.target is None or item.target == command):
                    if item.fault in taken:
                        continue
                    item.remaining -= 1
                    taken.add(item.fault)
            self._faults = [f for f in self._faults if f.remaining > 0]
        return taken

    def _reply(self, request: Request, faults: set[Fault]) -> bytes:
        command = request.command
        with self._lock:
            card = self.card
            if command == (0x10, 0xFF):
                self._found = self._selected = False
                return build_response(0x90)
            if command == (0x11, 0xFF):
                return build_response(0x60 if Fault.SAM_FAULT in faults else 0x90)
            if command == (0x12, 0xFF):
                return build_response(0x90, self.sam_id)
            if command == (0x61, 0xFF):
                return build_response(0x90)
            if command == FIND:
                self._found = card is not None and Fault.NO_CARD not in faults
                return build_response(0x9F, bytes(4)) if self._found else build_response(0x80)
            if command == SELECT:
                self._selected = self._found and card is not None and Fault.SELECT_FAILURE not in faults
                return build_response(0x90, bytes(8)) if self._selected else build_response(0x81)
            if command in (READ, READ_FP):
                if not self._selected or card is None or Fault.READ_FAILURE in faults:
                    return build_response(0x41)
                return build_response(0x90, encode_read_data(card, with_fingerprint=command == READ_FP))
            if command == ADDRESS:
                if not self._selected or card is None:
                    return build_response(0x41)
                if not card.additional_address:
                    return build_response(0x91)
                return build_response(0x90, encode_additional_address(card.additional_address))
        return build_response(0x21)  # unknown command (30 05 included: its reply is undocumented)

    def _handle(self, request: Request, request_size: int) -> None:
        received = time.monotonic()
        faults = self._take_fault(request.command)
        if Fault.VANISH in faults:
            self._close_pty()
            return
        frame = self._reply(request, faults)
        if Fault.CARD_PULLED in faults:
            self.remove_card()
        if Fault.BAD_CHECKSUM in faults:
            frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
        if Fault.TRUNCATED in faults:
            frame = frame[: max(1, len(frame) // 2)]
        if Fault.GARBAGE in faults:
            frame = GARBAGE + frame
        if Fault.SLOW in faults and self._stop.wait(self.slow_delay_s):
            return
        if self.pace_baud:
            # The reader cannot answer before the whole request has crossed the wire.
            _sleep_until(received + request_size * 10 / self.pace_baud)
        self._send(frame)
        with self._changed:
            self.replies_sent += 1
            self._changed.notify_all()

    def _send(self, data: bytes) -> None:
        master = self._master
        if master is None:
            return
        per_byte = 10 / self.pace_baud if self.pace_baud else 0.0
        start = time.monotonic()
        sent = 0
        while sent < len(data):
            chunk = data[sent : sent + PACE_CHUNK] if per_byte else data[sent:]
            if per_byte:
                # A byte is there once its last bit has arrived: release each chunk at that moment.
                _sleep_until(start + (sent + len(chunk)) * per_byte)
            try:
                sent += os.write(master, chunk)
            except BlockingIOError:
                # Nobody is reading and the pty buffer is full; wait briefly, then drop the rest as a
                # line would.
                _, writable, _ = select.select([], [master], [], 1.0)
                if not writable:
                    log.debug("simulator dropped %d reply bytes: nobody reading", len(data) - sent)
                    return
            except OSError:
                return


def _sleep_until(when: float) -> None:
    delay = when - time.monotonic()
    if delay > 0:
        time.sleep(delay)
