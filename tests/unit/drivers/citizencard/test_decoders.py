"""Every decoder the shipped profiles use, the simple TLV form, and the failures they raise."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.citizencard import decoders
from drivers.citizencard.errors import CardProtocolError
from drivers.citizencard.profiles import shipped_profiles

# Each decoder with (raw, expected) pairs and raws that must fail.
CASES: dict[str, tuple[list[tuple[bytes, object]], list[bytes]]] = {
    "ascii": ([(b"A00000001", "A00000001"), (b"2.00", "2.00"), (b"A12\x00\x00", "A12"), (b"X  ", "X"),
               (b"3\xff\xff", "3")], [b"\xc9\xe7"]),
    "gbk": ([("王建国".encode("gbk") + b" " * 24, "王建国"), ("蓝秀英".encode("gbk") + b"\x00" * 24, "蓝秀英"),
             ("䶮".encode("gb18030"), "䶮")], [b"\xff\x41\x81"]),
    "bcd": ([(bytes.fromhex("330106"), "330106"), (bytes.fromhex("0310099900000001234F"), "0310099900000001234"),
             (bytes.fromhex("330100990001FFFFFFFFFFFF"), "330100990001")], [bytes.fromhex("3A01")]),
    "bcd_date": ([(bytes.fromhex("19900307"), dt.date(1990, 3, 7)), (bytes.fromhex("20291231"), dt.date(2029, 12, 31))],
                 [bytes.fromhex("19901332"), bytes.fromhex("199003"), bytes.fromhex("1990030A")]),
    "hex": ([(bytes.fromhex("330100D156"), "330100D156"), (b"", "")], []),
    "uint_be": ([(bytes.fromhex("00003039"), 12345), (bytes.fromhex("00"), 0), (bytes.fromhex("FFFFFFFF"), 4294967295)],
                [b""]),
    "nation": ([(b"\x01", "汉"), (b"\x22", "畲"), (b"01", "汉"), (b"\x56", "基诺"), (b"\x98", "外国血统中国籍人士"),
                (b"\x99", "其他"), (b"\x57", "其他")], [b"\x0a", b"\x7f", b"AB", b"\x01\x02\x03"]),
    "gender": ([(b"1", "1"), (b"2", "2"), (b"0", "0"), (b"9", "9"), (b"\x01", "1"), (b"\x02", "2")],
               [b"3", b"M", b"\x05"]),
}


def test_every_decoder_in_the_shipped_profiles_is_tested_here() -> None:
    used = {spec.decoder for profile in shipped_profiles() for spec in profile.field_specs.values()}
    assert used <= set(CASES), used - set(CASES)
    assert set(CASES) == set(decoders.DECODERS)


@pytest.mark.parametrize(("name", "raw", "expected"),
                         [(n, raw, exp) for n, (good, _) in CASES.items() for raw, exp in good])
def test_decoder_values(name: str, raw: bytes, expected: object) -> None:
    assert decoders.DECODERS[name](raw) == expected


@pytest.mark.parametrize(("name", "raw"), [(n, raw) for n, (_, bad) in CASES.items() for raw in bad])
def test_decoder_failures_are_protocol_errors_without_content(name: str, raw: bytes) -> None:
    with pytest.raises(CardProtocolError) as caught:
        decoders.DECODERS[name](raw)
    assert raw.hex() not in str(caught.value).lower() or not raw


def test_simple_tlv_records() -> None:
    data = bytes.fromhex("0703") + b"A01" + bytes.fromhex("0A01") + b"1"
    assert decoders.parse_simple_tlv(data) == {0x07: b"A01", 0x0A: b"1"}


def test_simple_tlv_ignores_trailing_filler_and_keeps_the_first_duplicate() -> None:
    data = bytes.fromhex("0101AA 0101BB 0000FF")
    assert decoders.parse_simple_tlv(data) == {0x01: b"\xaa"}


@pytest.mark.parametrize("bad", ["0705414243", "07"])
def test_simple_tlv_cut_short(bad: str) -> None:
    with pytest.raises(CardProtocolError, match="TLV"):
        decoders.parse_simple_tlv(bytes.fromhex(bad))


def test_nation_table_has_the_56_groups_and_the_two_extra_codes() -> None:
    assert len(decoders.NATIONS) == 58
    assert decoders.NATIONS["22"] == "畲"


@pytest.mark.parametrize("raw", [b"", b" ", b"\xff", b"\x00", b"\xff\xff", b"  ", b"\x00\x00"])
def test_an_unwritten_gender_is_refused_not_unknown(raw: bytes) -> None:
    with pytest.raises(CardProtocolError, match="gender field is empty"):
        decoders.decode_gender(raw)


@pytest.mark.parametrize("raw", [b"\x12", b"\x21", b"\x10", b"\x01\x02", b"\x00\x12", b"12"])
def test_a_gender_of_more_than_one_digit_is_refused(raw: bytes) -> None:
    # 0x12 used to become "2": the BCD value was cut to its last digit.
    with pytest.raises(CardProtocolError, match="gender code"):
        decoders.decode_gender(raw)


@pytest.mark.parametrize(("raw", "code"), [(b"\x1f", "1"), (b"\x00\x02", "2"), (b"1 ", "1"), (b"2\x00", "2")])
def test_padded_genders_still_read(raw: bytes, code: str) -> None:
    assert decoders.decode_gender(raw) == code


@pytest.mark.parametrize("text", ["王\x07建国", "王\x1b建国", "王建国\x7f", "王\u202e建国", "王\u200b建国",
                                  "王\u2028建国", "\u2029王建国", "王\ufeff建国", "王\x00建国", "\x1c王建国"])
def test_controls_and_invisible_characters_in_a_gbk_name_are_refused(text: str) -> None:
    raw = text.encode("gb18030") + b" " * 6
    with pytest.raises(CardProtocolError, match="control"):
        decoders.decode_gbk(raw)


@pytest.mark.parametrize("raw", [b"A\x07001", b"A00\x7f01", b"\x1fA0001", b"A0\x00001"])
def test_controls_in_an_ascii_field_are_refused(raw: bytes) -> None:
    with pytest.raises(CardProtocolError, match="control"):
        decoders.decode_ascii(raw)
