"""Characters no card field may hold, whatever its script: shared by the card decoders.

A decoder refuses these before it strips or splits anything, so a control or an invisible character can
never reach a name on a screen, a printed form or the platform. What each field may hold beyond this (its
script, its form) is decided where a card becomes a resident's identity (kiosk/identity/validate.py).
"""

from __future__ import annotations

import unicodedata

# Cc: C0 controls, DEL, C1 controls. Cf: format characters, which include every bidi embedding, override
# and isolate (U+202A–E, U+2066–9, U+200E/F, U+061C) and the zero-width characters (U+200B–D, U+2060,
# U+FEFF). Cs: surrogates left over from broken UTF-16. Zl, Zp: the line and paragraph separators.
# Private use (Co) stays allowed: ID cards carry rare characters of names there.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_unsafe(ch: str) -> bool:
    """True for a control, format (bidi, zero-width), surrogate, separator or noncharacter code point."""
    code = ord(ch)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return True
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES


def has_unsafe(value: str) -> bool:
    # Every unsafe character is non-printable to str.isprintable() (Other and Separator categories, which
    # also hold the noncharacters as unassigned), so most text is cleared by that one C call.
    return not value.isprintable() and any(is_unsafe(ch) for ch in value)
