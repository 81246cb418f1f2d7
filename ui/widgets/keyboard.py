"""The resident's on-screen keyboard: big keys inside the screen, digits, letters and Chinese entry.

Why our own keyboard and not Qt Virtual Keyboard (both tried under Xvfb): the VKB panel is a separate
always-on-top QQuickView that covers the lower half of the screen whichever field has focus, its
candidate bar and keys are small and dark and follow none of our normal/elder sizes, it needs an
active X window to appear (no panel at all on the offscreen platform, so no widget test can type
on it), and its half-typed pinyin lives outside our widget tree where a session wipe cannot reach it.

Chinese entry is therefore ours too, on well-kept engines bound in `ui.input`: pinyin through libpinyin
(words and characters, most frequent first) and handwriting through zinnia, both feeding one candidate
bar above the keys, sized by the theme like every key. A keyboard for a field that may hold Chinese
("chinese", and "letters", which can switch to 中文) carries that bar with its mode keys (拼音 / 手写 /
ABC); a "digits" pad for a number field has none. When an engine is missing the keyboard offers what is
left and the bar says so in plain words; the log says which file was missing.

Keys never take focus, so the field keeps its cursor; each key inserts into the attached QLineEdit.
Sizes come from the theme's QPushButton rules (≥ 64 px, elder ≥ 88 px).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import QT_TRANSLATE_NOOP
from ui.i18n.texts import keep, retranslate_kept
from ui.input import handwriting, pinyin
from ui.input.clib import EngineUnavailable
from ui.input.handwriting import HandwritingRecognizer
from ui.input.pinyin import PinyinComposer, PinyinLibrary

log = logging.getLogger("kiosk.ui.keyboard")

Layout = Literal["letters", "digits", "chinese"]
Page = Literal["letters", "digits", "pinyin", "handwriting"]

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# A telephone-style pad; X because the last character of an ID number may be X.
DIGIT_ROWS = ("123", "456", "789", "X0")

BACKSPACE = "backspace"
CLEAR = "clear"
SWITCH = "switch"
UNDO_STROKE = "undo_stroke"
REWRITE = "rewrite"
PAGE_PREV = "page_prev"
PAGE_NEXT = "page_next"
CANDIDATE = "candidate"
MODE_KEYS: dict[Page, str] = {"pinyin": "mode_pinyin", "handwriting": "mode_handwriting", "letters": "mode_letters"}
# The action keys' labels, kept on the keys to be translated again on LanguageChange.
_DELETE = QT_TRANSLATE_NOOP("OnScreenKeyboard", "删除")
_CLEAR = QT_TRANSLATE_NOOP("OnScreenKeyboard", "清空")
_DIGITS = QT_TRANSLATE_NOOP("OnScreenKeyboard", "数字 123")
_UNDO = QT_TRANSLATE_NOOP("OnScreenKeyboard", "撤销一笔")
_REWRITE = QT_TRANSLATE_NOOP("OnScreenKeyboard", "重写")
_PINYIN = QT_TRANSLATE_NOOP("OnScreenKeyboard", "中文 拼音")
_LETTERS = QT_TRANSLATE_NOOP("OnScreenKeyboard", "字母 ABC")


@dataclass(frozen=True)
class ChineseEngines:
    """The engines a keyboard may use; None for one that could not be loaded."""

    pinyin: PinyinLibrary | None
    handwriting: HandwritingRecognizer | None


def load_chinese_engines(pinyin_library: str = pinyin.LIBRARY, pinyin_data: Path | None = None,
                         handwriting_library: str = handwriting.LIBRARY,
                         handwriting_model: Path = handwriting.MODEL) -> ChineseEngines:
    """Loads both engines; a missing one is logged once here and left out (the keyboard says so)."""
    words: PinyinLibrary | None = None
    strokes: HandwritingRecognizer | None = None
    try:
        words = PinyinLibrary(pinyin_library, pinyin_data)
    except EngineUnavailable as exc:
        log.warning("pinyin entry unavailable, fields offer no pinyin: %s", exc)
    try:
        strokes = HandwritingRecognizer(handwriting_library, handwriting_model)
    except EngineUnavailable as exc:
        log.warning("handwriting entry unavailable, fields offer no handwriting: %s", exc)
    return ChineseEngines(words, strokes)


@functools.cache
def default_engines() -> ChineseEngines:
    """The installed engines, loaded on first use and shared: they hold no one's input (see ui.input)."""
    return load_chinese_engines()


class _ElidedLabel(QLabel):
    """One line that never widens the keyboard: text too long for the room is cut with "…" on the side
    `elide` names (the left for pinyin, whose end was just typed)."""

    def __init__(self, parent: QWidget, name: str, elide: Qt.TextElideMode) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("keyRole", name.removeprefix("keyboard_"))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._elide = elide

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), self._elide, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class _WordKey(QPushButton):
    """A key with a word on it (数字 123, 删除, 清空): never narrower than its word. A row shares its width
    by the keys' stretch, and the theme's minimum is a letter key's: in elder type beside the mode keys
    数字 123 came out a few pixels short and lost its edges. The letter keys give way instead."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._hold_word()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # After the theme's sheet (elder mode) set its own minimum and type size.
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._hold_word()

    def _hold_word(self) -> None:
        self.setMinimumWidth(0)
        self.ensurePolished()
        self.setMinimumWidth(self.sizeHint().width())


class CandidateBar(QWidget):
    """The row above the keys: what is being composed, as many candidates as fit, ‹ ›, and a hint or a
    notice when nothing is being composed. `chosen(index)` gives the index into the whole list."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard_candidate_bar")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        # The composing text takes what the candidates leave; the hint stands in for both when idle.
        self.preedit = _ElidedLabel(self, "keyboard_preedit", Qt.TextElideMode.ElideLeft)
        self.hint = _ElidedLabel(self, "keyboard_hint", Qt.TextElideMode.ElideRight)
        self._row.addWidget(self.preedit, 1)
        self._row.addWidget(self.hint, 1)
        self._slots = QHBoxLayout()
        self._slots.setSpacing(8)
        self._row.addLayout(self._slots)
        self.buttons: list[QPushButton] = []
        self.prev_button = self._button(PAGE_PREV, "‹")
        self.next_button = self._button(PAGE_NEXT, "›")
        self._row.addWidget(self.prev_button)
        self._row.addWidget(self.next_button)
        self.modes = QHBoxLayout()  # mode keys at the right end; they step aside for candidates
        self.modes.setSpacing(8)
        self._row.addLayout(self.modes)
        self.mode_keys: dict[str, QPushButton] = {}
        self.modes_inline = True
        self.current_mode = ""
        self.candidates: list[str] = []
        self.page_start = 0
        self.shown = 0
        self._starts: list[int] = []
        self._composing = ""
        self.show_candidates("", [])

    def _button(self, name: str, label: str) -> QPushButton:
        button = QPushButton(label, self)
        button.setObjectName(f"key_{name}")
        button.setProperty("keyRole", "candidate")
        button.setProperty("role", "secondary")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def add_mode_key(self, name: str, button: QPushButton) -> None:
        self.modes.addWidget(button)
        self.mode_keys[name] = button

    def move_mode_keys(self, layout: QBoxLayout) -> None:
        """Puts the mode keys in `layout` (a column beside the keys) instead of this row's right end."""
        for button in self.mode_keys.values():
            layout.addWidget(button)
        self.modes_inline = False
        self._fill()

    def show_candidates(self, composing: str, candidates: list[str]) -> None:
        """Shows `candidates` from the first page; `composing` (letters or picked hanzi) at the left."""
        self._composing = composing
        self.candidates = candidates
        self.page_start = 0
        self._starts = []
        self._fill()

    def next_page(self) -> None:
        if self.page_start + self.shown < len(self.candidates):
            self._starts.append(self.page_start)
            self.page_start += self.shown
            self._fill()

    def previous_page(self) -> None:
        if self._starts:
            self.page_start = self._starts.pop()
            self._fill()

    def page(self) -> list[str]:
        """The candidates on screen now, left to right."""
        return self.candidates[self.page_start:self.page_start + self.shown]

    def _fill(self) -> None:
        """Puts as many candidates on the page as the width allows (at least one): a long word takes the
        room of several characters, and elder type fits fewer, so pages are measured, not counted."""
        composing = bool(self.candidates)
        self.preedit.setVisible(composing)
        self.hint.setVisible(not composing)
        self.prev_button.setVisible(composing)
        self.next_button.setVisible(composing)
        for name, button in self.mode_keys.items():
            button.setVisible((not composing or not self.modes_inline) and name != self.current_mode
                              and self.current_mode != "digits")
        self.preedit.setText(self._composing)
        room = self._room()
        used, shown = 0, 0
        for index, text in enumerate(self.candidates[self.page_start:]):
            button = self._slot(index)
            button.setText(text)
            button.ensurePolished()
            width = button.sizeHint().width() + self._slots.spacing()
            if shown and used + width > room:
                break
            used += width
            shown += 1
        self.shown = shown
        for index, button in enumerate(self.buttons):
            button.setVisible(index < shown)
        self.prev_button.setEnabled(bool(self._starts))
        self.next_button.setEnabled(self.page_start + shown < len(self.candidates))

    def _room(self) -> int:
        """The width the candidate slots may take: the bar's, less everything else on it."""
        others = self._row.spacing() * 4 + (self.modes.sizeHint().width() if self.modes_inline else 0)
        for widget in (self.prev_button, self.next_button):
            widget.ensurePolished()
            others += widget.sizeHint().width()
        # Pinyin being composed keeps a fifth of the bar: enough for a few syllables at elder size.
        reserve = self.width() // 5 if self._composing else 0
        return max(0, self.width() - others - reserve)

    def _slot(self, index: int) -> QPushButton:
        while index >= len(self.buttons):
            slot = len(self.buttons)
            button = self._button(f"{CANDIDATE}_{slot}", "")
            button.hide()
            button.clicked.connect(lambda _checked=False, i=slot: self.chosen.emit(self.page_start + i))
            self._slots.addWidget(button)
            self.buttons.append(button)
        return self.buttons[index]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.candidates:
            self._fill()


class HandwritingPad(QWidget):
    """Where a resident writes one character with a finger. The square 田字格 in its middle is the
    writing box (the grid every Chinese schoolchild learns on); points go to the recogniser in the box's
    own coordinates, so a pad wider than tall does not squash the character."""

    stroke_finished = Signal()

    # Sampling every few pixels, as the zinnia notes measured, keeps a stroke's shape at a fraction of
    # the points a moving finger reports.
    MIN_STEP = 4

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard_handwriting_pad")
        self.setAccessibleName(self.tr("手写板"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.strokes: list[list[tuple[int, int]]] = []
        self._drawing = False

    def box(self) -> QRect:
        side = max(1, min(self.width(), self.height()) - 8)
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def box_strokes(self) -> list[list[tuple[int, int]]]:
        """The strokes in the writing box's coordinates (top-left origin)."""
        box = self.box()
        return [[(x - box.x(), y - box.y()) for x, y in stroke] for stroke in self.strokes]

    def undo(self) -> bool:
        if not self.strokes:
            return False
        self.strokes.pop()
        self.update()
        return True

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            point = event.position().toPoint()
            self.strokes.append([(point.x(), point.y())])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing and self.strokes:
            point = event.position().toPoint()
            last_x, last_y = self.strokes[-1][-1]
            if abs(point.x() - last_x) + abs(point.y() - last_y) >= self.MIN_STEP:
                self.strokes[-1].append((point.x(), point.y()))
                self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._drawing = False
            point = event.position().toPoint()
            if self.strokes[-1][-1] != (point.x(), point.y()):
                self.strokes[-1].append((point.x(), point.y()))
            self.update()
            self.stroke_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().color(self.foregroundRole())
        box = self.box()
        guide = QPen(colour, 1, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        painter.drawLine(box.center().x(), box.top(), box.center().x(), box.bottom())
        painter.drawLine(box.left(), box.center().y(), box.right(), box.center().y())
        painter.setPen(QPen(colour, 2))
        painter.drawRect(box)
        ink = QPen(colour, max(6, box.width() // 40), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(ink)
        for stroke in self.strokes:
            points = [QPoint(x, y) for x, y in stroke]
            if len(points) == 1:
                painter.drawPoint(points[0])
            else:
                painter.drawPolyline(points)
        painter.end()


_NO_LIMIT = (1 << 24) - 1  # Qt's QWIDGETSIZE_MAX, which PySide6 does not export


class OnScreenKeyboard(QFrame):
    """A keyboard bound to one QLineEdit. `key_tapped(name)` reports every tap (for activity, tests)."""

    key_tapped = Signal(str)

    def __init__(self, target: QLineEdit, layout: Layout = "letters", parent: QWidget | None = None, *,
                 allow_switch: bool = True, hanzi: bool = True, engines: ChineseEngines | None = None) -> None:
        """`hanzi` gives the keyboard its candidate bar and Chinese modes unless it is a digit pad that
        cannot switch; `hanzi=False` keeps a "letters" keyboard to plain letters (a technician's path)."""
        super().__init__(parent)
        self.setObjectName(f"keyboard_{target.objectName() or 'field'}")
        self.setProperty("role", "keyboard")
        self._target = target
        self.allow_switch = allow_switch
        self.keys: dict[str, QPushButton] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 8, 0, 0)
        self._box.setSpacing(8)
        wants_hanzi = layout == "chinese" or (hanzi and (layout != "digits" or allow_switch))
        self.engines = (engines or default_engines()) if wants_hanzi else ChineseEngines(None, None)
        self.composer: PinyinComposer | None = self.engines.pinyin.composer() if self.engines.pinyin else None
        self.bar: CandidateBar | None = None
        self.pad: HandwritingPad | None = None
        self._mode_keys: dict[str, QPushButton] = {}
        self._bar_keys: dict[str, QPushButton] = {}  # paging and mode keys: kept across pages
        self._page: QWidget | None = None
        self.layout_name: Page = "letters"
        self.wide_digits = False
        if wants_hanzi:
            self._build_bar()
        self.first_layout: Page = self.home_page(layout)
        self.set_layout(self.first_layout)

    # --- pages ------------------------------------------------------------------------------------

    def home_page(self, layout: Layout) -> Page:
        """The page a field of kind `layout` starts on: pinyin for Chinese, else handwriting, else letters."""
        if layout == "digits":
            return "digits"
        if layout == "chinese":
            if self.composer is not None:
                return "pinyin"
            if self.engines.handwriting is not None:
                return "handwriting"
            log.info("field %s wants Chinese; no engine is loaded, it gets letters", self._target.objectName())
        return "letters"

    @property
    def target(self) -> QLineEdit:
        return self._target

    @target.setter
    def target(self, field: QLineEdit) -> None:
        """Following another field drops what was half-written for the last one."""
        if field is not self._target:
            self._reset_composition()
        self._target = field

    @property
    def composing(self) -> bool:
        """Pinyin typed or strokes drawn that are not yet in the field."""
        return bool(self.composer and self.composer.active) or bool(self.pad and self.pad.strokes)

    def set_layout(self, layout: Layout | Page) -> None:
        """Rebuilds the keys for `layout` (a field kind or a page); the target field and its text stay.

        What was half-typed in pinyin goes into the field as the letters typed, as a phone keyboard does
        when one leaves pinyin; half-written strokes are dropped."""
        page_name: Page = self.home_page(layout) if layout == "chinese" else layout
        if page_name == "handwriting":
            self._reset_composition()  # letters meant as pinyin are no use to one who turns to writing
        else:
            self._finish_as_typed()
        if self._page is not None:
            self._page.hide()
            self._page.deleteLater()
        self.keys = dict(self._bar_keys)
        self.pad = None
        self.layout_name = page_name
        page = QWidget(self)
        page.setObjectName(f"keyboard_page_{page_name}")
        if page_name == "digits":
            self._build_digits(page)
        elif page_name == "handwriting":
            self._build_handwriting(page)
        else:
            self._build_letters(page)
        self._box.addWidget(page)
        self._page = page
        if page_name == "digits":
            self._shape_digits()
        self._update_bar()

    def set_wide_digits(self, wide: bool) -> None:
        """On a portrait screen the digit pad takes the keyboard's whole width, as the letters do, with
        keys taller than elder targets (the theme's `portrait_pad_key_px`): at its natural size, centred,
        it was a small block of 64-px keys under a 1080-px form. Landscape keeps the compact pad, which
        stands beside the fields there."""
        if wide != self.wide_digits:
            self.wide_digits = wide
            if self.layout_name == "digits":
                self._shape_digits()

    def _shape_digits(self) -> None:
        page = self._page
        if page is None:
            return
        wide = self.wide_digits
        # Landscape: centred at a sensible width rather than stretched across a 1920-px screen.
        page.setMaximumWidth(_NO_LIMIT if wide else 900)
        self._box.setAlignment(page, Qt.AlignmentFlag(0) if wide else Qt.AlignmentFlag.AlignHCenter)
        page.setProperty("wide", wide)
        # The keys' height comes from the sheet, by the page's property: read it again.
        for widget in (page, *page.findChildren(QPushButton)):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        page.updateGeometry()

    def _key(self, page: QWidget, name: str, label: str, *, action: bool = False) -> QPushButton:
        """An action key's `label` is a source marked with QT_TRANSLATE_NOOP("OnScreenKeyboard", ...), kept
        for LanguageChange; a character key's is the character."""
        button = _WordKey(page) if action else QPushButton(page)
        if action:
            keep(button, "OnScreenKeyboard", label)
        else:
            button.setText(label)
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

    def _build_bar(self) -> None:
        bar = CandidateBar(self)
        bar.chosen.connect(self.choose)
        bar.prev_button.clicked.connect(lambda: self.tap(PAGE_PREV))
        bar.next_button.clicked.connect(lambda: self.tap(PAGE_NEXT))
        self._bar_keys = {PAGE_PREV: bar.prev_button, PAGE_NEXT: bar.next_button}
        for page_name, name in MODE_KEYS.items():
            if (page_name == "pinyin" and self.composer is None) or (
                    page_name == "handwriting" and self.engines.handwriting is None) or (
                    page_name == "letters" and self.composer is None and self.engines.handwriting is None):
                continue
            button = QPushButton(bar)
            button.setObjectName(f"key_{name}")
            button.setProperty("keyRole", "mode")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, n=name: self.tap(n))
            bar.add_mode_key(name, button)
            self._mode_keys[name] = button
        self._bar_keys.update(self._mode_keys)
        self._box.addWidget(bar)
        # The bar's own height is the gap above the keys; the usual top margin would only take a row's room.
        self._box.setContentsMargins(0, 0, 0, 0)
        self.bar = bar

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
                row.addWidget(self._key(page, SWITCH, _DIGITS, action=True), 3)
            elif index:
                row.addStretch(1)  # the usual stagger, so the rows look like a keyboard
            for letter in letters:
                row.addWidget(self._key(page, letter, letter.upper()), 2)
            if index == 1:
                row.addWidget(self._key(page, BACKSPACE, _DELETE, action=True), 3)
            elif index == 2:
                row.addWidget(self._key(page, CLEAR, _CLEAR, action=True), 3)
            rows.addLayout(row)

    def _build_digits(self, page: QWidget) -> None:
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for r, digits in enumerate(DIGIT_ROWS):
            for c, digit in enumerate(digits):
                grid.addWidget(self._key(page, digit, digit), r, c)
        grid.addWidget(self._key(page, BACKSPACE, _DELETE, action=True), 3, 2)
        grid.addWidget(self._key(page, CLEAR, _CLEAR, action=True), 0, 3)
        if self.allow_switch:
            back = _PINYIN if self.first_layout == "pinyin" else _LETTERS
            grid.addWidget(self._key(page, SWITCH, back, action=True), 1, 3)

    def _build_handwriting(self, page: QWidget) -> None:
        # The pad as tall as three rows of keys, so switching to it does not move the screen above.
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        pad = HandwritingPad(page)
        pad.stroke_finished.connect(self._recognise)
        row.addWidget(pad, 3)
        grid = QGridLayout()
        grid.setSpacing(8)
        grid.addWidget(self._key(page, UNDO_STROKE, _UNDO, action=True), 0, 0)
        grid.addWidget(self._key(page, REWRITE, _REWRITE, action=True), 1, 0)
        if self.allow_switch:
            grid.addWidget(self._key(page, SWITCH, _DIGITS, action=True), 2, 0)
        grid.addWidget(self._key(page, BACKSPACE, _DELETE, action=True), 0, 1)
        grid.addWidget(self._key(page, CLEAR, _CLEAR, action=True), 1, 1)
        row.addLayout(grid, 2)
        self.pad = pad

    # --- what keys do -----------------------------------------------------------------------------

    def tap(self, name: str) -> None:
        """What a key does to the field; public so a test or a hardware key can press one."""
        field = self._target
        composer = self.composer if self.layout_name == "pinyin" else None
        if name == BACKSPACE:
            # Pinyin being typed is edited before the field: a slip costs one letter, not a word.
            if composer is None or not composer.backspace():
                field.backspace()
            self._update_bar()
        elif name == CLEAR:
            self._reset_composition()
            field.clear()
        elif name == SWITCH:
            self.set_layout("digits" if self.layout_name != "digits" else self._text_page())
        elif name in (PAGE_PREV, PAGE_NEXT) and self.bar is not None:
            if name == PAGE_NEXT:
                self.bar.next_page()
            else:
                self.bar.previous_page()
        elif name in self._mode_keys:
            self.set_layout(next(p for p, n in MODE_KEYS.items() if n == name))
        elif name == UNDO_STROKE and self.pad is not None:
            self.pad.undo()
            self._recognise()
        elif name == REWRITE and self.pad is not None:
            self.pad.clear()
            self._update_bar()
        elif composer is not None and len(name) == 1 and name.isalpha():
            composer.type(name)
            self._update_bar()
        else:
            field.insert(name)
        self.key_tapped.emit(name)

    def choose(self, index: int) -> None:
        """Takes candidate `index` of the bar's list: into the field when the word is complete."""
        if self.bar is None or not 0 <= index < len(self.bar.candidates):
            return
        if self.layout_name == "pinyin" and self.composer is not None:
            text = self.composer.choose(index)
            if text is not None:
                self._target.insert(text)
        else:
            self._target.insert(self.bar.candidates[index])
            if self.pad is not None:
                self.pad.clear()
        self._update_bar()
        self.key_tapped.emit(CANDIDATE)

    def _recognise(self) -> None:
        if self.bar is None or self.pad is None or self.engines.handwriting is None:
            return
        box = self.pad.box()
        found = self.engines.handwriting.classify(self.pad.box_strokes(), box.width(), box.height())
        self.bar.show_candidates("", found)

    def _text_page(self) -> Page:
        return self.first_layout if self.first_layout != "digits" else "letters"

    def _finish_as_typed(self) -> None:
        if self.composer is not None and self.composer.active:
            self._target.insert(self.composer.preedit)
        self._reset_composition()

    def _reset_composition(self) -> None:
        if self.composer is not None:
            self.composer.reset()
        if self.pad is not None:
            self.pad.clear()
        if self.bar is not None:
            self.bar.show_candidates("", [])

    def _update_bar(self) -> None:
        bar = self.bar
        if bar is None:
            return
        # On the letters page the bar holds only its mode keys and a hint: where the keys stand
        # elsewhere (beside the keyboard), the row is left out and the screen keeps its room.
        bar.setVisible(self.layout_name in ("pinyin", "handwriting") or (
            self.layout_name == "letters" and (bar.modes_inline or not bar.mode_keys)))
        bar.current_mode = MODE_KEYS.get(self.layout_name, self.layout_name)
        if self.layout_name == "pinyin" and self.composer is not None:
            bar.show_candidates(self.composer.preedit, self.composer.candidates)
        elif self.layout_name == "handwriting":
            if self.pad is None or not self.pad.strokes:
                bar.show_candidates("", [])
        else:
            bar.show_candidates("", [])
        self._retranslate_bar()

    def _retranslate_bar(self) -> None:
        if self.bar is None:
            return
        labels = {"mode_pinyin": self.tr("中文 拼音"), "mode_handwriting": self.tr("手写"),
                  "mode_letters": self.tr("英文 ABC")}
        for name, button in self._mode_keys.items():
            button.setText(labels[name])
        self.bar.hint.setText(self._hint())

    def _hint(self) -> str:
        if self.engines.pinyin is None and self.engines.handwriting is None:
            return self.tr("本机暂时不能输入汉字，只能输入字母和数字")
        if self.layout_name == "pinyin":
            return self.tr("输入拼音，再点选汉字")
        if self.layout_name == "handwriting":
            missing = self.tr("（拼音输入暂不可用）") if self.engines.pinyin is None else ""
            return self.tr("在方框里写一个字，再点选") + missing
        missing = self.tr("（手写暂不可用）") if self.engines.handwriting is None else ""
        return self.tr("点“中文 拼音”或“手写”输入汉字") + missing if self._mode_keys else ""

    def move_mode_keys(self, layout: QBoxLayout) -> None:
        """Stands the 中文 / 手写 / ABC keys in `layout` (the holder's column beside the keys)."""
        if self.bar is not None:
            self.bar.move_mode_keys(layout)
            self._update_bar()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
            self._retranslate_bar()
        super().changeEvent(event)

    def clear_personal_state(self) -> None:
        """Session end: half-typed pinyin, strokes and candidates go; the layout returns to its first.

        The field itself is the screen's to wipe."""
        self._reset_composition()
        if self.layout_name != self.first_layout:
            self.set_layout(self.first_layout)


def attach_keyboard(line_edit: QLineEdit, layout: Layout = "letters", *, allow_switch: bool = True,
                    engines: ChineseEngines | None = None) -> OnScreenKeyboard:
    """Puts a keyboard for `line_edit` at the bottom of the field's parent layout and returns it."""
    # Our keys type into the field; a system input method panel on top would only cover the screen.
    line_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    parent = line_edit.parentWidget()
    keyboard = OnScreenKeyboard(line_edit, layout, parent, allow_switch=allow_switch, engines=engines)
    box = parent.layout() if parent is not None else None
    if isinstance(box, QBoxLayout):
        box.addWidget(keyboard)
    return keyboard


def attach_keyboard_by_name(root: QWidget, object_name: str, layout: Layout = "letters") -> OnScreenKeyboard:
    """`attach_keyboard` for the QLineEdit named `object_name` under `root` (e.g. "guide_search_field")."""
    field = root.findChild(QLineEdit, object_name)
    if field is None:
        raise LookupError(f"no QLineEdit named {object_name!r}")
    return attach_keyboard(field, layout)
