"""Renders the kiosk's screens to PNG files, in normal and elder mode, for the README and for looking.

Run on the X server the test services start (the real xcb platform, as on a terminal):
    bash scripts/services.sh start && set -a && . .run/env && set +a
    QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot.py --out docs/screenshots
or anywhere with QT_QPA_PLATFORM=offscreen. Uses simulated devices and a temporary data directory
with the bundled sample catalogue. States that need a device to act (a print in progress, a card
being read) are rendered by the screens' own tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.cli.launch import LaunchOptions
from kiosk.config import Config
from kiosk.runtime import KioskRuntime, demo_config, ensure_catalog
from ui.app import create_main_window
from ui.main_window import MainWindow


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _steps(window: MainWindow) -> list[tuple[str, Callable[[], None]]]:
    def guide_search() -> None:
        window.open_service("guide")
        field = window.findChild(QLineEdit, "guide_search_field")
        if field is not None:
            field.setText("sfz")

    def guide_detail() -> None:
        cache = window.context.runtime.cache if window.context.runtime else None
        hits = cache.search.search("sfz", limit=1) if cache else []
        if hits:
            window.navigate("guide_detail", hits[0].code)

    return [
        ("home", window.go_home),
        ("guide-list", guide_search),
        ("guide-detail", guide_detail),
        ("forms-list", lambda: window.open_service("forms")),
        ("help", window.open_help),
        ("attract", lambda: window.navigate("attract")),
        ("coming-soon", lambda: window.open_service("declare")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = demo_config(Config())
        runtime = KioskRuntime(config, Path(tmp))
        ensure_catalog(runtime.cache)
        window = create_main_window(LaunchOptions(config=config, data_dir=Path(tmp), demo=True), runtime)
        window.resize(args.width, args.height)
        window.show()
        try:
            for mode in ("normal", "elder"):
                window.status_strip.set_elder_mode(mode == "elder")
                for name, step in _steps(window):
                    step()
                    _settle(app)
                    suffix = "" if mode == "normal" else "-elder"
                    path = args.out / f"{name}{suffix}.png"
                    window.grab().save(str(path))
                    print(path)
        finally:
            window.close()
            runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
