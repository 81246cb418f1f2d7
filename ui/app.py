"""Starts the Qt application: one `QApplication`, the main window, and the event loop."""

from __future__ import annotations

import logging
import os
import signal
import sys
from contextlib import ExitStack

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication

from kiosk import crash
from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config
from kiosk.devices.demo_cards import DemoCards
from kiosk.runtime import KioskRuntime, SetupError
from kiosk.watchdog import Notifier
from ui.accessible import install_scroll_area_interfaces
from ui.context import AppContext
from ui.crash import BugExit, qt_messages_logged
from ui.demo_cards import install_demo_card_keys
from ui.device_bridge import DeviceBridge
from ui.i18n import set_language
from ui.lockdown import apply_lockdown, cursor_setting
from ui.main_window import MainWindow
from ui.screen_fit import ScreenFit
from ui.session_ui import install_session
from ui.startup import Startup
from ui.sync_bridge import SyncBridge
from ui.voice import install_voice

log = logging.getLogger("kiosk.ui")


def _has_display() -> bool:
    return bool(os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def create_main_window(options: LaunchOptions, runtime: KioskRuntime) -> MainWindow:
    """Builds the window for the given options; the caller shows it. Tests use this directly."""
    install_scroll_area_interfaces()
    context = AppContext(config=options.config, data_dir=options.data_dir, runtime=runtime,
                         config_path=options.config_path)
    window = MainWindow(options.config, context=context)
    if not window.font_family:
        log.info("no CJK font found; install fonts-noto-cjk so Chinese text renders")
    return window


def show_main_window(window: MainWindow, config: Config) -> None:
    """Shows the window as `kiosk run` and `kiosk demo` do: the whole screen, or a window of the configured
    size cut to the screen (ui/screen_fit.py); the screens take the layout for the screen's shape."""
    fit = ScreenFit(window, fullscreen=config.ui.fullscreen, layout=config.ui.layout,
                    size=QSize(config.ui.width, config.ui.height))
    fit.orientation_changed.connect(window.set_orientation)
    fit.show()


def run_app(options: LaunchOptions) -> int:
    """Runs the kiosk until the window closes; returns the process exit code."""
    if not _has_display():
        # Without a display Qt aborts the whole process with a cryptic message; say what to do instead.
        print(  # noqa: T201 - before Qt starts, stderr is the only place a person will look
            "没有可用的显示器 / no display: run on a desktop, under Xvfb (xvfb-run kiosk demo), "
            "or set QT_QPA_PLATFORM=offscreen",
            file=sys.stderr,
        )
        return 4
    try:
        runtime = KioskRuntime(options.config, options.data_dir)
    except SetupError as exc:
        print(f"无法启动 / cannot start: {exc}", file=sys.stderr)  # noqa: T201 - no window to show it in yet
        return 3
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    # From here until the runtime is closed, Qt's warnings land in the kiosk log.
    handlers = ExitStack()
    handlers.enter_context(qt_messages_logged())
    app.setApplicationName("gov-kiosk")
    app.setApplicationDisplayName("政务服务自助终端")
    set_language(options.config.terminal.language)
    window = create_main_window(options, runtime)
    session = install_session(window)
    runtime.cards.add_listener(session.card_changed.emit)
    install_voice(window)
    if options.demo:
        install_demo_card_keys(window, DemoCards(runtime.devices))
    bridge = SyncBridge(runtime.sync, window)
    bridge.status_changed.connect(window.show_sync_status)
    window.show_sync_status(runtime.sync.status())
    device_bridge = DeviceBridge(runtime.devices, window)
    device_bridge.statuses_changed.connect(window.show_device_status)
    runtime.start()
    config = options.config
    # Residents get no way out of `kiosk run`; `kiosk demo` (even --fullscreen) stays an ordinary window.
    locked = config.ui.fullscreen and not options.demo
    lockdown = apply_lockdown(window, hide_cursor=cursor_setting(config.ui.hide_cursor)) if locked else None
    startup = Startup(window, Notifier(), self_test=options.self_test)
    app.aboutToQuit.connect(startup.stop)
    crash.install()  # done by `kiosk` already; here too for a caller that starts the screen itself
    if not options.demo:
        # A bug on the GUI thread: log it (kiosk.crash), then a fresh process rather than a screen in
        # a state nobody planned. `kiosk demo` logs it and carries on, for whoever is trying it out.
        handlers.enter_context(crash.on_uncaught(BugExit(startup.notifier, window)))
    show_main_window(window, config)
    # Ctrl-C in a terminal quits cleanly. Python only runs signal handlers between bytecodes, so a
    # timer wakes the interpreter now and then while Qt's loop is blocked in C++.
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    # systemd stops the kiosk with SIGTERM: quit the loop so the lock-down lets go, the window closes
    # and the runtime finishes its work, instead of dying mid-write.
    previous_term = signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    try:
        code = app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
        startup.stop()
        if lockdown is not None:
            lockdown.release()
        window.close()
        window.deleteLater()
        runtime.close()
        handlers.close()
    # After runtime.close(): an error its threads log while finishing still fails the self-test.
    return startup.verdict(code) if options.self_test else code
