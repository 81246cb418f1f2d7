"""Measured on the rendered screens, every screen and state reachable without devices, normal and elder:

- every visible, enabled control that acts has a name that assistive technology reads (the name Qt's
  accessibility interface reports, which is what AT-SPI hands on);
- it is at least 44×44 px, 60×60 in elder mode (MIIT's ageing-friendly rules);
- the text drawn on every control and label, placeholders included, stands 4.5:1 against the background
  it is drawn on, sampled from the rendered pixels;
- a chosen choice's fill stands 3:1 against the page.

A press through the accessibility interface (an AT-SPI "Press") counts as activity for the idle timer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible, QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.resident.session import SessionState
from kiosk.runtime import KioskRuntime
from tests.ui.screen_walk import STATES, click, close_window, make_window, visible_widgets
from ui.main_window import MainWindow
from ui.session_ui import install_session


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _pixels(image: QImage, rect: QRect) -> Counter[int]:
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    return counts


def on_screen(widget: QWidget) -> QImage:
    """What the window shows where `widget` is: its own drawing over whatever shows through it (a widget
    grabbed alone has nothing behind its transparent parts)."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.grab(area).toImage().convertToFormat(QImage.Format.Format_RGB32)


def drawn_text_contrast(widget: QWidget) -> tuple[float, str, str] | None:
    """(contrast, text colour, background) of what `widget` draws inside its borders, or None if it
    draws no text there. The background is the commonest colour; the text colour the commonest of the
    colours that stand out from it (glyph cores; anti-aliased edges are spread over many shades)."""
    image = on_screen(widget)
    ratio = image.devicePixelRatio()
    width, height = round(widget.width() * ratio), round(widget.height() * ratio)
    inset_x = min(round(12 * ratio), width // 4)
    inset_y = min(round(8 * ratio), height // 4)
    inner = QRect(inset_x, inset_y, width - 2 * inset_x, height - 2 * inset_y)
    if inner.width() < 4 or inner.height() < 4:
        return None
    counts = _pixels(image, inner)
    background_rgb, _ = counts.most_common(1)[0]
    background = QColor(background_rgb)
    standing_out = [(n, rgb) for rgb, n in counts.items() if contrast(QColor(rgb), background) >= 1.5]
    if sum(n for n, _ in standing_out) < 12:
        return None
    _, text_rgb = max(standing_out)
    text = QColor(text_rgb)
    return contrast(text, background), text.name(), background.name()


def acts(widget: QWidget) -> bool:
    return isinstance(widget, (QAbstractButton, QLineEdit, QAbstractSlider)) and widget.isEnabled()


def exposed_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _has_text(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return bool(widget.text() or widget.placeholderText())
    if isinstance(widget, QAbstractButton):
        return bool(widget.text()) or bool(widget.findChildren(QLabel))
    if isinstance(widget, QLabel):
        return bool(widget.text()) and widget.pixmap().isNull()
    return False


@pytest.fixture
def window(mode_window: MainWindow) -> MainWindow:
    return mode_window  # tests/ui/conftest.py: the demo's window at 1280×800, normal and elder


def measure(window: MainWindow, where: str) -> list[str]:
    elder = window.theme.name == "elder"
    floor = 60 if elder else 44
    problems = []
    for widget in visible_widgets(window):
        label = f"{where}: {type(widget).__name__} {widget.objectName() or '(no name)'}"
        if acts(widget):
            if not exposed_name(widget):
                problems.append(f"{label}: no accessible name")
            if widget.width() < floor or widget.height() < floor:
                problems.append(f"{label}: {widget.width()}×{widget.height()} px, under {floor}×{floor}")
            if isinstance(widget, QAbstractButton) and widget.isCheckable() and widget.isChecked():
                fill = QColor(on_screen(widget).pixel(widget.width() // 2, 6))
                page = QColor(window.theme.background)
                if contrast(fill, page) < 3 and contrast(fill, QColor("#ffffff")) < 3:
                    problems.append(f"{label}: chosen fill {fill.name()} under 3:1 against the page")
        if _has_text(widget) and (acts(widget) or isinstance(widget, QLabel)):
            measured = drawn_text_contrast(widget)
            if measured is not None and measured[0] < 4.5:
                ratio, text, background = measured
                problems.append(f"{label}: text {text} on {background} is {ratio:.2f}:1")
    return problems


@pytest.mark.parametrize("state", list(STATES))
def test_every_control_is_named_big_enough_and_readable(qtbot: QtBot, window: MainWindow, state: str) -> None:
    STATES[state](window, qtbot)
    for _ in range(3):
        QApplication.processEvents()
    problems = measure(window, f"{state} ({window.theme.name})")
    assert not problems, "\n".join(problems)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def session_window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, Any, _Clock]]:
    w = make_window(runtime, qtbot, tmp_path)
    clock = _Clock()
    controller = install_session(w, clock=clock)
    yield w, controller, clock
    controller.stop()
    close_window(w)


def _act(widget: QWidget, action: str) -> None:
    """What AT-SPI's Action interface does for a screen reader: the widget's accessible action."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    actions = interface.actionInterface()
    assert action in actions.actionNames()
    actions.doAction(action)


def test_a_press_through_the_accessibility_interface_keeps_the_session(
        qtbot: QtBot, session_window: tuple[MainWindow, Any, _Clock]) -> None:
    window, controller, clock = session_window
    STATES["guide"](window, qtbot)  # a mouse click: the session starts
    session = controller.session
    assert session.state is SessionState.ACTIVE
    clock.now += session.timings.idle_timeout_s - 5
    chip = window.current_screen().category_button("全部")  # type: ignore[attr-defined]
    other = next(b for b in window.current_screen().category_buttons.values() if b is not chip)  # type: ignore[attr-defined]
    with qtbot.waitSignal(other.clicked, timeout=2000):
        _act(other, "Press")
    assert session.seconds_left() == session.timings.idle_timeout_s


def test_a_toggle_through_the_accessibility_interface_keeps_the_session(
        qtbot: QtBot, session_window: tuple[MainWindow, Any, _Clock]) -> None:
    window, controller, clock = session_window
    STATES["rating_low"](window, qtbot)
    session = controller.session
    assert session.state is SessionState.ACTIVE
    clock.now += session.timings.idle_timeout_s - 5
    reason = next(b for b in window.current_screen().findChildren(QCheckBox) if b.isVisible())
    _act(reason, "Toggle")
    assert reason.isChecked()
    assert session.seconds_left() == session.timings.idle_timeout_s


def test_a_choice_a_screen_sets_while_nobody_is_there_starts_no_session(
        qtbot: QtBot, session_window: tuple[MainWindow, Any, _Clock]) -> None:
    window, controller, _clock = session_window
    assert controller.session.state is SessionState.IDLE
    window.status_strip.elder_button.setChecked(True)
    assert controller.session.state is SessionState.IDLE


# --- what a screen reader or an automation tool does over AT-SPI (scripts/atspi_walk.py walks it all) ----


@pytest.mark.parametrize("state", list(STATES))
def test_every_control_is_named_when_scrolled_out_of_view_too(qtbot: QtBot, window: MainWindow, state: str) -> None:
    """AT-SPI reports the rows a scroll area has scrolled away as showing, and a screen reader reads them:
    they need names as much as the rows in view."""
    STATES[state](window, qtbot)
    QApplication.processEvents()
    unnamed = [f"{type(w).__name__} {w.objectName() or '(no object name)'}"
               for w in window.findChildren(QWidget) if w.isVisible() and acts(w) and not exposed_name(w)]
    assert not unnamed, f"{state}: no accessible name: {', '.join(unnamed)}"


def test_a_grade_chosen_by_the_toggle_action_counts_as_chosen(qtbot: QtBot, window: MainWindow) -> None:
    """A screen reader's or an automation tool's default action on a choice is Toggle, which checks the
    button without a click: the rating must take the grade as from a tap."""
    STATES["rating"](window, qtbot)
    screen = window.current_screen()
    grade = screen.grade_buttons[1]  # type: ignore[attr-defined]
    _act(grade, "Toggle")
    assert screen.grade == grade.grade  # type: ignore[attr-defined]
    assert screen.submit_button.isEnabled()  # type: ignore[attr-defined]
    # Toggled again it stays chosen, as a second tap leaves it: a grade is changed, never taken back.
    _act(grade, "Toggle")
    assert grade.isChecked()
    assert screen.grade == grade.grade  # type: ignore[attr-defined]


def test_a_score_toggled_is_taken_and_toggled_again_is_cleared(qtbot: QtBot, window: MainWindow) -> None:
    STATES["rating"](window, qtbot)
    screen = window.current_screen()
    click(qtbot, screen.grade_buttons[0])  # type: ignore[attr-defined]
    code, buttons = next(iter(screen.score_buttons.items()))  # type: ignore[attr-defined]
    _act(buttons[3], "Toggle")
    assert screen.scores == {code: 4}  # type: ignore[attr-defined]
    _act(buttons[1], "Toggle")
    assert screen.scores == {code: 2}  # type: ignore[attr-defined]
    assert [b.isChecked() for b in buttons] == [False, True, False, False, False]
    _act(buttons[1], "Toggle")
    assert screen.scores == {}  # type: ignore[attr-defined]
    assert not any(b.isChecked() for b in buttons)


def test_a_theme_chosen_by_the_toggle_action_filters_the_guides(qtbot: QtBot, window: MainWindow) -> None:
    STATES["guide"](window, qtbot)
    screen = window.current_screen()
    key, chip = next((k, b) for k, b in screen.category_buttons.items() if k.startswith("theme"))  # type: ignore[attr-defined]
    before = [r.code for r in screen.rows_shown]  # type: ignore[attr-defined]
    _act(chip, "Toggle")
    qtbot.waitUntil(lambda: [r.code for r in screen.rows_shown] != before, timeout=3000)  # type: ignore[attr-defined]
    assert screen.category.key == key  # type: ignore[attr-defined]
    assert not screen.category_button("全部").isChecked()  # type: ignore[attr-defined]
    # Toggling the chosen theme again leaves it chosen, as a tap on it does.
    _act(chip, "Toggle")
    assert chip.isChecked()
    assert screen.category.key == key  # type: ignore[attr-defined]


def test_the_elder_switch_is_named_for_what_it_switches(qtbot: QtBot, window: MainWindow) -> None:
    """A screen reader says a switch's name and whether it is on. Its visible text names the mode a tap
    goes to (标准模式 while elder mode is on), so the name must stay 长辈模式: "标准模式, on" would tell
    the resident the opposite of what is so."""
    button = window.status_strip.elder_button
    for on in (True, False, True):
        window.status_strip.set_elder_mode(on)
        assert button.isChecked() is on
        assert "长辈模式" in exposed_name(button), exposed_name(button)


def test_the_express_address_and_phone_fields_are_named(qtbot: QtBot) -> None:
    """Shown only for a service with express delivery, so the walk over the rendered screens above
    does not reach them."""
    from ui.screens.declare.pages import DeliveryPage

    parent = QWidget()
    qtbot.addWidget(parent)
    page = DeliveryPage(parent, lambda: None)
    assert exposed_name(page.address_field).startswith("收件地址")
    assert exposed_name(page.phone_field).startswith("收件人手机号码")


def test_a_scroll_area_keeps_its_children_when_its_scroll_bar_hides(qtbot: QtBot, window: MainWindow) -> None:
    """A screen reader asks a scroll area how many children it has, then for each by index: two calls, with
    the kiosk's events in between. Qt's own interface dropped the scroll bar from the count when the bar
    hid and then read past its list for the old index, which crashed the kiosk (SIGSEGV) whenever a list
    shrank under a screen reader (ui/accessible.py). The count must not depend on the bar."""
    STATES["guide"](window, qtbot)
    screen = window.current_screen()
    area = screen.results_area  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())  # twenty guides: more than fits
    interface = QAccessible.queryAccessibleInterface(area)
    assert interface is not None
    children = interface.childCount()
    screen.search_field.setText("结婚登记")  # type: ignore[attr-defined]  # one guide or two: no bar
    qtbot.waitUntil(lambda: not area.verticalScrollBar().isVisible())
    assert interface.childCount() == children
    assert all(interface.child(index) is not None for index in range(children))
    assert interface.child(children) is None
