"""The screen language: Qt translation files, installed at start-up and switched from the home screen.

Source strings are Chinese (zh_CN needs no translator); `kiosk_en.qm` holds English. Installing or
removing the translator makes Qt send `QEvent.LanguageChange` to every widget, and each screen
re-sets its texts in `changeEvent` (pattern in ui/i18n/README.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

from kiosk.config import Language

log = logging.getLogger("kiosk.ui.i18n")

I18N_DIR = Path(__file__).resolve().parent

_translator: QTranslator | None = None
_language = Language.ZH_CN


def current_language() -> Language:
    return _language


def set_language(language: Language | str) -> Language:
    """Switches every visible text to `language`; an unusable file leaves Chinese (and is logged)."""
    global _translator, _language  # one application, one active translator
    app = QCoreApplication.instance()
    wanted = Language(language)
    if app is None:
        return _language
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    _language = Language.ZH_CN
    if wanted is not Language.ZH_CN:
        translator = QTranslator(app)
        if translator.load(f"kiosk_{wanted.value}", str(I18N_DIR)):
            app.installTranslator(translator)
            _translator = translator
            _language = wanted
        else:
            log.error("translation file kiosk_%s.qm missing in %s; run scripts/update_translations.sh",
                      wanted.value, I18N_DIR)
    # Qt posts LanguageChange to every window; deliver it now so the whole screen changes at once.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return _language


def bilingual(translated: str, english: str, separator: str = " ") -> str:
    """A "中文 English" line: in Chinese both (`translated` is the Chinese then), in English the
    translation alone, so the English is not shown twice."""
    if _language is Language.ZH_CN:
        return f"{translated}{separator}{english}"
    return translated


def toggle_language() -> Language:
    """The home screen's 中文 / English button."""
    return set_language(Language.EN if _language is Language.ZH_CN else Language.ZH_CN)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # the exact name lupdate looks for
    """Marks `source` for lupdate under `context` and returns it (PySide6's own is typed as object)."""
    del context
    return source
