"""The on-screen keyboard types into its field, switches layouts, keeps touch targets large, and puts
hanzi in by pinyin and by handwriting on the installed engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import ExpectedLogs
from ui.theme import CANDIDATE_MIN_PX, ELDER, NORMAL, Theme, stylesheet
from ui.widgets.keyboard import (
    ChineseEngines,
    OnScreenKeyboard,
    attach_keyboard,
    attach_keyboard_by_name,
    load_chinese_engines,
)


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


@pytest.mark.parametrize(("theme", "minimum"), [(NORMAL, 64), (ELDER, 88)])
def test_keys_are_large_enough(qtbot: QtBot, theme: Theme, minimum: int) -> None:
    host, field = _host(qtbot, theme)
    keyboard = attach_keyboard(field, "letters")
    assert keyboard is not None
    host.show()
    qtbot.waitExposed(host)
    assert keyboard.bar is not None
    for key in (k for k in keyboard.keys.values() if k.isVisible()):
        # The candidate bar's keys are a lower row (still above the 60-px elder floor), the keys full size.
        least = CANDIDATE_MIN_PX if keyboard.bar.isAncestorOf(key) else minimum
        assert key.height() >= least >= 60, key.objectName()
        assert key.width() >= least, key.objectName()


# --- Chinese entry: pinyin and handwriting on the real engines (libpinyin, zinnia) ------------------


def _tap(qtbot: QtBot, keyboard: OnScreenKeyboard, keys: str) -> None:
    for key in keys:
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)


def _tap_candidate(qtbot: QtBot, keyboard: OnScreenKeyboard, text: str) -> None:
    assert keyboard.bar is not None
    slot = keyboard.bar.page().index(text)
    qtbot.mouseClick(keyboard.bar.buttons[slot], Qt.MouseButton.LeftButton)


def _chinese(qtbot: QtBot, theme: Theme = NORMAL) -> tuple[QWidget, QLineEdit, OnScreenKeyboard]:
    host, field = _host(qtbot, theme)
    keyboard = attach_keyboard(field, "chinese")
    host.show()
    qtbot.waitExposed(host)
    return host, field, keyboard


def test_pinyin_gongsi_offers_the_word_first_and_tapping_puts_it_in(qtbot: QtBot) -> None:
    _host_widget, field, keyboard = _chinese(qtbot)
    assert keyboard.layout_name == "pinyin"
    _tap(qtbot, keyboard, "gongsi")
    assert field.text() == ""  # nothing reaches the field before a candidate is chosen
    assert keyboard.bar is not None
    assert "公司" in keyboard.bar.page()[:3]
    assert keyboard.bar.preedit.text() == "gongsi"
    _tap_candidate(qtbot, keyboard, "公司")
    assert field.text() == "公司"
    assert not keyboard.composing
    assert keyboard.bar.page() == []


def test_a_partial_pick_keeps_the_rest_of_the_pinyin(qtbot: QtBot) -> None:
    _host_widget, field, keyboard = _chinese(qtbot)
    _tap(qtbot, keyboard, "zhongguoyinhang")
    _tap_candidate(qtbot, keyboard, "中国")
    assert field.text() == ""
    assert keyboard.bar is not None
    assert keyboard.bar.preedit.text() == "中国yinhang"
    _tap_candidate(qtbot, keyboard, "银行")
    assert field.text() == "中国银行"


def test_candidate_pages_turn_forward_and_back(qtbot: QtBot) -> None:
    _host_widget, _field, keyboard = _chinese(qtbot)
    _tap(qtbot, keyboard, "shi")
    bar = keyboard.bar
    assert bar is not None
    first = bar.page()
    assert first
    assert not keyboard.keys["page_prev"].isEnabled()
    qtbot.mouseClick(keyboard.keys["page_next"], Qt.MouseButton.LeftButton)
    second = bar.page()
    assert second
    assert not set(first) & set(second)
    assert bar.candidates.index(second[0]) == len(first)  # the next page starts where the first ended
    qtbot.mouseClick(keyboard.keys["page_prev"], Qt.MouseButton.LeftButton)
    assert bar.page() == first


def test_backspace_edits_the_pinyin_before_the_field(qtbot: QtBot) -> None:
    _host_widget, field, keyboard = _chinese(qtbot)
    field.setText("单位")
    field.end(False)
    _tap(qtbot, keyboard, "gongsu")
    qtbot.mouseClick(keyboard.keys["backspace"], Qt.MouseButton.LeftButton)
    assert field.text() == "单位"
    assert keyboard.bar is not None
    assert keyboard.bar.preedit.text() == "gongs"
    _tap(qtbot, keyboard, "i")
    _tap_candidate(qtbot, keyboard, "公司")
    assert field.text() == "单位公司"
    qtbot.mouseClick(keyboard.keys["backspace"], Qt.MouseButton.LeftButton)  # nothing composing: the field
    assert field.text() == "单位公"


def test_leaving_pinyin_for_letters_puts_the_letters_in_as_typed(qtbot: QtBot) -> None:
    _host_widget, field, keyboard = _chinese(qtbot)
    _tap(qtbot, keyboard, "ab")
    keyboard.tap("mode_letters")
    assert field.text() == "ab"
    assert keyboard.layout_name == "letters"
    _tap(qtbot, keyboard, "c")
    assert field.text() == "abc"


def _draw(qtbot: QtBot, pad: QWidget, points: list[tuple[float, float]]) -> None:
    """One stroke through `points`, given as fractions of the writing box."""
    box = pad.box()  # type: ignore[attr-defined]
    at = [QPoint(box.x() + round(fx * box.width()), box.y() + round(fy * box.height())) for fx, fy in points]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=at[0])
    for point in at[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=at[-1])


def _line(start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> list[tuple[float, float]]:
    return [(start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps)
            for i in range(steps + 1)]


@pytest.mark.parametrize("theme", [NORMAL, ELDER])
def test_handwriting_shi_recognised_first_and_tapping_commits_it(qtbot: QtBot, theme: Theme) -> None:
    _host_widget, field, keyboard = _chinese(qtbot, theme)
    qtbot.mouseClick(keyboard.keys["mode_handwriting"], Qt.MouseButton.LeftButton)
    assert keyboard.layout_name == "handwriting"
    pad = keyboard.pad
    assert pad is not None
    assert keyboard.bar is not None
    _draw(qtbot, pad, _line((0.15, 0.5), (0.85, 0.5)))
    assert keyboard.bar.page()[0] == "一"
    _draw(qtbot, pad, _line((0.5, 0.15), (0.5, 0.85)))
    assert keyboard.bar.page()[0] == "十"
    for button in (b for b in keyboard.bar.buttons if b.isVisible()):
        assert button.height() >= 60
        assert button.width() >= 60
        assert button.font().pixelSize() >= (30 if theme is ELDER else 24)
    qtbot.mouseClick(keyboard.bar.buttons[0], Qt.MouseButton.LeftButton)
    assert field.text() == "十"
    assert pad.strokes == []
    assert keyboard.bar.page() == []


def test_undo_stroke_and_rewrite(qtbot: QtBot) -> None:
    _host_widget, _field, keyboard = _chinese(qtbot)
    keyboard.tap("mode_handwriting")
    pad = keyboard.pad
    assert pad is not None
    assert keyboard.bar is not None
    _draw(qtbot, pad, _line((0.15, 0.5), (0.85, 0.5)))
    _draw(qtbot, pad, _line((0.5, 0.15), (0.5, 0.85)))
    qtbot.mouseClick(keyboard.keys["undo_stroke"], Qt.MouseButton.LeftButton)
    assert len(pad.strokes) == 1
    assert keyboard.bar.page()[0] == "一"
    qtbot.mouseClick(keyboard.keys["rewrite"], Qt.MouseButton.LeftButton)
    assert pad.strokes == []
    assert keyboard.bar.page() == []


def test_session_end_clears_half_typed_pinyin_and_strokes(qtbot: QtBot) -> None:
    _host_widget, field, keyboard = _chinese(qtbot)
    _tap(qtbot, keyboard, "zhang")
    keyboard.clear_personal_state()
    assert not keyboard.composing
    assert keyboard.bar is not None
    assert keyboard.bar.candidates == []
    assert keyboard.bar.preedit.text() == ""
    keyboard.tap("mode_handwriting")
    assert keyboard.pad is not None
    _draw(qtbot, keyboard.pad, _line((0.15, 0.5), (0.85, 0.5)))
    keyboard.clear_personal_state()
    assert keyboard.layout_name == "pinyin"  # back to the field's first page, strokes gone with it
    assert not keyboard.composing
    assert keyboard.bar.candidates == []
    assert field.text() == ""


def test_without_engines_the_keyboard_offers_letters_and_says_so(qtbot: QtBot, tmp_path: Path,
                                                                   expected_logs: ExpectedLogs) -> None:
    expected_logs("kiosk.ui.keyboard", "pinyin entry unavailable")
    expected_logs("kiosk.ui.keyboard", "handwriting entry unavailable")
    engines = load_chinese_engines(pinyin_library=str(tmp_path / "libpinyin.so.15"),
                                   handwriting_library=str(tmp_path / "libzinnia.so.0"))
    host, field = _host(qtbot)
    keyboard = attach_keyboard(field, "chinese", engines=engines)
    host.show()
    assert keyboard.layout_name == "letters"
    assert not any(name.startswith("mode_") for name in keyboard.keys)
    assert keyboard.bar is not None
    assert keyboard.bar.hint.isVisible()
    assert "不能输入汉字" in keyboard.bar.hint.text()
    _tap(qtbot, keyboard, "ab")
    assert field.text() == "ab"


def test_a_missing_model_is_named_not_raised_from_ctypes(tmp_path: Path, expected_logs: ExpectedLogs) -> None:
    expected_logs("kiosk.ui.keyboard", "pinyin entry unavailable.*no libpinyin model")
    expected_logs("kiosk.ui.keyboard", "handwriting entry unavailable.*no handwriting model")
    engines = load_chinese_engines(pinyin_data=tmp_path, handwriting_model=tmp_path / "zh_CN.model")
    assert engines == ChineseEngines(None, None)
