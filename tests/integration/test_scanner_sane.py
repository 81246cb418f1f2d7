"""The SANE backend against libsane's `test` backend (scripts/services.sh sets SANE_CONFIG_DIR)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from drivers.scanner import errors
from drivers.scanner.protocol import ColorMode, ScannedPage, ScanSettings, Source
from drivers.scanner.sane_scanner import SaneScanner
from drivers.scanner.sigpipe import sigpipe_ignored_by_kernel
from drivers.status import DeviceState

pytestmark = pytest.mark.services

# The test backend's glass is 200 × 200 mm: an A4 request is clipped to it.
GLASS_MM = 200.0


def expected_px(mm: float, dpi: int) -> int:
    return int(mm / 25.4 * dpi)


@pytest.fixture
def scanner() -> Iterator[SaneScanner]:
    s = SaneScanner("test:0")
    yield s
    s.close()


def test_flatbed_gives_one_page_of_the_expected_size(scanner: SaneScanner) -> None:
    pages = scanner.scan(ScanSettings(resolution=100, mode=ColorMode.COLOR))
    assert len(pages) == 1
    page = pages[0]
    assert (page.width_px, page.height_px) == (expected_px(GLASS_MM, 100), expected_px(GLASS_MM, 100))
    image = Image.open(io.BytesIO(page.data))
    assert image.size == (page.width_px, page.height_px)
    assert image.mode == "RGB"
    assert page.device == "test:0"


def test_feeder_gives_pages_until_it_is_empty(scanner: SaneScanner) -> None:
    # The test backend's feeder "empties" after 10 sheets.
    pages = scanner.scan(ScanSettings(resolution=50, mode=ColorMode.GRAY, source=Source.ADF, page_mm=(80, 100)))
    assert len(pages) == 10
    assert [p.index for p in pages] == list(range(10))
    assert {(p.width_px, p.height_px) for p in pages} == {(expected_px(80, 50), expected_px(100, 50))}
    assert all(Image.open(io.BytesIO(p.data)).mode == "L" for p in pages)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("SANE_STATUS_JAMMED", errors.PaperJammed),
        ("SANE_STATUS_NO_DOCS", errors.NoDocument),
        ("SANE_STATUS_COVER_OPEN", errors.CoverOpen),
        ("SANE_STATUS_DEVICE_BUSY", errors.ScannerBusy),
        ("SANE_STATUS_IO_ERROR", errors.ScannerIOError),
    ],
)
def test_sane_status_becomes_a_typed_error(scanner: SaneScanner, status: str, error: type) -> None:
    scanner.set_option("read-return-value", status)
    with pytest.raises(error):
        scanner.scan(ScanSettings(resolution=50))
    # The device is usable again once the fault is gone (the handle is reopened after an I/O error).
    scanner.set_option("read-return-value", "Default")
    assert len(scanner.scan(ScanSettings(resolution=50))) == 1
    assert scanner.status().state is DeviceState.OK


def test_unknown_device_is_not_found() -> None:
    with SaneScanner("test:99") as scanner, pytest.raises(errors.ScannerNotFound):
        scanner.options()


def test_options_report_the_test_device(scanner: SaneScanner) -> None:
    options = scanner.options()
    assert Source.ADF in options.sources
    assert ColorMode.COLOR in options.modes
    assert options.resolution_range == (1, 1200, 1)
    assert options.max_area_mm == (GLASS_MM, GLASS_MM)
    assert {d.name for d in scanner.list_devices()} >= {"test:0", "test:1"}


def test_sigpipe_is_ignored_again_after_a_scan_from_a_worker_thread(scanner: SaneScanner) -> None:
    results: list[list[ScannedPage]] = []
    worker = threading.Thread(target=lambda: results.append(scanner.scan(ScanSettings(resolution=50))))
    worker.start()
    worker.join()
    assert len(results[0]) == 1
    assert sigpipe_ignored_by_kernel()
    # And a write to a closed socket raises instead of killing the process.
    import socket

    a, b = socket.socketpair()
    b.close()
    with pytest.raises(BrokenPipeError):
        a.send(b"x")
    a.close()


def test_probe_command_lists_devices_and_options() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "devices", "probe", "scanner", "--backend", "sane", "--device", "test:0"],
        capture_output=True, text=True, env=os.environ, timeout=60, check=True,
    ).stdout
    assert "device   test:0: Noname frontend-tester" in out
    assert "sources  flatbed, adf" in out
    assert "read-return-value" in out
