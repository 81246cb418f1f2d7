"""The citizen-card driver on the real stack: pcscd, the vpcd reader, the virtual card, pyscard.

Each test's own card goes into the second vpcd reader ('Virtual PCD 00 01', port 35964), so the default
card that scripts/services.sh keeps in the first reader is left alone; the PSAM test borrows the first
reader through the default card's control socket and puts the default card back. Tests wait on the
monitor's events (at most one second, as the kiosk needs) or on the virtual card's output, never sleep.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.citizencard.auth import PsamAuthenticator
from drivers.citizencard.errors import (
    CardFileNotFound,
    CardRemoved,
    CardTimeout,
    CitizenCardError,
    NoCardPresent,
    ReaderNotFound,
    SecurityModuleRequired,
    SecurityStatusNotSatisfied,
    StatusWordError,
)
from drivers.citizencard.models import AuthMethod, CardKind
from drivers.citizencard.monitor import CardEventKind, CardEventMonitor
from drivers.citizencard.pcsc_reader import PcscCitizenCardReader, psam_opener
from kiosk.identity.resident import IdentitySource, from_citizen_card

pytestmark = pytest.mark.services

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "citizencard"
OWN_READER = "Virtual PCD 00 01"
OWN_PORT = 35964
DEFAULT_READER = "Virtual PCD 00 00"
DEFAULT_PORT = 35963
EVENT_S = 1.0  # insertion and removal must reach the kiosk within a second
STARTUP_S = 15.0


class VirtualCardProcess:
    """`python -m drivers.citizencard.virtual_card`, started with the card out, driven by its control socket."""

    def __init__(self, fixture: str, port: int) -> None:
        # Unix socket paths are limited to ~100 bytes; pytest's tmp_path can be longer.
        self._dir = tempfile.mkdtemp(prefix="vcard-", dir="/tmp")
        self.control = Path(self._dir) / "control.sock"
        self.lines: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "drivers.citizencard.virtual_card", "--fixture", str(FIXTURES / f"{fixture}.toml"),
             "--port", str(port), "--control", str(self.control), "--removed"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_line("control ready")

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip())

    def wait_line(self, text: str, timeout_s: float = STARTUP_S) -> str:
        while True:
            try:
                line = self.lines.get(timeout=timeout_s)
            except queue.Empty:
                raise AssertionError(f"virtual card never said {text!r}") from None
            if text in line:
                return line

    def send(self, command: str) -> str:
        return control(self.control, command)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        for path in (self.control, Path(self._dir)):
            if path.exists():
                path.unlink() if path.is_socket() else path.rmdir()


def control(path: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(path))
        s.sendall(command.encode() + b"\n")
        answer = s.makefile("r").readline().strip()
    assert answer.startswith("ok"), (command, answer)
    return answer


@pytest.fixture(scope="module")
def monitor() -> Iterator[CardEventMonitor]:
    with CardEventMonitor() as m:
        yield m


class Slot:
    """A virtual card in the second reader, with helpers that wait for pcscd to see it go in and out."""

    def __init__(self, monitor: CardEventMonitor) -> None:
        self.monitor = monitor
        self.card: VirtualCardProcess | None = None

    def start(self, fixture: str) -> VirtualCardProcess:
        self.card = VirtualCardProcess(fixture, OWN_PORT)
        self.insert()
        return self.card

    def insert(self, fixture: str = "") -> None:
        assert self.card is not None
        self.monitor.drain()
        self.card.send(f"insert {FIXTURES / (fixture + '.toml')}" if fixture else "insert")
        assert self.monitor.wait_for(CardEventKind.CARD_INSERTED, EVENT_S, reader=OWN_READER) is not None

    def removed(self) -> None:
        assert self.monitor.wait_for(CardEventKind.CARD_REMOVED, EVENT_S, reader=OWN_READER) is not None

    def remove(self) -> None:
        assert self.card is not None
        self.card.send("remove")
        self.removed()


@pytest.fixture
def slot(monitor: CardEventMonitor) -> Iterator[Slot]:
    s = Slot(monitor)
    yield s
    if s.card is not None:
        state = s.card.send("status")
        s.card.stop()
        if "inserted" in state:
            # The next test's card must find the reader empty.
            s.removed()


def reader(**kwargs: object) -> PcscCitizenCardReader:
    return PcscCitizenCardReader(OWN_READER, **kwargs)  # type: ignore[arg-type]


def test_insertion_and_removal_events_arrive_within_a_second(slot: Slot, monitor: CardEventMonitor) -> None:
    card = VirtualCardProcess("ssse-2.00", OWN_PORT)
    slot.card = card
    monitor.drain()
    card.send("insert")
    inserted = monitor.wait_for(CardEventKind.CARD_INSERTED, EVENT_S, reader=OWN_READER)
    assert inserted is not None
    assert inserted.atr == "3B 95 13 81 01 80 73 FF 01 00 0B"
    assert reader().card_present()
    card.send("remove")
    assert monitor.wait_for(CardEventKind.CARD_REMOVED, EVENT_S, reader=OWN_READER) is not None
    assert not reader().card_present()


def test_reads_a_social_security_card(slot: Slot) -> None:
    slot.start("ssse-2.00")
    card = reader().read_card(5.0)
    assert card.kind is CardKind.SOCIAL_SECURITY_CARD
    assert card.reader == OWN_READER
    assert card.name == "王建国"
    assert card.id_number == "330106199003070014"
    resident = from_citizen_card(card)
    assert resident.source is IdentitySource.SOCIAL_SECURITY_CARD
    assert resident.card_number == "A00000001"


def test_reads_a_t0_card_with_get_response_and_6c(slot: Slot) -> None:
    slot.start("ssse-t0")
    card = reader().read_card(5.0)
    assert card.name == "蓝秀英"
    assert card.nation == "畲"
    assert card.atr == "3B 02 14 50"


def test_reads_a_citizen_card_purse_and_holder(slot: Slot) -> None:
    slot.start("citizen-tunion")
    card = reader().read_card(5.0)
    assert card.kind is CardKind.CITIZEN_CARD
    assert card.balance_fen == 12345
    assert from_citizen_card(card).card_number == "3100999000000012345"


def test_third_generation_card_without_psam_says_it_needs_the_security_module(slot: Slot) -> None:
    slot.start("ssse-3.00")
    with pytest.raises(SecurityModuleRequired) as caught:
        reader().read_card(5.0)
    assert caught.value.message_key == "citizencard.needs_security_module"


@pytest.fixture
def psam_in_first_reader(monitor: CardEventMonitor) -> Iterator[None]:
    """Puts a PSAM in 'Virtual PCD 00 00': through the default card's control socket, or a card of our own."""
    run = Path(os.environ.get("KIOSK_RUN_DIR", ROOT / ".run"))
    default_control = run / "citizencard" / "control.sock"
    own: VirtualCardProcess | None = None
    if default_control.exists():
        control(default_control, "remove")
        monitor.wait_for(CardEventKind.CARD_REMOVED, EVENT_S, reader=DEFAULT_READER)
        monitor.drain()
        control(default_control, f"insert {FIXTURES / 'psam.toml'}")
    else:
        own = VirtualCardProcess("psam", DEFAULT_PORT)
        monitor.drain()
        own.send("insert")
    assert monitor.wait_for(CardEventKind.CARD_INSERTED, EVENT_S, reader=DEFAULT_READER) is not None
    try:
        yield
    finally:
        if own is not None:
            own.stop()
        else:
            control(default_control, "remove")
        monitor.wait_for(CardEventKind.CARD_REMOVED, EVENT_S, reader=DEFAULT_READER)
        if own is None:
            control(default_control, f"insert {FIXTURES / 'ssse-2.00.toml'}")


def test_third_generation_card_with_a_psam_in_the_sam_slot(slot: Slot, psam_in_first_reader: None) -> None:
    slot.start("ssse-3.00")
    authenticated = reader(authenticator=PsamAuthenticator(psam_opener(DEFAULT_READER)),
                           exclude_readers=(DEFAULT_READER,))
    card = authenticated.read_card(5.0)
    assert card.auth is AuthMethod.PSAM
    assert card.name == "林晓雨"


def test_fault_card_pulled_mid_read_then_the_next_card_reads(slot: Slot) -> None:
    card = slot.start("ssse-2.00")
    card.send("fault pull:6")
    r = reader()
    with pytest.raises(CardRemoved):
        r.read_card(5.0)
    slot.removed()
    slot.insert("citizen-tunion")
    assert r.read_card(5.0).card_number == "3100999000000012345"


@pytest.mark.parametrize(
    ("sw", "error"),
    [("6F00", StatusWordError), ("6A82", CardFileNotFound), ("6982", SecurityStatusNotSatisfied)],
)
def test_fault_wrong_status_word_then_the_next_read_works(slot: Slot, sw: str, error: type[StatusWordError]) -> None:
    card = slot.start("ssse-2.00")
    card.send(f"fault sw:{sw}@5")
    r = reader()
    with pytest.raises(error) as caught:
        r.read_card(5.0)
    assert caught.value.sw == int(sw, 16)
    assert r.read_card(5.0).name == "王建国"


def test_fault_slow_card_times_out_then_the_next_card_reads(slot: Slot) -> None:
    card = slot.start("ssse-2.00")
    card.send("fault slow:3")
    r = reader(step_timeout_s=0.5)
    with pytest.raises(CardTimeout):
        r.read_card(5.0)
    # The resident takes the card out (which also ends the answer pcscd is still waiting for) and
    # inserts the next one.
    slot.remove()
    slot.insert("ssse-t0")
    assert r.read_card(5.0).name == "蓝秀英"


def test_empty_reader_and_missing_reader(slot: Slot) -> None:
    slot.card = VirtualCardProcess("ssse-2.00", OWN_PORT)  # connected to nothing: the reader stays empty
    with pytest.raises(NoCardPresent):
        reader().read_card(2.0)
    with pytest.raises(ReaderNotFound):
        PcscCitizenCardReader("no such reader").read_card(2.0)


def test_cli_probe_through_pcscd(slot: Slot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli.main import main

    slot.start("ssse-2.00")
    config = tmp_path / "kiosk.toml"
    config.write_text('[devices.citizencard]\nbackend = "pcsc"\n', encoding="utf-8")
    code = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "devices", "probe", "citizencard",
                 "--reader", OWN_READER, "--json"])
    assert code == 0
    record = json.loads(capsys.readouterr().out)
    assert record["reader"] == OWN_READER
    assert record["fields"]["id_number"] == "330106********0014"


def test_errors_are_typed(slot: Slot) -> None:
    slot.start("purse-only")
    r = reader(profile="ssse")
    with pytest.raises(CitizenCardError) as caught:
        r.read_card(5.0)
    assert caught.value.code == "citizencard.unknown_card"
