"""Renders kiosk screens to PNG files for the README and for looking at changes.

Run under Xvfb (scripts/services.sh starts one) or with QT_QPA_PLATFORM=offscreen:
    .venv/bin/python scripts/screenshot.py --out docs/screenshots [--elder]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.cli import _demo_config
from kiosk.config import Config
from kiosk.launch import LaunchOptions
from ui.app import create_main_window


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        window = create_main_window(LaunchOptions(config=_demo_config(Config()), data_dir=Path(data_dir), demo=True))
        window.resize(args.width, args.height)
        window.show()
        shots = {
            "home.png": lambda: window.set_elder_mode(False),
            "home-elder.png": lambda: window.status_strip.set_elder_mode(True),
            "coming-soon.png": lambda: window.open_service("declare"),
        }
        for name, step in shots.items():
            step()
            app.processEvents()
            window.grab().save(str(args.out / name))
            print(args.out / name)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
