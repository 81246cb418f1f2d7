"""Swiping scrolls every scrollable area, whether the panel reports touches or a mouse, and wherever the
finger lands (on a button inside too); a tap still presses the button. A swipe that starts on a text field
scrolls and neither focuses the field nor opens the keyboard; a tap on it does both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
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
from ui.screens.declare.wizard import DeclareScreen
from ui.screens.guide.search import GuideScreen
from ui.widgets.kinetic import drag_threshold, make_kinetic, tap_to_type

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


# --- a swipe that starts on a text field ------------------------------------------------------------
# Pressed as the platform delivers a finger (QTest's events are spontaneous): that is when Qt gives focus.

def press_swipe(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint, steps: int = 16) -> None:
    """Press on `widget`, move in steps, release: a panel that reports as a mouse."""
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        qtbot.wait(16)
        QTest.mouseMove(widget, start + delta * i / steps)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + delta)


def touch_tap(qtbot: QtBot, widget: QWidget, at: QPoint, wobble: QPoint | None = None) -> None:
    """A finger on a touch screen, lifted where it landed (give or take `wobble`)."""
    wobble = wobble or QPoint(0, 0)
    window = widget.window()
    device = QTest.createTouchDevice()
    point = widget.mapTo(window, at)
    QTest.touchEvent(window, device).press(0, point, window).commit()
    qtbot.wait(30)
    QTest.touchEvent(window, device).release(0, point + wobble, window).commit()


@pytest.fixture
def fields(qtbot: QtBot) -> tuple[QScrollArea, list[QLineEdit], list[QLineEdit]]:
    """A column of text fields in a swiped area; the second list: the fields that were tapped."""
    area = QScrollArea()
    area.resize(400, 300)
    body = QWidget()
    layout = QVBoxLayout(body)
    lines = [QLineEdit(body) for _ in range(20)]
    tapped: list[QLineEdit] = []
    for line in lines:
        line.setMinimumHeight(60)
        layout.addWidget(line)
        tap_to_type(line).tapped.connect(lambda _l=line: tapped.append(_l))
    area.setWidget(body)
    area.setWidgetResizable(True)
    make_kinetic(area)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.activateWindow()
    return area, lines, tapped


def test_a_mouse_swipe_from_a_field_scrolls_and_leaves_the_field_alone(
        qtbot: QtBot, fields: tuple[QScrollArea, list[QLineEdit], list[QLineEdit]]) -> None:
    area, lines, tapped = fields
    before = QApplication.focusWidget()  # the window's first field, focused when it was shown
    press_swipe(qtbot, lines[3], QPoint(40, 30), UP)
    settle(qtbot, area)
    assert area.verticalScrollBar().value() > 200
    assert not lines[3].hasFocus()
    assert QApplication.focusWidget() is before  # nor did the swipe take the focus elsewhere
    assert tapped == []


def test_a_touch_swipe_from_a_field_scrolls_and_leaves_the_field_alone(
        qtbot: QtBot, fields: tuple[QScrollArea, list[QLineEdit], list[QLineEdit]]) -> None:
    area, lines, tapped = fields
    before = QApplication.focusWidget()  # the window's first field, focused when it was shown
    touch_swipe(qtbot, lines[3], QPoint(40, 30), UP)
    settle(qtbot, area)
    assert area.verticalScrollBar().value() > 200
    assert not lines[3].hasFocus()
    assert QApplication.focusWidget() is before  # nor did the swipe take the focus elsewhere
    assert tapped == []


def test_a_tap_on_a_field_focuses_it_mouse_or_touch(
        qtbot: QtBot, fields: tuple[QScrollArea, list[QLineEdit], list[QLineEdit]]) -> None:
    area, lines, tapped = fields
    qtbot.mouseClick(lines[1], Qt.MouseButton.LeftButton, pos=QPoint(40, 30))
    assert lines[1].hasFocus()
    assert tapped == [lines[1]]
    # A finger wobbles: a tap that moves less than the drag threshold is still a tap.
    wobble = int(drag_threshold(lines[2]) * 0.6)
    touch_tap(qtbot, lines[2], QPoint(40, 30), QPoint(wobble, 0))
    assert lines[2].hasFocus()
    assert tapped == [lines[1], lines[2]]
    assert area.verticalScrollBar().value() == 0


def test_a_finger_that_slides_past_the_threshold_is_no_tap(
        qtbot: QtBot, fields: tuple[QScrollArea, list[QLineEdit], list[QLineEdit]]) -> None:
    _area, lines, tapped = fields
    # Sideways, which the area cannot scroll: nothing scrolls, and nothing opens either.
    press_swipe(qtbot, lines[1], QPoint(40, 30), QPoint(int(drag_threshold(lines[1])) + 40, 0), steps=4)
    assert not lines[1].hasFocus()
    assert tapped == []


def _field_to_swipe_from(area: QAbstractScrollArea, fields: list[QLineEdit]) -> QLineEdit:
    """A field in the lower half of the visible area, with the form going on below it."""
    viewport = area.viewport()
    assert area.verticalScrollBar().maximum() > 0, "nothing to scroll: the test would prove nothing"
    return next(f for f in fields if f.isVisible()
                and viewport.height() // 2 < f.mapTo(viewport, f.rect().center()).y() < viewport.height() - 20)


def _declaration_form(window: MainWindow, qtbot: QtBot) -> tuple[DeclareScreen, list[QLineEdit]]:
    STATES["declare_form"](window, qtbot)
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    qtbot.wait(10)
    lines = [e.line for e in screen.form_page.editors.values() if e.line is not None]
    return screen, lines


@pytest.mark.parametrize("finger", ["mouse", "touch"])
def test_a_swipe_from_a_form_field_scrolls_the_form_and_opens_no_keyboard(
        qtbot: QtBot, window: MainWindow, finger: str) -> None:
    screen, lines = _declaration_form(window, qtbot)
    area = screen.form_page.area
    field = _field_to_swipe_from(area, lines)
    start = field.rect().center()
    up = QPoint(0, -area.viewport().height() // 3)
    if finger == "mouse":
        press_swipe(qtbot, field, start, up)
    else:
        touch_swipe(qtbot, field, start, up)
    settle(qtbot, area)
    assert area.verticalScrollBar().value() > 0
    assert not screen.form_page.keyboard.is_up
    assert QApplication.focusWidget() not in lines


@pytest.mark.parametrize("finger", ["mouse", "touch"])
def test_a_tap_on_a_form_field_focuses_it_and_opens_its_keyboard(
        qtbot: QtBot, window: MainWindow, finger: str) -> None:
    screen, lines = _declaration_form(window, qtbot)
    field = lines[0]
    if finger == "mouse":
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=field.rect().center())
    else:
        touch_tap(qtbot, field, field.rect().center())
    assert field.hasFocus()
    dock = screen.form_page.keyboard
    assert dock.is_up
    assert dock.keyboard is not None
    assert dock.keyboard.target is field


def test_a_swipe_from_the_guide_search_opens_no_keyboard_and_a_tap_does(qtbot: QtBot, window: MainWindow) -> None:
    STATES["guide"](window, qtbot)
    screen = window.current_screen()
    assert isinstance(screen, GuideScreen)
    field = screen.search_field
    assert screen.keyboard is not None
    # From the field down over the results, as a resident reaching for the list.
    press_swipe(qtbot, field, field.rect().center(), QPoint(0, 300))
    touch_swipe(qtbot, field, field.rect().center(), QPoint(0, 300))
    assert screen.keyboard.isHidden()
    touch_tap(qtbot, field, field.rect().center())
    assert screen.keyboard.isVisible()
