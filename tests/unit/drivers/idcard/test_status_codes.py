"""Every SW3 result code maps to its own typed error with a stable code and a message the UI can show."""

from __future__ import annotations

import pytest

from drivers.errors import DeviceError
from drivers.idcard import errors, status_codes
from drivers.idcard.messages import MESSAGES, message, message_for
from drivers.idcard.status_codes import STATUS_CODES, describe, error_for

FAILURES = [s for s in STATUS_CODES.values() if s.error is not None]

# The table of device-protocols.md 1.4, including the corrections it insists on (0x23/0x24, 0x31/0x32, 0x40/0x41).
EXPECTED = {
    0x10: "request_checksum", 0x11: "request_length", 0x21: "command", 0x23: "unauthorised",
    0x24: "unrecognised", 0x31: "card_auth_sam_failed", 0x32: "sam_auth_card_failed", 0x33: "info_verification",
    0x37: "fingerprint_verification", 0x3F: "info_length", 0x40: "unknown_card_type", 0x41: "read_failed",
    0x47: "random_failed", 0x60: "sam_self_test_failed", 0x66: "sam_not_authorised", 0x80: "no_card",
    0x81: "select_failed", 0x91: "no_content",
}


def test_the_table_is_complete() -> None:
    assert {s.sw3 for s in FAILURES} == set(EXPECTED)
    assert {s.sw3 for s in STATUS_CODES.values() if s.error is None} == {0x90, 0x9F}


@pytest.mark.parametrize("sw3", sorted(EXPECTED))
def test_each_code_has_its_own_typed_error(sw3: int) -> None:
    error = error_for(sw3)
    assert isinstance(error, DeviceError)
    assert isinstance(error, errors.ReaderStatusError)
    assert error.sw3 == sw3
    assert error.code == f"idcard.sw.{EXPECTED[sw3]}"
    assert error.message_key in MESSAGES
    assert STATUS_CODES[sw3].zh in describe(sw3)


def test_codes_are_unique() -> None:
    codes = [error_for(s.sw3).code for s in FAILURES]
    assert len(codes) == len(set(codes))


def test_message_keys_say_what_to_do() -> None:
    assert error_for(0x80).message_key == "idcard.no_card"
    assert error_for(0x41).message_key == "idcard.place_again"
    assert error_for(0x81).message_key == "idcard.place_again"
    assert error_for(0x60).message_key == "idcard.sam_fault"
    assert error_for(0x66).message_key == "idcard.sam_fault"
    assert error_for(0x40).message_key == "idcard.unsupported_card"
    assert isinstance(error_for(0x41), errors.CardStatusError)
    assert isinstance(error_for(0x60), errors.SamFaultError)
    assert isinstance(error_for(0x10), errors.RequestRejected)


def test_unknown_code_is_still_typed() -> None:
    error = error_for(0x55)
    assert isinstance(error, status_codes.UnknownReaderStatus)
    assert "0x55" in str(error)
    assert "0x55" in describe(0x55)


def _all_subclasses(cls: type) -> list[type]:
    return [cls, *(sub for c in cls.__subclasses__() for sub in _all_subclasses(c))]


def test_every_error_class_has_a_message_in_both_languages() -> None:
    for cls in _all_subclasses(errors.IdCardError):
        assert cls.message_key in MESSAGES, cls
        zh, en = message(cls.message_key)
        assert zh
        assert en.isascii()


def test_unknown_message_key_falls_back() -> None:
    assert message("nope") == MESSAGES["device.error"]
    assert message_for(errors.ReaderTimeout()) == MESSAGES["idcard.reader_no_answer"]
