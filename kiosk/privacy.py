"""Masking of personal data for screens, receipts and logs.

ID numbers keep their first 6 digits (the issuing region) and last 4, as residents are used to seeing
on receipts; phone numbers keep the first 3 and last 4. The text scrubber finds them inside free
text so that no log line can carry one, whatever logger or message wrote it.
"""

from __future__ import annotations

import re
import unicodedata

# The scrubber matches on a copy of the text with full-width (and any other script's) digits, X and +
# made ASCII, one character for one so positions agree, and masks digits in the original, keeping every
# separator as typed. Digits an ID number and a phone number pattern both claim are masked once.
_ASCII = str.maketrans({"Ｘ": "X", "ｘ": "x", "＋": "+"})
_WIDE = re.compile("[Ｘｘ＋]")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # full-width ０-９ and every other script's decimal digits
# Numbers are written with spaces or hyphens between digit groups: 3301 0619 9001 0112 38, 330106-19900101-1238,
# 138-0013-8000; in any width. Up to one hyphen, with a space either side, between two digits.
_SPACE = "[ \u00a0\u3000]"
_HYPHEN = "[-\u2010-\u2015\u2212\ufe63\uff0d]"
_SEP = f"{_SPACE}?{_HYPHEN}?{_SPACE}?"
# A number starts where no digit stands before it, also not across a hyphen (T0001-13800138000 is one
# receipt number, not a phone number) and ends likewise. Letters may touch it: ID330902199001011238,
# tel13800138000.
_START = f"(?<![0-9])(?<![0-9]{_HYPHEN})"
_END = f"(?![0-9])(?!{_HYPHEN}[0-9])"


# 18-digit resident ID (17 digits + check digit or X) and the old 15-digit form. The first digit opens
# the region code (1-8) or the foreigner's permanent residence number (9), never 0: 0086 13800138000
# is a phone number.
_ID18 = re.compile(f"{_START}[1-9](?:{_SEP}[0-9]){{16}}{_SEP}[0-9Xx]{_END}")
_ID15 = re.compile(f"{_START}[1-9](?:{_SEP}[0-9]){{14}}{_END}")
# Mainland mobile numbers, optionally after +86, 0086 or 86.
_MOBILE = re.compile(f"{_START}(?:(?:\\+|00)?86{_SEP})?(?P<number>1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}){_END}")
# Landlines with an area code (0571-87654321).
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(0[0-9]{2,3})-([0-9]{3,4})([0-9]{4})(?![0-9A-Za-z])")
# A hash, a key or a UUID (the outbox's idempotency keys) holds digit runs by chance; they are no one's number.
_HEX_TOKEN = re.compile(r"[0-9A-Fa-f]{32,}|[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _ascii(text: str) -> str:
    """`text` with every decimal digit, full-width X and + in ASCII; one character for one."""
    if text.isascii():
        return text
    text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
    return text.translate(_ASCII) if _WIDE.search(text) else text


def _plausible_birth(digits: str, *, short: bool) -> bool:
    """Whether an ID number's date part could be a birth date (YYYYMMDD, or YYMMDD in the 15-digit form)."""
    date = digits[6:12] if short else digits[6:14]
    if not short and date[:2] not in ("18", "19", "20"):
        return False
    month, day = int(date[-4:-2]), int(date[-2:])
    return 1 <= month <= 12 and 1 <= day <= 31


def _spans_of_digits(text: str, start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if text[i] in "0123456789Xx"]


def _in_hex_token(text: str, start: int, end: int) -> bool:
    return any(m.start() <= start and end <= m.end() for m in _HEX_TOKEN.finditer(text, max(0, start - 64), end + 64))


def mask_id_number(value: str) -> str:
    """`330102199003071234` → `330102********1234`; anything shorter than 10 characters is fully masked."""
    value = value.strip()
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`."""
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_tail(value: str, keep: int = 4) -> str:
    """A document's number with only its last `keep` characters shown: `J330106-2018-004512` → `***************4512`;
    one of `keep` characters or fewer is masked whole."""
    value = value.strip()
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


def mask_name(value: str) -> str:
    """`张三` → `*三`, `欧阳娜娜` → `**娜娜`... keeps only the last character (or the last two of four or more)."""
    value = value.strip()
    if len(value) <= 1:
        return "*" * len(value)
    keep = 2 if len(value) >= 4 else 1
    return "*" * (len(value) - keep) + value[-keep:]


def scrub(text: str) -> str:
    """Masks every ID number and phone number found in free text.

    Finds them written plain, glued to letters (ID330902199001011238, tel13800138000), in groups with
    spaces or hyphens, and in full-width digits. ID numbers keep their first 6 and last 4 digits, mobile
    numbers their first 3 and last 4. Written in groups or touching a Latin letter, a candidate ID number
    must hold a possible birth date, so dates, receipt and case numbers in ordinary text stay readable;
    numbers inside a long hexadecimal token (a hash, a key) are left alone.
    """
    if not any(ch.isdigit() for ch in text):
        return text
    normal = _ascii(text)
    masked: set[int] = set()
    for pattern, short in ((_ID18, False), (_ID15, True)):
        for m in pattern.finditer(normal):
            positions = _spans_of_digits(normal, m.start(), m.end())
            grouped = len(positions) != m.end() - m.start()
            glued = any(
                0 <= i < len(normal) and _LATIN_LETTER.fullmatch(normal[i]) for i in (m.start() - 1, m.end())
            )
            if (grouped or glued) and not _plausible_birth("".join(normal[i] for i in positions), short=short):
                continue
            if not _in_hex_token(normal, m.start(), m.end()):
                masked.update(positions[6:-4])
    for m in _MOBILE.finditer(normal):
        if not _in_hex_token(normal, m.start(), m.end()):
            masked.update(_spans_of_digits(normal, m.start("number"), m.end("number"))[3:7])
    for m in _LANDLINE.finditer(normal):
        masked.update(range(m.start(2), m.end(2)))
    if not masked:
        return text
    return "".join("*" if i in masked else ch for i, ch in enumerate(text))
