"""Cards are read through the device manager's own readers, never a second handle on the same port; a card
pulled mid-read is the card's error, with words for the resident, and the next read works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.citizencard.errors import CardRemoved
from drivers.citizencard.simulated import SimulatedCitizenCardReader
from drivers.idcard.errors import CardStatusError
from drivers.idcard.factory import SimulatedIdCardReader
from drivers.idcard.simulator import Fault
from kiosk.config import Config, config_from_mapping
from kiosk.devices.manager import IDCARD, DeviceManager
from kiosk.identity.read import (
    NoReaderAvailable,
    managed_card_readers,
    message_for,
    read_resident,
    read_resident_from,
)
from kiosk.identity.resident import IdentitySource
from kiosk.identity.validate import CardDataRejected

FIXTURES = Path(__file__).parents[3] / "fixtures" / "idcard"


def test_read_resident_through_the_manager(tmp_path: Path) -> None:
    config = config_from_mapping({
        "devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}},
    })
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        with managed_card_readers(manager) as readers:
            assert readers.idcard is not None
            assert readers.citizencard is None
            resident = read_resident(readers, 5.0)
        assert resident.source is IdentitySource.ID_CARD
        assert resident.name
        # The manager still owns the reader: the same driver is handed out again.
        with managed_card_readers(manager) as again:
            assert again.idcard is readers.idcard
    finally:
        manager.stop()


def test_a_refused_card_is_a_typed_error_counted_in_the_readers_health(tmp_path: Path) -> None:
    fixture = json.loads((FIXTURES / "resident.json").read_text(encoding="utf-8"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**fixture, "gender": "女"}, ensure_ascii=False), encoding="utf-8")
    manager = DeviceManager.from_config(_idcard_only(bad), tmp_path)
    try:
        with pytest.raises(CardDataRejected) as caught:
            read_resident_from(manager, 5.0)
        assert caught.value.code == "identity.card_data.gender"
        zh, en = message_for(caught.value)
        assert "工作人员" in zh
        assert "could not be read" in en
        assert manager.card_reads(IDCARD).refused == 1
        assert manager.card_reads(IDCARD).last_refusal == "identity.card_data.gender"
    finally:
        manager.stop()
    good = DeviceManager.from_config(_idcard_only(FIXTURES / "resident.json"), tmp_path)
    try:
        read_resident_from(good, 5.0)
        assert good.card_reads(IDCARD).accepted == 1
    finally:
        good.stop()


def _idcard_only(card_file: Path) -> Config:
    return config_from_mapping({"devices": {"idcard": {"backend": "simulated", "card_file": str(card_file)},
                                            "citizencard": {"backend": "none"}}})


def test_an_id_card_pulled_mid_read_is_a_card_error_with_a_retry_not_a_missing_reader(tmp_path: Path) -> None:
    config = config_from_mapping({
        "devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}},
    })
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        with managed_card_readers(manager) as readers:
            reader = readers.idcard
            assert isinstance(reader, SimulatedIdCardReader)
            reader.simulator.inject(Fault.CARD_PULLED)  # lifted just after the reader found it
            with pytest.raises(CardStatusError) as info:
                read_resident(readers, 5.0)
            # Not taken for a reader that went away (which would say 读卡器暂时无法使用, ask staff).
            assert not isinstance(info.value, NoReaderAvailable)
            zh, en = message_for(info.value)
            assert "重新放置" in zh
            assert "place it again" in en
            # The retry: the card back on the same reader, read again.
            reader.place_card()
            assert read_resident(readers, 5.0).source is IdentitySource.ID_CARD
    finally:
        manager.stop()


def test_a_citizen_card_pulled_mid_read_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_from_mapping({
        "devices": {"idcard": {"backend": "none"}, "citizencard": {"backend": "simulated"}},
    })
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        with managed_card_readers(manager) as readers:
            reader = readers.citizencard
            assert isinstance(reader, SimulatedCitizenCardReader)
            with reader.open_card() as channel:
                answer = channel.card.apdu

                def pulled_after_the_first_answer(command: bytes) -> bytes:
                    reply = answer(command)
                    reader.take_card()  # the hand pulls the card between two commands
                    return reply

                monkeypatch.setattr(channel.card, "apdu", pulled_after_the_first_answer)
            with pytest.raises(CardRemoved) as info:
                read_resident(readers, 5.0)
            zh, _en = message_for(info.value)
            assert "卡片已被取出" in zh
            reader.place_card()  # a fresh insert: read again
            assert read_resident(readers, 5.0).source is IdentitySource.CITIZEN_CARD
    finally:
        manager.stop()
