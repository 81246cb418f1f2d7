"""Renders every step of the online declaration wizard (网上申报) to PNG, in normal and elder mode, and
prints how tall the main window wants to be on each (it must fit the terminal's 1280×800 screen).

Run on the X server the test services start (the real xcb platform, as on a terminal):
    bash scripts/services.sh start && set -a && . .run/env && set +a
    QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot_declare.py --out docs/screenshots
or anywhere with QT_QPA_PLATFORM=offscreen. Uses the simulated ID card, a temporary data directory with
the bundled sample catalogue and no platform; the done pages' case number and printer fault are staged
(the receipt never really prints). The material capture widget is not rendered: the materials list is.
Writes declare-<step>.png and declare-<step>-elder.png; `--measure-only` just prints the sizes.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

import ui.screens.declare
from drivers.printer.errors import PrintJobFailed
from kiosk.cli import _demo_config
from kiosk.config import Config
from kiosk.declaration import CaseWait
from kiosk.launch import LaunchOptions
from kiosk.materials import attach
from kiosk.runtime import KioskRuntime, ensure_catalog
from kiosk.status import NetworkState
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screens.declare import DeclareScreen

PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: a form, three materials, one 容缺
FORM_VALUES = {"phone": "13912345678", "account_no": "12345678", "employer": "示例公司",
               "house_address": "杭州市西湖区某小区1幢", "amount": "100000", "bank_name": "示例银行",
               "bank_account": "6222000011112222"}
CASE_NO = "ZJ330000202611270042"


def settle(app: QApplication, rounds: int = 6) -> None:
    for _ in range(rounds):
        app.processEvents()


def wait(app: QApplication, condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there")
        app.processEvents()
        time.sleep(0.01)


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

    def identify(self) -> None:
        self.window.open_service("declare")
        screen = self.window.current_screen()
        assert isinstance(screen, DeclareScreen)
        self.screen = screen
        wait(self.app, lambda: screen.step == "service")
        # The simulated card reads at once: show the page as a resident first sees it.
        screen.identify_page.waiting()
        screen.show_step("identify", read=False)

    def service(self) -> None:
        s = self._s()
        s.show_step("service")
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

    def materials_done(self) -> None:
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

    def done_print_failed(self) -> None:
        self._s()._on_print_failed(PrintJobFailed(7, "aborted", "paper jam"))

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("identify", self.identify), ("service", self.service), ("form", self.form),
                ("form-keyboard", self.form_keyboard), ("form-missing", self.form_missing),
                ("materials", self.materials), ("materials-done", self.materials_done),
                ("delivery", self.delivery), ("review", self.review), ("submit-failed", self.submit_failed),
                ("done-online", self.done_online), ("done-offline", self.done_offline),
                ("done-print-failed", self.done_print_failed)]


def _now() -> Any:
    import datetime as dt

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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--measure-only", action="store_true", help="print the sizes, write no PNG")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    setattr(ui.screens.declare, "await_case", _staged_case)  # noqa: B010 - staged, see the docstring
    setattr(ui.screens.declare, "_print_receipt", _held_print)  # noqa: B010
    with tempfile.TemporaryDirectory() as tmp:
        config = _demo_config(Config())
        runtime = KioskRuntime(config, Path(tmp))
        ensure_catalog(runtime.cache)
        window = create_main_window(LaunchOptions(config=config, data_dir=Path(tmp), demo=True), runtime)
        window.resize(args.width, args.height)
        window.show()
        stage = Stage(app, window)
        try:
            for mode in ("normal", "elder"):
                window.status_strip.set_elder_mode(mode == "elder")
                for name, step in stage.steps():
                    step()
                    window.resize(args.width, args.height)
                    settle(app)
                    suffix = "" if mode == "normal" else "-elder"
                    print(f"{name:18} {mode:6} {measure(window)}")
                    if not args.measure_only:
                        window.grab().save(str(args.out / f"declare-{name}{suffix}.png"))
                if stage.screen is not None:
                    stage.screen.wipe()
                    window.go_home()
                    settle(app)
        finally:
            if stage.screen is not None:
                stage.screen.shutdown()
            window.close()
            runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
