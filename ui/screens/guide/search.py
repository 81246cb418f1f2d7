"""Guide lookup (办事指南): a large search field, category buttons, and results that follow the typing.

The search field is a plain QLineEdit named "guide_search_field" so the on-screen keyboard
(ui/widgets/keyboard.py) can attach to it; this screen builds no keyboard of its own.

Type-ahead runs the search on the GUI thread: a first page costs about 1 ms on 60,000 items
(offline_cache/search.py, bench/search.py), and refilling the pooled result rows a few more, far
below a frame. A short debounce still coalesces a burst of key presses (or a whole candidate word
from the keyboard) into one search.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.resident.guides import ALL, PAGE_SIZE, CategoryFilter, GuideRow, Guides
from ui.context import AppContext
from ui.i18n import current_language
from ui.i18n.terms import term
from ui.widgets.choices import follow_toggles
from ui.widgets.guide_row import GuideRowButton
from ui.widgets.keyboard import attach_keyboard
from ui.widgets.kinetic import EdgeHint, make_kinetic, tap_to_type

# Long enough to merge a burst of key presses, short enough that the list feels instant.
DEBOUNCE_MS = 120

# Geometry only (no fonts, no theme colours): sizes in em follow the theme's type size.
_LOCAL_STYLE = """
QLineEdit#guide_search_field { min-height: 2.2em; padding: 0 0.6em; border-radius: 10px; border: 3px solid #4a5568; }
QLineEdit#guide_search_field:focus { border-color: #0b5cad; }
QPushButton[guideRow="true"] { text-align: left; padding: 12px 24px; border-radius: 12px; }
QPushButton[guideRow="true"] QLabel { background: transparent; }
QLabel#guide_result_caption { font-weight: bold; }
QScrollArea#guide_results_area, QScrollArea#guide_categories_area { border: none; background: transparent; }
QScrollArea#guide_results_area > QWidget > QWidget, QScrollArea#guide_categories_area > QWidget > QWidget {
    background: transparent;
}
"""


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a property the sheet selects on has changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class GuideScreen(QWidget):
    """Registered as "guide" (the home tile's key). Payload: none."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_screen")
        self.setStyleSheet(_LOCAL_STYLE)
        self.context = context
        self.guides = Guides(context.runtime.cache)
        self.category: CategoryFilter = ALL
        self.rows_shown: list[GuideRow] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.setSpacing(14)

        top = QHBoxLayout()
        top.setSpacing(24)
        self.back_button = QPushButton(self.tr("返回首页"), self)
        self.back_button.setObjectName("guide_back_button")
        self.back_button.setProperty("role", "secondary")
        self.back_button.clicked.connect(self._go_back)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        title = QLabel(self.tr("办事指南"), self)
        title.setObjectName("guide_title")
        title.setProperty("role", "title")
        subtitle = QLabel(self)
        subtitle.setProperty("role", "subtitle")
        subtitle.setProperty("otherLanguage", True)  # the other language's line, as on the home screen
        self.title_label, self.subtitle_label = title, subtitle
        titles.addWidget(title)
        titles.addWidget(subtitle)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(titles)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("guide_search_field")
        self.search_field.setPlaceholderText(self.tr("输入事项名称或拼音首字母，如 sfz（身份证）"))
        self.search_field.setAccessibleName(self.tr("搜索办事指南"))
        self.search_field.textChanged.connect(self._text_changed)
        # One row with the title: every line saved is one more result above the on-screen keyboard.
        top.addWidget(self.search_field, 1, Qt.AlignmentFlag.AlignVCenter)
        # Qt's own clear button inside the field is a 14-px cross: far under a finger, and nameless to a
        # screen reader. This one is a full-size button beside the field, there while there is text.
        self.clear_button = QPushButton(self.tr("清除"), self)
        self.clear_button.setObjectName("guide_clear_button")
        self.clear_button.setProperty("role", "secondary")
        self.clear_button.setAccessibleName(self.tr("清除搜索内容"))
        self.clear_button.clicked.connect(self._clear_query)
        self.clear_button.hide()
        top.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)

        self.categories_area = QScrollArea(self)
        self.categories_area.setObjectName("guide_categories_area")
        self.categories_area.setWidgetResizable(True)
        self.categories_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # No bar under the chips (a touch-sized one would take a whole row): a swipe moves them, and a
        # "更多 ›" tag on the cut edge says there are more.
        self.categories_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.categories_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        strip = QWidget(self.categories_area)
        self.categories_layout = QHBoxLayout(strip)
        self.categories_layout.setContentsMargins(0, 0, 0, 0)
        self.categories_layout.setSpacing(12)
        self.categories_area.setWidget(strip)
        make_kinetic(self.categories_area)
        self.categories_hint = EdgeHint(self.categories_area)
        self.category_group = QButtonGroup(self)
        self.category_group.setExclusive(True)
        self.category_buttons: dict[str, QPushButton] = {}
        layout.addWidget(self.categories_area)

        self.caption = QLabel(self)
        self.caption.setObjectName("guide_result_caption")
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("guide_empty_label")
        self.empty_label.setProperty("role", "body")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        self.results_area = QScrollArea(self)
        self.results_area.setObjectName("guide_results_area")
        self.results_area.setWidgetResizable(True)
        self.results_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        results = QWidget(self.results_area)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 12, 0)
        results_layout.setSpacing(10)
        # A fixed pool of rows, refilled on each search: no widget churn while the resident types.
        self.row_buttons = [GuideRowButton(i, results) for i in range(PAGE_SIZE)]
        for button in self.row_buttons:
            button.clicked.connect(lambda _checked=False, b=button: self._open(b.code))
            button.hide()
            results_layout.addWidget(button)
        results_layout.addStretch(1)
        self.results_area.setWidget(results)
        make_kinetic(self.results_area)
        layout.addWidget(self.results_area, 1)
        # The on-screen keyboard under the results: letters first, since the search matches pinyin
        # initials and full pinyin as typed; its 中文 and 手写 keys put in hanzi for a name search.
        self.keyboard = attach_keyboard(self.search_field, "letters")
        # Out of the way until the resident touches the search field, so results have the room.
        self.keyboard.hide()
        # On a tap, not at the press: a finger that slides off the field to scroll the list opens nothing.
        tap_to_type(self.search_field).tapped.connect(self.keyboard.show)
        self.keyboard.installEventFilter(self)
        self.orientation = "landscape"

        self.debounce = QTimer(self)
        self.debounce.setObjectName("guide_search_timer")
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.refresh)

        self._build_categories()
        self.retranslate()

    def retranslate(self) -> None:
        """Re-sets every text in the current language, the shown results' included."""
        english = current_language() != "zh_CN"
        self.back_button.setText(self.tr("返回首页"))
        self.title_label.setText(self.tr("办事指南"))
        self.subtitle_label.setText("办事指南" if english else "Service guides")
        self.search_field.setPlaceholderText(self.tr("输入事项名称或拼音首字母，如 sfz（身份证）"))
        self.search_field.setAccessibleName(self.tr("搜索办事指南"))
        self.clear_button.setText(self.tr("清除"))
        self.clear_button.setAccessibleName(self.tr("清除搜索内容"))
        for button in self.category_buttons.values():
            button.setText(self._category_text(button.property("category")))
        if self.caption.text():
            self.refresh()
        self._fit_categories()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Once the buttons have their new style too: measured now, elder mode kept the normal widths and
            # the chips' texts were cut ("个人办事" as "`人办ī").
            QTimer.singleShot(0, self, self._fit_categories)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_categories()

    def _fit_categories(self) -> None:
        """The strip is exactly one row of buttons: elder mode makes it taller."""
        strip = self.categories_area.widget()
        if strip is None:
            return
        # Buttons keep their full text (the layout would otherwise squeeze them to fit the viewport).
        for button in self.category_buttons.values():
            button.setMinimumWidth(button.sizeHint().width())
        self.categories_layout.invalidate()
        strip.adjustSize()
        self.categories_area.setFixedHeight(strip.sizeHint().height() + 8)
        self.categories_hint.update()

    # --- the navigator's hooks -------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        """Shown from home or back from a guide: the query and category stay; results are re-read
        (a sync may have replaced the catalogue meanwhile)."""
        if not self.category_buttons:
            self._build_categories()
        self.refresh()
        self.search_field.setFocus()

    def wipe(self) -> None:
        """Session end: a query can say what a resident came about, so it goes with them."""
        self.debounce.stop()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.clear_button.hide()
        self._select(ALL)
        self._show_rows([])
        self.caption.clear()
        self.empty_label.hide()
        if self.keyboard is not None:
            self.keyboard.hide()
        self.results_area.verticalScrollBar().setValue(0)

    # --- behaviour -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Runs the search for the current text and category now."""
        self.debounce.stop()
        query = self.search_field.text().strip()
        rows = self.guides.search(query, self.category)
        self._show_rows(rows)
        if query:
            caption = self.tr("「%1」的搜索结果").replace("%1", query)
        elif self.category == ALL:
            caption = self.tr("常办事项")
        else:
            caption = self.tr("%1 的常办事项").replace("%1", term(self.category.label))
        if len(rows) >= PAGE_SIZE:
            caption += self.tr("（显示前 %1 项，输入更多文字可缩小范围）").replace("%1", str(PAGE_SIZE))
        self.caption.setText(caption)
        if rows:
            self.empty_label.hide()
        else:
            where = "" if self.category == ALL else self.tr("在「%1」中").replace("%1", term(self.category.label))
            self.empty_label.setText(
                self.tr("%1没有找到相关事项。试试拼音首字母，如 sfz（身份证）；或者选「全部」再找。")
                .replace("%1", where)
            )
            self.empty_label.show()
        self.results_area.verticalScrollBar().setValue(0)

    def _text_changed(self, text: str) -> None:
        self.clear_button.setVisible(bool(text))
        self.debounce.start()

    def _clear_query(self) -> None:
        self.search_field.clear()
        self.search_field.setFocus()

    def _build_categories(self) -> None:
        themes = 0
        for category in self.guides.categories():
            if category.kind == "theme":
                name = f"guide_category_theme_{themes}"
                themes += 1
            else:
                name = f"guide_category_{category.value or 'all'}"
            button = QPushButton(self._category_text(category), self.categories_area.widget())
            button.setProperty("category", category)
            button.setObjectName(name)
            button.setCheckable(True)
            # Never squeezed below the text: the strip scrolls instead.
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.setProperty("role", "secondary")
            button.setProperty("category_key", category.key)
            # A tap, or assistive technology's Toggle (a check without a click) on a chip not yet chosen.
            follow_toggles(button, partial(self._chosen, category), partial(self._choose, category), exclusive=True)
            self.category_group.addButton(button)
            self.categories_layout.addWidget(button)
            self.category_buttons[category.key] = button
        self.categories_layout.addStretch(1)
        self._select(self.category)

    @staticmethod
    def _category_text(category: CategoryFilter) -> str:
        if category.kind == "theme":
            return f"{category.label} {category.item_count}"  # a catalogue theme: its own name
        return term(category.label)

    def category_button(self, label: str) -> QPushButton:
        """The button of the category labelled `label` (全部, 个人办事, 户籍 ...), for tests and voice."""
        for key, button in self.category_buttons.items():
            chinese = button.property("category").label
            if (key == "all" and label == "全部") or key.endswith(f":{label}") or label in (button.text(), chinese):
                return button
        raise KeyError(label)

    def _chosen(self, category: CategoryFilter) -> bool:
        return self.category.key == category.key

    def _choose(self, category: CategoryFilter) -> None:
        self._select(category)
        self.refresh()

    def _select(self, category: CategoryFilter) -> None:
        self.category = category
        for key, button in self.category_buttons.items():
            chosen = key == category.key
            button.setChecked(chosen)
            # The chosen one in the theme's accent colour, the rest outlined: visible without colour vision too.
            role = "" if chosen else "secondary"
            if button.property("role") != role:
                button.setProperty("role", role)
                repolish(button)
        # The accent style is measured anew: with the outlined one's minimum width the chosen chip's text
        # was cut at both ends ("户籍 16" as "ㄅ籍 1(").
        self._fit_categories()

    def _show_rows(self, rows: list[GuideRow]) -> None:
        self.rows_shown = rows
        for index, button in enumerate(self.row_buttons):
            if index < len(rows):
                button.show_row(rows[index])
            else:
                button.clear_row()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.keyboard and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._make_room()
        return super().eventFilter(watched, event)

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py)."""
        self.orientation = orientation
        self._make_room()

    def _make_room(self) -> None:
        """On a landscape screen the categories and the caption step aside while the keyboard is up (the
        field shows what was typed): at elder size they and the keys left no room for a single result on
        800 px. A portrait screen has the height for all of them."""
        typing = self.keyboard is not None and not self.keyboard.isHidden()
        roomy = not (typing and self.orientation == "landscape")
        self.categories_area.setVisible(roomy)
        self.caption.setVisible(roomy)

    def _open(self, code: str) -> None:
        if code:
            if self.keyboard is not None:
                self.keyboard.hide()
            self.context.navigate("guide_detail", code)

    def _go_back(self) -> None:
        self.context.go_home()
