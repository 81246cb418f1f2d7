"""The declaration wizard's form step: the card's values masked and read-only, then only the missing fields.

Each asked field is checked as the resident types (kiosk.resident.declaration.check_field) and the message shows
under it in Chinese and English (in English mode the English alone); an empty required field is flagged when
下一步 is pressed. Choice and check-box fields are rows of big buttons; dates, numbers and phone numbers get the
digit pad.

The card's values are one collapsed line (the masked name and ID number; 展开 shows the rest): on an
800-px screen with the keyboard up, every line spent on what needs no typing hides the field being typed.
While the keyboard is up the heading and that line hide and the focused field is scrolled into view.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.forms.template import FormField
from kiosk.resident.declaration import AskedField, Declaration, PrefilledField, Problem, check_field
from ui.i18n import bilingual
from ui.i18n.texts import keep_made, keep_other, pick
from ui.screens.declare.widgets import KeyboardDock, KeyboardKind, ScrollColumn, clear_layout
from ui.widgets.choices import follow_toggles
from ui.widgets.flow import FlowLayout
from ui.widgets.labels import text_label

_DIGIT_TYPES = frozenset({"number", "phone", "id_number", "date"})
_CHECKBOX_OPTIONS = ("是", "否")
_CHECKBOX_ENGLISH = {"是": "Yes", "否": "No"}


def keyboard_kind(field: FormField) -> KeyboardKind:
    if field.type in _DIGIT_TYPES:
        return "digits"
    return "chinese"


def placeholder(field: FormField) -> str:
    """The field's hint in the current language (a template's own hint is the form's text, as it is)."""
    if field.type == "date":
        return pick("年月日，如 19900307 · e.g. 19900307", "Year, month, day: e.g. 19900307")
    if field.type == "phone":
        return pick("11位手机号码 · 11-digit mobile", "11-digit mobile number")
    return field.hint or ""


class FieldEditor(QWidget):
    """One asked field: its label (必填 or 选填), the input, and the message under it."""

    def __init__(self, page: FormPage, asked: AskedField) -> None:
        super().__init__(page.area.body)
        field = asked.field
        self.page = page
        self.field = field
        self.setObjectName(f"declare_field_{field.id}")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(2)
        self.title = text_label(self, f"declare_field_{field.id}_label", "body")
        keep_made(self.title, lambda: field.label + (self.tr("（必填）") if field.required
                                                     else self.tr("（选填 optional）")))
        if not field.required:
            self.title.setProperty("declareOptional", True)
        box.addWidget(self.title)
        self.line: QLineEdit | None = None
        self.choices: dict[str, QPushButton] = {}
        value = page.declaration.values.get(field.id, "") if page.declaration is not None else ""
        if field.type in ("choice", "checkbox"):
            # Wrapped by the width the page gets (with or without a keyboard beside it, in either
            # orientation): a fixed number of columns squeezed long options below their text.
            row = FlowLayout(spacing=12)
            group = QButtonGroup(self)
            group.setExclusive(True)
            options = field.options if field.type == "choice" else _CHECKBOX_OPTIONS
            for index, option in enumerate(options):
                choice = QPushButton(option, self)
                if field.type == "checkbox":  # our 是 / 否, not the form's options
                    keep_made(choice, functools.partial(pick, option, _CHECKBOX_ENGLISH[option]))
                choice.setObjectName(f"declare_field_{field.id}_option_{index}")
                choice.setProperty("role", "secondary")
                choice.setProperty("declareRole", "choice")
                choice.setCheckable(True)
                stored = "是" if option == "是" else "" if field.type == "checkbox" else option
                choice.setChecked(bool(value) and value == stored and (field.type == "choice" or option == "是"))
                # toggled, not clicked: assistive technology's Toggle flips the check without a click.
                follow_toggles(choice, functools.partial(self._is_chosen, stored),
                               functools.partial(self._chosen, stored), exclusive=True)
                group.addButton(choice)
                self.choices[option] = choice
                row.addWidget(choice)
            box.addLayout(row)
        else:
            self.line = QLineEdit(self)
            self.line.setObjectName(f"declare_field_{field.id}_input")
            if field.max_length:
                self.line.setMaxLength(field.max_length)
            keep_made(self.line, lambda: placeholder(field))
            # What a screen reader says for the field: Qt hands the placeholder on as a mere description.
            self.line.setAccessibleName(field.label)
            self.line.setText(value)
            self.line.textChanged.connect(self._typed)
            page.keyboard.watch(self.line, keyboard_kind(field))
            box.addWidget(self.line)
        self.message = text_label(self, f"declare_field_{field.id}_message", "body")
        self.message.setProperty("declareRole", "error")
        self.message.hide()
        box.addWidget(self.message)

    def _is_chosen(self, value: str) -> bool:
        declaration = self.page.declaration
        return declaration is not None and declaration.values.get(self.field.id, "") == value

    def _chosen(self, value: str) -> None:
        self.page.set_value(self.field.id, value)
        self.show_problem(None)

    def _typed(self, text: str) -> None:
        self.page.set_value(self.field.id, text)
        template = self.page.declaration.template if self.page.declaration is not None else None
        if template is not None:
            self.show_problem(check_field(template, self.field.id, text))

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            keep_made(self.message, None)
            self.message.hide()
            return
        # One line where it fits: the message must stay in view above the keyboard with its field.
        keep_made(self.message, lambda: pick(f"{problem.zh} · {problem.en}", problem.en))
        self.message.show()
        if self.line is not None and self.line.hasFocus():
            self.page.area.reveal(self)


class FormPage(QWidget):
    """The form step. `load(declaration)` builds it; `check()` says whether 下一步 may go on; `changed`
    follows every value the resident types or chooses."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("declare_form_page")
        self.declaration: Declaration | None = None
        self.editors: dict[str, FieldEditor] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.heading = text_label(self, "declare_form_heading", "body")
        layout.addWidget(self.heading)
        work = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        work.setSpacing(16)
        self.area = ScrollColumn(self, "declare_form_area")
        work.addWidget(self.area, 3)
        self.keyboard = KeyboardDock(self, "declare_form_keyboard", work)
        self.keyboard.toggled.connect(self._keyboard_toggled)
        self.keyboard.opened_for.connect(self._typing_in)
        work.addWidget(self.keyboard)
        layout.addLayout(work, 1)
        self.card_box: QWidget | None = None
        self.card_values: QWidget | None = None
        self.card_toggle: QPushButton | None = None
        self.asked_title: QWidget | None = None

    def set_orientation(self, orientation: str) -> None:
        """The screen turned (ui/screen_fit.py): an open keyboard takes the new layout now, not at the next
        step (the choices wrap by themselves, ui/widgets/flow.py)."""
        self.keyboard.set_orientation(orientation)
        if self.keyboard.is_up and self.keyboard.keyboard is not None:
            self.area.reveal(self.keyboard.keyboard.target)  # the field being typed stays in view

    def _keyboard_toggled(self, up: bool) -> None:
        for widget in (self.heading, self.card_box, self.asked_title):
            if widget is not None:
                widget.setVisible(not up)
        if self.card_values is not None and up:
            self._show_card_values(False)

    def _typing_in(self, field: QWidget) -> None:
        editor = next((e for e in self.editors.values() if e.line is field), None)
        if editor is not None:
            self.area.reveal(editor)

    def _show_card_values(self, shown: bool) -> None:
        if self.card_values is None or self.card_toggle is None:
            return
        self.card_values.setVisible(shown)
        keep_made(self.card_toggle, lambda: self.tr("收起 Less") if shown else self.tr("展开 Show all"))

    def load(self, declaration: Declaration) -> None:
        if declaration is self.declaration and self.editors:
            return
        self.clear()
        self.declaration = declaration
        plan = declaration.plan
        if plan is None:
            return
        self.heading.setText(f"{plan.template.title} · {plan.template.title_en}")
        column = self.area.column
        if plan.prefilled:
            self._card_summary(plan.prefilled)
        if plan.asked:
            self.asked_title = text_label(self.area.body, "declare_form_asked_title", "body")
            keep_made(self.asked_title,
                      lambda: bilingual(self.tr("请填写以下内容"), "Please fill in the following", " · "))
            column.addWidget(self.asked_title)
            for asked in plan.asked:
                editor = FieldEditor(self, asked)
                self.editors[asked.field.id] = editor
                column.addWidget(editor)
        else:
            nothing = text_label(self.area.body, "declare_form_nothing", "body")
            keep_made(nothing, lambda: bilingual(self.tr("表格已全部填好，请点“下一步”。"),
                                                 "The form is complete: tap Next.", "\n"))
            column.addWidget(nothing)
        column.addStretch(1)

    def _card_summary(self, prefilled: tuple[PrefilledField, ...]) -> None:
        """One line: the first two values read from the card (masked), how many more; 展开 shows them all."""
        body = self.area.body
        box = QWidget(body)
        box.setObjectName("declare_form_card_box")
        box.setProperty("declareRole", "card")
        rows = QVBoxLayout(box)
        rows.setContentsMargins(16, 4, 8, 4)
        rows.setSpacing(2)
        line = QHBoxLayout()
        shown = "  ".join(f"{p.field.label} {p.shown}" for p in prefilled[:2])
        more = len(prefilled) - 2
        count = len(prefilled)

        def summary() -> str:
            total = self.tr(" 等%1项").replace("%1", str(count)) if more > 0 else ""
            return self.tr("已从卡片读取：") + shown + total

        texts = QVBoxLayout()
        texts.setSpacing(0)
        summary_label = text_label(box, "declare_form_card_summary", "body")
        keep_made(summary_label, summary)
        other = text_label(box, "declare_form_card_summary_en", "subtitle")
        keep_other(other, "已从卡片读取，无需填写", "Read from your card: nothing to type")
        texts.addWidget(summary_label)
        texts.addWidget(other)
        line.addLayout(texts, 1)
        values = QWidget(box)
        values.setObjectName("declare_form_card_values")
        grid = QGridLayout(values)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        for row, item in enumerate(prefilled):
            grid.addWidget(text_label(values, f"declare_card_label_{item.field.id}", "subtitle",
                                      item.field.label), row, 0)
            grid.addWidget(text_label(values, f"declare_card_value_{item.field.id}", "body", item.shown), row, 1)
        grid.setColumnStretch(1, 1)
        self.card_box, self.card_values = box, values
        if more > 0:
            self.card_toggle = QPushButton(box)
            self.card_toggle.setObjectName("declare_form_card_toggle")
            self.card_toggle.setProperty("role", "secondary")
            self.card_toggle.clicked.connect(lambda: self._show_card_values(values.isHidden()))
            line.addWidget(self.card_toggle, 0, Qt.AlignmentFlag.AlignVCenter)
        rows.addLayout(line)
        rows.addWidget(values)
        self._show_card_values(False)
        self.area.column.addWidget(box)

    def set_value(self, field_id: str, value: str) -> None:
        if self.declaration is not None:
            self.declaration.set_value(field_id, value)
            self.changed.emit()

    def missing(self) -> list[tuple[str, str]]:
        """(field id, label) of every field 下一步 would refuse now, in the form's order."""
        if self.declaration is None:
            return []
        return [(p.key, self.editors[p.key].field.label) for p in self.declaration.form_problems()
                if p.key in self.editors]

    def check(self) -> bool:
        """Shows every problem under its field and scrolls to the first; True when there is none."""
        if self.declaration is None:
            return False
        problems = {p.key: p for p in self.declaration.form_problems()}
        first: QWidget | None = None
        for field_id, editor in self.editors.items():
            problem = problems.get(field_id)
            editor.show_problem(problem)
            if problem is not None and first is None:
                first = editor
        if first is not None:
            self.area.reveal(first)  # once its message, shown just now, is laid out
            return False
        self.keyboard.close_keyboard()
        return True

    def clear(self) -> None:
        for editor in self.editors.values():
            if editor.line is not None:
                self.keyboard.forget(editor.line)
        self.keyboard.close_keyboard()
        self.editors.clear()
        self.card_box = self.card_values = self.card_toggle = self.asked_title = None
        clear_layout(self.area.column)
        self.heading.clear()
        self.declaration = None


def first_error_text(page: FormPage) -> str:
    """The text of the first visible field message (for tests and the screen's status line)."""
    for editor in page.editors.values():
        if not editor.message.isHidden():
            return editor.message.text()
    return ""
