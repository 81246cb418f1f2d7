"""Renders every step of the online declaration wizard (网上申报) to PNG, in normal and elder mode, and
prints how tall the main window wants to be on each (it must fit the terminal's 1280×800 screen).

Run on an X server (the real xcb platform, as on a terminal), e.g. a private Xvfb:
    Xvfb :77 -screen 0 1280x800x24 -nolisten tcp &
    DISPLAY=:77 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot_declare.py --out docs/screenshots
(or the one scripts/services.sh starts, or anywhere with QT_QPA_PLATFORM=offscreen). Uses the simulated
devices, a temporary data directory with the bundled sample catalogue and no platform; the done pages'
case number, the printed receipt and the printer fault are staged (the receipt never really prints).

Inside the materials step the capture widget is rendered as a resident sees it in the window: the live
preview of a page (simulated camera "scene:moving"), one lying partly outside the picture
("scene:cutoff"), the review of a captured page ("scene:still"), a camera that stops delivering
frames, and the scanner with no paper on the glass. The simulated devices are swapped in through the
device manager (`runtime.devices.apply`), the way the setup screen reassigns a device.

Writes declare-<step>.png / declare-<step>-elder.png, and declare-capture-<state>-normal.png /
-elder.png for the capture states; `--measure-only` just prints the sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication
from shots import demo_window, settle, shot_parser, start, wait

import ui.screens.declare.wizard
from drivers.camera.errors import CameraDisconnected
from drivers.camera.protocol import CameraInfo, Frame
from drivers.printer.errors import PrintJobFailed
from drivers.scanner.simulated import SimulatedScanner
from drivers.status import DeviceState, DeviceStatus
from kiosk.config import with_overrides
from kiosk.devices.demo_cards import DemoCards
from kiosk.devices.manager import CAMERA, SCANNER, DeviceSpec, specs_from_config
from kiosk.platform.errors import PlatformUnavailable
from kiosk.platform.models import CaseEvent, CaseState, CaseStatus
from kiosk.resident.declaration import CaseWait
from kiosk.resident.materials import attach
from kiosk.status import NetworkState
from ui.main_window import MainWindow
from ui.screens.declare.wizard import DeclareScreen
from ui.screens.progress import ProgressScreen

PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a form, three materials, one 容缺
FORM_VALUES = {"phone": "13912345678", "account_no": "12345678", "employer": "示例公司",
               "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
               "bank_account": "6222000011112222"}
CASE_NO = "ZJ330000202611270042"
CONTRACT = "购房合同或不动产权证书"  # required, not 容缺
INVOICE = "购房发票或契税完税凭证"  # 容缺: the capture offers 稍后补交


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


class Stage:
    """Walks one declaration through every step, a callable per step that leaves the screen showing it."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        self.app = app
        self.window = window
        self.screen: DeclareScreen | None = None

    def _s(self) -> DeclareScreen:
        assert self.screen is not None
        return self.screen

    def _card(self, placed: bool) -> None:
        """The demo's hand (F5 in `kiosk demo`) puts the ID card on the simulated reader or takes it."""
        runtime = self.window.context.runtime
        assert runtime is not None
        cards = DemoCards(runtime.devices)
        if cards.placed("idcard") != placed:
            cards.toggle("idcard")

    def identify(self) -> None:
        # The demo's reader starts empty: the page as a resident first sees it, waiting for a card.
        self._card(False)
        self.window.open_service("declare")
        screen = self.window.current_screen()
        assert isinstance(screen, DeclareScreen)
        self.screen = screen
        wait(self.app, lambda: screen.step == "identify" and "等待" in screen.identify_page.message.text())

    def identified(self) -> None:
        s = self._s()
        self._card(True)  # F5 in the demo: who was read shows, masked, until 下一步
        wait(self.app, lambda: s.resident is not None and s.step == "identify")

    def service(self) -> None:
        s = self._s()
        s.next()
        wait(self.app, lambda: s.step == "service")
        s.service_page.search_field.setText("公积金")
        s.service_page.refresh()
        s.choose_item(PURCHASE)

    def form(self) -> None:
        self._s().next()

    def form_keyboard(self) -> None:
        s = self._s()
        editor = s.form_page.editors["phone"]
        assert editor.line is not None
        editor.line.setFocus()
        s.form_page.keyboard.open_for(editor.line)
        editor.line.setText("1391234")  # half typed: its message shows under it

    def form_missing(self) -> None:
        s = self._s()
        s.form_page.keyboard.close_keyboard()
        s.form_page.editors["phone"].line.setText("")  # type: ignore[union-attr]
        s.next()

    def materials(self) -> None:
        s = self._s()
        for field_id, value in FORM_VALUES.items():
            line = s.form_page.editors[field_id].line
            assert line is not None
            line.setText(value)
        next(iter(s.form_page.editors["reason"].choices.values())).click()
        s.next()
        assert s.step == "materials", s.step

    # --- the capture widget inside the materials step -------------------------------------------------

    def _devices(self) -> Any:
        runtime = self.window.context.runtime
        assert runtime is not None
        return runtime.devices

    def _use_camera(self, spec: DeviceSpec) -> None:
        self._devices().apply(CAMERA, spec)

    def _scene(self, scene: str) -> DeviceSpec:
        config = with_overrides(self.window.context.config, **{"devices.camera": {"source": f"scene:{scene}"}})
        return specs_from_config(config, self.window.context.data_dir)["camera"]

    def _capture(self, material_name: str, source: str = "camera") -> Any:
        s = self._s()
        if s.materials_page.in_capture:
            s.materials_page.stop_capture()
        declaration = s.declaration
        assert declaration is not None
        material = next(m for m in declaration.item.materials if m.name == material_name)
        s.materials_page.start_capture(material, source)
        return s.materials_page.capture

    def _live_preview(self, scene: str) -> None:
        self._use_camera(self._scene(scene))
        capture = self._capture(INVOICE)
        start = capture.preview.frames_shown
        wait(self.app, lambda: capture.preview.frames_shown >= start + 6)
        capture.stop()  # freeze the last frame with its outline and advice

    def capture_preview(self) -> None:
        self._live_preview("moving")

    def capture_preview_cutoff(self) -> None:
        self._live_preview("cutoff")

    def capture_review(self) -> None:
        self._use_camera(self._scene("still"))
        capture = self._capture(CONTRACT)
        wait(self.app, lambda: capture.pages.currentWidget() is capture.review_page)
        capture.stop()

    def capture_camera_failed(self) -> None:
        self._use_camera(DeviceSpec(DisconnectedCamera, lambda camera: camera.status()))
        capture = self._capture(INVOICE)
        wait(self.app, lambda: capture.pages.currentWidget() is capture.problem_page)

    def capture_scanner(self) -> None:
        self._use_camera(self._scene("still"))
        self._devices().apply(SCANNER, DeviceSpec(lambda: SimulatedScanner(document_on_glass=False),
                                                    lambda scanner: scanner.status()))
        self._capture(CONTRACT, "scanner")

    def capture_scanner_empty(self) -> None:
        capture = self._s().materials_page.capture
        capture.start_scan()
        wait(self.app, lambda: capture.error is not None)

    def _restore_devices(self) -> None:
        s = self._s()
        s.materials_page.stop_capture()
        specs = specs_from_config(self.window.context.config, self.window.context.data_dir)
        self._devices().apply(CAMERA, specs["camera"])
        self._devices().apply(SCANNER, specs["scanner"])

    def materials_refused(self) -> None:
        self._s().next()  # required materials missing: named, and the list scrolls to the first

    def materials_done(self) -> None:
        if self._s().materials_page.in_capture:
            self._restore_devices()
        s = self._s()
        declaration = s.declaration
        assert declaration is not None
        for material in declaration.item.materials:
            row = s.materials_page.row_for(material.name)
            if row.row.capturable and not material.waivable and row.row.blocking:
                declaration.attach(attach(_jpeg(), item=declaration.item, material=material.name,
                                          device="camera", captured_at=_now(), identified_by_card=True))
            elif row.skip_button is not None:
                s.materials_page.waive(material)
        s.materials_page.refresh()

    def delivery(self) -> None:
        self._s().next()

    def review(self) -> None:
        self._s().next()

    def submit_failed(self) -> None:
        s = self._s()
        s.store_error = RuntimeError("staged")
        s.submit_page.failed()
        s.show_step("submit")

    def done_online(self) -> None:
        s = self._s()
        s.store_error = None
        s.show_step("review")
        s.start_submit()
        wait(self.app, lambda: s.step == "done" and "case" not in s._calls)

    def done_offline(self) -> None:
        self._s()._on_case(CaseWait(None, NetworkState.DISABLED))

    def done_printed(self) -> None:
        s = self._s()
        s._stop("print")
        s._on_printed(None)  # the page stays: 请取走回执和您的卡片, 评价服务 and 完成

    def done_print_failed(self) -> None:
        self._s()._on_print_failed(PrintJobFailed(7, "aborted", "paper jam"))

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        """The declaration from card to receipt (the capture widget stays unopened: see capture_steps)."""
        return [("identify", self.identify), ("identified", self.identified), ("service", self.service),
                ("form", self.form), ("form-keyboard", self.form_keyboard), ("form-missing", self.form_missing),
                ("materials", self.materials), ("materials-refused", self.materials_refused),
                ("materials-done", self.materials_done),
                ("delivery", self.delivery), ("review", self.review), ("submit-failed", self.submit_failed),
                ("done-online", self.done_online), ("done-offline", self.done_offline),
                ("done-printed", self.done_printed), ("done-print-failed", self.done_print_failed)]

    def capture_steps(self) -> list[tuple[str, Callable[[], None]]]:
        """A second declaration up to its materials step, then the capture widget's states there. A
        name starting with "_" is a step on the way, not saved. A walk of its own because once the
        capture has been open the materials step keeps the capture's height (see the report)."""
        return [("_identify", self.identify), ("_identified", self.identified), ("_service", self.service),
                ("_form", self.form),
                ("_materials", self.materials),
                ("capture-preview", self.capture_preview), ("capture-preview-cutoff", self.capture_preview_cutoff),
                ("capture-review", self.capture_review), ("capture-camera-failed", self.capture_camera_failed),
                ("capture-scanner", self.capture_scanner), ("capture-scanner-empty", self.capture_scanner_empty),
                ("_back-to-list", self._restore_devices)]


class ProgressStage:
    """The progress query (办件查询) of a declaration this terminal sent: the number typed, the platform's
    answer, the status kept here when the platform is down, and a receipt scan that failed."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        self.app = app
        self.window = window
        self.screen: ProgressScreen | None = None
        runtime = window.context.runtime
        assert runtime is not None
        outbox = runtime.cache.outbox
        item = outbox.add_submission(PURCHASE, {}, {})
        outbox.mark_sending(item.uuid)
        outbox.mark_accepted(item.uuid, CASE_NO)
        self.receipt_no = item.receipt_no
        t0 = dt.datetime(2026, 11, 26, 1, 30, tzinfo=dt.UTC)
        self.live = CaseStatus(CASE_NO, item.receipt_no, PURCHASE, CaseState.IN_PROGRESS, t0,
                               t0 + dt.timedelta(hours=26),
                               (CaseEvent(CaseState.RECEIVED, t0, ""),
                                CaseEvent(CaseState.ACCEPTED, t0 + dt.timedelta(hours=3), "材料齐全"),
                                CaseEvent(CaseState.IN_PROGRESS, t0 + dt.timedelta(hours=26), "")))

    def _s(self) -> ProgressScreen:
        assert self.screen is not None
        return self.screen

    def _query(self, client: StagedPlatform) -> None:
        s = self._s()
        s.query_another()
        s.number_field.setText(self.receipt_no)
        s.client_factory = lambda: client
        s.query()
        wait(self.app, lambda: not s._querying)

    def entry(self) -> None:
        self.window.open_service("progress")
        screen = self.window.current_screen()
        assert isinstance(screen, ProgressScreen)
        self.screen = screen
        screen.wipe()
        screen.number_field.setText(self.receipt_no)

    def result_online(self) -> None:
        self._query(StagedPlatform(self.live))

    def result_offline(self) -> None:
        self._query(StagedPlatform(error=PlatformUnavailable("staged: down", code="connection_error")))

    def not_found(self) -> None:
        s = self._s()
        s.query_another()
        s.number_field.setText("T0001-00012")  # a digit short, and no platform to ask
        s.client_factory = lambda: None
        s.query()
        wait(self.app, lambda: not s._querying)

    def scanning(self) -> None:
        s = self._s()
        s.query_another()
        shown = s.scan_view.frames_shown
        s.start_scan()  # the simulated document camera: its live picture, the seconds left
        wait(self.app, lambda: s.scan_view.frames_shown >= shown + 3)

    def scan_failed(self) -> None:
        s = self._s()
        s._stop_scan()
        s.query_another()
        runtime = self.window.context.runtime
        assert runtime is not None
        # The receipt is read through the document camera: one whose cable is out.
        runtime.devices.apply(CAMERA, DeviceSpec(DisconnectedCamera, lambda camera: camera.status()))
        s.start_scan()
        wait(self.app, lambda: not s._scan_worker.running and s.message.isVisible())
        runtime.devices.apply(CAMERA, specs_from_config(self.window.context.config,
                                                          self.window.context.data_dir)["camera"])

    def end(self) -> None:
        self._s().wipe()
        self.window.go_home()
        settle(self.app)

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("entry", self.entry), ("result-online", self.result_online),
                ("result-offline", self.result_offline), ("not-found", self.not_found),
                ("scanning", self.scanning), ("scan-failed", self.scan_failed)]


class StagedPlatform:
    """The platform's case lookup: a fixed answer, or down."""

    def __init__(self, status: CaseStatus | None = None, error: Exception | None = None) -> None:
        self.status, self.error = status, error

    def get_case(self, number: str) -> CaseStatus:
        if self.error is not None or self.status is None:
            raise self.error or PlatformUnavailable("staged", code="connection_error")
        return self.status

    def close(self) -> None:
        pass


class DisconnectedCamera:
    """A document camera whose cable is out: it opens, and every frame read says it is gone."""

    info = CameraInfo("staged", "staged", 1920, 1080)

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
        raise CameraDisconnected("staged: camera unplugged")


def file_name(step: str, mode: str) -> str:
    """declare-<step>.png / -elder.png; the capture states are named -normal / -elder."""
    if step.startswith("capture-"):
        return f"declare-{step}-{mode}.png"
    return f"declare-{step}{'' if mode == 'normal' else '-elder'}.png"


def _now() -> Any:
    return dt.datetime.now(dt.UTC)


def _staged_case(*_args: object, **_kwargs: object) -> CaseWait:
    return CaseWait(CASE_NO, NetworkState.ONLINE)


def _held_print(_request: object, _config: object, _data_dir: object, cancel: threading.Event) -> object:
    cancel.wait()  # "printing…" until the wizard is wiped
    return None


def measure(window: MainWindow) -> str:
    screen = window.current_screen()
    page_min = ""
    if isinstance(screen, DeclareScreen):
        hint = screen.page_for[screen.step].minimumSizeHint()
        page_min = f" page_min={hint.width()}x{hint.height()} page_area={screen.pages.width()}x{screen.pages.height()}"
    minimum, wanted = window.minimumSizeHint(), window.sizeHint()
    return (f"window={window.width()}x{window.height()} min={minimum.width()}x{minimum.height()}"
            f" hint={wanted.width()}x{wanted.height()}{page_min}")


def main() -> int:
    parser = shot_parser(__doc__)
    parser.add_argument("--measure-only", action="store_true", help="print the sizes, write no PNG")
    app, args = start(parser)
    setattr(ui.screens.declare.wizard, "await_case", _staged_case)  # noqa: B010 - staged, see the docstring
    setattr(ui.screens.declare.wizard, "_print_receipt", _held_print)  # noqa: B010
    with demo_window(args.width, args.height) as (window, _runtime):
        stage = Stage(app, window)
        progress = ProgressStage(app, window)
        grew: list[str] = []

        def render(name: str, mode: str, step: Callable[[], None], file: str) -> None:
            step()
            window.resize(args.width, args.height)
            settle(app)
            print(f"{name:22} {mode:6} {measure(window)}")
            if (window.width(), window.height()) != (args.width, args.height):
                grew.append(f"{name} ({mode}): {window.width()}x{window.height()}")
            if not args.measure_only and not name.startswith("_"):
                window.grab().save(str(args.out / file))

        def end_declaration() -> None:
            if stage.screen is not None:
                stage.screen.wipe()
                window.go_home()
                settle(app)

        try:
            for mode in ("normal", "elder"):
                window.status_strip.set_elder_mode(mode == "elder")
                for name, step in stage.steps():
                    render(name, mode, step, file_name(name, mode))
                end_declaration()
                for name, step in progress.steps():
                    render(f"progress-{name}", mode, step, f"progress-{name}-{mode}.png")
                progress.end()
                # Last: after the capture the materials step keeps its height (printed as a warning).
                for name, step in stage.capture_steps():
                    render(name, mode, step, file_name(name, mode))
                end_declaration()
            for line in grew:
                print(f"WARNING: the window grew past {args.width}x{args.height}: {line}", file=sys.stderr)
        finally:
            if stage.screen is not None:
                stage.screen.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
