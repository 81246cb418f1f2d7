"""ui/i18n/texts.py: a widget's kept text follows the language, and what replaced it stays replaced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Language
from ui.i18n import QT_TRANSLATE_NOOP, set_language
from ui.i18n.texts import keep, keep_lines, keep_made, retranslate_kept


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    try:
        yield widget
    finally:
        set_language(Language.ZH_CN)  # the translator is application-wide


def switch(page: QWidget, language: Language) -> None:
    """What a screen's changeEvent does on LanguageChange."""
    set_language(language)
    retranslate_kept(page)


def test_an_emptied_label_stays_empty_after_a_language_switch(page: QWidget) -> None:
    label = QLabel(page)
    keep(label, "HelpScreen", QT_TRANSLATE_NOOP("HelpScreen", "呼叫工作人员"))
    keep_made(label, None)  # a wipe: the resident who saw it has gone
    switch(page, Language.EN)
    assert label.text() == ""


def test_a_kept_text_replaces_the_one_kept_before(page: QWidget) -> None:
    label = QLabel(page)
    keep(label, "HelpScreen", QT_TRANSLATE_NOOP("HelpScreen", "呼叫工作人员"))
    keep_lines(label, QLabel(page), "打印机缺纸", "The printer is out of paper")
    switch(page, Language.EN)
    assert label.text() == "The printer is out of paper"


def test_lines_show_the_current_language_with_the_other_under_it(page: QWidget) -> None:
    main, companion = QLabel(page), QLabel(page)
    keep_lines(main, companion, "打印机缺纸", "The printer is out of paper")
    assert (main.text(), companion.text()) == ("打印机缺纸", "The printer is out of paper")
    assert companion.property("otherLanguage")
    assert not main.property("otherLanguage")
    switch(page, Language.EN)
    assert (main.text(), companion.text()) == ("The printer is out of paper", "打印机缺纸")
    keep_lines(main, companion, "", "")
    switch(page, Language.ZH_CN)
    assert (main.text(), companion.text()) == ("", "")
    assert not companion.property("otherLanguage")  # an empty line is in no language
