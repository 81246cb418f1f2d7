"""The online declaration wizard with a simulated ID card, a stand-in capture widget and the simulated
printer: a whole declaration ends in the outbox with its confirmation kept on screen until the resident
taps 完成 or 评价服务, and each way it can go wrong
(a missing field, a 容缺 material, a bad courier phone, a full disk, a printer fault, no network) says so."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)
from pytestqt.qtbot import QtBot

import ui.screens.declare.materials
import ui.screens.declare.wizard
from drivers.camera.errors import CameraDisconnected
from drivers.camera.protocol import CameraInfo, Frame
from drivers.citizencard.simulated import SimulatedCitizenCardReader
from drivers.idcard.demo_card import DEMO_CARD
from drivers.idcard.factory import SimulatedIdCardReader
from drivers.idcard.simulator import Fault
from drivers.printer.errors import PrintJobFailed
from drivers.status import DeviceState, DeviceStatus
from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping
from kiosk.devices.manager import CAMERA, CITIZENCARD, IDCARD, DeviceSpec
from kiosk.privacy import mask_name
from kiosk.resident.declaration import CaseWait
from kiosk.resident.materials import attach
from kiosk.runtime import KioskRuntime
from kiosk.status import NetworkState
from offline_cache.catalog import Material, ServiceItem
from offline_cache.errors import DiskFullError
from tests.demo_runtime import MakeRuntime
from tests.ui.journeys.checks import button_problem, label_problem, widget_problems
from tests.ui.portrait import assert_not_cut, settle, to_portrait
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.declare.form import first_error_text
from ui.screens.declare.wizard import DeclareScreen
from ui.screens.rating import RatingScreen
from ui.widgets.bug_notice import BugNotice

NAME = str(DEMO_CARD["name"])
ID_NUMBER = str(DEMO_CARD["id_number"])
PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a form, two materials to capture, one 容缺
BUSINESS = "330000-SJ-QR-0001"  # 个体工商户设立登记: a form, express delivery
PHONE = "13912345678"

PURCHASE_FORM = {"phone": PHONE, "account_no": "12345678", "employer": "示例公司",
                 "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
                 "bank_account": "6222000011112222"}
BUSINESS_FORM = {"phone": PHONE, "premises": "杭州市西湖区某路2号", "scope": "日用百货零售", "capital": "5"}


class FakeCapture(QWidget):
    """Stands in for ui/widgets/material_capture.py: same signals and methods, no camera."""

    attached = Signal(object)
    skip_requested = Signal()
    cancelled = Signal()
    instances: ClassVar[list[FakeCapture]] = []

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("material_capture")
        self.item: ServiceItem | None = None
        self.material: Material | None = None
        self.source = ""
        self.wiped = False
        FakeCapture.instances.append(self)

    def begin(self, item: ServiceItem, material: Material, *, identified_by_card: bool,
              source: str = "camera") -> None:
        assert identified_by_card
        self.item, self.material, self.source = item, material, source

    def stop(self) -> None:
        pass

    def wipe(self) -> None:
        self.item = self.material = None
        self.wiped = True

    def capture(self, colour: str = "white") -> None:
        from PIL import Image

        assert self.item is not None
        assert self.material is not None
        buffer = io.BytesIO()
        Image.new("RGB", (60, 80), colour).save(buffer, format="JPEG")
        self.attached.emit(attach(buffer.getvalue(), item=self.item, material=self.material.name,
                                  device=self.source, captured_at=dt.datetime.now(dt.UTC), identified_by_card=True))


@pytest.fixture(autouse=True)
def fake_capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    FakeCapture.instances.clear()
    monkeypatch.setattr(ui.screens.declare.materials, "capture_class", lambda: FakeCapture)
    yield
    FakeCapture.instances.clear()


@pytest.fixture
def runtime(tmp_path: Path, make_runtime: MakeRuntime) -> KioskRuntime:
    return make_runtime(config_from_mapping({"devices": {
        "printer": {"backend": "simulated", "output_dir": str(tmp_path / "printed")},
        "idcard": {"backend": "simulated"},
        "citizencard": {"backend": "none"},
    }}))


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, runtime: KioskRuntime) -> Iterator[MainWindow]:
    w = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    screen = w.screens.get("declare")
    if isinstance(screen, DeclareScreen):
        screen.shutdown()
    w.wipe_screens()


def click(qtbot: QtBot, widget: QAbstractButton) -> None:
    # A widget added to a shown layout appears at the next turn of the event loop.
    qtbot.waitUntil(widget.isVisible, timeout=2000)
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def visible_text(window: MainWindow) -> str:
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(texts)


def start(qtbot: QtBot, window: MainWindow, code: str | None = None) -> DeclareScreen:
    if code is None:
        window.open_service("declare")
    else:
        window.navigate("declare", code)
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    assert screen.objectName() == "declare"
    identified(qtbot, screen)
    click(qtbot, screen.next_button)
    assert screen.step == "service"
    assert "第2步" in screen.step_label.text()
    return screen


def identified(qtbot: QtBot, screen: DeclareScreen) -> None:
    """The card was read: the identify step says who, masked, until the resident taps 下一步."""
    qtbot.waitUntil(lambda: screen.resident is not None, timeout=15000)
    assert screen.step == "identify"
    assert screen.identify_page.identity.text() == f"已识别：{mask_name(NAME)} 330106********0014"
    assert NAME not in visible_text(screen.window())
    assert screen.identify_page.change_button.isVisible()


def fill_form(qtbot: QtBot, screen: DeclareScreen, values: dict[str, str], choices: dict[str, int]) -> None:
    assert screen.step == "form"
    for field_id, value in values.items():
        line = screen.form_page.editors[field_id].line
        assert line is not None
        line.setText(value)
    for field_id, index in choices.items():
        option = screen.form_page.editors[field_id].choices
        list(option.values())[index].click()
    click(qtbot, screen.next_button)


def capture(qtbot: QtBot, screen: DeclareScreen, name: str, source: str = "camera") -> None:
    row = screen.materials_page.row_for(name)
    assert row.camera_button is not None
    assert row.scanner_button is not None
    click(qtbot, row.camera_button if source == "camera" else row.scanner_button)
    assert screen.materials_page.in_capture
    assert not screen.nav.isVisible()
    fake = FakeCapture.instances[-1]
    assert fake.material is not None
    assert fake.material.name == name
    assert fake.source == source
    fake.capture()
    assert not screen.materials_page.in_capture


def to_materials(qtbot: QtBot, window: MainWindow) -> DeclareScreen:
    screen = start(qtbot, window)
    screen.service_page.search_field.setText("公积金")
    screen.service_page.refresh()
    assert PURCHASE in screen.service_page.result_buttons
    click(qtbot, screen.service_page.result_buttons[PURCHASE])
    assert screen.declaration is not None
    assert screen.declaration.item.code == PURCHASE
    click(qtbot, screen.next_button)
    fill_form(qtbot, screen, PURCHASE_FORM, {"reason": 0})
    assert screen.step == "materials"
    return screen


def complete_materials(qtbot: QtBot, screen: DeclareScreen) -> None:
    capture(qtbot, screen, "购房合同或不动产权证书")
    capture(qtbot, screen, "本人银行卡或银行账户信息", "scanner")
    assert screen.materials_page.complete()
    skip = screen.materials_page.row_for("购房发票或契税完税凭证").skip_button
    assert skip is not None
    click(qtbot, skip)
    row = screen.materials_page.row_for("购房发票或契税完税凭证")
    assert "容缺·稍后补交" in row.status_label.text()
    assert "5个工作日内补交" in row.status_label.text()
    assert "已拍摄 1页" in screen.materials_page.row_for("购房合同或不动产权证书").status_label.text()
    assert "已扫描 1页" in screen.materials_page.row_for("本人银行卡或银行账户信息").status_label.text()
    assert "已通过读卡核验" in screen.materials_page.row_for("居民身份证").status_label.text()


def test_a_whole_declaration_ends_in_the_outbox_and_its_confirmation_offers_the_rating(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, tmp_path: Path,
) -> None:
    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    assert not screen.delivery_page.express_button.isVisible()  # this item has no express delivery
    assert screen.delivery_page.express_note.isVisible()
    click(qtbot, screen.next_button)
    assert screen.step == "review"
    shown = visible_text(window)
    assert NAME not in shown
    assert ID_NUMBER not in shown
    assert PHONE not in shown
    assert "139****5678" in shown
    assert "330106********0014" in shown
    click(qtbot, screen.next_button)  # 提交申报

    qtbot.waitUntil(lambda: screen.printed, timeout=20000)
    assert window.current_screen() is screen
    click(qtbot, screen.done_page.rate_button)  # 评价服务: offered, not forced
    rating = window.current_screen()
    assert isinstance(rating, RatingScreen)
    assert rating.receipt_no is not None
    item = runtime.cache.outbox.find_by_receipt(rating.receipt_no)
    assert item is not None
    assert item.service_code == PURCHASE
    fields = runtime.cache.outbox.read_fields(item.uuid)
    assert fields["form"]["reason"] == "购买商品住房"
    assert fields["form"]["employer"] == "示例公司"
    assert fields["delivery"]["method"] == "pickup"
    assert [a["material"] for a in fields["attachments"]] == ["购房合同或不动产权证书", "本人银行卡或银行账户信息"]
    assert [s["material"] for s in fields["skipped_materials"]] == ["购房发票或契税完税凭证"]
    assert [a.device for a in item.attachments] == ["camera", "scanner"]
    assert NAME not in repr(fields)
    assert ID_NUMBER not in repr(fields)
    assert PHONE not in repr(fields)
    personal = runtime.cache.outbox.read_personal(item.uuid)
    assert personal["name"] == NAME
    assert personal["id_number"] == ID_NUMBER
    assert personal["phone"] == PHONE
    assert len(list((tmp_path / "printed").glob("*.pdf"))) == 1  # the receipt
    # Finished: the wizard holds nothing of the resident any more.
    assert screen.declaration is None
    assert screen.resident is None
    assert FakeCapture.instances[-1].wiped


def test_a_missing_required_field_blocks_next_with_its_message(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window, PURCHASE)  # arrived from the guide: the item is chosen already
    assert screen.declaration is not None
    assert screen.declaration.item.code == PURCHASE
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    shown = visible_text(window)
    assert "330106********0014" in shown
    assert ID_NUMBER not in shown  # the card's values, masked
    assert "（选填 optional）" in shown
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    first = next(e for e in screen.form_page.editors.values() if not e.message.isHidden())
    assert screen.notice.text().startswith(f"请补全：{first.field.label}")
    assert "此项必填" in first_error_text(screen.form_page)
    assert "required" in first_error_text(screen.form_page)
    phone = screen.form_page.editors["phone"]
    assert phone.line is not None
    phone.line.setText("1391234")  # checked as typed
    assert "电话号码不正确" in phone.message.text()
    phone.line.setText(PHONE)
    assert phone.message.isHidden()


def test_the_forms_notice_follows_the_form_and_goes_once_nothing_is_missing(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window, PURCHASE)
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    click(qtbot, screen.next_button)  # nothing filled in: refused
    assert screen.step == "form"
    remaining = screen.form_page.missing()
    assert len(remaining) > 2
    assert {key for key, _label in remaining} == {*PURCHASE_FORM, "reason"}

    def expected() -> str:
        label = remaining[0][1]
        return f"请补全：{label}等{len(remaining)}项" if len(remaining) > 1 else f"请补全：{label}"

    assert screen.notice.text().startswith(f"请补全：{remaining[0][1]}")  # the first, which the page shows
    assert screen.notice.text().startswith(expected())  # and how many there are
    for key, _label in list(remaining):
        editor = screen.form_page.editors[key]
        if editor.line is None:
            click(qtbot, next(iter(editor.choices.values())))
        else:
            if key == "phone":
                editor.line.setText(PHONE[:5])  # half typed: not valid yet, so still named
                assert screen.notice.text().startswith(expected())
            editor.line.setText(PURCHASE_FORM[key])
        remaining.pop(0)
        # Each field put right leaves the notice at once; with nothing missing it goes.
        assert screen.notice.text().startswith(expected()) if remaining else screen.notice.text() == ""
    click(qtbot, screen.next_button)
    assert screen.step == "materials"


def test_express_needs_a_valid_mobile(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window, BUSINESS)
    click(qtbot, screen.next_button)
    fill_form(qtbot, screen, BUSINESS_FORM, {"form": 0})
    assert screen.step == "materials"
    rows = {r.row.material.name: r for r in screen.materials_page.rows}
    assert "已在线填写" in rows["《个体工商户登记（备案）申请书》"].status_label.text()
    assert screen.next_button.isEnabled()  # the only missing one is 容缺
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    click(qtbot, screen.delivery_page.express_button)
    assert screen.delivery_page.address_field.text() == DEMO_CARD["address"]
    assert screen.delivery_page.phone_field.text() == PHONE  # the form's mobile
    window.status_strip.set_elder_mode(True)  # the tallest case: elder type, the digit pad up
    page = screen.delivery_page
    page.keyboard.open_for(page.phone_field)
    assert_fits(qtbot, window, screen, "delivery express with keyboard")
    qtbot.waitUntil(lambda: page.phone_field.visibleRegion().boundingRect().height() == page.phone_field.height())
    click(qtbot, page.keyboard.hide_button)
    window.status_strip.set_elder_mode(False)
    screen.delivery_page.phone_field.setText("1391234")
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    assert "11位手机号码" in screen.delivery_page.phone_message.text()
    assert "请按提示修改送达信息" in screen.notice.text()
    screen.delivery_page.phone_field.setText("13800001111")
    # Put right: the warnings go as the number becomes valid, not at the next 下一步.
    assert screen.notice.text() == ""
    assert screen.delivery_page.phone_message.isHidden()
    click(qtbot, screen.next_button)
    assert screen.step == "review"
    assert "快递送达" in visible_text(window)
    assert str(DEMO_CARD["address"]) not in visible_text(window)


def test_a_storage_failure_says_not_submitted_and_keeps_everything(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)
    assert screen.step == "review"

    def disk_full(*_args: object, **_kwargs: object) -> object:
        raise DiskFullError("database or disk is full")

    monkeypatch.setattr(runtime.cache.outbox, "add_submission", disk_full)
    click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.store_error is not None, timeout=10000)
    assert screen.step == "submit"
    assert "没有提交成功" in screen.submit_page.state.text()
    assert "NOT submitted" in screen.submit_page.state_en.text()
    assert "已提交" not in visible_text(window)
    assert screen.declaration is not None
    assert screen.declaration.values["phone"] == PHONE
    assert len(screen.declaration.attachments) == 2
    assert runtime.cache.outbox.stats().depth == 0

    monkeypatch.undo()
    assert screen.next_button.text().startswith("重新提交")
    click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.printed, timeout=20000)
    assert screen.step == "done"
    assert runtime.cache.outbox.stats().depth == 1


def test_a_printer_fault_keeps_the_number_on_screen_and_finishing_goes_home(
    qtbot: QtBot, window: MainWindow, runtime: KioskRuntime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def jammed(*_args: object, **_kwargs: object) -> object:
        raise PrintJobFailed(7, "aborted", "paper jam")

    monkeypatch.setattr(ui.screens.declare.wizard, "run_print_job", jammed)
    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.print_error is not None, timeout=20000)
    assert screen.step == "done"
    number_on_screen(screen)
    assert "回执没有打印出来，请记下上面的受理编号" in screen.done_page.printing.text()
    # No platform is configured: the resident is told plainly what happens next.
    assert "当前网络未连接，申报已保存在本机，联网后自动发送，无需再次办理" in screen.done_page.network.text()
    assert "saved on this terminal" in screen.done_page.network_en.text()
    assert screen.done_page.retry_button.isVisible()
    finish_goes_home(qtbot, window, screen, "不打印，完成")


def test_the_confirmation_stays_until_the_resident_taps_done(qtbot: QtBot, window: MainWindow) -> None:
    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)  # 提交申报
    qtbot.waitUntil(lambda: screen.printed, timeout=20000)
    qtbot.wait(1500)  # longer than the old hand-over to the rating took
    assert window.current_screen() is screen
    assert screen.step == "done"
    receipt_no = number_on_screen(screen)
    assert "请取走回执和您的卡片" in screen.done_page.printing.text()
    assert screen.done_page.rate_button.isVisible()
    finish_goes_home(qtbot, window, screen, "完成")
    assert receipt_no not in visible_text(window)


def finish_goes_home(qtbot: QtBot, window: MainWindow, screen: DeclareScreen, label: str) -> None:
    assert screen.done_page.finish_button.text().startswith(label)
    click(qtbot, screen.done_page.finish_button)
    assert window.current_screen() is window.home
    assert screen.stored is None
    assert screen.declaration is None


def number_on_screen(screen: DeclareScreen) -> str:
    """The 已提交 page shows the stored receipt number, in view; returns it."""
    stored = screen.stored
    assert stored is not None
    assert screen.done_page.number.isVisible()
    assert screen.done_page.number.text() == stored.receipt_no
    return stored.receipt_no


def test_card_failure_offers_try_again_and_the_other_card(qtbot: QtBot, window: MainWindow,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from drivers.idcard.errors import IdCardError

    attempts: list[int] = []

    def unreadable(*_args: object, **_kwargs: object) -> object:
        attempts.append(1)
        if len(attempts) == 1:
            raise IdCardError("the card did not answer")
        return real(*_args, **_kwargs)

    real = ui.screens.declare.wizard.read_resident_from
    monkeypatch.setattr(ui.screens.declare.wizard, "read_resident_from", unreadable)
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    qtbot.waitUntil(lambda: screen.card_error is not None, timeout=10000)
    page = screen.identify_page
    assert page.retry_button.isVisible()
    assert page.hint.isVisible()
    assert "换一张卡" in page.hint.text()
    assert page.message.text()
    click(qtbot, page.retry_button)
    identified(qtbot, screen)
    assert not page.retry_button.isVisible()
    assert not page.hint.isVisible()


def test_a_bug_in_the_card_read_reaches_the_log_and_the_resident_is_told_to_ask_staff(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, kiosk_log: Path, expected_logs: Any
) -> None:
    expected_logs("kiosk.ui.workers", "bug in the cardreader worker")

    def read_resident_with_a_bug(*_args: object, **_kwargs: object) -> object:
        return len(ID_NUMBER) / 0

    monkeypatch.setattr(ui.screens.declare.wizard, "read_resident_from", read_resident_with_a_bug)
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    qtbot.waitUntil(lambda: screen.findChild(BugNotice) is not None, timeout=10000)
    notice = screen.findChild(BugNotice)
    assert notice is not None
    assert notice.isVisible()
    # The traceback is in the kiosk's own log file, once, and names where the bug is.
    log = kiosk_log.read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == 1
    assert "read_resident_with_a_bug" in log
    assert "ZeroDivisionError" in log
    # The resident reads "ask staff" over the whole screen; no card or reader is blamed.
    assert notice.geometry() == screen.rect()
    shown = visible_text(window)
    assert "出错了，请联系工作人员" in shown
    assert "Something went wrong, please ask staff" in shown
    assert "读卡失败" not in shown
    assert "could not be read" not in shown
    assert not screen.identify_page.hint.isVisible()
    assert screen.card_error is None
    click(qtbot, notice.help_button)
    assert window.current_screen() is window.screens["help"]
    # Gone, so whoever comes next does not find it.
    assert not any(n.isVisibleTo(screen) for n in screen.findChildren(BugNotice))


def test_a_chinese_form_field_takes_hanzi_from_the_pinyin_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window)
    screen.service_page.search_field.setText("公积金")
    screen.service_page.refresh()
    click(qtbot, screen.service_page.result_buttons[PURCHASE])
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    employer = screen.form_page.editors["employer"].line
    assert employer is not None
    qtbot.mouseClick(employer, Qt.MouseButton.LeftButton)  # a touch opens the keyboard for the field
    keyboard = screen.form_page.keyboard.keyboard
    assert keyboard is not None
    assert keyboard.target is employer
    assert keyboard.layout_name == "pinyin"
    for key in "gongsi":
        click(qtbot, keyboard.keys[key])
    assert employer.text() == ""
    assert keyboard.bar is not None
    click(qtbot, keyboard.bar.buttons[keyboard.bar.page().index("公司")])
    assert employer.text() == "公司"
    # Half-typed pinyin is gone with the session: nothing of it is left in the bar.
    for key in "zhang":
        click(qtbot, keyboard.keys[key])
    window.wipe_screens()
    assert not keyboard.composing
    assert keyboard.bar.candidates == []


def test_wipe_forgets_everything(qtbot: QtBot, window: MainWindow) -> None:
    screen = to_materials(qtbot, window)
    capture(qtbot, screen, "购房合同或不动产权证书")
    window.wipe_screens()
    assert screen.declaration is None
    assert screen.resident is None
    assert screen.step == "identify"
    assert screen.form_page.editors == {}
    assert screen.materials_page.rows == []
    assert FakeCapture.instances[-1].wiped
    everything = "\n".join(w.text() for w in screen.findChildren(QLabel))
    assert NAME[-2:] not in everything
    assert ID_NUMBER[-4:] not in everything
    assert PHONE[-4:] not in everything


# --- the terminal's screen is 1280×800: every step fits it, in both modes --------------------------------

CASE_NO = "ZJ330000202611270042"


def assert_fits(qtbot: QtBot, window: MainWindow, screen: DeclareScreen, step: str) -> None:
    window.resize(1280, 800)
    for _ in range(4):
        QApplication.processEvents()
    where = f"{step} ({window.theme.name})"
    assert (window.width(), window.height()) == (1280, 800), where
    for hint in (window.minimumSizeHint(), window.sizeHint()):
        assert hint.width() <= 1280, where
        assert hint.height() <= 800, where
    assert screen.minimumSizeHint().height() <= window.navigator.height(), where
    page = screen.page_for[screen.step]
    assert page.minimumSizeHint().height() <= screen.pages.height(), where
    assert page.minimumSizeHint().width() <= screen.pages.width(), where


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_step_fits_the_terminal_screen(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                              elder: bool) -> None:
    def online(*_args: object, **_kwargs: object) -> CaseWait:
        return CaseWait(CASE_NO, NetworkState.ONLINE)

    def printing(_request: object, _config: object, _data_dir: object, cancel: threading.Event) -> object:
        while not cancel.wait(0.2):  # "printing…" until the test ends
            pass
        return None

    monkeypatch.setattr(ui.screens.declare.wizard, "await_case", online)
    monkeypatch.setattr(ui.screens.declare.wizard, "_print_receipt", printing)
    window.status_strip.set_elder_mode(elder)
    assert window.theme.name == ("elder" if elder else "normal")
    screen = start(qtbot, window)
    screen.show_step("identify", read=False)
    assert_fits(qtbot, window, screen, "identified")
    screen.identify_page.failed("读卡失败", "The card did not read.")  # the tallest identify state
    assert_fits(qtbot, window, screen, "identify")
    screen.show_step("service")
    screen.service_page.search_field.setText("公积金")
    screen.service_page.refresh()
    click(qtbot, screen.service_page.result_buttons[PURCHASE])
    assert_fits(qtbot, window, screen, "service")
    screen.service_page.keyboard.open_for(screen.service_page.search_field)
    assert_fits(qtbot, window, screen, "service with keyboard")
    assert not screen.nav.isVisible()  # the keyboard has the room; 收起键盘 gives it back
    click(qtbot, screen.service_page.keyboard.hide_button)
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    assert_fits(qtbot, window, screen, "form")

    form = screen.form_page
    phone = form.editors["phone"]
    assert phone.line is not None
    form.keyboard.open_for(phone.line)
    phone.line.setText("1391234")
    assert_fits(qtbot, window, screen, "form with keyboard")
    # Typing: the field and its message are in view above the keyboard; the title and card line step aside.
    qtbot.waitUntil(lambda: phone.message.visibleRegion().boundingRect().height() == phone.message.height())
    assert phone.line.visibleRegion().boundingRect().height() == phone.line.height()
    assert form.card_box is not None
    assert not form.card_box.isVisible()
    assert not screen.title_label.isVisible()
    click(qtbot, form.keyboard.hide_button)
    employer = form.editors["employer"].line
    assert employer is not None
    form.keyboard.open_for(employer)
    keyboard = form.keyboard.keyboard
    assert keyboard is not None
    for key in "gongsi":
        keyboard.tap(key)
    assert_fits(qtbot, window, screen, "form with pinyin candidates")
    keyboard.tap("mode_handwriting")
    assert_fits(qtbot, window, screen, "form with the handwriting pad")
    keyboard.tap("mode_pinyin")
    click(qtbot, form.keyboard.hide_button)
    assert not form.keyboard.is_up  # and focus handed on does not bring it back
    assert form.card_box.isVisible()
    assert screen.nav.isVisible()
    phone.line.setText("")
    click(qtbot, screen.next_button)
    assert_fits(qtbot, window, screen, "form missing")

    fill_form(qtbot, screen, PURCHASE_FORM, {"reason": 0})
    assert screen.step == "materials"
    assert_fits(qtbot, window, screen, "materials")
    # Each material is a card: every line of it wraps rather than being cut.
    for row in screen.materials_page.rows:
        for text in (row.name_label, row.status_label, row.note_label):
            if text is not None:
                assert text.wordWrap()
                assert text.width() >= screen.materials_page.area.viewport().width() - 64
    complete_materials(qtbot, screen)
    assert_fits(qtbot, window, screen, "materials done")
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    assert_fits(qtbot, window, screen, "delivery")
    click(qtbot, screen.next_button)
    assert screen.step == "review"
    assert_fits(qtbot, window, screen, "review")

    screen.store_error = RuntimeError("staged")
    screen.submit_page.failed()
    screen.show_step("submit")
    assert_fits(qtbot, window, screen, "submit failed")
    screen.store_error = None
    screen.show_step("review")
    click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.step == "done" and "case" not in screen._calls, timeout=10000)
    assert CASE_NO in screen.done_page.case.text()
    assert_fits(qtbot, window, screen, "done online")
    screen._on_case(CaseWait(None, NetworkState.DISABLED))
    assert_fits(qtbot, window, screen, "done offline")
    screen._on_print_failed(PrintJobFailed(7, "aborted", "paper jam"))
    assert_fits(qtbot, window, screen, "done printer failed")
    done = screen.done_page
    assert done.number.isVisible()
    assert done.printing.text().count("受理编号") == 1  # one line, not the reason and the advice twice
    for widget in (done.retry_button, done.finish_button):  # never scrolled away
        assert widget.visibleRegion().boundingRect().height() == widget.height()


class UnpluggedCamera:
    """A document camera whose cable is out: it opens, and every frame read says it is gone."""

    info = CameraInfo("test", "test", 1920, 1080)

    def __init__(self) -> None:
        self.opened = False

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        self.opened = True
        return self.info

    def close(self) -> None:
        self.opened = False

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.OK if self.opened else DeviceState.UNKNOWN)

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        raise CameraDisconnected("test: camera unplugged")


def assert_window_fits(window: MainWindow, where: str) -> None:
    window.resize(1280, 800)
    for _ in range(4):
        QApplication.processEvents()
    assert (window.width(), window.height()) == (1280, 800), where
    assert window.minimumSizeHint().height() <= 800, where


def test_elder_capture_pages_leave_no_height_behind(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The real capture widget in elder type: its problem and scanner pages are the tallest; back at the
    list (and on another screen) the window must still fit 1280×800."""
    from ui.widgets.material_capture import MaterialCapture

    monkeypatch.setattr(ui.screens.declare.materials, "capture_class", lambda: MaterialCapture)
    config = config_from_mapping({"devices": {
        "idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"},
        "camera": {"backend": "simulated", "source": "scene:still"}, "scanner": {"backend": "simulated"},
    }})
    runtime = make_runtime(config)
    window = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.status_strip.set_elder_mode(True)
        screen = to_materials(qtbot, window)
        assert_window_fits(window, "materials")
        runtime.devices.apply(CAMERA, DeviceSpec(UnpluggedCamera, lambda camera: camera.status()))
        row = screen.materials_page.row_for("购房发票或契税完税凭证")
        assert row.camera_button is not None
        click(qtbot, row.camera_button)
        capture = screen.materials_page.capture
        assert isinstance(capture, MaterialCapture)
        qtbot.waitUntil(lambda: capture.pages.currentWidget() is capture.problem_page, timeout=10000)
        assert_window_fits(window, "capture problem")
        click(qtbot, capture.problem_scanner_button)
        assert capture.pages.currentWidget() is capture.scanner_page
        assert_window_fits(window, "capture scanner")
        click(qtbot, capture.scanner_back_button)
        assert not screen.materials_page.in_capture
        assert_window_fits(window, "materials after the capture")
        # The list takes the step's room again, not the capture's minimum.
        list_min = screen.materials_page.list_page.minimumSizeHint().height()
        assert screen.materials_page.minimumSizeHint().height() == list_min
        window.navigate("progress")
        assert_window_fits(window, "progress after the capture")
    finally:
        screen_now = window.screens.get("declare")
        if isinstance(screen_now, DeclareScreen):
            screen_now.shutdown()
        window.wipe_screens()
        window.close()


def test_identification_is_a_step_of_its_own_and_the_step_count_never_changes(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.navigate("declare", BUSINESS)  # from the guide of a service with a form
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    seen: list[str] = []
    screen.prompt_changed.connect(lambda: seen.append(screen.step_label.text()))
    assert "第1步/共7步" in screen.step_label.text()
    identified(qtbot, screen)
    qtbot.wait(300)
    assert screen.step == "identify"  # not moved on by itself
    assert "第1步/共7步" in screen.step_label.text()
    click(qtbot, screen.next_button)
    assert "第2步/共7步" in screen.step_label.text()
    # 上一步 shows who was identified again, at once, without reading the card again.
    click(qtbot, screen.back_button)
    assert screen.step == "identify"
    assert "card" not in screen._calls
    assert screen.identify_page.identity.isVisible()
    assert screen.declaration is not None
    assert screen.next_button.isEnabled()
    click(qtbot, screen.next_button)
    assert screen.step == "service"
    assert all("共7步" in text for text in seen if "共" in text)
    # 换一张卡 starts again: the first card's person and choices are gone, the card is read anew.
    click(qtbot, screen.back_button)
    click(qtbot, screen.identify_page.change_button)
    assert screen.resident is None
    assert screen.declaration is None
    assert not screen.next_button.isEnabled()
    assert "正在等待读卡" in screen.identify_page.message.text()
    identified(qtbot, screen)


def test_the_step_total_appears_once_the_service_is_known_and_then_stays(qtbot: QtBot, window: MainWindow) -> None:
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    assert "共" not in screen.step_label.text()
    assert "第1步" in screen.step_label.text()
    identified(qtbot, screen)
    click(qtbot, screen.next_button)
    assert "共" not in screen.step_label.text()
    screen.service_page.search_field.setText("公积金")
    screen.service_page.refresh()
    click(qtbot, screen.service_page.result_buttons[PURCHASE])
    assert "第2步/共7步" in screen.step_label.text()
    click(qtbot, screen.next_button)
    assert "第3步/共7步" in screen.step_label.text()


def test_a_refused_next_on_materials_says_which_is_missing_and_scrolls_to_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    screen = to_materials(qtbot, window)
    window.status_strip.set_elder_mode(True)  # elder type: the list is longer than the screen
    screen.materials_page.refresh()
    area = screen.materials_page.area
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    first = screen.materials_page.row_for("购房合同或不动产权证书")
    qtbot.waitUntil(lambda: first.visibleRegion().isEmpty())
    assert screen.next_button.isEnabled()  # a tap is answered, never swallowed by a greyed button
    click(qtbot, screen.next_button)
    assert screen.step == "materials"
    assert "还缺材料：购房合同或不动产权证书、本人银行卡或银行账户信息" in screen.notice.text()
    qtbot.waitUntil(lambda: not first.visibleRegion().isEmpty())
    capture(qtbot, screen, "购房合同或不动产权证书")
    # The notice follows: what is in leaves the list, what is still missing stays named.
    assert screen.notice.text().startswith("还缺材料：本人银行卡或银行账户信息")
    assert "购房合同" not in screen.notice.text()
    capture(qtbot, screen, "本人银行卡或银行账户信息", "scanner")
    assert screen.notice.text() == ""  # nothing missing: nothing to warn about
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"


def test_the_review_shows_the_residents_own_values_only_while_held(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtTest import QTest

    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    click(qtbot, screen.next_button)
    click(qtbot, screen.next_button)
    assert screen.step == "review"
    page = screen.review_page
    hold = page.reveal_button
    assert hold.isVisible()
    shown = visible_text(window)
    assert PURCHASE_FORM["bank_account"] not in shown  # masked by default
    assert ID_NUMBER not in shown
    QTest.mousePress(hold, Qt.MouseButton.LeftButton)
    shown = visible_text(window)
    assert PURCHASE_FORM["bank_account"] in shown  # the resident checks their own account number
    assert ID_NUMBER in shown
    assert "已扫描 1页" in shown  # a scanned page is not called a photo
    QTest.mouseRelease(hold, Qt.MouseButton.LeftButton)
    shown = visible_text(window)
    assert PURCHASE_FORM["bank_account"] not in shown
    assert ID_NUMBER not in shown
    QTest.mousePress(hold, Qt.MouseButton.LeftButton)
    window.wipe_screens()  # the session ends with the finger still down
    everything = "\n".join(w.text() for w in screen.findChildren(QLabel))
    assert PURCHASE_FORM["bank_account"] not in everything
    assert ID_NUMBER not in everything


def test_material_hints_name_only_the_ways_offered_here(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window, "330000-GJJ-GG-0002")  # 租房提取: 婚姻状况声明 "在线勾选签署"
    screen.show_step("materials")  # the form does not matter here
    row = screen.materials_page.row_for("婚姻状况声明")
    assert row.camera_button is not None
    assert row.note_label is not None
    assert "在线勾选签署" not in row.note_label.text()
    assert "拍照或扫描" in row.note_label.text()


def line_edit_room(field: QLineEdit) -> int:
    """The width a line edit draws its text (or its placeholder) in, after its frame and padding."""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    return field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field).width()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_portrait_screen_the_service_list_takes_the_whole_width(qtbot: QtBot, window: MainWindow,
                                                                      elder: bool) -> None:
    to_portrait(window, elder=elder)
    screen = start(qtbot, window)
    settle()
    page = screen.service_page
    # The list is as wide as the page and the chosen item's summary sits under it, not beside it.
    assert page.results.width() >= page.width() - 40
    assert page.chosen.width() >= page.width() - 40
    assert page.chosen.y() > page.results.y() + page.results.height() // 2
    assert page.results.height() >= 600
    field = page.search_field
    assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= line_edit_room(field)
    prompt = page.chosen.findChild(QLabel, "declare_chosen_none")
    assert prompt is not None
    assert "上方" in prompt.text()
    assert page.columns.direction() == QBoxLayout.Direction.TopToBottom
    window.set_orientation("landscape")
    window.resize(1280, 800)
    assert page.columns.direction() == QBoxLayout.Direction.LeftToRight


def test_on_a_portrait_screen_no_choice_of_the_form_is_cut_in_elder_type(qtbot: QtBot, window: MainWindow) -> None:
    to_portrait(window, elder=True)
    screen = start(qtbot, window, PURCHASE)
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    settle()
    choices = screen.form_page.editors["reason"].choices
    assert "建造翻建自住住房" in choices
    assert_not_cut(choices.values())


def test_on_a_portrait_screen_no_material_button_is_cut_in_elder_type(qtbot: QtBot, window: MainWindow) -> None:
    to_portrait(window, elder=True)
    screen = to_materials(qtbot, window)
    settle()
    shown = [b for b in screen.materials_page.findChildren(QPushButton) if b.isVisible()]
    assert any("Hand in later" in b.text() for b in shown)
    assert_not_cut(shown)


def test_on_a_portrait_screen_no_button_of_a_printer_fault_is_cut_in_elder_type(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def jammed(*_args: object, **_kwargs: object) -> object:
        raise PrintJobFailed(7, "aborted", "paper jam")

    monkeypatch.setattr(ui.screens.declare.wizard, "run_print_job", jammed)
    to_portrait(window, elder=True)
    screen = to_materials(qtbot, window)
    complete_materials(qtbot, screen)
    for _ in range(3):
        click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.print_error is not None, timeout=20000)
    settle()
    page = screen.done_page
    assert_not_cut([page.retry_button, page.rate_button, page.finish_button])


def digit_keys(screen: DeclareScreen) -> list[QPushButton]:
    keyboard = screen.form_page.keyboard.keyboard
    assert keyboard is not None
    assert keyboard.layout_name == "digits"
    return [keyboard.keys[str(digit)] for digit in range(10)]


def tap_field(qtbot: QtBot, screen: DeclareScreen, field_id: str) -> None:
    line = screen.form_page.editors[field_id].line
    assert line is not None
    screen.form_page.area.ensureWidgetVisible(line)
    settle()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    settle()


def test_on_a_portrait_screen_the_digit_pad_spans_the_width_with_keys_bigger_than_elder_ones(
        qtbot: QtBot, window: MainWindow) -> None:
    window.status_strip.set_elder_mode(True)
    screen = start(qtbot, window, PURCHASE)
    click(qtbot, screen.next_button)
    tap_field(qtbot, screen, "phone")
    # The yardstick: the digit pad's keys in landscape elder mode, the largest the landscape layout has.
    elder_landscape = min(min(k.width(), k.height()) for k in digit_keys(screen))
    screen.form_page.keyboard.close_keyboard()

    to_portrait(window, elder=False)
    settle()
    tap_field(qtbot, screen, "phone")
    keyboard = screen.form_page.keyboard.keyboard
    assert keyboard is not None
    keys = digit_keys(screen)
    # Like the letters in portrait: the pad takes the keyboard's width, under the form.
    pad = keys[0].parentWidget()
    assert pad.width() >= keyboard.width() - 8
    assert keyboard.width() >= screen.form_page.area.width() - 60
    assert all(min(k.width(), k.height()) >= elder_landscape for k in keys)
    normal_height = keys[0].height()

    window.status_strip.set_elder_mode(True)
    settle()
    keys = digit_keys(screen)
    assert all(k.height() > normal_height for k in keys)  # elder mode: bigger again
    window.resize(1080, 1920)
    settle()
    assert (window.width(), window.height()) == (1080, 1920)  # the window did not grow for the pad
    assert window.minimumSizeHint().height() <= 1920
    for key in keys:
        assert key.visibleRegion().boundingRect().size() == key.size(), key.text()  # all of it on screen


def test_the_form_takes_a_turn_of_the_screen_at_once(qtbot: QtBot, window: MainWindow) -> None:
    screen = start(qtbot, window, PURCHASE)
    click(qtbot, screen.next_button)
    assert screen.step == "form"
    choices = screen.form_page.editors["reason"].choices.values()
    dock = screen.form_page.keyboard
    area = screen.form_page.area

    def whole() -> bool:  # every option at its full size, on the page's width
        right = area.viewport().width()
        return all(b.width() >= b.sizeHint().width() and b.mapTo(area.viewport(), QPoint(b.width(), 0)).x() <= right
                   for b in choices)

    def pad_spans_the_keyboard() -> bool:
        keys = digit_keys(screen)
        keyboard = keys[0].parentWidget().parentWidget()
        return keys[0].parentWidget().width() >= keyboard.width() - 8 >= area.width() - 60

    assert whole()
    tap_field(qtbot, screen, "phone")
    assert not pad_spans_the_keyboard()  # the compact pad, beside the fields
    assert dock.x() > area.x()

    to_portrait(window, elder=False)  # the screen turns while the resident is on the form
    settle()
    assert screen.step == "form"
    assert whole()
    assert dock.y() >= area.y() + area.height()  # the pad under the fields, the width of the page
    assert pad_spans_the_keyboard()

    window.set_orientation("landscape")
    window.resize(1280, 800)
    settle()
    assert whole()
    assert not pad_spans_the_keyboard()
    assert dock.x() > area.x()


def test_the_materials_take_a_turn_of_the_screen_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.status_strip.set_elder_mode(True)
    screen = to_materials(qtbot, window)
    row = screen.materials_page.row_for("购房发票或契税完税凭证")
    skip, camera = row.skip_button, row.camera_button
    assert skip is not None
    assert camera is not None
    settle()
    assert skip.y() == camera.y()  # landscape: beside 拍照 and 扫描
    to_portrait(window, elder=True)
    settle()
    assert skip.y() > camera.y() + camera.height() // 2  # a row of its own, or it is cut
    assert_not_cut([b for b in screen.materials_page.findChildren(QPushButton) if b.isVisible()])


def test_an_id_card_pulled_mid_read_says_so_and_offers_another_try(
        qtbot: QtBot, window: MainWindow, runtime: KioskRuntime) -> None:
    reader = runtime.devices.current_driver(IDCARD)
    assert isinstance(reader, SimulatedIdCardReader)
    reader.simulator.inject(Fault.CARD_PULLED)  # lifted just after the reader found it
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    qtbot.waitUntil(lambda: screen.card_error is not None, timeout=15000)
    page = screen.identify_page
    assert "重新放置" in page.message.text()  # what happened and what to do, in words
    assert page.retry_button.isVisible()
    assert not any(n.isVisible() for n in screen.findChildren(BugNotice))  # no "ask staff": not a bug
    assert screen.resident is None
    assert not screen.next_button.isEnabled()
    reader.place_card()
    click(qtbot, page.retry_button)
    identified(qtbot, screen)


def test_a_citizen_card_pulled_mid_read_says_so_and_offers_another_try(
        qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_from_mapping({"devices": {"idcard": {"backend": "none"}, "citizencard": {"backend": "simulated"}}})
    runtime = make_runtime(config)
    reader = runtime.devices.current_driver(CITIZENCARD)
    assert isinstance(reader, SimulatedCitizenCardReader)
    with reader.open_card() as channel:
        answer = channel.card.apdu

        def pulled_after_the_first_answer(command: bytes) -> bytes:
            reply = answer(command)
            reader.take_card()  # the hand pulls the card between two commands
            return reply

        monkeypatch.setattr(channel.card, "apdu", pulled_after_the_first_answer)
    window = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.open_service("declare")
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    try:
        qtbot.waitUntil(lambda: screen.card_error is not None, timeout=15000)
        page = screen.identify_page
        assert "卡片已被取出" in page.message.text()
        assert page.retry_button.isVisible()
        reader.place_card()  # inserted again, a fresh card
        click(qtbot, page.retry_button)
        qtbot.waitUntil(lambda: screen.resident is not None, timeout=15000)
        assert page.identity.text().startswith("已识别：")
    finally:
        screen.shutdown()
        window.wipe_screens()


@pytest.mark.parametrize("elder", [False, True])
def test_choices_keep_their_whole_text_with_the_digit_pad_beside_the_form(
    qtbot: QtBot, window: MainWindow, elder: bool
) -> None:
    # Finding 6: with the pad up the form got narrower than four options in a row, and Qt squeezed
    # them below their text: "购买商品住房" showed as "买商品住".
    window.status_strip.set_elder_mode(elder)
    screen = start(qtbot, window, PURCHASE)
    click(qtbot, screen.next_button)
    tap_field(qtbot, screen, "phone")
    settle()
    area = screen.form_page.area
    assert screen.form_page.keyboard.is_up
    for choice in screen.form_page.editors["reason"].choices.values():
        assert choice.width() >= choice.sizeHint().width(), choice.text()
        assert choice.mapTo(area.viewport(), QPoint(choice.width(), 0)).x() <= area.viewport().width(), choice.text()


@pytest.mark.parametrize(("elder", "portrait"), [(False, False), (True, False), (True, True)],
                         ids=["normal", "elder", "portrait-elder"])
def test_the_pickup_choice_keeps_its_words_whole_and_names_the_place(
        qtbot: QtBot, window: MainWindow, elder: bool, portrait: bool) -> None:
    """A long pick-up place (区行政服务中心市场监管91号窗口（企业开办专区）) was the choice button's second line,
    cut at both ends even at 1280×800 in normal type (found by tests/ui/test_journeys.py)."""
    if portrait:
        to_portrait(window, elder=elder)
    else:
        window.status_strip.set_elder_mode(elder)
    screen = start(qtbot, window, BUSINESS)
    click(qtbot, screen.next_button)
    fill_form(qtbot, screen, BUSINESS_FORM, {"form": 0})
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    settle()
    page = screen.delivery_page
    assert button_problem(page.pickup_button) is None
    assert button_problem(page.express_button) is None
    assert screen.declaration is not None
    place = screen.declaration.item.place
    assert len(place) > 20
    assert place in visible_text(window)
    shown = [label for label in page.findChildren(QLabel) if label.isVisible() and place in label.text()]
    assert shown
    assert all(label_problem(label) is None for label in shown)
    click(qtbot, page.express_button)  # the place is the pick-up's: it steps aside for the address
    assert place not in visible_text(window)


def test_in_elder_type_the_keyboards_leave_every_text_whole(qtbot: QtBot, window: MainWindow) -> None:
    """At 1280×800 in elder type the letters keyboard's 数字 123 lost its edges beside the mode keys, and
    with the digit pad beside the fields the delivery choices were cut (found by tests/ui/test_journeys.py)."""
    window.status_strip.set_elder_mode(True)
    screen = start(qtbot, window, BUSINESS)
    service = screen.service_page
    qtbot.mouseClick(service.search_field, Qt.MouseButton.LeftButton)  # a tap: the keyboard opens
    settle()
    assert service.keyboard.is_up
    assert widget_problems(window) == []
    click(qtbot, service.keyboard.hide_button)
    click(qtbot, screen.next_button)
    form = screen.form_page
    premises = form.editors["premises"].line
    assert premises is not None
    qtbot.mouseClick(premises, Qt.MouseButton.LeftButton)
    settle()
    assert form.keyboard.keyboard is not None
    assert form.keyboard.keyboard.layout_name == "pinyin"
    assert widget_problems(window) == []
    click(qtbot, form.keyboard.hide_button)
    fill_form(qtbot, screen, BUSINESS_FORM, {"form": 0})
    click(qtbot, screen.next_button)
    assert screen.step == "delivery"
    page = screen.delivery_page
    click(qtbot, page.express_button)
    qtbot.mouseClick(page.phone_field, Qt.MouseButton.LeftButton)
    settle()
    assert page.keyboard.is_up
    assert widget_problems(window) == []
