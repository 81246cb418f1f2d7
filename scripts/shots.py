"""What the screenshot scripts share: their command line, the demo window they render, and waiting for
the screens (imported as `shots`: the scripts run as `python scripts/<name>.py`, which puts this folder
first on the path)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config
from kiosk.runtime import KioskRuntime, demo_config, ensure_catalog
from ui.app import create_main_window
from ui.main_window import MainWindow
from ui.screen_fit import orientation_for


def shot_parser(description: str | None) -> argparse.ArgumentParser:
    """--out, --width and --height; a script adds its own options before `start`."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    return parser


def start(parser: argparse.ArgumentParser) -> tuple[QApplication, argparse.Namespace]:
    """The parsed command line, the application, and the output folder made."""
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    return app, args


@contextmanager
def demo_window(width: int, height: int) -> Iterator[tuple[MainWindow, KioskRuntime]]:
    """The kiosk as `kiosk demo` starts it, on a temporary data directory with the bundled sample
    catalogue, shown at width × height; closed with its runtime afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        config = demo_config(Config())
        runtime = KioskRuntime(config, Path(tmp))
        ensure_catalog(runtime.cache)
        window = create_main_window(LaunchOptions(config=config, data_dir=Path(tmp), demo=True), runtime)
        window.resize(width, height)
        # As the screen fit would on a screen of that shape: 1080×1920 renders the portrait layouts.
        window.set_orientation(orientation_for("auto", QSize(width, height)))
        window.show()
        try:
            yield window, runtime
        finally:
            window.close()
            runtime.close()


def settle(app: QApplication, rounds: int = 6) -> None:
    for _ in range(rounds):
        app.processEvents()


def wait(app: QApplication, condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there")
        app.processEvents()
        time.sleep(0.01)
