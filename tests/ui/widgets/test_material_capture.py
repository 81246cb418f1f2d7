"""The material-capture widget: camera preview → auto-capture → review → attach, the scanner, and the
failure paths (camera gone, scanner empty, page too large), with simulated devices."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

import kiosk.resident.capture
from drivers.camera.errors import CameraDisconnected
from drivers.camera.protocol import CameraInfo, Frame
from drivers.scanner.errors import NoDocument
from drivers.scanner.simulated import SimulatedScanner
from drivers.status import DeviceState, DeviceStatus
from kiosk.config import Config, config_from_mapping, sample_catalog_path
from kiosk.devices.manager import CAMERA, SCANNER, DeviceSpec
from kiosk.resident.materials import MaterialAttachment, MaterialTooLarge
from offline_cache.catalog import Material, ServiceItem
from tests.demo_runtime import MakeRuntime
from ui.context import AppContext
from ui.theme import ELDER, NORMAL, pick_font_family, stylesheet
from ui.widgets.material_capture import MaterialCapture

SAMPLE = sample_catalog_path()
HUKOU = Material("居民户口簿", "原件1份", "paper", required=True, waivable=False, note="")
PHOTO = Material("数码照片回执", "1份", "paper", required=True, waivable=True, note="")


def service_item() -> ServiceItem:
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"][0]
    return dataclasses.replace(ServiceItem.from_dict(base), code="330000-GA-XK-0001", materials=(HUKOU, PHOTO))


def make_config(camera: str = "scene:still", *, camera_backend: str = "simulated",
                scanner_backend: str = "simulated") -> Config:
    return config_from_mapping({"devices": {
        "camera": {"backend": camera_backend, "source": camera},
        "scanner": {"backend": scanner_backend},
    }})


def capture_context(make_runtime: MakeRuntime, data_dir: Path, config: Config, *, camera: Any = None,
                    scanner: Any = None) -> AppContext:
    """A context whose runtime runs `config`, with a fake camera or scanner put in the device manager."""
    runtime = make_runtime(config, data_dir)
    if camera is not None:
        runtime.devices.apply(CAMERA, DeviceSpec(lambda: camera, lambda d: d.status()))
    if scanner is not None:
        runtime.devices.apply(SCANNER, DeviceSpec(lambda: scanner, lambda d: d.status()))
    return AppContext(config=config, data_dir=data_dir, runtime=runtime)


@pytest.fixture
def make_widget(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> Iterator[Any]:
    made: list[MaterialCapture] = []

    def make(config: Config | None = None, *, camera: Any = None, scanner: Any = None) -> MaterialCapture:
        context = capture_context(make_runtime, tmp_path / f"data-{len(made)}", config or make_config(),
                                  camera=camera, scanner=scanner)
        widget = MaterialCapture(context)
        qtbot.addWidget(widget)
        widget.resize(1200, 640)
        widget.show()
        made.append(widget)
        return widget

    yield make
    for widget in made:
        widget.stop()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible(), button.objectName()
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def reviewed(qtbot: QtBot, widget: MaterialCapture) -> None:
    qtbot.waitUntil(lambda: widget.pages.currentWidget() is widget.review_page, timeout=15000)


def test_auto_capture_leads_to_review_and_use_attaches(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    assert widget.pages.currentWidget() is widget.camera_page
    assert not widget.camera_skip_button.isVisible()  # 户口簿 is not 容缺
    # The live preview shows frames with advice, then captures by itself once the page lies still.
    qtbot.waitUntil(lambda: widget.preview.frames_shown >= 2, timeout=10000)
    reviewed(qtbot, widget)
    assert widget.review_view.image is not None
    assert "清晰" in widget.verdict.zh.text()
    with qtbot.waitSignal(widget.attached, timeout=10000) as signal:
        click(qtbot, widget.use_button)
    attachment = signal.args[0]
    assert isinstance(attachment, MaterialAttachment)
    assert attachment.material == HUKOU
    assert attachment.service_code == "330000-GA-XK-0001"
    assert attachment.pages == 1
    assert attachment.page.device == "camera"
    assert attachment.page.identified_by_card is True
    assert attachment.page.media_type == "image/jpeg"
    # Handed out: the widget keeps no page image.
    assert widget.shots == []
    assert widget.shot is None
    assert widget.review_view.image is None


def test_the_device_manager_s_camera_is_used(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=False)
    reviewed(qtbot, widget)
    with qtbot.waitSignal(widget.attached, timeout=10000) as signal:
        click(qtbot, widget.use_button)
    assert signal.args[0].page.device == "camera"
    widget.stop()
    # The manager's driver did the work and stays with the manager (opened, not closed by the widget).
    with widget.context.runtime.devices.use(CAMERA) as camera:
        assert camera.status().state is DeviceState.OK


def test_retake_returns_to_the_preview_and_two_pages_make_a_pdf(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=False)
    reviewed(qtbot, widget)
    click(qtbot, widget.retake_button)
    assert widget.pages.currentWidget() is widget.camera_page
    assert widget.previewing
    reviewed(qtbot, widget)  # the same page again, once the auto-capture was reset
    click(qtbot, widget.add_page_button)
    assert widget.pages.currentWidget() is widget.camera_page
    assert "已拍 1 页" in widget.heading.text()
    reviewed(qtbot, widget)
    assert "第 2 页" in widget.review_title.text()
    with qtbot.waitSignal(widget.attached, timeout=10000) as signal:
        click(qtbot, widget.use_button)
    attachment = signal.args[0]
    assert attachment.pages == 2
    assert attachment.page.media_type == "application/pdf"
    assert attachment.page.identified_by_card is False


def test_manual_capture_of_an_empty_desk_keeps_the_preview_with_advice(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config("scene:empty"))
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    qtbot.waitUntil(lambda: widget.preview.frames_shown >= 1, timeout=10000)
    assert "平放" in widget.advice.zh.text()
    click(qtbot, widget.capture_button)
    qtbot.waitUntil(lambda: widget.previewing and widget.capture_button.isEnabled(), timeout=10000)
    assert widget.pages.currentWidget() is widget.camera_page
    assert "平放" in widget.advice.zh.text()


def test_manual_capture_of_a_blurred_page_reviews_it_with_the_advice(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config("scene:blurred"))
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    qtbot.waitUntil(lambda: widget.preview.frames_shown >= 1, timeout=10000)
    click(qtbot, widget.capture_button)
    reviewed(qtbot, widget)
    assert widget.verdict.zh.text().startswith("建议重拍")
    assert "模糊" in widget.verdict.zh.text()
    assert "blurred" in widget.verdict.en.text()
    assert widget.use_button.isVisible()  # the resident may still judge it readable
    click(qtbot, widget.retake_button)
    assert widget.pages.currentWidget() is widget.camera_page


class DisconnectedCamera:
    """Delivers nothing: every read says the cable is out."""

    info = CameraInfo("fake", "fake", 1920, 1080)

    def __init__(self) -> None:
        self.opened = False
        self.closed = False

    def open(self, timeout_s: float = 1.0) -> CameraInfo:
        self.opened = True
        return self.info

    def close(self) -> None:
        self.closed = True

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.OK if self.opened else DeviceState.UNKNOWN)

    def read_frame(self, timeout_s: float = 1.0) -> Frame:
        raise CameraDisconnected("fake camera unplugged")


def test_camera_failure_offers_the_scanner_which_attaches(qtbot: QtBot, make_widget: Any) -> None:
    camera = DisconnectedCamera()
    widget = make_widget(camera=camera)
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    qtbot.waitUntil(lambda: widget.pages.currentWidget() is widget.problem_page, timeout=10000)
    assert "高拍仪暂时不能使用" in widget.problem.zh.text()
    assert widget.problem.en.text()
    assert "扫描仪" in widget.problem_next.zh.text()
    assert widget.problem_back_button.isVisible()
    click(qtbot, widget.problem_scanner_button)
    assert widget.pages.currentWidget() is widget.scanner_page
    assert "正面朝下" in widget.scanner_prompt.zh.text()
    click(qtbot, widget.scan_button)
    reviewed(qtbot, widget)
    with qtbot.waitSignal(widget.attached, timeout=10000) as signal:
        click(qtbot, widget.use_button)
    attachment = signal.args[0]
    assert attachment.page.device == "scanner"
    assert attachment.page.identified_by_card is True
    widget.stop()
    assert not camera.closed  # the device manager's driver: the capture leaves it to the manager


def test_unplugged_simulated_camera_mid_preview_shows_the_problem(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config("scene:unplugged", scanner_backend="none"))
    widget.begin(service_item(), PHOTO, identified_by_card=True)

    # The still page is captured (maybe more than once) before the simulated cable comes out after 45
    # frames; each retake goes back to the preview, which then meets the unplugged camera.
    def problem_shown() -> bool:
        if widget.pages.currentWidget() is widget.review_page:
            widget.retake()
        return widget.pages.currentWidget() is widget.problem_page

    qtbot.waitUntil(problem_shown, timeout=15000)
    assert "高拍仪暂时不能使用" in widget.problem.zh.text()
    assert not widget.problem_scanner_button.isVisible()  # no scanner here
    assert widget.problem_retry_button.isVisible()
    assert widget.problem_skip_button.isVisible()  # 容缺: submit later is still a way forward


def test_camera_not_configured_starts_with_the_problem_and_the_scanner(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config(camera_backend="none"))
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    assert widget.pages.currentWidget() is widget.problem_page
    assert widget.problem_scanner_button.isVisible()
    assert not widget.problem_retry_button.isVisible()
    assert widget._worker is None  # nothing started


def test_scanner_requested_but_not_configured_falls_back_to_the_camera(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config(scanner_backend="none"))
    widget.begin(service_item(), HUKOU, identified_by_card=True, source="scanner")
    assert widget.pages.currentWidget() is widget.camera_page
    assert "扫描仪暂时不能使用" in widget.camera_note.zh.text()
    assert not widget.camera_scanner_button.isVisible()


def test_no_device_at_all_says_so(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget(make_config(camera_backend="none", scanner_backend="none"))
    widget.begin(service_item(), PHOTO, identified_by_card=True)
    assert widget.pages.currentWidget() is widget.problem_page
    assert "联系工作人员" in widget.problem.zh.text()
    assert widget.problem_skip_button.isVisible()
    assert widget.problem_back_button.isVisible()


def test_scanner_without_paper_offers_try_again_and_the_camera(qtbot: QtBot, make_widget: Any) -> None:
    scanner = SimulatedScanner(document_on_glass=False)
    widget = make_widget(scanner=scanner)
    widget.begin(service_item(), HUKOU, identified_by_card=True, source="scanner")
    click(qtbot, widget.scan_button)
    qtbot.waitUntil(lambda: isinstance(widget.error, NoDocument), timeout=10000)
    assert widget.pages.currentWidget() is widget.scanner_page
    assert "未检测到材料" in widget.scanner_message.zh.text()
    assert "No document" in widget.scanner_message.en.text()
    assert "重试" in widget.scan_button.text()
    assert widget.scanner_camera_button.isVisible()
    # The resident puts the page in and tries again.
    scanner.sim.document_on_glass = True
    click(qtbot, widget.scan_button)
    reviewed(qtbot, widget)
    assert widget.retake_button.text().startswith("重扫")
    assert widget.add_page_button.text().startswith("再扫一页")  # a scanner takes no photos


def test_a_blank_scan_advises_a_rescan(qtbot: QtBot, make_widget: Any) -> None:
    scanner = SimulatedScanner()
    scanner.sim.face_up = True
    widget = make_widget(scanner=scanner)
    widget.begin(service_item(), HUKOU, identified_by_card=True, source="scanner")
    click(qtbot, widget.scan_button)
    reviewed(qtbot, widget)
    assert widget.verdict.zh.text().startswith("建议重扫：扫到的是空白页")
    assert "face down" in widget.verdict.en.text()
    assert widget.retake_button.isVisible()
    # The resident turns the page over and scans again.
    scanner.sim.face_up = False
    click(qtbot, widget.retake_button)
    click(qtbot, widget.scan_button)
    reviewed(qtbot, widget)
    assert "空白页" not in widget.verdict.zh.text()


def test_scanner_jam_then_use_the_camera(qtbot: QtBot, make_widget: Any) -> None:
    scanner = SimulatedScanner()
    scanner.sim.fail_next("jammed")
    widget = make_widget(scanner=scanner)
    widget.begin(service_item(), HUKOU, identified_by_card=True, source="scanner")
    click(qtbot, widget.scan_button)
    qtbot.waitUntil(lambda: widget.error is not None, timeout=10000)
    assert "卡纸" in widget.scanner_message.zh.text()
    click(qtbot, widget.scanner_camera_button)
    assert widget.pages.currentWidget() is widget.camera_page
    reviewed(qtbot, widget)


def test_page_too_large_offers_only_a_retake(qtbot: QtBot, make_widget: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def too_large(*args: object, **kwargs: object) -> MaterialAttachment:
        raise MaterialTooLarge("over the cap")

    monkeypatch.setattr(kiosk.resident.capture, "attach_pages", too_large)
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    reviewed(qtbot, widget)
    with qtbot.assertNotEmitted(widget.attached):
        click(qtbot, widget.use_button)
        qtbot.waitUntil(lambda: isinstance(widget.error, MaterialTooLarge), timeout=10000)
    assert "过大" in widget.verdict.zh.text()
    assert not widget.use_button.isVisible()
    assert widget.retake_button.isVisible()
    assert widget.shots == []
    assert widget.shot is not None
    click(qtbot, widget.retake_button)
    assert widget.pages.currentWidget() is widget.camera_page


def test_waivable_material_offers_submit_later(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), PHOTO, identified_by_card=True)
    assert widget.camera_skip_button.isVisible()
    with qtbot.waitSignal(widget.skip_requested, timeout=2000):
        click(qtbot, widget.camera_skip_button)
    assert widget._worker is None


def test_back_cancels_and_attaches_nothing(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    with qtbot.assertNotEmitted(widget.attached), qtbot.waitSignal(widget.cancelled, timeout=2000):
        click(qtbot, widget.camera_back_button)
    assert widget._worker is None
    assert not widget.previewing


def test_stop_leaves_no_running_thread_and_wipe_drops_the_images(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    qtbot.waitUntil(lambda: widget.preview.frames_shown >= 1, timeout=10000)
    worker = widget._worker
    assert worker is not None
    assert worker._thread.isRunning()
    widget.stop()
    assert not worker._thread.isRunning()
    assert widget._worker is None
    assert not widget.previewing
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    reviewed(qtbot, widget)
    widget.wipe()
    assert widget._worker is None
    assert widget.shot is None
    assert widget.shots == []
    assert widget.preview.image is None
    assert widget.review_view.image is None
    assert widget.heading.text() == ""
    assert widget.verdict.zh.text() == ""


def test_hidden_widget_pauses_the_preview_and_resumes_when_shown(qtbot: QtBot, make_widget: Any) -> None:
    widget = make_widget()
    widget.hide()
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    assert widget._step_call is None  # nothing runs while nobody looks
    widget.show()
    qtbot.waitUntil(lambda: widget.preview.frames_shown >= 1, timeout=10000)


# --- what a resident sees ------------------------------------------------------------------------------


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_each_state_renders_in_both_themes(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime,
                                           elder: bool) -> None:
    """Renders the states to PNG (copied to $KIOSK_SCREENSHOT_DIR when set, e.g. docs/screenshots)."""
    theme = ELDER if elder else NORMAL
    out = Path(os.environ.get("KIOSK_SCREENSHOT_DIR", tmp_path))
    mode = "elder" if elder else "normal"

    hosts: list[QWidget] = []

    def host_for(config: Config, *, camera: Any = None, scanner: Any = None) -> tuple[QWidget, MaterialCapture]:
        # Shaped like the wizard's materials step: the screen's margins and the theme's style sheet.
        host = QWidget()
        host.setObjectName("capture_host")
        host.setStyleSheet(stylesheet(theme, pick_font_family("")))
        layout = QVBoxLayout(host)
        layout.setContentsMargins(48, 12, 48, 16)
        title = QLabel("居民户口簿 · 原件1份", host)
        title.setProperty("role", "title")
        layout.addWidget(title)
        context = capture_context(make_runtime, tmp_path / f"data-{len(hosts)}", config, camera=camera,
                                  scanner=scanner)
        hosts.append(host)
        widget = MaterialCapture(context, host)
        layout.addWidget(widget, 1)
        qtbot.addWidget(host)
        host.resize(1280, 680)
        host.show()
        return host, widget

    def save(host: QWidget, name: str) -> None:
        image = host.grab()
        assert not image.isNull()
        assert image.save(str(out / f"declare-capture-{name}-{mode}.png"))

    # The live preview: a page lying at an angle, outlined; one partly outside the picture, in amber.
    for scene, name in (("scene:moving", "preview"), ("scene:cutoff", "preview-cutoff")):
        host, widget = host_for(make_config(scene))
        widget.begin(service_item(), PHOTO, identified_by_card=True)
        qtbot.waitUntil(lambda w=widget: w.preview.frames_shown >= 4, timeout=10000)
        widget.stop()
        save(host, name)
    assert "没有完全放入" in widget.advice.zh.text()

    host, widget = host_for(make_config("scene:still"))
    widget.begin(service_item(), HUKOU, identified_by_card=True)
    reviewed(qtbot, widget)
    save(host, "review")
    widget.stop()

    host, widget = host_for(make_config(), camera=DisconnectedCamera())
    widget.begin(service_item(), PHOTO, identified_by_card=True)
    qtbot.waitUntil(lambda: widget.pages.currentWidget() is widget.problem_page, timeout=10000)
    save(host, "camera-failed")
    widget.stop()

    host, widget = host_for(make_config(), scanner=SimulatedScanner(document_on_glass=False))
    widget.begin(service_item(), HUKOU, identified_by_card=True, source="scanner")
    save(host, "scanner")
    click(qtbot, widget.scan_button)
    qtbot.waitUntil(lambda: widget.error is not None, timeout=10000)
    save(host, "scanner-empty")
    widget.stop()


class PortraitWindow(QWidget):
    """Stands in for the main window on a portrait screen: the layout the widget reads on begin()."""

    orientation = "portrait"


def test_on_a_portrait_screen_the_advice_and_buttons_go_under_the_picture(qtbot: QtBot, tmp_path: Path,
                                                                          make_runtime: MakeRuntime) -> None:
    host = PortraitWindow()
    layout = QVBoxLayout(host)
    widget = MaterialCapture(capture_context(make_runtime, tmp_path / "data", make_config()), host)
    layout.addWidget(widget)
    qtbot.addWidget(host)
    host.resize(1000, 1600)
    host.show()
    try:
        widget.begin(service_item(), HUKOU, identified_by_card=True)
        reviewed(qtbot, widget)
        QApplication.processEvents()
        view = widget.review_view
        assert view.width() >= widget.width() - 8
        assert view.height() >= 700
        for button in (widget.use_button, widget.add_page_button):
            assert button.mapTo(widget, QPoint(0, 0)).y() >= view.mapTo(widget, QPoint(0, view.height())).y()
    finally:
        widget.stop()
