from __future__ import annotations

import pytest
from hypothesis import given
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
        ("tel +86 138-1234-5678", "tel +86 138****5678"),
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
