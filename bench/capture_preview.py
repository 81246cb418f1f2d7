"""Document-camera preview benchmark: how many preview frames a second reach the screen.

The simulated camera renders a 1920×1080 scene at 30 fps in real time, as a document camera delivers
frames. Measured:

1. `CameraSession.step()` alone (kiosk/resident/capture.py, no Qt): one bounded preview step (read the
   newest frame, find the page, judge steadiness and quality, draw the outline) — steps per second;
2. the capture widget on screen (ui/widgets/material_capture.py, offscreen Qt): preview frames shown per
   second while the worker thread re-submits steps, which is what the resident sees.

perf-baselines: OpenCV's page detection on a 640-px working copy takes a few ms; the floor is the
camera's own 30 fps. Target: at least 8 frames a second on screen (a page sliding into place looks
continuous, the outline follows it).

Run:
    .venv/bin/python bench/capture_preview.py                  # scene:moving, 5 s + 10 s
    .venv/bin/python bench/capture_preview.py --scene scene:still --seconds 5
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="scene:moving", help="simulated camera source (scene:moving, scene:still …)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to watch the widget (10)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of about 3 s")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 2.0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from kiosk.config import config_from_mapping, sample_catalog_path
    from kiosk.resident.capture import CameraSession, device_user
    from kiosk.runtime import KioskRuntime
    from ui.context import AppContext
    from ui.widgets.material_capture import Material, MaterialCapture, ServiceItem

    app = QApplication([])
    config = config_from_mapping({"devices": {"camera": {"backend": "simulated", "source": args.scene},
                                              "scanner": {"backend": "none"}}})

    raw = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"][0]
    material = Material("居民户口簿", "原件1份", "paper", required=True, waivable=False, note="")
    item = dataclasses.replace(ServiceItem.from_dict(raw), materials=(material,))
    with tempfile.TemporaryDirectory() as data_dir:
        # The camera as a running kiosk holds it: through the runtime's device manager.
        runtime = KioskRuntime(config, Path(data_dir))
        session = CameraSession(device_user("camera", runtime.devices))
        session.step()  # opens the camera
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < args.seconds / 2:
            session.step()
            steps += 1
        print(f"CameraSession.step            {steps / (time.perf_counter() - start):6.1f} steps/s")

        widget = MaterialCapture(AppContext(config=config, data_dir=Path(data_dir), runtime=runtime))
        widget.resize(1200, 640)
        widget.show()
        widget.begin(item, material, identified_by_card=True)
        while widget.preview.frames_shown < 2:
            app.processEvents()
        start, first = time.perf_counter(), widget.preview.frames_shown
        while time.perf_counter() - start < args.seconds:
            app.processEvents()
        shown = widget.preview.frames_shown - first
        print(f"capture widget, preview shown {shown / (time.perf_counter() - start):6.1f} frames/s ({args.scene})")
        widget.stop()
        runtime.close()


if __name__ == "__main__":
    main()
