"""Pinyin forms of item names, computed once when a catalogue is imported (never per query).

pypinyin costs about 4 s for 38,000 names on the kiosk hardware (perf-baselines row 3), so this
module is imported only by catalogue import and by migrations that must index existing rows.
Heteronyms take pypinyin's default reading.
"""

from __future__ import annotations

from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin


def _ascii_alnum(syllable: str) -> str:
    # Non-Chinese runs come back unchanged (brackets, Latin, digits); residents type only letters
    # and digits on the pinyin keyboard, so everything else is dropped.
    return "".join(ch for ch in syllable.lower() if ch.isascii() and ch.isalnum())


def pinyin_forms(name: str) -> tuple[str, str]:
    """Full pinyin and initials of an already normalised name: 居民身份证 → ("juminshenfenzheng", "jmsfz")."""
    full = "".join(_ascii_alnum(s) for s in lazy_pinyin(name, style=Style.NORMAL))
    initials = "".join(_ascii_alnum(s) for s in lazy_pinyin(name, style=Style.FIRST_LETTER))
    return full, initials


class PinyinCache:
    """Memoises `pinyin_forms` over one import: catalogues repeat names across regions."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, str]] = {}

    def forms(self, name: str) -> tuple[str, str]:
        found = self._known.get(name)
        if found is None:
            found = pinyin_forms(name)
            self._known[name] = found
        return found

    def warm(self, names: Iterable[str]) -> None:
        for name in names:
            self.forms(name)
