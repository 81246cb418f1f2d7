"""Capturing one paper material for a declaration: document camera or scanner, review, attach.

The declaration wizard embeds one `MaterialCapture` in its materials step and calls `begin()` for each
material. Pages of the widget, one at a time:

    camera  live preview with the page outline, advice (Chinese, English), auto-capture, 拍照 Capture
    scanner "put the page face down", 开始扫描 Start scan, the scanner's errors with 重试 Try again
    review  the deskewed page, the quality verdict, 重拍 Retake / 再拍一页 Add a page / 使用此页 Use
    problem the camera (or every device) cannot be used, and the way forward

Every device call runs on one `DeviceWorker` ("capture") through kiosk/resident/capture.py. The preview
is a chain of bounded steps: each step's result re-submits the next while the widget is visible, so
there is no loop on the GUI thread and `stop()` ends it within one step. Page images are personal data:
never logged, dropped by `wipe()`, and not kept after the attachment is handed out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.crash import ErrorTypes
from kiosk.devices.manager import DeviceManager
from kiosk.resident.capture import (
    CameraSession,
    CaptureRejected,
    Material,
    PageNotFound,
    PageShot,
    PreviewStep,
    ScanCancelled,
    ScannerSession,
    ServiceItem,
    build_attachment,
    device_user,
    message,
    reported_offline,
    scanner_message_key,
)
from kiosk.resident.materials import MaterialAttachment, MaterialError
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP, bilingual
from ui.i18n.texts import keep, keep_lines, keep_made, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.camera_view import CameraView, qimage_from_rgb
from ui.widgets.page_stack import PageStack
from ui.workers import Call, DeviceWorker

WARN_STYLE = "color: #8a4b00;"  # dark amber: 5.9:1 on white, "not yet" rather than "wrong"


_FIT_MIN_WIDTH = 240


class _WrapLabel(QLabel):
    """A word-wrapped label that reserves the height its text needs at its current width. Beside a
    picture in a row, Qt's height-for-width does not reach a plain QLabel through the nested layouts,
    and the text would be laid out a line short and cut off."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Elder mode swaps the type size: the same width now needs another number of lines.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        # Before the first layout a label is a few pixels wide and would ask for a tower of lines.
        if self.width() < _FIT_MIN_WIDTH:
            return
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(0, needed))


def _label(parent: QWidget, name: str, role: str) -> QLabel:
    label = _WrapLabel(parent)
    label.setObjectName(name)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


_CONTEXT = "MaterialCapture"


def _button(parent: QWidget, name: str, source: str, slot: Callable[[], None], *, secondary: bool = False
            ) -> QPushButton:
    """A button saying `source` (marked with QT_TRANSLATE_NOOP under "MaterialCapture") in the current language."""
    button = QPushButton(parent)
    keep(button, _CONTEXT, source)
    button.setObjectName(name)
    if secondary:
        button.setProperty("role", "secondary")
    button.clicked.connect(lambda _=False: slot())
    return button


def _same_height(*buttons: QPushButton) -> None:
    """Buttons side by side in a row grow to the tallest one's height (稍后补交 / Submit later takes two
    lines beside the picture; 返回 Back next to it would otherwise be a step lower and shorter)."""
    for button in buttons:
        button.setSizePolicy(button.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Preferred)


class _MessagePair:
    """A line in big type in the screen's language with the other language's line below (the core hands
    each message over in both: kiosk.resident.capture.message)."""

    def __init__(self, parent: QWidget, name: str, role: str = "title") -> None:
        self.zh = _label(parent, f"{name}_zh", role)
        self.en = _label(parent, f"{name}_en", "subtitle")

    def add_to(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.zh)
        layout.addWidget(self.en)

    def show(self, zh: str, en: str, *, warn: bool = False) -> None:
        keep_lines(self.zh, self.en, zh, en)
        # An empty line takes no room: the column must stay short in elder mode.
        self.zh.setVisible(bool(zh or en))
        self.en.setVisible(bool(zh and en))
        self.zh.setStyleSheet(WARN_STYLE if warn else "")

    def clear(self) -> None:
        self.show("", "")

    def text(self) -> str:
        return f"{self.zh.text()}\n{self.en.text()}"


class MaterialCapture(QWidget):
    attached = Signal(object)  # a kiosk.resident.materials.MaterialAttachment, ready for the outbox
    skip_requested = Signal()  # the resident chose 容缺·稍后补交 (offered only when material.waivable)
    cancelled = Signal()  # 返回 Back: back to the materials list, nothing attached

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("material_capture")
        self.context = context
        self.item: ServiceItem | None = None
        self.material: Material | None = None
        self.identified_by_card = False
        self.shots: list[PageShot] = []
        self.shot: PageShot | None = None
        self.error: BaseException | None = None
        self.previewing = False
        self._paused = False
        self._worker: DeviceWorker | None = None
        self._camera: CameraSession | None = None
        self._scanner: ScannerSession | None = None
        self._step_call: Call | None = None
        self._calls: set[Call] = set()
        self._generation = 0
        self.steps_shown = 0
        self._sides: list[QBoxLayout] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.heading = _label(self, "capture_heading", "body")
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        # Sized by the page on show: the problem page's elder-size text must not stay the widget's minimum
        # (and the wizard's, and the window's) once the resident is back at the preview or the list.
        self.pages = PageStack(self)
        self.pages.setObjectName("capture_pages")
        layout.addWidget(self.pages, 1)
        self._build_camera_page()
        self._build_scanner_page()
        self._build_review_page()
        self._build_problem_page()
        for pair in self._pairs():
            pair.clear()
        self._update_heading()

    # --- building ----------------------------------------------------------------------------------

    def _side_column(self, page: QWidget, view: QWidget) -> tuple[QVBoxLayout, QHBoxLayout]:
        """The picture on the left with a row for the ways out (返回, 稍后补交) under it; on the right a
        column for the advice and the main buttons. Half and half: advice in elder-mode type needs the
        width, and this keeps the page short enough for a 800-pixel screen in elder mode."""
        outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(24)
        self._sides.append(outer)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(view, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        left.addLayout(bottom)
        column = QVBoxLayout()
        column.setSpacing(12)
        outer.addLayout(left, 1)
        outer.addLayout(column, 1)
        return column, bottom

    def _arrange(self) -> None:
        """On a portrait screen the advice and the buttons go under the picture: beside it, both had half
        of 1080 px and the picture a strip with the height of the screen left empty on the right."""
        portrait = getattr(self.window(), "orientation", "landscape") == "portrait"
        for outer in self._sides:
            outer.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
            outer.setStretch(0, 3 if portrait else 1)
            outer.setStretch(1, 2 if portrait else 1)

    def _build_camera_page(self) -> None:
        self.camera_page = QWidget(self.pages)
        self.camera_page.setObjectName("capture_camera_page")
        self.preview = CameraView("capture_preview", self.camera_page)
        column, bottom = self._side_column(self.camera_page, self.preview)
        self.advice = _MessagePair(self.camera_page, "capture_advice")
        self.advice.add_to(column)
        self.camera_note = _MessagePair(self.camera_page, "capture_camera_note", "subtitle")
        self.camera_note.add_to(column)
        column.addStretch(1)
        self.capture_button = _button(self.camera_page, "capture_shoot_button",
                                      QT_TRANSLATE_NOOP("MaterialCapture", "拍照 Capture"), self.capture_now)
        self.camera_scanner_button = _button(self.camera_page, "capture_camera_scanner_button",
                                             QT_TRANSLATE_NOOP("MaterialCapture", "用扫描仪 Use the scanner"),
                                             self.use_scanner, secondary=True)
        self.camera_skip_button = _button(self.camera_page, "capture_camera_skip_button",
                                          QT_TRANSLATE_NOOP("MaterialCapture", "稍后补交\nSubmit later"),
                                          self.skip, secondary=True)
        self.camera_back_button = _button(self.camera_page, "capture_camera_back_button",
                                          QT_TRANSLATE_NOOP("MaterialCapture", "返回 Back"), self.back, secondary=True)
        column.addWidget(self.camera_scanner_button)
        column.addWidget(self.capture_button)
        bottom.addWidget(self.camera_back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.camera_skip_button)
        _same_height(self.camera_back_button, self.camera_skip_button)
        self.pages.addWidget(self.camera_page)

    def _build_scanner_page(self) -> None:
        self.scanner_page = QWidget(self.pages)
        self.scanner_page.setObjectName("capture_scanner_page")
        layout = QVBoxLayout(self.scanner_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.scanner_prompt = _MessagePair(self.scanner_page, "capture_scanner_prompt")
        self.scanner_message = _MessagePair(self.scanner_page, "capture_scanner_message", "body")
        # Room under the wizard's material title: in elder type the stretch below has none to give.
        layout.addSpacing(16)
        layout.addStretch(1)
        self.scanner_prompt.add_to(layout)
        layout.addSpacing(16)
        self.scanner_message.add_to(layout)
        layout.addStretch(2)
        self.scan_button = _button(self.scanner_page, "capture_scan_button",
                                   QT_TRANSLATE_NOOP("MaterialCapture", "开始扫描 Start scan"), self.start_scan)
        self.scanner_camera_button = _button(self.scanner_page, "capture_scanner_camera_button",
                                             QT_TRANSLATE_NOOP("MaterialCapture", "改用高拍仪 Use the camera"),
                                             self.use_camera, secondary=True)
        self.scanner_skip_button = _button(self.scanner_page, "capture_scanner_skip_button",
                                           QT_TRANSLATE_NOOP("MaterialCapture", "稍后补交 Submit later"),
                                           self.skip, secondary=True)
        self.scanner_back_button = _button(self.scanner_page, "capture_scanner_back_button",
                                           QT_TRANSLATE_NOOP("MaterialCapture", "返回 Back"), self.back, secondary=True)
        self._two_rows(layout, (self.scanner_camera_button, self.scan_button),
                       (self.scanner_back_button, self.scanner_skip_button))
        self.pages.addWidget(self.scanner_page)

    def _build_review_page(self) -> None:
        self.review_page = QWidget(self.pages)
        self.review_page.setObjectName("capture_review_page")
        self.review_view = CameraView("capture_review_image", self.review_page)
        column, bottom = self._side_column(self.review_page, self.review_view)
        self.review_title = _label(self.review_page, "capture_review_title", "body")
        column.addWidget(self.review_title)
        self.verdict = _MessagePair(self.review_page, "capture_verdict", "body")
        self.verdict.add_to(column)
        column.addStretch(1)
        self.use_button = _button(self.review_page, "capture_use_button",
                                  QT_TRANSLATE_NOOP("MaterialCapture", "使用此页 Use this page"), self.use_page)
        self.add_page_button = _button(self.review_page, "capture_add_page_button",
                                       QT_TRANSLATE_NOOP("MaterialCapture", "再拍一页 Add a page"),
                                       self.add_page, secondary=True)
        self.retake_button = _button(self.review_page, "capture_retake_button",
                                     QT_TRANSLATE_NOOP("MaterialCapture", "重拍 Retake"), self.retake, secondary=True)
        column.addWidget(self.add_page_button)
        column.addWidget(self.use_button)
        bottom.addWidget(self.retake_button)
        bottom.addStretch(1)
        self.pages.addWidget(self.review_page)

    def _build_problem_page(self) -> None:
        self.problem_page = QWidget(self.pages)
        self.problem_page.setObjectName("capture_problem_page")
        layout = QVBoxLayout(self.problem_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.problem = _MessagePair(self.problem_page, "capture_problem")
        self.problem_next = _MessagePair(self.problem_page, "capture_problem_next", "body")
        layout.addSpacing(16)  # under the wizard's material title, as on the scanner page
        layout.addStretch(1)
        self.problem.add_to(layout)
        layout.addSpacing(16)
        self.problem_next.add_to(layout)
        layout.addStretch(2)
        self.problem_scanner_button = _button(self.problem_page, "capture_problem_scanner_button",
                                              QT_TRANSLATE_NOOP("MaterialCapture", "改用扫描仪 Use the scanner"),
                                              self.use_scanner)
        self.problem_retry_button = _button(self.problem_page, "capture_problem_retry_button",
                                            QT_TRANSLATE_NOOP("MaterialCapture", "重试 Try again"),
                                            self.use_camera, secondary=True)
        self.problem_skip_button = _button(self.problem_page, "capture_problem_skip_button",
                                           QT_TRANSLATE_NOOP("MaterialCapture", "稍后补交 Submit later"),
                                           self.skip, secondary=True)
        self.problem_back_button = _button(self.problem_page, "capture_problem_back_button",
                                           QT_TRANSLATE_NOOP("MaterialCapture", "返回 Back"), self.back, secondary=True)
        self._two_rows(layout, (self.problem_retry_button, self.problem_scanner_button),
                       (self.problem_back_button, self.problem_skip_button))
        self.pages.addWidget(self.problem_page)

    @staticmethod
    def _two_rows(layout: QVBoxLayout, actions: tuple[QPushButton, QPushButton],
                  ways_out: tuple[QPushButton, QPushButton]) -> None:
        """The way forward on the right (main button last), and under it 返回 on the left, 稍后补交 on the
        right: two short rows, since four buttons in elder-mode type do not fit on one line."""
        first = QHBoxLayout()
        first.setSpacing(24)
        first.addStretch(1)
        for button in actions:
            first.addWidget(button)
        second = QHBoxLayout()
        second.setSpacing(24)
        second.addWidget(ways_out[0])
        second.addStretch(1)
        second.addWidget(ways_out[1])
        layout.addLayout(first)
        layout.addLayout(second)

    # --- the wizard's interface --------------------------------------------------------------------

    def begin(self, item: ServiceItem, material: Material, *, identified_by_card: bool, source: str = "camera"
              ) -> None:
        """Starts capturing `material` of `item` from "camera" or "scanner" (the other if that one is
        not configured, with a message saying so)."""
        self.stop()
        self._forget_pages()
        self._arrange()
        self.item, self.material, self.identified_by_card = item, material, identified_by_card
        for button in (self.camera_skip_button, self.scanner_skip_button, self.problem_skip_button):
            button.setVisible(material.waivable)
        self.camera_scanner_button.setVisible(self.scanner_configured)
        self.scanner_camera_button.setVisible(self.camera_configured)
        self._update_heading()
        if source == "scanner" and self.scanner_configured:
            self.show_scanner()
        elif source == "scanner" and self.camera_configured:
            self.start_camera(note="capture.scanner_unavailable")
        else:
            self.use_camera()

    def stop(self) -> None:
        """Stops every worker and timer now: the preview ends within one bounded step, a scan is cancelled."""
        self._generation += 1
        self.previewing = False
        self._paused = False
        self._step_call = None
        for call in list(self._calls):
            call.cancel()
        self._calls.clear()
        if self._scanner is not None:
            self._scanner.cancel()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()
        self._camera = self._scanner = None
        self._set_busy(False)

    def wipe(self) -> None:
        """Session end: stop, drop every image and what the resident saw, back to an empty state."""
        self.stop()
        self._forget_pages()
        self.item = self.material = None
        self.identified_by_card = False
        self._update_heading()
        for pair in self._pairs():
            pair.clear()
        keep_made(self.review_title, None)
        self.pages.setCurrentWidget(self.camera_page)

    # --- device availability -------------------------------------------------------------------------

    @property
    def _devices(self) -> DeviceManager:
        return self.context.runtime.devices

    @property
    def camera_configured(self) -> bool:
        return self._devices.configured("camera")

    @property
    def scanner_configured(self) -> bool:
        return self._devices.configured("scanner")

    def _ensure_worker(self) -> DeviceWorker:
        if self._worker is None:
            self._worker = DeviceWorker("capture", self)
        return self._worker

    def _submit(self, fn: Callable[..., Any], on_done: Callable[[Any], None],
                on_failed: Callable[[BaseException], None], expected: ErrorTypes = ()) -> Call:
        worker = self._ensure_worker()
        generation = self._generation
        call = worker.submit(fn, expected=expected)
        self._calls.add(call)

        def done(value: object) -> None:
            self._calls.discard(call)
            if generation == self._generation:
                on_done(value)

        def failed(exc: object) -> None:
            self._calls.discard(call)
            if generation != self._generation:
                return
            if shown_as_bug(self, exc, self.context, "capture"):
                # No camera or scanner fault to explain: stop where we are, buttons usable under the notice.
                self._step_call = None
                self.previewing = False
                self.capture_button.setEnabled(True)
                self._set_busy(False)
                return
            on_failed(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

        call.finished.connect(done)
        call.failed.connect(failed)
        return call

    # --- camera ------------------------------------------------------------------------------------------

    def use_camera(self) -> None:
        if self.pages.currentWidget() is self.problem_page:
            # 重试 after a failure: a fresh session.
            self._drop_camera()
        if not self.camera_configured or reported_offline("camera", self._devices):
            self.show_problem("capture.camera_unavailable")
        else:
            self.start_camera()

    def _drop_camera(self) -> None:
        """After a failure: a fresh session on retry."""
        self.error = None
        self._camera = None

    def start_camera(self, note: str = "") -> None:
        """Shows the live preview and starts the chain of preview steps."""
        self._leave_scanner()
        if self._camera is None:
            self._camera = CameraSession(device_user("camera", self._devices),
                                         dpi=self.context.config.devices.camera.dpi)
        self.preview.clear()
        self.advice.show(*message("capture.starting"))
        if note:
            self.camera_note.show(*message(note), warn=True)
        else:
            self.camera_note.clear()
        self.capture_button.setEnabled(True)
        self.pages.setCurrentWidget(self.camera_page)
        self._update_heading()
        self.previewing = True
        self._submit_step()

    def _submit_step(self) -> None:
        camera = self._camera
        if not self.previewing or self._step_call is not None or camera is None:
            return
        if not self.isVisible():
            # Nobody looks: no frames until the widget is shown again.
            self._paused = True
            return
        self._paused = False
        self._step_call = self._submit(camera.step, self._on_step, self._on_step_failed)

    def _on_step(self, value: object) -> None:
        self._step_call = None
        if not isinstance(value, PreviewStep) or self.pages.currentWidget() is not self.camera_page:
            return
        if value.rgb is not None:
            self.preview.set_image(qimage_from_rgb(value.rgb))
            self.steps_shown += 1
        self.preview.set_progress(value.progress if value.outline_ok else 0.0)
        if self.previewing:
            self.advice.show(*message(value.advice), warn=not value.outline_ok and value.advice.startswith(
                "camera.quality.") and value.page_found)
            if value.long_search:
                self.camera_note.show(*message("capture.long_search"))
        if value.shot is not None and self.previewing:
            self.previewing = False
            self.show_review(value.shot)
            return
        self._submit_step()

    def _on_step_failed(self, exc: BaseException) -> None:
        self._step_call = None
        self.previewing = False
        self._camera_failed(exc)

    def _camera_failed(self, exc: BaseException) -> None:
        self.error = exc
        self.show_problem("capture.camera_unavailable")

    def capture_now(self) -> None:
        """拍照: a manual shot of the next frame (the auto-capture may not have liked the page)."""
        camera = self._camera
        if camera is None or self.pages.currentWidget() is not self.camera_page:
            return
        self.previewing = False
        self.capture_button.setEnabled(False)
        self._submit(camera.capture_now, self._on_manual, self._on_manual_failed)

    def _on_manual(self, value: object) -> None:
        self.capture_button.setEnabled(True)
        if isinstance(value, PageShot):
            self.show_review(value)

    def _on_manual_failed(self, exc: BaseException) -> None:
        self.capture_button.setEnabled(True)
        if isinstance(exc, (PageNotFound, CaptureRejected)):
            # Nothing worth reviewing: say what to fix and keep the preview going.
            self.advice.show(*message(exc.message_key), warn=True)
            self.previewing = True
            self._submit_step()
            return
        self._camera_failed(exc)

    # --- scanner -----------------------------------------------------------------------------------------

    def use_scanner(self) -> None:
        if self.scanner_configured:
            self.show_scanner()
        else:
            self.show_problem("capture.no_device")

    def show_scanner(self, error_key: str = "") -> None:
        self.previewing = False
        self.scanner_prompt.show(*message("capture.scanner_prompt"))
        if error_key:
            self.scanner_message.show(*message(error_key), warn=True)
            keep(self.scan_button, _CONTEXT, QT_TRANSLATE_NOOP("MaterialCapture", "重试 Try again"))
        else:
            self.scanner_message.clear()
            keep(self.scan_button, _CONTEXT, QT_TRANSLATE_NOOP("MaterialCapture", "开始扫描 Start scan"))
        self.scanner_camera_button.setVisible(self.camera_configured)
        self.pages.setCurrentWidget(self.scanner_page)
        self._update_heading()

    def start_scan(self) -> None:
        if self._scanner is None:
            self._scanner = ScannerSession(device_user("scanner", self._devices),
                                           resolution=self.context.config.devices.scanner.resolution)
        self.scanner_message.show(*message("capture.scanning"))
        self._set_busy(True)
        self._submit(self._scanner.scan, self._on_scanned, self._on_scan_failed)

    def _on_scanned(self, value: object) -> None:
        self._set_busy(False)
        if isinstance(value, PageShot):
            self.show_review(value)

    def _on_scan_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ScanCancelled) and self.pages.currentWidget() is not self.scanner_page:
            return
        self.error = exc
        self.show_scanner(scanner_message_key(exc))

    def _leave_scanner(self) -> None:
        if self._scanner is not None:
            self._scanner.cancel()

    # --- review ------------------------------------------------------------------------------------------

    def show_review(self, shot: PageShot) -> None:
        self.shot = shot
        self.error = None
        self.review_view.set_image(qimage_from_rgb(shot.review))
        number = len(self.shots) + 1
        keep_made(self.review_title, lambda: bilingual(self.tr("第 %n 页，请核对", "", number),
                                                       f"Page {number}: please check", "  "))
        if shot.ok:
            key = "capture.good" if shot.device == "camera" else "capture.scan_good"
            self.verdict.show(*message(key))
        else:
            zh, en = message("capture.poor" if shot.device == "camera" else "capture.poor_scan")
            advice = [message(k) for k in shot.advice]
            self.verdict.show(zh + "".join(a[0] for a in advice), en + " " + " ".join(a[1] for a in advice),
                              warn=True)
        self.use_button.show()
        self.add_page_button.show()
        camera = shot.device == "camera"
        keep(self.retake_button, _CONTEXT, QT_TRANSLATE_NOOP("MaterialCapture", "重拍 Retake") if camera
             else QT_TRANSLATE_NOOP("MaterialCapture", "重扫 Scan again"))
        keep(self.add_page_button, _CONTEXT, QT_TRANSLATE_NOOP("MaterialCapture", "再拍一页 Add a page") if camera
             else QT_TRANSLATE_NOOP("MaterialCapture", "再扫一页 Scan another page"))
        self.pages.setCurrentWidget(self.review_page)

    def retake(self) -> None:
        """Drops the page under review and goes back to where it came from."""
        shot, self.shot = self.shot, None
        self.review_view.clear()
        self._back_to_source(shot.device if shot is not None else "camera")

    def add_page(self) -> None:
        """Keeps the page and captures the next one of the same material."""
        if self.shot is None:
            return
        self.shots.append(self.shot)
        self.shot = None
        self.review_view.clear()
        self._back_to_source(self.shots[-1].device)

    def _back_to_source(self, device: str) -> None:
        if device == "scanner" and self.scanner_configured:
            self.show_scanner()
            return
        camera = self._camera
        if camera is not None:
            self._submit(camera.reset, lambda _: None, self._camera_failed)
        self.start_camera()

    def use_page(self) -> None:
        """使用此页: the pages so far and this one become the attachment (on the worker: encoding a PDF)."""
        if self.shot is None or self.item is None or self.material is None:
            return
        self.shots.append(self.shot)
        self.shot = None
        shots = list(self.shots)
        item, material, by_card = self.item, self.material, self.identified_by_card
        self.verdict.show(*message("capture.saving"))
        self._set_busy(True)
        self._submit(lambda: build_attachment(shots, item=item, material=material, identified_by_card=by_card),
                     self._on_attachment, self._on_attachment_failed, (MaterialError,))

    def _on_attachment(self, value: object) -> None:
        self._set_busy(False)
        if not isinstance(value, MaterialAttachment):
            return
        # The attachment holds the bytes now; the screen keeps no copy.
        self._forget_pages()
        self.verdict.show(*message("capture.good"))
        self.attached.emit(value)

    def _on_attachment_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error = exc
        # The last page is the one that did not fit: put it back under review, offer only a retake.
        self.shot = self.shots.pop() if self.shots else None
        key = exc.message_key if isinstance(exc, MaterialError) else "materials.unreadable"
        self.verdict.show(*message(key), warn=True)
        self.use_button.hide()
        self.add_page_button.hide()

    # --- problem, skip, back ---------------------------------------------------------------------------

    def show_problem(self, key: str) -> None:
        self.previewing = False
        self._leave_scanner()
        scanner = self.scanner_configured and not reported_offline("scanner", self._devices)
        if key == "capture.camera_unavailable" and not scanner:
            key = "capture.no_device" if not self.camera_configured else key
        self.problem.show(*message(key), warn=True)
        if key == "capture.no_device":
            self.problem_next.clear()
        else:
            self.problem_next.show(*message("capture.try_scanner" if scanner else "capture.ask_staff"))
        self.problem_scanner_button.setVisible(scanner)
        self.problem_retry_button.setVisible(self.camera_configured)
        self.pages.setCurrentWidget(self.problem_page)

    def skip(self) -> None:
        if self.material is None or not self.material.waivable:
            return
        self.stop()
        self._forget_pages()
        self.skip_requested.emit()

    def back(self) -> None:
        self.stop()
        self._forget_pages()
        self.cancelled.emit()

    # --- helpers -----------------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        for button in (self.scan_button, self.scanner_camera_button, self.scanner_skip_button, self.use_button,
                       self.add_page_button, self.retake_button):
            button.setEnabled(not busy)

    def _update_heading(self) -> None:
        """How many pages of this material are kept so far; the wizard's own title names the material."""
        count = len(self.shots)
        keep_made(self.heading, lambda: bilingual(self.tr("已拍 %n 页", "", count), f"{count} page(s) kept", " · ")
                  if count else "")
        self.heading.setVisible(bool(count))

    def _forget_pages(self) -> None:
        self.shots = []
        self.shot = None
        self.error = None
        self.preview.clear()
        self.review_view.clear()

    def _pairs(self) -> tuple[_MessagePair, ...]:
        return (self.advice, self.camera_note, self.scanner_prompt, self.scanner_message, self.verdict,
                self.problem, self.problem_next)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.previewing and self._paused:
            self._submit_step()


__all__ = ["MaterialCapture"]
