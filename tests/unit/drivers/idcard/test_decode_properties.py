"""Properties of the ID-card decoder over generated text blocks (the kept fuzzing; bench/fuzz.py runs more).

Bounded (300 examples each, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard.decode import decode_additional_address, decode_text
from drivers.idcard.encode import encode_text, load_card_fixture
from drivers.idcard.errors import CardDataError, CardTextError
from drivers.idcard.layouts import LAYOUTS
from drivers.idcard.models import IdCard
from drivers.text import has_unsafe

FIXTURES = Path(__file__).parents[3] / "fixtures" / "idcard"
CARDS = {p.name: load_card_fixture(p) for p in sorted(FIXTURES.glob("*.json"))}
TEXT_FIELDS = {
    "name", "address", "issuer", "english_name", "chinese_name", "english_name_1", "english_name_2", "pass_number",
}
UNSAFE = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])


def block_with(card: IdCard, field: str, value: str) -> bytes:
    offset, size = LAYOUTS[card.kind][field]
    raw = value.encode("utf-16-le", "surrogatepass")[:size]
    text = bytearray(encode_text(card))
    # A value cut inside a character leaves an odd length: pad it out with a byte of a space.
    text[offset : offset + size] = (raw + " ".encode("utf-16-le") * size)[:size]
    return bytes(text)


def strings(card: IdCard) -> list[str]:
    values = [v for v in dataclasses.asdict(card).values() if isinstance(v, str)]
    return values + [v for v in card.extra_fields().values() if v]


fixtures_and_fields = st.sampled_from(sorted(CARDS)).flatmap(
    lambda name: st.tuples(st.just(name), st.sampled_from(sorted(LAYOUTS[CARDS[name].kind]))))


@settings(max_examples=300, deadline=None)
@given(fixtures_and_fields, st.text(max_size=40))
def test_any_text_in_any_field_decodes_to_safe_text_or_a_typed_error(where: tuple[str, str], value: str) -> None:
    name, field = where
    try:
        card = decode_text(block_with(CARDS[name], field, value))
    except CardDataError:
        return
    assert not any(has_unsafe(text) for text in strings(card))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CARDS)), st.data(), UNSAFE)
def test_a_hidden_character_inside_a_text_field_is_always_refused(name: str, data: st.DataObject, hidden: str) -> None:
    card = CARDS[name]
    field = data.draw(st.sampled_from(sorted(TEXT_FIELDS & set(LAYOUTS[card.kind]))))
    current = encode_text(card)[slice(*_span(card, field))].decode("utf-16-le").rstrip(" ")
    # Inside the content (before its last character): a NUL after the content would be padding.
    at = data.draw(st.integers(0, max(0, len(current) - 1)))
    value = current[:at] + hidden + current[at:] if current else hidden + "A"
    with pytest.raises(CardTextError):
        decode_text(block_with(card, field, value))


def _span(card: IdCard, field: str) -> tuple[int, int]:
    offset, size = LAYOUTS[card.kind][field]
    return offset, offset + size


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80))
def test_any_additional_address_is_safe_text_none_or_a_typed_error(data: bytes) -> None:
    try:
        value = decode_additional_address(data)
    except CardTextError:
        return
    assert value is None or (value and not has_unsafe(value) and value == value.rstrip(" \x00"))
