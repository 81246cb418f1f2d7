"""A virtual citizen / social security card (and PSAM) that answers APDUs from a fixture file.

Used by `virtual_card` (behind pcscd's vpcd reader) and by the simulated backend (in-process). The card
layouts here are written from the spec tables (device-protocols.md §5), independently of the profile
files, so a mistake in a profile shows up against this card instead of being mirrored by it.

The cryptogram for EXTERNAL AUTHENTICATE is a stand-in (HMAC-SHA256 over diversifier + challenge,
first 8 bytes): the real RKSSSE algorithm (SM4/SSF33 with the provincial key) is not public and no
test needs it; what matters is that a PSAM holding the same key makes an answer the card accepts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.citizencard.apdu import Command, parse_hex

T1_ATR = "3B 95 13 81 01 80 73 FF 01 00 0B"
SSSE_NAME = "sx1.sh.社会保障".encode("gbk")
TUNION_AID = bytes.fromhex("A000000632010105")
EF05, EF06, PSAM_DF = 0xEF05, 0xEF06, 0xDF01
MAX_AUTH_TRIES = 3


def stand_in_cryptogram(key: bytes, diversifier: bytes, challenge: bytes) -> bytes:
    return hmac.new(key, diversifier + challenge, hashlib.sha256).digest()[:8]


def _bcd(digits: str, length: int) -> bytes:
    digits = digits.ljust(length * 2, "F")
    if len(digits) != length * 2:
        raise ValueError(f"{digits!r} does not fit {length} BCD bytes")
    return bytes.fromhex(digits)


def _date(value: Any) -> bytes:
    if isinstance(value, dt.date):
        return _bcd(value.strftime("%Y%m%d"), 4)
    return _bcd(str(value).replace("-", ""), 4)


def _text(value: str, length: int, encoding: str, pad: bytes) -> bytes:
    raw = value.encode(encoding)
    if len(raw) > length:
        raise ValueError(f"text of {len(raw)} bytes does not fit {length}")
    return raw + pad * (length - len(raw))


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes((tag, len(value))) + value


def load_fixture(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


@dataclass
class _Records:
    """One record file: records in order; each record is the full `tag len value`."""

    records: list[bytes] = field(default_factory=list)
    needs_auth: bool = False

    def by_tag(self, tag: int) -> bytes | None:
        return next((r for r in self.records if r[0] == tag), None)

    def by_number(self, number: int) -> bytes | None:
        return self.records[number - 1] if 1 <= number <= len(self.records) else None


class VirtualCard:
    """The card's file system and command handling. `apdu()` takes a C-APDU and returns data + SW."""

    def __init__(self, fixture: dict[str, Any]) -> None:
        card = fixture.get("card", {})
        self.atr = parse_hex(card.get("atr", T1_ATR))
        self.t0_style = bool(card.get("t0_style", False))
        pad = bytes.fromhex(card.get("text_padding", "20"))
        self.files: dict[int, _Records] = {}
        self.applications: dict[bytes, str] = {}
        self.key = b""
        self.card_identifier = b""
        ssse = fixture.get("ssse")
        if ssse is not None:
            self._build_ssse(ssse, pad)
        tunion = fixture.get("tunion")
        self.purse_file = b""
        self.balance = 0
        if tunion is not None:
            self.applications[TUNION_AID] = "tunion"
            self.purse_file = (
                parse_hex(tunion.get("issuer", "0000000000000000"))[:8].ljust(8, b"\x00")
                + bytes((0x02, int(tunion.get("version", 1))))
                + _bcd(str(tunion["serial"]), 10)
                + _date(tunion["valid_from"])
                + _date(tunion["valid_to"])
                + b"\x00\x00"
            )
            self.balance = int(tunion.get("balance_fen", 0))
        psam = fixture.get("psam")
        self.psam_key = parse_hex(psam["key"]) if psam is not None else b""
        self.reset()

    def _build_ssse(self, s: dict[str, Any], pad: bytes) -> None:
        self.applications[SSSE_NAME] = "ssse"
        self.card_identifier = parse_hex(s["card_identifier"])
        self.key = parse_hex(s.get("key", ""))
        version = str(s.get("spec_version", "2.00"))
        self.files[EF05] = _Records([
            _tlv(0x01, self.card_identifier.ljust(16, b"\xff")),
            _tlv(0x02, _text(str(s.get("card_type", "3")), 1, "ascii", pad)),
            _tlv(0x03, _text(version, 4, "ascii", pad)),
            _tlv(0x04, _bcd(str(s.get("issuer_code", "")), 12)),
            _tlv(0x05, _date(s["issue_date"])),
            _tlv(0x06, _date(s["valid_to"])),
            _tlv(0x07, _text(str(s["card_number"]), 9, "ascii", pad)),
        ])
        holder = [
            _tlv(0x08, _text(str(s["id_number"]), 18, "ascii", pad)),
            _tlv(0x09, _text(str(s["name"]), 30, "gbk", pad)),
            _tlv(0x0A, _text(str(s["gender"]), 1, "ascii", pad)),
            _tlv(0x0B, _bcd(str(s.get("nation", "01")), 1)),
            _tlv(0x0C, _bcd(str(s.get("birthplace", "")), 3)),
            _tlv(0x0D, _date(s["birth_date"])),
        ]
        if s.get("name_extension"):
            holder.append(_tlv(0x4E, _text(str(s["name_extension"]), 20, "gbk", pad)))
        self.files[EF06] = _Records(holder, needs_auth=bool(s.get("auth_required", version == "3.00")))

    def reset(self) -> None:
        """Power on / reset: nothing selected, no challenge, not authenticated."""
        self.df = ""
        self.ef: int | None = None
        self.challenge = b""
        self.authenticated = False
        self.auth_failures = 0
        self.pending = b""
        self.psam_diversifier = b""

    # -- answers ---------------------------------------------------------------------------------

    def _answer(self, data: bytes, le: int | None) -> bytes:
        """Data for a command that returns some: the Le rules of a careful card (T=0 style if asked)."""
        if self.t0_style and le is None:
            self.pending = data
            return bytes((0x61, len(data) & 0xFF))
        if le is None or le == len(data) or (le == 256 and not self.t0_style):
            return data + b"\x90\x00"
        return bytes((0x6C, len(data) & 0xFF))

    def apdu(self, raw: bytes) -> bytes:
        try:
            c = Command.from_bytes(raw)
        except ValueError:
            return b"\x67\x00"
        if c.cla not in (0x00, 0x80, 0xBF):  # BF: the PSAM vendor class of the key-diversification init
            return b"\x6E\x00"
        handler = {
            0xA4: self._select,
            0xB2: self._read_record,
            0xB0: self._read_binary,
            0x5C: self._get_balance,
            0x84: self._get_challenge,
            0x82: self._external_authenticate,
            0xC0: self._get_response,
            0xDE: self._psam_init,
            0xFA: self._psam_cipher,
        }.get(c.ins)
        if handler is None:
            return b"\x6D\x00"
        if c.ins != 0xC0:
            self.pending = b""
        return handler(c)

    def _select(self, c: Command) -> bytes:
        if c.p1 == 0x04:
            app = self.applications.get(c.data)
            if app is None:
                return b"\x6A\x82"
            self.df, self.ef, self.authenticated = app, None, False
            fci = _tlv(0x6F, _tlv(0x84, c.data))
            if self.t0_style:
                return self._answer(fci, None)
            return self._answer(fci, c.le) if c.le is not None else b"\x90\x00"
        if c.p1 not in (0x00, 0x02) or len(c.data) != 2:
            return b"\x6A\x86"
        fid = int.from_bytes(c.data, "big")
        if fid == 0x3F00:
            self.df, self.ef = "", None
            return b"\x90\x00"
        if fid == PSAM_DF and self.psam_key:
            self.df, self.ef = "psam", None
            return b"\x90\x00"
        if self.df == "ssse" and fid in self.files:
            self.ef = fid
            return b"\x90\x00"
        return b"\x6A\x82"

    def _read_record(self, c: Command) -> bytes:
        sfi = c.p2 >> 3
        if sfi:
            fid = {5: EF05, 6: EF06}.get(sfi)
            if fid is None or self.df != "ssse" or fid not in self.files:
                return b"\x6A\x82"
        elif self.ef is None:
            return b"\x69\x86"  # no current EF
        else:
            fid = self.ef
        records = self.files[fid]
        if records.needs_auth and not self.authenticated:
            return b"\x69\x82"
        mode = c.p2 & 0x07
        if mode == 0x04:
            record = records.by_number(c.p1)
        elif mode == 0x00 and not sfi:
            record = records.by_tag(c.p1)
        else:
            return b"\x6A\x86"
        if record is None:
            return b"\x6A\x83"
        if c.le is None:
            return b"\x67\x00"
        if c.le == 256 and not self.t0_style:
            return record + b"\x90\x00"
        return self._answer(record, c.le)

    def _read_binary(self, c: Command) -> bytes:
        if not c.p1 & 0x80:
            return b"\x69\x86"
        if self.df != "tunion" or c.p1 & 0x1F != 0x15:
            return b"\x6A\x82"
        if c.p2 > len(self.purse_file):
            return b"\x6B\x00"
        rest = self.purse_file[c.p2 :]
        if c.le is None:
            return b"\x67\x00"
        if c.le == 256 and not self.t0_style:
            return rest + b"\x90\x00"
        if c.le < len(rest):
            return rest[: c.le] + b"\x90\x00"
        return self._answer(rest, c.le)

    def _get_balance(self, c: Command) -> bytes:
        if c.cla != 0x80 or self.df != "tunion":
            return b"\x69\x85"
        if c.p2 not in (0x01, 0x02):
            return b"\x6A\x86"
        balance = self.balance if c.p2 == 0x02 else 0
        return self._answer(balance.to_bytes(4, "big"), c.le if c.le is not None else 4)

    def _get_challenge(self, c: Command) -> bytes:
        if c.le not in (4, 8):
            return b"\x67\x00"
        self.challenge = os.urandom(c.le)
        return self.challenge + b"\x90\x00"

    def _external_authenticate(self, c: Command) -> bytes:
        if not self.key:
            return b"\x6A\x88"
        if self.auth_failures >= MAX_AUTH_TRIES:
            return b"\x69\x83"
        if len(self.challenge) != 8:
            return b"\x69\x85"  # no challenge asked for
        expected = stand_in_cryptogram(self.key, self.card_identifier, self.challenge)
        self.challenge = b""
        if not hmac.compare_digest(c.data, expected):
            self.auth_failures += 1
            return bytes((0x63, 0xC0 | (MAX_AUTH_TRIES - self.auth_failures)))
        self.authenticated = True
        self.auth_failures = 0
        return b"\x90\x00"

    def _get_response(self, c: Command) -> bytes:
        if not self.pending:
            return b"\x69\x85"
        data = self.pending
        if c.le != len(data):
            return bytes((0x6C, len(data) & 0xFF))
        self.pending = b""
        return data + b"\x90\x00"

    def _psam_init(self, c: Command) -> bytes:
        if self.df != "psam" or not self.psam_key:
            return b"\x69\x85"
        self.psam_diversifier = c.data
        return b"\x90\x00"

    def _psam_cipher(self, c: Command) -> bytes:
        if self.df != "psam" or not self.psam_diversifier:
            return b"\x69\x85"
        if len(c.data) != 8:
            return b"\x67\x00"
        return self._answer(stand_in_cryptogram(self.psam_key, self.psam_diversifier, c.data),
                            None if self.t0_style else c.le)
