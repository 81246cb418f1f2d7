"""The real pyserial backend against the protocol simulator over a real pty: every fault, and recovery.

Timeouts are kept short so the fault cases finish quickly; no test sleeps or measures time: each
waits on the simulator's request/reply counters.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.idcard import errors
from drivers.idcard.encode import load_card_fixture
from drivers.idcard.factory import SimulatedIdCardReader, open_reader
from drivers.idcard.models import CardKind, IdCard
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.simulator import READ, SELECT, Fault, IdCardSimulator
from drivers.idcard.status_codes import CardReadFailed, NoCard, SamSelfTestFailed
from drivers.status import DeviceState

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "idcard"
RESIDENT = load_card_fixture(FIXTURES / "resident.json")


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[IdCardSimulator]:
    simulator = IdCardSimulator(RESIDENT, link=tmp_path / "ttyIDCARD", slow_delay_s=0.6)
    simulator.start()
    yield simulator
    simulator.stop()


def make_reader(sim: IdCardSimulator, **kwargs: object) -> SerialIdCardReader:
    options: dict[str, object] = {"step_timeout_s": 0.3, "read_timeout_s": 0.4, **kwargs}
    return SerialIdCardReader(sim.port, **options)  # type: ignore[arg-type]


@pytest.fixture
def reader(sim: IdCardSimulator) -> Iterator[SerialIdCardReader]:
    r = make_reader(sim)
    yield r
    r.close()


def assert_reads(reader: SerialIdCardReader, expected: IdCard = RESIDENT) -> None:
    card = reader.read_card(timeout_s=1.0)
    assert card.id_number == expected.id_number
    assert card.name == expected.name


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_card_kind_over_the_pty(sim: IdCardSimulator, reader: SerialIdCardReader, fixture: str) -> None:
    card = load_card_fixture(FIXTURES / fixture)
    sim.place_card(card)
    read = reader.read_card(timeout_s=1.0)
    assert read == card
    assert reader.status().state is DeviceState.OK


def test_baud_is_detected_and_sam_answers(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    assert reader.status().state is DeviceState.UNKNOWN
    reader.sam_status()
    assert reader.baud == 115200
    assert reader.sam_id().display == "05.01-20101117-0052152654-1712318975"
    assert sim.requests[0].command == (0x11, 0xFF)  # detection asks for SAM status first


def test_configured_baud_skips_detection(sim: IdCardSimulator) -> None:
    with make_reader(sim, baud=9600) as r:
        assert_reads(r)
        assert r.baud == 9600
    assert sim.requests[0].command == (0x20, 0x01)


def test_fingerprint_read_uses_the_header_lengths(sim: IdCardSimulator) -> None:
    import dataclasses

    sim.place_card(dataclasses.replace(RESIDENT, fingerprint=b"\x33" * 1024))
    with make_reader(sim, with_fingerprint=True) as r:
        card = r.read_card(timeout_s=1.0)
    assert card.fingerprint == b"\x33" * 1024
    assert (0x30, 0x10) in [q.command for q in sim.requests]


def test_no_card_then_a_card(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    sim.inject(Fault.NO_CARD)
    with pytest.raises(NoCard) as info:
        reader.read_card(timeout_s=0)
    assert info.value.message_key == "idcard.no_card"
    assert reader.status().state is DeviceState.OK  # no card is not a device failure
    assert_reads(reader)


def test_removed_card(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    sim.remove_card()
    with pytest.raises(NoCard):
        reader.read_card(timeout_s=0.3)
    sim.place_card(RESIDENT)
    assert_reads(reader)


def test_read_failure_then_recovery(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    sim.inject(Fault.READ_FAILURE)
    with pytest.raises(CardReadFailed) as info:
        reader.read_card(timeout_s=1.0)
    assert info.value.message_key == "idcard.place_again"
    assert_reads(reader)


def test_select_failure_then_recovery(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    sim.inject(Fault.SELECT_FAILURE)
    with pytest.raises(errors.CardStatusError):
        reader.read_card(timeout_s=1.0)
    assert_reads(reader)


def test_sam_fault(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    reader.sam_status()
    sim.inject(Fault.SAM_FAULT)
    with pytest.raises(SamSelfTestFailed) as info:
        reader.sam_status()
    assert info.value.message_key == "idcard.sam_fault"
    assert reader.status().state is DeviceState.DEGRADED
    reader.sam_status()
    assert reader.status().state is DeviceState.OK


@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.BAD_CHECKSUM, errors.FrameChecksumError), (Fault.TRUNCATED, errors.FrameTruncated)],
)
def test_corrupt_reply_is_typed_then_recovered(
    sim: IdCardSimulator, fault: Fault, error: type[errors.IdCardError]
) -> None:
    with make_reader(sim, retries=0) as r:
        r.sam_status()
        sim.inject(fault, command=READ)
        with pytest.raises(error):
            r.read_card(timeout_s=1.0)
        assert r.status().state is DeviceState.DEGRADED  # one glitch is not offline
        assert_reads(r)
        assert r.status().state is DeviceState.OK


@pytest.mark.parametrize("fault", [Fault.BAD_CHECKSUM, Fault.TRUNCATED])
def test_corrupt_reply_is_retried_transparently(sim: IdCardSimulator, reader: SerialIdCardReader,
                                                fault: Fault) -> None:
    sim.inject(fault, command=READ)
    assert_reads(reader)
    assert [q.command for q in sim.requests].count(READ) == 2


def test_garbage_between_frames_is_skipped(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    sim.inject(Fault.GARBAGE, count=5)
    assert_reads(reader)
    assert [q.command for q in sim.requests].count(READ) == 1  # no resend was needed


def test_slow_reply_times_out_then_recovers(sim: IdCardSimulator) -> None:
    with make_reader(sim, retries=0) as r:
        r.sam_status()
        sim.inject(Fault.SLOW, command=READ)
        with pytest.raises(errors.ReaderTimeout):
            r.read_card(timeout_s=1.0)
        # Let the late reply arrive; it must not be taken for the answer to anything that follows.
        assert sim.wait_for_replies(4)
        assert_reads(r)


def test_slow_reply_within_the_timeout_is_fine(sim: IdCardSimulator) -> None:
    with make_reader(sim, read_timeout_s=2.0) as r:
        sim.inject(Fault.SLOW, command=READ)
        assert_reads(r)


def test_device_vanishes_mid_read_and_returns(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    assert_reads(reader)
    sim.inject(Fault.VANISH, command=READ)
    with pytest.raises(errors.ReaderDisconnected):
        reader.read_card(timeout_s=1.0)
    assert reader.status().state is DeviceState.DEGRADED
    for _ in range(3):
        with pytest.raises(errors.PortUnavailable) as info:
            reader.read_card(timeout_s=0)
        assert info.value.message_key == "idcard.reader_offline"
        # Each failed exchange is reported as it went; declaring the reader offline after several in a
        # row is the device manager's call (tests/unit/kiosk/devices/test_manager_backends.py).
        status = reader.status()
        assert (status.state, status.detail) == (DeviceState.DEGRADED, errors.PortUnavailable.code)
    sim.reappear()
    assert_reads(reader)  # the same reader object: no restart
    assert reader.status().state is DeviceState.OK


def test_device_vanishes_while_idle_and_returns(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    assert_reads(reader)
    sim.vanish()
    with pytest.raises((errors.ReaderDisconnected, errors.PortUnavailable)):
        reader.read_card(timeout_s=0)
    sim.reappear()
    assert_reads(reader)


def test_port_missing_from_the_start(tmp_path: Path) -> None:
    with SerialIdCardReader(str(tmp_path / "nothing"), step_timeout_s=0.3) as r, \
            pytest.raises(errors.PortUnavailable):
        r.read_card(timeout_s=0)


def test_second_user_of_the_port_is_told_it_is_busy(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    reader.sam_status()
    with make_reader(sim) as other, pytest.raises(errors.PortBusy):
        other.sam_status()


def test_cancel_interrupts_a_waiting_read(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    reader.sam_status()
    sim.inject(Fault.SLOW, command=READ)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            reader.read_found_card(timeout_s=5.0) if reader.find_card() else None
        except errors.IdCardError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=read)
    worker.start()
    assert sim.wait_for_requests(4)  # status, find, select, read
    reader.cancel()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert [type(e) for e in outcome] == [errors.ReadCancelled]


def test_additional_address_is_read(sim: IdCardSimulator, reader: SerialIdCardReader) -> None:
    card = load_card_fixture(FIXTURES / "resident_long_term.json")
    sim.place_card(card)
    read = reader.read_card(timeout_s=1.0)
    assert read.additional_address == card.additional_address
    assert read.valid_to is None


def test_simulated_backend_from_configuration() -> None:
    reader = open_reader("simulated", port="", baud=0, card_file=str(FIXTURES / "foreigner_2023.json"))
    try:
        assert isinstance(reader, SimulatedIdCardReader)
        card = reader.read_card(timeout_s=1.0)
        assert card.kind is CardKind.FOREIGNER_PERMANENT_2023
        reader.simulator.remove_card()
        with pytest.raises(NoCard):
            reader.read_card(timeout_s=0)
    finally:
        reader.close()
    demo = open_reader("simulated", port="")
    try:
        assert demo.read_card(timeout_s=1.0).name == "测试样例"
    finally:
        demo.close()
    with pytest.raises(errors.ReaderNotConfigured):
        open_reader("none", port="")


@pytest.mark.parametrize("after", ["find", "select"])
def test_a_card_pulled_mid_read_says_place_it_again_and_the_reader_stays_well(
        sim: IdCardSimulator, reader: SerialIdCardReader, after: str) -> None:
    # The hand lifts the card after the reader found it (select then fails, 81) or selected it (read, 41).
    sim.inject(Fault.CARD_PULLED, command=None if after == "find" else SELECT)
    with pytest.raises(errors.CardStatusError) as info:
        reader.read_card(timeout_s=1.0)
    assert info.value.message_key == "idcard.place_again"
    assert sim.card is None
    assert reader.status().state is DeviceState.OK  # the card's doing, not the reader's
    sim.place_card(RESIDENT)
    assert_reads(reader)
