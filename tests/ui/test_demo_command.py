"""`kiosk demo` (the README's first command) brings up the home screen."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.cli import main as cli
from offline_cache.store import OfflineCache
from ui.main_window import MainWindow


@pytest.fixture
def restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


@pytest.mark.usefixtures("offscreen_qt_warnings")
def test_demo_starts_with_home_tiles(qapp: QApplication, tmp_path: Path, restore_logging: object) -> None:
    seen: dict[str, object] = {}

    def inspect() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen["windows"] = len(windows)
        if windows:
            w = windows[0]
            seen["fullscreen"] = w.isFullScreen()
            names = (t.objectName() for t in w.findChildren(QPushButton))
            seen["tiles"] = sorted(n for n in names if n.startswith("tile_"))
            seen["backends"] = {w.config.devices.printer.backend, w.config.devices.idcard.backend}
        qapp.quit()

    QTimer.singleShot(0, inspect)
    code = cli.main(["--data-dir", str(tmp_path / "data"), "demo"])
    # Closing the last window after the loop posts a Quit event; left pending it would end the event
    # loop of whichever later test waits on a signal next.
    QCoreApplication.removePostedEvents(None, QEvent.Type.Quit)
    assert code == 0
    assert seen["windows"] == 1
    assert seen["fullscreen"] is False
    assert seen["tiles"] == ["tile_declare", "tile_forms", "tile_guide", "tile_progress", "tile_rating"]
    assert seen["backends"] == {"simulated"}
    assert (tmp_path / "data" / "logs" / "kiosk.log").exists()
    # The bundled sample catalogue was loaded, so guides work before any sync.
    cache = OfflineCache.open(tmp_path / "data", terminal_id="T0001")
    try:
        assert cache.catalog.count() >= 150
        assert cache.search.search("sfz")[0].name.startswith("居民身份证")
    finally:
        cache.close()
