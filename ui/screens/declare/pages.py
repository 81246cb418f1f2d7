"""The declaration wizard's simpler pages: identify, choose the service, delivery, review, submit and done.

They only lay things out and report what the resident chose; the screen (ui/screens/declare/wizard.py) moves
between them, runs the blocking work on workers, and owns the `Declaration`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.privacy import mask_id_number, mask_name
from kiosk.resident.declaration import Declaration, Delivery, MaterialState, Problem, ServiceItem, mask_value
from kiosk.resident.guides import GuideRow
from ui.i18n import bilingual
from ui.screens.declare.materials import status_text
from ui.screens.declare.widgets import KeyboardDock, ScrollColumn, button, clear_layout
from ui.widgets.guide_row import GuideRowButton
from ui.widgets.labels import text_label


def centred(*labels: Any) -> None:
    for widget in labels:
        widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)


class IdentifyPage(QWidget):
    """Step 1: waiting for a card, why a read failed, or who was identified (masked) with 换一张卡."""

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
        self.prompt = text_label(body, "declare_card_prompt", "title", self.tr("请将身份证或市民卡放在读卡区"))
        self.prompt_en = text_label(body, "declare_card_prompt_en", "subtitle",
                               "Place your ID card or citizen card on the card reader.")
        self.message = text_label(body, "declare_card_message", "body")
        self.message_en = text_label(body, "declare_card_message_en", "subtitle")
        self.hint = text_label(body, "declare_card_hint", "body",
                          self.tr("这张卡读不出来？可以换一张卡：身份证或市民卡都可以。"))
        self.hint_en = text_label(body, "declare_card_hint_en", "subtitle",
                             "This card will not read? Use the other card: an ID card or a citizen card.")
        centred(self.prompt, self.prompt_en, self.message, self.message_en, self.hint, self.hint_en)
        self.retry_button = button(body, "declare_card_retry_button", self.tr("重新读卡 Try again"), retry)
        self.change_button = button(body, "declare_card_change_button", self.tr("换一张卡 Use another card"),
                                    change_card, secondary=True)
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
            self.identity.clear()

    def waiting(self) -> None:
        self._show_prompt(True)
        self.message.setText(self.tr("正在等待读卡…"))
        self.message_en.setText("Waiting for a card…")
        self.hint.hide()
        self.hint_en.hide()
        self.retry_button.hide()

    def failed(self, zh: str, en: str) -> None:
        self._show_prompt(True)
        self.message.setText(self.tr(zh))
        self.message_en.setText(en)
        self.hint.show()
        self.hint_en.show()
        self.retry_button.show()

    def stopped(self) -> None:
        """The read ended on a bug (the staff notice says so): no reason to give, only another try."""
        self._show_prompt(True)
        self.message.clear()
        self.message_en.clear()
        self.hint.hide()
        self.hint_en.hide()
        self.retry_button.show()

    def identified(self, masked_name: str, masked_id: str) -> None:
        """Masked as everywhere on screen: enough for the resident to know the card is theirs."""
        self._show_prompt(False)
        self.identity.setText(self.tr("已识别：%1").replace("%1", f"{masked_name} {masked_id}"))
        self.message.setText(self.tr("请取回您的卡片，核对无误后点“下一步”。"))
        self.message_en.setText(f"Identified: {masked_name} {masked_id}. Please take your card back, "
                                "then tap Next.")
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
        column.addWidget(text_label(body, "declare_delivery_heading", "body",
                               self.tr("办理结果如何领取？") + " · How would you like to receive the result?"))
        row = QHBoxLayout()
        row.setSpacing(24)
        self.pickup_button = button(body, "declare_pickup_button", "", lambda: self.choose("pickup"), secondary=True)
        self.express_button = button(body, "declare_express_button", self.tr("快递送达\nExpress delivery"),
                                     lambda: self.choose("express"), secondary=True)
        for option in (self.pickup_button, self.express_button):
            option.setCheckable(True)
            option.setProperty("declareRole", "choice")
            row.addWidget(option, 1)
        column.addLayout(row)
        self.express_note = text_label(body, "declare_express_unavailable", "subtitle",
                                  self.tr("此事项不提供快递送达。") + " This service has no express delivery.")
        column.addWidget(self.express_note)
        self.express_box = QWidget(body)
        self.express_box.setObjectName("declare_express_box")
        box = QVBoxLayout(self.express_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        address_label = text_label(self.express_box, "declare_address_label", "body",
                                   self.tr("收件地址（已按卡片预填，可修改）") + " · Address")
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
        phone_label = text_label(self.express_box, "declare_phone_label", "body",
                                 self.tr("收件人手机号码") + " · Mobile for the courier")
        box.addWidget(phone_label)
        self.phone_field = QLineEdit(self.express_box)
        phone_label.setBuddy(self.phone_field)
        self.phone_field.setObjectName("declare_phone_field")
        self.phone_field.setMaxLength(11)
        self.phone_field.setValidator(QRegularExpressionValidator(r"\d{0,11}", self.phone_field))
        self.phone_field.setPlaceholderText(self.tr("11位手机号码 · 11-digit mobile"))
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
        work.addWidget(self.keyboard)
        layout.addLayout(work, 1)
        for field in (self.address_field, self.phone_field):
            field.textChanged.connect(lambda _t: self._changed())
        self.method = "pickup"

    def load(self, declaration: Declaration) -> None:
        self.item = declaration.item
        delivery = declaration.delivery
        self.pickup_button.setText(self.tr("窗口领取") + f"\n{declaration.item.place or 'Pick up at the window'}")
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
            message.setText(f"{self.tr(problem.zh)} · {problem.en}" if problem else "")
            message.setVisible(problem is not None)

    def wipe(self) -> None:
        self.keyboard.close_keyboard()
        for field in (self.address_field, self.phone_field):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        self.item = None
        self.method = "pickup"
        self.show_problems([])


class ReviewPage(QWidget):
    """Everything on one scrolling page, personal values masked, a 修改 button per part.

    The resident must be able to check their own account number and address, and a passer-by must not
    read them: 按住显示 shows them in full only while the finger is down, masked again on release, when
    the page is left and on wipe."""

    def __init__(self, parent: QWidget, edit: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("declare_review_page")
        self._edit = edit
        # (label, masked text, full text) of each line with a personal value.
        self._personal: list[tuple[QLabel, str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(text_label(self, "declare_review_heading", "body",
                                 self.tr("请核对以下内容，无误后点“提交申报”。")
                                 + "\nCheck everything, then tap Submit."), 1)
        self.reveal_button = button(self, "declare_review_reveal_button",
                                    self.tr("按住显示完整信息") + "\nHold to show in full", secondary=True)
        self.reveal_button.pressed.connect(lambda: self._reveal(True))
        self.reveal_button.released.connect(lambda: self._reveal(False))
        top.addWidget(self.reveal_button)
        layout.addLayout(top)
        self.area = ScrollColumn(self, "declare_review_area")
        layout.addWidget(self.area, 1)

    def _reveal(self, shown: bool) -> None:
        for label, masked, full in self._personal:
            label.setText(full if shown else masked)

    def hideEvent(self, event: QHideEvent) -> None:
        self._reveal(False)
        super().hideEvent(event)

    def _section(self, key: str, title: str) -> None:
        row = QHBoxLayout()
        heading = text_label(self.area.body, f"declare_review_{key}_title", "body", title)
        heading.setProperty("declareRole", "heading")
        row.addWidget(heading, 1)
        edit = button(self.area.body, f"declare_review_{key}_edit", self.tr("修改 Edit"),
                      lambda: self._edit(key), secondary=True)
        row.addWidget(edit)
        self.area.column.addLayout(row)

    def _line(self, key: str, text: str, full: str | None = None) -> None:
        label = text_label(self.area.body, f"declare_review_{key}", "body", text)
        self.area.column.addWidget(label)
        if full is not None and full != text:
            self._personal.append((label, text, full))

    def load(self, declaration: Declaration, steps: list[str]) -> None:
        self.wipe()
        resident = declaration.resident
        self._section("service", self.tr("办理事项 · Service"))
        self._line("service_name", declaration.item.name)
        applicant = self.tr("申请人：")
        self._line("applicant", f"{applicant}{mask_name(resident.name)}  "
                   f"{mask_id_number(resident.id_number)}（{resident.source.label}）",
                   f"{applicant}{resident.name}  {resident.id_number}（{resident.source.label}）")
        if "form" in steps and declaration.plan is not None and declaration.template is not None:
            self._section("form", self.tr("申请表 · Form"))
            for _section, field in ((a.section, a.field) for a in declaration.plan.asked):
                value = declaration.values.get(field.id, "")
                shown = mask_value(field, value) if value else self.tr("（未填）")
                self._line(f"form_{field.id}", f"{field.label}：{shown}", f"{field.label}：{value or shown}")
        self._section("materials", self.tr("申请材料 · Materials"))
        for index, row in enumerate(declaration.material_rows()):
            if row.optional and row.state is MaterialState.MISSING:
                continue
            zh, _en = status_text(row)
            self._line(f"material_{index}", f"{row.material.name}：{self.tr(zh)}")
        self._section("delivery", self.tr("送达方式 · Delivery"))
        self._line("delivery_text", declaration.delivery_text(), declaration.delivery_text(masked=False))
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

    def submitting(self) -> None:
        self.state.setText(self.tr("正在提交，请稍候…"))
        self.state_en.setText("Submitting, please wait…")
        self.detail.clear()
        self.detail_en.clear()

    def failed(self) -> None:
        self.state.setText(self.tr("申报没有提交成功"))
        self.state_en.setText("Your declaration was NOT submitted.")
        self.detail.setText(self.tr("本机暂时无法保存申报。您填写的内容和材料都还在，请点“重新提交”，"
                                    "或请工作人员协助。"))
        self.detail_en.setText("This terminal could not store it. Nothing you entered is lost: tap Try again, "
                               "or ask a member of staff.")

    def wipe(self) -> None:
        for widget in (self.state, self.state_en, self.detail, self.detail_en):
            widget.clear()


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
        self.number_caption = text_label(body, "declare_receipt_caption", "body",
                                    self.tr("受理编号（请保存，可凭此查询进度）") + " · Receipt number")
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
        self.retry_button = button(self, "declare_print_retry_button", self.tr("重新打印 Print again"), retry_print)
        self.rate_button = button(self, "declare_rate_button", self.tr("评价服务 Rate this service"), rate,
                                  secondary=True)
        self.finish_button = button(self, "declare_finish_button", self.tr("完成 Done"), finish)
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
            self.set_case(self.tr("办件编号：%1").replace("%1", case_no), f"Case number {case_no}")
        else:
            self.set_case(self.tr("办件编号：正在获取…"), "Case number: on its way")

    def set_case(self, zh: str, en: str) -> None:
        self.case.setText(zh)
        self.case_en.setText(en)

    def set_network(self, zh: str, en: str) -> None:
        self.network.setText(self.tr(zh) if zh else "")
        self.network_en.setText(en)
        self.network.setVisible(bool(zh))
        self.network_en.setVisible(bool(en))

    def set_printing(self, zh: str, en: str, *, failed: bool = False) -> None:
        self.printing.setText(self.tr(zh))
        self.printing_en.setText(en)
        self.printing.setProperty("declareRole", "error" if failed else "")
        self.printing.style().unpolish(self.printing)
        self.printing.style().polish(self.printing)
        self.retry_button.setVisible(failed)
        self.finish_button.setText(self.tr("不打印，完成 Finish without printing") if failed else self.tr("完成 Done"))

    def wipe(self) -> None:
        for widget in (self.number, self.case, self.case_en, self.network, self.network_en, self.printing,
                       self.printing_en):
            widget.clear()
        self.retry_button.hide()
        self.finish_button.setText(self.tr("完成 Done"))
        self.area.verticalScrollBar().setValue(0)
