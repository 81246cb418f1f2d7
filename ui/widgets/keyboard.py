"""The resident's on-screen keyboard: big keys inside the screen, letters for pinyin and digits.

Why our own keyboard and not Qt Virtual Keyboard (both tried under Xvfb; screenshots in
docs/screenshots/keyboard-*.png): the VKB panel is a separate
always-on-top QQuickView that covers the lower half of the screen whichever field has focus, its
candidate bar and keys are small and dark and follow none of our normal/elder sizes, it needs an
active X window to appear (no panel at all on the offscreen platform, so no widget test can type
on it), and its half-typed pinyin lives outside our widget tree where a session wipe cannot reach
it. Search does not need hanzi: the catalogue search matches pinyin initials and full pinyin
(offline_cache/search.py), so letters are enough to find "身份证" with "sfz".

Free Chinese text (a name, an address) does need hanzi: `attach_keyboard(field, "chinese")` leaves
such a field to Qt Virtual Keyboard's pinyin engine when the process runs it (QT_IM_MODULE set to
"qtvirtualkeyboard" before the QApplication, on X; see `enable_system_chinese_input`), and otherwise
falls back to our letters layout and says so in the log: there is then no hanzi entry.

Keys never take focus, so the field keeps its cursor; each key inserts into the attached QLineEdit.
Sizes come from the theme's QPushButton rules (≥ 64 px, elder ≥ 88 px).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("kiosk.ui.keyboard")

Layout = Literal["letters", "digits", "chinese"]

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# A telephone-style pad; X because the last character of an ID number may be X.
DIGIT_ROWS = ("123", "456", "789", "X0")

BACKSPACE = "backspace"
CLEAR = "clear"
SWITCH = "switch"


class OnScreenKeyboard(QFrame):
    """A keyboard bound to one QLineEdit. `key_tapped(name)` reports every tap (for activity, tests)."""

    key_tapped = Signal(str)

    def __init__(self, target: QLineEdit, layout: Literal["letters", "digits"] = "letters",
                 parent: QWidget | None = None, *, allow_switch: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(f"keyboard_{target.objectName() or 'field'}")
        self.setProperty("role", "keyboard")
        self.target = target
        self.allow_switch = allow_switch
        self.keys: dict[str, QPushButton] = {}
        self.layout_name: Literal["letters", "digits"] = layout
        self.first_layout: Literal["letters", "digits"] = layout
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 8, 0, 0)
        self._box.setSpacing(8)
        self._page: QWidget | None = None
        self.set_layout(layout)

    def set_layout(self, layout: Literal["letters", "digits"]) -> None:
        """Rebuilds the keys for `layout`; the target field and its text stay."""
        if self._page is not None:
            self._page.hide()
            self._page.deleteLater()
        self.keys = {}
        self.layout_name = layout
        page = QWidget(self)
        page.setObjectName(f"keyboard_page_{layout}")
        if layout == "digits":
            self._build_digits(page)
        else:
            self._build_letters(page)
        self._box.addWidget(page)
        self._page = page

    def _key(self, page: QWidget, name: str, label: str, *, action: bool = False) -> QPushButton:
        button = QPushButton(label, page)
        button.setObjectName(f"key_{name}")
        # The field keeps focus and its cursor; a key is never a tab stop.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(name == BACKSPACE)
        if not action:
            button.setProperty("role", "secondary")
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _checked=False, n=name: self.tap(n))
        self.keys[name] = button
        return button

    def _build_letters(self, page: QWidget) -> None:
        # Three rows, no space bar: search matches pinyin without spaces, and every row saved leaves
        # room for results above the keyboard (4 rows of 88-px keys would take half an elder screen).
        rows = QVBoxLayout(page)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        for index, letters in enumerate(LETTER_ROWS):
            row = QHBoxLayout()
            row.setSpacing(8)
            if index == 2 and self.allow_switch:
                row.addWidget(self._key(page, SWITCH, self.tr("数字 123"), action=True), 3)
            elif index:
                row.addStretch(1)  # the usual stagger, so the rows look like a keyboard
            for letter in letters:
                row.addWidget(self._key(page, letter, letter.upper()), 2)
            if index == 1:
                row.addWidget(self._key(page, BACKSPACE, self.tr("删除"), action=True), 3)
            elif index == 2:
                row.addWidget(self._key(page, CLEAR, self.tr("清空"), action=True), 3)
            rows.addLayout(row)

    def _build_digits(self, page: QWidget) -> None:
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for r, digits in enumerate(DIGIT_ROWS):
            for c, digit in enumerate(digits):
                grid.addWidget(self._key(page, digit, digit), r, c)
        grid.addWidget(self._key(page, BACKSPACE, self.tr("删除"), action=True), 3, 2)
        grid.addWidget(self._key(page, CLEAR, self.tr("清空"), action=True), 0, 3)
        if self.allow_switch:
            grid.addWidget(self._key(page, SWITCH, self.tr("字母 ABC"), action=True), 1, 3)
        # Centre a pad of sensible width rather than stretching digits across a 1920-px screen.
        page.setMaximumWidth(900)
        self._box.setAlignment(Qt.AlignmentFlag.AlignHCenter)

    def tap(self, name: str) -> None:
        """What a key does to the field; public so a test or a hardware key can press one."""
        field = self.target
        if name == BACKSPACE:
            field.backspace()
        elif name == CLEAR:
            field.clear()
        elif name == SWITCH:
            self.set_layout("digits" if self.layout_name == "letters" else "letters")
        else:
            field.insert(name)
        self.key_tapped.emit(name)

    def clear_personal_state(self) -> None:
        """Session end: nothing typed is held here (the field is the screen's to wipe); reset the layout."""
        if self.layout_name != self.first_layout:
            self.set_layout(self.first_layout)


def chinese_input_available() -> bool:
    """True when Qt Virtual Keyboard is this process's input method on a real display."""
    return (
        os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"
        and QGuiApplication.platformName() not in ("offscreen", "minimal", "")
    )


def enable_system_chinese_input() -> bool:
    """Call before the QApplication exists: selects Qt Virtual Keyboard (pinyin) for "chinese" fields.

    Only on X (DISPLAY set, not offscreen) and when the plugin is installed; returns whether it did.
    Fields with our own keyboard attached opt out of the input method, so the VKB panel appears only
    for the fields that asked for Chinese.
    """
    if os.environ.get("QT_QPA_PLATFORM", "xcb") not in ("xcb", "") or not os.environ.get("DISPLAY"):
        return False
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so"
    if not plugin.exists():
        return False
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    return True


def attach_keyboard(line_edit: QLineEdit, layout: Layout = "letters", *,
                    allow_switch: bool = True) -> OnScreenKeyboard | None:
    """Puts a keyboard for `line_edit` at the bottom of the field's parent layout and returns it.

    "chinese" returns None when Qt Virtual Keyboard serves the field (its panel opens on touch);
    without it, a letters keyboard is attached and the field has no hanzi entry.
    """
    if layout == "chinese":
        if chinese_input_available():
            line_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
            return None
        log.info("no Chinese input method (Qt Virtual Keyboard not active); field %s gets letters only",
                 line_edit.objectName())
        layout = "letters"
    # Our keys type into the field; a system input method panel on top would only cover the screen.
    line_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    parent = line_edit.parentWidget()
    keyboard = OnScreenKeyboard(line_edit, layout, parent, allow_switch=allow_switch)
    box = parent.layout() if parent is not None else None
    if isinstance(box, QBoxLayout):
        box.addWidget(keyboard)
    return keyboard


def attach_keyboard_by_name(root: QWidget, object_name: str, layout: Layout = "letters") -> OnScreenKeyboard | None:
    """`attach_keyboard` for the QLineEdit named `object_name` under `root` (e.g. "guide_search_field")."""
    field = root.findChild(QLineEdit, object_name)
    if field is None:
        raise LookupError(f"no QLineEdit named {object_name!r}")
    return attach_keyboard(field, layout)
