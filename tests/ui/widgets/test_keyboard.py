"""The on-screen keyboard types into its field, switches layouts, and keeps touch targets large."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.theme import ELDER, NORMAL, Theme, stylesheet
from ui.widgets.keyboard import OnScreenKeyboard, attach_keyboard, attach_keyboard_by_name


def _host(qtbot: QtBot, theme: Theme = NORMAL) -> tuple[QWidget, QLineEdit]:
    host = QWidget()
    host.setStyleSheet(stylesheet(theme, ""))
    layout = QVBoxLayout(host)
    field = QLineEdit(host)
    field.setObjectName("guide_search_field")
    layout.addWidget(field)
    qtbot.addWidget(host)
    host.resize(1280, 800)
    return host, field


def test_tapping_letters_types_pinyin_initials(qtbot: QtBot) -> None:
    host, field = _host(qtbot)
    keyboard = attach_keyboard_by_name(host, "guide_search_field", "letters")
    assert isinstance(keyboard, OnScreenKeyboard)
    host.show()
    for key in "sfz":
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "sfz"
    qtbot.mouseClick(keyboard.keys["backspace"], Qt.MouseButton.LeftButton)
    assert field.text() == "sf"
    qtbot.mouseClick(keyboard.keys["clear"], Qt.MouseButton.LeftButton)
    assert field.text() == ""


def test_digits_layout_types_an_id_number(qtbot: QtBot) -> None:
    host, field = _host(qtbot)
    keyboard = attach_keyboard(field, "digits")
    assert keyboard is not None
    host.show()
    for key in "33010619900101753X":
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "33010619900101753X"


def test_switch_between_layouts_keeps_the_text(qtbot: QtBot) -> None:
    host, field = _host(qtbot)
    keyboard = attach_keyboard(field, "letters")
    assert keyboard is not None
    host.show()
    qtbot.mouseClick(keyboard.keys["a"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keyboard.keys["switch"], Qt.MouseButton.LeftButton)
    assert keyboard.layout_name == "digits"
    qtbot.mouseClick(keyboard.keys["7"], Qt.MouseButton.LeftButton)
    assert field.text() == "a7"
    keyboard.clear_personal_state()
    assert keyboard.layout_name == "letters"


def test_keys_never_take_the_fields_focus(qtbot: QtBot) -> None:
    _host_widget, field = _host(qtbot)
    keyboard = attach_keyboard(field)
    assert keyboard is not None
    assert all(k.focusPolicy() == Qt.FocusPolicy.NoFocus for k in keyboard.keys.values())
    assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def test_chinese_without_virtual_keyboard_falls_back_to_letters(qtbot: QtBot) -> None:
    _host_widget, field = _host(qtbot)
    keyboard = attach_keyboard(field, "chinese")  # offscreen: Qt Virtual Keyboard cannot serve it
    assert keyboard is not None
    assert keyboard.layout_name == "letters"


@pytest.mark.parametrize(("theme", "minimum"), [(NORMAL, 64), (ELDER, 88)])
def test_keys_are_large_enough(qtbot: QtBot, theme: Theme, minimum: int) -> None:
    host, field = _host(qtbot, theme)
    keyboard = attach_keyboard(field, "letters")
    assert keyboard is not None
    host.show()
    qtbot.waitExposed(host)
    for key in keyboard.keys.values():
        assert key.height() >= minimum, key.objectName()
        assert key.width() >= minimum, key.objectName()
