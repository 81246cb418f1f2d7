"""The journey harness's checks (tests/ui/journeys/checks.py) find what they are for and nothing else: a
cut button text ("e keybo"), a cut or elided label, a widget off the window or cut by its parent; not a
text that fits, a row scrolled out of its list, or a chip a strip cuts on purpose."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.journeys.checks import button_problem, label_problem, widget_problems
from ui.theme import ELDER, stylesheet


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    host = QWidget()
    host.setObjectName("host")
    host.setStyleSheet(stylesheet(ELDER, ""))
    host.resize(800, 600)
    qtbot.addWidget(host)
    return host


def shown(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)


def test_a_two_line_button_too_narrow_for_its_words_is_cut(qtbot: QtBot, window: QWidget) -> None:
    button = QPushButton("收起键盘\nHide keyboard", window)
    button.setObjectName("hide")
    button.setGeometry(10, 10, 160, 110)
    roomy = QPushButton("收起键盘\nHide keyboard", window)
    roomy.setGeometry(10, 200, 400, 110)
    shown(qtbot, window)
    problem = button_problem(button)
    assert problem is not None
    assert "hide" in problem
    assert "Hide keyboard" in problem
    assert button_problem(roomy) is None


def test_a_label_cut_across_or_below_is_found(qtbot: QtBot, window: QWidget) -> None:
    across = QLabel("经营范围（必填）和更多的说明文字", window)
    across.setGeometry(10, 10, 120, 60)
    wrapped = QLabel("一段会换行的说明文字，需要好几行才能放下，在这里只有一行的高度", window)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(10, 100, 200, 50)
    fits = QLabel("放得下", window)
    fits.setGeometry(10, 200, 300, 60)
    shown(qtbot, window)
    assert label_problem(across) is not None
    assert label_problem(wrapped) is not None
    assert label_problem(fits) is None


def test_widgets_off_the_window_or_cut_by_their_parent_are_found(qtbot: QtBot, window: QWidget) -> None:
    off = QPushButton("外", window)
    off.setObjectName("off")
    off.setGeometry(760, 10, 100, 100)
    box = QWidget(window)
    box.setObjectName("box")
    box.setGeometry(10, 300, 200, 100)
    inner = QPushButton("内", box)
    inner.setObjectName("inner")
    inner.setGeometry(150, 10, 100, 100)
    shown(qtbot, window)
    problems = widget_problems(window)
    assert any("off" in p and "outside the window" in p for p in problems)
    assert any("inner" in p and "is cut by host/box" in p for p in problems)


def test_what_a_scroll_area_hides_is_not_cut(qtbot: QtBot, window: QWidget) -> None:
    area = QScrollArea(window)
    area.setGeometry(10, 10, 300, 200)
    body = QWidget()
    column = QVBoxLayout(body)
    for index in range(20):
        column.addWidget(QPushButton(f"第{index}项", body))
    area.setWidget(body)
    area.setWidgetResizable(True)
    shown(qtbot, window)
    assert area.verticalScrollBar().maximum() > 0  # rows lie below the view
    assert widget_problems(window) == []
