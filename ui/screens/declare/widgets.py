"""Small building blocks the declaration wizard's pages share: buttons, a touch-scrolled column,
and one on-screen keyboard that follows whichever field the resident touched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import bilingual
from ui.i18n.texts import keep_made
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.kinetic import make_kinetic, tap_to_type

KeyboardKind = Literal["letters", "digits", "chinese"]


def button(parent: QWidget, name: str, text: str, slot: Callable[..., Any] | None = None, *,
           secondary: bool = False) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setObjectName(name)
    if secondary:
        widget.setProperty("role", "secondary")
    if slot is not None:
        widget.clicked.connect(slot)
    return widget


def clear_layout(layout: QVBoxLayout | QHBoxLayout) -> None:
    """Removes and deletes every widget and sub-layout now (a wipe must leave nothing readable)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
            continue
        child = item.layout()
        if isinstance(child, (QVBoxLayout, QHBoxLayout)):
            clear_layout(child)


class ScrollColumn(QScrollArea):
    """A vertical column of widgets that a finger drags; `column` is the layout to fill."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("declareScroll", True)  # the screen's sheet makes it show the page's background
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget(self)
        self.body.setObjectName(f"{name}_body")
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 16, 0)
        self.column.setSpacing(10)
        self.setWidget(self.body)
        make_kinetic(self)

    def sizeHint(self) -> QSize:
        # A scroll area wishes for all its content (up to 24 lines, measured once and then kept); on a
        # fixed 800-px screen it takes the room the page gives it, so it must not make the window wish to
        # be taller than the screen: in elder type with a keyboard up, 240 px of wish was already too much.
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), 120))

    def reveal(self, widget: QWidget) -> None:
        """Scrolls `widget` into view once the layout has placed it (a message shown this turn included)."""
        QTimer.singleShot(0, lambda: self._reveal_now(widget))

    def _reveal_now(self, widget: QWidget) -> None:
        try:
            if widget.isVisible() and self.body.isAncestorOf(widget):
                self.ensureWidgetVisible(widget, 0, 12)
        except RuntimeError:
            pass  # deleted by a wipe in the meantime


class KeyboardDock(QWidget):
    """One keyboard for a page: it types into the last field touched, in the layout that field wants.

    Text fields that need hanzi (kind "chinese") open on pinyin with its candidate bar and can switch
    to handwriting; letters fields can switch to Chinese too; digit fields get the digit pad. The 收起键盘
    button sits beside the keys, not above them, with the keyboard's 中文 / 手写 / ABC keys over it: on an
    800-px screen every row the keyboard takes is a row of the form lost. For the same reason the digit
    pad (four rows of elder keys would leave a line of form) stands beside the fields when the page gives
    its `work` layout (the fields and this dock) on a landscape screen: letters, and in portrait the pad
    too, go below them.
    `toggled(up)` lets the screen free room (title, bottom bar) while it is up.
    """

    toggled = Signal(bool)
    opened_for = Signal(QWidget)  # the field it now types into

    def __init__(self, parent: QWidget, name: str, work: QBoxLayout | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._work = work
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(16)
        self.keyboard: OnScreenKeyboard | None = None
        self._kinds: dict[QLineEdit, KeyboardKind] = {}
        self._side: QBoxLayout | None = None  # the mode keys and 收起键盘, beside the keys or above them
        self.hide_button = button(self, f"{name}_hide", "", self.close_keyboard, secondary=True)
        keep_made(self.hide_button, lambda: bilingual(self.tr("收起键盘"), "Hide keyboard", "\n"))
        # Like the keys: the field keeps focus, so hiding this button hands focus to no field (which
        # would open the keyboard again).
        self.hide_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._closing = False
        self.hide()

    def watch(self, field: QLineEdit, kind: KeyboardKind) -> None:
        """`field` opens this keyboard (in `kind`) when tapped; a swipe that starts on it only scrolls."""
        first = field not in self._kinds
        self._kinds[field] = kind
        # Our keys type into the field; a system input method panel on top would only cover the page.
        field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        if first:
            tap_to_type(field).tapped.connect(lambda f=field: self._tapped(f))
            field.installEventFilter(self)

    def _tapped(self, field: QLineEdit) -> None:
        if field in self._kinds and not self._closing:
            self.open_for(field)

    def forget(self, field: QLineEdit) -> None:
        self._kinds.pop(field, None)
        if self.keyboard is not None and self.keyboard.target is field:
            self.close_keyboard()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in self._kinds and not self._closing and (
                isinstance(event, QFocusEvent) and event.type() == QEvent.Type.FocusIn
                and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)):
            # Tabbing to the field (a tap comes by `_tapped`): not focus handed on by Qt when 收起键盘
            # (focused) hides, which would bring the keyboard straight back.
            assert isinstance(watched, QLineEdit)
            self.open_for(watched)
        return super().eventFilter(watched, event)

    def open_for(self, field: QLineEdit) -> None:
        kind = self._kinds.get(field, "letters")
        if self.keyboard is None:
            # One keyboard for every kind of field, so it has the Chinese bar even if a digit field
            # opened it first.
            self.keyboard = OnScreenKeyboard(field, kind, self, hanzi=True)
            self.keyboard.key_tapped.connect(lambda name: self._arrange() if name == "switch" else None)
            self._box.addWidget(self.keyboard, 1)
            # The keyboard's 中文 / 手写 / ABC keys stand above 收起键盘, in the room beside the keys, so a
            # letters field needs no extra row for them.
            side = QBoxLayout(QBoxLayout.Direction.TopToBottom)
            side.setSpacing(8)
            side.addStretch(1)
            self.keyboard.move_mode_keys(side)
            side.addWidget(self.hide_button, 0, Qt.AlignmentFlag.AlignRight)
            self._box.addLayout(side)
            self._side = side
        self.keyboard.target = field
        page = self.keyboard.home_page(kind)
        if self.keyboard.layout_name != page:
            self.keyboard.set_layout(page)
        self.keyboard.first_layout = page
        self._arrange()
        if not self.is_up:
            # First, so the screen frees its room before the keys claim theirs: the other order grows the
            # window past the screen for a moment.
            self.toggled.emit(True)
        self.show()
        self.opened_for.emit(field)

    def _arrange(self) -> None:
        # On a portrait screen the height is there and the width is not: the keys take the whole width
        # under the fields, with the mode keys and 收起键盘 in a row above them.
        landscape = getattr(self.window(), "orientation", "landscape") == "landscape"
        pad = (self.keyboard is not None and self.keyboard.layout_name == "digits" and self._work is not None
               and landscape)
        if not landscape:
            self._box.setDirection(QBoxLayout.Direction.BottomToTop)
        else:
            self._box.setDirection(QBoxLayout.Direction.TopToBottom if pad else QBoxLayout.Direction.LeftToRight)
        if self._side is not None:
            self._side.setDirection(QBoxLayout.Direction.TopToBottom if landscape else QBoxLayout.Direction.LeftToRight)
        if self._work is not None:
            self._work.setDirection(QBoxLayout.Direction.LeftToRight if pad else QBoxLayout.Direction.TopToBottom)
            self._work.setStretchFactor(self, 2 if pad else 0)
        if self.keyboard is not None:
            self.keyboard.set_wide_digits(not landscape)

    def set_orientation(self, _orientation: str) -> None:
        """The screen turned (ui/screen_fit.py; the window holds the new name): the keys take its
        arrangement now, not when a field is next touched."""
        if self.keyboard is not None:
            self._arrange()

    @property
    def is_up(self) -> bool:
        return not self.isHidden()
    def close_keyboard(self) -> None:
        if self.keyboard is not None:
            self.keyboard.clear_personal_state()
        was_up = self.is_up
        self._closing = True
        try:
            self.hide()
        finally:
            self._closing = False
        if was_up:
            self.toggled.emit(False)
