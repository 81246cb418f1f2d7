"""Finger scrolling for scroll areas, text fields that open on a tap (not under a swipe), and a hint where a
strip goes on past the screen's edge."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QScrollBar,
    QScroller,
    QScrollerProperties,
    QWidget,
)


def make_kinetic(area: QAbstractScrollArea) -> None:
    """A finger drag flicks the area like a phone list, wherever it starts (on a button inside too).

    One gesture only, the left-button one: a target holds a single scroller gesture, and grabbing a
    second replaces the first (Qt's QScroller.grabGesture ungrabs the old one), which left panels that
    report as a mouse with no swipe at all. Real touch events reach the same gesture, because Qt turns
    a touch no widget takes into mouse events (AA_SynthesizeMouseForUnhandledTouchEvents, on by default).
    """
    if not isinstance(area.verticalScrollBar(), TouchScrollBar):
        area.setVerticalScrollBar(TouchScrollBar(Qt.Orientation.Vertical, area))
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    # Hand a press to the button under the finger at once: with the default delay a quick tap is held
    # back, and the button shows no press for a quarter second. A drag that follows still scrolls (the
    # scroller then releases the button outside itself, so it does not fire).
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(properties)
    scroller.stateChanged.connect(lambda state: _let_go(viewport, state))
    # A press on the area's blank space gives it no focus (a tab still may): a swipe from between two
    # fields would otherwise take the focus, and the caret, from the field the keyboard types into.
    area.setFocusPolicy(area.focusPolicy() & ~Qt.FocusPolicy.ClickFocus)


class TouchScrollBar(QScrollBar):
    """A scroll bar as wide as a touch target (the theme's sheet sets it) that asks for no more height
    than its width: Qt's own asks for three widths, and a page of scroll areas then wishes to be taller
    than an 800-px screen."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget) -> None:
        super().__init__(orientation, parent)
        # A screen reader offers its Increase/Decrease actions; the name says what they move.
        self.setAccessibleName(QCoreApplication.translate("TouchScrollBar", "上下滚动"))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.orientation() == Qt.Orientation.Vertical:
            return QSize(hint.width(), hint.width())
        return hint


def _let_go(viewport: QWidget, state: QScroller.State) -> None:
    """Once the finger drags the area, the button it landed on is no longer pressed. Qt's scroller means
    to release it by a faked release, but that one misses when the press came as a synthetic event (and
    the button then stays drawn pressed while the list moves)."""
    if state == QScroller.State.Dragging:
        for button in viewport.findChildren(QAbstractButton):
            if button.isDown():
                button.setDown(False)


class TapToType(QObject):
    """A text field that a tap opens, and a swipe passes over: focus (and with it the on-screen keyboard, by
    `tapped`) comes when the finger lifts without having moved past the drag threshold, never at the press.

    Qt focuses a field at the press, before any filter sees it; a swipe that began on a field of a long
    form then focused it and brought the keyboard up over the list being scrolled. So the field takes no
    focus by a click (a tab still reaches it) and its presses are held here: the scroller's gesture has
    seen them already (gestures are recognised before event filters), so the swipe scrolls all the same.
    """

    tapped = Signal()

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self.setObjectName(f"{field.objectName()}_tap")
        self.field = field
        self._start: QPointF | None = None
        self._dragged = False
        self._watched: set[int] = set()
        field.setFocusPolicy(field.focusPolicy() & ~Qt.FocusPolicy.ClickFocus)
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.field or not isinstance(event, QMouseEvent):
            return False
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            if event.button() != Qt.MouseButton.LeftButton:
                return False
            # A quick second tap arrives as a double click: it is a tap like the first.
            self._start = event.globalPosition()
            self._dragged = False
            self._follow_scroller()
            return True
        if self._start is None:
            return False
        if kind == QEvent.Type.MouseMove:
            if self._moved_away(event):
                self._dragged = True
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            tap = not self._dragged and not self._moved_away(event)
            self._start = None
            if tap:
                self._tap(event.position())
            return True
        return False

    def _moved_away(self, event: QMouseEvent) -> bool:
        assert self._start is not None
        delta = event.globalPosition() - self._start
        return math.hypot(delta.x(), delta.y()) > drag_threshold(self.field)

    def _follow_scroller(self) -> None:
        """Once the area's scroller drags, this press is a swipe, however the finger then ends."""
        widget = self.field.parentWidget()
        while widget is not None and not QScroller.hasScroller(widget):
            widget = widget.parentWidget()
        if widget is None:
            return
        scroller = QScroller.scroller(widget)
        if id(scroller) not in self._watched:
            self._watched.add(id(scroller))
            scroller.stateChanged.connect(self._scroller_state)

    def _scroller_state(self, state: QScroller.State) -> None:
        if self._start is not None and state == QScroller.State.Dragging:
            self._dragged = True

    def _tap(self, position: QPointF) -> None:
        field = self.field
        field.setFocus(Qt.FocusReason.MouseFocusReason)
        field.deselect()
        field.setCursorPosition(field.cursorPositionAt(position.toPoint()))
        self.tapped.emit()


def tap_to_type(field: QLineEdit) -> TapToType:
    """The field's `TapToType`, made on first use: connect what a tap opens to its `tapped`."""
    existing = field.findChild(TapToType, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return existing if existing is not None else TapToType(field)


def drag_threshold(widget: QWidget) -> float:
    """How far (px) a finger moves before it drags: the scroller's own start distance (5 mm) on this screen,
    so what the scroller takes for a drag is never also a tap; never under the platform's drag distance."""
    metres = QScrollerProperties().scrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance)
    screen = widget.screen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
    return max(float(QGuiApplication.styleHints().startDragDistance()), float(metres) / 0.0254 * dpi)


class EdgeHint(QObject):
    """A "更多 ›" tag over the right edge of a horizontal strip while more of it lies beyond, and a "‹"
    over the left edge once it has been swiped: a row of buttons cut by the screen's edge otherwise
    looks complete. The tags let touches through to the strip."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        viewport = area.viewport()
        # Children of the area, over its viewport, not of the viewport: screens' sheets make whatever sits
        # inside a viewport transparent, and a tag must be seen.
        self.more = QLabel(area)
        self.more.setObjectName(f"{area.objectName()}_more_hint")
        self.back = QLabel("‹", area)
        self.back.setObjectName(f"{area.objectName()}_back_hint")
        for tag in (self.more, self.back):
            tag.setProperty("role", "scrollHint")
            tag.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            tag.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tag.hide()
        self._retranslate()
        bar = area.horizontalScrollBar()
        bar.valueChanged.connect(self.update)
        bar.rangeChanged.connect(self.update)
        viewport.installEventFilter(self)

    def _retranslate(self) -> None:
        self.more.setText(QCoreApplication.translate("EdgeHint", "更多 ›"))

    def update(self) -> None:
        shown = self.area.viewport().geometry()
        bar = self.area.horizontalScrollBar()
        for tag, visible, at_right in ((self.more, bar.value() < bar.maximum(), True),
                                       (self.back, bar.value() > bar.minimum(), False)):
            width = tag.sizeHint().width()
            tag.setGeometry(shown.right() + 1 - width if at_right else shown.left(), shown.top(), width, shown.height())
            tag.setVisible(visible)
            tag.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self._retranslate()
        if kind in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LanguageChange,
                    QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.update()
        return False
