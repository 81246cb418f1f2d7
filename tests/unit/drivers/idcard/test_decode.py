"""Decoding of every card kind, from the reference vector and from the fixtures, and of corrupt text."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import nations
from drivers.idcard.decode import card_kind, decode_additional_address, decode_text, split_read_reply
from drivers.idcard.encode import (
    FixtureError,
    card_from_dict,
    encode_additional_address,
    encode_read_data,
    encode_text,
    load_card_fixture,
)
from drivers.idcard.errors import CardDataError, CardDateError, CardTextError, InvalidIdNumber
from drivers.idcard.frames import parse_frame
from drivers.idcard.models import (
    CardKind,
    ForeignerPermanentIdCard2017,
    ForeignerPermanentIdCard2023,
    HmtResidencePermit,
    ResidentIdCard,
)

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "fixtures" / "idcard"
VECTOR = Path("/work/shared/reference/vectors/read_basic_response.hex")


def vector_data() -> bytes:
    path = VECTOR if VECTOR.exists() else FIXTURES / "read_basic_response.hex"
    reply = parse_frame(bytes.fromhex(path.read_text().strip()))
    return reply.data  # type: ignore[union-attr]


def text_of(name: str) -> bytes:
    return encode_text(load_card_fixture(FIXTURES / name))


def test_reference_vector_decodes() -> None:
    parts = split_read_reply(vector_data(), with_fingerprint=False)
    card = decode_text(parts.text, photo=parts.photo)
    assert isinstance(card, ResidentIdCard)
    assert card.kind is CardKind.RESIDENT
    assert card.name == "测试样例"
    assert (card.gender, card.gender_code) == ("男", "1")
    assert (card.nation, card.nation_code) == ("汉", "01")
    assert card.birth_date == dt.date(1990, 3, 7)
    assert card.address == "浙江省杭州市西湖区测试路1号"
    assert card.id_number == "330106199003070014"
    assert card.issuer == "杭州市公安局西湖分局"
    assert (card.valid_from, card.valid_to) == (dt.date(2020, 1, 1), dt.date(2040, 1, 1))
    assert card.photo_wlt == bytes(1024)


def test_encoder_reproduces_the_reference_vector_exactly() -> None:
    card = load_card_fixture(FIXTURES / "resident.json")
    assert encode_read_data(card, with_fingerprint=False) == vector_data()


def test_long_term_variant() -> None:
    text = bytearray(split_read_reply(vector_data(), with_fingerprint=False).text)
    text[204:220] = bytes.fromhex("7F951F67200020002000200020002000")
    assert decode_text(bytes(text)).valid_to is None


@pytest.mark.parametrize(
    ("fixture", "cls"),
    [
        ("resident.json", ResidentIdCard),
        ("resident_long_term.json", ResidentIdCard),
        ("resident_x_check.json", ResidentIdCard),
        ("hmt_residence_permit.json", HmtResidencePermit),
        ("foreigner_2017.json", ForeignerPermanentIdCard2017),
        ("foreigner_2023.json", ForeignerPermanentIdCard2023),
    ],
)
def test_every_fixture_round_trips(fixture: str, cls: type) -> None:
    card = load_card_fixture(FIXTURES / fixture)
    assert len(encode_text(card)) == 256
    decoded = decode_text(encode_text(card), photo=card.photo_wlt, fingerprint=card.fingerprint)
    assert type(decoded) is cls
    # The new address travels in its own reply (30 03), not in the text block.
    assert decoded == card.__class__(**{**card.__dict__, "additional_address": None})


def test_hmt_fields() -> None:
    card = decode_text(text_of("hmt_residence_permit.json"))
    assert isinstance(card, HmtResidencePermit)
    assert card.kind is CardKind.HMT_RESIDENCE_PERMIT
    assert (card.pass_number, card.issue_count) == ("H12345678", "01")
    assert card.nation is None
    assert card.extra_fields() == {"pass_number": "H12345678", "issue_count": "01"}


def test_foreigner_2017_fields() -> None:
    card = decode_text(text_of("foreigner_2017.json"))
    assert isinstance(card, ForeignerPermanentIdCard2017)
    assert card.kind is CardKind.FOREIGNER_PERMANENT_2017
    assert card.name == "样例"
    assert card.english_name == "SAMPLE, TESTCASE EXAMPLE"
    assert (card.nation, card.id_number) == ("CAN", "CAN330019800101")
    assert (card.issuer_code, card.card_version) == ("1500", "01")
    assert card.address is None


def test_foreigner_2023_english_name_spans_both_fields() -> None:
    card = decode_text(text_of("foreigner_2023.json"))
    assert isinstance(card, ForeignerPermanentIdCard2023)
    assert card.english_name == "EXAMPLEFAMILY ALEXANDRA-FICTIONAL TESTPERSON"
    assert card.name == card.english_name  # no Chinese name on this card
    assert (card.nation, card.previous_number_link, card.renewal_count) == ("NZL", "331", "00")
    assert card.issuer == ""


def test_long_term_and_minority_fixture() -> None:
    card = decode_text(text_of("resident_long_term.json"))
    assert card.valid_to is None
    assert card.nation == "畲"
    assert card.gender == "女"
    assert not card.is_expired(dt.date(2100, 1, 1))


def test_type_marker() -> None:
    assert card_kind(text_of("resident.json")) is CardKind.RESIDENT
    assert card_kind(text_of("foreigner_2023.json")) is CardKind.FOREIGNER_PERMANENT_2023


def _corrupt(text: bytes, offset: int, value: bytes) -> bytes:
    return text[:offset] + value + text[offset + len(value) :]


@pytest.mark.parametrize(
    ("offset", "value", "error"),
    [
        (122 + 34, "5".encode("utf-16-le"), InvalidIdNumber),  # last ID digit changed
        (36, "1990".encode("utf-16-le") + "1340".encode("utf-16-le"), CardDateError),  # month 13
        (36, "19a0".encode("utf-16-le"), CardDateError),
        (0, b"\x00\xd8\x41\x00", CardTextError),  # lone surrogate in the name
        (52, "\x07".encode("utf-16-le"), CardTextError),  # control character in the address
        (30, "7".encode("utf-16-le"), CardTextError),  # no such gender code
        (188, "        ".encode("utf-16-le"), CardDateError),  # empty valid-from
    ],
)
def test_corrupt_text_is_a_typed_error_without_personal_data(offset: int, value: bytes, error: type) -> None:
    text = _corrupt(text_of("resident.json"), offset, value)
    with pytest.raises(error) as info:
        decode_text(text)
    assert isinstance(info.value, CardDataError)
    assert "330106" not in str(info.value)
    assert "测试" not in str(info.value)


def test_foreign_numbers_are_checked() -> None:
    with pytest.raises(InvalidIdNumber):
        decode_text(_corrupt(text_of("foreigner_2023.json"), 122 + 34, "8".encode("utf-16-le")))
    with pytest.raises(InvalidIdNumber):
        decode_text(_corrupt(text_of("foreigner_2017.json"), 122, "1".encode("utf-16-le")))


def test_unknown_ethnic_group_code_shows_as_other() -> None:
    card = decode_text(_corrupt(text_of("resident.json"), 32, "77".encode("utf-16-le")))
    assert card.nation == "其他"


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_any_text_block_decodes_or_raises_a_typed_error(text: bytes) -> None:
    with contextlib.suppress(CardDataError):
        decode_text(text)


@pytest.mark.parametrize(("text_len", "photo_len", "fp_len"), [(256, 1024, 0), (256, 1024, 1024), (256, 1000, 17)])
def test_fingerprint_reply_is_split_by_its_header(text_len: int, photo_len: int, fp_len: int) -> None:
    text = text_of("resident.json")
    photo, fp = bytes(range(256)) * 4, b"\x5a" * fp_len
    data = text_len.to_bytes(2, "big") + photo_len.to_bytes(2, "big") + fp_len.to_bytes(2, "big")
    data += text + photo[:photo_len] + fp
    parts = split_read_reply(data, with_fingerprint=True)
    assert (parts.text, parts.photo, parts.fingerprint) == (text, photo[:photo_len], fp)


def test_fingerprint_fixture_encodes_its_lengths() -> None:
    data = json.loads((FIXTURES / "resident.json").read_text(encoding="utf-8"))
    card = card_from_dict({**data, "fingerprint_hex": "11" * 1024})
    encoded = encode_read_data(card, with_fingerprint=True)
    assert len(encoded) + 3 + 1 + 7 == 2321  # the 30 10 frame with FL=1024
    assert split_read_reply(encoded, with_fingerprint=True).fingerprint == b"\x11" * 1024


@pytest.mark.parametrize(
    "data", [b"", b"\x01\x00\x04\x00", b"\x01\x00\x04\x00" + bytes(1279), b"\x00\x10\x00\x00" + bytes(16)]
)
def test_inconsistent_read_lengths_are_typed_errors(data: bytes) -> None:
    with pytest.raises(CardDataError):
        split_read_reply(data, with_fingerprint=False)


def test_additional_address() -> None:
    address = "浙江省杭州市上城区样例路5号"
    assert decode_additional_address(encode_additional_address(address)) == address
    assert decode_additional_address(b"") is None
    assert decode_additional_address(" ".encode("utf-16-le") * 35 + b"\x00") is None
    with pytest.raises(CardTextError):
        decode_additional_address(b"\x00\xdc")


def test_tables() -> None:
    assert len([c for c in nations.ETHNIC_GROUPS if int(c) <= 56]) == 56
    assert nations.ETHNIC_GROUPS["46"] == "德昂"
    assert nations.ETHNIC_GROUPS["29"] == "柯尔克孜"
    assert nations.gender_code("女") == "2"
    assert nations.ethnic_group_code("畲族") == "22"
    assert nations.gender("9") == "未说明"


@pytest.mark.parametrize(
    ("change", "key"),
    [({"kind": "passport"}, "kind"), ({"gender": "x"}, "gender"), ({"birth_date": "1990-13-01"}, "birth_date"),
     ({"nation": "火星"}, "nation"), ({"name": "名" * 16}, "name"), ({"photo_wlt_hex": "zz"}, "photo_wlt_hex")],
)
def test_bad_fixtures_name_the_key(change: dict[str, str], key: str) -> None:
    data = json.loads((FIXTURES / "resident.json").read_text(encoding="utf-8"))
    with pytest.raises(FixtureError, match=key):
        encode_text(card_from_dict({**data, **change}))


def _with_field(fixture: str, offset: int, size: int, value: str, pad: bytes = " ".encode("utf-16-le")) -> bytes:
    raw = value.encode("utf-16-le", "surrogatepass")
    return _corrupt(text_of(fixture), offset, raw + pad * ((size - len(raw)) // 2))


# Each class the issue named: DEL, C1, bidi overrides/embeddings/isolates, zero-width, line/paragraph
# separators, BOM; all were let through because only characters below U+0020 were refused.
HIDDEN = ["\x7f", "\x85", "\x9f", "\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\u2060", "\ufeff",
          "\u2028", "\u2029", "\u200f"]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_a_hidden_or_control_character_in_a_name_is_refused(hidden: str) -> None:
    with pytest.raises(CardTextError, match="field name"):
        decode_text(_with_field("resident.json", 0, 30, f"测{hidden}试样例"))


@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\x1b"])
def test_a_hidden_character_in_the_address_and_issuer_is_refused(hidden: str) -> None:
    with pytest.raises(CardTextError, match="field address"):
        decode_text(_with_field("resident.json", 52, 70, f"浙江省{hidden}杭州市"))
    with pytest.raises(CardTextError, match="field issuer"):
        decode_text(_with_field("resident.json", 158, 30, f"杭州市{hidden}公安局"))


def test_nul_padding_at_the_end_of_a_field_is_padding() -> None:
    card = decode_text(_with_field("resident.json", 0, 30, "测试样例", pad=b"\x00\x00"))
    assert card.name == "测试样例"


def test_nuls_inside_the_2023_english_name_are_refused() -> None:
    # A short first half padded with NULs, then more of the name in the second half: joining the raw
    # fields used to leave the NULs inside the name.
    text = _with_field("foreigner_2023.json", 52, 70, "EXAMPLE", pad=b"\x00\x00")
    text = _with_field_in(text, 220, 22, "FAMILY")
    with pytest.raises(CardTextError, match="english_name"):
        decode_text(text)


def _with_field_in(text: bytes, offset: int, size: int, value: str) -> bytes:
    raw = value.encode("utf-16-le")
    return _corrupt(text, offset, raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2))


def test_the_2023_english_name_keeps_a_space_at_the_seam() -> None:
    # A name whose 35th character is a space runs on into the second field: the space is content.
    english = "ABCDEFGHIJKLMNOPQRSTUVWXYZ ABCDEFG " + "HIJ"
    text = _with_field_in(_with_field_in(text_of("foreigner_2023.json"), 52, 70, english[:35]), 220, 22, english[35:])
    card = decode_text(text)
    assert isinstance(card, ForeignerPermanentIdCard2023)
    assert card.english_name == english


@pytest.mark.parametrize("hidden", ["\x07", "\x7f", "\u202e", "\u200b", "\u2028"])
def test_a_hidden_character_in_the_additional_address_is_refused(hidden: str) -> None:
    with pytest.raises(CardTextError, match="additional_address"):
        decode_additional_address(encode_additional_address(f"浙江省{hidden}杭州市"))


@pytest.mark.parametrize(
    ("fixture", "number"),
    [("resident.json", "933124198001010029"),  # a 2023 foreigner's number on a resident card
     ("resident.json", "810000198506150020"),  # a residence permit's number on a resident card
     ("hmt_residence_permit.json", "330106199003070014")],  # a resident's number on a permit
)
def test_a_number_of_another_card_kind_is_refused(fixture: str, number: str) -> None:
    with pytest.raises(InvalidIdNumber):
        decode_text(_with_field(fixture, 122, 36, number))


def test_a_small_x_check_character_is_a_flipped_bit() -> None:
    with pytest.raises(InvalidIdNumber, match="small x"):
        decode_text(_with_field("resident_x_check.json", 122, 36, "33010619781111002x"))


@pytest.mark.parametrize("end", ["长期有效", "永久", "ABCDEFGH"])
def test_only_changqi_means_no_expiry(end: str) -> None:
    with pytest.raises(CardDateError, match="valid_to"):
        decode_text(_with_field("resident.json", 204, 16, end))
