"""Properties of the citizen-card decoders and of a whole read of a mutated card (the kept fuzzing;
bench/fuzz.py runs more). Bounded (300 examples each, no deadline) so the suite stays fast."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from drivers.citizencard import decoders, profile_runner
from drivers.citizencard.card_emulator import EF05, EF06, VirtualCard, load_fixture
from drivers.citizencard.channel import Deadline
from drivers.citizencard.errors import CardProtocolError, CitizenCardError
from drivers.citizencard.profiles import shipped_profiles
from drivers.citizencard.simulated import EmulatedChannel
from drivers.text import has_unsafe

FIXTURES = Path(__file__).parents[3] / "fixtures" / "citizencard"
PROFILES = shipped_profiles()
PADDING = b" \x00\xff"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(decoders.DECODERS)), st.binary(max_size=40))
def test_every_decoder_gives_a_value_or_a_typed_error(name: str, raw: bytes) -> None:
    try:
        value = decoders.DECODERS[name](raw)
    except CardProtocolError:
        return
    assert isinstance(value, str | int | dt.date)
    if isinstance(value, str):
        assert not has_unsafe(value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4))
def test_a_gender_is_one_written_digit(raw: bytes) -> None:
    try:
        code = decoders.decode_gender(raw)
    except CardProtocolError:
        return
    assert code in decoders.GENDER_CODES
    assert raw.strip(PADDING), "an unwritten field is no gender"
    written_ascii = raw.rstrip(PADDING).strip(b" ") == code.encode()
    digits = raw.hex().rstrip("f")
    written_bcd = digits.isdigit() and (digits.lstrip("0") or "0") == code  # 0x0F is a 0 and its filler
    assert written_ascii or written_bcd


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12), st.sampled_from([b"", b" " * 4, b"\x00" * 4, b"\xff" * 2]))
def test_gbk_text_comes_back_as_written_or_is_refused(text: str, padding: bytes) -> None:
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        assume(False)
        return
    try:
        value = decoders.decode_gbk(raw + padding)
    except CardProtocolError:
        assert has_unsafe(text.rstrip(" \x00")), "only hidden characters are refused in valid GB18030"
        return
    assert value == text.rstrip(" \x00").strip(" ")
    assert not has_unsafe(value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["ssse-2.00", "ssse-t0", "citizen-tunion"]), st.data())
def test_a_read_of_a_mutated_card_ends_in_a_card_or_a_typed_error(fixture: str, data: st.DataObject) -> None:
    card = VirtualCard(load_fixture(FIXTURES / f"{fixture}.toml"))
    records = card.files[data.draw(st.sampled_from([EF05, EF06]))].records
    index = data.draw(st.integers(0, len(records) - 1))
    records[index] = data.draw(st.one_of(
        st.binary(min_size=1, max_size=40),  # anything at all
        st.binary(max_size=30).map(lambda v, tag=records[index][0]: bytes((tag, len(v))) + v),  # a well-formed TLV
    ))
    with contextlib.suppress(CitizenCardError):
        profile_runner.read_card(EmulatedChannel(card), PROFILES, reader="test", authenticator=None,
                                 deadline=Deadline(5.0))


@pytest.mark.parametrize("raw", [b"", b"\x01\x05abc", b"\x01"])
def test_tlv_that_runs_past_its_end_is_typed(raw: bytes) -> None:
    if not raw:
        assert decoders.parse_simple_tlv(raw) == {}
        return
    with pytest.raises(CardProtocolError):
        decoders.parse_simple_tlv(raw)
