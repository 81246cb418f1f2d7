"""The SAM frame codec as pure functions: no I/O, no clock, usable by the backend and the simulator.

    AA AA AA 96 69 | LEN_H LEN_L | body... | CHK

LEN (big-endian) counts the body plus CHK; CHK is the XOR of LEN_H through the last body byte. A
request body is CMD PARA DATA, a response body is SW1 SW2 SW3 DATA. `FrameParser` takes bytes as they
arrive (garbage, split and merged frames included), resynchronises on the preamble and hands out
whole frames; a malformed candidate raises a typed `FrameError` after it has been skipped, so the
caller may simply keep going.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.idcard.errors import FrameChecksumError, FrameLengthError, FrameTruncated, StatusWordError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2
# The longest legitimate frame is the 30 10 reply with a 1024-byte fingerprint (LEN 0x090A). A larger
# LEN is garbage that happens to follow a preamble; accepting it would stall the parser waiting for
# bytes that never come. The margin allows for readers with a longer fingerprint block [U].
MAX_LEN = 0x1000
MIN_REQUEST_LEN = 3  # CMD PARA CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK


def checksum(data: bytes | bytearray) -> int:
    """XOR of every byte: apply to LEN_H..last body byte."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def build_frame(body: bytes) -> bytes:
    if len(body) + 1 > 0xFFFF:
        raise ValueError("frame body too long")
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    return build_frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    return build_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""

    @property
    def command(self) -> tuple[int, int]:
        return (self.cmd, self.para)


@dataclass(frozen=True)
class Response:
    sw3: int
    data: bytes = field(default=b"", repr=False)

    def __repr__(self) -> str:
        # The data of a read reply is a whole ID card: never let a repr carry it into a log.
        return f"Response(sw3=0x{self.sw3:02X}, {len(self.data)} data bytes)"


def parse_request_body(body: bytes) -> Request:
    if len(body) < MIN_REQUEST_LEN - 1:
        raise FrameLengthError(f"request body of {len(body)} bytes")
    return Request(body[0], body[1], bytes(body[2:]))


def parse_response_body(body: bytes) -> Response:
    if len(body) < MIN_RESPONSE_LEN - 1:
        raise FrameLengthError(f"response body of {len(body)} bytes")
    if body[0] != 0 or body[1] != 0:
        raise StatusWordError(f"SW1 SW2 = {body[0]:02X} {body[1]:02X}")
    return Response(body[2], bytes(body[3:]))


class FrameParser:
    """Incremental receiver: `feed()` bytes, then call `next_body()` until it returns None.

    `min_len` is the smallest LEN accepted (3 for requests, 4 for responses). `discarded` counts the
    bytes skipped while resynchronising, for diagnostics.
    """

    def __init__(self, *, min_len: int = MIN_RESPONSE_LEN) -> None:
        self._buf = bytearray()
        self._min_len = min_len
        self.discarded = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def reset(self) -> None:
        self.discarded += len(self._buf)
        self._buf.clear()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def bytes_needed(self) -> int:
        """How many more bytes would complete the frame under way (at least 1): a good read size."""
        start = self._buf.find(PREAMBLE)
        if start < 0:
            return HEADER_SIZE
        have = len(self._buf) - start
        if have < HEADER_SIZE:
            return HEADER_SIZE - have
        length = int.from_bytes(self._buf[start + 5 : start + 7], "big")
        if not self._min_len <= length <= MAX_LEN:
            return 1
        return max(1, HEADER_SIZE + length - have)

    def _skip(self, count: int) -> None:
        del self._buf[:count]
        self.discarded += count

    def next_body(self) -> bytes | None:
        """The body of the next complete, valid frame, or None if more bytes are needed.

        Raises FrameLengthError or FrameChecksumError for a malformed candidate; by then its first
        preamble byte has been dropped, so the next call resynchronises on whatever follows
        (a frame hidden behind a truncated one included).
        """
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that may be the beginning of a preamble split across reads.
                keep = 0
                for size in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
                    if self._buf.endswith(PREAMBLE[:size]):
                        keep = size
                        break
                self._skip(len(self._buf) - keep)
                return None
            if start:
                self._skip(start)
            if len(self._buf) < HEADER_SIZE:
                return None
            length = int.from_bytes(self._buf[5:7], "big")
            if not self._min_len <= length <= MAX_LEN:
                self._skip(1)
                raise FrameLengthError(f"LEN 0x{length:04X} out of range")
            total = HEADER_SIZE + length
            if len(self._buf) < total:
                hidden = self._complete_frame_after(1)
                if hidden is None:
                    return None
                # A whole valid frame already sits inside the unfinished one: the first was garbage
                # or cut short (a truncated reply, then the next). Skip to the good one.
                self._skip(hidden)
                raise FrameLengthError("a frame was cut short by the next one")
            frame = bytes(self._buf[:total])
            if checksum(frame[5:-1]) != frame[-1]:
                self._skip(1)
                raise FrameChecksumError(f"checksum mismatch in a frame of {total} bytes")
            self._skip(total)
            self.discarded -= total  # a good frame is not "discarded"
            return frame[HEADER_SIZE:-1]

    def _complete_frame_after(self, begin: int) -> int | None:
        """Offset of the first complete frame with a valid checksum at or after `begin`, if any."""
        pos = self._buf.find(PREAMBLE, begin)
        while pos >= 0 and len(self._buf) - pos >= HEADER_SIZE:
            length = int.from_bytes(self._buf[pos + 5 : pos + 7], "big")
            end = pos + HEADER_SIZE + length
            complete = self._min_len <= length <= MAX_LEN and end <= len(self._buf)
            if complete and checksum(self._buf[pos + 5 : end - 1]) == self._buf[end - 1]:
                return pos
            pos = self._buf.find(PREAMBLE, pos + 1)
        return None

    def truncation_error(self) -> FrameTruncated | None:
        """After a timeout: a FrameTruncated if part of a frame was waiting, else None."""
        if self._buf.find(PREAMBLE) >= 0:
            return FrameTruncated(f"reply stopped after {len(self._buf)} bytes")
        return None


def parse_frame(frame: bytes, *, response: bool = True) -> Request | Response:
    """Parses exactly one complete frame (no garbage around it), e.g. a test vector."""
    parser = FrameParser(min_len=MIN_RESPONSE_LEN if response else MIN_REQUEST_LEN)
    parser.feed(frame)
    body = parser.next_body()
    if body is None or parser.buffered or parser.discarded:
        raise FrameLengthError(f"not exactly one frame ({len(frame)} bytes)")
    return parse_response_body(body) if response else parse_request_body(body)
