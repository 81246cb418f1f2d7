"""Decoders a card profile names for its fields, and the simple TLV form the SSSE records use.

Each decoder turns the field's bytes into a str, int or date and raises CardProtocolError when the bytes
do not fit, so a wrong layout shows up as a typed error rather than as garbage on the screen. The
error messages say what did not fit, never the content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from drivers.citizencard.errors import CardProtocolError
from drivers.text import has_unsafe

FieldValue = str | int | dt.date

# GB 3304 ethnicity codes (device-protocols.md §2.5); the names without the 族 suffix.
NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春", "53": "赫哲",
    "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}
NATION_OTHER = "其他"

# GB/T 2261.1: the four codes a card may carry. Anything else is a layout error, not a guess at a gender.
GENDER_CODES = frozenset({"0", "1", "2", "9"})

# Fixed-length text fields are padded with spaces, NULs or (on some issuers) FF.
_PADDING = b" \x00\xff"


def parse_simple_tlv(data: bytes) -> dict[int, bytes]:
    """`tag(1) len(1) value…` repeated, as READ RECORD answers on the SSSE files.

    The first occurrence of a tag wins; a length running past the end is a protocol error.
    """
    out: dict[int, bytes] = {}
    i = 0
    while i < len(data):
        if data[i] in (0x00, 0xFF) and not any(data[i:].strip(b"\x00\xff")):
            break  # trailing filler after the last record
        if i + 2 > len(data):
            raise CardProtocolError(f"TLV header cut short at byte {i}")
        tag, length = data[i], data[i + 1]
        end = i + 2 + length
        if end > len(data):
            raise CardProtocolError(f"TLV tag {tag:02X} claims {length} bytes, {len(data) - i - 2} left")
        out.setdefault(tag, bytes(data[i + 2 : end]))
        i = end
    return out


def _text(raw: bytes, encoding: str) -> str:
    try:
        value = raw.rstrip(_PADDING).decode(encoding)
    except UnicodeDecodeError as exc:
        raise CardProtocolError(f"{len(raw)}-byte field is not {encoding} text") from exc
    # Checked before anything is stripped: str.strip() would quietly drop some controls and separators
    # (U+001C–U+001F, U+0085, U+2028) from the ends. A NUL is padding only at the end, never inside.
    if has_unsafe(value):
        raise CardProtocolError(f"{len(raw)}-byte field holds a control, bidi, zero-width or separator character")
    return value.strip(" ")


def decode_ascii(raw: bytes) -> str:
    return _text(raw, "ascii")


def decode_gbk(raw: bytes) -> str:
    # GB18030 is a superset of GBK that also covers the rare characters in some names.
    return _text(raw, "gb18030")


def decode_bcd(raw: bytes) -> str:
    """Packed BCD → digits; trailing F nibbles are padding. Any other non-digit nibble is an error."""
    digits = raw.hex().upper().rstrip("F")
    if not digits.isdigit() and digits:
        raise CardProtocolError(f"{len(raw)}-byte field is not packed BCD")
    return digits


def decode_bcd_date(raw: bytes) -> dt.date:
    """4 bytes of BCD YYYYMMDD → date."""
    digits = decode_bcd(raw)
    if len(digits) != 8:
        raise CardProtocolError(f"BCD date has {len(digits)} digits, not 8")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise CardProtocolError("BCD date is not a calendar date") from exc


def decode_hex(raw: bytes) -> str:
    return raw.hex().upper()


def decode_uint_be(raw: bytes) -> int:
    if not raw:
        raise CardProtocolError("empty integer field")
    return int.from_bytes(raw, "big")


def decode_nation(raw: bytes) -> str:
    """One BCD byte (0x01 = 汉) or two ASCII digits ('01') → the GB 3304 name; unknown codes are 其他."""
    code = decode_ascii(raw) if len(raw) == 2 else raw.hex()
    if not code.isdigit() or len(code) != 2:
        raise CardProtocolError("ethnicity code is not two digits")
    return NATIONS.get(code, NATION_OTHER)


def decode_gender(raw: bytes) -> str:
    """'1' / '2' / '0' / '9' (GB/T 2261.1), in ASCII or as one BCD digit → the code itself.

    A field of nothing but padding (empty, spaces, NULs, FFs) is an unwritten field, not 未知 (code 0),
    and a BCD value must be one digit: 0x12 is not "2".
    """
    if not raw.strip(_PADDING):
        raise CardProtocolError("gender field is empty")
    if raw[:1].isdigit():
        code = decode_ascii(raw)
    else:
        digits = decode_bcd(raw)
        code = digits.lstrip("0") or "0"
    if code not in GENDER_CODES:
        raise CardProtocolError("gender code is not one digit of 0, 1, 2, 9")
    return code


DECODERS: dict[str, Callable[[bytes], FieldValue]] = {
    "ascii": decode_ascii,
    "gbk": decode_gbk,
    "bcd": decode_bcd,
    "bcd_date": decode_bcd_date,
    "hex": decode_hex,
    "uint_be": decode_uint_be,
    "nation": decode_nation,
    "gender": decode_gender,
}
