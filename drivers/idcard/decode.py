"""From the bytes of a read reply to a card object.

`split_read_reply` takes the text, photo and fingerprint lengths from the reply's own header (never
fixed offsets); `decode_text` turns the 256-byte text block into the model of its kind. Corrupt text
raises a `CardDataError` subclass naming the field, never a crash; messages never contain the values.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from drivers.idcard import id_number, nations
from drivers.idcard.errors import CardDataError, CardDateError, CardTextError, InvalidIdNumber
from drivers.idcard.layouts import LAYOUTS, LONG_TERM, MARKERS, TEXT_SIZE, TYPE_MARKER, Layout
from drivers.idcard.models import (
    CardKind,
    ForeignerPermanentIdCard2017,
    ForeignerPermanentIdCard2023,
    HmtResidencePermit,
    IdCard,
    ResidentIdCard,
)
from drivers.text import has_unsafe

log = logging.getLogger("drivers.idcard.decode")


@dataclass(frozen=True)
class ReadReply:
    text: bytes = field(repr=False)
    photo: bytes = field(repr=False)
    fingerprint: bytes = field(default=b"", repr=False)


def split_read_reply(data: bytes, *, with_fingerprint: bool) -> ReadReply:
    """DATA of a 30 01 reply is TL PL TEXT PHOTO; of 30 10, TL PL FL TEXT PHOTO FP (lengths big-endian)."""
    header = 6 if with_fingerprint else 4
    if len(data) < header:
        raise CardDataError(f"read reply of {len(data)} bytes has no length header")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    fp_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if header + text_len + photo_len + fp_len != len(data):
        raise CardDataError(
            f"read reply lengths TL={text_len} PL={photo_len} FL={fp_len} do not add up to {len(data) - header}"
        )
    if text_len != TEXT_SIZE:
        raise CardDataError(f"text block of {text_len} bytes, expected {TEXT_SIZE}")
    text = data[header : header + text_len]
    photo = data[header + text_len : header + text_len + photo_len]
    fingerprint = data[header + text_len + photo_len :]
    return ReadReply(text, photo, fingerprint)


def card_kind(text: bytes) -> CardKind:
    """From the type marker; anything but 'J', 'I', 'Y' (normally a space) is a resident card."""
    return MARKERS.get(bytes(text[TYPE_MARKER]), CardKind.RESIDENT)


def _field(text: bytes, layout: Layout, name: str) -> str:
    offset, size = layout[name]
    try:
        value = text[offset : offset + size].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardTextError(f"field {name} is not valid UCS-2") from exc
    # Fixed-width fields are padded at the end (spaces; NULs on some readers): only there is NUL padding.
    return _safe(value.rstrip(" \x00"), name)


def _safe(value: str, name: str) -> str:
    if has_unsafe(value):
        raise CardTextError(f"field {name} holds a control, bidi, zero-width or separator character")
    return value


def _date(value: str, name: str) -> dt.date:
    if len(value) != 8 or not value.isdigit() or not value.isascii():
        raise CardDateError(f"field {name} is not a YYYYMMDD date")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise CardDateError(f"field {name} is not a calendar date") from exc


def _end_date(value: str, name: str) -> dt.date | None:
    # 长期 is the documented no-expiry value. Any other text is refused, although the reference suggests
    # reading every non-digit end date as 长期 [V2]: that would turn garbled bytes into a card that
    # never expires.
    if value == LONG_TERM:
        return None
    return _date(value, name)


def _gender(code: str) -> tuple[str, str]:
    name = nations.gender(code)
    if name is None:
        raise CardTextError("field gender holds an unknown code")
    return name, code


def decode_text(text: bytes, *, photo: bytes = b"", fingerprint: bytes = b"") -> IdCard:
    if len(text) != TEXT_SIZE:
        raise CardDataError(f"text block of {len(text)} bytes, expected {TEXT_SIZE}")
    kind = card_kind(text)
    layout = LAYOUTS[kind]

    def f(name: str) -> str:
        return _field(text, layout, name)

    gender, gender_code = _gender(f("gender"))
    birth_date = _date(f("birth_date"), "birth_date")
    valid_from = _date(f("valid_from"), "valid_from")
    valid_to = _end_date(f("valid_to"), "valid_to")
    photo, fingerprint = bytes(photo), bytes(fingerprint)
    number = f("id_number")
    if number.endswith("x"):
        # The chip holds a capital X; a small one is a flipped bit (0x58 / 0x78), not a variant.
        raise InvalidIdNumber("ID number ends in a small x, not X")
    if kind is CardKind.RESIDENT:
        if not id_number.is_valid_mod11_2(number):
            raise InvalidIdNumber("resident ID number fails the GB 11643 check")
        if not id_number.is_valid_resident(number):
            raise InvalidIdNumber("resident ID number does not begin with a province code (a permit's or "
                                  "a foreigner's number on a resident card)")
        nation_code = f("nation")
        nation = nations.ethnic_group(nation_code)
        if nation is None:
            # The code itself is personal data: say that it happened, not what it was.
            log.info("unknown ethnic-group code on a card, shown as %s", nations.OTHER_ETHNIC_GROUP)
            nation = nations.OTHER_ETHNIC_GROUP
        return ResidentIdCard(
            kind=kind, name=f("name"), gender=gender, gender_code=gender_code, nation=nation,
            nation_code=nation_code, birth_date=birth_date, address=f("address"), id_number=number.upper(),
            issuer=f("issuer"), valid_from=valid_from, valid_to=valid_to, photo_wlt=photo, fingerprint=fingerprint,
        )
    if kind is CardKind.HMT_RESIDENCE_PERMIT:
        if not id_number.is_valid_mod11_2(number):
            raise InvalidIdNumber("residence-permit number fails the GB 11643 check")
        if not id_number.is_valid_hmt(number):
            raise InvalidIdNumber("residence-permit number does not begin with 810000, 820000 or 830000")
        return HmtResidencePermit(
            kind=kind, name=f("name"), gender=gender, gender_code=gender_code, nation=None, birth_date=birth_date,
            address=f("address"), id_number=number.upper(), issuer=f("issuer"), valid_from=valid_from,
            valid_to=valid_to, photo_wlt=photo, fingerprint=fingerprint, pass_number=f("pass_number"),
            issue_count=f("issue_count"),
        )
    nationality = f("nationality")
    if kind is CardKind.FOREIGNER_PERMANENT_2017:
        if not id_number.is_valid_foreigner_2017(number):
            raise InvalidIdNumber("2017 permanent-residence number is not 3 letters and 12 digits")
        english, chinese = f("english_name"), f("chinese_name")
        return ForeignerPermanentIdCard2017(
            kind=kind, name=chinese or english, gender=gender, gender_code=gender_code, nation=nationality or None,
            birth_date=birth_date, address=None, id_number=number, issuer=f("issuer_code"), valid_from=valid_from,
            valid_to=valid_to, photo_wlt=photo, fingerprint=fingerprint, english_name=english,
            chinese_name=chinese, nationality_code=nationality, card_version=f("card_version"),
            issuer_code=f("issuer_code"),
        )
    if not id_number.is_valid_foreigner_2023(number):
        raise InvalidIdNumber("2023 permanent-residence number fails its check (leading 9, MOD 11-2)")
    f("english_name_1")
    f("english_name_2")  # each half decodes and is safe on its own; now join them raw
    # The English name runs on from the first field into the second; the first is space-padded only
    # when the name is shorter than 35 characters, so join the raw fields before stripping. Padding is
    # only at the end of the joined name: a NUL left inside it (a short first half padded with NULs, a
    # second half after it) is refused here.
    english = _safe((text[52:122] + text[220:242]).decode("utf-16-le").rstrip(" \x00"), "english_name")
    chinese = f("chinese_name")
    return ForeignerPermanentIdCard2023(
        kind=kind, name=chinese or english, gender=gender, gender_code=gender_code, nation=nationality or None,
        birth_date=birth_date, address=None, id_number=number, issuer="", valid_from=valid_from,
        valid_to=valid_to, photo_wlt=photo, fingerprint=fingerprint, english_name=english, chinese_name=chinese,
        nationality_code=nationality, renewal_count=f("renewal_count"),
        previous_number_link=f("previous_number_link"),
    )


def decode_additional_address(data: bytes) -> str | None:
    """DATA of a 30 03 reply. Its layout is not documented [U]: believed to be 70 bytes of UCS-2LE;
    any even length is accepted, an odd trailing byte ignored."""
    usable = data[: len(data) - (len(data) % 2)]
    try:
        value = usable.decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError as exc:
        raise CardTextError("additional address is not valid UCS-2") from exc
    return _safe(value, "additional_address") or None
