"""What a resident types is sealed at rest: a rating's comment, a business name and every other form value
are not found in the raw bytes of kiosk.db or its WAL (issue 16: they were, by grep)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import sample_catalog_path
from kiosk.identity.resident import Gender, IdentitySource, Resident
from kiosk.resident.declaration import Declaration, Delivery, submit
from kiosk.resident.ratings import Rating, store_rating
from offline_cache.catalog import ServiceItem, parse_items
from offline_cache.store import DB_FILE, OfflineCache

BUSINESS = "330000-SJ-QR-0001"  # 个体工商户设立登记: its form asks for a business name
# Distinctive enough that no page of the database holds them by chance.
BUSINESS_NAME = "祁氏记忆商行Qx7"
COMMENT = "请联系祁先生13588886666Zk9"
SCOPE = "手工编织品零售Wm3"


@pytest.fixture
def business() -> ServiceItem:
    raw = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]
    return next(item for item in parse_items(raw) if item.code == BUSINESS)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[OfflineCache]:
    opened = OfflineCache.open(tmp_path, terminal_id="T0001")
    yield opened
    opened.close()


def resident() -> Resident:
    return Resident(source=IdentitySource.ID_CARD, name="测试样例", id_number="330106199003070014",
                    gender=Gender.MALE, birth_date=dt.date(1990, 3, 7), nation="汉",
                    address="浙江省杭州市西湖区测试路1号")


def raw_bytes(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (directory / DB_FILE, directory / f"{DB_FILE}-wal")
            if path.exists()}


def assert_nowhere(directory: Path, *secrets: str) -> None:
    files = raw_bytes(directory)
    assert DB_FILE in files
    found = [(text, name) for name, data in files.items() for secret in secrets
             # UTF-8 as stored; the ASCII tail too, in case it were stored escaped.
             for text in (secret, secret[-3:]) if text.encode() in data]
    assert found == []


def test_typed_text_is_sealed_in_the_database_and_its_wal(
    cache: OfflineCache, business: ServiceItem, tmp_path: Path
) -> None:
    declaration = Declaration(business, resident())
    for field_id, value in {"phone": "13912345678", "business_name": BUSINESS_NAME, "form": "个人经营",
                            "premises": "杭州市西湖区某路2号", "scope": SCOPE, "capital": "5"}.items():
        declaration.set_value(field_id, value)
    declaration.set_delivery(Delivery("pickup"))
    submission = submit(cache.outbox, declaration)
    rating = store_rating(cache.outbox, Rating(grade=2, reasons=("其他",), comment=COMMENT))

    # What the sync engine sends still holds them.
    assert cache.outbox.read_fields(submission.uuid)["form"]["business_name"] == BUSINESS_NAME
    assert cache.outbox.read_fields(rating.uuid)["comment"] == COMMENT

    assert_nowhere(tmp_path, BUSINESS_NAME, COMMENT, SCOPE)  # the WAL holds the fresh pages now
    cache.db.checkpoint()
    assert_nowhere(tmp_path, BUSINESS_NAME, COMMENT, SCOPE)
    cache.close()
    assert_nowhere(tmp_path, BUSINESS_NAME, COMMENT, SCOPE)


def test_fields_an_earlier_release_stored_in_clear_are_sealed_on_open(tmp_path: Path) -> None:
    first = OfflineCache.open(tmp_path, terminal_id="T0001")
    item = store_rating(first.outbox, Rating(grade=5))
    with first.db.transaction() as conn:
        # A row as releases before schema version 4 wrote it: the fields in clear.
        conn.execute("UPDATE outbox_item SET fields = ?, sealed_fields = NULL WHERE uuid = ?",
                     (json.dumps({"grade": 5, "comment": COMMENT}, ensure_ascii=False), item.uuid))
    first.close()
    assert COMMENT.encode() in raw_bytes(tmp_path)[DB_FILE]

    reopened = OfflineCache.open(tmp_path, terminal_id="T0001")
    try:
        assert reopened.outbox.read_fields(item.uuid) == {"grade": 5, "comment": COMMENT}
        assert_nowhere(tmp_path, COMMENT)
    finally:
        reopened.close()
    assert_nowhere(tmp_path, COMMENT)
