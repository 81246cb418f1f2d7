"""The setup screen's 测试 (test) button: one real action per device role, on a worker thread.

ID reader and citizen card reader: read a card and show the holder masked (name's last character,
ID number 6+4); printer: print a test page; camera: capture a frame; scanner: scan a page; barcode:
open the serial scanner or load the decoder. The device is built from the configuration being edited
(before it is saved), with the device manager's own recipe (`kiosk.devices.manager.specs_from_config`); when
that configuration is the one the manager runs, the manager's driver is borrowed instead, so the test
never fights the health checks for a serial port.

No resident data leaves this module unmasked, and nothing here logs it.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

from drivers.camera.protocol import Camera
from drivers.citizencard.protocol import CitizenCardReader
from drivers.errors import DeviceError
from drivers.idcard.protocol import IdCardReader
from drivers.printer.protocol import Printer
from drivers.scanner.protocol import Scanner
from kiosk.config import Config
from kiosk.devices.manager import (
    CAMERA,
    CITIZENCARD,
    IDCARD,
    PRINTER,
    SCANNER,
    DeviceManager,
    DeviceRole,
    specs_from_config,
)

CARD_TIMEOUT_S = 5.0
PRINT_TIMEOUT_S = 60.0

D = TypeVar("D")


@dataclasses.dataclass(frozen=True)
class TestOutcome:
    ok: bool
    zh: str
    en: str
    # Masked card holder for the reader roles: {"name": "**明", "id_number": "110101********1234"}.
    masked: dict[str, str] = dataclasses.field(default_factory=dict)


def _failed(exc: BaseException) -> TestOutcome:
    if isinstance(exc, DeviceError):
        return TestOutcome(False, "测试未通过", f"Test failed: {exc} [{exc.code}]")
    return TestOutcome(False, "测试未通过", f"Test failed: {type(exc).__name__}: {exc}")


def _device(role: DeviceRole[D], config: Config, data_dir: Path, manager: DeviceManager,
            live: Config) -> AbstractContextManager[D]:
    name = role.name
    if manager.configured(name) and getattr(live.devices, name) == getattr(config.devices, name):
        return manager.use(role, wait_s=5.0)
    spec = role.spec_in(specs_from_config(config, data_dir))
    if spec is None:
        raise DeviceError(f"{name}: backend = none", code="device.not_configured",
                          message_key="device.not_configured")

    @contextmanager
    def built() -> Iterator[D]:
        driver = spec.build()
        try:
            yield driver
        finally:
            spec.close(driver)

    return built()


def _idcard(reader: IdCardReader, config: Config, data_dir: Path) -> TestOutcome:
    from kiosk.identity.resident import from_id_card

    # Through the resident's own boundary, so a card the kiosk would refuse fails the test with the reason.
    shown = from_id_card(reader.read_card(CARD_TIMEOUT_S)).masked()
    return TestOutcome(True, "读卡成功", "Card read.", {"name": shown["name"], "id_number": shown["id_number"]})


def _citizencard(reader: CitizenCardReader, config: Config, data_dir: Path) -> TestOutcome:
    from kiosk.identity.resident import from_citizen_card

    card = reader.read_card(CARD_TIMEOUT_S)
    shown = from_citizen_card(card).masked()
    return TestOutcome(True, "读卡成功", "Card read.", {"name": shown["name"], "id_number": shown["id_number"]})


def _printer(printer: Printer, config: Config, data_dir: Path) -> TestOutcome:
    from kiosk.forms.test_page import render_test_page

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "test-page.pdf"
        render_test_page(pdf, config)
        result = printer.print_pdf(pdf, "kiosk-test-page", timeout_s=PRINT_TIMEOUT_S)
    return TestOutcome(True, "测试页已打印", f"Test page printed (job {result.job_id} on {result.queue}).")


def _camera(camera: Camera, config: Config, data_dir: Path) -> TestOutcome:
    camera.open(1.0)
    frame = camera.read_frame(1.0)
    width, height = frame.size
    return TestOutcome(True, "拍摄成功", f"Captured a {width}×{height} frame.")


def _scanner(scanner: Scanner, config: Config, data_dir: Path) -> TestOutcome:
    from drivers.scanner.protocol import ScanSettings

    pages = scanner.scan(ScanSettings(resolution=config.devices.scanner.resolution))
    if not pages:
        return TestOutcome(False, "没有扫描到页面", "The scanner returned no page.")
    return TestOutcome(True, "扫描成功", f"Scanned {len(pages)} page(s).")


_DeviceTest = Callable[[Config, Path, DeviceManager, Config], TestOutcome]


def _on(role: DeviceRole[D], action: Callable[[D, Config, Path], TestOutcome]) -> _DeviceTest:
    """`action` run on the role's device (the manager's, or one built from the edited config)."""

    def run(config: Config, data_dir: Path, manager: DeviceManager, live: Config) -> TestOutcome:
        with _device(role, config, data_dir, manager, live) as driver:
            return action(driver, config, data_dir)

    return run


_TESTS: dict[str, _DeviceTest] = {
    "idcard": _on(IDCARD, _idcard), "citizencard": _on(CITIZENCARD, _citizencard),
    "printer": _on(PRINTER, _printer), "camera": _on(CAMERA, _camera), "scanner": _on(SCANNER, _scanner),
}


def run_test(role: str, config: Config, data_dir: Path, *, manager: DeviceManager,
             live: Config) -> TestOutcome:
    """Tests `role` as `config` describes it; `manager`/`live`: the running devices and their config.

    Never raises for a device problem: the outcome says what went wrong. Blocking: call from a worker.
    """
    try:
        if role == "barcode":
            return _barcode_check(config)
        return _TESTS[role](config, data_dir, manager, live)
    except (DeviceError, OSError, ValueError) as exc:
        return _failed(exc)


def _barcode_check(config: Config) -> TestOutcome:
    section = config.devices.barcode
    if section.backend == "none":
        return TestOutcome(False, "未配置", "Not configured (backend = none).")
    if section.backend == "serial":
        if not os.path.exists(section.port):
            return TestOutcome(False, "串口不存在", f"No such port: {section.port or '(empty)'}")
        return TestOutcome(True, "串口存在，请扫一个二维码试试",
                           f"Port {section.port} is there; scan a code to try it.")
    from drivers.barcode.factory import make_decoder

    try:
        make_decoder(section.backend)
    except ImportError as exc:
        return TestOutcome(False, "识别库未安装", f"Decoder not installed: {exc}")
    return TestOutcome(True, "识别库可用", f"The {section.backend} decoder is available.")
