"""A resident's whole visit through the screens, with simulated card reader, camera and scanner, the real
cupsd printing to cups-pdf, and the reference platform: card → declaration with two materials → outbox →
synced → printed receipt whose QR carries the case number → the confirmation kept on screen → 评价服务 →
rating synced.

The same visit with the platform down: the receipt carries the local number, the declaration and the
rating are delivered exactly once when the platform comes back, and the progress query by the local
number then shows the platform's status.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton
from pytestqt.qtbot import QtBot

from drivers.barcode.factory import make_decoder
from drivers.barcode.protocol import QR_FORMATS
from drivers.idcard.demo_card import DEMO_CARD
from kiosk.cli.launch import LaunchOptions
from kiosk.config import config_from_mapping, sample_catalog_path
from kiosk.runtime import KioskRuntime
from kiosk.status import NetworkState
from offline_cache.outbox import OutboxItem
from reference_platform.runner import RunningPlatform
from tests.demo_runtime import demo_runtime
from tests.integration.conftest_platform import ADMIN_TOKEN, TERMINAL, TOKEN, Admin
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.declare.wizard import DeclareScreen
from ui.screens.progress import ProgressScreen
from ui.screens.rating import RatingScreen
from ui.sync_bridge import SyncBridge

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"),
]

PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a form, two materials to capture, one 容缺
PHONE = "13912345678"
PURCHASE_FORM = {"phone": PHONE, "account_no": "12345678", "employer": "示例公司",
                 "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
                 "bank_account": "6222000011112222"}
NAME = str(DEMO_CARD["name"])
ID_NUMBER = str(DEMO_CARD["id_number"])
# Long enough for a cups-pdf job and a sync round on a loaded CI machine; tests never wait this long when
# things work.
SLOW_MS = 90_000


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Kiosk:
    runtime: KioskRuntime
    window: MainWindow
    data_dir: Path


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, port: int) -> Iterator[Kiosk]:
    data = tmp_path / "kiosk"
    data.mkdir()
    token = data / "platform.token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    token.chmod(0o600)
    config = config_from_mapping({
        "terminal": {"id": TERMINAL, "station": "示例社区服务中心"},
        "platform": {"url": f"http://127.0.0.1:{port}", "token_file": "platform.token",
                     "connect_timeout_s": 2.0, "read_timeout_s": 10.0},
        # Short retry delays: the outage ends within the test, and the terminal should notice soon.
        "sync": {"interval_s": 1.0, "backoff_base_s": 0.2, "backoff_cap_s": 1.0},
        "devices": {
            "idcard": {"backend": "simulated"},
            "citizencard": {"backend": "none"},
            "printer": {"backend": "cups", "queue": os.environ["KIOSK_TEST_CUPS_QUEUE"], "job_timeout_s": 60},
            "camera": {"backend": "simulated", "source": "scene:still"},
            "scanner": {"backend": "simulated"},
            "barcode": {"backend": "zxing"},
        },
    })
    with demo_runtime(data, config) as runtime:
        window = create_main_window(LaunchOptions(config=config, data_dir=data), runtime)
        qtbot.addWidget(window)
        bridge = SyncBridge(runtime.sync, window)
        bridge.status_changed.connect(window.show_sync_status)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        runtime.start()
        try:
            yield Kiosk(runtime, window, data)
        finally:
            for screen in window.screens.values():
                shutdown = getattr(screen, "shutdown", None)
                if callable(shutdown):
                    shutdown()
            window.wipe_screens()


def start_platform(tmp_path: Path, port: int) -> RunningPlatform:
    # The platform serves the same catalogue the terminal ships with, so the service stays declarable
    # when the terminal's first sync replaces its sample catalogue with the platform's.
    return RunningPlatform(tmp_path / "platform.db", port=port, catalog=sample_catalog_path(),
                           terminals=[(TERMINAL, TOKEN)], admin_token=ADMIN_TOKEN).start()


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def tap(qtbot: QtBot, widget: QAbstractButton, timeout: int = 5000) -> None:
    qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled(), timeout=timeout)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def capture_with_camera(qtbot: QtBot, kiosk: Kiosk, screen: DeclareScreen, material: str) -> None:
    row = screen.materials_page.row_for(material)
    assert row.camera_button is not None
    tap(qtbot, row.camera_button)
    # The simulated camera shows a still page: the preview outlines it and auto-capture takes it.
    use = button(kiosk.window, "capture_use_button")
    qtbot.waitUntil(use.isVisible, timeout=SLOW_MS)
    tap(qtbot, use)
    qtbot.waitUntil(lambda: not screen.materials_page.in_capture, timeout=SLOW_MS)


def capture_with_scanner(qtbot: QtBot, kiosk: Kiosk, screen: DeclareScreen, material: str) -> None:
    row = screen.materials_page.row_for(material)
    assert row.scanner_button is not None
    tap(qtbot, row.scanner_button)
    tap(qtbot, button(kiosk.window, "capture_scan_button"))
    use = button(kiosk.window, "capture_use_button")
    qtbot.waitUntil(use.isVisible, timeout=SLOW_MS)
    tap(qtbot, use)
    qtbot.waitUntil(lambda: not screen.materials_page.in_capture, timeout=SLOW_MS)


def declare(qtbot: QtBot, kiosk: Kiosk) -> DeclareScreen:
    """From the home screen to 提交申报 pressed: card, service, form, two materials, pick-up, review."""
    window = kiosk.window
    tap(qtbot, window.home.tiles["declare"], timeout=SLOW_MS)  # enabled once the devices are looked at
    screen = window.current_screen()
    assert isinstance(screen, DeclareScreen)
    # The simulated card is read; the identify step says who until 下一步.
    qtbot.waitUntil(lambda: screen.resident is not None, timeout=SLOW_MS)
    assert screen.identify_page.identity.text().startswith("已识别：")
    tap(qtbot, screen.next_button)
    assert screen.step == "service"
    screen.service_page.search_field.setText("公积金")
    screen.service_page.refresh()
    assert PURCHASE in screen.service_page.result_buttons
    tap(qtbot, screen.service_page.result_buttons[PURCHASE])
    tap(qtbot, screen.next_button)
    assert screen.step == "form"
    for field_id, value in PURCHASE_FORM.items():
        line = screen.form_page.editors[field_id].line
        assert line is not None
        line.setText(value)
    next(iter(screen.form_page.editors["reason"].choices.values())).click()
    tap(qtbot, screen.next_button)
    assert screen.step == "materials"
    capture_with_camera(qtbot, kiosk, screen, "购房合同或不动产权证书")
    capture_with_scanner(qtbot, kiosk, screen, "本人银行卡或银行账户信息")
    skip = screen.materials_page.row_for("购房发票或契税完税凭证").skip_button
    assert skip is not None
    tap(qtbot, skip)  # 容缺: handed in later
    tap(qtbot, screen.next_button)
    assert screen.step == "delivery"
    tap(qtbot, screen.next_button)
    assert screen.step == "review"
    tap(qtbot, screen.next_button)  # 提交申报
    return screen


def receipt_pdf(folder: Path, since: float, receipt_no: str) -> Path:
    """The cups-pdf output printed since `since` that carries `receipt_no` (cups-pdf names files by job
    number, which restarts with cupsd, so a new file may replace an old one of the same name)."""
    for pdf in sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True):
        if pdf.stat().st_mtime >= since - 1 and receipt_no in pdf_text(pdf):
            return pdf
    raise AssertionError(f"no receipt {receipt_no} printed to {folder}")


def qr_text(pdf: Path, work: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(work / "page")],
                   check=True, timeout=60)
    page = next(work.glob("page*.png"))
    image = np.asarray(Image.open(page).convert("L"))
    return [c.text for c in make_decoder("zxing", QR_FORMATS).decode(image)]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout


def rate(qtbot: QtBot, kiosk: Kiosk, screen: DeclareScreen, receipt_no: str) -> RatingScreen:
    """The receipt printed, the confirmation stays on screen until the resident leaves it: 评价服务."""
    qtbot.waitUntil(lambda: screen.printed, timeout=SLOW_MS)
    assert kiosk.window.current_screen() is screen
    assert screen.done_page.number.text() == receipt_no
    tap(qtbot, screen.done_page.rate_button)
    rating = kiosk.window.current_screen()
    assert isinstance(rating, RatingScreen)
    assert rating.receipt_no == receipt_no
    tap(qtbot, rating.grade_buttons[1])  # 满意
    tap(qtbot, rating.submit_button)
    qtbot.waitUntil(lambda: rating.pages.currentWidget() is rating.thanks_page, timeout=SLOW_MS)
    return rating


def rating_for(kiosk: Kiosk, receipt_no: str) -> OutboxItem:
    outbox = kiosk.runtime.cache.outbox
    with kiosk.runtime.cache.db.read() as conn:
        row = conn.execute("SELECT uuid FROM outbox_item WHERE kind = 'rating' AND rated_receipt_no = ?",
                           (receipt_no,)).fetchone()
    assert row is not None, "no rating stored for the receipt"
    return outbox.get(row[0])


def wait_for(qtbot: QtBot, condition: Callable[[], Any], timeout: int = SLOW_MS) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def test_a_whole_visit_online(qtbot: QtBot, kiosk: Kiosk, tmp_path: Path, port: int) -> None:
    pdf_dir = Path(os.environ["KIOSK_TEST_PDF_DIR"])
    started = time.time()
    platform = start_platform(tmp_path, port)
    admin = Admin(platform.url)
    try:
        kiosk.runtime.sync.wake()
        wait_for(qtbot, lambda: kiosk.runtime.sync.status().network is NetworkState.ONLINE)
        screen = declare(qtbot, kiosk)

        # Committed to the outbox before the screen says 已提交, then synced: the case number is on screen.
        qtbot.waitUntil(lambda: screen.stored is not None, timeout=SLOW_MS)
        stored = screen.stored
        assert stored is not None
        receipt_no = stored.receipt_no
        item = kiosk.runtime.cache.outbox.find_by_receipt(receipt_no)
        assert item is not None
        assert [a.device for a in item.attachments] == ["camera", "scanner"]
        wait_for(qtbot, lambda: kiosk.runtime.cache.outbox.get(item.uuid).state == "accepted")
        case_no = kiosk.runtime.cache.outbox.get(item.uuid).case_no
        assert case_no
        stored_body = admin.submission(item.uuid)["body"]
        assert stored_body["service_code"] == PURCHASE
        assert stored_body["personal"]["id_number"] == ID_NUMBER
        materials = [a["material"] for a in stored_body["attachments"]]
        assert materials == ["购房合同或不动产权证书", "本人银行卡或银行账户信息"]

        # The receipt came out of the real print server with the case number in its QR code.
        rate(qtbot, kiosk, screen, receipt_no)
        pdf = receipt_pdf(pdf_dir, started, receipt_no)
        assert qr_text(pdf, tmp_path) == [case_no]
        assert ID_NUMBER not in pdf_text(pdf)  # masked on paper too

        # The rating is stored against the receipt and delivered, tied to the case.
        rated = rating_for(kiosk, receipt_no)
        kiosk.runtime.sync.wake()
        wait_for(qtbot, lambda: kiosk.runtime.cache.outbox.get(rated.uuid).state == "accepted")
        assert admin.rating(rated.uuid)["case_no"] == case_no
        stats = admin.stats()
        assert stats["submissions"] == 1
        assert stats["idempotency"]["keys_without_exactly_one_case"] == []
    finally:
        admin.close()
        platform.stop()


def test_a_whole_visit_with_the_platform_down(qtbot: QtBot, kiosk: Kiosk, tmp_path: Path, port: int) -> None:
    pdf_dir = Path(os.environ["KIOSK_TEST_PDF_DIR"])
    started = time.time()
    # Nobody listens on the platform's port: the island's link is down.
    wait_for(qtbot, lambda: kiosk.runtime.sync.status().network is NetworkState.OFFLINE)
    screen = declare(qtbot, kiosk)
    qtbot.waitUntil(lambda: screen.stored is not None, timeout=SLOW_MS)
    stored = screen.stored
    assert stored is not None
    receipt_no = stored.receipt_no
    assert receipt_no.startswith(f"{TERMINAL}-")
    qtbot.waitUntil(lambda: "联网后自动发送" in screen.done_page.network.text(), timeout=SLOW_MS)

    rate(qtbot, kiosk, screen, receipt_no)
    pdf = receipt_pdf(pdf_dir, started, receipt_no)
    assert qr_text(pdf, tmp_path) == [receipt_no]  # no case number yet: the local number is the credential
    rated = rating_for(kiosk, receipt_no)
    outbox = kiosk.runtime.cache.outbox
    assert outbox.get(stored.uuid).state == "pending"

    # The link comes back: both are delivered, once.
    platform = start_platform(tmp_path, port)
    admin = Admin(platform.url)
    try:
        kiosk.runtime.sync.wake()
        wait_for(qtbot, lambda: {outbox.get(stored.uuid).state, outbox.get(rated.uuid).state} == {"accepted"})
        case_no = outbox.get(stored.uuid).case_no
        assert case_no
        kiosk.runtime.sync.wake()  # another round must not send anything twice
        wait_for(qtbot, lambda: kiosk.runtime.sync.status().depth == 0)
        stats = admin.stats()
        assert stats["submissions"] == 1
        assert stats["idempotency"]["keys_without_exactly_one_case"] == []
        assert admin.rating(rated.uuid)["case_no"] == case_no
        admin.advance(case_no, "accepted", "材料齐全，已受理")

        # The progress query by the local receipt number shows the platform's status.
        kiosk.window.go_home()
        tap(qtbot, kiosk.window.home.tiles["progress"])
        progress = kiosk.window.current_screen()
        assert isinstance(progress, ProgressScreen)
        progress.number_field.setText(receipt_no)
        tap(qtbot, progress.query_button)
        qtbot.waitUntil(lambda: progress.answer is not None, timeout=SLOW_MS)
        assert progress.answer is not None
        assert progress.answer.case_no == case_no
        assert progress.answer.kind == "live"
        assert progress.result_status.text() == "已受理"
    finally:
        admin.close()
        platform.stop()
