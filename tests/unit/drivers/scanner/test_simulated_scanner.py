"""The real SaneScanner page loop, options and health against the simulated SANE."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from drivers.scanner import errors
from drivers.scanner.protocol import ColorMode, ScanSettings, Source
from drivers.scanner.sigpipe import sigpipe_ignored_by_kernel
from drivers.scanner.simulated import FAILURES, SimulatedScanner
from drivers.status import DeviceState


@pytest.fixture
def scanner() -> Iterator[SimulatedScanner]:
    s = SimulatedScanner()
    yield s
    s.close()


def test_flatbed_gives_one_a4_page_at_the_nearest_resolution(scanner: SimulatedScanner) -> None:
    pages = scanner.scan(ScanSettings(resolution=160))
    assert len(pages) == 1
    page = pages[0]
    assert page.dpi == 150  # the device offers 75/100/150/200/300/600
    assert (page.width_px, page.height_px) == (int(210 / 25.4 * 150), int(297 / 25.4 * 150))
    assert page.media_type == "image/jpeg"
    image = Image.open(io.BytesIO(page.data))
    assert image.size == (page.width_px, page.height_px)
    assert image.mode == "RGB"
    assert page.device == "sim:flatbed-adf"


def test_gray_and_lineart_pages(scanner: SimulatedScanner) -> None:
    gray = scanner.scan(ScanSettings(resolution=75, mode=ColorMode.GRAY))[0]
    assert Image.open(io.BytesIO(gray.data)).mode == "L"
    line = scanner.scan(ScanSettings(resolution=75, mode=ColorMode.LINEART))[0]
    assert line.media_type == "image/png"
    assert Image.open(io.BytesIO(line.data)).mode == "1"


def test_feeder_gives_pages_until_it_is_empty() -> None:
    with SimulatedScanner(feeder_pages=4) as scanner:
        pages = scanner.scan(ScanSettings(resolution=75, source=Source.ADF))
        assert [p.index for p in pages] == [0, 1, 2, 3]
        assert all(p.source is Source.ADF for p in pages)
        with pytest.raises(errors.NoDocument):
            scanner.scan(ScanSettings(resolution=75, source=Source.ADF))


def test_feeder_stops_at_max_pages() -> None:
    with SimulatedScanner(feeder_pages=8) as scanner:
        assert len(scanner.scan(ScanSettings(resolution=75, source=Source.ADF, max_pages=3))) == 3
        assert scanner.sim.feeder_pages == 5


def test_empty_glass_is_no_document() -> None:
    with SimulatedScanner(document_on_glass=False) as scanner, pytest.raises(errors.NoDocument) as caught:
        scanner.scan(ScanSettings(resolution=75))
    assert caught.value.message_key == "scanner.no_document"


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("jammed", errors.PaperJammed),
        ("cover_open", errors.CoverOpen),
        ("busy", errors.ScannerBusy),
        ("io_error", errors.ScannerIOError),
        ("no_memory", errors.ScannerError),
        ("access_denied", errors.ScannerError),
    ],
)
@pytest.mark.parametrize("at", ["start", "read"])
def test_each_failure_is_typed_and_the_next_scan_works(
    scanner: SimulatedScanner, kind: str, error: type, at: str
) -> None:
    assert kind in FAILURES
    scanner.sim.fail_next(kind, at=at)
    with pytest.raises(error):
        scanner.scan(ScanSettings(resolution=75))
    assert len(scanner.scan(ScanSettings(resolution=75))) == 1


def test_a_jam_in_the_middle_of_a_feeder_batch() -> None:
    with SimulatedScanner(feeder_pages=5) as scanner:
        pages = scanner.scan_pages(ScanSettings(resolution=75, source=Source.ADF))
        first = next(pages)
        scanner.sim.fail_next("jammed")
        with pytest.raises(errors.PaperJammed):
            next(pages)
        assert first.index == 0
        assert scanner.sim.feeder_pages == 4


def test_cancel_from_another_thread_stops_the_scan(scanner: SimulatedScanner) -> None:
    def cancel_during_read() -> None:
        worker = threading.Thread(target=scanner.cancel)
        worker.start()
        worker.join()

    scanner.sim.on_read = cancel_during_read
    with pytest.raises(errors.ScanCancelled):
        scanner.scan(ScanSettings(resolution=75))
    scanner.sim.on_read = None
    assert len(scanner.scan(ScanSettings(resolution=75))) == 1


def test_an_io_failure_reopens_the_device_and_each_look_reports_what_it_found(scanner: SimulatedScanner) -> None:
    # No count in the driver: declaring the scanner offline is the device manager's (several failed looks).
    assert scanner.status().state is DeviceState.OK
    for _ in range(4):
        scanner.sim.fail_next("io_error")
        with pytest.raises(errors.ScannerIOError):
            scanner.scan(ScanSettings(resolution=75))
        # The handle was dropped; this look opens the device afresh, and it is there.
        assert scanner.status().state is DeviceState.OK
    assert len(scanner.scan(ScanSettings(resolution=75))) == 1


def test_a_look_that_cannot_open_the_device_is_a_failed_look_every_time() -> None:
    with SimulatedScanner("sim:missing") as scanner:
        for _ in range(4):
            status = scanner.status()
            assert (status.state, status.detail) == (DeviceState.DEGRADED, errors.ScannerNotFound.code)


def test_resident_errors_do_not_count_against_the_device(scanner: SimulatedScanner) -> None:
    for _ in range(4):
        scanner.sim.fail_next("cover_open")
        with pytest.raises(errors.CoverOpen):
            scanner.scan(ScanSettings(resolution=75))
    assert scanner.status().state is DeviceState.OK


def test_unknown_device_and_unsupported_option() -> None:
    with SimulatedScanner("sim:missing") as scanner, pytest.raises(errors.ScannerNotFound):
        scanner.options()
    with SimulatedScanner() as scanner, pytest.raises(errors.UnsupportedSetting):
        scanner.set_option("no-such-option", 1)


def test_options_describe_the_device(scanner: SimulatedScanner) -> None:
    options = scanner.options()
    assert options.sources == (Source.FLATBED, Source.ADF, Source.ADF_DUPLEX)
    assert options.resolutions == (75, 100, 150, 200, 300, 600)
    assert options.max_area_mm == (216.0, 297.0)
    assert scanner.list_devices()[0].name == "sim:flatbed-adf"


def test_sigpipe_stays_ignored(scanner: SimulatedScanner) -> None:
    scanner.scan(ScanSettings(resolution=75))
    assert sigpipe_ignored_by_kernel()
