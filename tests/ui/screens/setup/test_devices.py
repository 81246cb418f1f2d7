"""The setup screen's Devices page: assign the ID reader's port, test it, save and apply without a restart.

The acceptance test runs the real serial backend against the ID-card protocol simulator on a pty (as
tests/integration/test_idcard_serial.py does): the technician types the pty's path, presses 测试 and
sees the card masked, presses 保存并应用, and the device manager uses the new port at once; the file
written says so when read again (what the next start does).
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.idcard.encode import load_card_fixture
from drivers.idcard.simulator import IdCardSimulator
from drivers.status import DeviceState
from kiosk.config import config_from_mapping, load_config
from kiosk.devices.discovery import Candidate, Discovery
from kiosk.devices.manager import IDCARD
from kiosk.privacy import mask_id_number, mask_name
from kiosk.runtime import KioskRuntime
from kiosk.technician import config_write
from tests.demo_runtime import MakeRuntime
from ui.context import AppContext
from ui.screens.setup import devices as setup_devices
from ui.screens.setup.devices import DevicesPage
from ui.screens.setup.screen import SetupScreen

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "idcard"
RESIDENT = load_card_fixture(FIXTURES / "resident.json")

CONFIG_TEXT = """\
# Written by hand at installation.
[terminal]
id = "T0042"

[devices.idcard]
backend = "serial"
port = "/dev/ttyUSB7"   # wrong: the reader is elsewhere

[devices.citizencard]
backend = "none"

[devices.printer]
backend = "none"

[devices.camera]
backend = "none"

[devices.scanner]
backend = "none"
"""


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[IdCardSimulator]:
    simulator = IdCardSimulator(RESIDENT, link=tmp_path / "ttyIDCARD")
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def runtime(tmp_path: Path, config_file: Path, make_runtime: MakeRuntime) -> KioskRuntime:
    data = tmp_path / "data"
    data.mkdir()
    return make_runtime(load_config(config_file), data)


@pytest.fixture
def screen(qtbot: QtBot, runtime: KioskRuntime, config_file: Path) -> Iterator[SetupScreen]:
    home: list[bool] = []
    context = AppContext(config=runtime.config, data_dir=runtime.data_dir, runtime=runtime,
                         config_path=config_file, go_home=lambda: home.append(True))
    widget = SetupScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.enter(None)
    yield widget
    widget.shutdown()


def devices_page(screen: SetupScreen) -> DevicesPage:
    page = screen.pages["devices"]
    assert isinstance(page, DevicesPage)
    return page


def audit_lines(data_dir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()]


def test_assigning_the_id_reader_port_test_shows_the_card_and_the_change_survives_restart(
    qtbot: QtBot, screen: SetupScreen, runtime: KioskRuntime, config_file: Path, sim: IdCardSimulator,
) -> None:
    page = devices_page(screen)
    assert screen.current == "devices"
    page.select_role("idcard")
    assert "/dev/ttyUSB7" in page.current_label.text()

    page.manual_entry.setText(sim.port)
    qtbot.mouseClick(page.manual_button, Qt.MouseButton.LeftButton)
    assert page.pending["idcard"] == {"devices.idcard.backend": "serial", "devices.idcard.port": sim.port}

    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_outcome is not None, timeout=15000)
    assert page.last_outcome is not None
    assert page.last_outcome.ok, page.message_label.text()
    shown = page.card_label.text()
    assert mask_name(RESIDENT.name) in shown
    assert mask_id_number(RESIDENT.id_number) in shown
    assert RESIDENT.id_number not in shown
    assert RESIDENT.name not in shown

    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_save is not None, timeout=15000)
    save = page.last_save
    assert save is not None
    assert save.path == config_file
    assert not save.fallback
    assert save.restart == ()
    assert "无需重启" in page.message_label.text()

    # Applied without a restart: the running config and the device manager use the new port now.
    assert screen.context.config.devices.idcard.port == sim.port
    assert runtime.config.devices.idcard.port == sim.port
    qtbot.waitUntil(lambda: page.statuses.get("idcard") is not None
                    and page.statuses["idcard"].state is DeviceState.UNKNOWN, timeout=5000)
    runtime.devices.poll_once()
    assert runtime.devices.status("idcard").state is DeviceState.OK
    with runtime.devices.use(IDCARD) as reader:
        assert reader.read_card(2.0).id_number == RESIDENT.id_number

    # The file: the new port, the hand-written comment kept, mode 0600, `kiosk config check` clean.
    text = config_file.read_text(encoding="utf-8")
    assert "# Written by hand at installation." in text
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    restarted = load_config(config_file)  # what the next start reads
    assert restarted.devices.idcard.port == sim.port
    assert restarted.terminal.id == "T0042"

    lines = audit_lines(runtime.data_dir)
    actions = [line["action"] for line in lines]
    assert actions == ["device.tested", "config.written"]
    written = lines[-1]
    assert written["keys"] == "devices.idcard.port"
    assert sim.port not in json.dumps(lines[0])
    assert RESIDENT.name not in (runtime.data_dir / "audit.log").read_text(encoding="utf-8")

    page.wipe()
    assert page.card_label.text() == ""


def test_a_failed_write_leaves_the_file_and_the_running_config_alone(
    qtbot: QtBot, screen: SetupScreen, runtime: KioskRuntime, config_file: Path, sim: IdCardSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = config_file.read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config_write.os, "replace", full_disk)
    page = devices_page(screen)
    page.manual_entry.setText(sim.port)
    page.use_manual()
    page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=10000)
    assert "No space left on device" in page.message_label.text()
    assert page.last_save is None
    assert config_file.read_bytes() == before
    assert runtime.config.devices.idcard.port == "/dev/ttyUSB7"
    assert page.pending  # still there to retry


def test_a_path_that_is_no_port_is_refused(screen: SetupScreen, tmp_path: Path) -> None:
    page = devices_page(screen)
    page.manual_entry.setText(str(tmp_path / "kiosk.toml"))
    page.use_manual()
    assert "not a character device" in page.message_label.text()
    assert page.pending == {}


def test_discovered_candidates_are_listed_and_one_is_picked(
    qtbot: QtBot, screen: SetupScreen, monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = Discovery("printer", (Candidate("KioskPDF", "cups-pdf · 空闲 idle", "cups"),
                                  Candidate("", "模拟打印机", "simulated")), ("sane: not installed",))
    asked: list[str] = []

    def fake_discover(role: str) -> Discovery:
        asked.append(role)
        return found

    monkeypatch.setattr(setup_devices, "discover", fake_discover)
    page = devices_page(screen)
    qtbot.mouseClick(page.role_buttons["printer"], Qt.MouseButton.LeftButton)
    assert page.role == "printer"
    qtbot.mouseClick(page.discover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.candidate_list.count() == 2, timeout=10000)
    assert asked == ["printer"]
    assert "sane: not installed" in page.discover_note.text()
    page._on_candidate(page.candidate_list.item(0))
    assert page.pending["printer"] == {"devices.printer.backend": "cups", "devices.printer.queue": "KioskPDF"}
    page._on_candidate(page.candidate_list.item(1))
    assert page.pending["printer"] == {"devices.printer.backend": "simulated"}


def test_without_a_config_file_the_data_dir_gets_one_and_the_screen_says_so(
    qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime,
) -> None:
    config = config_from_mapping({"devices": {"printer": {"backend": "none"}}})
    context = AppContext(config=config, data_dir=tmp_path, runtime=make_runtime(config))
    page = DevicesPage(context)
    qtbot.addWidget(page)
    try:
        page.select_role("printer")
        page.choose(Candidate("", "模拟打印机", "simulated"))
        page.save()
        qtbot.waitUntil(lambda: page.last_save is not None, timeout=10000)
        assert page.last_save is not None
        assert page.last_save.fallback
        assert page.last_save.path == tmp_path / "kiosk.toml"
        assert "--config" in page.message_label.text()
        assert load_config(tmp_path / "kiosk.toml").devices.printer.backend == "simulated"
        assert context.config.devices.printer.backend == "simulated"
    finally:
        page.shutdown()


def test_exit_records_an_audit_line_and_goes_home(qtbot: QtBot, tmp_path: Path, make_runtime: MakeRuntime) -> None:
    home: list[bool] = []
    runtime = make_runtime()
    context = AppContext(config=runtime.config, data_dir=tmp_path, runtime=runtime, go_home=lambda: home.append(True))
    screen = SetupScreen(context)
    qtbot.addWidget(screen)
    try:
        screen.enter("terminal")
        assert screen.current == "terminal"
        for key in ("sync", "logs", "devices"):
            screen.show_page(key)
            assert screen.stack.currentWidget() is screen.pages[key]
            assert screen.nav_buttons[key].isChecked()
        qtbot.mouseClick(screen.exit_button, Qt.MouseButton.LeftButton)
        assert home == [True]
        assert audit_lines(tmp_path)[-1]["action"] == "setup.exit"
    finally:
        screen.shutdown()
