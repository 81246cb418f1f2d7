"""Swiping scrolls every scrollable area, whether the panel reports touches or a mouse, and wherever the
finger lands (on a button inside too); a tap still presses the button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.screen_walk import STATES, mouse_swipe, settle, touch_swipe
from ui.main_window import MainWindow
from ui.widgets.kinetic import make_kinetic

UP = QPoint(0, -300)


@pytest.fixture
def column(qtbot: QtBot) -> tuple[QScrollArea, list[QPushButton]]:
    area = QScrollArea()
    area.resize(400, 300)
    body = QWidget()
    layout = QVBoxLayout(body)
    buttons = [QPushButton(f"第{i}项", body) for i in range(30)]
    for button in buttons:
        button.setMinimumHeight(60)
        layout.addWidget(button)
    area.setWidget(body)
    area.setWidgetResizable(True)
    make_kinetic(area)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, buttons


def test_a_mouse_drag_that_starts_on_a_button_scrolls_and_does_not_press_it(
        qtbot: QtBot, column: tuple[QScrollArea, list[QPushButton]]) -> None:
    area, buttons = column
    with qtbot.assertNotEmitted(buttons[2].clicked):
        mouse_swipe(qtbot, buttons[2], QPoint(40, 30), UP)
        settle(qtbot, area)
    assert area.verticalScrollBar().value() > 200
    assert not buttons[2].isDown()


def test_a_mouse_drag_on_the_viewport_scrolls(qtbot: QtBot, column: tuple[QScrollArea, list[QPushButton]]) -> None:
    area, _buttons = column
    area.widget().layout().setContentsMargins(0, 0, 80, 0)  # room beside the buttons: the bare viewport
    qtbot.wait(10)
    mouse_swipe(qtbot, area.viewport(), QPoint(area.viewport().width() - 20, 250), UP)
    settle(qtbot, area)
    assert area.verticalScrollBar().value() > 200


def test_a_touch_swipe_scrolls(qtbot: QtBot, column: tuple[QScrollArea, list[QPushButton]]) -> None:
    area, buttons = column
    touch_swipe(qtbot, buttons[3], QPoint(40, 30), UP)
    settle(qtbot, area)
    assert area.verticalScrollBar().value() > 200


def test_a_tap_on_a_button_in_the_area_presses_it(qtbot: QtBot, column: tuple[QScrollArea, list[QPushButton]]) -> None:
    _area, buttons = column
    with qtbot.waitSignal(buttons[1].clicked, timeout=1000):
        qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)


@pytest.fixture
def window(mode_window: MainWindow) -> MainWindow:
    return mode_window  # tests/ui/conftest.py: the demo's window at 1280×800, normal and elder


def _swipes(qtbot: QtBot, area: QAbstractScrollArea, start_on: QWidget) -> None:
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "nothing to scroll: the test would prove nothing"
    start = start_on.mapFrom(area.viewport(), QPoint(area.viewport().width() // 3, area.viewport().height() * 3 // 4))
    mouse_swipe(qtbot, start_on, start, QPoint(0, -area.viewport().height() // 2))
    settle(qtbot, area)
    assert bar.value() > 0


def test_the_guide_list_swipes_from_a_result_row(qtbot: QtBot, window: MainWindow) -> None:
    STATES["guide"](window, qtbot)
    screen = window.current_screen()
    area = screen.results_area  # type: ignore[attr-defined]
    row = screen.row_buttons[2]  # type: ignore[attr-defined]
    _swipes(qtbot, area, row)


def test_the_guide_detail_swipes(qtbot: QtBot, window: MainWindow) -> None:
    STATES["guide_detail"](window, qtbot)
    area = window.current_screen().area  # type: ignore[attr-defined]
    qtbot.wait(10)
    _swipes(qtbot, area, area.viewport())


def test_the_declaration_form_swipes_from_a_field(qtbot: QtBot, window: MainWindow) -> None:
    STATES["declare_form"](window, qtbot)
    area = window.current_screen().form_page.area  # type: ignore[attr-defined]
    qtbot.wait(10)
    under = area.viewport().childAt(area.viewport().width() // 3, area.viewport().height() * 3 // 4)
    _swipes(qtbot, area, under or area.viewport())


def test_every_scroll_area_of_every_screen_swipes_at_once(qtbot: QtBot, window: MainWindow) -> None:
    for state in STATES.values():
        state(window, qtbot)
    areas = window.findChildren(QAbstractScrollArea)
    assert len(areas) > 10
    for area in areas:
        viewport = area.viewport()
        assert QScroller.hasScroller(viewport), area.objectName()
        metric = QScroller.scroller(viewport).scrollerProperties().scrollMetric(
            QScrollerProperties.ScrollMetric.MousePressEventDelay)
        assert metric == 0, area.objectName()  # the press reaches a button at once


def test_category_chips_cut_at_the_edge_say_there_are_more(qtbot: QtBot, window: MainWindow) -> None:
    STATES["guide"](window, qtbot)
    screen = window.current_screen()
    area = screen.categories_area  # type: ignore[attr-defined]
    hint = screen.categories_hint  # type: ignore[attr-defined]
    bar = area.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the chips do not all fit at 1280 px
    assert hint.more.isVisible()
    assert "更多" in hint.more.text()
    assert hint.more.geometry().right() == area.viewport().geometry().right()
    # Drawn, not only there: the tag's own fill shows over the cut chip.
    padding = hint.more.mapTo(window, QPoint(4, hint.more.height() // 2))  # left of the text
    assert window.grab().toImage().pixelColor(padding).name() == window.theme.accent
    assert not hint.back.isVisible()
    for _ in range(3):
        middle = QPoint(area.viewport().width() // 2, area.viewport().height() // 2)
        chip = area.viewport().childAt(middle)
        mouse_swipe(qtbot, chip, chip.mapFrom(area.viewport(), middle), QPoint(-400, 0))
        settle(qtbot, area)
    assert bar.value() == bar.maximum()
    assert not hint.more.isVisible()
    assert hint.back.isVisible()
