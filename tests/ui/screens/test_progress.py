"""The progress query screen (办件查询): typing a number on the pad and querying shows the status; offline
it shows the cached status with its time; a serial QR scanner or the document camera fills the number;
a scanner or camera failure says so and the pad keeps working; wipe() leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from drivers.barcode.qr import qr_png
from drivers.barcode.serial_sim import PtyCodeScanner
from kiosk.cli.launch import LaunchOptions
from kiosk.config import BarcodeConfig, CameraConfig, Config, DevicesConfig, TerminalConfig
from kiosk.platform.errors import CaseNotFound, PlatformUnavailable
from kiosk.platform.models import CaseEvent, CaseState, CaseStatus
from kiosk.resident.progress import CaseLookup
from kiosk.runtime import KioskRuntime
from tests.demo_runtime import demo_runtime
from tests.ui.journeys.checks import widget_problems
from tests.ui.portrait import settle, to_portrait
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.progress import ProgressScreen

CASE = "RP2026112700000001"
CASE_NO = "ZJ330000202611270042"  # the longest kind of number: a platform case number
NAME = "钱七"


class FakeClient:
    def __init__(self, status: CaseStatus | None = None, error: Exception | None = None) -> None:
        self.status = status
        self.error = error

    def get_case(self, number: str) -> CaseStatus:
        if self.error is not None:
            raise self.error
        if self.status is None or number not in (self.status.case_no, self.status.local_receipt_no):
            raise CaseNotFound("no case", code="case_not_found", status=404)
        return self.status

    def close(self) -> None:
        pass


def in_progress(receipt: str = "T0001-000123") -> CaseStatus:
    t0 = datetime.now(UTC) - timedelta(hours=2)
    return CaseStatus(CASE, receipt, "330000-GA-XK-0001", CaseState.IN_PROGRESS, t0, t0 + timedelta(hours=1),
                      (CaseEvent(CaseState.RECEIVED, t0, ""), CaseEvent(CaseState.IN_PROGRESS, t0, "")))


def make_window(qtbot: QtBot, tmp_path: Path, config: Config) -> Iterator[tuple[MainWindow, KioskRuntime]]:
    with demo_runtime(tmp_path, config) as runtime:
        w = create_main_window(LaunchOptions(config=config, data_dir=tmp_path), runtime)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        yield w, runtime
        w.wipe_screens()
        w.close()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, KioskRuntime]]:
    yield from make_window(qtbot, tmp_path, Config())


def open_progress(window: MainWindow) -> ProgressScreen:
    window.open_service("progress")  # the home screen's 办件查询 tile
    screen = window.current_screen()
    assert isinstance(screen, ProgressScreen)
    assert screen.objectName() == "progress"
    return screen


def use_client(screen: ProgressScreen, client: CaseLookup | None) -> None:
    screen.client_factory = lambda: client


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def type_on_pad(qtbot: QtBot, screen: ProgressScreen, text: str) -> None:
    for char in text:
        click(qtbot, screen.pad_keys[char])


def wait_for_result(qtbot: QtBot, screen: ProgressScreen) -> None:
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.result_page, timeout=10000)


def test_typing_a_number_and_querying_shows_the_live_status(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    use_client(screen, FakeClient(in_progress()))
    type_on_pad(qtbot, screen, "T0001-000123")
    assert screen.number_field.text() == "T0001-000123"
    assert all(key.height() >= 64 for key in screen.pad_keys.values())
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    assert screen.result_status.text() == "办理中"
    assert screen.result_status_en.text() == "In progress"
    assert CASE in screen.result_number.text()
    assert "更新于" in screen.result_time.text()
    assert not screen.result_offline.isVisible()
    assert "已收件" in screen.result_steps.text()
    click(qtbot, screen.again_button)
    assert screen.pages.currentWidget() is screen.entry_page
    assert screen.number_field.text() == ""


def test_letters_of_a_case_number_come_from_the_letters_pad(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    click(qtbot, screen.pad_keys["letters"])
    assert screen.pads.currentWidget() is screen.letters_page
    type_on_pad(qtbot, screen, "RP")
    click(qtbot, screen.pad_keys["digits"])
    type_on_pad(qtbot, screen, "2026")
    assert screen.number_field.text() == "RP2026"
    screen.number_field.insert("x")  # a USB keyboard-mode scanner types the number's own case
    assert screen.number_field.text() == "RP2026x"


def test_the_pad_offers_upper_case_letters_only_where_receipts_have_no_lower_case(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    assert not screen.pad_keys["lower"].isVisible()
    assert screen.pad_keys["clear"].isVisible()
    click(qtbot, screen.pad_keys["letters"])
    click(qtbot, screen.pad_keys["X"])
    assert screen.number_field.text() == "X"


def test_a_terminal_whose_id_has_lower_case_letters_finds_its_receipts(
        qtbot: QtBot, tmp_path: Path) -> None:
    config = Config(terminal=TerminalConfig(id="Tx01"))
    for main, runtime in make_window(qtbot, tmp_path, config):
        item = runtime.cache.outbox.add_submission("330000-GA-XK-0001", {}, {"name": NAME})
        assert item.receipt_no == "Tx01-000001"
        screen = open_progress(main)
        use_client(screen, None)
        assert screen.pad_keys["lower"].isVisible()
        type_on_pad(qtbot, screen, "T")
        click(qtbot, screen.pad_keys["lower"])
        assert screen.pads.currentWidget() is screen.letters_page
        click(qtbot, screen.pad_keys["X"])
        click(qtbot, screen.pad_keys["digits"])
        type_on_pad(qtbot, screen, "01-000001")
        assert screen.number_field.text() == "Tx01-000001"
        click(qtbot, screen.query_button)
        wait_for_result(qtbot, screen)
        assert screen.result_status.text() == "已在本机登记，联网后自动上传"


def test_offline_shows_the_cached_status_with_its_time(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    runtime = window[1]
    learnt = datetime(2026, 11, 27, 6, 5, tzinfo=UTC)
    runtime.cache.sync_state.put_case_status(CASE, "accepted", learnt)
    screen = open_progress(window[0])
    use_client(screen, FakeClient(error=PlatformUnavailable("refused", code="connection_error")))
    screen.number_field.setText(CASE)
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    assert screen.result_status.text() == "已受理"
    assert screen.result_offline.isVisible()
    local = learnt.astimezone()
    assert f"以下为 {local.month}月{local.day}日 {local:%H:%M} 的状态，当前无法联网" in screen.result_offline.text()


def test_a_number_still_in_the_outbox_says_it_uploads_later(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    item = window[1].cache.outbox.add_submission("330000-GA-XK-0001", {}, {"name": NAME})
    screen = open_progress(window[0])
    use_client(screen, None)
    screen.number_field.setText(item.receipt_no)
    screen.number_field.returnPressed.emit()  # a keyboard-mode scanner ends with Enter
    wait_for_result(qtbot, screen)
    assert screen.result_status.text() == "已在本机登记，联网后自动上传"
    shown = " ".join(label.text() for label in screen.result_page.findChildren(QLabel))
    assert item.receipt_no in shown
    assert NAME not in shown


def test_an_empty_query_asks_for_the_number(qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    click(qtbot, screen.query_button)
    assert screen.message.isVisible()
    assert "请先输入" in screen.message.text()
    assert screen.pages.currentWidget() is screen.entry_page


def test_wipe_clears_the_number_and_the_answer(qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    use_client(screen, FakeClient(in_progress()))
    screen.number_field.setText("T0001-000123")
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    window[0].wipe_screens()
    assert screen.number_field.text() == ""
    assert screen.answer is None
    assert screen.result_status.text() == ""
    assert screen.result_number.text() == ""
    assert screen.pages.currentWidget() is screen.entry_page


def test_no_scan_button_without_a_qr_reader(qtbot: QtBot, tmp_path: Path) -> None:
    config = Config(devices=DevicesConfig(barcode=BarcodeConfig(backend="none")))
    for w, _runtime in make_window(qtbot, tmp_path, config):
        screen = open_progress(w)
        assert not screen.scan_button.isVisible()


# --- scanning ----------------------------------------------------------------------------------------


@pytest.fixture
def scanner() -> Iterator[PtyCodeScanner]:
    with PtyCodeScanner() as sim:
        yield sim


def test_a_serial_qr_scanner_fills_the_number_and_queries(
        qtbot: QtBot, tmp_path: Path, scanner: PtyCodeScanner) -> None:
    config = Config(devices=DevicesConfig(barcode=BarcodeConfig(backend="serial", port=scanner.port)))
    for w, runtime in make_window(qtbot, tmp_path, config):
        item = runtime.cache.outbox.add_submission("330000-GA-XK-0001", {}, {"name": NAME})
        screen = open_progress(w)
        use_client(screen, None)
        assert screen.scan_button.isVisible()
        click(qtbot, screen.scan_button)
        assert "二维码" in screen.scan_hint.text()
        assert screen.scan_countdown.isVisible()
        assert not screen.scan_view.isVisible()  # a hand-held scanner: nothing to preview
        qtbot.waitUntil(screen.scan_ready.is_set, timeout=5000)
        scanner.scan(item.receipt_no, aim_id="")
        wait_for_result(qtbot, screen)
        assert screen.number_field.text() == item.receipt_no
        assert screen.result_status.text() == "已在本机登记，联网后自动上传"
        assert not screen._scan_worker.running  # the reader thread is gone once the code is in


def test_leaving_the_screen_stops_a_scan(qtbot: QtBot, tmp_path: Path, scanner: PtyCodeScanner) -> None:
    config = Config(devices=DevicesConfig(barcode=BarcodeConfig(backend="serial", port=scanner.port)))
    for w, _runtime in make_window(qtbot, tmp_path, config):
        screen = open_progress(w)
        click(qtbot, screen.scan_button)
        qtbot.waitUntil(screen.scan_ready.is_set, timeout=5000)
        w.go_home()
        assert not screen._scan_worker.running
        assert screen.scan_button.isEnabled()


def test_a_missing_serial_scanner_says_so_and_the_pad_still_works(
        qtbot: QtBot, tmp_path: Path) -> None:
    config = Config(devices=DevicesConfig(barcode=BarcodeConfig(backend="serial", port=str(tmp_path / "ttyNONE"))))
    for w, _runtime in make_window(qtbot, tmp_path, config):
        screen = open_progress(w)
        use_client(screen, FakeClient(in_progress()))
        click(qtbot, screen.scan_button)
        qtbot.waitUntil(lambda s=screen: "手动输入" in s.message.text(), timeout=5000)
        assert "type the number" in screen.message.text()
        assert screen.scan_button.isEnabled()  # another try is possible
        type_on_pad(qtbot, screen, "T0001-000123")
        click(qtbot, screen.query_button)
        wait_for_result(qtbot, screen)
        assert screen.result_status.text() == "办理中"


def camera_config(source: str) -> Config:
    return Config(devices=DevicesConfig(camera=CameraConfig(backend="simulated", source=source, width=640, height=480),
                                        barcode=BarcodeConfig(backend="zxing")))


def test_the_document_camera_reads_the_receipt_qr(qtbot: QtBot, tmp_path: Path) -> None:
    picture = tmp_path / "receipt-qr.png"
    picture.write_bytes(qr_png(CASE))
    for w, _runtime in make_window(qtbot, tmp_path / "data", camera_config(str(picture))):
        screen = open_progress(w)
        use_client(screen, FakeClient(in_progress()))
        click(qtbot, screen.scan_button)
        wait_for_result(qtbot, screen)
        assert screen.number_field.text() == CASE
        assert screen.result_status.text() == "办理中"


def test_scanning_with_the_camera_shows_what_to_do_the_time_left_and_the_live_picture(
        qtbot: QtBot, tmp_path: Path) -> None:
    from PIL import Image

    picture = tmp_path / "no-code.png"  # a page without a QR code: the scan keeps looking
    Image.new("RGB", (640, 480), "white").save(picture)
    for w, _runtime in make_window(qtbot, tmp_path / "data", camera_config(str(picture))):
        screen = open_progress(w)
        click(qtbot, screen.scan_button)
        # At once, before the camera has given a frame: what to do and how long is left.
        assert screen.scan_panel.isVisible()
        assert "二维码朝上" in screen.scan_hint.text()
        assert "还剩 30 秒" in screen.scan_countdown.text()
        assert screen.scan_view.isVisible()
        qtbot.waitUntil(lambda s=screen: s.scan_view.frames_shown > 0, timeout=5000)
        qtbot.waitUntil(lambda s=screen: "还剩 30 秒" not in s.scan_countdown.text(), timeout=3000)
        click(qtbot, screen.scan_stop_button)  # typing instead: the pad is back, the camera let go
        assert not screen._scan_worker.running
        assert screen.digit_pad.isVisible()
        assert screen.scan_view.image is None


def test_a_mistyped_number_without_a_platform_says_no_such_number(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    w, _runtime = window
    screen = open_progress(w)
    use_client(screen, None)  # kiosk demo: no platform configured
    type_on_pad(qtbot, screen, "T0001-00012")
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    assert screen.result_status.text() == "本机未查到该编号"
    assert "核对" in screen.result_note.text()
    assert "暂不能查询" not in screen.result_status.text()


def test_a_broken_camera_says_so_and_the_pad_still_works(qtbot: QtBot, tmp_path: Path) -> None:
    for w, _runtime in make_window(qtbot, tmp_path, camera_config(str(tmp_path / "no-such-camera.png"))):
        screen = open_progress(w)
        use_client(screen, FakeClient(in_progress()))
        click(qtbot, screen.scan_button)
        qtbot.waitUntil(lambda s=screen: "手动输入" in s.message.text(), timeout=5000)
        type_on_pad(qtbot, screen, "T0001-000123")
        assert screen.number_field.text() == "T0001-000123"
        click(qtbot, screen.query_button)
        wait_for_result(qtbot, screen)
        assert screen.result_status.text() == "办理中"


def _fits(button: QPushButton) -> bool:
    metrics = QFontMetrics(button.font())
    return all(metrics.horizontalAdvance(line) <= button.width() - 8 for line in button.text().split("\n"))


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_a_scan_failure_keeps_the_column_and_a_case_number_fits(qtbot: QtBot, tmp_path: Path,
                                                                  elder: bool) -> None:
    for w, _runtime in make_window(qtbot, tmp_path, camera_config(str(tmp_path / "no-such-camera.png"))):
        w.status_strip.set_elder_mode(elder)
        screen = open_progress(w)
        qtbot.waitUntil(lambda s=screen: s.number_field.width() > 200)
        before = screen.number_field.width()
        click(qtbot, screen.scan_button)
        qtbot.waitUntil(lambda s=screen: "手动输入" in s.message.text(), timeout=5000)
        QApplication.processEvents()
        assert screen.number_field.width() >= before
        # The message wraps in the whole column, above the field.
        assert screen.message.width() >= screen.number_field.width()
        # A whole platform case number shows in the field.
        screen.number_field.setText(CASE_NO)
        QApplication.processEvents()
        field = screen.number_field
        assert QFontMetrics(field.font()).horizontalAdvance(CASE_NO) <= field.width() - 24
        # Delete and Clear say so in English too, and fit their keys (the letter pad's one-cell key too).
        for name in ("progress_key_backspace", "progress_key_clear", "progress_letter_key_backspace"):
            key = screen.findChild(QPushButton, name)
            assert key is not None
        click(qtbot, screen.pad_keys["letters"])
        QApplication.processEvents()
        for name, english in (("progress_key_backspace", "Delete"), ("progress_key_clear", "Clear"),
                              ("progress_letter_key_backspace", "Delete")):
            key = screen.findChild(QPushButton, name)
            assert english in key.text()
            if key.isVisible():
                assert _fits(key), (name, key.text(), key.width())
        click(qtbot, screen.pad_keys["digits"])
        QApplication.processEvents()
        for name in ("progress_key_backspace", "progress_key_clear"):
            key = screen.findChild(QPushButton, name)
            assert _fits(key), (name, key.text(), key.width())
        assert w.height() == 800


def test_the_result_names_both_numbers_and_keeps_its_buttons_small_offline(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime]) -> None:
    screen = open_progress(window[0])
    use_client(screen, FakeClient(in_progress()))
    screen.number_field.setText("T0001-000123")
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    assert "受理编号 Receipt no. T0001-000123" in screen.result_number.text()
    assert f"办件编号 Case no. {CASE}" in screen.result_number.text()
    online = screen.again_button.width()
    click(qtbot, screen.again_button)
    use_client(screen, FakeClient(error=PlatformUnavailable("refused", code="connection_error")))
    window[1].cache.sync_state.put_case_status(CASE, "accepted", datetime.now(UTC))
    screen.number_field.setText(CASE)
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    assert screen.result_offline.isVisible()
    assert not screen.result_steps.isVisible()
    QApplication.processEvents()
    # As online: small buttons on the right, not stretched over the page.
    assert screen.again_button.width() == online
    assert screen.again_button.x() > screen.result_page.width() // 2


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_portrait_screen_the_field_is_above_the_keys_and_the_steps_above_the_buttons(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime], elder: bool) -> None:
    w, _runtime = window
    to_portrait(w, elder=elder)
    screen = open_progress(w)
    settle()
    field = screen.number_field
    # The field and 查询 take the page's width above the keys, not a column beside them.
    assert field.width() >= screen.pads.width() - 40
    assert field.mapToGlobal(QPoint(0, field.height())).y() <= screen.pads.mapToGlobal(QPoint(0, 0)).y()
    field.setText(CASE_NO)
    QApplication.processEvents()
    assert QFontMetrics(field.font()).horizontalAdvance(CASE_NO) <= field.width() - 24
    home = screen.findChild(QPushButton, "progress_entry_home_button")
    assert home is not None
    assert home.width() >= home.sizeHint().width()
    assert _fits(screen.query_button)
    # The result: the steps so far across the width above the buttons, not wrapped in a third beside them.
    use_client(screen, FakeClient(in_progress()))
    field.setText("T0001-000123")
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    settle()
    steps = screen.result_steps
    assert steps.isVisible()
    assert steps.width() >= screen.result_page.width() * 3 // 4
    assert steps.y() + steps.height() <= screen.again_button.y()


@pytest.mark.parametrize(("elder", "portrait"), [(False, False), (True, False), (True, True)],
                         ids=["normal", "elder", "portrait-elder"])
def test_a_long_status_leaves_its_english_whole(
        qtbot: QtBot, window: tuple[MainWindow, KioskRuntime], elder: bool, portrait: bool) -> None:
    """已在本机登记，联网后自动上传 in elder type left its English a column three words wide beside it, cut
    after two lines (found by tests/ui/test_journeys.py)."""
    w, runtime = window
    if portrait:
        to_portrait(w, elder=elder)
    else:
        w.status_strip.set_elder_mode(elder)
    item = runtime.cache.outbox.add_submission("330000-GA-XK-0001", {}, {"name": NAME})
    screen = open_progress(w)
    use_client(screen, None)
    screen.number_field.setText(item.receipt_no)
    click(qtbot, screen.query_button)
    wait_for_result(qtbot, screen)
    settle()
    assert screen.result_status_en.text() == "Registered here; it uploads when the link is back"
    assert widget_problems(w) == []
