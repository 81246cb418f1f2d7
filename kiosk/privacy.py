"""Masking of personal data for screens, receipts and logs.

ID numbers keep their first 6 digits (the issuing region) and last 4, as residents are used to seeing
on receipts; phone numbers keep the first 3 and last 4. The text scrubber finds them inside free
text so that no log line can carry one, whatever logger or message wrote it.
"""

from __future__ import annotations

import re

# 18-digit resident ID (17 digits + check digit or X) and the old 15-digit form. The look-arounds keep us
# from biting into longer digit runs (amounts, timestamps), which are not ID numbers.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{5})(\d{4})(?![0-9A-Za-z])")
# Mainland mobile numbers, optionally with +86; and landlines with an area code (0571-87654321).
_MOBILE = re.compile(r"(?<![0-9A-Za-z])((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(0\d{2,3})-(\d{3,4})(\d{4})(?![0-9A-Za-z])")


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


def mask_name(value: str) -> str:
    """`张三` → `*三`, `欧阳娜娜` → `**娜娜`... keeps only the last character (or the last two of four or more)."""
    value = value.strip()
    if len(value) <= 1:
        return "*" * len(value)
    keep = 2 if len(value) >= 4 else 1
    return "*" * (len(value) - keep) + value[-keep:]


def scrub(text: str) -> str:
    """Masks every ID number and phone number found in free text."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _ID18.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _ID15.sub(lambda m: m.group(1) + "*" * 5 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "-" + "*" * len(m.group(2)) + m.group(3), text)
