"""A virtual card for pcscd's vpcd reader: `python -m drivers.citizencard.virtual_card --fixture FILE`.

vpcd (package vsmartcard-vpcd) gives pcscd two readers, 'Virtual PCD 00 00' and 'Virtual PCD 00 01',
listening on TCP 35963 and 35964. A card is a client of that port: connecting inserts it, closing the
socket removes it. Every message is a 2-byte big-endian length and a payload; a 1-byte payload is a
control message (00 power off, 01 power on, 02 reset, 04 get ATR, answered with the ATR), anything else
is a C-APDU answered with data + SW. Debian's `vicc` cannot serve custom content, hence this program.

Faults for tests (on the command line with --fault, or at run time through the control socket):
  pull:N        answer N more APDUs, then drop the connection (the card is pulled mid-read)
  sw:XXXX[@N]   let N APDUs through, then answer the next one with status word XXXX (once)
  slow:S        delay every answer by S seconds
The control socket (--control PATH, a Unix socket) takes one line per command and answers one line:
  remove | insert [FIXTURE] | fault SPEC | clear | status | quit      → "ok …" or "error …"
Lines on stdout ("virtual-card: control ready", "… inserted", "… removed") let a test wait for a state.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from drivers.citizencard.card_emulator import VirtualCard, load_fixture

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963
RETRY_INTERVAL_S = 0.2


def say(line: str) -> None:
    sys.stdout.write(f"virtual-card: {line}\n")
    sys.stdout.flush()


@dataclass
class Faults:
    pull_after: int | None = None
    sw: int | None = None
    sw_after: int = 0
    delay_s: float = 0.0

    def apply(self, spec: str) -> None:
        """Adds one fault from its text form (see the module docstring); ValueError on a bad spec."""
        kind, _, arg = spec.partition(":")
        if kind == "pull":
            self.pull_after = int(arg or "0")
        elif kind == "sw":
            word, _, after = arg.partition("@")
            value = int(word, 16)
            if len(word) != 4 or not 0 <= value <= 0xFFFF:
                raise ValueError("sw needs 4 hex digits, e.g. sw:6F00")
            self.sw, self.sw_after = value, int(after or "0")
        elif kind == "slow":
            self.delay_s = float(arg)
            if not 0 <= self.delay_s <= 60:
                raise ValueError("slow takes 0..60 seconds")
        else:
            raise ValueError(f"unknown fault {kind!r}: pull:N, sw:XXXX[@N], slow:S")


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        data += chunk
    return data


class VirtualCardServer:
    def __init__(self, fixture: Path, *, host: str, port: int, retry: bool, control: Path | None) -> None:
        self.fixture = fixture
        self.card = VirtualCard(load_fixture(fixture))
        self.host, self.port, self.retry = host, port, retry
        self.control_path = control
        self.faults = Faults()
        self.lock = threading.Condition()
        self.want_inserted = True
        self.stopping = False
        self.sock: socket.socket | None = None
        self.apdus = 0
        # Set to end a slow answer early when the card is removed or the program stops.
        self.interrupt = threading.Event()

    # -- control ---------------------------------------------------------------------------------

    def _drop(self) -> None:
        """Removes the card: closing our end makes vpcd report it gone at pcscd's next presence poll."""
        self.want_inserted = False
        self.interrupt.set()
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def command(self, line: str) -> str:
        words = line.split()
        if not words:
            return "error empty command"
        verb, args = words[0], words[1:]
        with self.lock:
            if verb == "remove":
                self._drop()
            elif verb == "insert":
                if self.sock is not None:
                    return "error a card is inserted; remove it first"
                if args:
                    try:
                        self.fixture = Path(args[0])
                        self.card = VirtualCard(load_fixture(self.fixture))
                    except (OSError, ValueError, KeyError) as exc:
                        return f"error cannot load fixture: {exc}"
                self.faults = Faults()
                self.want_inserted = True
                self.interrupt.clear()
            elif verb == "fault":
                try:
                    for spec in args:
                        self.faults.apply(spec)
                except ValueError as exc:
                    return f"error {exc}"
            elif verb == "clear":
                self.faults = Faults()
            elif verb == "status":
                state = "inserted" if self.sock is not None else "removed"
                return f"ok {state} apdus={self.apdus} fixture={self.fixture.name}"
            elif verb == "quit":
                self.stopping = True
                self._drop()
            else:
                return f"error unknown command {verb!r}"
            self.lock.notify_all()
        return "ok"

    def serve_control(self, server: socket.socket) -> None:
        while not self.stopping:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn, conn.makefile("rwb") as stream:
                for raw in stream:
                    stream.write((self.command(raw.decode(errors="replace").strip()) + "\n").encode())
                    stream.flush()

    # -- the card on the vpcd socket ----------------------------------------------------------------

    def _connect(self) -> socket.socket | None:
        while not self.stopping:
            try:
                return socket.create_connection((self.host, self.port), timeout=5)
            except OSError as exc:
                if not self.retry:
                    raise SystemExit(f"virtual-card: cannot reach vpcd at {self.host}:{self.port}: {exc}") from exc
            with self.lock:
                self.lock.wait(RETRY_INTERVAL_S)
        return None

    def _answer(self, msg: bytes) -> bytes | None:
        """The reply to one vpcd message, faults applied; None for no reply, b"" to drop the card."""
        if len(msg) == 1:
            if msg[0] == 0x04:
                return self.card.atr
            self.card.reset()  # power off, power on, reset
            return None
        with self.lock:
            self.apdus += 1
            faults = self.faults
            if faults.pull_after is not None:
                if faults.pull_after == 0:
                    faults.pull_after = None
                    self.want_inserted = False  # a pulled card stays out until `insert`
                    return b""
                faults.pull_after -= 1
            sw = None
            if faults.sw is not None:
                if faults.sw_after == 0:
                    sw, faults.sw = faults.sw, None
                else:
                    faults.sw_after -= 1
            delay = faults.delay_s
        out = self.card.apdu(msg)
        if sw is not None:
            out = sw.to_bytes(2, "big")
        if delay and self.interrupt.wait(delay):
            return b""  # removed while the answer was pending
        return out

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        while True:
            try:
                (n,) = struct.unpack(">H", _recv_exact(sock, 2))
                reply = self._answer(_recv_exact(sock, n))
                if reply == b"":
                    return
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
            except OSError:
                return

    def run(self) -> int:
        while True:
            with self.lock:
                while not self.want_inserted and not self.stopping:
                    self.lock.wait()
                if self.stopping:
                    return 0
            sock = self._connect()
            if sock is None:
                return 0
            with self.lock:
                self.sock = sock
                self.card.reset()
                inserted_by_request = self.want_inserted
            if not inserted_by_request:  # removed while we were connecting
                sock.close()
                with self.lock:
                    self.sock = None
                continue
            say(f"inserted ({self.fixture.name}) on {self.host}:{self.port}")
            self._serve(sock)
            with contextlib.suppress(OSError):
                sock.close()
            with self.lock:
                self.sock = None
                vpcd_closed = self.want_inserted and not self.stopping
            say("removed")
            if self.stopping:
                return 0
            # Removed on request or by a pull fault: stay out until `insert`. Closed by vpcd (pcscd stopped
            # or restarted): come back when it listens again, if asked to retry.
            if vpcd_closed and not self.retry:
                return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.citizencard.virtual_card", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixture", type=Path, required=True, help="card fixture (TOML)")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="35963 = 'Virtual PCD 00 00', 35964 = '… 00 01'")
    parser.add_argument("--retry", action="store_true", help="keep trying until vpcd listens (pcscd starting)")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC", help="pull:N, sw:XXXX[@N], slow:S")
    parser.add_argument("--control", type=Path, help="Unix socket for run-time commands")
    parser.add_argument("--removed", action="store_true", help="start with the card out (insert through --control)")
    args = parser.parse_args(argv)
    server = VirtualCardServer(args.fixture, host=args.host, port=args.port, retry=args.retry, control=args.control)
    try:
        for spec in args.fault:
            server.faults.apply(spec)
    except ValueError as exc:
        parser.error(str(exc))
    server.want_inserted = not args.removed
    # SIGTERM ends the program through `finally`, so the control socket file does not outlive it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    control: socket.socket | None = None
    try:
        if args.control is not None:
            with contextlib.suppress(FileNotFoundError):
                args.control.unlink()
            control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            control.bind(str(args.control))
            control.listen(4)
            threading.Thread(target=server.serve_control, args=(control,), daemon=True, name="control").start()
            say(f"control ready on {args.control}")
        return server.run()
    finally:
        if control is not None:
            control.close()
            with contextlib.suppress(OSError):
                os.unlink(args.control)


if __name__ == "__main__":
    sys.exit(main())
