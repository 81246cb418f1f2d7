"""Renders the technician's screens to PNG, in normal and elder mode, in the 1280×800 main window: the
PIN pad (four digits typed, and locked after five wrong PINs) and the setup screen's pages (设备 Devices
with a reader found and tested, 终端 Terminal, 同步 Sync with rejected submissions and its export panel,
日志 Logs with its export folder typed).

Run on an X server (the real xcb platform, as on a terminal), e.g. a private Xvfb:
    Xvfb :77 -screen 0 1280x800x24 -nolisten tcp &
    DISPLAY=:77 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot_setup.py --out docs/screenshots
(or anywhere with QT_QPA_PLATFORM=offscreen). Uses simulated devices and a temporary data directory with
sample data: a set PIN, an outbox with two rejected submissions, a log file and audit lines. The
discovered serial ports and the card test's outcome are staged (a terminal's real ports differ).

Writes setup-pin-<mode>.png, setup-pin-locked-<mode>.png (mode: normal, elder) and
setup-<page>.png / setup-<page>-elder.png for devices, terminal, sync, sync-export, logs, logs-export.
A state whose window grows past --width × --height is printed as a WARNING and saved cut to that size,
as the terminal's screen would show it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from shots import shot_parser, start

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config, with_overrides
from kiosk.devices.discovery import Candidate, Discovery
from kiosk.runtime import KioskRuntime, demo_config
from kiosk.technician.audit import audit_log_for
from kiosk.technician.device_tests import TestOutcome
from kiosk.technician.pin import Outcome, TechnicianPin
from ui.app import create_main_window
from ui.main_window import MainWindow

PIN = "480713"
USB_DRIVE = "/media/kiosk/KINGSTON"


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Lets workers answer and the window paint (the pages read files on their worker threads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def seed(runtime: KioskRuntime, data_dir: Path) -> None:
    """What a terminal that has run a while holds: rejected submissions, a pending one, a log, audit lines."""
    outbox = runtime.cache.outbox
    rejected = (("330100-SHENGYU-01", "材料不全：缺少出生医学证明 / missing attachment: birth certificate"),
                ("330100-JUZHU-02", "HTTP 422: service_code 330100-JUZHU-02 is not accepted in region 330100"))
    for code, reason in rejected:
        item = outbox.add_submission(code, {"copies": 1}, {"name": "张三"})
        outbox.mark_sending(item.uuid)
        outbox.mark_rejected(item.uuid, reason)
    outbox.add_rating({"grade": 5})
    outbox.add_submission("330100-X", {}, {})
    now = datetime.now(UTC)
    runtime.cache.sync_state.record_contact(now - timedelta(minutes=42), clear_error=False)
    runtime.cache.sync_state.record_error("平台无应答 / platform did not answer (timeout after 15 s)",
                                          now - timedelta(minutes=3))
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    lines = []
    for i in range(300):
        stamp = f"2026-11-27 14:{i // 60:02d}:{i % 60:02d}"
        if i % 3:
            lines.append(f"{stamp},123 INFO    kiosk.platform.sync: sync: platform not reachable (unavailable); "
                         "will retry with backoff\n")
        else:
            lines.append(f"{stamp},456 INFO    kiosk.devices.manager: idcard: reader ready on /dev/ttyUSB0 "
                         "(115200 baud)\n")
    (logs / "kiosk.log").write_text("".join(lines), "utf-8")
    audit = audit_log_for(data_dir)
    audit.record("pin.accepted")
    audit.record("config.written", key="devices.idcard.port")


class Stage:
    """A callable per state that leaves the window showing it."""

    def __init__(self, app: QApplication, window: MainWindow, data_dir: Path) -> None:
        self.app = app
        self.window = window
        self.data_dir = data_dir

    def _screen(self) -> Any:
        return self.window.current_screen()

    def pin(self) -> None:
        self.window.navigate("setup_pin")
        screen = self._screen()
        for digit in PIN[:4]:
            screen.add_digit(digit)

    def pin_locked(self) -> None:
        # Five wrong PINs in a row, as at the pad: the store locks it and the pad shows the countdown.
        store = TechnicianPin(self.data_dir)
        while store.verify("000000").outcome is not Outcome.LOCKED:
            pass
        self.window.navigate("setup_pin")

    def _unlock(self) -> None:
        # The lock lives with the hash: setting the PIN again is how a technician clears it.
        TechnicianPin(self.data_dir).set_pin(PIN)

    def _page(self, key: str) -> Any:
        self._unlock()
        if self.window.current_screen() is not self.window.screen_named("setup"):
            self.window.navigate("setup", key)
        setup = self._screen()
        setup.show_page(key)
        return setup.pages[key]

    def devices(self) -> None:
        page = self._page("devices")
        # Staged: what discovery finds on a terminal with a USB serial reader, and a passed card test.
        page.candidates["idcard"] = Discovery("idcard", (
            Candidate("/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0",
                      "/dev/ttyUSB0 · USB Serial · USB VID:PID=1A86:7523", "serial"),
            Candidate("/dev/ttyS0", "", "serial"),
            Candidate("", "模拟读卡器 / simulated reader (demo card)", "simulated")), ())
        page.select_role("idcard")
        page.choose(page.candidates["idcard"].candidates[0])
        page._on_tested("idcard", TestOutcome(True, "读卡成功", "Card read.",
                                              {"name": "**样例", "id_number": "330106********0014"}))

    def terminal(self) -> None:
        self._page("terminal")

    def sync(self) -> None:
        page = self._page("sync")
        page.export_toggle.setChecked(False)

    def sync_export(self) -> None:
        page = self._screen().pages["sync"]
        page.export_toggle.setChecked(True)
        page.chooser.path_field.setText(USB_DRIVE)

    def logs(self) -> None:
        page = self._page("logs")
        page.chooser.keyboard_button.setChecked(False)
        page.chooser.path_field.setText("")

    def logs_export(self) -> None:
        page = self._screen().pages["logs"]
        page.chooser.keyboard_button.setChecked(True)
        page.chooser.path_field.setText(USB_DRIVE)

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("pin", self.pin), ("pin-locked", self.pin_locked), ("devices", self.devices),
                ("terminal", self.terminal), ("sync", self.sync), ("sync-export", self.sync_export),
                ("logs", self.logs), ("logs-export", self.logs_export)]


def file_name(step: str, mode: str) -> str:
    """The PIN pad's files are named -normal / -elder, the pages' <page>.png / <page>-elder.png."""
    if step.startswith("pin"):
        return f"setup-{step}-{mode}.png"
    return f"setup-{step}{'' if mode == 'normal' else '-elder'}.png"


def main() -> int:
    app, args = start(shot_parser(__doc__))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        config = with_overrides(demo_config(Config()), platform={"token_file": "platform.token"})
        token = data_dir / "platform.token"
        token.write_text("tok-0123456789abcdef\n")
        token.chmod(0o600)
        runtime = KioskRuntime(config, data_dir)
        runtime.devices.poll_once()
        seed(runtime, data_dir)
        TechnicianPin(data_dir).set_pin(PIN)
        window = create_main_window(LaunchOptions(config=config, data_dir=data_dir, demo=True), runtime)
        window.resize(args.width, args.height)
        window.show()
        stage = Stage(app, window, data_dir)
        grew: list[str] = []
        try:
            for mode in ("normal", "elder"):
                window.status_strip.set_elder_mode(mode == "elder")
                for name, step in stage.steps():
                    step()
                    # Twice: opening a keyboard grows the window for a moment, before a page makes room.
                    for _ in range(2):
                        window.resize(args.width, args.height)
                        settle(app)
                    size = f"{window.width()}x{window.height()}"
                    minimum = window.minimumSizeHint()
                    print(f"{name:12} {mode:6} window={size} min={minimum.width()}x{minimum.height()}")
                    if (window.width(), window.height()) != (args.width, args.height):
                        grew.append(f"{name} ({mode}): {size}")
                    # What a 1280×800 screen shows: a window grown past it is cut off at its edge.
                    window.grab(QRect(0, 0, args.width, args.height)).save(str(args.out / file_name(name, mode)))
                setup: Any = window.screen_named("setup")
                setup.leave()
                settle(app)
            for line in grew:
                print(f"WARNING: the window grew past {args.width}x{args.height}: {line}", file=sys.stderr)
        finally:
            setup = window.screen_named("setup")
            setup.shutdown()
            window.wipe_screens()
            window.close()
            runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
