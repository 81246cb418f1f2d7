"""Texts a widget keeps so its screen can say them again in another language.

`keep(widget, context, source)` shows `QCoreApplication.translate(context, source)` (mark `source` with
`QT_TRANSLATE_NOOP(context, ...)` for lupdate) on a label or button, or as a line edit's placeholder;
`keep_pair(widget, chinese, english)` shows one of a pair the core hands over in both languages;
`keep_other(label, chinese, english)` is the companion line in the *other* language (English under a
Chinese title, Chinese under an English one); `keep_made(label, make)` shows `make()`, a text that
follows what happened (a message, a count), and makes it again; `keep_lines(main, companion, chinese,
english)` is a pair of lines, the main one in the current language and the companion under it in the other.
Each call replaces what the widget kept before (so `keep_made(label, None)` empties a label for good, where
`clear()` would let the next language switch bring the old text back). A screen's `changeEvent` calls
`retranslate_kept(self)` on LanguageChange.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from kiosk.config import Language
from ui.i18n import current_language

_CONTEXT, _SOURCE, _CHINESE, _ENGLISH, _OTHER = "i18nContext", "i18nSource", "i18nChinese", "i18nEnglish", "i18nOther"
_MAKE = "i18nMake"
_KEPT = (_CONTEXT, _SOURCE, _CHINESE, _ENGLISH, _OTHER, _MAKE)


def _english() -> bool:
    return current_language() is not Language.ZH_CN


def _forget(widget: QWidget) -> None:
    if widget.property(_OTHER):
        widget.setProperty("otherLanguage", None)
    for name in _KEPT:
        widget.setProperty(name, None)


def keep(widget: QWidget, context: str, source: str) -> None:
    _forget(widget)
    widget.setProperty(_CONTEXT, context)
    widget.setProperty(_SOURCE, source)
    _apply(widget)


def keep_pair(widget: QWidget, chinese: str, english: str, separator: str = "") -> None:
    """In English the English; in Chinese the Chinese, or with a `separator` both ("中文\nEnglish")."""
    _forget(widget)
    widget.setProperty(_CHINESE, f"{chinese}{separator}{english}" if separator else chinese)
    widget.setProperty(_ENGLISH, english)
    _apply(widget)


def keep_other(widget: QWidget, chinese: str, english: str) -> None:
    keep_pair(widget, chinese, english)
    widget.setProperty(_OTHER, True)
    widget.setProperty("otherLanguage", True)  # deliberately the other language (tests/ui/test_english.py)
    _apply(widget)


def keep_lines(main: QWidget, companion: QWidget, chinese: str, english: str) -> None:
    """A line and its translation under it, as the core hands them over (Chinese, English): `main` in the
    current language, `companion` in the other one. An empty pair empties both."""
    if not chinese and not english:
        keep_made(main, None)
        keep_made(companion, None)
        return
    keep_pair(main, chinese, english)
    keep_other(companion, chinese, english)


def keep_made(widget: QWidget, make: Callable[[], str] | None) -> None:
    """Shows `make()` (nothing for None) and keeps `make` to show it again in another language."""
    _forget(widget)
    widget.setProperty(_MAKE, make)
    _apply(widget)


def pick(chinese: str, english: str) -> str:
    """One of a pair the core hands over in both languages."""
    return english if _english() else chinese


def _apply(widget: QWidget) -> None:
    source, make = widget.property(_SOURCE), widget.property(_MAKE)
    if make is not None or (source is None and widget.property(_CHINESE) is None):
        text = make() if make is not None else ""
    elif source is not None:
        text = QCoreApplication.translate(str(widget.property(_CONTEXT)), str(source))
    else:
        chinese, english = str(widget.property(_CHINESE)), str(widget.property(_ENGLISH))
        text = pick(english, chinese) if widget.property(_OTHER) else pick(chinese, english)
    if isinstance(widget, QLineEdit):
        widget.setPlaceholderText(text)
    elif isinstance(widget, QLabel | QAbstractButton):
        widget.setText(text)


def retranslate_kept(root: QWidget) -> None:
    """Re-sets every kept text under `root` in the current language."""
    for widget in root.findChildren(QWidget):
        if any(widget.property(name) is not None for name in (_SOURCE, _CHINESE, _MAKE)):
            _apply(widget)
