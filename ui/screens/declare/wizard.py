"""Online declaration (网上申报, "declare"): a wizard from the card read to the printed receipt.

Steps (a step indicator "第2步/共7步" on top, the total once the service is known; 上一步 and 下一步 always in
the same place at the bottom): identify (either card, read on a `DeviceWorker`; who was identified, masked,
stays on screen until 下一步, with 换一张卡 to start again) → choose the service (or arrive with an item code from its
guide) → the form (skipped when the item has none) → materials (ui/widgets/material_capture.py) → delivery →
review → submit. Submitting stores the declaration in the outbox on a worker; only when that returns does
the screen say 已提交. The sync engine is then woken, and when a platform is configured and reachable the
screen waits a few seconds (on the worker, polling the outbox) for the case number before printing the
receipt, so the QR code carries it. The receipt prints on a printer worker. The 已提交 page stays until the
resident taps 完成 (home) or 评价服务 (the rating screen, tied to the receipt number): the number and the
reminder to take the receipt and the card must stay readable, so nothing moves on by itself.

Card removal: the session does NOT end when the card leaves the reader during the wizard. The card is read
once, at the first step, and residents are told to take it back at once (a card left on a public terminal
is the more common harm); ending the session on removal would throw away a half-done declaration, forms
typed and pages photographed. The idle timeout (with its visible countdown) still ends an abandoned one.

Every rule (what is asked, what is personal, when materials are complete) is kiosk/resident/declaration.py's.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.crash import ErrorTypes
from kiosk.forms.receipt import ReceiptData, render_receipt
from kiosk.identity.read import (
    IdentifyCanceled,
    message_for,
    read_resident_from,
)
from kiosk.identity.resident import Resident
from kiosk.privacy import mask_id_number, mask_name
from kiosk.resident.declaration import (
    CaseWait,
    Declaration,
    OutboxItem,
    ServiceItem,
    await_case,
    declarable_rows,
    delivery_problems,
    receipt_data,
    submit,
    template_for,
)
from kiosk.resident.guides import GuideRow, Guides
from kiosk.resident.print_jobs import PRINT_ERRORS, PrintRequest, describe_failure, run_print_job
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.i18n.texts import keep, keep_made, pick, retranslate_kept
from ui.screens.declare.form import FormPage
from ui.screens.declare.materials import MaterialsPage
from ui.screens.declare.pages import (
    DeliveryPage,
    DonePage,
    IdentifyPage,
    ReviewPage,
    ServicePage,
    SubmitPage,
)
from ui.screens.declare.widgets import button
from ui.theme import SELECTED_FILL
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.labels import text_label
from ui.widgets.page_stack import PageStack
from ui.widgets.type_size import TypeSizeWatcher
from ui.workers import Call, DeviceWorker

CARD_TIMEOUT_S = 60.0
CASE_WAIT_S = 8.0

STEP_TITLES: dict[str, tuple[str, str]] = {
    "identify": ("读卡识别", "Identify"),
    "service": ("选择事项", "Choose the service"),
    "form": ("填写申请表", "Fill in the form"),
    "materials": ("提交材料", "Materials"),
    "delivery": ("送达方式", "Delivery"),
    "review": ("核对信息", "Review"),
    "submit": ("提交申报", "Submit"),
}

OFFLINE_NOTE = ("当前网络未连接，申报已保存在本机，联网后自动发送，无需再次办理。",
                "No network: saved on this terminal, sent by itself when the network returns. No need to apply again.")
SENDING_NOTE = ("申报已保存，正在发送到办理部门，无需再次办理。",
                "Saved and being sent to the department. You do not need to apply again.")
SENT_NOTE = ("申报已送达办理部门。", "Your declaration has reached the department.")
PRINT_FAILED = ("回执没有打印出来，请记下上面的受理编号", "The receipt did not print")

log = logging.getLogger("kiosk.ui.declare")


def print_failed_text(zh: str, en: str) -> tuple[str, str]:
    """One line each: the printer's reason (its text up to the advice that follows) folded into ours, so
    the page does not say "ask a member of staff" twice."""
    reason_zh = zh.split("，")[0].rstrip("。")
    reason_en = en.split(". ")[0].rstrip(".")
    reason_en = reason_en[:1].lower() + reason_en[1:]
    return (f"{PRINT_FAILED[0]}（{reason_zh}）。",
            f"{PRINT_FAILED[1]} ({reason_en}): please write down the number above.")


def _style(px: int) -> str:
    """Sizes follow the theme's type size (24 px normal, 32 px elder), read back from the applied font."""
    return f"""
QLabel#declare_receipt_no {{ font-size: {round(px * 2.6)}px; font-weight: bold; letter-spacing: 2px; }}
QLabel#declare_step_label {{ font-weight: bold; }}
QLabel[declareRole="error"] {{ color: #a3262b; font-weight: bold; }}
QLabel[declareRole="heading"] {{ font-weight: bold; background: #e3ecf7; color: #000000; padding: 6px 12px;
    border-left: 8px solid #0b5cad; }}
QLabel[declareState="blocking"] {{ color: #a3262b; }}
QLabel[declareState="attached"], QLabel[declareState="by_card"], QLabel[declareState="by_form"] {{
    color: #0f5c3f; }}
QPushButton[declareRole="choice"]:checked {{ background: {SELECTED_FILL}; border-width: 4px; }}
QWidget[declareRole="card"] {{ background: #ffffff; border: 2px solid #c3ccd7; border-radius: 12px; }}
QWidget[declareRole="card"] QLabel {{ border: none; background: transparent; }}
QScrollArea[declareScroll="true"], QScrollArea[declareScroll="true"] > QWidget,
QScrollArea[declareScroll="true"] > QWidget > QWidget {{ background: transparent; }}
QPushButton[guideRow="true"] {{ text-align: left; padding: 10px 20px; border-radius: 12px; }}
QPushButton[guideRow="true"] QLabel {{ background: transparent; }}
QLineEdit {{ min-height: {round(px * 2.6)}px; padding: 0px {px // 2}px; border: 2px solid #4a5568;
    border-radius: 8px; background: #ffffff; }}
"""


# Spoken by ui/voice.py as each step appears (fixed guidance, never a resident's data).
STEP_PROMPTS = {
    "identify": "请将身份证或市民卡放在读卡区。",
    "service": "请选择要申报的事项。",
    "form": "请补充填写申请表，已从卡片读取的内容不用再填。",
    "materials": "请逐项拍照或扫描提交材料。",
    "delivery": "请选择办理结果的领取方式。",
    "review": "请核对信息，无误后点提交申报。",
    "done": "申报已提交，请保存好受理编号。",
}


class DeclareScreen(QWidget):
    """Registered as "declare". Payload: an item code (from its guide) or None (the home tile)."""

    # The step changed inside the screen: the voice speaks the new step's prompt.
    prompt_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declare")
        self.context = context
        self.outbox = context.runtime.cache.outbox
        self.guides = Guides(context.runtime.cache)
        self.resident: Resident | None = None
        self.declaration: Declaration | None = None
        self.preset_code = ""
        self.step = "identify"
        self.stored: OutboxItem | None = None
        self.case: CaseWait | None = None
        self.card_error: BaseException | None = None
        self.store_error: BaseException | None = None
        self.print_error: BaseException | None = None
        self.printed = False
        # The theme's type size (elder mode swaps the main window's sheet) drives this screen's own sheet.
        self._sizes = TypeSizeWatcher(self, self._apply_sizes)
        self._calls: dict[str, Call] = {}
        self._cancels: dict[str, threading.Event] = {}
        self._workers: dict[Call, DeviceWorker] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 12, 40, 14)
        layout.setSpacing(8)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title_label = text_label(self, "declare_title", "title")
        self.step_label = text_label(self, "declare_step_label", "body")
        titles.addWidget(self.title_label)
        titles.addWidget(self.step_label)
        header.addLayout(titles, 1)
        self.quit_button = button(self, "declare_quit_button", "", self.quit, secondary=True)
        keep(self.quit_button, "DeclareScreen", QT_TRANSLATE_NOOP("DeclareScreen", "退出办理 Quit"))
        header.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        # Each step at its own size: a tall step must not keep the window's minimum once it is left.
        self.pages = PageStack(self)
        self.pages.setObjectName("declare_pages")
        self.identify_page = IdentifyPage(self.pages, self.start_card_read, self.change_card)
        self.service_page = ServicePage(self.pages, self._search, self.choose_item)
        self.form_page = FormPage(self.pages)
        self.materials_page = MaterialsPage(self.pages, self)
        self.delivery_page = DeliveryPage(self.pages, self._delivery_changed)
        self.review_page = ReviewPage(self.pages, self.show_step)
        self.submit_page = SubmitPage(self.pages)
        self.done_page = DonePage(self.pages, self.start_print, self.finish, self.rate)
        self.page_for: dict[str, QWidget] = {
            "identify": self.identify_page, "service": self.service_page, "form": self.form_page,
            "materials": self.materials_page, "delivery": self.delivery_page, "review": self.review_page,
            "submit": self.submit_page, "done": self.done_page,
        }
        for page in self.page_for.values():
            self.pages.addWidget(page)
        # The screen is as wide as the terminal's: a word-wrapped label's preferred width (80 average
        # characters, wider than 1280 px in elder type) must not make the window ask for more.
        self.pages.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.pages, 1)

        self.nav = QWidget(self)
        self.nav.setObjectName("declare_nav")
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.setSpacing(24)
        self.back_button = button(self.nav, "declare_back_button", self.tr("上一步 Back"), self.back, secondary=True)
        self.notice = text_label(self.nav, "declare_notice", "body")
        self.notice.setProperty("declareRole", "error")
        self.next_button = button(self.nav, "declare_next_button", self.tr("下一步 Next"), self.next)
        self.back_button.setMinimumWidth(220)
        self.next_button.setMinimumWidth(260)
        nav.addWidget(self.back_button)
        nav.addWidget(self.notice, 1)
        nav.addWidget(self.next_button)
        layout.addWidget(self.nav)
        self.keyboard_up = False
        for page in (self.service_page, self.form_page, self.delivery_page):
            page.keyboard.toggled.connect(self._keyboard_toggled)
        # What a refused 下一步 named on this step (field ids, material names, delivery keys): the notice
        # follows the page while the resident puts them right, and goes once nothing is missing.
        self.refused: set[str] = set()
        self.form_page.changed.connect(self._follow_refusal)
        self.materials_page.changed.connect(self._follow_refusal)
        self.show_step("identify", read=False)

    # --- style ----------------------------------------------------------------------------------

    def set_orientation(self, orientation: str) -> None:
        """Landscape or portrait (ui/screen_fit.py): every step takes the one named at once, the one shown
        included (the form's choices and keyboard, the materials' rows), not at the next step."""
        for page in (self.service_page, self.form_page, self.materials_page, self.delivery_page, self.done_page):
            page.set_orientation(orientation)

    def _apply_sizes(self, px: int) -> None:
        self.setStyleSheet(_style(px))

    def _keyboard_toggled(self, up: bool) -> None:
        """While a keyboard is up it needs the room: the screen title and the bottom bar step aside (收起键盘
        brings them back), so the field being typed and its message stay in view on an 800-px screen."""
        self.keyboard_up = up
        self.title_label.setVisible(not up)
        self.update_nav()

    # --- steps ----------------------------------------------------------------------------------

    def _known_item(self) -> ServiceItem | None:
        """The service the steps are for: the one chosen, or the one the resident came with from its guide."""
        if self.declaration is not None:
            return self.declaration.item
        return self.context.runtime.cache.catalog.get(self.preset_code) if self.preset_code else None

    def steps(self) -> list[str]:
        item = self._known_item()
        has_form = item is None or template_for(item) is not None
        return [s for s in STEP_TITLES if s != "form" or has_form]

    def _show_step_label(self) -> None:
        """第N步/共M步, the total only once the service is known: it depends on whether the service has a
        form, and a total that changes under the resident's eyes (共7步 then 共6步) reads as a mistake."""
        steps = self.steps()
        if self.step not in steps:
            self.step_label.clear()
            return
        zh, en = STEP_TITLES[self.step]
        number = steps.index(self.step) + 1
        if self._known_item() is None:
            chinese = self.tr("第%1步").replace("%1", str(number))
            english = f"Step {number}: {en}"
        else:
            chinese = self.tr("第%1步/共%2步").replace("%1", str(number)).replace("%2", str(len(steps)))
            english = f"Step {number} of {len(steps)}: {en}"
        # In English the English line alone: "第2步" translates to the same words.
        self.step_label.setText(pick(f"{chinese} · {self.tr(zh)}  {english}", english))

    def show_step(self, step: str, *, read: bool = True) -> None:
        self.step = step
        self.refused = set()
        keep_made(self.notice, None)
        for page in (self.service_page, self.form_page, self.delivery_page):
            page.keyboard.close_keyboard()  # a keyboard left up would keep the bottom bar hidden
        if step == "identify" and read:
            self.start_card_read()
        elif step == "service":
            self.service_page.refresh()
            self.service_page.show_item(self.declaration.item if self.declaration is not None else None)
        elif step == "form" and self.declaration is not None:
            self.form_page.load(self.declaration)
        elif step == "materials" and self.declaration is not None:
            self.materials_page.load(self.declaration)
        elif step == "delivery" and self.declaration is not None:
            self.delivery_page.load(self.declaration)
        elif step == "review" and self.declaration is not None:
            self.review_page.load(self.declaration, self.steps())
        self.pages.setCurrentWidget(self.page_for[step])
        steps = self.steps()
        # On the done page the header says 已提交 in title type: it is the page's heading, and the room a
        # second line would take is the receipt number's.
        done = step not in steps
        self._show_title()
        self.step_label.setVisible(not done)
        self._show_step_label()
        self.update_nav()
        self.prompt_changed.emit()

    def _show_title(self) -> None:
        if self.step not in self.steps():
            self.title_label.setText(pick(self.tr("已提交") + "  Submitted", "Submitted"))
        else:
            self.title_label.setText(pick(self.tr("网上申报") + "  Online declaration", "Online declaration"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
            self._show_title()
            self._show_step_label()
            self.update_nav()
        super().changeEvent(event)

    def prompt(self) -> str:
        return STEP_PROMPTS.get(self.step, "")

    def update_nav(self) -> None:
        step = self.step
        self.nav.setVisible(step != "done" and not (step == "materials" and self.materials_page.in_capture)
                            and not self.keyboard_up)
        self.back_button.setText(self.tr("返回首页 Home") if step == "identify" else self.tr("上一步 Back"))
        self.next_button.setText(self.tr("提交申报 Submit") if step == "review" else
                                 self.tr("重新提交 Try again") if step == "submit" else self.tr("下一步 Next"))
        submitting = "submit" in self._calls
        enabled = {
            "identify": self.resident is not None and "card" not in self._calls,
            "service": self.declaration is not None,
            "submit": self.store_error is not None and not submitting,
        }.get(step, True)
        self.next_button.setEnabled(enabled)
        self.back_button.setEnabled(not submitting)
        # Shown on the identify step too, greyed until a card is read: the resident learns where it is.
        self.next_button.setVisible(True)

    def next(self) -> None:
        step = self.step
        if step == "form" and not self.form_page.check():
            self.refused = {key for key, _label in self.form_page.missing()}
            self._follow_refusal()
            return
        if step == "materials" and not self.materials_page.complete():
            self.refused = set(self.materials_page.reveal_missing())
            self._follow_refusal()
            return
        if step == "delivery" and not self._accept_delivery():
            return
        if step == "review":
            self.start_submit()
            return
        if step == "submit":
            self.start_submit()
            return
        steps = self.steps()
        if step in steps and steps.index(step) + 1 < len(steps):
            self.show_step(steps[steps.index(step) + 1])

    def _follow_refusal(self) -> None:
        """The refused 下一步's notice as the page stands now: what the resident has put right leaves it,
        and once nothing it named is missing the notice goes (下一步 is then simply there to tap)."""
        if not self.refused:
            return
        notice: Callable[[], str] | None = None
        if self.step == "form":
            labels = [label for key, label in self.form_page.missing() if key in self.refused]
            if labels:
                notice = functools.partial(self._form_notice, labels)
        elif self.step == "materials":
            names = [name for name in self.materials_page.missing() if name in self.refused]
            if names:
                notice = functools.partial(self._materials_notice, names)
        elif self.step == "delivery" and self.declaration is not None:
            still = [p for p in delivery_problems(self.declaration.delivery, self.declaration.item)
                     if p.key in self.refused]
            self.delivery_page.show_problems(still)
            if still:
                notice = self._delivery_notice
        if notice is None:
            self.refused = set()
        keep_made(self.notice, notice)

    def _form_notice(self, labels: list[str]) -> str:
        """The first missing field by name (the page has scrolled to it), and how many there are in all."""
        first, more = labels[0], len(labels) - 1
        if more:
            chinese = self.tr("请补全：%1等%n项", "", len(labels)).replace("%1", first)
            english = f"Please complete: {first} and {more} more"
        else:
            chinese = self.tr("请补全：%1").replace("%1", first)
            english = f"Please complete: {first}"
        return pick(chinese + "  Please complete the form", english)

    def _materials_notice(self, names: list[str]) -> str:
        return pick(self.tr("还缺材料：%1").replace("%1", "、".join(names)) + "  Materials missing",
                    "Materials missing: " + ", ".join(names))

    def _delivery_notice(self) -> str:
        return pick(self.tr("请按提示修改送达信息") + "  Please check the delivery details",
                    "Please check the delivery details")

    def back(self) -> None:
        step = self.step
        if step == "identify":
            self.quit()
            return
        if step == "submit":
            self.show_step("review")
            return
        if step == "service":
            # Back to who was identified (no new read: 换一张卡 there starts again with another card).
            self.show_step("identify", read=False)
            return
        steps = self.steps()
        if step in steps and steps.index(step) > 0:
            self.show_step(steps[steps.index(step) - 1])

    def quit(self) -> None:
        self.wipe()
        self.context.go_home()

    # --- navigation in ----------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        if self.context.session is not None:
            self.context.session.require_card(False)  # see the module docstring
        code = payload if isinstance(payload, str) and payload else ""
        in_progress = self.resident is not None and self.step not in ("done",)
        if code or not in_progress:
            self.wipe()
            self.preset_code = code
            self.show_step("identify")

    # --- identify -----------------------------------------------------------------------------------

    def start_card_read(self) -> None:
        self._stop("card")
        self.card_error = None
        self.identify_page.waiting()
        cancel = threading.Event()
        self._start("card", "cardreader", read_resident_from, (self.context.runtime.devices, CARD_TIMEOUT_S, cancel),
                    self._on_card, self._on_card_failed, cancel)

    def _on_card(self, value: object) -> None:
        if not isinstance(value, Resident):
            return
        self.resident = value
        # Who was identified stays on screen until 下一步: the resident checks it is their card.
        self.identify_page.identified(mask_name(value.name), mask_id_number(value.id_number))
        if self.preset_code:
            self.choose_item(self.preset_code)
        self.update_nav()

    def change_card(self) -> None:
        """换一张卡: another person or another card; whatever was chosen for the last one is forgotten."""
        self._forget_declaration()
        self.resident = None
        self.show_step("identify")

    def _on_card_failed(self, exc: object) -> None:
        if isinstance(exc, IdentifyCanceled):
            return
        if shown_as_bug(self, exc, self.context, "declare: the card read"):
            self.identify_page.stopped()
            return
        error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.card_error = error
        zh, en = message_for(error)
        self.identify_page.failed(zh, en)

    # --- the service ---------------------------------------------------------------------------------

    def _search(self, query: str) -> list[GuideRow]:
        return declarable_rows(self.guides, self.context.runtime.cache.catalog, query)

    def choose_item(self, code: str) -> None:
        item = self.context.runtime.cache.catalog.get(code)
        if item is None or not item.declarable_here or self.resident is None:
            keep_made(self.notice, lambda: pick(self.tr("此事项不能在本机申报") + "  Not declarable here",
                                                "Not declarable here"))
            return
        if self.declaration is None or self.declaration.item.code != code:
            self._forget_declaration()
            self.declaration = Declaration(item, self.resident)
        self.service_page.show_item(item)
        keep_made(self.notice, None)
        self._show_step_label()
        self.update_nav()

    # --- delivery ---------------------------------------------------------------------------------

    def _delivery_changed(self) -> None:
        if self.declaration is not None:
            self.declaration.set_delivery(self.delivery_page.delivery())
            self._follow_refusal()

    def _accept_delivery(self) -> bool:
        if self.declaration is None:
            return False
        self.declaration.set_delivery(self.delivery_page.delivery())
        problems = delivery_problems(self.declaration.delivery, self.declaration.item)
        self.delivery_page.show_problems(problems)
        if problems:
            self.refused = {p.key for p in problems}
            keep_made(self.notice, self._delivery_notice)
            return False
        self.delivery_page.keyboard.close_keyboard()
        return True

    # --- submit -------------------------------------------------------------------------------------

    def start_submit(self) -> None:
        if self.declaration is None or "submit" in self._calls:
            return
        self.store_error = None
        self.submit_page.submitting()
        self._start("submit", "outbox", submit, (self.outbox, self.declaration), self._on_stored,
                    self._on_store_failed)
        self.show_step("submit")

    def _on_stored(self, value: object) -> None:
        if not isinstance(value, OutboxItem):
            return
        # Committed: only now does the resident read 已提交.
        self.stored = value
        self.done_page.show_numbers(value.receipt_no, "")
        self.done_page.set_network("", "")
        self.done_page.set_printing("正在确认发送…", "Checking the connection…")
        self.show_step("done")
        cancel = threading.Event()
        self._start("case", "outbox", functools.partial(await_case, cancel=cancel),
                    (self.outbox, self.context.runtime.sync, value.uuid, CASE_WAIT_S),
                    self._on_case, self._on_case_failed, cancel)

    def _on_store_failed(self, exc: object) -> None:
        self.store_error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.submit_page.failed()
        self.show_step("submit")
        shown_as_bug(self, exc, self.context, "declare: storing in the outbox")

    def _on_case(self, value: object) -> None:
        self.case = value if isinstance(value, CaseWait) else None
        case_no = self.case.case_no if self.case is not None else None
        if self.stored is not None:
            self.done_page.show_numbers(self.stored.receipt_no, case_no or "")
        if case_no:
            self.done_page.set_network(*SENT_NOTE)
        elif self.case is None or self.case.offline:
            self.done_page.set_network(*OFFLINE_NOTE)
        else:
            self.done_page.set_network(*SENDING_NOTE)
        if not case_no:
            self.done_page.set_case("办件编号：联网后生成，可先凭受理编号查询",
                                    "Case number: given after sending; until then use the receipt number")
        self.start_print()

    def _on_case_failed(self, exc: object) -> None:
        # Waiting for the case number is a nicety: the declaration is safe in the outbox either way, so
        # the receipt prints with the local number, under the notice when it was a bug.
        shown_as_bug(self, exc, self.context, "declare: waiting for the case number")
        self._on_case(None)

    # --- the receipt ---------------------------------------------------------------------------------

    def receipt(self) -> ReceiptData | None:
        if self.declaration is None or self.stored is None:
            return None
        config = self.context.config
        case_no = self.case.case_no if self.case is not None and self.case.case_no else ""
        hotline = config.terminal.help_phone or "12345"
        return receipt_data(self.declaration, self.stored, terminal_id=config.terminal.id,
                            station=config.terminal.station, case_no=case_no, hotline=hotline)

    def start_print(self) -> None:
        data = self.receipt()
        if data is None or "print" in self._calls:
            return
        self.print_error = None
        self.done_page.set_printing("正在打印回执，请稍候…", "Printing your receipt…")

        def render(path: Path) -> object:
            return render_receipt(data, path)

        request = PrintRequest(title="受理回执", render=render, description=data.service_name)
        cancel = threading.Event()
        self._start("print", "printer", _print_receipt,
                    (request, self.context.config, self.context.data_dir, cancel),
                    self._on_printed, self._on_print_failed, cancel, expected=PRINT_ERRORS)

    def _on_printed(self, _value: object) -> None:
        self.printed = True
        self.done_page.set_printing("回执已打印，请取走回执和您的卡片。",
                                    "Your receipt is printed: please take it and your card.")

    def _on_print_failed(self, exc: object) -> None:
        self.print_error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        if shown_as_bug(self, exc, self.context, "declare: printing the receipt"):
            # The receipt number stays on the page under the notice; retrying the print stays offered.
            self.done_page.set_printing(*PRINT_FAILED, failed=True)
            return
        failure = describe_failure(self.print_error)
        self.done_page.set_printing(*print_failed_text(failure.zh, failure.en), failed=True)

    def finish(self) -> None:
        """完成: the declaration is forgotten and the resident is home."""
        self.wipe()
        self.context.go_home()

    def rate(self) -> None:
        """评价服务: the rating, offered and tied to this receipt; the declaration is forgotten."""
        receipt_no = self.stored.receipt_no if self.stored is not None else ""
        self.wipe()
        self.context.navigate("rating", receipt_no or None)

    # --- workers --------------------------------------------------------------------------------------

    def _start(self, purpose: str, device: str, fn: Callable[..., Any], args: tuple[Any, ...],
               ok: Callable[[object], None], fail: Callable[[object], None],
               cancel: threading.Event | None = None, *, expected: ErrorTypes = ()) -> None:
        worker = DeviceWorker(device, self)
        call = worker.submit(fn, *args, expected=expected)
        call.finished.connect(lambda value, c=call: self._done(purpose, c, value, ok))
        call.failed.connect(lambda exc, c=call: self._done(purpose, c, exc, fail))
        self._workers[call] = worker
        self._calls[purpose] = call
        if cancel is not None:
            self._cancels[purpose] = cancel
        self.update_nav()

    def _done(self, purpose: str, call: Call, value: object, handler: Callable[[object], None]) -> None:
        worker = self._workers.pop(call, None)
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()
        if self._calls.get(purpose) is not call:
            return  # abandoned (wiped, retried): nothing to show
        del self._calls[purpose]
        self._cancels.pop(purpose, None)
        handler(value)
        self.update_nav()

    def _stop(self, purpose: str) -> None:
        cancel = self._cancels.pop(purpose, None)
        if cancel is not None:
            cancel.set()
        self._calls.pop(purpose, None)

    # --- privacy ------------------------------------------------------------------------------------

    def _forget_declaration(self) -> None:
        if self.declaration is not None:
            self.declaration.wipe()
        self.declaration = None
        self.form_page.clear()
        self.materials_page.wipe()
        self.delivery_page.wipe()
        self.review_page.wipe()

    def _halt_card_read(self) -> None:
        """Stops a card read and its thread now: it waits on the readers in steps of at most a second, so
        this blocks the GUI at most that long, and no reader thread outlives the screen's use of it."""
        call = self._calls.get("card")
        self._stop("card")
        worker = self._workers.pop(call, None) if call is not None else None
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()

    def hideEvent(self, event: QHideEvent) -> None:
        # Left for another screen (help, home) while waiting for a card: stop waiting.
        if "card" in self._calls:
            self._halt_card_read()
        super().hideEvent(event)

    def wipe(self) -> None:
        """Session end: stop reading and printing, forget the resident, every value, page and image."""
        self._halt_card_read()
        for purpose in list(self._calls):
            self._stop(purpose)
        self._forget_declaration()
        self.resident = None
        self.preset_code = ""
        self.stored = None
        self.case = None
        self.card_error = self.store_error = self.print_error = None
        self.printed = False
        self.service_page.wipe()
        self.submit_page.wipe()
        self.done_page.wipe()
        self.identify_page.waiting()
        self.show_step("identify", read=False)

    def shutdown(self) -> None:
        """Stops every worker now (application exit, tests)."""
        for purpose in list(self._calls):
            self._stop(purpose)
        for call, worker in list(self._workers.items()):
            call.cancel()
            worker.shutdown()
            worker.deleteLater()
        self._workers.clear()


def _print_receipt(request: PrintRequest, config: Any, data_dir: Path, cancel: threading.Event) -> object:
    """Runs on the printer worker: render and print the receipt (the rendered file is removed after)."""
    return run_print_job(request, config, data_dir, lambda _progress: None, cancel=cancel)
