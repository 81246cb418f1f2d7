"""From a card object to the bytes a reader sends: the inverse of `decode`, used by the simulator.

Also loads the JSON card fixtures the simulator presents. A fixture has the keys of
`kiosk devices probe idcard --json` (kind, name, gender, nation, birth_date, address, id_number,
issuer, valid_from, valid_to and the kind's extra fields), with gender and nation given either as
names or as codes, ISO dates and null for 长期; optional `photo_wlt_hex`, `fingerprint_hex` and
`additional_address`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from drivers.idcard import nations
from drivers.idcard.layouts import LAYOUTS, LONG_TERM, PHOTO_SIZE, TEXT_SIZE, TYPE_MARKER
from drivers.idcard.models import (
    CardKind,
    ForeignerPermanentIdCard2017,
    ForeignerPermanentIdCard2023,
    HmtResidencePermit,
    IdCard,
    ResidentIdCard,
)


class FixtureError(ValueError):
    """A card fixture that cannot be used; the message names the key."""


def _put(block: bytearray, offset: int, size: int, value: str, name: str) -> None:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise FixtureError(f"{name}: at most {size // 2} characters")
    block[offset : offset + size] = raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def _ymd(value: dt.date | None) -> str:
    return LONG_TERM if value is None else value.strftime("%Y%m%d")


def encode_text(card: IdCard) -> bytes:
    """The 256-byte UCS-2LE text block of a card."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    layout = LAYOUTS[card.kind]
    values: dict[str, str] = {
        "gender": card.gender_code,
        "birth_date": _ymd(card.birth_date),
        "id_number": card.id_number,
        "valid_from": _ymd(card.valid_from),
        "valid_to": _ymd(card.valid_to),
    }
    if isinstance(card, ResidentIdCard):
        values |= {"name": card.name, "nation": card.nation_code, "address": card.address or "",
                   "issuer": card.issuer}
    elif isinstance(card, HmtResidencePermit):
        values |= {"name": card.name, "address": card.address or "", "issuer": card.issuer,
                   "pass_number": card.pass_number, "issue_count": card.issue_count}
    elif isinstance(card, ForeignerPermanentIdCard2017):
        values |= {"english_name": card.english_name, "chinese_name": card.chinese_name,
                   "nationality": card.nationality_code, "card_version": card.card_version,
                   "issuer_code": card.issuer_code}
    elif isinstance(card, ForeignerPermanentIdCard2023):
        if len(card.english_name) > 46:
            raise FixtureError("english_name: at most 46 characters")
        values |= {"chinese_name": card.chinese_name, "renewal_count": card.renewal_count,
                   "english_name_1": card.english_name[:35], "english_name_2": card.english_name[35:],
                   "nationality": card.nationality_code, "previous_number_link": card.previous_number_link}
    for name, (offset, size) in layout.items():
        _put(block, offset, size, values.get(name, ""), name)
    if card.kind is not CardKind.RESIDENT:
        block[TYPE_MARKER] = card.kind.value.encode("utf-16-le")
    return bytes(block)


def encode_read_data(card: IdCard, *, with_fingerprint: bool) -> bytes:
    """DATA of the 30 01 (or 30 10) reply: the length header, text, photo (and fingerprint)."""
    text, photo = encode_text(card), card.photo_wlt
    if with_fingerprint:
        fp = card.fingerprint
        header = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + len(fp).to_bytes(2, "big")
        return header + text + photo + fp
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def encode_additional_address(address: str) -> bytes:
    block = bytearray(70)
    _put(block, 0, 70, address, "additional_address")
    return bytes(block)


def _str(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise FixtureError(f"{key}: a string is required")
    return value


def _date(data: dict[str, Any], key: str, *, nullable: bool = False) -> dt.date | None:
    value = data.get(key)
    if value is None and nullable:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise FixtureError(f"{key}: an ISO date (YYYY-MM-DD) is required") from exc


def _hex(data: dict[str, Any], key: str, default: bytes) -> bytes:
    if key not in data:
        return default
    try:
        return bytes.fromhex(_str(data, key))
    except ValueError as exc:
        raise FixtureError(f"{key}: hex digits required") from exc


def card_from_dict(data: dict[str, Any]) -> IdCard:
    """A card from fixture JSON. Its ID number is taken as given (fixtures may be deliberately bad)."""
    kinds = {k.slug: k for k in CardKind}
    kind = kinds.get(_str(data, "kind", "resident"))
    if kind is None:
        raise FixtureError(f"kind: one of {', '.join(kinds)}")
    gender_code = nations.gender_code(_str(data, "gender"))
    if gender_code is None:
        raise FixtureError("gender: 男, 女, 未知, 未说明 or a code 1, 2, 0, 9")
    birth, valid_from = _date(data, "birth_date"), _date(data, "valid_from")
    assert birth is not None
    assert valid_from is not None
    common: dict[str, Any] = {
        "kind": kind, "gender": nations.GENDERS[gender_code], "gender_code": gender_code, "birth_date": birth,
        "id_number": _str(data, "id_number"), "valid_from": valid_from,
        "valid_to": _date(data, "valid_to", nullable=True),
        "photo_wlt": _hex(data, "photo_wlt_hex", bytes(PHOTO_SIZE)),
        "fingerprint": _hex(data, "fingerprint_hex", b""),
        "additional_address": data.get("additional_address"),
    }
    if kind is CardKind.RESIDENT:
        nation_code = nations.ethnic_group_code(_str(data, "nation", "汉"))
        if nation_code is None:
            raise FixtureError("nation: an ethnic-group name (汉, 畲…) or code (01–56, 97, 98)")
        return ResidentIdCard(name=_str(data, "name"), nation=nations.ETHNIC_GROUPS[nation_code],
                              nation_code=nation_code, address=_str(data, "address"), issuer=_str(data, "issuer"),
                              **common)
    if kind is CardKind.HMT_RESIDENCE_PERMIT:
        return HmtResidencePermit(name=_str(data, "name"), nation=None, address=_str(data, "address"),
                                  issuer=_str(data, "issuer"), pass_number=_str(data, "pass_number"),
                                  issue_count=_str(data, "issue_count", "01"), **common)
    english, chinese = _str(data, "english_name"), _str(data, "chinese_name", "")
    nationality = _str(data, "nationality_code")
    if kind is CardKind.FOREIGNER_PERMANENT_2017:
        return ForeignerPermanentIdCard2017(
            name=chinese or english, nation=nationality, address=None, issuer=_str(data, "issuer_code"),
            english_name=english, chinese_name=chinese, nationality_code=nationality,
            card_version=_str(data, "card_version", "01"), issuer_code=_str(data, "issuer_code"), **common)
    return ForeignerPermanentIdCard2023(
        name=chinese or english, nation=nationality, address=None, issuer="", english_name=english,
        chinese_name=chinese, nationality_code=nationality, renewal_count=_str(data, "renewal_count", "00"),
        previous_number_link=_str(data, "previous_number_link", ""), **common)


def load_card_fixture(path: Path) -> IdCard:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FixtureError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: a JSON object is required")
    try:
        return card_from_dict(data)
    except FixtureError as exc:
        raise FixtureError(f"{path}: {exc}") from exc
