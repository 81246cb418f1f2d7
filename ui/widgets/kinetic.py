"""Finger scrolling for scroll areas, and a hint where a strip goes on past the screen's edge."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
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
