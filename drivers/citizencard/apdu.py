"""Command builders, response parsing, the T=0 answer rules and status-word errors.

Pure functions: no pyscard, no I/O. `transceive` takes any `send(bytes) -> bytes` so the T=0 rules are
tested without a card. Only short APDUs (Lc, Le up to 256) are used by the cards we read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from drivers.citizencard.errors import (
    AuthenticationFailed,
    CardFileNotFound,
    CardProtocolError,
    SecurityStatusNotSatisfied,
    StatusWordError,
)

SW_OK = 0x9000
# A card that keeps answering 61xx forever must not hold the kiosk; real answers here need one or two.
MAX_GET_RESPONSE = 32


@dataclass(frozen=True)
class Command:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le byte (case 1/3); 0 or 256: "as much as there is" (00)

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFF:
                raise ValueError(f"{name} out of range: {value}")
        if len(self.data) > 255:
            raise ValueError("short APDUs carry at most 255 data bytes")
        if self.le is not None and not 0 <= self.le <= 256:
            raise ValueError(f"Le out of range: {self.le}")

    def to_bytes(self) -> bytes:
        out = bytes((self.cla, self.ins, self.p1, self.p2))
        if self.data:
            out += bytes((len(self.data),)) + self.data
        if self.le is not None:
            out += bytes((self.le & 0xFF,))
        return out

    def with_le(self, le: int) -> Command:
        return replace(self, le=le)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Command:
        """Parses a short APDU (cases 1 to 4)."""
        if len(raw) < 4:
            raise ValueError("an APDU has at least 4 bytes")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0 or len(body) not in (1 + lc, 2 + lc):
            raise ValueError("APDU length does not match Lc")
        data = bytes(body[1 : 1 + lc])
        le = (body[1 + lc] or 256) if len(body) == 2 + lc else None
        return cls(cla, ins, p1, p2, data, le)


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise CardProtocolError(f"answer of {len(raw)} bytes has no status word")
        return cls(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")


def parse_hex(text: str) -> bytes:
    """`"00 A4 04 00"`, `"00a40400"` → bytes; spaces and colons are allowed between bytes."""
    cleaned = text.replace(" ", "").replace(":", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError as exc:
        raise ValueError(f"not a hex string: {text!r}") from exc


def select_by_name(name: bytes, *, p2: int = 0x00) -> Command:
    return Command(0x00, 0xA4, 0x04, p2, name)


def select_fid(fid: int, *, p1: int = 0x02, p2: int = 0x00) -> Command:
    return Command(0x00, 0xA4, p1, p2, fid.to_bytes(2, "big"))


# P2 of READ RECORD: "identifier" names the record by its tag in P1; "number" by its position; with an SFI
# the file is chosen in the same command (P2 = SFI << 3 | 4).
RECORD_MODES = ("identifier", "number", "sfi")


def read_record(record: int, *, mode: str = "number", sfi: int | None = None, le: int = 0) -> Command:
    if mode == "identifier":
        p2 = 0x00
    elif mode == "number":
        p2 = 0x04
    elif mode == "sfi":
        if sfi is None or not 1 <= sfi <= 30:
            raise ValueError("READ RECORD by SFI needs an SFI of 1..30")
        p2 = (sfi << 3) | 0x04
    else:
        raise ValueError(f"record mode must be one of {RECORD_MODES}, not {mode!r}")
    return Command(0x00, 0xB2, record, p2, le=le)


def read_binary(*, offset: int = 0, sfi: int | None = None, le: int = 0) -> Command:
    if sfi is not None:
        if not 1 <= sfi <= 30 or not 0 <= offset <= 0xFF:
            raise ValueError("READ BINARY by SFI needs an SFI of 1..30 and an offset below 256")
        return Command(0x00, 0xB0, 0x80 | sfi, offset, le=le)
    if not 0 <= offset <= 0x7FFF:
        raise ValueError("READ BINARY offset out of range")
    return Command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=le)


def get_response(le: int) -> Command:
    return Command(0x00, 0xC0, 0x00, 0x00, le=le or 256)


def get_challenge(length: int = 8) -> Command:
    return Command(0x00, 0x84, 0x00, 0x00, le=length)


def external_authenticate(key_ref: int, cryptogram: bytes) -> Command:
    return Command(0x00, 0x82, 0x00, key_ref, cryptogram)


def transceive(send: Callable[[bytes], bytes], command: Command) -> Response:
    """Sends `command` and applies the T=0 rules, whatever protocol the card uses.

    `6Cxx`: the card wants Le = xx; the same command is sent again with that Le (once).
    `61xx`: xx more bytes wait; GET RESPONSE fetches them, again while the card says 61xx.
    The status word returned is the last one; the data is everything collected.
    """
    response = Response.from_bytes(send(command.to_bytes()))
    if response.sw1 == 0x6C:
        response = Response.from_bytes(send(command.with_le(response.sw2 or 256).to_bytes()))
        if response.sw1 == 0x6C:
            raise CardProtocolError("card asked twice for a different Le")
    data = response.data
    rounds = 0
    while response.sw1 == 0x61:
        rounds += 1
        if rounds > MAX_GET_RESPONSE:
            raise CardProtocolError("card kept answering 61xx")
        follow_up = get_response(response.sw2)
        response = Response.from_bytes(send(follow_up.to_bytes()))
        if response.sw1 == 0x6C:  # GET RESPONSE with the wrong Le: ask again with the card's number
            response = Response.from_bytes(send(follow_up.with_le(response.sw2 or 256).to_bytes()))
        data += response.data
    return Response(data, response.sw)


def check(response: Response, what: str) -> Response:
    """Returns the response if it is 90 00, else raises the typed error for its status word.

    `what` names the step for technicians (e.g. "READ RECORD 09"), never the content.
    """
    sw = response.sw
    if sw == SW_OK:
        return response
    text = f"{what}: card answered {sw:04X}"
    if sw in (0x6A82, 0x6A83):
        raise CardFileNotFound(text, sw=sw)
    if sw == 0x6982:
        raise SecurityStatusNotSatisfied(text, sw=sw)
    if sw == 0x6300 or sw & 0xFFF0 == 0x63C0 or sw == 0x6983:
        raise AuthenticationFailed(text, sw=sw)
    raise StatusWordError(text, sw=sw)
