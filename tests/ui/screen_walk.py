"""Reaching every screen and state a resident can reach without devices, and touching it like a finger.

Shared by the swipe tests (tests/ui/widgets/test_kinetic.py) and the measurements on the rendered
screens (tests/ui/test_accessibility.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli.launch import LaunchOptions
from kiosk.devices.demo_cards import DemoCards
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow

PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a long form and three materials
HUKOU = "330000-GA-QR-0005"  # 户口迁移（投靠）: a long guide


def make_window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, *, elder: bool = False) -> MainWindow:
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.status_strip.set_elder_mode(elder)
    return window


def close_window(window: MainWindow) -> None:
    screen = window.screens.get("declare")
    shutdown = getattr(screen, "shutdown", None)
    if callable(shutdown):
        shutdown()
    window.wipe_screens()
    window.close()


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.waitUntil(button.isVisible, timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, held: bool) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    # Through the application, as the platform delivers it: that is where gestures are recognised.
    QApplication.sendEvent(widget, event)


def settle(qtbot: QtBot, area: QAbstractScrollArea) -> None:
    """Lets a flick run out, so no animation outlives the test."""
    scroller = QScroller.scroller(area.viewport())
    qtbot.waitUntil(lambda: scroller.state() != QScroller.State.Scrolling, timeout=5000)


def mouse_swipe(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint, steps: int = 16) -> None:
    """Press, move in steps, release on `widget` (a panel that reports as a mouse)."""
    _mouse(widget, QEvent.Type.MouseButtonPress, start, True)
    for i in range(1, steps + 1):
        qtbot.wait(16)
        _mouse(widget, QEvent.Type.MouseMove, start + delta * i / steps, True)
    _mouse(widget, QEvent.Type.MouseButtonRelease, start + delta, False)


def touch_swipe(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint, steps: int = 16) -> None:
    """The same swipe as touch points (a touch screen that reports touches)."""
    window = widget.window()
    device = QTest.createTouchDevice()
    origin = widget.mapTo(window, start)
    QTest.touchEvent(window, device).press(0, origin, window).commit()
    for i in range(1, steps + 1):
        qtbot.wait(16)
        QTest.touchEvent(window, device).move(0, origin + delta * i / steps, window).commit()
    QTest.touchEvent(window, device).release(0, origin + delta, window).commit()


Step = Callable[[MainWindow, QtBot], None]


def _home(window: MainWindow, qtbot: QtBot) -> None:
    window.go_home()


def _guide(window: MainWindow, qtbot: QtBot) -> None:
    window.go_home()
    click(qtbot, window.home.tiles["guide"])


def _guide_typing(window: MainWindow, qtbot: QtBot) -> None:
    _guide(window, qtbot)
    screen = window.current_screen()
    field = screen.search_field  # type: ignore[attr-defined]
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # brings the keyboard up
    qtbot.keyClicks(field, "hk")
    qtbot.waitUntil(lambda: not screen.debounce.isActive())  # type: ignore[attr-defined]


def _guide_detail(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("guide_detail", HUKOU)


def _forms(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("forms")


def _declare(window: MainWindow, qtbot: QtBot) -> None:
    cards = DemoCards(window.context.runtime.devices)
    if not cards.placed("idcard"):
        cards.toggle("idcard")  # the demo's reader starts empty; F5 places the card
    window.open_service("declare")
    screen = window.current_screen()
    qtbot.waitUntil(lambda: getattr(screen, "resident", None) is not None, timeout=15000)
    click(qtbot, screen.next_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: getattr(screen, "step", "") == "service", timeout=15000)


def _declare_form(window: MainWindow, qtbot: QtBot) -> None:
    _declare(window, qtbot)
    screen = window.current_screen()
    page = screen.service_page  # type: ignore[attr-defined]
    page.search_field.setText("公积金")
    page.refresh()
    click(qtbot, page.result_buttons[PURCHASE])
    click(qtbot, screen.next_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: getattr(screen, "step", "") == "form", timeout=5000)


def _progress(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("progress")


def _rating(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("rating")


def _rating_low(window: MainWindow, qtbot: QtBot) -> None:
    _rating(window, qtbot)
    screen = window.current_screen()
    click(qtbot, screen.grade_buttons[-1])  # type: ignore[attr-defined]  # 非常不满意: the reasons open


def _help(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("help")


def _setup_pin(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("setup_pin")


# Every state a resident (or a technician at the PIN) reaches without a device doing anything.
STATES: dict[str, Step] = {
    "home": _home,
    "guide": _guide,
    "guide_typing": _guide_typing,
    "guide_detail": _guide_detail,
    "forms": _forms,
    "declare_service": _declare,
    "declare_form": _declare_form,
    "progress": _progress,
    "rating": _rating,
    "rating_low": _rating_low,
    "help": _help,
    "setup_pin": _setup_pin,
}


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    """Widgets the resident can see now: shown, and not clipped away entirely by a scroll area."""
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and not widget.visibleRegion().isEmpty():
            yield widget
