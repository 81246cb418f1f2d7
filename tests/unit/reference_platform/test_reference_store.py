"""reference_platform.store: idempotency in the database, catalogue versions, case history, rating ties."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reference_platform.store import Store
from reference_platform.validation import ApiError, canonical_hash

KEY = "6f1c0b52-3f4e-4a8e-9a53-0c9c2b2d6e11"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "p.db")
    yield s
    s.close()


def body(receipt: str = "T0001-000001", **extra: Any) -> dict[str, Any]:
    return {"service_code": "S1", "local_receipt_no": receipt, "attachments": [], **extra}


def submit(store: Store, key: str, data: dict[str, Any], attachments: list[str] = ()) -> tuple[bool, dict[str, Any]]:  # type: ignore[assignment]
    return store.submit(key, data, canonical_hash(data), "T0001", list(attachments))


def test_same_key_same_body_replays_the_answer(store: Store) -> None:
    created, first = submit(store, KEY, body())
    replay_created, again = submit(store, KEY, dict(reversed(list(body().items()))))
    assert (created, replay_created) == (True, False)
    assert again == first
    assert first["case_no"].startswith("RP")
    stats = store.stats(per_key=True)
    assert stats["idempotency"]["cases_per_key"] == {KEY: 1}


def test_same_key_other_body_conflicts(store: Store) -> None:
    submit(store, KEY, body())
    with pytest.raises(ApiError) as info:
        submit(store, KEY, body(form={"x": 1}))
    assert (info.value.status, info.value.code) == (422, "idempotency_conflict")


def test_missing_attachments_store_nothing(store: Store) -> None:
    store.put_attachment("a" * 64, b"x", "T0001")
    with pytest.raises(ApiError) as info:
        submit(store, KEY, body(), ["a" * 64, "b" * 64, "c" * 64])
    assert info.value.extra == {"missing": ["b" * 64, "c" * 64]}
    assert store.stats(per_key=False)["submissions"] == 0


def test_put_attachment_reports_whether_it_was_new(store: Store) -> None:
    assert store.put_attachment("a" * 64, b"x", "T0001")
    assert not store.put_attachment("a" * 64, b"x", "T0001")
    assert store.has_attachment("a" * 64)
    assert not store.has_attachment("b" * 64)


def test_catalog_versions(store: Store) -> None:
    assert store.seed_catalog([{"code": "A", "name": "a"}, {"code": "B", "name": "b"}], 7)
    assert not store.seed_catalog([{"code": "C", "name": "c"}], 9)
    assert store.catalog_changes(0) == {
        "version": 7,
        "full": True,
        "items": [{"code": "A", "name": "a"}, {"code": "B", "name": "b"}],
        "deleted": [],
    }
    assert store.publish_catalog([{"code": "A", "name": "a2"}], ["B"]) == 8
    assert store.catalog_changes(7) == {
        "version": 8,
        "full": False,
        "items": [{"code": "A", "name": "a2"}],
        "deleted": ["B"],
    }
    assert store.catalog_changes(8)["items"] == []
    assert store.catalog_changes(100)["full"]
    assert store.catalog_changes(100)["items"] == [{"code": "A", "name": "a2"}]


def test_case_found_by_receipt_and_advanced(store: Store) -> None:
    _, answer = submit(store, KEY, body("T0001-000042"))
    case = store.get_case("T0001-000042")
    assert case is not None
    assert case["case_no"] == answer["case_no"]
    assert store.advance_case(answer["case_no"], "completed", "ok")["history"][-1] == {
        "status": "completed",
        "at": store.get_case(answer["case_no"])["updated_at"],
        "note": "ok",  # type: ignore[index]
    }
    with pytest.raises(ApiError) as info:
        store.advance_case("T0001-000042", "rejected", "")
    assert info.value.code == "invalid_transition"
    assert store.get_case("T0001-999999") is None


def test_rating_is_tied_when_the_case_arrives(store: Store) -> None:
    rating = {"reference": "T0001-000005", "grade": 4, "channel": "onsite"}
    uuid = "0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20"
    created, answer = store.record_rating(uuid, rating, canonical_hash(rating), "T0001")
    assert created
    assert answer["case_no"] is None
    _, case = submit(store, KEY, body("T0001-000005"))
    assert store.rating(uuid) == {"body": rating, "case_no": case["case_no"]}
    replay_created, replay = store.record_rating(uuid, rating, canonical_hash(rating), "T0001")
    assert not replay_created
    assert replay["case_no"] == case["case_no"]


def test_everything_survives_reopening(tmp_path: Path) -> None:
    first = Store(tmp_path / "p.db")
    first.register_terminal("T0001", "secret")
    _, answer = submit(first, KEY, body())
    first.close()
    second = Store(tmp_path / "p.db")
    try:
        assert second.check_terminal("T0001", "secret")
        assert not second.check_terminal("T0001", "other")
        assert submit(second, KEY, body()) == (False, answer)
    finally:
        second.close()


def test_a_replay_from_another_terminal_conflicts(store: Store) -> None:
    created, _ = submit(store, KEY, body())
    assert created
    with pytest.raises(ApiError) as info:
        store.submit(KEY, body(), canonical_hash(body()), "T0002", [])
    assert info.value.code == "idempotency_conflict"
    with pytest.raises(ApiError):
        store.replay_submission(KEY, canonical_hash(body()), "T0002")
    assert store.replay_submission(KEY, canonical_hash(body()), "T0001") is not None
    assert store.replay_submission("0" * 8 + KEY[8:], canonical_hash(body()), "T0001") is None


def test_a_rating_without_a_reference_is_never_tied(store: Store) -> None:
    general = {"grade": 5, "channel": "onsite"}
    created, answer = store.record_rating("0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20", general, canonical_hash(general),
                                          "T0001")
    assert created
    assert answer["case_no"] is None
    submit(store, KEY, body())
    assert store.rating("0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20") == {"body": general, "case_no": None}
    assert store.stats(per_key=False)["ratings_untied"] == 0


def test_deleted_names_an_item_added_and_removed_after_since(store: Store) -> None:
    store.seed_catalog([{"code": "A", "name": "a"}], 1)
    store.publish_catalog([{"code": "N", "name": "new"}], [])  # 2
    store.publish_catalog([], ["N"])  # 3
    changes = store.catalog_changes(1)
    assert (changes["items"], changes["deleted"], changes["full"]) == ([], ["N"], False)
    store.publish_catalog([{"code": "N", "name": "again"}], [])  # 4: removed and added again: items only
    changes = store.catalog_changes(1)
    assert (changes["items"], changes["deleted"]) == ([{"code": "N", "name": "again"}], [])


def test_since_older_than_the_kept_history_gets_the_whole_catalogue(store: Store) -> None:
    store.seed_catalog([{"code": "A", "name": "a"}, {"code": "B", "name": "b"}], 1)
    store.publish_catalog([], ["B"])  # 2
    store.publish_catalog([{"code": "C", "name": "c"}], [])  # 3
    assert store.prune_catalog(2) == 1
    old = store.catalog_changes(1)
    # It could no longer say that B went: it answers with everything instead.
    assert (old["full"], old["deleted"]) == (True, [])
    assert [item["code"] for item in old["items"]] == ["A", "C"]
    recent = store.catalog_changes(2)
    assert (recent["full"], recent["items"]) == (False, [{"code": "C", "name": "c"}])
    with pytest.raises(ApiError):
        store.prune_catalog(4)


def test_a_version_1_database_is_migrated_and_keeps_its_ratings(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "v1.db"
    first = Store(path)
    first.close()
    db = sqlite3.connect(path)
    # The version-1 shape: reference NOT NULL.
    db.executescript(
        "DROP TABLE ratings;"
        "CREATE TABLE ratings (uuid TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, terminal_id TEXT NOT NULL,"
        " reference TEXT NOT NULL, case_no TEXT, grade INTEGER NOT NULL, channel TEXT NOT NULL,"
        " body_json TEXT NOT NULL, received_at TEXT NOT NULL);"
        "INSERT INTO ratings VALUES ('u1', 'h', 'T0001', 'T0001-000001', NULL, 5, 'onsite', '{}', 'now');"
        "UPDATE meta SET value = '1' WHERE key = 'schema_version';"
    )
    db.close()
    reopened = Store(path)
    try:
        assert reopened.rating("u1") == {"body": {}, "case_no": None}
        general = {"grade": 4, "channel": "onsite"}
        assert reopened.record_rating("u2", general, canonical_hash(general), "T0001")[0]
    finally:
        reopened.close()
