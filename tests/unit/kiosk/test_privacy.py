from __future__ import annotations

import hashlib
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.privacy import mask_id_number, mask_name, mask_phone, scrub


def test_masks_for_screens() -> None:
    assert mask_id_number("330102199003071234") == "330102********1234"
    assert mask_id_number("33010219900307123X") == "330102********123X"
    assert mask_id_number("330102900307123") == "330102*****7123"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三") == "*三"
    assert mask_name("欧阳娜娜") == "**娜娜"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id=330102199003071234 ok", "id=330102********1234 ok"),
        ("身份证号33010219900307123x。", "身份证号330102********123x。"),
        ("old 330102900307123 card", "old 330102*****7123 card"),
        ("tel 13812345678", "tel 138****5678"),
        ("tel +86 138-1234-5678", "tel +86 138-****-5678"),
        ("座机 0571-87654321", "座机 0571-****4321"),
        ("amount 1234567890123456789012 stays", "amount 1234567890123456789012 stays"),
        ("receipt T0001-000042 stays", "receipt T0001-000042 stays"),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected


@given(
    st.from_regex(r"\A[1-8]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}[0-9X]\Z"),
    st.text(alphabet="办事人：, =", max_size=5),
)
def test_scrub_never_leaves_an_id_number(id_number: str, around: str) -> None:
    out = scrub(around + id_number + around)
    assert id_number not in out
    assert id_number[6:14] not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Glued to letters.
        ("ID330902199001011238", "ID330902********1238"),
        ("tel13800138000", "tel138****8000"),
        ("x13800138000y", "x138****8000y"),
        ("330902199001011238abc", "330902********1238abc"),
        # In groups with spaces or hyphens, in any width.
        ("3301 0619 9001 0112 38", "3301 06** **** **12 38"),
        ("330106-19900101-1238", "330106-********-1238"),
        ("330106 － 19900101 － 1238", "330106 － ******** － 1238"),
        ("身份证：３３０９０２１９９００１０１１２３８", "身份证：３３０９０２********１２３８"),
        ("３３０１ ０６１９ ９００１ ０１１２ ３８", "３３０１ ０６** **** **１２ ３８"),
        ("３３０１０２１９９００３０７１２３Ｘ", "３３０１０２********１２３Ｘ"),
        ("138 0013 8000", "138 **** 8000"),
        ("138-0013-8000", "138-****-8000"),
        ("１３８００１３８０００", "１３８****８０００"),
        ("+8613800138000", "+86138****8000"),
        ("0086 138 0013 8000", "0086 138 **** 8000"),
        ("＋８６ １３８－００１３－８０００", "＋８６ １３８－****－８０００"),
        ("330902199001011238 13800138000", "330902********1238 138****8000"),
    ],
)
def test_scrub_finds_the_written_forms(text: str, expected: str) -> None:
    assert scrub(text) == expected


ORDINARY = [
    "2026-12-07", "2026-12-07 12:34:56,789", "2026-12-07T12:34:56.123456+08:00", "2026年12月07日 14:05",
    "KS-20261207-00001", "T0001-00000042", "T0001-000000000000000042", "Px_2026-000042", "RP2026112799999999",
    "RP20261127999999", "¥1,234,567.89", "金额 12345.60 元", "1 234 567,89", "amount 1234567890123456789012",
    "took 231 ms, depth 12, oldest 3600 s", "http://127.0.0.1:8080/api/v1/cases/RP2026112799999999",
    "kiosk 0.9.12 (Python 3.11.2)", "catalog version 20261207001", "serial 12345678 on /dev/ttyUSB0",
    "c0a8012e-4f5d-11ee-be56-0242ac120002", "the sha256 is " + hashlib.sha256(b"kiosk").hexdigest(),
    "10.0.0.138 13:80:01 38000", "page 13 of 80, items 1380-1390",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub(text) == text


def test_hashes_and_idempotency_keys_are_left_alone() -> None:
    # They hold long digit runs by chance; the sync log names them.
    for n in range(2000):
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kiosk/{n}"))
        digest = hashlib.sha256(key.encode()).hexdigest()
        assert scrub(f"idempotency {key} attachment {digest}") == f"idempotency {key} attachment {digest}"


# -- property: no ID or phone number in any of its written forms survives --------------------------------

_WIDE = str.maketrans("0123456789X+", "０１２３４５６７８９Ｘ＋")
_NARROW = str.maketrans("０１２３４５６７８９Ｘｘ＋", "0123456789Xx+")
_SEPARATORS = [" ", "-", " - ", "\u3000", "－", "\u2014", "\u00a0"]
# Text around the number: anything but digits. At most 6 characters each side, so it never forms, with
# the number, one of the long hexadecimal tokens (hashes) the scrubber leaves alone.
_AROUND = st.text(alphabet=st.characters(exclude_categories=("Nd", "No", "Cs"), exclude_characters="*"), max_size=6)


@st.composite
def written(draw: st.DrawFn, number: str) -> str:
    """`number` as a person or a form might write it: digit groups with separators, some digits full-width."""
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=5)))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(_SEPARATORS)) + part
    wide = draw(st.lists(st.booleans(), min_size=len(out), max_size=len(out)))
    return "".join(ch.translate(_WIDE) if w else ch for ch, w in zip(out, wide, strict=True))


_ID18 = st.from_regex(r"\A[1-8][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}[0-9X]\Z")
_ID15 = st.from_regex(r"\A[1-8][0-9]{5}[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}\Z")
_MOBILE = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
_PREFIX = st.sampled_from(["", "+86", "86", "0086", "+86 ", "86-", "＋８６ "])


def _kept(text: str) -> str:
    """The digits (and masks) a text still shows, in order, in ASCII."""
    return re.sub(r"[^0-9*]", "", text.translate(_NARROW))


def _only_digits_masked(before: str, after: str) -> bool:
    return len(before) == len(after) and all(a == b or (b == "*" and a.translate(_NARROW).isdigit())
                                             for a, b in zip(before, after, strict=True))


@settings(max_examples=200, deadline=1000)
@given(st.data(), st.one_of(_ID18, _ID15), _AROUND, _AROUND)
def test_no_id_number_survives_in_any_written_form(data: st.DataObject, id_number: str, before: str,
                                                   after: str) -> None:
    text = before + data.draw(written(id_number)) + after
    out = scrub(text)
    assert _only_digits_masked(text, out)
    kept = _kept(out)
    assert kept.replace("*", "") != id_number.rstrip("X")
    # The birth date (or, in the old form, its place) is masked. Where the same digits can also be read
    # as a mobile number (1 3 0 0 0000010 1000) they are masked as both: more, never less.
    assert set(kept[6:len(id_number) - 4]) == {"*"}, (text, out)
    assert all(k in (d, "*") for k, d in zip(kept, id_number.rstrip("X"), strict=True))


@settings(max_examples=200, deadline=1000)
@given(st.data(), _MOBILE, _PREFIX, _AROUND, _AROUND)
def test_no_mobile_number_survives_in_any_written_form(data: st.DataObject, phone: str, prefix: str, before: str,
                                                       after: str) -> None:
    text = before + prefix + data.draw(written(phone)) + after
    out = scrub(text)
    assert _only_digits_masked(text, out)
    kept = _kept(out)
    expected = _kept(prefix) + phone[:3] + "****" + phone[7:]
    assert len(kept) == len(expected)
    assert all(k == e or k == "*" for k, e in zip(kept, expected, strict=True)), (text, out)
    assert set(kept[-8:-4]) == {"*"}, (text, out)
