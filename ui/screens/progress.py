"""The progress query screen (办件查询): type the receipt's number on a big keypad or scan its QR code,
then see the status in big type, with its time and, offline, how old it is.

The rules are kiosk/resident/progress.py's; the screen only collects a number and shows the `ProgressAnswer`.
The query (network) and the scan (serial QR scanner, or the document camera's frames decoded by the
configured barcode decoder) each run on a DeviceWorker; both stop when the screen is hidden, and
`wipe()` clears the number and the answer. A scan that fails says why and leaves the keypad ready.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRegularExpression, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.resident.progress import (
    SCAN_TIMEOUT_S,
    ClientFactory,
    ProgressAnswer,
    ScanSource,
    format_time,
    format_time_en,
    platform_client_factory,
    run_query,
    run_scan,
    scan_failure_text,
    scan_source,
)
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP, bilingual, current_language
from ui.i18n.texts import keep_made, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.camera_view import CameraView, qimage_from_rgb
from ui.widgets.labels import text_label
from ui.widgets.type_size import TypeSizeWatcher
from ui.workers import LazyWorker

# The pad: a telephone layout with the receipt number's T and hyphen beside the digits.
PAD_ROWS = (("1", "2", "3", "T"), ("4", "5", "6", "-"), ("7", "8", "9", "backspace"),
            ("letters", "0", "clear", "clear"))
# Other letters (case numbers carry a platform prefix), alphabetical: easier to find than QWERTY, and
# seven keys a row stay at the elder touch size in the pad's column.
# Four rows like the digit pad, so switching pads moves nothing else on the page.
LETTER_PAD_ROWS = (tuple("ABCDEFG"), tuple("HIJKLMN"), tuple("OPQRSTU"), (*"VWXYZ", "backspace", "digits"))
# The longest number a resident types (a platform case number): the field's type shrinks until it fits.
NUMBER_SAMPLE = "ZJ330000202611270042"


def _style(text_px: int) -> str:
    target = round(text_px * 2.75)  # 66 / 88 px: the theme's touch-target floor
    return f"""
QLineEdit#progress_number_field {{
    min-height: {target}px; font-size: {round(text_px * 1.5)}px; padding: 0px {text_px // 2}px;
    letter-spacing: 2px;
}}
QLabel#progress_result_status {{ font-size: {round(text_px * 2.2)}px; font-weight: bold; }}
QLabel#progress_result_number {{ font-size: {round(text_px * 1.1)}px; }}
QLabel#progress_message[tone="error"], QLabel#progress_result_offline {{ color: #8a1c1c; }}
QWidget#progress_pad QPushButton, QWidget#progress_letters_pad QPushButton {{ padding: 0px; }}
QPushButton[progressKey="word"] {{ font-size: {round(text_px * 0.8)}px; }}
QPushButton[progressKey="symbol"] {{ font-weight: bold; font-size: {round(text_px * 1.3)}px; }}
QPushButton#progress_scan_button, QPushButton#progress_query_button {{ padding: 4px 8px; }}
"""


class ProgressScreen(QWidget):
    prompt = "请输入回执上的编号，或扫描回执上的二维码。"  # spoken by ui/voice.py when the screen appears

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress")
        self.context = context
        # The theme's type size (elder mode swaps the main window's sheet) drives this screen's own sheet.
        self._sizes = TypeSizeWatcher(self, self._apply_sizes)
        self.cache = context.runtime.cache
        # Replaceable in tests; a fresh client per query (clients are single-threaded).
        self.client_factory: ClientFactory = platform_client_factory(context.config, context.data_dir)
        self.answer: ProgressAnswer | None = None
        self._query_worker = LazyWorker("progress", self)
        # Named for the device it reads when a scan starts.
        self._scan_worker = LazyWorker("barcode", self)
        self._querying = False
        # Set when the screen is left during a query: its answer is dropped when it comes.
        self._discard_answer = False
        self._scan_cancel = threading.Event()
        self.scan_ready = threading.Event()  # set once the reader listens (tests wait on it)
        # The scan's feedback: the camera's latest frame (set on the worker thread, shown here) and the
        # time left, refreshed a few times a second from the moment 扫描 is tapped.
        self._latest_frame: Any = None  # a camera Frame
        self._scan_deadline = 0.0
        self._scan_timer = QTimer(self)
        self._scan_timer.setInterval(150)
        self._scan_timer.timeout.connect(self._show_scan_progress)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("progress_pages")
        outer.addWidget(self.pages)
        self.entry_page = QWidget(self.pages)
        self.entry_page.setObjectName("progress_entry_page")
        self.result_page = QWidget(self.pages)
        self.result_page.setObjectName("progress_result_page")
        self.pages.addWidget(self.entry_page)
        self.pages.addWidget(self.result_page)
        self.headers: list[tuple[QLabel, QLabel]] = []  # (title, its English line) of each page
        self._message_source: tuple[str, str, bool] | None = None  # what the message says, to re-translate
        self._build_entry()
        self._build_result()
        self.retranslate()

    def retranslate(self) -> None:
        """Re-sets every text in the current language: the fixed ones, the message and a shown answer."""
        english = current_language() != "zh_CN"
        for title, subtitle in self.headers:
            title.setText(self.tr("办件查询"))
            subtitle.setText("办件查询" if english else "Check progress")
        self.prompt_label.setText(bilingual(self.tr("请输入或扫描回执上的编号"),
                                            "Type or scan the number on your receipt", "\n"))
        self.number_field.setAccessibleName(self.tr("回执编号"))
        self.query_button.setText(bilingual(self.tr("查询"), "Query"))
        self.scan_button.setText(bilingual(self.tr("扫描回执二维码"), "Scan the receipt's QR"))
        self.entry_home_button.setText(bilingual(self.tr("返回首页"), "Home"))
        self.scan_stop_button.setText(bilingual(self.tr("停止扫描，输入编号"), "Stop, type instead"))
        self.again_button.setText(bilingual(self.tr("再查一个"), "Query another", "\n"))
        self.result_home_button.setText(bilingual(self.tr("返回首页"), "Home", "\n"))
        for name, key in self.word_keys:
            key.setText(self._key_label(name, key.parentWidget()))
        if self._message_source is not None:
            self._say(*self._message_source)
        if self.answer is not None:
            self.show_answer(self.answer)
        retranslate_kept(self)
        if self._scan_timer.isActive():
            self._show_scan_progress()

    # --- building -------------------------------------------------------------------------------

    def _header(self, page: QWidget, name: str, *, home: bool) -> QHBoxLayout:
        head = QHBoxLayout()
        head.setSpacing(16)
        title = text_label(page, f"progress_{name}_title", "title")
        title.setWordWrap(False)
        head.addWidget(title, 0, Qt.AlignmentFlag.AlignBottom)
        english = text_label(page, f"progress_{name}_en", "subtitle")
        english.setProperty("otherLanguage", True)  # the other language's line, as on the home screen
        head.addWidget(english, 1, Qt.AlignmentFlag.AlignBottom)
        self.headers.append((title, english))
        if home:
            button = QPushButton(page)
            button.setObjectName(f"progress_{name}_home_button")
            button.setProperty("role", "secondary")
            button.clicked.connect(self._go_home)
            head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return head

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _key_label(self, name: str, pad: QWidget | None) -> str:
        """A pad's word key; a one-cell key of the seven-wide letter pad has room for one word a line."""
        gap = "\n" if pad is self.letters_page else " "
        labels = {"backspace": bilingual(self.tr("删除"), "Delete", gap), "clear": bilingual(self.tr("清空"), "Clear"),
                  "letters": self.tr("字母 ABC"), "lower": self.tr("字母 abc"), "digits": self.tr("数字 123")}
        return labels[name]

    def _pad(self, parent: QWidget, name: str, rows: tuple[tuple[str, ...], ...], prefix: str) -> QWidget:
        """A grid of keys; a key named twice in a row spans two cells."""
        pad = QWidget(parent)
        pad.setObjectName(name)
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        labels = ("backspace", "clear", "letters", "digits")
        for r, keys in enumerate(rows):
            c = 0
            while c < len(keys):
                key_name = keys[c]
                span = 1
                while c + span < len(keys) and keys[c + span] == key_name:
                    span += 1
                key = QPushButton("" if key_name in labels else key_name, pad)
                key.setObjectName(f"{prefix}{key_name}")
                key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                key.setAutoRepeat(key_name == "backspace")
                if key_name not in labels:
                    key.setProperty("role", "secondary")
                    # A thin "-" at text size is drawn paler than its colour (anti-aliased): bold, 4.5:1.
                    key.setProperty("progressKey", "symbol" if key_name == "-" else "")
                elif key_name == "backspace":
                    key.setProperty("progressKey", "word")  # smaller type: 删除 Delete in one key
                key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                key.clicked.connect(lambda _checked=False, n=key_name: self.tap(n))
                self.pad_keys.setdefault(key_name, key)
                if key_name in labels:
                    self.word_keys.append((key_name, key))
                grid.addWidget(key, r, c, 1, span)
                c += span
        return pad

    def _build_entry(self) -> None:
        page = self.entry_page
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(12)
        layout.addLayout(self._header(page, "entry", home=False))
        self.entry_layout = layout
        self.entry_body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(24)
        layout.addLayout(body, 1)

        # The column's width is the stretch's and the pad's business only: a long message (its preferred
        # width is one line of it) must not take width from the field, it wraps in the whole column.
        self.entry_left = QWidget(page)
        self.entry_left.setObjectName("progress_entry_left")
        self.entry_left.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.entry_column = left = QVBoxLayout(self.entry_left)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(12)
        body.addWidget(self.entry_left, 5)
        page = self.entry_left  # the left column's widgets are its children
        self.prompt_label = text_label(page, "progress_prompt", "body")
        left.addWidget(self.prompt_label)
        self.number_field = QLineEdit(page)
        self.number_field.setObjectName("progress_number_field")
        self.number_field.setPlaceholderText("T0001-000123")
        self.number_field.setMaxLength(64)
        self.number_field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9_.\-]{0,64}"),
                                                                   self.number_field))
        # Our keys type into the field; a hand-held scanner in keyboard mode types and presses Enter.
        self.number_field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        # Never case-folded: case and receipt numbers are opaque, and the query sends exactly what was typed.
        self.number_field.returnPressed.connect(self.query)
        self.number_field.installEventFilter(self)
        self._number_px = 0
        left.addWidget(self.number_field)
        self.query_button = QPushButton(page)
        self.query_button.setObjectName("progress_query_button")
        self.query_button.clicked.connect(self.query)
        left.addWidget(self.query_button)
        self.scan_button = QPushButton(self.entry_page)
        self.scan_button.setObjectName("progress_scan_button")
        self.scan_button.setProperty("role", "secondary")
        self.scan_button.clicked.connect(self.start_scan)
        self.scan_button.setVisible(self._scan_source() is not None)
        # Where the prompt was: an elder-size page has no room for both.
        self.message = text_label(page, "progress_message", "body")
        self.message.hide()
        left.insertWidget(1, self.message)
        left.addStretch(1)
        home = QPushButton(page)
        self.entry_home_button = home
        home.setObjectName("progress_entry_home_button")
        home.setProperty("role", "secondary")
        home.clicked.connect(self._go_home)
        left.addWidget(home)
        self.entry_home = home

        # The pads sit beside the field: stacked under it, an elder-size pad would not fit the screen.
        self.pads = QStackedWidget(self.entry_page)
        self.pads.setObjectName("progress_pads")
        self.pad_keys: dict[str, QPushButton] = {}
        self.word_keys: list[tuple[str, QPushButton]] = []  # every pad's word keys, to re-translate
        self.digit_pad = self._pad(self.pads, "progress_pad", PAD_ROWS, "progress_key_")
        self.letters_page = self._pad(self.pads, "progress_letters_pad", LETTER_PAD_ROWS, "progress_letter_key_")
        self.pads.addWidget(self.digit_pad)
        self.pads.addWidget(self.letters_page)
        self._build_lower_case_key()
        self._build_scan_panel()
        self.pads.addWidget(self.scan_panel)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.pads)
        right.addWidget(self.scan_button)
        right.addStretch(1)
        body.addLayout(right, 6)

    def _build_lower_case_key(self) -> None:
        """字母 abc: the letters pad in lower case, offered only where receipt numbers hold lower-case letters.

        The pad types upper case, which is what this terminal's receipts carry when its id has no
        lower-case letter; a lower-case key there would only invite slips (numbers are compared exactly).
        """
        self._lower_letters = False
        key = QPushButton(self.digit_pad)
        key.setObjectName("progress_key_lower")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.clicked.connect(lambda _checked=False: self.tap("lower"))
        self.pad_keys["lower"] = key
        self.word_keys.append(("lower", key))
        self.letter_keys = [k for k in self.letters_page.findChildren(QPushButton)
                            if len(k.objectName()) == len("progress_letter_key_") + 1]
        self._arrange_case_keys()

    def _arrange_case_keys(self) -> None:
        """The digit pad's bottom row: 字母 ABC, 0, then 清空 over two cells, or 字母 abc and 清空."""
        offer = any(char.islower() for char in self.context.config.terminal.id)
        grid = self.digit_pad.layout()
        assert isinstance(grid, QGridLayout)
        lower, clear = self.pad_keys["lower"], self.pad_keys["clear"]
        grid.removeWidget(clear)
        grid.removeWidget(lower)
        if offer:
            grid.addWidget(lower, 3, 2)
            grid.addWidget(clear, 3, 3)
        else:
            grid.addWidget(clear, 3, 2, 1, 2)
        lower.setVisible(offer)

    def _set_letter_case(self, lower: bool) -> None:
        self._lower_letters = lower
        for key in self.letter_keys:
            letter = key.objectName()[-1]
            key.setText(letter.lower() if lower else letter)

    def showEvent(self, event: QShowEvent) -> None:
        # The terminal id may have been changed in the setup screen since the pad was built.
        self._arrange_case_keys()
        super().showEvent(event)

    def _build_scan_panel(self) -> None:
        """Where the pad was while a scan runs: what to do, the time left, the document camera's live
        picture (so the resident sees the receipt is in view), and a way back to the pad."""
        self.scan_panel = QWidget(self.pads)
        self.scan_panel.setObjectName("progress_scan_panel")
        column = QVBoxLayout(self.scan_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.scan_hint = text_label(self.scan_panel, "progress_scan_hint", "body")
        self.scan_view = CameraView("progress_scan_view", self.scan_panel)
        self.scan_view.setMinimumSize(200, 100)  # elder type leaves it little height at 800 px
        self.scan_countdown = text_label(self.scan_panel, "progress_scan_countdown", "body")
        self.scan_stop_button = QPushButton(self.scan_panel)
        self.scan_stop_button.setObjectName("progress_scan_stop_button")
        self.scan_stop_button.setProperty("role", "secondary")
        self.scan_stop_button.clicked.connect(self.stop_scan_and_type)
        column.addWidget(self.scan_hint)
        column.addWidget(self.scan_view, 1)
        column.addWidget(self.scan_countdown)
        column.addWidget(self.scan_stop_button)

    def _build_result(self) -> None:
        page = self.result_page
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(8)
        layout.addLayout(self._header(page, "result", home=False))
        self.result_number = text_label(page, "progress_result_number", "body")
        self.result_service = text_label(page, "progress_result_service", "body")
        self.status_row = status_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        status_row.setSpacing(24)
        self.result_status = text_label(page, "progress_result_status", "title")
        self.result_status_en = text_label(page, "progress_result_status_en", "body")
        status_row.addWidget(self.result_status, 0, Qt.AlignmentFlag.AlignBottom)
        status_row.addWidget(self.result_status_en, 1, Qt.AlignmentFlag.AlignBottom)
        self.result_time = text_label(page, "progress_result_time", "body")
        self.result_offline = text_label(page, "progress_result_offline", "body")
        self.result_note = text_label(page, "progress_result_note", "body")
        self.result_steps = text_label(page, "progress_result_steps", "subtitle")
        for label in (self.result_number, self.result_service):
            layout.addWidget(label)
        layout.addLayout(status_row)
        for label in (self.result_time, self.result_offline, self.result_note):
            layout.addWidget(label)
        layout.addStretch(1)
        self.result_layout = layout
        self.result_bottom = bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.result_steps, 1, Qt.AlignmentFlag.AlignBottom)
        # Without steps (offline) this takes the room instead, so the buttons stay small on the right.
        bottom.addStretch(0)
        self.again_button = QPushButton(page)
        self.again_button.setObjectName("progress_again_button")
        self.again_button.clicked.connect(self.query_another)
        home = QPushButton(page)
        self.result_home_button = home
        home.setObjectName("progress_home_button")
        home.setProperty("role", "secondary")
        home.clicked.connect(self._go_home)
        bottom.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignBottom)
        bottom.addWidget(home, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(bottom)
        page.installEventFilter(self)  # a new width may put the English status beside the Chinese or under it

    # --- sizes ----------------------------------------------------------------------------------

    def _apply_sizes(self, px: int) -> None:
        self.setStyleSheet(_style(px))
        self._fit_number()
        self._place_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.number_field and event.type() == QEvent.Type.Resize:
            self._fit_number()
        elif watched is self.result_page and event.type() == QEvent.Type.Resize:
            self._place_status()
        return super().eventFilter(watched, event)

    def _place_status(self) -> None:
        """The English status beside the Chinese where the room left beside it takes it in two lines at
        most, else under it: beside 已在本机登记，联网后自动上传 in elder type it had a column three words
        wide and was cut."""
        zh, en = self.result_status, self.result_status_en
        zh.ensurePolished()
        en.ensurePolished()
        margins = self.result_layout.contentsMargins()
        row = self.result_page.width() - margins.left() - margins.right()
        beside = row - zh.fontMetrics().horizontalAdvance(zh.text()) - self.status_row.spacing()
        wanted = en.fontMetrics().horizontalAdvance(en.text())
        side = not en.text() or beside * 2 >= wanted
        self.status_row.setDirection(QBoxLayout.Direction.LeftToRight if side else QBoxLayout.Direction.TopToBottom)

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py). Beside the keys on a 1080-px wide screen the column
        was too narrow for a case number and for 返回首页: on a portrait screen the field and 查询 take the
        whole width above the keys, which the height has room for, and 返回首页 goes to the bottom."""
        portrait = orientation == "portrait"
        self.entry_body.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                     else QBoxLayout.Direction.LeftToRight)
        self.entry_body.setStretch(0, 0 if portrait else 5)
        self.entry_body.setStretch(1, 1 if portrait else 6)
        home = self.entry_home
        self.entry_column.removeWidget(home)
        self.entry_layout.removeWidget(home)
        if portrait:
            self.entry_layout.addWidget(home, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self.entry_column.addWidget(home)
        # The steps so far: beside the buttons they wrapped in a third of the width; on a portrait screen
        # they take a line each over the whole width above them.
        steps = self.result_steps
        self.result_bottom.removeWidget(steps)
        self.result_layout.removeWidget(steps)
        if portrait:
            self.result_layout.insertWidget(self.result_layout.count() - 1, steps)
        else:
            self.result_bottom.insertWidget(0, steps, 1, Qt.AlignmentFlag.AlignBottom)

    def _fit_number(self) -> None:
        """The field's type at 1.5× the text, or smaller (not below the text's size) so that a whole
        case number shows in the column (elder type on a 1280-px screen would cut it)."""
        px = self._sizes.px
        field = self.number_field
        if px <= 0 or field.width() < 100:
            return
        room = field.width() - px - 12  # the padding each side, the frame and the cursor
        font = QFont(field.font())
        size = round(px * 1.5)
        while size > px:
            font.setPixelSize(size)
            if QFontMetrics(font).horizontalAdvance(NUMBER_SAMPLE) <= room:
                break
            size -= 1
        if size != self._number_px:
            self._number_px = size
            field.setStyleSheet(f"font-size: {size}px;")

    # --- typing ---------------------------------------------------------------------------------

    def tap(self, name: str) -> None:
        """What a pad key does; public so a test (or a hardware key) can press one."""
        field = self.number_field
        if name == "backspace":
            field.backspace()
        elif name == "clear":
            field.clear()
        elif name in ("letters", "lower"):
            self._set_letter_case(name == "lower")
            self.pads.setCurrentWidget(self.letters_page)
        elif name == "digits":
            self.pads.setCurrentWidget(self.digit_pad)
        elif self._lower_letters and self.pads.currentWidget() is self.letters_page and len(name) == 1:
            field.insert(name.lower())
        else:
            field.insert(name)
        field.setFocus()

    def _say(self, source: str, english: str, error: bool = False) -> None:
        """Shows the message `source` (marked with QT_TRANSLATE_NOOP) in the current language, and keeps
        it to say again in another."""
        translated = QCoreApplication.translate("ProgressScreen", source)
        if translated == source and current_language() != "zh_CN":
            translated = english  # a message from the core (a scan's failure) carries its own English
        self._show_message(bilingual(translated, english, "\n"), error=error)
        self._message_source = (source, english, error)

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self._message_source = None
        self.message.setProperty("tone", "error" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.prompt_label.setVisible(not text)

    # --- querying -------------------------------------------------------------------------------

    def query(self) -> None:
        if self._querying:
            return
        number = self.number_field.text().strip()
        if not number:
            self._say(QT_TRANSLATE_NOOP("ProgressScreen", "请先输入回执上的受理编号。"),
                      "Please type the number first.", error=True)
            return
        self._stop_scan()
        self._querying = True
        self.query_button.setEnabled(False)
        self._say(QT_TRANSLATE_NOOP("ProgressScreen", "正在查询，请稍候…"), "Checking…")
        self._discard_answer = False
        call = self._query_worker.submit(run_query, self.cache, self.client_factory, number)
        call.finished.connect(self._on_answer)
        call.failed.connect(self._on_query_failed)

    def _on_answer(self, answer: object) -> None:
        self._querying = False
        self.query_button.setEnabled(True)
        self._show_message("")
        if not self.isVisible():
            self._stop_query()  # a network thread is kept only while someone waits for it
        if self._discard_answer:
            self._discard_answer = False
            return
        if isinstance(answer, ProgressAnswer):
            self.show_answer(answer)

    def _on_query_failed(self, error: object) -> None:
        self._querying = False
        self.query_button.setEnabled(True)
        if not self.isVisible():
            self._stop_query()
        if self._discard_answer:
            self._discard_answer = False
            self._show_message("")
            return
        if shown_as_bug(self, error, self.context, "progress: the query"):
            self._show_message("")
            return
        self._say(QT_TRANSLATE_NOOP("ProgressScreen", "查询未能完成，请重试或到服务窗口咨询。"),
                  "The query did not complete: please try again.", error=True)

    def show_answer(self, answer: ProgressAnswer) -> None:
        self.answer = answer
        numbers = []
        if answer.receipt_no:
            numbers.append(bilingual(self.tr("受理编号"), "Receipt no.") + f" {answer.receipt_no}")
        if answer.case_no and answer.case_no != answer.receipt_no:
            numbers.append(bilingual(self.tr("办件编号"), "Case no.") + f" {answer.case_no}")
        # One a line: in elder type "办件编号 Case no. ZJ…" would otherwise break between label and number.
        self.result_number.setText("\n".join(numbers) or answer.number)
        self.result_service.setText(answer.service_name or "")
        self.result_service.setVisible(bool(answer.service_name))
        # The platform's status comes in both languages: in English the English alone.
        english = current_language() != "zh_CN"
        self.result_status.setText(answer.status_en if english else answer.status_zh)
        self.result_status_en.setText("" if english else answer.status_en)
        offline = answer.kind == "cached"
        # "中文 · English" from the core: in English the English half.
        at_text = answer.at_text.split(" · ", 1)[-1] if english else answer.at_text
        self.result_time.setText("" if offline else at_text)
        self.result_time.setVisible(bool(answer.at_text) and not offline)
        # Offline, the time *is* the warning: shown in the warning colour, in full.
        self.result_offline.setText(at_text if offline else "")
        self.result_offline.setVisible(offline)
        note = answer.note_en if english else f"{answer.note_zh} {answer.note_en}"
        self.result_note.setText(note if answer.note_zh else "")
        # The latest three: enough to see the path, and the page still fits in elder mode.
        # In English an English date, and a plain gap where Chinese has its full-width space.
        gap = "  " if english else "\u3000"
        steps = [gap.join([format_time_en(s.at) if english else format_time(s.at),
                           s.title_en if english else f"{s.title_zh} {s.title_en}", *([s.note] if s.note else [])])
                 for s in answer.steps[-3:]]
        self.result_steps.setText("\n".join(steps))
        self.result_steps.setVisible(bool(steps))
        self._place_status()
        self.pages.setCurrentWidget(self.result_page)

    def query_another(self) -> None:
        self._clear()
        self.pages.setCurrentWidget(self.entry_page)
        self.number_field.setFocus()

    # --- scanning -------------------------------------------------------------------------------

    def _scan_source(self) -> ScanSource | None:
        return scan_source(self.context.config, self.context.runtime.devices.configured("camera"))

    def start_scan(self) -> None:
        source = self._scan_source()
        if source is None or self._scan_worker.running:
            return
        self._scan_cancel = threading.Event()
        self.scan_ready.clear()
        self.scan_button.setEnabled(False)
        self.scan_button.hide()  # the panel's 停止扫描 is the one button that matters now, and it needs the row
        self._show_message("")
        camera = source == "camera"
        if camera:
            keep_made(self.scan_hint, lambda: bilingual(
                self.tr("请把回执平放在拍摄区，二维码朝上，直到下方画面中能看到它。"),
                "Lay the receipt under the camera, QR code up, until you see it below.", "\n"))
        else:
            keep_made(self.scan_hint, lambda: bilingual(self.tr("请将回执上的二维码对准扫码窗口。"),
                                                        "Hold the receipt's QR code to the scanner window.", "\n"))
        self.scan_view.clear()
        self.scan_view.setVisible(camera)
        self._latest_frame = None
        self._scan_deadline = time.monotonic() + SCAN_TIMEOUT_S
        self.pads.setCurrentWidget(self.scan_panel)
        self._show_scan_progress()
        self._scan_timer.start()
        self._scan_worker.name = "barcode" if source == "serial" else "camera"
        call = self._scan_worker.submit(run_scan, self.context.config, self.context.runtime.devices, source,
                                        self._scan_cancel, self.scan_ready, self._keep_frame if camera else None)
        call.finished.connect(self._on_scanned)
        call.failed.connect(self._on_scan_failed)

    def _keep_frame(self, frame: Any) -> None:
        """On the scan's worker thread: only a reference is swapped; the timer paints it."""
        self._latest_frame = frame

    def _show_scan_progress(self) -> None:
        left = max(0, round(self._scan_deadline - time.monotonic()))
        waiting = self.tr("正在扫描，还剩 %1 秒").replace("%1", str(left))
        self.scan_countdown.setText(bilingual(waiting, f"{left} s left", " · "))
        frame, self._latest_frame = self._latest_frame, None
        if frame is not None and self.scan_view.isVisible():
            image = frame.image
            rgb = image if image.ndim == 2 else np.ascontiguousarray(image[..., ::-1])
            self.scan_view.set_image(qimage_from_rgb(rgb))
            self.scan_view.set_progress(1.0 - left / SCAN_TIMEOUT_S)

    def stop_scan_and_type(self) -> None:
        self._stop_scan()
        self.number_field.setFocus()

    def _on_scanned(self, number: object) -> None:
        self._stop_scan()
        if isinstance(number, str):
            self.number_field.setText(number)
            self.query()

    def _on_scan_failed(self, error: object) -> None:
        self._stop_scan()
        if shown_as_bug(self, error, self.context, "progress: the QR scan"):
            self._show_message("")
            return
        text = scan_failure_text(error) if isinstance(error, BaseException) else None
        if text is None:
            return
        self._say(text[0], text[1], error=True)
        self.number_field.setFocus()

    def _stop_scan(self) -> None:
        self._scan_cancel.set()
        self._scan_worker.stop()
        self._scan_timer.stop()
        self._latest_frame = None
        self.scan_view.clear()
        if self.pads.currentWidget() is self.scan_panel:
            self.pads.setCurrentWidget(self.digit_pad)
        self.scan_button.setEnabled(True)
        self.scan_button.setVisible(self._scan_source() is not None)

    def _stop_query(self) -> None:
        """Stops the query thread, unless a query is in flight: the network call cannot be interrupted
        (it gives up within the short timeouts), so its answer is dropped when it comes instead."""
        if self._querying:
            self._discard_answer = True
            return
        self._query_worker.stop()

    # --- navigation and session -----------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        """A number in the payload (e.g. from a receipt screen) is queried at once."""
        if isinstance(payload, str) and payload.strip():
            self.query_another()
            self.number_field.setText(payload.strip())
            self.query()

    def _go_home(self) -> None:
        self.context.go_home()

    def _clear(self) -> None:
        self.number_field.clear()
        self.answer = None
        for label in (self.result_number, self.result_service, self.result_status, self.result_status_en,
                      self.result_time, self.result_offline, self.result_note, self.result_steps):
            label.clear()
        self._show_message("")
        self.pads.setCurrentWidget(self.digit_pad)

    def hideEvent(self, event: QHideEvent) -> None:
        self._stop_scan()
        self._stop_query()
        super().hideEvent(event)

    def wipe(self) -> None:
        """Session end: no number, answer or message survives."""
        self._stop_scan()
        self._stop_query()
        self._clear()
        self.pages.setCurrentWidget(self.entry_page)
