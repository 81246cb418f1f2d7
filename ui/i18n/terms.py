"""English for the words the Qt-free core hands the screens in Chinese (kiosk/resident/guides.py's
category labels, the 个人/法人 of a result's second line, the guide's badges and section titles).

The core stays Chinese and Qt-free; the screens pass its words through `term`. Catalogue content (a
department, a theme, a service name) has no entry here and stays as the catalogue wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "CoreTerms"
SEPARATOR = " · "

# For lupdate: every core word a screen shows.
TERMS = (
    QT_TRANSLATE_NOOP("CoreTerms", "全部"),
    QT_TRANSLATE_NOOP("CoreTerms", "个人办事"),
    QT_TRANSLATE_NOOP("CoreTerms", "法人办事"),
    QT_TRANSLATE_NOOP("CoreTerms", "个人"),
    QT_TRANSLATE_NOOP("CoreTerms", "法人"),
)


def term(text: str) -> str:
    """`text` in the current language; each part of a "a · b · c" line on its own."""
    return SEPARATOR.join(QCoreApplication.translate(CONTEXT, part) for part in text.split(SEPARATOR))
