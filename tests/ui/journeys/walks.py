"""The resident journeys the harness walks (tests/ui/journeys/driver.py runs them, in JOURNEYS' order).

Each is what a resident does at the terminal, step by step, with `r.step(name)` after every change a
person would look at. Everything is found by what is written on it; the kiosk's state is read only
where a person reads it too (the receipt number on the 已提交 page, a field's text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QLineEdit, QPushButton, QWidget

from drivers.idcard.demo_card import DEMO_CARD
from kiosk.privacy import mask_id_number, mask_name
from tests.ui.journeys.desk import lay_page, printout, put_on_desk
from tests.ui.journeys.hand import JourneyError, shown_text
from ui.widgets.keyboard import OnScreenKeyboard

if TYPE_CHECKING:
    from tests.ui.journeys.driver import Run

# The technician PIN the harness sets, as `kiosk set-pin` would (there is no default PIN).
PIN = "246813"
NAME = str(DEMO_CARD["name"])
ID_NUMBER = str(DEMO_CARD["id_number"])
ADDRESS = str(DEMO_CARD["address"])
GUIDE = "居民身份证首次申领"  # found by typing "sfz"
FORM = "住房公积金提取申请表"
SERVICE = "个体工商户设立登记"  # a form with Chinese fields, a camera material, an optional one, express
MATERIAL_CAMERA = "经营场所使用证明"
MATERIAL_SCANNER = "授权委托书及代理人居民身份证"
PHONE = "13905710042"
PREMISES = ("gongsi", "公司")  # pinyin typed, the candidate tapped
SCOPE = ("fuzhuang", "服装")
CAPITAL = "5"

# --- small moves -----------------------------------------------------------------------------------


def keyboard(r: Run) -> OnScreenKeyboard:
    """The on-screen keyboard in view (there is one at a time)."""
    shown = [k for k in r.window.findChildren(OnScreenKeyboard) if k.isVisible()]
    if len(shown) != 1:
        raise JourneyError(f"{len(shown)} on-screen keyboards in view, not one")
    return shown[0]


def type_keys(r: Run, text: str, *, within: QWidget | None = None, touch: bool = False) -> None:
    """Taps the key for each character (letters are written upper case on the keys)."""
    pad = within or keyboard(r)
    for char in text:
        r.hand.tap(char.upper() if char.isalpha() else char, within=pad, touch=touch)


def choose_candidate(r: Run, word: str, *, touch: bool = False) -> None:
    """Taps `word` in the candidate bar, paging on with › until it shows."""
    bar = keyboard(r).bar
    if bar is None:
        raise JourneyError("the keyboard has no candidate bar")
    for _page in range(6):
        found = r.hand.candidates(word, within=bar, kind=QPushButton)
        if found:
            r.hand.tap(found[0], touch=touch)
            return
        r.hand.tap("›", within=bar, touch=touch)
    raise JourneyError(f"{word!r} is not among the candidates {bar.candidates[:12]}")


def type_pinyin(r: Run, name: str, pinyin: str, word: str) -> None:
    r.hand.tap(name, touch=True)
    type_keys(r, pinyin, touch=True)
    r.step(f"pinyin-{pinyin}")
    choose_candidate(r, word, touch=True)
    field = r.hand.find(name, kind=QLineEdit)
    r.check(isinstance(field, QLineEdit) and word in field.text(), f"{name} does not show {word!r} after choosing it")
    r.typed.append(word)


def area_of(widget: QWidget) -> QAbstractScrollArea:
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, QAbstractScrollArea) and current.viewport().isAncestorOf(widget):
            return current
        current = current.parentWidget()
    raise JourneyError(f"{shown_text(widget)!r} is in no scrolling list")


def swipe_both(r: Run, area: QAbstractScrollArea, name: str, *, flick: bool = False) -> None:
    """Up with a touch (a flick, if `flick`: the list runs on and slows down by itself), back down with a
    mouse drag; each must move the list when it is longer than its view."""
    bar = area.verticalScrollBar()
    room = bar.maximum() > bar.minimum()
    height = area.viewport().height()
    before = bar.value()
    r.hand.drag(area, QPoint(0, -int(height * 0.5)), touch=True, flick=flick)
    r.check(not room or bar.value() > before, f"a touch swipe up did not move {name} ({before} → {bar.value()})")
    r.step(f"{name}-swipe-touch")
    before = bar.value()
    r.hand.drag(area, QPoint(0, int(height * 0.6)), touch=False, flick=False)
    r.check(not room or bar.value() < before or before == bar.minimum(),
            f"a mouse drag down did not move {name} ({before} → {bar.value()})")
    r.step(f"{name}-swipe-mouse")


def text_of(r: Run, object_name: str) -> str:
    """What a label on screen says (read as a person reads it)."""
    label = r.window.findChild(QLabel, object_name)
    return label.text() if label is not None and label.isVisible() else ""


def wait_text(r: Run, what: str, read: Callable[[], str], contains: str, wait_s: float = 20.0) -> None:
    try:
        r.hand.wait_for(f"{what} to say {contains!r}", lambda: contains in read(), wait_s)
    except JourneyError as exc:
        raise JourneyError(f"{exc} (it says {read()!r})") from None


def open_tile(r: Run, title: str, screen: str) -> None:
    """From home, the service's tile (in the mode the resident wants)."""
    r.ensure_mode()
    r.hand.tap(title)
    r.wait_screen(screen)


def back_home(r: Run, text: str) -> None:
    r.hand.tap(text)
    r.wait_screen("home_screen")
    r.step("home")


def card(r: Run, placed: bool) -> None:
    """The resident places the ID card on the reader, or takes it back: the demo's F5 key."""
    if r.cards.placed("idcard") != placed:
        r.hand.key("F5")
        r.hand.wait_for("the card to be " + ("placed" if placed else "taken"),
                        lambda: r.cards.placed("idcard") == placed, 5)


# --- the journeys ----------------------------------------------------------------------------------


def guide(r: Run) -> None:
    """办事指南: search with the keyboard, read a guide (swiping), print it, 返回 back to it."""
    h = r.hand
    open_tile(r, "办事指南", "guide_screen")
    r.step("open")
    h.tap("搜索办事指南", touch=True)
    r.step("keyboard")
    type_keys(r, "sfz")
    r.typed.append("sfz")
    h.wait_for(f"{GUIDE} among the results", lambda: bool(h.candidates(GUIDE, kind=QPushButton)))
    h.still()
    r.step("typed-sfz")
    row = h.find(GUIDE, kind=QPushButton)
    swipe_both(r, area_of(row), "results", flick=True)
    h.tap(row)
    r.wait_screen("guide_detail_screen")
    wait_text(r, "the guide's title", lambda: text_of(r, "guide_detail_title"), GUIDE)
    r.step("detail")
    swipe_both(r, area_of(h.find("办理地点和时间")), "detail")
    h.tap("打印办事指南")
    r.wait_screen("print_screen")
    r.step("printing")
    wait_text(r, "the print screen", lambda: text_of(r, "print_state"), "打印完成")
    r.step("printed")
    h.tap("返回 Back")
    r.wait_screen("guide_detail_screen")
    r.check(GUIDE in text_of(r, "guide_detail_title"), "返回 after printing did not come back to the guide")
    r.step("back-to-guide")
    h.tap("返回列表")
    r.wait_screen("guide_screen")
    r.step("back-to-list")
    back_home(r, "返回首页")


def forms(r: Run) -> None:
    """表格打印: a blank form, then the same form pre-filled from the demo ID card (F5)."""
    h = r.hand
    open_tile(r, "表格打印", "forms_screen")
    r.step("list")
    h.tap(h.find(contains=FORM, kind=QPushButton), touch=True)
    r.step("mode")
    h.tap(h.find(contains="打印空白表格", kind=QPushButton))
    h.wait_for("the preview", lambda: bool(h.candidates("打印 Print")))
    r.step("blank-preview")
    h.tap("打印 Print")
    r.wait_screen("print_screen")
    wait_text(r, "the print screen", lambda: text_of(r, "print_state"), "打印完成")
    r.step("blank-printed")
    h.tap("返回 Back")
    r.wait_screen("forms_screen")
    r.step("back-to-forms")
    h.tap("返回 Back")
    h.wait_for("blank or pre-filled", lambda: bool(h.candidates(contains="刷卡预填", kind=QPushButton)))
    r.step("mode-again")
    h.tap(h.find(contains="刷卡预填", kind=QPushButton))
    h.find("请将身份证或市民卡放在读卡区")
    r.step("card-prompt")
    card(r, True)
    h.wait_for("the pre-filled preview", lambda: bool(h.candidates("打印 Print")))
    r.check(bool(h.candidates(contains=mask_name(NAME))), f"the preview does not show {mask_name(NAME)}")
    r.check(not h.candidates(contains=ID_NUMBER), "the preview shows the whole ID number")
    r.step("prefilled-preview")
    card(r, False)
    r.step("card-taken")
    h.tap("打印 Print")
    r.wait_screen("print_screen")
    wait_text(r, "the print screen", lambda: text_of(r, "print_state"), "打印完成")
    r.step("prefilled-printed")
    back_home(r, "返回首页 Home")


def declare(r: Run) -> None:
    """网上申报: card, service by keyboard, a form in pinyin and digits, a photo and a scan, express delivery,
    review, submit; the receipt stays until 完成, and the rating offered there is given."""
    h = r.hand
    open_tile(r, "网上申报", "declare")
    h.find("请将身份证或市民卡放在读卡区")
    r.step("identify-waiting")
    card(r, True)
    wait_text(r, "the identify step", lambda: text_of(r, "declare_card_identity"), "已识别")
    r.check(mask_name(NAME) in text_of(r, "declare_card_identity")
            and mask_id_number(ID_NUMBER) in text_of(r, "declare_card_identity"),
            "the identify step does not say who was identified, masked")
    r.step("identified")
    card(r, False)
    r.step("card-taken")
    h.tap("下一步 Next")
    r.step("service")
    h.tap("搜索要申报的事项", touch=True)
    type_keys(r, "gtgsh", touch=True)
    h.wait_for(f"{SERVICE} among the results", lambda: bool(h.candidates(SERVICE, kind=QPushButton)))
    h.still()
    r.step("service-search")
    h.tap(h.find(SERVICE, kind=QPushButton))
    r.step("service-chosen")
    h.tap("下一步 Next")
    h.find("经营场所", kind=QLineEdit)
    r.step("form")
    type_pinyin(r, "经营场所", *PREMISES)
    r.step("form-premises")
    type_pinyin(r, "经营范围", *SCOPE)
    r.step("form-scope")
    h.tap("移动电话")
    type_keys(r, PHONE)
    r.typed.append(PHONE)
    r.step("form-phone")
    h.tap("资金（万元）", touch=True)
    type_keys(r, CAPITAL, touch=True)
    r.step("form-capital")
    h.tap("收起键盘 Hide keyboard")
    r.step("form-keyboard-hidden")
    h.tap("个人经营")
    r.step("form-choice")
    swipe_both(r, area_of(h.find("个人经营")), "form")
    h.tap("下一步 Next")
    h.find(contains=MATERIAL_CAMERA)
    r.step("materials")
    material = material_card(r, MATERIAL_CAMERA)
    h.tap("拍照 Camera", within=material)
    h.find("拍照 Capture")
    r.step("camera")
    h.wait_for("the page to be taken", lambda: bool(h.candidates("使用此页 Use this page")), 30)
    r.step("camera-review")
    h.tap("使用此页 Use this page")
    h.wait_for("the materials list", lambda: bool(h.candidates(contains=MATERIAL_SCANNER)), 20)
    r.step("camera-attached")
    material = material_card(r, MATERIAL_SCANNER)
    h.tap("扫描 Scanner", within=material, touch=True)
    h.find("开始扫描 Start scan")
    r.step("scanner")
    h.tap("开始扫描 Start scan")
    h.wait_for("the scanned page", lambda: bool(h.candidates("使用此页 Use this page")), 30)
    r.step("scanner-review")
    h.tap("使用此页 Use this page")
    h.wait_for("the materials list", lambda: bool(h.candidates(contains=MATERIAL_SCANNER)), 20)
    r.step("scanner-attached")
    swipe_both(r, area_of(material_card(r, MATERIAL_CAMERA)), "materials")
    h.tap("下一步 Next")
    h.find(contains="快递送达")
    r.step("delivery")
    h.tap(h.find(contains="快递送达", kind=QPushButton))
    r.step("express")
    r.check(bool(h.candidates(contains=ADDRESS, kind=QLineEdit)), "the express address is not the card's")
    h.tap(h.find(contains=PHONE, kind=QLineEdit))  # the form's mobile, typed again
    h.tap("清空", within=keyboard(r))
    type_keys(r, PHONE)
    r.step("express-phone")
    h.tap("收起键盘 Hide keyboard")
    r.step("express-keyboard-hidden")
    h.tap("下一步 Next")
    h.find("提交申报 Submit")
    r.step("review")
    swipe_both(r, area_of(h.find(contains="办理事项")), "review")
    reveal = h.find(contains="按住显示完整信息", kind=QPushButton)

    def while_held() -> None:
        r.check(bool(h.candidates(contains=ID_NUMBER)), "holding 按住显示 does not show the whole ID number")
        r.step("review-held")

    h.hold(reveal, while_held)
    r.check(not h.candidates(contains=ID_NUMBER), "the ID number stays in full after letting go")
    r.step("review-let-go")
    h.tap("提交申报 Submit")
    wait_text(r, "the 已提交 page", lambda: text_of(r, "declare_receipt_no"), "-")
    r.receipt = text_of(r, "declare_receipt_no")
    r.typed.append(r.receipt)
    r.step("submitted")
    wait_text(r, "the 已提交 page", lambda: text_of(r, "declare_print_state"), "回执已打印", 30)
    r.step("receipt-printed")
    r.settle(3.0)
    r.check(r.on("declare") and text_of(r, "declare_receipt_no") == r.receipt,
            "the 已提交 page with the receipt number did not stay")
    r.check(bool(h.candidates("完成 Done")), "the 已提交 page offers no 完成")
    r.step("receipt-stays")
    h.tap("评价服务 Rate this service")
    r.wait_screen("rating_screen")
    r.check(bool(h.candidates(contains=r.receipt)), "the rating does not name the receipt it is for")
    r.step("rating")
    h.tap("非常满意", touch=True)
    r.step("rating-graded")
    h.tap("提交评价 Submit")
    h.find(contains="感谢您的评价")
    r.step("rating-thanks")
    back_home(r, "返回首页 Home")


def material_card(r: Run, name: str) -> QWidget:
    """The card in the materials list that names `name`."""
    label = r.hand.find(contains=name, kind=QLabel)
    holder = label.parentWidget()
    if holder is None:
        raise JourneyError(f"{name!r} has no card")
    return holder


def progress(r: Run) -> None:
    """办件查询: the real receipt number on the keypad, a mistyped one, then the printed receipt's QR code."""
    h = r.hand
    if not r.receipt:
        raise JourneyError("no receipt number: the declaration did not get that far")
    open_tile(r, "办件查询", "progress")
    r.step("open")
    screen = r.current()
    type_keys(r, r.receipt, within=screen)
    r.step("typed")
    h.tap("查询 Query")
    h.wait_for("the answer", lambda: bool(h.candidates(contains="再查一个")), 20)
    r.check(bool(h.candidates(contains=r.receipt)), "the answer does not show the number asked about")
    r.step("answer")
    h.tap(h.find(contains="再查一个", kind=QPushButton))
    mistyped = r.receipt[:-1] + ("1" if r.receipt[-1] != "1" else "2")
    type_keys(r, mistyped, within=screen, touch=True)
    h.tap("查询 Query", touch=True)
    h.wait_for("the answer", lambda: bool(h.candidates(contains="再查一个")), 20)
    r.check(bool(h.candidates(contains="未查到")), "a mistyped number is not answered with 未查到")
    r.step("answer-mistyped")
    printed = sorted((r.data_dir / "printed").glob("*.pdf"), key=lambda p: p.stat().st_mtime)
    receipts = [p for p in printed if "回执" in p.name] or printed
    if not receipts:
        raise JourneyError("the simulated printer wrote no receipt")
    receipt = printout(receipts[-1], r.desk)  # in the resident's hand, to lay under the camera
    h.tap(h.find(contains="再查一个", kind=QPushButton))
    h.tap(h.find(contains="扫描回执二维码", kind=QPushButton))
    h.find(contains="二维码朝上")
    r.step("scan-waiting")
    put_on_desk(receipt, r.desk)
    h.wait_for("the scanned answer", lambda: bool(h.candidates(contains="再查一个")), 30)
    r.check(bool(h.candidates(contains=r.receipt)), "scanning the receipt did not find its number")
    r.step("answer-scanned")
    lay_page(r.desk)
    back_home(r, "返回首页 Home")


def help_(r: Run) -> None:
    """呼叫工作人员 from inside a service, and back to where the resident was."""
    h = r.hand
    open_tile(r, "办事指南", "guide_screen")
    h.tap("呼叫工作人员")
    r.wait_screen("help_screen")
    r.step("help")
    h.wait_for("an answer to the call", lambda: "正在发出求助" not in text_of(r, "help_state"), 20)
    r.step("help-answered")
    h.tap("返回 Back")
    r.wait_screen("guide_screen")
    r.step("back")
    back_home(r, "返回首页")


def technician(r: Run) -> None:
    """The hidden corner: five quick taps at the home screen's top-left, the PIN on the pad, setup, 退出."""
    h = r.hand
    r.ensure_mode()
    home = r.window.home
    corner = home.mapToGlobal(QPoint(24, 24))
    under = QApplication.widgetAt(corner)
    if under is not home and not home.isAncestorOf(under):
        raise JourneyError(f"the home screen's corner is covered by {type(under).__name__}")
    for _tap in range(5):
        h.tap_at(corner)
    r.wait_screen("setup_pin")
    r.step("pin-pad")
    type_keys(r, PIN, within=r.current(), touch=True)
    r.step("pin-typed")
    h.tap("确定 OK")
    r.wait_screen("setup")
    r.step("setup")
    back_home(r, "退出 Exit")


def idle(r: Run) -> None:
    """Left alone mid-search: the countdown, then the wipe; nothing of any journey remains anywhere."""
    h = r.hand
    open_tile(r, "办事指南", "guide_screen")
    h.tap("搜索办事指南")
    type_keys(r, "hk")
    r.typed.append("hk")
    r.step("typed")
    h.wait_for("the countdown", lambda: bool(h.candidates(contains="点击任意处继续")), 25)
    r.step("countdown")
    r.wait_screen("home_screen", 15)
    r.settle(0.5)
    r.check(r.elder() == r.window.config.terminal.elder_mode, "the idle wipe left the last resident's mode on")
    left = leftovers(r)
    r.check(not left, f"after the idle wipe the screens still show: {left}")
    r.step("wiped")


def leftovers(r: Run) -> list[str]:
    """Every value a journey typed or was given that some screen would still show."""
    values = [*r.typed, NAME, mask_name(NAME), ID_NUMBER, mask_id_number(ID_NUMBER), ADDRESS]
    found: list[str] = []
    for screen in [r.window.home, *r.window.screens.values()]:
        for widget in [screen, *screen.findChildren(QWidget)]:
            if widget is not screen and not widget.isVisibleTo(screen):
                continue
            text = widget.text() if isinstance(widget, QLabel | QPushButton | QLineEdit) else ""
            found += [f"{screen.objectName()}: {value!r}" for value in values if value and value in text]
    return sorted(set(found))


WALKS: dict[str, Callable[[Run], None]] = {
    "guide": guide,
    "forms": forms,
    "declare": declare,
    "progress": progress,
    "help": help_,
    "technician": technician,
    "idle": idle,
}
