"""The resident's hand for the journey harness: finds what a person would look for and touches it there.

A target is found by what a person reads (its text, or the name a screen reader reads out), among the
widgets that are on screen now. A tap goes to the centre of the target in screen coordinates, and only
after `QApplication.widgetAt` confirms that the target (or something inside it) is what lies there:
a button covered by another widget or cut off by the screen's edge cannot be tapped. The event itself
comes from outside the widget tree, as a finger's would:

- a mouse press through the X server (XTEST, tests/ui/journeys/xtest.py): a panel that reports as a mouse;
- a touch through Qt's window-system interface (`QTest.touchEvent` with a touch-screen device): a panel
  that reports touches.

A target inside a scroll area that is not (fully) in view is first brought into view by a slow swipe,
as a person scrolls to a button below the fold.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)

from tests.ui.journeys.checks import seen_rect, viewport_of
from tests.ui.journeys.xtest import XInput

WAIT_S = 15.0
# After a tap, before looking again: the click is handled within a turn or two of the event loop; what
# takes longer (a page built, a worker's answer) is waited for by what the journey looks for next.
TAP_SETTLE_S = 0.06


class JourneyError(Exception):
    """The journey cannot go on: a target is missing, covered, or the screen never got there."""


def shown_text(widget: QWidget) -> str:
    """What a person reads on `widget`, on one line, without markup."""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QLineEdit):
        text = widget.text() or widget.placeholderText()
    else:
        return ""
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.split())


def _matches(widget: QWidget, text: str | None, contains: str | None) -> bool:
    read = shown_text(widget)
    name = " ".join(widget.accessibleName().split())
    if text is not None:
        return text in (read, name)
    assert contains is not None
    return contains in read or contains in name


def actionable(widget: QWidget) -> QWidget:
    """A label inside a button (a tile's title, a result row's name) is tapped as that button."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, QAbstractButton | QLineEdit):
            return current
        current = current.parentWidget()
    return widget


class Hand:
    def __init__(self, window: QWidget, settle: Callable[[float], None]) -> None:
        self.window = window
        self.settle = settle  # runs the kiosk's event loop for that many seconds
        self.touchscreen: QPointingDevice = QTest.createTouchDevice()
        self.x = XInput()
        # Runs before every touch: the driver answers the idle countdown there (see Run.keep_alive).
        self.before_touch: Callable[[], None] = lambda: None

    # --- finding ---------------------------------------------------------------------------------

    def candidates(self, text: str | None = None, *, contains: str | None = None,
                   within: QWidget | None = None, kind: type[QWidget] = QWidget) -> list[QWidget]:
        root = within or self.window
        found: list[QWidget] = []
        for widget in root.findChildren(kind):
            if widget.isVisible() and _matches(widget, text, contains):
                target = actionable(widget)
                if target not in found and target.isVisible():
                    found.append(target)
        return found

    def find(self, text: str | None = None, *, contains: str | None = None, within: QWidget | None = None,
             kind: type[QWidget] = QWidget, wait_s: float = WAIT_S) -> QWidget:
        """The one widget showing `text` (or a text that `contains` it), or the one of them on screen
        when several are shown (a list's rows); waits for it to appear."""
        what = repr(text if text is not None else contains)
        deadline = time.monotonic() + wait_s
        while True:
            found = self.candidates(text, contains=contains, within=within, kind=kind)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                shown = [w for w in found if not seen_rect(w, self.window).isEmpty()]
                if len(shown) == 1:
                    return shown[0]
                raise JourneyError(f"{len(found)} widgets show {what}: say which")
            if time.monotonic() > deadline:
                raise JourneyError(f"nothing on screen shows {what}")
            self.settle(0.05)

    def wait_for(self, what: str, condition: Callable[[], bool], wait_s: float = WAIT_S) -> None:
        deadline = time.monotonic() + wait_s
        while not condition():
            if time.monotonic() > deadline:
                raise JourneyError(f"waited {wait_s:.0f} s for {what}")
            self.settle(0.05)

    # --- where a finger lands ----------------------------------------------------------------------

    def global_rect(self, widget: QWidget) -> QRect:
        return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())

    def still(self, within: QWidget | None = None, wait_s: float = WAIT_S) -> None:
        """Waits until the buttons on screen stop changing (a type-ahead list refilled after the last key),
        as a person looks before tapping a result: a list refilled under the finger takes the tap elsewhere."""
        root = within or self.window

        def shown() -> tuple[tuple[int, str], ...]:
            return tuple((id(w), shown_text(w)) for w in root.findChildren(QAbstractButton) if w.isVisible())

        deadline = time.monotonic() + wait_s
        last, calm = shown(), 0
        while calm < 3:
            if time.monotonic() > deadline:
                raise JourneyError(f"the screen did not stop changing within {wait_s:.0f} s")
            self.settle(0.1)
            now = shown()
            calm = calm + 1 if now == last else 0
            last = now

    def reveal(self, widget: QWidget, *, touch: bool = False) -> None:
        """Swipes the scroll areas above `widget` until all of it is in view (or as much as fits). A swipe
        that did not move the list is tried again, twice, before giving up short of the list's end."""
        stuck = 0
        for _attempt in range(12):
            area = self._clipping_area(widget)
            if area is None:
                return
            viewport = area.viewport()
            seen = self.global_rect(viewport)
            target = self.global_rect(widget)
            if target.top() < seen.top():
                distance = seen.top() - target.top() + 8
            elif target.bottom() > seen.bottom():
                distance = -(target.bottom() - seen.bottom() + 8)
                if target.height() > seen.height():  # taller than the view: its top in view is enough
                    distance = -(target.top() - seen.top() - 8)
            else:
                return
            step = max(-int(seen.height() * 0.6), min(int(seen.height() * 0.6), distance))
            bar = area.verticalScrollBar()
            before = bar.value()
            self.drag(area, QPoint(0, step), touch=touch, flick=False)
            if bar.value() == before:
                at_end = bar.value() <= bar.minimum() if step > 0 else bar.value() >= bar.maximum()
                stuck += 1
                if at_end or stuck > 2:
                    return  # what is not in view now never will be: spot() says so

    def _clipping_area(self, widget: QWidget) -> QAbstractScrollArea | None:
        """The innermost scroll area that does not show all of `widget` vertically."""
        current = widget.parentWidget()
        target = self.global_rect(widget)
        while current is not None and current is not self.window:
            if viewport_of(current):
                seen = self.global_rect(current)
                if target.top() < seen.top() or target.bottom() > seen.bottom():
                    area = current.parentWidget()
                    assert isinstance(area, QAbstractScrollArea)
                    return area
            current = current.parentWidget()
        return None

    def spot(self, widget: QWidget) -> QPoint:
        """The centre of the part of `widget` on screen, checked to be `widget`'s and not covered."""
        seen = seen_rect(widget, self.window)
        if seen.isEmpty():
            raise JourneyError(f"{shown_text(widget) or widget.objectName()!r} is not on screen")
        centre = self.window.mapToGlobal(seen.center())
        screen = self.window.screen().geometry()
        if not screen.contains(centre):
            raise JourneyError(f"{shown_text(widget) or widget.objectName()!r} lies off the screen at "
                               f"({centre.x()}, {centre.y()})")
        under = QApplication.widgetAt(centre)
        if under is None or not (under is widget or widget.isAncestorOf(under)):
            what = shown_text(under) or under.objectName() if under is not None else "nothing"
            raise JourneyError(f"{shown_text(widget) or widget.objectName()!r} is covered at "
                               f"({centre.x()}, {centre.y()}) by {what!r} ({type(under).__name__})")
        return centre

    # --- touching ------------------------------------------------------------------------------------

    def tap(self, target: str | QWidget, *, touch: bool = False, within: QWidget | None = None) -> QWidget:
        """Taps `target` (a widget, or the text on it) with a finger: the mouse, or a touch if `touch`."""
        widget = self.find(target, within=within) if isinstance(target, str) else target
        self.before_touch()
        self.reveal(widget, touch=touch)
        point = self.spot(widget)
        if touch:
            local = self.window.mapFromGlobal(point)
            QTest.touchEvent(self.window, self.touchscreen).press(0, local, self.window).commit()
            self.settle(0.03)
            QTest.touchEvent(self.window, self.touchscreen).release(0, local, self.window).commit()
        else:
            self.click(point)
        self.settle(TAP_SETTLE_S)
        return widget

    def click(self, point: QPoint) -> None:
        self.x.move(point.x(), point.y())
        self.x.press()
        self.settle(0.02)
        self.x.release()

    def tap_at(self, point: QPoint) -> None:
        """A mouse tap at a bare spot of the screen (the technician's corner)."""
        self.click(point)
        self.settle(0.05)

    def hold(self, target: QWidget, check: Callable[[], None]) -> None:
        """Presses `target` and keeps the finger there while `check` runs, then lets go."""
        self.before_touch()
        self.reveal(target)
        point = self.spot(target)
        self.x.move(point.x(), point.y())
        self.x.press()
        self.settle(0.3)
        try:
            check()
        finally:
            self.x.release()
            self.settle(TAP_SETTLE_S)

    def drag(self, area: QAbstractScrollArea, delta: QPoint, *, touch: bool, flick: bool = False) -> None:
        """A finger drag across `area`'s viewport by `delta`: a flick (quick, let go while moving) or a
        slow drag that stops before letting go, so the list stays where the finger left it."""
        self.before_touch()
        start = self.window.mapToGlobal(self.grip(area, delta))
        steps = 12
        if touch:
            origin = self.window.mapFromGlobal(start)
            QTest.touchEvent(self.window, self.touchscreen).press(0, origin, self.window).commit()
            for i in range(1, steps + 1):
                self.settle(0.016)
                QTest.touchEvent(self.window, self.touchscreen).move(0, origin + delta * i / steps,
                                                                       self.window).commit()
            if not flick:
                for _ in range(3):  # the finger rests: no speed left to fling the list on
                    self.settle(0.04)
                    QTest.touchEvent(self.window, self.touchscreen).move(0, origin + delta, self.window).commit()
            QTest.touchEvent(self.window, self.touchscreen).release(0, origin + delta, self.window).commit()
        else:
            self.x.move(start.x(), start.y())
            self.x.press()
            point = start
            for i in range(1, steps + 1):
                self.settle(0.016)
                point = start + delta * i / steps
                self.x.move(point.x(), point.y())
            if not flick:
                for _ in range(3):
                    self.settle(0.04)
                    self.x.move(point.x(), point.y() + 1)
                    self.x.move(point.x(), point.y())
            self.x.release()
        self.settle_scroll(area)

    def grip(self, area: QAbstractScrollArea, delta: QPoint) -> QPoint:
        """Where a finger starts a drag of `delta` in `area` (window coordinates): inside the view, with
        room for the whole drag, on the bare list or a label rather than on a text field (touching a
        field is typing, not scrolling) and, where there is such a spot, not on a button either."""
        seen = seen_rect(area.viewport(), self.window)
        top = seen.top() + max(8, -delta.y())
        bottom = seen.bottom() - max(8, delta.y())
        middle = (top + bottom) // 2
        rows = [middle, *(y for y in range(top, bottom, 24) if y != middle)] if bottom > top else [seen.center().y()]
        columns = [seen.center().x(), seen.right() - 6, seen.left() + 6, seen.left() + seen.width() // 4,
                   seen.left() + 3 * seen.width() // 4]
        fallback: QPoint | None = None
        for y in rows:
            for x in columns:
                point = QPoint(x, y)
                under = QApplication.widgetAt(self.window.mapToGlobal(point))
                if under is None or not area.isAncestorOf(under) or isinstance(under, QLineEdit):
                    continue
                if actionable(under) is under and not isinstance(under, QAbstractButton):
                    return point
                fallback = fallback or point
        if fallback is None:
            raise JourneyError(f"no spot in {area.objectName()!r} to start a swipe that is not a text field")
        return fallback

    def settle_scroll(self, area: QAbstractScrollArea) -> None:
        from PySide6.QtWidgets import QScroller

        scroller = QScroller.scroller(area.viewport())
        self.wait_for("the list to stop moving", lambda: scroller.state() in (
            QScroller.State.Inactive, QScroller.State.Pressed), wait_s=8)
        self.settle(0.05)

    def key(self, name: str) -> None:
        """A key on a hardware keyboard (the demo's F5 / F6 card keys), to the window under the pointer."""
        self.x.key(name)
        self.settle(0.2)

    def let_go(self) -> None:
        """Lifts a finger a failed step may have left down."""
        self.x.release()
