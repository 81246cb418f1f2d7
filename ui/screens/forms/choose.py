"""Form printing (表格打印, "forms"): choose a form, blank or pre-filled from a card, preview, print.

Pages, one after another: the list of forms → blank or pre-filled → (pre-filled) present a card, read on
a `DeviceWorker("cardreader")` → a preview that lists what the paper will carry, personal values masked →
打印 hands a `PrintRequest` to the print screen. No PDF rasteriser is available without new dependencies
(QtPdf is not in the installed wheels), so the preview is a structured summary rather than a page image.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.identity.read import (
    IdentifyCanceled,
    message_for,
    read_resident_from,
)
from kiosk.identity.resident import Resident
from kiosk.resident.form_choices import FormChoice, form_choices, form_print_request, prefill_values, preview_rows
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.terms import term
from ui.i18n.texts import keep, keep_made, keep_other, pick, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.guide_row import GuideRowButton
from ui.widgets.kinetic import make_kinetic
from ui.widgets.labels import text_label
from ui.workers import Call, DeviceWorker

CARD_TIMEOUT_S = 60.0


def _button(parent: QWidget, name: str, source: str, slot: Any, *, secondary: bool = False) -> QPushButton:
    """`source` marked with QT_TRANSLATE_NOOP("FormsScreen", ...), or a text of its own (a form's name)."""
    button = QPushButton(parent)
    keep(button, "FormsScreen", source)
    button.setObjectName(name)
    if secondary:
        button.setProperty("role", "secondary")
    button.clicked.connect(slot)
    return button


class FormButton(GuideRowButton):
    """A form in the list: its name large, the services it is for beneath (the catalogue's names, in
    Chinese), both wrapping: a form's English name is long, and on one line it was cut in elder type on a
    portrait screen."""

    def __init__(self, choice: FormChoice, parent: QWidget) -> None:
        super().__init__(0, parent)
        template = choice.template
        self.setObjectName(f"form_{choice.id}")
        self.setAccessibleName(f"{template.title} {template.title_en}")
        layout = self.layout()
        if layout is not None:  # as tight as the one-line buttons were: five forms in view at 1280x800
            layout.setContentsMargins(24, 6, 24, 6)
            layout.setSpacing(0)
        keep_made(self.name_label, lambda: pick(template.title, template.title_en))
        keep_made(self.details_label,
                  lambda: pick("、", ", ").join(choice.service_names) or template.department)


class FormsScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forms_screen")
        self.context = context
        self.choices: list[FormChoice] = []
        self.choice: FormChoice | None = None
        self.resident: Resident | None = None
        self.values: dict[str, str] = {}
        self.card_error: BaseException | None = None
        self._call: Call | None = None
        self._cancel: threading.Event | None = None
        self._workers: dict[Call, DeviceWorker] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 12, 48, 16)
        layout.setSpacing(8)
        self.title_label = text_label(self, "forms_title", "title")
        keep(self.title_label, "FormsScreen", QT_TRANSLATE_NOOP("FormsScreen", "表格打印"))
        self.subtitle_label = text_label(self, "forms_subtitle", "subtitle")
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("forms_pages")
        layout.addWidget(self.pages, 1)
        self._build_list_page()
        self._build_mode_page()
        self._build_card_page()
        self._build_preview_page()
        self.show_list()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
            if self.pages.currentWidget() is self.preview_page:
                self.show_preview()  # its heading counts what the card filled in
        super().changeEvent(event)

    # pages

    def _build_list_page(self) -> None:
        self.list_page = QWidget(self.pages)
        self.list_page.setObjectName("forms_list_page")
        outer = QVBoxLayout(self.list_page)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self.list_page)
        scroll.setObjectName("forms_list_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget(scroll)
        holder.setObjectName("forms_list")
        self.list_layout = QVBoxLayout(holder)
        self.list_layout.setSpacing(12)
        self.list_layout.addStretch(1)
        scroll.setWidget(holder)
        make_kinetic(scroll)
        outer.addWidget(scroll, 1)
        self.list_home_button = _button(self.list_page, "forms_home_button",
                                        QT_TRANSLATE_NOOP("FormsScreen", "返回首页 Home"),
                                        self.go_home, secondary=True)
        outer.addWidget(self.list_home_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(self.list_page)
        self.form_buttons: dict[str, FormButton] = {}

    def _build_mode_page(self) -> None:
        self.mode_page = QWidget(self.pages)
        self.mode_page.setObjectName("forms_mode_page")
        layout = QVBoxLayout(self.mode_page)
        layout.setSpacing(20)
        self.mode_form_label = text_label(self.mode_page, "forms_mode_form", "body")
        self.blank_button = _button(self.mode_page, "forms_blank_button",
                                    QT_TRANSLATE_NOOP("FormsScreen", "打印空白表格\nBlank form: fill in by hand"),
                                    self.choose_blank)
        self.prefill_button = _button(self.mode_page, "forms_prefill_button",
                                      QT_TRANSLATE_NOOP("FormsScreen",
                                                        "刷卡预填姓名、证件号等\n"
                                                        "Pre-fill from my ID card or citizen card"),
                                      self.choose_prefill)
        note = text_label(self.mode_page, "forms_prefill_note", "subtitle")
        keep_made(note, lambda: bilingual(self.tr("预填只填写卡上的信息，其余栏目打印后手写。"),
                                          "Pre-filling uses only what is on the card; write the rest by hand.", "\n"))
        back = _button(self.mode_page, "forms_mode_back_button",
                       QT_TRANSLATE_NOOP("FormsScreen", "返回 Back"), self.show_list,
                       secondary=True)
        layout.addWidget(self.mode_form_label)
        layout.addWidget(self.blank_button)
        layout.addWidget(self.prefill_button)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(self.mode_page)

    def _build_card_page(self) -> None:
        self.card_page = QWidget(self.pages)
        self.card_page.setObjectName("forms_card_page")
        layout = QVBoxLayout(self.card_page)
        layout.setSpacing(16)
        self.card_prompt = text_label(self.card_page, "forms_card_prompt", "title")
        keep(self.card_prompt, "FormsScreen", QT_TRANSLATE_NOOP("FormsScreen", "请将身份证或市民卡放在读卡区"))
        self.card_prompt_en = text_label(self.card_page, "forms_card_prompt_en", "subtitle")
        keep_other(self.card_prompt_en, "请将身份证或市民卡放在读卡区",
                   "Place your ID card or citizen card on the card reader.")
        self.card_message = text_label(self.card_page, "forms_card_message", "body")
        self.card_message_en = text_label(self.card_page, "forms_card_message_en", "subtitle")
        self.card_message_en.setProperty("otherLanguage", True)  # the other language's line
        for label in (self.card_prompt, self.card_prompt_en, self.card_message, self.card_message_en):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.card_retry_button = _button(self.card_page, "forms_card_retry_button",
                                         QT_TRANSLATE_NOOP("FormsScreen", "重新读卡 Try again"),
                                         self.start_card_read)
        self.card_blank_button = _button(self.card_page, "forms_card_blank_button",
                                         QT_TRANSLATE_NOOP("FormsScreen", "改印空白表格 Blank form"), self.choose_blank,
                                         secondary=True)
        self.card_back_button = _button(self.card_page, "forms_card_back_button",
                                        QT_TRANSLATE_NOOP("FormsScreen", "返回 Back"),
                                        self.cancel_card_read, secondary=True)
        row.addStretch(1)
        for button in (self.card_retry_button, self.card_blank_button, self.card_back_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addStretch(1)
        layout.addWidget(self.card_prompt)
        layout.addWidget(self.card_prompt_en)
        layout.addSpacing(16)
        layout.addWidget(self.card_message)
        layout.addWidget(self.card_message_en)
        layout.addStretch(2)
        layout.addLayout(row)
        self.pages.addWidget(self.card_page)

    def _build_preview_page(self) -> None:
        self.preview_page = QWidget(self.pages)
        self.preview_page.setObjectName("forms_preview_page")
        layout = QVBoxLayout(self.preview_page)
        layout.setSpacing(12)
        self.preview_heading = text_label(self.preview_page, "forms_preview_heading", "body")
        scroll = QScrollArea(self.preview_page)
        scroll.setObjectName("forms_preview_scroll")
        scroll.setWidgetResizable(True)
        self.preview_holder = QWidget(scroll)
        self.preview_holder.setObjectName("forms_preview")
        self.preview_grid = QGridLayout(self.preview_holder)
        self.preview_grid.setHorizontalSpacing(24)
        self.preview_grid.setVerticalSpacing(6)
        scroll.setWidget(self.preview_holder)
        make_kinetic(scroll)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.print_button = _button(self.preview_page, "forms_print_button",
                                    QT_TRANSLATE_NOOP("FormsScreen", "打印 Print"), self.print_form)
        self.print_button.setMinimumWidth(280)
        self.preview_back_button = _button(self.preview_page, "forms_preview_back_button",
                                           QT_TRANSLATE_NOOP("FormsScreen", "返回 Back"),
                                           self.back_from_preview, secondary=True)
        row.addWidget(self.preview_back_button)
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout.addWidget(self.preview_heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        self.pages.addWidget(self.preview_page)

    # navigation between pages

    def enter(self, payload: Any) -> None:
        if payload is None and self.pages.currentWidget() is not self.preview_page:
            self.show_list()

    def show_list(self) -> None:
        self._stop_card_read()
        if not self.choices:
            self._fill_list()
        self._forget_resident()
        self.choice = None
        keep_made(self.subtitle_label, lambda: bilingual(self.tr("请选择要打印的表格"), "Choose a form to print", "  "))
        self.pages.setCurrentWidget(self.list_page)

    def _fill_list(self) -> None:
        self.choices = form_choices(self._service_lookup())
        for choice in self.choices:
            button = FormButton(choice, self.list_page)
            button.clicked.connect(lambda _=False, c=choice: self.choose(c))
            self.list_layout.insertWidget(self.list_layout.count() - 1, button)
            self.form_buttons[choice.id] = button

    def _service_lookup(self) -> Any:
        catalog = self.context.runtime.cache.catalog
        if catalog.version() is None:
            return None

        def lookup(code: str) -> str | None:
            item = catalog.get(code)
            return item.name if item is not None else None
        return lookup

    def choose(self, choice: FormChoice) -> None:
        self.choice = choice
        title, title_en = choice.template.title, choice.template.title_en
        keep_made(self.mode_form_label, lambda: pick(f"{title}  {title_en}", title_en))
        keep_made(self.subtitle_label,
                  lambda: bilingual(self.tr("空白表格还是预填表格？"), "Blank or pre-filled?", "  "))
        self.pages.setCurrentWidget(self.mode_page)

    def choose_blank(self) -> None:
        self._stop_card_read()
        self._forget_resident()
        self.show_preview()

    def choose_prefill(self) -> None:
        self.start_card_read()

    # the card

    def start_card_read(self) -> None:
        self._stop_card_read()
        self.card_error = None
        keep_made(self.card_message, lambda: self.tr("正在等待读卡…"))
        keep_made(self.card_message_en, lambda: pick("Waiting for a card…", "正在等待读卡…"))
        self.card_retry_button.hide()
        keep_made(self.subtitle_label, lambda: bilingual(self.tr("刷卡预填"), "Pre-fill from a card", "  "))
        self.pages.setCurrentWidget(self.card_page)
        cancel = threading.Event()
        worker = DeviceWorker("cardreader", self)
        # Opening the readers touches the serial port / PC/SC: do it on the worker as well.
        call = worker.submit(read_resident_from, self.context.runtime.devices, CARD_TIMEOUT_S, cancel)
        call.finished.connect(lambda value, c=call: self._on_card(c, value))
        call.failed.connect(lambda exc, c=call: self._on_card_failed(c, exc))
        self._workers[call] = worker
        self._call, self._cancel = call, cancel

    def cancel_card_read(self) -> None:
        self._stop_card_read()
        if self.choice is not None:
            self.choose(self.choice)
        else:
            self.show_list()

    def _stop_card_read(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self._call = self._cancel = None

    def _on_card(self, call: Call, value: object) -> None:
        self._release(call)
        if call is not self._call:
            return
        self._call = self._cancel = None
        if isinstance(value, Resident) and self.choice is not None:
            self.resident = value
            self.values = prefill_values(self.choice.template, value)
            self.show_preview()

    def _on_card_failed(self, call: Call, exc: object) -> None:
        self._release(call)
        if call is not self._call:
            return
        self._call = self._cancel = None
        if isinstance(exc, IdentifyCanceled):
            return
        if shown_as_bug(self, exc, self.context, "forms: the card read"):
            keep_made(self.card_message, None)
            keep_made(self.card_message_en, None)
            self.card_retry_button.show()
            return
        error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.card_error = error
        zh, en = message_for(error)
        keep_made(self.card_message, lambda: pick(self.tr(zh), en))
        keep_made(self.card_message_en, lambda: pick(en, zh))
        self.card_retry_button.show()

    def _release(self, call: Call) -> None:
        worker = self._workers.pop(call, None)
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()

    # preview and print

    def show_preview(self) -> None:
        if self.choice is None:
            self.show_list()
            return
        template = self.choice.template
        rows = preview_rows(template, self.values, self.resident)
        self._clear_preview()
        filled = sum(1 for row in rows if row.prefilled)
        count = len(rows)
        if self.resident is None:
            keep_made(self.preview_heading, lambda: bilingual(
                self.tr("空白表格，共 %n 栏，打印后手写。", "", count),
                f"Blank form with {count} fields to fill in by hand.", "\n"))
        else:
            keep_made(self.preview_heading, lambda: bilingual(
                self.tr("已按卡片预填 %n 栏，其余栏目打印后手写。", "", filled),
                f"{filled} fields pre-filled from the card; write the rest by hand.", "\n"))
        grid_row = 0
        section = None
        for row in rows:
            if row.section != section:
                section = row.section
                title = text_label(self.preview_holder, f"preview_section_{grid_row}", "body", section)
                title.setStyleSheet("font-weight: bold;")
                self.preview_grid.addWidget(title, grid_row, 0, 1, 2)
                grid_row += 1
            label = text_label(self.preview_holder, f"preview_label_{grid_row}", "subtitle", row.label)
            value = text_label(self.preview_holder, f"preview_value_{grid_row}", "body")
            # The card's values (masked) as they are; our 已填写 and （手写） in the screen's language.
            keep_made(value, partial(term, row.value) if row.value else self._by_hand)
            if not row.value:
                value.setProperty("role", "subtitle")
            self.preview_grid.addWidget(label, grid_row, 0)
            self.preview_grid.addWidget(value, grid_row, 1)
            grid_row += 1
        self.preview_grid.setColumnStretch(1, 1)
        self.preview_grid.setRowStretch(grid_row, 1)
        form_title, form_title_en = template.title, template.title_en

        def subtitle() -> str:
            check = self.tr("请核对后打印")
            return pick(f"{form_title} · {check}  Check, then print", f"{form_title_en or form_title} · {check}")

        keep_made(self.subtitle_label, subtitle)
        self.pages.setCurrentWidget(self.preview_page)

    def _by_hand(self) -> str:
        return self.tr("（手写）")

    def _clear_preview(self) -> None:
        while self.preview_grid.count():
            item = self.preview_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def back_from_preview(self) -> None:
        if self.choice is not None:
            self._forget_resident()
            self.choose(self.choice)
        else:
            self.show_list()

    def print_form(self) -> None:
        if self.choice is None:
            return
        request = form_print_request(self.choice.template, self.values)
        self.context.navigate("print", request)

    def go_home(self) -> None:
        self.wipe()
        self.context.go_home()

    # privacy

    def _forget_resident(self) -> None:
        self.resident = None
        self.values = {}
        self.card_error = None
        self._clear_preview()
        keep_made(self.preview_heading, None)

    def wipe(self) -> None:
        """Session end: stop reading, forget the resident, the values and the preview; back to the list."""
        self._stop_card_read()
        self._forget_resident()
        keep_made(self.card_message, None)
        keep_made(self.card_message_en, None)
        self.choice = None
        self.pages.setCurrentWidget(self.list_page)

    def shutdown(self) -> None:
        """Stops every reader worker now (application exit, tests)."""
        self._stop_card_read()
        for call in list(self._workers):
            call.cancel()
            self._release(call)
