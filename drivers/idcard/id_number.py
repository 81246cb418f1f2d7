"""Identity numbers on the cards: GB 11643 (ISO 7064 MOD 11-2) and the foreigner card formats.

The same check applies to resident numbers, HK/Macao/Taiwan residence-permit numbers (810000/820000/
830000…) and the 2023 foreigner card (18 digits starting with 9). The 2017 foreigner card's
15-character number (3 letters + 12 digits) has no check we can verify from public sources, so only
its shape is checked.

Each card kind has its own number range: a resident's number begins with the code of a province
(GB/T 2260: 11–65), a residence permit's with 810000, 820000 or 830000, a 2023 foreigner card's with 9.
A number of one range on a card of another kind is no real card.
"""

from __future__ import annotations

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

_ID18 = re.compile(r"\d{17}[\dX]")

# GB/T 2260 province-level codes that resident ID numbers begin with (71 Taiwan, 81 Hong Kong and 82 Macao
# are administrative codes too, but no resident ID card is numbered there).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
    "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
})
HMT_PREFIXES = ("810000", "820000", "830000")
_FOREIGNER_2017 = re.compile(r"[A-Z]{3}\d{12}")


def check_char(body17: str) -> str:
    """The check character for 17 digits."""
    if len(body17) != 17 or not body17.isdigit() or not body17.isascii():
        raise ValueError("17 ASCII digits required")
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid_mod11_2(number: str) -> bool:
    """True for 18 characters whose last one is the MOD 11-2 check of the first 17 (x accepted for X)."""
    number = number.upper()
    if not _ID18.fullmatch(number) or not number.isascii():
        return False
    return check_char(number[:17]) == number[17]


def is_valid_resident(number: str) -> bool:
    """A resident ID number: MOD 11-2 and a province's code in front (so not a foreigner's or a permit's)."""
    return is_valid_mod11_2(number) and number[:2] in PROVINCE_CODES


def is_valid_hmt(number: str) -> bool:
    """A HK/Macao/Taiwan residence-permit number: 810000, 820000 or 830000, then as a resident's."""
    return number.startswith(HMT_PREFIXES) and is_valid_mod11_2(number)


def is_valid_foreigner_2023(number: str) -> bool:
    return number.startswith("9") and is_valid_mod11_2(number)


def is_valid_foreigner_2017(number: str) -> bool:
    return bool(_FOREIGNER_2017.fullmatch(number)) and number.isascii()


def upgrade_15(number15: str) -> str:
    """The legacy 15-digit number (always 19YY) as 18 digits: insert '19', append the check."""
    if len(number15) != 15 or not number15.isdigit() or not number15.isascii():
        raise ValueError("15 ASCII digits required")
    body = number15[:6] + "19" + number15[6:]
    return body + check_char(body)


def mask(number: str) -> str:
    """First 6 and last 4 kept, as on receipts (the same rule as kiosk.privacy, which drivers cannot import)."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
