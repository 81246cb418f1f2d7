"""Ratings (好差评): validation, the clear fields the sync engine reads, the phone sealed, the receipt tie."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.platform.models import GRADES, INDICATORS
from kiosk.resident.ratings import (
    COMMENT_MAX,
    GRADE_CHOICES,
    ONSITE_INDICATORS,
    STANDARD_REASONS,
    Rating,
    RatingInvalid,
    is_low_grade,
    rating_fields,
    store_rating,
    validate,
)
from offline_cache.store import OfflineCache

PHONE = "13912345678"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[OfflineCache]:
    opened = OfflineCache.open(tmp_path, terminal_id="T0001")
    yield opened
    opened.close()


def test_the_grades_are_the_national_five_in_the_national_order() -> None:
    assert [(code, zh) for code, zh, _ in GRADE_CHOICES] == [
        (5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")]
    assert {code: zh for code, zh, _ in GRADE_CHOICES} == dict(GRADES)


def test_the_onsite_indicators_are_the_contracts() -> None:
    assert [(code, zh) for code, zh, _ in ONSITE_INDICATORS] == [
        ("overall", "整体满意度"), ("efficiency", "服务效率"), ("competence", "服务水平"), ("attitude", "服务态度")]
    assert [code for code, _, _ in ONSITE_INDICATORS] == list(INDICATORS["onsite"])


def test_only_the_two_lower_grades_are_low() -> None:
    assert [grade for grade in GRADES if is_low_grade(grade)] == [2, 1]
    assert not is_low_grade(None)


@pytest.mark.parametrize(("rating", "field"), [
    (Rating(), "grade"),
    (Rating(grade=6), "grade"),
    (Rating(grade=0), "grade"),
    (Rating(grade=4, indicators={"overall": 0}), "indicators.overall"),
    (Rating(grade=4, indicators={"overall": 6}), "indicators.overall"),
    (Rating(grade=4, indicators={"overall": True}), "indicators.overall"),
    (Rating(grade=4, indicators={"usability": 3}), "indicators.usability"),  # an online indicator
    (Rating(grade=3, reasons=("等候时间过长",)), "reasons"),
    (Rating(grade=5, reasons=("其他",)), "reasons"),
    (Rating(grade=2, reasons=("服务太好了",)), "reasons"),
    (Rating(grade=1, reasons=("其他", "其他")), "reasons"),
    (Rating(grade=4, comment="好" * (COMMENT_MAX + 1)), "comment"),
    (Rating(grade=4, phone="1391234567"), "phone"),
    (Rating(grade=4, phone="23912345678"), "phone"),
    (Rating(grade=4, phone="139-1234-5678"), "phone"),
])
def test_invalid_ratings_name_the_field(rating: Rating, field: str) -> None:
    with pytest.raises(RatingInvalid) as caught:
        validate(rating)
    assert caught.value.field == field
    assert caught.value.message
    assert caught.value.message_en


@pytest.mark.parametrize("rating", [
    Rating(grade=5),
    Rating(grade=3, indicators={"overall": 1, "attitude": 5}),
    Rating(grade=2, reasons=("等候时间过长", "其他")),
    Rating(grade=1, reasons=tuple(text for text, _ in STANDARD_REASONS)),
    Rating(grade=1),  # reasons are offered, not required
    Rating(grade=4, comment="好" * COMMENT_MAX, phone=PHONE),
])
def test_valid_ratings_pass(rating: Rating) -> None:
    validate(rating)


def test_fields_are_what_the_sync_engine_reads_and_never_hold_the_phone() -> None:
    rating = Rating(grade=2, indicators={"attitude": 2, "overall": 3}, reasons=("其他", "等候时间过长"),
                    comment="  排队太久  ", phone=PHONE)
    fields = rating_fields(rating)
    assert fields == {
        "grade": 2,
        "channel": "onsite",
        "indicators": {"overall": 3, "attitude": 2},
        "reasons": ["等候时间过长", "其他"],
        "comment": "排队太久",
    }
    assert PHONE not in json.dumps(fields)


def test_store_rating_seals_the_phone(cache: OfflineCache, tmp_path: Path) -> None:
    rating = Rating(grade=1, indicators={"overall": 1}, reasons=("多次跑腿",), phone=PHONE)
    item = store_rating(cache.outbox, rating)
    assert item.kind == "rating"
    fields = cache.outbox.read_fields(item.uuid)
    assert fields["grade"] == 1
    assert fields["reasons"] == ["多次跑腿"]
    assert PHONE not in json.dumps(fields)
    assert cache.outbox.read_personal(item.uuid) == {"phone": PHONE}
    assert item.rated_receipt_no is None
    # Not in clear in the stored row either.
    conn = sqlite3.connect(tmp_path / "kiosk.db")
    try:
        rows = conn.execute("SELECT * FROM outbox_item").fetchall()
    finally:
        conn.close()
    assert rows
    assert PHONE not in repr(rows)


def test_store_rating_without_a_phone_has_no_personal_part(cache: OfflineCache) -> None:
    item = store_rating(cache.outbox, Rating(grade=5))
    assert cache.outbox.read_personal(item.uuid) == {}


def test_store_rating_ties_to_the_receipt(cache: OfflineCache) -> None:
    submission = cache.outbox.add_submission("S001", {"reason": "换领"}, {"name": "张三"})
    item = store_rating(cache.outbox, Rating(grade=4), receipt_no=submission.receipt_no)
    assert item.rated_receipt_no == submission.receipt_no
    assert cache.outbox.get(item.uuid).rated_receipt_no == submission.receipt_no


def test_store_rating_refuses_an_invalid_rating(cache: OfflineCache) -> None:
    with pytest.raises(RatingInvalid):
        store_rating(cache.outbox, Rating())
    assert cache.outbox.next_due() is None
