"""Reaching every screen and state a resident can reach without devices, and touching it like a finger.

Shared by the swipe tests (tests/ui/widgets/test_kinetic.py), the measurements on the rendered
screens (tests/ui/test_accessibility.py) and the English walk (tests/ui/test_english.py, which also takes
JOURNEY_STATES at the end: the states further along a journey).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QScroller, QWidget
from pytestqt.qtbot import QtBot

from drivers.printer.simulated import PrinterFault, SimulatedPrinter
from kiosk.cli.launch import LaunchOptions
from kiosk.config import with_overrides
from kiosk.devices.demo_cards import DemoCards
from kiosk.devices.manager import CAMERA, specs_from_config
from kiosk.platform.errors import CaseNotFound, PlatformUnavailable
from kiosk.platform.models import CaseEvent, CaseState, CaseStatus
from kiosk.resident.materials import attach
from kiosk.resident.print_jobs import PrintStep
from kiosk.runtime import KioskRuntime
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.session_ui import CountdownBanner
from ui.widgets.bug_notice import show_bug_notice

PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a long form and three materials
HUKOU = "330000-GA-QR-0005"  # 户口迁移（投靠）: a long guide


def make_window(runtime: KioskRuntime, qtbot: QtBot, tmp_path: Path, *, elder: bool = False) -> MainWindow:
    window = create_main_window(LaunchOptions(config=runtime.config, data_dir=tmp_path), runtime)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.status_strip.set_elder_mode(elder)
    return window


def close_window(window: MainWindow) -> None:
    for screen in list(window.screens.values()):  # the workers of the declaration, a print, the setup
        shutdown = getattr(screen, "shutdown", None)
        if callable(shutdown):
            shutdown()
    window.wipe_screens()
    window.close()


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.waitUntil(button.isVisible, timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, held: bool) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    # Through the application, as the platform delivers it: that is where gestures are recognised.
    QApplication.sendEvent(widget, event)


def settle(qtbot: QtBot, area: QAbstractScrollArea) -> None:
    """Lets a flick run out, so no animation outlives the test."""
    scroller = QScroller.scroller(area.viewport())
    qtbot.waitUntil(lambda: scroller.state() != QScroller.State.Scrolling, timeout=5000)


def mouse_swipe(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint, steps: int = 16) -> None:
    """Press, move in steps, release on `widget` (a panel that reports as a mouse)."""
    _mouse(widget, QEvent.Type.MouseButtonPress, start, True)
    for i in range(1, steps + 1):
        qtbot.wait(16)
        _mouse(widget, QEvent.Type.MouseMove, start + delta * i / steps, True)
    _mouse(widget, QEvent.Type.MouseButtonRelease, start + delta, False)


def touch_swipe(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint, steps: int = 16) -> None:
    """The same swipe as touch points (a touch screen that reports touches)."""
    window = widget.window()
    device = QTest.createTouchDevice()
    origin = widget.mapTo(window, start)
    QTest.touchEvent(window, device).press(0, origin, window).commit()
    for i in range(1, steps + 1):
        qtbot.wait(16)
        QTest.touchEvent(window, device).move(0, origin + delta * i / steps, window).commit()
    QTest.touchEvent(window, device).release(0, origin + delta, window).commit()


Step = Callable[[MainWindow, QtBot], None]


def _home(window: MainWindow, qtbot: QtBot) -> None:
    window.go_home()


def _guide(window: MainWindow, qtbot: QtBot) -> None:
    window.go_home()
    click(qtbot, window.home.tiles["guide"])


def _guide_typing(window: MainWindow, qtbot: QtBot) -> None:
    _guide(window, qtbot)
    screen = window.current_screen()
    field = screen.search_field  # type: ignore[attr-defined]
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # brings the keyboard up
    qtbot.keyClicks(field, "hk")
    qtbot.waitUntil(lambda: not screen.debounce.isActive())  # type: ignore[attr-defined]


def _guide_detail(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("guide_detail", HUKOU)


def _forms(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("forms")


def _declare(window: MainWindow, qtbot: QtBot) -> None:
    cards = DemoCards(window.context.runtime.devices)
    if not cards.placed("idcard"):
        cards.toggle("idcard")  # the demo's reader starts empty; F5 places the card
    window.open_service("declare")
    screen = window.current_screen()
    qtbot.waitUntil(lambda: getattr(screen, "resident", None) is not None, timeout=15000)
    click(qtbot, screen.next_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: getattr(screen, "step", "") == "service", timeout=15000)


def _declare_form(window: MainWindow, qtbot: QtBot) -> None:
    _declare(window, qtbot)
    screen = window.current_screen()
    page = screen.service_page  # type: ignore[attr-defined]
    page.search_field.setText("公积金")
    page.refresh()
    click(qtbot, page.result_buttons[PURCHASE])
    click(qtbot, screen.next_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: getattr(screen, "step", "") == "form", timeout=5000)


def _progress(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("progress")


def _rating(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("rating")


def _rating_low(window: MainWindow, qtbot: QtBot) -> None:
    _rating(window, qtbot)
    screen = window.current_screen()
    click(qtbot, screen.grade_buttons[-1])  # type: ignore[attr-defined]  # 非常不满意: the reasons open


def _help(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("help")


def _setup_pin(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("setup_pin")


# Every state a resident (or a technician at the PIN) reaches without a device doing anything.
STATES: dict[str, Step] = {
    "home": _home,
    "guide": _guide,
    "guide_typing": _guide_typing,
    "guide_detail": _guide_detail,
    "forms": _forms,
    "declare_service": _declare,
    "declare_form": _declare_form,
    "progress": _progress,
    "rating": _rating,
    "rating_low": _rating_low,
    "help": _help,
    "setup_pin": _setup_pin,
}


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    """Widgets the resident can see now: shown, and not clipped away entirely by a scroll area."""
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and not widget.visibleRegion().isEmpty():
            yield widget


# --- Further along the journeys ----------------------------------------------------------------------------
# States a resident reaches once something has happened: a card read, a device worked, a query answered, a
# form submitted, a printer out of paper; and the technician's pages. Each starts from the same window as
# STATES, with the demo's simulated devices (the camera or printer swapped for one in a given state where a
# journey needs it). Used by tests/ui/test_english.py.

GUIDE_WITH_FORM = "330000-RS-QR-0001"  # 城乡居民基本养老保险参保登记: a guide whose form is printed too
EXPRESS = "330000-GA-QR-0015"  # 居住证申领: no form, express delivery offered
PURCHASE_FORM = {"phone": "13912345678", "account_no": "12345678", "employer": "示例公司",
                 "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
                 "bank_account": "6222000011112222"}


def _screen(window: MainWindow) -> Any:
    screen = window.current_screen()
    assert screen is not None
    return screen


def _wait(qtbot: QtBot, ready: Callable[[], bool], timeout: int = 15000) -> None:
    qtbot.waitUntil(ready, timeout=timeout)


def _declare_waiting(window: MainWindow, qtbot: QtBot) -> None:
    """网上申报 with no card on either reader: the prompt to place one."""
    window.open_service("declare")


def _declare_identified(window: MainWindow, qtbot: QtBot) -> None:
    cards = DemoCards(window.context.runtime.devices)
    if not cards.placed("idcard"):
        cards.toggle("idcard")
    window.open_service("declare")
    screen = _screen(window)
    _wait(qtbot, lambda: screen.resident is not None)


def _declare_form_refused(window: MainWindow, qtbot: QtBot) -> None:
    """下一步 with the required fields empty: a message under each, 请补全 in the bottom bar."""
    _declare_form(window, qtbot)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: bool(screen.notice.text()), 2000)


def _declare_form_keyboard(window: MainWindow, qtbot: QtBot, field: str) -> None:
    _declare_form(window, qtbot)
    line = _screen(window).form_page.editors[field].line
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)  # brings the keyboard up
    qtbot.waitUntil(lambda: _screen(window).form_page.keyboard.is_up, timeout=2000)


def _declare_form_pinyin(window: MainWindow, qtbot: QtBot) -> None:
    _declare_form_keyboard(window, qtbot, "employer")
    qtbot.keyClicks(_screen(window).form_page.editors["employer"].line, "gs")  # candidates in the bar


def _declare_form_digits(window: MainWindow, qtbot: QtBot) -> None:
    _declare_form_keyboard(window, qtbot, "account_no")


def _declare_materials(window: MainWindow, qtbot: QtBot) -> None:
    _declare_form(window, qtbot)
    screen = _screen(window)
    for field_id, value in PURCHASE_FORM.items():
        line = screen.form_page.editors[field_id].line
        assert line is not None
        line.setText(value)
    next(iter(screen.form_page.editors["reason"].choices.values())).click()
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.step == "materials", 2000)


def _declare_materials_refused(window: MainWindow, qtbot: QtBot) -> None:
    _declare_materials(window, qtbot)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: bool(screen.notice.text()), 2000)


def _use_camera(window: MainWindow, source: str) -> None:
    """The document camera showing `source` (drivers/camera/simulated.py: "scene:empty", "scene:still" …)."""
    runtime = window.context.runtime
    config = with_overrides(runtime.config, **{"devices.camera": {"backend": "simulated", "source": source}})
    runtime.devices.apply(CAMERA, specs_from_config(config, window.context.data_dir)["camera"])


def _capture(window: MainWindow, qtbot: QtBot, source: str) -> Any:
    """The capture of the first material that needs one, from the camera or the scanner."""
    _declare_materials(window, qtbot)
    row = next(r for r in _screen(window).materials_page.rows if r.camera_button is not None)
    click(qtbot, row.camera_button if source == "camera" else row.scanner_button)
    capture = _screen(window).materials_page.capture
    assert capture is not None
    return capture


def _capture_live(window: MainWindow, qtbot: QtBot) -> None:
    """The live preview with no page under the camera: it goes on advising, never captures."""
    _use_camera(window, "scene:empty")
    capture = _capture(window, qtbot, "camera")
    _wait(qtbot, lambda: capture.preview.frames_shown >= 2)


def _capture_review(window: MainWindow, qtbot: QtBot) -> None:
    _use_camera(window, "scene:still")
    capture = _capture(window, qtbot, "camera")
    _wait(qtbot, lambda: capture.pages.currentWidget() is capture.review_page)


def _capture_problem(window: MainWindow, qtbot: QtBot) -> None:
    """A camera that does not open: what is wrong, and the scanner offered instead."""
    _use_camera(window, "scene:missing")  # no such scene: the simulated camera is not found
    capture = _capture(window, qtbot, "camera")
    _wait(qtbot, lambda: capture.pages.currentWidget() is capture.problem_page)


def _capture_scanner(window: MainWindow, qtbot: QtBot) -> None:
    _capture(window, qtbot, "scanner")


def _capture_scanned(window: MainWindow, qtbot: QtBot) -> None:
    capture = _capture(window, qtbot, "scanner")
    click(qtbot, capture.scan_button)
    _wait(qtbot, lambda: capture.pages.currentWidget() is capture.review_page)


def _attach_all(window: MainWindow) -> None:
    """Every material the capture would give, as a page already taken (the capture itself has its states)."""
    screen = _screen(window)
    declaration = screen.declaration
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1600), "white").save(buffer, format="JPEG")
    for row in declaration.material_rows():
        if row.capturable and row.blocking:
            declaration.attach(attach(buffer.getvalue(), item=declaration.item, material=row.material.name,
                                      device="camera", captured_at=dt.datetime.now(dt.UTC), identified_by_card=True))
    screen.materials_page.refresh()


def _declare_delivery(window: MainWindow, qtbot: QtBot) -> None:
    _declare_materials(window, qtbot)
    _attach_all(window)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.step == "delivery", 2000)


def _declare_express(window: MainWindow, qtbot: QtBot) -> None:
    """A service with express delivery, chosen, the address left empty and 下一步 refused."""
    _declare_identified(window, qtbot)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    screen.choose_item(EXPRESS)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.step == "materials", 2000)
    _attach_all(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.step == "delivery", 2000)
    click(qtbot, screen.delivery_page.express_button)
    screen.delivery_page.address_field.clear()
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: bool(screen.notice.text()), 2000)


def _declare_review(window: MainWindow, qtbot: QtBot) -> None:
    _declare_delivery(window, qtbot)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.step == "review", 2000)


def _declare_done(window: MainWindow, qtbot: QtBot) -> None:
    """Submitted (offline, as the demo is) and the receipt printed."""
    _declare_review(window, qtbot)
    screen = _screen(window)
    click(qtbot, screen.next_button)
    _wait(qtbot, lambda: screen.printed or screen.print_error is not None, 30000)


class _Printer:
    """The demo's printer replaced, while a state is reached, by a simulated one with `fault`."""

    def __init__(self, window: MainWindow, fault: str) -> None:
        self.printer = SimulatedPrinter(window.context.data_dir / "printed", fault=PrinterFault(fault))
        self.patch = mock.patch("kiosk.resident.print_jobs.make_printer", return_value=self.printer)

    def __enter__(self) -> _Printer:
        self.patch.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.patch.stop()


def _print(window: MainWindow, qtbot: QtBot, what: str, fault: str, until: Callable[[Any], bool]) -> None:
    with _Printer(window, fault):
        if what == "guide":
            window.navigate("guide_detail", GUIDE_WITH_FORM)
            click(qtbot, _screen(window).print_button)
        else:
            window.open_service("forms")
            forms = _screen(window)
            click(qtbot, forms.form_buttons["yanglao_canbao"])
            click(qtbot, forms.blank_button)
            click(qtbot, forms.print_button)
        screen = _screen(window)
        assert screen.objectName() == "print_screen"
        _wait(qtbot, lambda: until(screen), 20000)


def _printing(screen: Any) -> bool:
    return screen.step is PrintStep.PRINTING


def _printed(screen: Any) -> bool:
    return screen.step is PrintStep.DONE and not screen.busy


def _not_printed(screen: Any) -> bool:
    return screen.error is not None


def _forms_mode(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("forms")
    click(qtbot, _screen(window).form_buttons["gongjijin_tiqu"])


def _forms_card(window: MainWindow, qtbot: QtBot) -> None:
    """刷卡预填 with no card on the readers: waiting for one."""
    _forms_mode(window, qtbot)
    click(qtbot, _screen(window).prefill_button)


def _forms_preview_prefilled(window: MainWindow, qtbot: QtBot) -> None:
    cards = DemoCards(window.context.runtime.devices)
    if not cards.placed("idcard"):
        cards.toggle("idcard")
    _forms_card(window, qtbot)
    screen = _screen(window)
    _wait(qtbot, lambda: screen.pages.currentWidget() is screen.preview_page)


def _forms_preview_blank(window: MainWindow, qtbot: QtBot) -> None:
    _forms_mode(window, qtbot)
    click(qtbot, _screen(window).blank_button)


class _CaseLookup:
    """The platform's answer to a case query: `status`, or `error`."""

    def __init__(self, status: CaseStatus | None = None, error: Exception | None = None) -> None:
        self.status, self.error = status, error

    def get_case(self, number: str) -> CaseStatus:
        if self.error is not None:
            raise self.error
        if self.status is None or number not in (self.status.case_no, self.status.local_receipt_no):
            raise CaseNotFound("no case", code="case_not_found", status=404)
        return self.status

    def close(self) -> None:
        pass


CASE_NO = "ZJ330000202611270042"


def _progress_answer(window: MainWindow, qtbot: QtBot, client: _CaseLookup | None, number: str) -> None:
    window.open_service("progress")
    screen = _screen(window)
    screen.client_factory = lambda: client
    screen.number_field.setText(number)
    click(qtbot, screen.query_button)
    _wait(qtbot, lambda: screen.pages.currentWidget() is screen.result_page)


def _progress_found(window: MainWindow, qtbot: QtBot) -> None:
    t0 = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    status = CaseStatus(CASE_NO, "T0001-000123", "330000-GJJ-GG-0001", CaseState.IN_PROGRESS, t0,
                        t0 + dt.timedelta(hours=1),
                        (CaseEvent(CaseState.RECEIVED, t0, ""), CaseEvent(CaseState.IN_PROGRESS, t0, "")))
    _progress_answer(window, qtbot, _CaseLookup(status), CASE_NO)


def _progress_not_found(window: MainWindow, qtbot: QtBot) -> None:
    _progress_answer(window, qtbot, _CaseLookup(), "T0001-999999")


def _progress_offline(window: MainWindow, qtbot: QtBot) -> None:
    window.context.runtime.cache.sync_state.put_case_status(CASE_NO, "accepted", dt.datetime.now(dt.UTC))
    _progress_answer(window, qtbot, _CaseLookup(error=PlatformUnavailable("refused", code="connection_error")),
                     CASE_NO)


def _progress_unknown_offline(window: MainWindow, qtbot: QtBot) -> None:
    """Offline, and a number this terminal knows nothing of: when to try again."""
    _progress_answer(window, qtbot, _CaseLookup(error=PlatformUnavailable("refused", code="connection_error")),
                     "T0002-000001")


def _progress_scanning(window: MainWindow, qtbot: QtBot) -> None:
    window.open_service("progress")
    screen = _screen(window)
    if screen.scan_button.isVisible():
        click(qtbot, screen.scan_button)


def _rating_thanks(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("rating", "T0001-000123")
    screen = _screen(window)
    click(qtbot, screen.grade_buttons[0])
    click(qtbot, screen.submit_button)
    _wait(qtbot, lambda: screen.pages.currentWidget() is screen.thanks_page)


def _help_sent(window: MainWindow, qtbot: QtBot) -> None:
    window.navigate("help")
    screen = _screen(window)
    _wait(qtbot, lambda: "…" not in screen.state_label.text() and bool(screen.state_label.text()))


def _countdown(window: MainWindow, qtbot: QtBot) -> None:
    """The idle countdown over the guide search (ui/session_ui.py shows it as the session runs out)."""
    _guide(window, qtbot)
    banner = CountdownBanner(window)
    banner.show_seconds(20)
    banner.show()
    banner.place()


def _bug_notice(window: MainWindow, qtbot: QtBot) -> None:
    _guide(window, qtbot)
    show_bug_notice(_screen(window), window.context)


def _setup_page(key: str) -> Step:
    def show(window: MainWindow, qtbot: QtBot) -> None:
        window.navigate("setup", key)
        _screen(window).show_page(key)
    return show


JOURNEY_STATES: dict[str, Step] = {
    "declare_waiting": _declare_waiting,
    "declare_identified": _declare_identified,
    "declare_form_refused": _declare_form_refused,
    "declare_form_pinyin": _declare_form_pinyin,
    "declare_form_digits": _declare_form_digits,
    "declare_materials": _declare_materials,
    "declare_materials_refused": _declare_materials_refused,
    "capture_live": _capture_live,
    "capture_review": _capture_review,
    "capture_problem": _capture_problem,
    "capture_scanner": _capture_scanner,
    "capture_scanned": _capture_scanned,
    "declare_delivery": _declare_delivery,
    "declare_express_refused": _declare_express,
    "declare_review": _declare_review,
    "declare_done": _declare_done,
    "print_guide_printing": lambda w, q: _print(w, q, "guide", "job_hangs", _printing),
    "print_guide_done": lambda w, q: _print(w, q, "guide", "none", _printed),
    "print_guide_no_paper": lambda w, q: _print(w, q, "guide", "media_empty", _not_printed),
    "print_form_printing": lambda w, q: _print(w, q, "form", "job_hangs", _printing),
    "print_form_done": lambda w, q: _print(w, q, "form", "toner_low", _printed),
    "print_form_no_paper": lambda w, q: _print(w, q, "form", "media_empty", _not_printed),
    "forms_mode": _forms_mode,
    "forms_card": _forms_card,
    "forms_preview_blank": _forms_preview_blank,
    "forms_preview_prefilled": _forms_preview_prefilled,
    "progress_found": _progress_found,
    "progress_not_found": _progress_not_found,
    "progress_offline": _progress_offline,
    "progress_unknown_offline": _progress_unknown_offline,
    "progress_scanning": _progress_scanning,
    "rating_thanks": _rating_thanks,
    "help_sent": _help_sent,
    "countdown": _countdown,
    "bug_notice": _bug_notice,
    "setup_devices": _setup_page("devices"),
    "setup_terminal": _setup_page("terminal"),
    "setup_sync": _setup_page("sync"),
    "setup_logs": _setup_page("logs"),
}
