"""The declaration wizard's simpler pages: identify, choose the service, delivery, review, submit and done.

They only lay things out and report what the resident chose; the screen (ui/screens/declare/wizard.py) moves
between them, runs the blocking work on workers, and owns the `Declaration`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.privacy import mask_id_number, mask_name
from kiosk.resident.declaration import Declaration, Delivery, MaterialState, Problem, ServiceItem, mask_value
from kiosk.resident.guides import GuideRow
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.texts import keep, keep_lines, keep_made, keep_other, pick
from ui.screens.declare.materials import status_text
from ui.screens.declare.widgets import KeyboardDock, ScrollColumn, button, clear_layout
from ui.widgets.choices import follow_toggles
from ui.widgets.guide_row import GuideRowButton
from ui.widgets.labels import text_label

_IDENTIFY, _SERVICE, _DELIVERY, _REVIEW, _SUBMIT, _DONE = (
    "IdentifyPage", "ServicePage", "DeliveryPage", "ReviewPage", "SubmitPage", "DonePage")


def centred(*labels: Any) -> None:
    for widget in labels:
        widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)


class IdentifyPage(QWidget):
    """Step 1: waiting for a card, why a read failed, or who was identified (masked) with 换一张卡.

    Each line in the screen's language has the other language's line under it (the wizard's changeEvent
    re-sets them all on a language switch)."""

    def __init__(self, parent: QWidget, retry: Callable[[], None], change_card: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_identify_page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Centred, and scrolling only if elder type with the failure hint would not fit.
        area = ScrollColumn(self, "declare_identify_area")
        outer.addWidget(area)
        body, layout = area.body, area.column
        layout.setSpacing(6)
        self.prompt = text_label(body, "declare_card_prompt", "title")
        self.prompt_en = text_label(body, "declare_card_prompt_en", "subtitle")
        keep(self.prompt, _IDENTIFY, QT_TRANSLATE_NOOP("IdentifyPage", "请将身份证或市民卡放在读卡区"))
        keep_other(self.prompt_en, "请将身份证或市民卡放在读卡区",
                   "Place your ID card or citizen card on the card reader.")
        self.message = text_label(body, "declare_card_message", "body")
        self.message_en = text_label(body, "declare_card_message_en", "subtitle")
        self.hint = text_label(body, "declare_card_hint", "body")
        self.hint_en = text_label(body, "declare_card_hint_en", "subtitle")
        keep(self.hint, _IDENTIFY,
             QT_TRANSLATE_NOOP("IdentifyPage", "这张卡读不出来？可以换一张卡：身份证或市民卡都可以。"))
        keep_other(self.hint_en, "这张卡读不出来？可以换一张卡：身份证或市民卡都可以。",
                   "This card will not read? Use the other card: an ID card or a citizen card.")
        centred(self.prompt, self.prompt_en, self.message, self.message_en, self.hint, self.hint_en)
        self.retry_button = button(body, "declare_card_retry_button", "", retry)
        keep(self.retry_button, _IDENTIFY, QT_TRANSLATE_NOOP("IdentifyPage", "重新读卡 Try again"))
        self.change_button = button(body, "declare_card_change_button", "", change_card, secondary=True)
        keep(self.change_button, _IDENTIFY, QT_TRANSLATE_NOOP("IdentifyPage", "换一张卡 Use another card"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.retry_button)
        row.addWidget(self.change_button)
        row.addStretch(1)
        layout.addStretch(1)
        for widget in (self.prompt, self.prompt_en):
            layout.addWidget(widget)
        layout.addSpacing(12)
        self.identity = text_label(body, "declare_card_identity", "title")
        self.identity.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for widget in (self.identity, self.message, self.message_en, self.hint, self.hint_en):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(2)
        self.waiting()

    def _show_prompt(self, shown: bool) -> None:
        self.prompt.setVisible(shown)
        self.prompt_en.setVisible(shown)
        self.identity.setVisible(not shown)
        self.change_button.setVisible(not shown)
        if shown:
            keep_made(self.identity, None)

    def _say(self, source: str, english: str) -> None:
        """The message line (`source` marked for lupdate under "IdentifyPage") and the other language's."""
        keep(self.message, _IDENTIFY, source)
        keep_other(self.message_en, source, english)

    def waiting(self) -> None:
        self._show_prompt(True)
        self._say(QT_TRANSLATE_NOOP("IdentifyPage", "正在等待读卡…"), "Waiting for a card…")
        self.hint.hide()
        self.hint_en.hide()
        self.retry_button.hide()

    def failed(self, zh: str, en: str) -> None:
        """Why the read failed, as the core says it in both languages."""
        self._show_prompt(True)
        keep_lines(self.message, self.message_en, zh, en)
        self.hint.show()
        self.hint_en.show()
        self.retry_button.show()

    def stopped(self) -> None:
        """The read ended on a bug (the staff notice says so): no reason to give, only another try."""
        self._show_prompt(True)
        keep_lines(self.message, self.message_en, "", "")
        self.hint.hide()
        self.hint_en.hide()
        self.retry_button.show()

    def identified(self, masked_name: str, masked_id: str) -> None:
        """Masked as everywhere on screen: enough for the resident to know the card is theirs."""
        self._show_prompt(False)
        who = f"{masked_name} {masked_id}"
        keep_made(self.identity, lambda: self.tr("已识别：%1").replace("%1", who))
        self._say(QT_TRANSLATE_NOOP("IdentifyPage", "请取回您的卡片，核对无误后点“下一步”。"),
                  "Please take your card back, then tap Next.")
        self.hint.hide()
        self.hint_en.hide()
        self.retry_button.hide()


class ServicePage(QWidget):
    """A search box and the declarable items; the chosen one with what it needs on the right."""

    def __init__(self, parent: QWidget, search: Callable[[str], list[GuideRow]],
                 choose: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_service_page")
        self._search = search
        self._choose = choose
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        # Side by side on a landscape screen; on a portrait one the list takes the whole width (its names
        # and the search hint are not cut) with the chosen item under it (set_orientation).
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("declare_search_field")
        self.searched = False  # the list is filled (so a language switch fills it again)
        self.item: ServiceItem | None = None
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(120)
        self.search_field.textChanged.connect(lambda _t: self.debounce.start())
        left.addWidget(self.search_field)
        self.results = ScrollColumn(self, "declare_results_area")
        left.addWidget(self.results, 1)
        columns.addLayout(left, 1)
        self.chosen = ScrollColumn(self, "declare_chosen_area")
        columns.addWidget(self.chosen, 1)
        outer.addLayout(columns, 1)
        self.keyboard = KeyboardDock(self, "declare_search_keyboard")
        self.keyboard.watch(self.search_field, "letters")
        outer.addWidget(self.keyboard)
        self.debounce.timeout.connect(self.refresh)
        self.result_buttons: dict[str, QPushButton] = {}
        self.orientation = "landscape"
        self._prompting = False  # the chosen side shows "choose one", which names where the list is

        self.retranslate()

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py)."""
        self.orientation = orientation
        portrait = orientation == "portrait"
        self.columns.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                  else QBoxLayout.Direction.LeftToRight)
        # The list is what the resident scans: it has the larger share of the height.
        self.columns.setStretch(0, 3 if portrait else 1)
        self.columns.setStretch(1, 2 if portrait else 1)
        self.keyboard.set_orientation(orientation)
        if self._prompting:
            self.show_item(None)

    def retranslate(self) -> None:
        self.search_field.setPlaceholderText(self.tr("输入事项名称或拼音首字母，如 gjj · Search"))
        self.search_field.setAccessibleName(self.tr("搜索要申报的事项"))
        if self.searched:
            self.refresh()
            self.show_item(self.item)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.debounce.stop()
        self.searched = True
        clear_layout(self.results.column)
        self.result_buttons = {}
        rows = self._search(self.search_field.text().strip())
        for index, row in enumerate(rows):
            # The guide's row button: name and details wrap (a plain button's text is cut in elder type).
            item_button = GuideRowButton(index, self.results.body)
            item_button.setObjectName(f"declare_result_{index}")
            item_button.show_row(row)
            item_button.clicked.connect(lambda _c=False, code=row.code: self._choose(code))
            self.results.column.addWidget(item_button)
            self.result_buttons[row.code] = item_button
        if not rows:
            self.results.column.addWidget(text_label(self.results.body, "declare_results_empty", "body",
                                                bilingual(self.tr("没有找到可在本机申报的事项。"),
                                                          "No service found.", "\n")))
        self.results.column.addStretch(1)

    def show_item(self, item: ServiceItem | None) -> None:
        self.item = item
        clear_layout(self.chosen.column)
        body = self.chosen.body
        self._prompting = item is None
        if item is None:
            hint = (bilingual(self.tr("请在上方选择要申报的事项。"), "Choose a service above.", "\n")
                    if self.orientation == "portrait"
                    else bilingual(self.tr("请在左侧选择要申报的事项。"), "Choose a service on the left.", "\n"))
            self.chosen.column.addWidget(text_label(body, "declare_chosen_none", "body", hint))
            self.chosen.column.addStretch(1)
            return
        self.keyboard.close_keyboard()
        self.chosen.column.addWidget(text_label(body, "declare_chosen_name", "title", item.name))
        self.chosen.column.addWidget(text_label(body, "declare_chosen_department", "subtitle",
                                           f"{item.department} · {item.place}"))
        self.chosen.column.addWidget(text_label(body, "declare_chosen_needs", "body",
                                           bilingual(self.tr("需要的材料："), "What you need:")))
        for index, material in enumerate(item.materials):
            mark = "" if material.required else self.tr("（选填）")
            if material.required and material.waivable:
                mark = self.tr("（可容缺后补）")
            self.chosen.column.addWidget(text_label(body, f"declare_chosen_material_{index}", "body",
                                               f"{index + 1}. {material.name}{mark}"))
        if item.forms:
            self.chosen.column.addWidget(text_label(body, "declare_chosen_form", "subtitle",
                                               bilingual(self.tr("需在线填写申请表，已按卡片预填。"),
                                                         "An online form, pre-filled.")))
        self.chosen.column.addStretch(1)

    def wipe(self) -> None:
        self.debounce.stop()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.keyboard.close_keyboard()
        clear_layout(self.results.column)
        clear_layout(self.chosen.column)
        self._prompting = False
        self.result_buttons = {}
        self.searched, self.item = False, None


class DeliveryPage(QWidget):
    def __init__(self, parent: QWidget, changed: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_delivery_page")
        self._changed = changed
        self.item: ServiceItem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        # The choices and the address scroll; the keyboard stays put below them.
        self.area = ScrollColumn(self, "declare_delivery_area")
        body, column = self.area.body, self.area.column
        self.heading = text_label(body, "declare_delivery_heading", "body")
        keep_made(self.heading, lambda: bilingual(self.tr("办理结果如何领取？"),
                                                  "How would you like to receive the result?", " · "))
        column.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.pickup_button = button(body, "declare_pickup_button", "", secondary=True)
        keep_made(self.pickup_button, lambda: bilingual(self.tr("窗口领取"), "Collect at the counter", "\n"))
        self.express_button = button(body, "declare_express_button", "", secondary=True)
        keep(self.express_button, _DELIVERY, QT_TRANSLATE_NOOP("DeliveryPage", "快递送达\nExpress delivery"))
        for method, option in (("pickup", self.pickup_button), ("express", self.express_button)):
            option.setCheckable(True)
            # toggled, not clicked: assistive technology's Toggle flips the check without a click.
            follow_toggles(option, functools.partial(lambda m: self.method == m, method),
                           functools.partial(self.choose, method))
            option.setProperty("declareRole", "choice")
            row.addWidget(option, 1)
        column.addLayout(row)
        # Where to collect it: the catalogue's place, often long, wraps here (on the button it was cut).
        self.place_label = text_label(body, "declare_pickup_place", "body")
        column.addWidget(self.place_label)
        self.express_note = text_label(body, "declare_express_unavailable", "subtitle")
        keep_made(self.express_note, lambda: bilingual(self.tr("此事项不提供快递送达。"),
                                                       "This service has no express delivery."))
        column.addWidget(self.express_note)
        self.express_box = QWidget(body)
        self.express_box.setObjectName("declare_express_box")
        box = QVBoxLayout(self.express_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        address_label = text_label(self.express_box, "declare_address_label", "body")
        keep_made(address_label, lambda: bilingual(self.tr("收件地址（已按卡片预填，可修改）"), "Address", " · "))
        box.addWidget(address_label)
        self.address_field = QLineEdit(self.express_box)
        # The label names its field for a screen reader (it has no other name over AT-SPI).
        address_label.setBuddy(self.address_field)
        self.address_field.setObjectName("declare_address_field")
        self.address_field.setMaxLength(100)
        box.addWidget(self.address_field)
        self.address_message = text_label(self.express_box, "declare_address_message", "body")
        self.address_message.setProperty("declareRole", "error")
        box.addWidget(self.address_message)
        phone_label = text_label(self.express_box, "declare_phone_label", "body")
        keep_made(phone_label, lambda: bilingual(self.tr("收件人手机号码"), "Mobile for the courier", " · "))
        box.addWidget(phone_label)
        self.phone_field = QLineEdit(self.express_box)
        phone_label.setBuddy(self.phone_field)
        self.phone_field.setObjectName("declare_phone_field")
        self.phone_field.setMaxLength(11)
        self.phone_field.setValidator(QRegularExpressionValidator(r"\d{0,11}", self.phone_field))
        keep(self.phone_field, _DELIVERY, QT_TRANSLATE_NOOP("DeliveryPage", "11位手机号码 · 11-digit mobile"))
        box.addWidget(self.phone_field)
        self.phone_message = text_label(self.express_box, "declare_phone_message", "body")
        self.phone_message.setProperty("declareRole", "error")
        box.addWidget(self.phone_message)
        column.addWidget(self.express_box)
        column.addStretch(1)
        work = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        work.setSpacing(16)
        work.addWidget(self.area, 3)
        self.keyboard = KeyboardDock(self, "declare_delivery_keyboard", work)
        self.keyboard.watch(self.address_field, "chinese")
        self.keyboard.watch(self.phone_field, "digits")
        self.keyboard.opened_for.connect(self.area.reveal)
        self.keyboard.toggled.connect(self._keyboard_toggled)
        work.addWidget(self.keyboard)
        layout.addLayout(work, 1)
        for field in (self.address_field, self.phone_field):
            field.textChanged.connect(lambda _t: self._changed())
        self.method = "pickup"

    def set_orientation(self, orientation: str) -> None:
        """The screen turned (ui/screen_fit.py): an open keyboard takes the new arrangement now."""
        self.keyboard.set_orientation(orientation)

    def _keyboard_toggled(self, up: bool) -> None:
        """While the address or the mobile is typed the choice is made: the question and the two choices
        step aside for the fields, as the form's heading does (beside the elder digit pad the choices were
        squeezed until their words were cut); 收起键盘 brings them back."""
        typing = self.keyboard.keyboard.target if self.keyboard.keyboard is not None else None
        if up and typing is not None and QApplication.focusWidget() in (self.pickup_button, self.express_button):
            # A hidden button hands its focus on as if tabbed away, which would open the keyboard for the
            # next field: the field being typed in takes it first.
            typing.setFocus(Qt.FocusReason.OtherFocusReason)
        self.heading.setVisible(not up)
        self.pickup_button.setVisible(not up)
        self.express_button.setVisible(not up and self.item is not None and self.item.express)

    def load(self, declaration: Declaration) -> None:
        self.item = declaration.item
        delivery = declaration.delivery
        place = declaration.item.place
        keep_made(self.place_label, (lambda: self.tr("领取地点：%1").replace("%1", place)) if place else None)
        # Offered only where the catalogue says so: a greyed button still reads as a choice to many.
        self.express_button.setVisible(declaration.item.express)
        self.express_note.setVisible(not declaration.item.express)
        for field, value in ((self.address_field, delivery.address), (self.phone_field, delivery.phone)):
            field.blockSignals(True)
            field.setText(value)
            field.blockSignals(False)
        self.choose(delivery.method if declaration.item.express else "pickup", notify=False)
        self.show_problems([])

    def choose(self, method: str, *, notify: bool = True) -> None:
        self.method = method if method == "express" and self.item is not None and self.item.express else "pickup"
        self.pickup_button.setChecked(self.method == "pickup")
        self.express_button.setChecked(self.method == "express")
        self.express_box.setVisible(self.method == "express")
        # Where to collect it matters for collecting only: with express, the address needs the room.
        self.place_label.setVisible(self.method == "pickup" and bool(self.place_label.text()))
        if self.method != "express":
            self.keyboard.close_keyboard()
        if notify:
            self._changed()

    def delivery(self) -> Delivery:
        if self.method == "express":
            return Delivery("express", self.address_field.text(), self.phone_field.text())
        return Delivery("pickup", self.address_field.text(), self.phone_field.text())

    def show_problems(self, problems: list[Problem]) -> None:
        by_key = {p.key: p for p in problems}
        for key, message in (("address", self.address_message), ("phone", self.phone_message)):
            problem = by_key.get(key)
            keep_made(message, functools.partial(pick, f"{problem.zh} · {problem.en}", problem.en) if problem
                      else None)
            message.setVisible(problem is not None)

    def wipe(self) -> None:
        self.keyboard.close_keyboard()
        for field in (self.address_field, self.phone_field):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        self.item = None
        self.method = "pickup"
        keep_made(self.place_label, None)  # which service it was is the resident's too
        self.place_label.hide()
        self.show_problems([])


class ReviewPage(QWidget):
    """Everything on one scrolling page, personal values masked, a 修改 button per part.

    The resident must be able to check their own account number and address, and a passer-by must not
    read them: 按住显示 shows them in full only while the finger is down, masked again on release, when
    the page is left and on wipe. Every line is made again on a language switch (masked)."""

    def __init__(self, parent: QWidget, edit: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_review_page")
        self._edit = edit
        # (label, masked text, full text) of each line with a personal value, made in the current language.
        self._personal: list[tuple[QLabel, Callable[[], str], Callable[[], str]]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        heading = text_label(self, "declare_review_heading", "body")
        keep_made(heading, lambda: bilingual(self.tr("请核对以下内容，无误后点“提交申报”。"),
                                             "Check everything, then tap Submit.", "\n"))
        top.addWidget(heading, 1)
        self.reveal_button = button(self, "declare_review_reveal_button", "", secondary=True)
        keep_made(self.reveal_button, lambda: bilingual(self.tr("按住显示完整信息"), "Hold to show in full", "\n"))
        self.reveal_button.pressed.connect(lambda: self._reveal(True))
        self.reveal_button.released.connect(lambda: self._reveal(False))
        top.addWidget(self.reveal_button)
        layout.addLayout(top)
        self.area = ScrollColumn(self, "declare_review_area")
        layout.addWidget(self.area, 1)

    def _reveal(self, shown: bool) -> None:
        for label, masked, full in self._personal:
            keep_made(label, full if shown else masked)

    def hideEvent(self, event: QHideEvent) -> None:
        self._reveal(False)
        super().hideEvent(event)

    def _section(self, key: str, source: str) -> None:
        """A part's heading (`source` marked under "ReviewPage") and its 修改 button."""
        row = QHBoxLayout()
        heading = text_label(self.area.body, f"declare_review_{key}_title", "body")
        keep(heading, _REVIEW, source)
        heading.setProperty("declareRole", "heading")
        row.addWidget(heading, 1)
        edit = button(self.area.body, f"declare_review_{key}_edit", "", lambda: self._edit(key), secondary=True)
        keep(edit, _REVIEW, QT_TRANSLATE_NOOP("ReviewPage", "修改 Edit"))
        row.addWidget(edit)
        self.area.column.addLayout(row)

    def _line(self, key: str, text: Callable[[], str], full: Callable[[], str] | None = None) -> None:
        label = text_label(self.area.body, f"declare_review_{key}", "body")
        keep_made(label, text)
        self.area.column.addWidget(label)
        if full is not None and full() != text():
            self._personal.append((label, text, full))

    def load(self, declaration: Declaration, steps: list[str]) -> None:
        self.wipe()
        resident = declaration.resident
        name, id_number = resident.name, resident.id_number
        card_zh, _, card_en = resident.source.label.partition(" / ")
        self._section("service", QT_TRANSLATE_NOOP("ReviewPage", "办理事项 · Service"))
        self._line("service_name", lambda: declaration.item.name)

        def applicant(who: str, number: str) -> str:
            return self.tr("申请人：") + f"{who}  {number}" + pick(f"（{card_zh}）", f" ({card_en or card_zh})")

        self._line("applicant", lambda: applicant(mask_name(name), mask_id_number(id_number)),
                   lambda: applicant(name, id_number))

        def field_line(label: str, value: str) -> str:
            return label + pick("：", ": ") + (value or self.tr("（未填）"))

        if "form" in steps and declaration.plan is not None and declaration.template is not None:
            self._section("form", QT_TRANSLATE_NOOP("ReviewPage", "申请表 · Form"))
            for _section, field in ((a.section, a.field) for a in declaration.plan.asked):
                value = declaration.values.get(field.id, "")
                masked = mask_value(field, value) if value else ""
                self._line(f"form_{field.id}", functools.partial(field_line, field.label, masked),
                           functools.partial(field_line, field.label, value))
        self._section("materials", QT_TRANSLATE_NOOP("ReviewPage", "申请材料 · Materials"))

        def material_line(name: str, zh: str, en: str) -> str:
            return name + pick(f"：{zh}", f": {en}")

        for index, row in enumerate(declaration.material_rows()):
            if row.optional and row.state is MaterialState.MISSING:
                continue
            self._line(f"material_{index}", functools.partial(material_line, row.material.name, *status_text(row)))
        self._section("delivery", QT_TRANSLATE_NOOP("ReviewPage", "送达方式 · Delivery"))

        def delivery(masked: bool) -> str:
            return pick(declaration.delivery_text(masked=masked), declaration.delivery_text(masked=masked,
                                                                                            english=True))

        self._line("delivery_text", lambda: delivery(True), lambda: delivery(False))
        self.reveal_button.setVisible(bool(self._personal))
        self.area.column.addStretch(1)
        self.area.verticalScrollBar().setValue(0)

    def wipe(self) -> None:
        self._reveal(False)
        self._personal.clear()
        clear_layout(self.area.column)


class SubmitPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("declare_submit_page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        area = ScrollColumn(self, "declare_submit_area")
        outer.addWidget(area)
        body, layout = area.body, area.column
        self.state = text_label(body, "declare_submit_state", "title")
        self.state_en = text_label(body, "declare_submit_state_en", "subtitle")
        self.detail = text_label(body, "declare_submit_detail", "body")
        self.detail_en = text_label(body, "declare_submit_detail_en", "subtitle")
        centred(self.state, self.state_en, self.detail, self.detail_en)
        layout.addStretch(1)
        for widget in (self.state, self.state_en, self.detail, self.detail_en):
            layout.addWidget(widget)
        layout.addStretch(2)

    def _say(self, main: QLabel, other: QLabel, source: str, english: str) -> None:
        """`source` (marked under "SubmitPage") on `main`, and the other language's line under it."""
        keep(main, _SUBMIT, source)
        keep_other(other, source, english)

    def submitting(self) -> None:
        self._say(self.state, self.state_en, QT_TRANSLATE_NOOP("SubmitPage", "正在提交，请稍候…"),
                  "Submitting, please wait…")
        keep_lines(self.detail, self.detail_en, "", "")

    def failed(self) -> None:
        self._say(self.state, self.state_en, QT_TRANSLATE_NOOP("SubmitPage", "申报没有提交成功"),
                  "Your declaration was NOT submitted.")
        self._say(self.detail, self.detail_en,
                  QT_TRANSLATE_NOOP("SubmitPage", "本机暂时无法保存申报。您填写的内容和材料都还在，请点“重新提交”，"
                                                  "或请工作人员协助。"),
                  "This terminal could not store it. Nothing you entered is lost: tap Try again, "
                  "or ask a member of staff.")

    def wipe(self) -> None:
        keep_lines(self.state, self.state_en, "", "")
        keep_lines(self.detail, self.detail_en, "", "")


class DonePage(QWidget):
    """已提交: the receipt number in very large type, the case number when known, the receipt printing.

    The page stays until the resident taps 完成 (or 评价服务, which offers the rating; it is never forced):
    the number and 请取走回执和您的卡片 must be there to read for as long as the resident needs.
    Each Chinese line has its English as one smaller line under it; the texts scroll if they must (elder
    type, a long printer message) while the buttons stay fixed at the bottom, always in view."""

    def __init__(self, parent: QWidget, retry_print: Callable[[], None], finish: Callable[[], None],
                 rate: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_done_page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.area = ScrollColumn(self, "declare_done_area")
        body, column = self.area.body, self.area.column
        column.setSpacing(2)
        self.number_caption = text_label(body, "declare_receipt_caption", "body")
        keep_made(self.number_caption, lambda: bilingual(self.tr("受理编号（请保存，可凭此查询进度）"),
                                                         "Receipt number", " · "))
        self.number = text_label(body, "declare_receipt_no", "title")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.case = text_label(body, "declare_case_no", "body")
        self.case_en = text_label(body, "declare_case_no_en", "subtitle")
        self.network = text_label(body, "declare_network_note", "body")
        self.network_en = text_label(body, "declare_network_note_en", "subtitle")
        self.printing = text_label(body, "declare_print_state", "body")
        self.printing_en = text_label(body, "declare_print_state_en", "subtitle")
        # 已提交 is the screen's step line on this page; the page starts with the number.
        centred(self.number_caption, self.number, self.case, self.case_en, self.network,
                self.network_en, self.printing, self.printing_en)
        for widget in (self.number_caption, self.number, self.case, self.case_en):
            column.addWidget(widget)
        column.addSpacing(6)
        for widget in (self.network, self.network_en):
            column.addWidget(widget)
        column.addSpacing(6)
        for widget in (self.printing, self.printing_en):
            column.addWidget(widget)
        column.addStretch(1)
        layout.addWidget(self.area, 1)
        self.buttons = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(24)
        self.retry_button = button(self, "declare_print_retry_button", "", retry_print)
        keep(self.retry_button, _DONE, QT_TRANSLATE_NOOP("DonePage", "重新打印 Print again"))
        self.rate_button = button(self, "declare_rate_button", "", rate, secondary=True)
        keep(self.rate_button, _DONE, QT_TRANSLATE_NOOP("DonePage", "评价服务 Rate this service"))
        self.finish_button = button(self, "declare_finish_button", "", finish)
        keep(self.finish_button, _DONE, QT_TRANSLATE_NOOP("DonePage", "完成 Done"))
        row.addStretch(1)
        row.addWidget(self.retry_button)
        row.addWidget(self.rate_button)
        row.addWidget(self.finish_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.retry_button.hide()

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py). After a printer fault the three buttons in elder type
        were cut side by side on a 1080-px portrait screen: there they go one under another."""
        self.buttons.setDirection(QBoxLayout.Direction.TopToBottom if orientation == "portrait"
                                  else QBoxLayout.Direction.LeftToRight)

    def show_numbers(self, receipt_no: str, case_no: str) -> None:
        self.number.setText(receipt_no)
        if case_no:
            self.set_case(f"办件编号：{case_no}", f"Case number: {case_no}")
        else:
            self.set_case("办件编号：正在获取…", "Case number: on its way…")

    # Each pair (Chinese, English) shows in the screen's language with the other language's line under it.

    def set_case(self, zh: str, en: str) -> None:
        keep_lines(self.case, self.case_en, zh, en)

    def set_network(self, zh: str, en: str) -> None:
        keep_lines(self.network, self.network_en, zh, en)
        self.network.setVisible(bool(zh or en))
        self.network_en.setVisible(bool(zh and en))

    def set_printing(self, zh: str, en: str, *, failed: bool = False) -> None:
        keep_lines(self.printing, self.printing_en, zh, en)
        self.printing.setProperty("declareRole", "error" if failed else "")
        self.printing.style().unpolish(self.printing)
        self.printing.style().polish(self.printing)
        self.retry_button.setVisible(failed)
        keep(self.finish_button, _DONE, QT_TRANSLATE_NOOP("DonePage", "不打印，完成 Finish without printing") if failed
             else QT_TRANSLATE_NOOP("DonePage", "完成 Done"))

    def wipe(self) -> None:
        self.number.clear()
        for main, other in ((self.case, self.case_en), (self.network, self.network_en),
                            (self.printing, self.printing_en)):
            keep_lines(main, other, "", "")
        self.retry_button.hide()
        keep(self.finish_button, _DONE, QT_TRANSLATE_NOOP("DonePage", "完成 Done"))
        self.area.verticalScrollBar().setValue(0)
