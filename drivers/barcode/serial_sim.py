"""A hand-held QR scanner played on a pseudo terminal: `SerialCodeReader` opens `port` as it would a
real /dev/ttyACM0, and `scan(text)` sends a code the way the scanner does (text, then CR LF)."""

from __future__ import annotations

import contextlib
import os
import tty


class PtyCodeScanner:
    def __init__(self, *, terminator: bytes = b"\r\n", encoding: str = "utf-8") -> None:
        self._master, self._slave = os.openpty()
        # Raw mode: no echo and no CR/LF translation, as on a real serial line.
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.terminator = terminator
        self.encoding = encoding

    def scan(self, text: str, *, aim_id: str = "") -> None:
        """Send one code (optionally prefixed with an AIM identifier such as "]Q1")."""
        self.send_raw((aim_id + text).encode(self.encoding) + self.terminator)

    def send_raw(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]

    def close(self) -> None:
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> PtyCodeScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
