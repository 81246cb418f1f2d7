"""The rating screen (服务评价, 好差评): five national grades, optional indicators, reasons for a low
grade, an optional comment and phone, stored in the outbox.

Nothing here nudges: the five grade buttons are the same size and the same neutral style, in the
national order, and none is chosen when the screen opens; the chosen one is marked by a tick and the
same light tint whichever it is. Indicators (1–5) and the comment are optional; the standard reasons
appear only for 不满意 / 非常不满意. The rules are kiosk/resident/ratings.py's; storing the rating is a database
write, so it runs on a DeviceWorker and the screen says thank you when it is committed.

`enter(payload)`: a receipt number (str) ties the rating to that transaction (a declaration flow opens
the screen with it after a submission); anything else opens an untied rating.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRegularExpression, QSize, Qt, QTimer
from PySide6.QtGui import QHideEvent, QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.privacy import mask_phone
from kiosk.resident.ratings import (
    COMMENT_MAX,
    GRADE_CHOICES,
    INDICATOR_MAX,
    INDICATOR_MIN,
    ONSITE_INDICATORS,
    STANDARD_REASONS,
    Rating,
    RatingInvalid,
    is_low_grade,
    store_rating,
    validate,
)
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.texts import keep, keep_made, keep_other, keep_pair, pick, retranslate_kept
from ui.theme import SELECTED_FILL
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.choices import follow_toggles
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.kinetic import make_kinetic, tap_to_type
from ui.widgets.labels import text_label
from ui.widgets.type_size import TypeSizeWatcher
from ui.workers import LazyWorker


# Sizes follow the theme's type size (24 px normal, 32 px elder), read back from the applied font: the
# theme's own sheet has no rule for check-box indicators or a two-line button. The tint marks the chosen
# grade or score and is the same for every one of them.
def _style(text_px: int) -> str:
    target = round(text_px * 2.75)  # 66 / 88 px: the theme's touch-target floor (64 / 88)
    return f"""
QPushButton[ratingRole="grade"] {{ padding: 4px 8px; }}
QPushButton[ratingRole="grade"] QLabel {{ background: transparent; }}
QPushButton[ratingRole="grade"] QLabel[chosen="true"] {{ color: #000000; }}
QPushButton[ratingRole="grade"]:checked, QPushButton[ratingRole="score"]:checked {{ background: {SELECTED_FILL}; }}
QPushButton[ratingRole="score"] {{ min-width: {target}px; padding: 0px; }}
QCheckBox[ratingRole="reason"] {{ min-height: {target}px; spacing: {text_px // 2}px; }}
QCheckBox[ratingRole="reason"]::indicator {{ width: {round(text_px * 1.4)}px; height: {round(text_px * 1.4)}px; }}
QLineEdit {{ min-height: {target}px; padding: 0px {text_px // 2}px; }}
QScrollArea#rating_details_area {{ border: none; background: transparent; }}
QWidget#rating_details {{ background: transparent; }}
"""


class GradeButton(QPushButton):
    """One grade: the Chinese name and its English line, the whole surface a touch target."""

    def __init__(self, grade: int, title: str, english: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.grade = grade
        self.chinese, self.english = title, english
        self.title = pick(title, english)
        self.setObjectName(f"rating_grade_{grade}")
        self.setProperty("role", "secondary")
        self.setProperty("ratingRole", "grade")
        self.setCheckable(True)
        self.setAccessibleName(f"{title} {english}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 12, 4, 12)
        box.setSpacing(2)
        self.title_label = text_label(self, "", "body", self.title)
        self.english_label = text_label(self, "", "subtitle")
        keep_other(self.english_label, title, english)
        for label in (self.title_label, self.english_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
        self.toggled.connect(self._mark)

    def retranslate(self) -> None:
        self.title = pick(self.chinese, self.english)
        self._mark(self.isChecked())

    def _mark(self, on: bool) -> None:
        # A tick as well as the tint: the choice is visible without relying on colour.
        self.title_label.setText(f"✔ {self.title}" if on else self.title)
        # The grey English line is too pale on the chosen fill (2.3:1): black there (6.6:1).
        self.english_label.setProperty("chosen", on)
        self.english_label.style().unpolish(self.english_label)
        self.english_label.style().polish(self.english_label)


class ReasonBox(QCheckBox):
    """A check box whose whole cell takes the touch, not only the box and its text."""

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


class EqualRow(QWidget):
    """Lays its buttons out in one row of exactly equal widths (a box layout hands the odd pixel of a
    division to some of them: a difference nobody should be able to read anything into)."""

    SPACING = 12

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.items: list[QWidget] = []
        # One under another, each the whole width: on a portrait screen a fifth of 1080 px cut the
        # English lines (Basically satisfied) in elder type, and the height is there to spare.
        self.vertical = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_vertical(self, vertical: bool) -> None:
        self.vertical = vertical
        self.updateGeometry()
        self._place()

    def add(self, widget: QWidget) -> None:
        self.items.append(widget)
        self.updateGeometry()

    def _height(self, width: int = 0) -> int:
        """The tallest button's height, at `width` each when known: an English name that wraps in elder type
        (Basically / satisfied) needs a second line, which a button's size hint does not count."""
        def one(widget: QWidget) -> int:
            if width > 0 and widget.hasHeightForWidth():
                return max(widget.sizeHint().height(), widget.heightForWidth(width))
            return widget.sizeHint().height()
        return max((one(w) for w in self.items), default=0)

    def _item_width(self, width: int) -> int:
        count = len(self.items)
        return width if self.vertical or not count else (width - self.SPACING * (count - 1)) // count

    def _hint(self, widths: list[int]) -> QSize:
        gaps = self.SPACING * max(0, len(widths) - 1)
        height = self._height(self._item_width(self.width()) if self.isVisible() else 0)
        if self.vertical:
            return QSize(max(widths, default=0), height * len(widths) + gaps)
        return QSize(sum(widths) + gaps, height)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._height(self._item_width(width))
        if self.vertical:
            return height * len(self.items) + self.SPACING * max(0, len(self.items) - 1)
        return height

    def sizeHint(self) -> QSize:
        return self._hint([w.sizeHint().width() for w in self.items])

    def minimumSizeHint(self) -> QSize:
        return self._hint([w.minimumSizeHint().width() for w in self.items])

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.LayoutRequest):
            self.updateGeometry()
            self._place()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        if not self.items:
            return
        count = len(self.items)
        if self.vertical:
            height = self._height(self.width())
            for index, widget in enumerate(self.items):
                widget.setGeometry(0, index * (height + self.SPACING), self.width(), height)
            return
        width = (self.width() - self.SPACING * (count - 1)) // count
        x = (self.width() - (width * count + self.SPACING * (count - 1))) // 2  # the odd pixels go outside
        for widget in self.items:
            widget.setGeometry(x, 0, width, self.height())
            x += width + self.SPACING


_CONTEXT = "RatingScreen"  # self.tr's context: the texts kept for LanguageChange translate in it


def _title_pair(parent: QWidget, name: str, role: str, source: str, english: str) -> tuple[QLabel, QLabel]:
    """A title in the screen's language and, under it in subtitle type, the line in the other language."""
    title = text_label(parent, name, role)
    keep(title, _CONTEXT, source)
    note = text_label(parent, "", "subtitle")
    keep_other(note, source, english)
    return title, note


class RatingScreen(QWidget):
    prompt = "请为本次服务评价，五个等级任选其一。"  # spoken by ui/voice.py; names no grade first

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rating_screen")
        # The theme's type size (elder mode swaps the main window's sheet) drives this screen's own sheet.
        self._sizes = TypeSizeWatcher(self, self._apply_sizes)
        self.context = context
        self.outbox = context.runtime.cache.outbox
        self.receipt_no: str | None = None
        self.grade: int | None = None
        self.scores: dict[str, int] = {}
        self._worker = LazyWorker("rating", self)
        self._submitting = False
        self._submitted_phone = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("rating_pages")
        outer.addWidget(self.pages)
        self.form_page = QWidget(self.pages)
        self.form_page.setObjectName("rating_form_page")
        self.thanks_page = QWidget(self.pages)
        self.thanks_page.setObjectName("rating_thanks_page")
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.thanks_page)
        self._build_form()
        self._build_thanks()

    def retranslate(self) -> None:
        retranslate_kept(self)
        for button in self.grade_buttons:
            button.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- building -------------------------------------------------------------------------------

    def _build_form(self) -> None:
        page = self.form_page
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 20, 48, 16)
        layout.setSpacing(10)
        self.header = QWidget(page)
        self.header.setObjectName("rating_header")
        head = QHBoxLayout(self.header)
        head.setContentsMargins(0, 0, 0, 0)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        for label in _title_pair(self.header, "rating_title", "title",
                                 QT_TRANSLATE_NOOP("RatingScreen", "服务评价"), "Rate our service"):
            titles.addWidget(label)
        head.addLayout(titles, 1)
        self.receipt_label = text_label(self.header, "rating_receipt", "subtitle")
        self.receipt_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.receipt_label.hide()
        head.addWidget(self.receipt_label)
        layout.addWidget(self.header)

        self.prompt_label = text_label(page, "rating_prompt", "body")
        keep(self.prompt_label, _CONTEXT,
             QT_TRANSLATE_NOOP("RatingScreen", "请选择您对本次服务的评价 · Please choose a rating"))
        layout.addWidget(self.prompt_label)
        self.grade_row = EqualRow(page)
        self.grade_row.setObjectName("rating_grade_row")
        self.grade_buttons: list[GradeButton] = []
        for code, grade_title, english in GRADE_CHOICES:
            grade_button = GradeButton(code, grade_title, english, self.grade_row)
            # A tap, or assistive technology's Toggle; a second tap on the chosen grade keeps it chosen.
            follow_toggles(grade_button, partial(self._grade_chosen, code), partial(self.choose_grade, code))
            self.grade_row.add(grade_button)
            self.grade_buttons.append(grade_button)
        layout.addWidget(self.grade_row)

        self.details_area = QScrollArea(page)
        self.details_area.setObjectName("rating_details_area")
        self.details_area.setWidgetResizable(True)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        make_kinetic(self.details_area)
        self.details_area.viewport().installEventFilter(self)
        self.details = QWidget(self.details_area)
        self.details.setObjectName("rating_details")
        self._build_details(self.details)
        self.details_area.setWidget(self.details)
        self.details_area.hide()
        layout.addWidget(self.details_area, 1)
        self.filler = QWidget(page)  # keeps the buttons at the bottom while the details are hidden
        layout.addWidget(self.filler, 1)

        # A comment is written in Chinese: pinyin or handwriting on our own keyboard.
        self.comment_field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.comment_keyboard = OnScreenKeyboard(self.comment_field, "chinese", page)
        self.comment_keyboard.hide()
        layout.addWidget(self.comment_keyboard)
        self.phone_field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.phone_keyboard = OnScreenKeyboard(self.phone_field, "digits", page, allow_switch=False)
        self.phone_keyboard.hide()
        layout.addWidget(self.phone_keyboard)

        self.error_label = text_label(page, "rating_error", "body")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        self.home_button = QPushButton(page)
        keep(self.home_button, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "返回首页 Home"))
        self.home_button.setObjectName("rating_home_button")
        self.home_button.setProperty("role", "secondary")
        self.home_button.clicked.connect(self._go_home)
        self.done_button = QPushButton(page)
        keep(self.done_button, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "输入完成 Done"))
        self.done_button.setObjectName("rating_keyboard_done")
        self.done_button.setProperty("role", "secondary")
        self.done_button.clicked.connect(self.close_keyboard)
        self.done_button.hide()
        self.submit_button = QPushButton(page)
        keep(self.submit_button, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "提交评价 Submit"))
        self.submit_button.setObjectName("rating_submit_button")
        self.submit_button.setEnabled(False)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.home_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)

    def _build_details(self, parent: QWidget) -> None:
        layout = QVBoxLayout(parent)
        layout.setContentsMargins(0, 4, 16, 4)
        layout.setSpacing(8)
        for label in _title_pair(parent, "rating_indicators_title", "body",
                                 QT_TRANSLATE_NOOP("RatingScreen", "分项评分（可不填）1分最低，5分最高"),
                                 "Optional scores: 1 lowest, 5 highest. Tap again to clear."):
            layout.addWidget(label)
        self.score_grid = grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.score_labels: list[QLabel] = []
        self.score_buttons: dict[str, list[QPushButton]] = {}
        for code, title, english in ONSITE_INDICATORS:
            label = text_label(parent, f"rating_indicator_{code}_label", "body")
            keep_pair(label, title, english, "\n")
            self.score_labels.append(label)
            buttons: list[QPushButton] = []
            for score in range(INDICATOR_MIN, INDICATOR_MAX + 1):
                button = QPushButton(str(score), parent)
                button.setObjectName(f"rating_indicator_{code}_{score}")
                button.setProperty("role", "secondary")
                button.setProperty("ratingRole", "score")
                button.setCheckable(True)
                button.setAccessibleName(f"{title} {score}")
                follow_toggles(button, partial(self._score_chosen, code, score), partial(self.set_score, code, score))
                buttons.append(button)
            self.score_buttons[code] = buttons
        layout.addLayout(grid)

        self.reasons_box = QWidget(parent)
        self.reasons_box.setObjectName("rating_reasons")
        reasons = QVBoxLayout(self.reasons_box)
        reasons.setContentsMargins(0, 12, 0, 0)
        reasons.setSpacing(4)
        for label in _title_pair(self.reasons_box, "rating_reasons_title", "body",
                                 QT_TRANSLATE_NOOP("RatingScreen", "不满意的原因（可多选）"), "Reasons (choose any)"):
            reasons.addWidget(label)
        self.reason_grid = reason_grid = QGridLayout()
        reason_grid.setHorizontalSpacing(24)
        reason_grid.setVerticalSpacing(4)
        self.reason_boxes: dict[str, QCheckBox] = {}
        for index, (text, english) in enumerate(STANDARD_REASONS):
            box = ReasonBox("", self.reasons_box)
            keep_pair(box, text, english, "\n")
            box.setObjectName(f"rating_reason_{index}")
            box.setProperty("ratingRole", "reason")
            self.reason_boxes[text] = box
        reasons.addLayout(reason_grid)
        self.reasons_box.hide()
        layout.addWidget(self.reasons_box)
        self._place_details(portrait=False)

        layout.addSpacing(12)
        comment_title = text_label(parent, "rating_comment_title", "body")
        keep(comment_title, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "意见建议（可不填）· Comment (optional)"))
        layout.addWidget(comment_title)
        self.comment_field = QLineEdit(parent)
        self.comment_field.setObjectName("rating_comment_field")
        self.comment_field.setMaxLength(COMMENT_MAX)
        keep(self.comment_field, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "点此输入 · Tap to type"))
        layout.addWidget(self.comment_field)
        phone_title = text_label(parent, "rating_phone_title", "body")
        keep(phone_title, _CONTEXT,
             QT_TRANSLATE_NOOP("RatingScreen", "联系电话（可不填，仅用于回访）· Phone for a follow-up call (optional)"))
        layout.addWidget(phone_title)
        self.phone_field = QLineEdit(parent)
        self.phone_field.setObjectName("rating_phone_field")
        self.phone_field.setMaxLength(11)
        self.phone_field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,11}"), self.phone_field))
        keep(self.phone_field, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "11位手机号码 · 11-digit mobile"))
        layout.addWidget(self.phone_field)
        # Each title is its field's label: a screen reader names the field by it (the placeholder it
        # would otherwise have only reaches it as a description), in whichever language shows.
        comment_title.setBuddy(self.comment_field)
        phone_title.setBuddy(self.phone_field)
        for field in (self.comment_field, self.phone_field):
            field.installEventFilter(self)
            # On a tap, not at the press: a swipe over the details that starts on a field only scrolls.
            tap_to_type(field).tapped.connect(lambda f=field: self.open_keyboard(f))
        layout.addStretch(1)

    def _build_thanks(self) -> None:
        layout = QVBoxLayout(self.thanks_page)
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(20)
        title, english = _title_pair(self.thanks_page, "rating_thanks_title", "title",
                                     QT_TRANSLATE_NOOP("RatingScreen", "感谢您的评价！"),
                                     "Thank you for your feedback.")
        self.thanks_detail = text_label(self.thanks_page, "rating_thanks_detail", "body")
        for label in (title, english, self.thanks_detail):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        back = QPushButton(self.thanks_page)
        keep(back, _CONTEXT, QT_TRANSLATE_NOOP("RatingScreen", "返回首页 Home"))
        back.setObjectName("rating_thanks_home_button")
        back.clicked.connect(self._go_home)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(english)
        layout.addWidget(self.thanks_detail)
        layout.addSpacing(24)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _apply_sizes(self, px: int) -> None:
        self.setStyleSheet(_style(px))

    # --- choosing -------------------------------------------------------------------------------

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py): the grades one under another on a portrait screen."""
        portrait = orientation == "portrait"
        self.grade_row.set_vertical(portrait)
        self._place_details(portrait=portrait)
        self.phone_keyboard.set_wide_digits(portrait)  # the pad the width of the screen, as the letters

    def _place_details(self, *, portrait: bool) -> None:
        """Beside its name, an indicator's five scores and the reasons in two columns were wider than a
        portrait screen in elder type (the 5 and the second column were cut): there each name goes above its
        scores, which share the width, and the reasons take one column."""
        grid = self.score_grid
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        for row, (label, buttons) in enumerate(zip(self.score_labels, self.score_buttons.values(), strict=True)):
            for widget in (label, *buttons):
                grid.removeWidget(widget)
            if portrait:
                grid.addWidget(label, row * 2, 0, 1, len(buttons))
            else:
                grid.addWidget(label, row, 0)
            for index, button in enumerate(buttons):
                grid.addWidget(button, row * 2 + 1 if portrait else row, index if portrait else index + 1)
                if portrait:
                    grid.setColumnStretch(index, 1)
        if not portrait:
            grid.setColumnStretch(0, 1)
        for index, box in enumerate(self.reason_boxes.values()):
            self.reason_grid.removeWidget(box)
            self.reason_grid.addWidget(box, *((index, 0) if portrait else (index // 2, index % 2)))

    def choose_grade(self, grade: int) -> None:
        self.grade = grade
        for button in self.grade_buttons:
            button.setChecked(button.grade == grade)
        low = is_low_grade(grade)
        if not low:
            # Reasons belong to a low grade only: switching up drops them rather than sending them hidden.
            for box in self.reason_boxes.values():
                box.setChecked(False)
        self.reasons_box.setVisible(low)
        self.prompt_label.hide()  # its job is done; the room goes to the details
        self.details_area.show()
        self.filler.hide()
        self.submit_button.setEnabled(not self._submitting)
        self._show_error(None)

    def _grade_chosen(self, grade: int) -> bool:
        return self.grade == grade

    def _score_chosen(self, code: str, score: int) -> bool:
        return self.scores.get(code) == score

    def set_score(self, code: str, score: int) -> None:
        """Tapping the chosen score again clears it: every indicator is optional."""
        if self.scores.get(code) == score:
            del self.scores[code]
        else:
            self.scores[code] = score
        for button, value in zip(self.score_buttons[code], range(INDICATOR_MIN, INDICATOR_MAX + 1), strict=True):
            button.setChecked(self.scores.get(code) == value)

    def current_rating(self) -> Rating:
        return Rating(
            grade=self.grade,
            indicators=dict(self.scores),
            reasons=tuple(text for text, box in self.reason_boxes.items() if box.isChecked()),
            comment=self.comment_field.text(),
            phone=self.phone_field.text(),
        )

    # --- keyboards ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            if watched is self.comment_field:
                self.open_keyboard(self.comment_field)
            elif watched is self.phone_field:
                self.open_keyboard(self.phone_field)
        elif event.type() == QEvent.Type.Resize and watched is self.details_area.viewport():
            # The keys take their room over a few turns of the event loop, and the area shrinks after the
            # field was scrolled into view: it slid half under the keys. Once the scroll range follows:
            QTimer.singleShot(0, self._keep_typed_field_in_view)
        return super().eventFilter(watched, event)

    def _keep_typed_field_in_view(self) -> None:
        for field, keyboard in ((self.phone_field, self.phone_keyboard), (self.comment_field, self.comment_keyboard)):
            if keyboard.isVisible():
                self._show_whole(field)

    def _show_whole(self, field: QLineEdit) -> None:
        """The whole field in view (ensureWidgetVisible shows a line edit's cursor only, and left the field's
        lower edge under the keys)."""
        centre = field.mapTo(self.details, field.rect().center())
        self.details_area.ensureVisible(centre.x(), centre.y(), 0, field.height() // 2 + 24)

    def open_keyboard(self, field: QLineEdit) -> None:
        """Shows the keyboard for `field`; the header and grades step aside so the field stays in view."""
        keyboard = self.phone_keyboard if field is self.phone_field else self.comment_keyboard
        for other in (self.phone_keyboard, self.comment_keyboard):
            if other is not keyboard:
                other.hide()
        # Hide first, then show: with everything visible at once the page would not fit, and the
        # window would grow past the screen.
        self.header.hide()
        self.prompt_label.hide()
        self.grade_row.hide()
        keyboard.show()
        self.done_button.show()
        self._show_whole(field)

    def close_keyboard(self) -> None:
        for keyboard in (self.phone_keyboard, self.comment_keyboard):
            keyboard.hide()
            keyboard.clear_personal_state()
        self.header.show()
        self.prompt_label.setVisible(self.grade is None)
        self.grade_row.show()
        self.done_button.hide()

    # --- storing --------------------------------------------------------------------------------

    def submit(self) -> None:
        if self._submitting:
            return
        rating = self.current_rating()
        try:
            validate(rating)
        except RatingInvalid as exc:
            message, english = exc.message, exc.message_en
            self._show_error(lambda: pick(f"{message}\n{english}", english))
            return
        self.close_keyboard()
        self._submitted_phone = rating.phone
        self._submitting = True
        self.submit_button.setEnabled(False)
        self._show_error(None)
        call = self._worker.submit(store_rating, self.outbox, rating, self.receipt_no)
        call.finished.connect(self._on_stored)
        call.failed.connect(self._on_failed)

    def _on_stored(self, _item: object) -> None:
        self._submitting = False
        self._stop_worker()
        self._reset_form()
        phone, self._submitted_phone = self._submitted_phone, ""
        # Masked: enough for the resident to recognise their number, nothing for the next person to read.
        masked = mask_phone(phone)
        keep_made(self.thanks_detail, (lambda: bilingual(self.tr("如需回访，工作人员将致电 %1").replace("%1", masked),
                                                         f"We may call {masked}", "\n")) if phone else None)
        self.pages.setCurrentWidget(self.thanks_page)

    def _on_failed(self, error: object) -> None:
        self._submitting = False
        self._stop_worker()
        self.submit_button.setEnabled(self.grade is not None)
        if shown_as_bug(self, error, self.context, "rating: storing"):
            return
        self._show_error(
            lambda: self.tr("评价未能保存，请重试或到服务窗口。\nThe rating could not be stored: please try again."))

    def _show_error(self, make: Callable[[], str] | None) -> None:
        keep_made(self.error_label, make)
        self.error_label.setVisible(make is not None)

    # --- navigation and session -----------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        receipt = payload if isinstance(payload, str) and payload else None
        if self.pages.currentWidget() is self.thanks_page or (receipt is not None and receipt != self.receipt_no):
            self._reset_form()
            self.pages.setCurrentWidget(self.form_page)
        if receipt is not None:
            self.receipt_no = receipt
        number = self.receipt_no
        keep_made(self.receipt_label, (lambda: bilingual(self.tr("业务回执号：%1").replace("%1", number),
                                                         f"Receipt {number}", "\n")) if number else None)
        self.receipt_label.setVisible(self.receipt_no is not None)

    def _go_home(self) -> None:
        self.close_keyboard()
        self.context.go_home()

    def _reset_form(self) -> None:
        self.grade = None
        self.scores.clear()
        for button in self.grade_buttons:
            button.setChecked(False)
        for score_buttons in self.score_buttons.values():
            for score_button in score_buttons:
                score_button.setChecked(False)
        for box in self.reason_boxes.values():
            box.setChecked(False)
        self.comment_field.clear()
        self.phone_field.clear()
        self.close_keyboard()
        self.reasons_box.hide()
        self.details_area.hide()
        self.details_area.verticalScrollBar().setValue(0)
        self.filler.show()
        self.submit_button.setEnabled(False)
        self._show_error(None)

    def _stop_worker(self) -> None:
        self._worker.stop()

    def hideEvent(self, event: QHideEvent) -> None:
        # While a rating is being stored the worker stays to report it (the thank-you is waiting when the
        # resident comes back); otherwise no thread is kept for a screen nobody sees.
        if not self._submitting:
            self._stop_worker()
        super().hideEvent(event)

    def wipe(self) -> None:
        """Session end: no grade, score, reason, comment, phone or receipt survives."""
        self._stop_worker()
        self._submitting = False
        self._submitted_phone = ""
        self._reset_form()
        self.receipt_no = None
        keep_made(self.receipt_label, None)
        self.receipt_label.hide()
        keep_made(self.thanks_detail, None)
        self.pages.setCurrentWidget(self.form_page)
