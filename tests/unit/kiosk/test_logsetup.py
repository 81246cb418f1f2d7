from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from kiosk import logsetup

ID = "330102199003071234"
PHONE = "13812345678"


@pytest.fixture
def clean_root() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    logsetup._handlers.clear()


def test_id_number_logged_through_any_logger_comes_out_masked(
    tmp_path: Path, clean_root: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logsetup.setup_logging(tmp_path, level="DEBUG", stderr=False)
    # A logger of a third-party library with its own handler and no propagation: only the record
    # factory stands between it and the resident's number.
    stream = io.StringIO()
    isolated = logging.getLogger("somelib.isolated")
    handler = logging.StreamHandler(stream)
    isolated.addHandler(handler)
    isolated.propagate = False
    try:
        isolated.info("reader returned %s", ID)
    finally:
        isolated.removeHandler(handler)
        isolated.propagate = True
    logging.getLogger("kiosk.devices.manager").info("card %s phone %s", ID, PHONE)
    logging.getLogger("kiosk.devices.manager").info(f"f-string {ID}")
    try:
        raise ValueError(f"bad card {ID}")
    except ValueError:
        logging.getLogger("kiosk.resident.session").debug("failed", exc_info=True)
    for handler in clean_root.handlers:
        handler.flush()
    written = (tmp_path / "kiosk.log").read_text(encoding="utf-8") + stream.getvalue()
    assert ID not in written
    assert PHONE not in written
    # card line, f-string line, the exception's message in the traceback, the isolated logger's line
    assert written.count("330102********1234") == 4
    assert ID not in caplog.text
    assert "138****5678" in written


def test_rotation(tmp_path: Path, clean_root: logging.Logger) -> None:
    logsetup.setup_logging(tmp_path, level="INFO", max_bytes=10_000, backup_count=2, stderr=False)
    log = logging.getLogger("kiosk.test")
    for i in range(400):
        log.info("line %d %s", i, "x" * 60)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]


def test_setup_again_replaces_handlers(tmp_path: Path, clean_root: logging.Logger) -> None:
    before = len(clean_root.handlers)
    logsetup.setup_logging(tmp_path / "a", stderr=True)
    logsetup.setup_logging(tmp_path / "b", stderr=True)
    assert len(clean_root.handlers) == before + 2
    logging.getLogger("kiosk.test").info("to b only")
    for handler in clean_root.handlers:
        handler.flush()
    assert "to b only" in (tmp_path / "b" / "kiosk.log").read_text(encoding="utf-8")
    assert "to b only" not in (tmp_path / "a" / "kiosk.log").read_text(encoding="utf-8")
