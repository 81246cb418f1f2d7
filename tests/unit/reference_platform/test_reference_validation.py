"""reference_platform.validation: body shapes of docs/platform-api.md; messages never echo values."""

from __future__ import annotations

from typing import Any

import pytest

from reference_platform.validation import (
    ApiError,
    canonical_hash,
    parse_json_object,
    validate_heartbeat,
    validate_rating,
    validate_submission,
)

SHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
SECRET = "330106199001011234"


def submission(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service_code": "S1",
        "local_receipt_no": "T0001-000042",
        "terminal_id": "T0001",
        "created_at": "2026-11-27T10:15:00+08:00",
        "form": {},
        "personal": {"id_number": SECRET},
        "delivery": {"method": "pickup"},
        "attachments": [{"sha256": SHA, "material": "户口簿", "pages": 2, "provenance": {}}],
    }
    body.update(changes)
    return body


def test_a_good_submission_passes() -> None:
    validate_submission(submission(), "T0001")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_code": ""}, "service_code"),
        ({"local_receipt_no": "T0001-12a"}, "local_receipt_no"),
        ({"created_at": "2026-11-27T10:15:00"}, "created_at"),
        ({"personal": SECRET}, "personal"),
        ({"delivery": {}}, "delivery.method"),
        (
            {"attachments": [{"sha256": SHA.upper(), "material": "x", "pages": 1, "provenance": {}}]},
            "attachments[0].sha256",
        ),
        ({"attachments": [{"sha256": SHA, "material": "x", "pages": True, "provenance": {}}]}, "attachments[0].pages"),
        ({"attachments": [{"sha256": SHA, "material": "", "pages": 1, "provenance": {}}]}, "attachments[0].material"),
        ({"supersedes": 5}, "supersedes"),
    ],
)
def test_bad_submission_names_the_field_not_the_value(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_submission(submission(**changes), "T0001")
    assert (info.value.status, info.value.code) == (422, "validation_failed")
    assert info.value.extra == {"field": field}
    assert SECRET not in info.value.message


def test_terminal_in_body_must_match_the_caller() -> None:
    with pytest.raises(ApiError) as info:
        validate_submission(submission(), "T0002")
    assert info.value.code == "terminal_mismatch"


def test_rating_and_heartbeat_uuids_are_normalised() -> None:
    rating = {
        "uuid": "0B6F4B8E-2A0C-4C83-9D1E-5A3F7C1E9B20",
        "reference": "T0001-000001",
        "grade": 1,
        "channel": "online",
        "indicators": {"usability": 1},
        "reasons": ["界面难用"],
        "comment": "",
        "contact": None,
        "created_at": "2026-11-27T10:15:00+00:00",
    }
    assert validate_rating(rating, "T0001") == "0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20"
    heartbeat = {
        "uuid": "0B6F4B8E-2A0C-4C83-9D1E-5A3F7C1E9B20",
        "sent_at": "2026-11-27T10:15:00Z",
        "app_version": "1",
        "devices": {"printer": {"state": "degraded"}},
        "outbox_depth": 0,
        "oldest_unsent_age_s": None,
        "help_requests": 2,
    }
    assert validate_heartbeat(heartbeat) == "0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20"
    with pytest.raises(ApiError):
        validate_heartbeat({**heartbeat, "devices": {"printer": {"state": "on fire"}}})


def test_canonical_hash_ignores_key_order() -> None:
    assert canonical_hash({"a": 1, "b": [1, 2]}) == canonical_hash({"b": [1, 2], "a": 1})
    assert canonical_hash({"a": 1}) != canonical_hash({"a": 2})


@pytest.mark.parametrize("raw", [b"", b"\xff", b"[]", b"null", b"{"])
def test_non_object_bodies_are_bad_requests(raw: bytes) -> None:
    with pytest.raises(ApiError) as info:
        parse_json_object(raw)
    assert (info.value.status, info.value.code) == (400, "bad_request")


# -- the contract's conventions (docs/platform-api.md, "Conventions") ---------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'\xef\xbb\xbf{"a": 1}',  # a byte-order mark
        '{"a": 1}'.encode("utf-16"),  # not UTF-8 (json.loads on bytes would guess it)
        b'{"a": 1, "a": 2}',  # a member name twice
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": 1e999}',  # beyond double precision
        b'{"a": "\\ud800"}',  # an unpaired surrogate
        b'{"\\udfff": 1}',
        b"[" * 100_000 + b"]" * 100_000,  # nesting the parser cannot follow
    ],
)
def test_bodies_that_are_not_i_json_are_bad_requests(raw: bytes) -> None:
    with pytest.raises(ApiError) as info:
        parse_json_object(raw)
    assert (info.value.status, info.value.code) == (400, "bad_request")


@pytest.mark.parametrize(
    ("first", "replay"),
    [
        (b'{"n": 1}', b'{"n": 1.0}'),
        (b'{"n": 1}', b'{"n": 1e0}'),
        (b'{"n": 1.0}', b'{"n": 10e-1}'),
        (b'{"n": 100000000000000000000}', b'{"n": 1e20}'),
        (b'{"s": "\\u00e9\\/"}', '{"s": "é/"}'.encode()),
        (b'{"a": 1, "b": [1, 2]}', b'{ "b" : [1,2] ,"a":1 }'),
    ],
)
def test_equal_json_values_hash_alike(first: bytes, replay: bytes) -> None:
    assert canonical_hash(parse_json_object(first)) == canonical_hash(parse_json_object(replay))


@pytest.mark.parametrize(
    ("first", "other"),
    [(b'{"n": 1}', b'{"n": "1"}'), (b'{"n": 1}', b'{"n": 1.5}'), (b'{"a": null}', b"{}"),
     (b'{"l": [1, 2]}', b'{"l": [2, 1]}')],
)
def test_different_json_values_hash_differently(first: bytes, other: bytes) -> None:
    assert canonical_hash(parse_json_object(first)) != canonical_hash(parse_json_object(other))


@pytest.mark.parametrize(
    "stamp",
    ["2026-11-27T10:15:00Z", "2026-11-27T10:15:00+08:00", "2026-11-27T10:15:00.1-05:30",
     "2026-11-27T02:15:04.123456789Z", "2028-02-29T00:00:00Z"],
)
def test_rfc3339_timestamps_in_the_contract_form_pass(stamp: str) -> None:
    validate_submission(submission(created_at=stamp), "T0001")


@pytest.mark.parametrize(
    "stamp",
    ["2026-11-27T10:15:00", "2026-11-27 10:15:00+08:00", "20261127T101500+0800", "2026-W48-5T10:15:00Z",
     "2026-11-27t10:15:00z", "2026-11-27T10:15+08:00", "2026-11-27T10:15:60Z", "2026-02-30T10:15:00Z",
     "2026-11-27T10:15:00.1234567890Z", "2026-11-27T10:15:00+24:00", "2026-11-27T10:15:00Z\n"],
)
def test_other_timestamp_forms_are_refused(stamp: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_submission(submission(created_at=stamp), "T0001")
    assert info.value.extra == {"field": "created_at"}


def rating(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": "0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20",
        "reference": "T0001-000001",
        "grade": 4,
        "channel": "onsite",
        "indicators": {},
        "reasons": [],
        "comment": "",
        "created_at": "2026-11-27T10:15:00+08:00",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.mark.parametrize("changes", [{"reference": ...}, {"reference": None}, {"contact": None},
                                     {"contact": {"phone": "13800000000"}}, {"terminal_id": None}])
def test_a_rating_without_a_declaration_or_contact_passes(changes: dict[str, Any]) -> None:
    validate_rating(rating(**changes), "T0001")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "T0001/000001"}, "reference"),
        ({"reference": 42}, "reference"),
        ({"comment": ...}, "comment"),
        ({"comment": None}, "comment"),
        ({"reasons": ...}, "reasons"),
        ({"indicators": ...}, "indicators"),
        ({"indicators": {"overall": 2.5}}, "indicators.overall"),
        ({"uuid": "0b6f4b8e-2a0c-4c83-9d1e-5a3f7c1e9b20\n"}, "uuid"),
        ({"contact": "13800000000"}, "contact"),
    ],
)
def test_rating_fields_are_required_as_the_contract_says(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_rating(rating(**changes), "T0001")
    assert (info.value.code, info.value.extra) == ("validation_failed", {"field": field})


def heartbeat(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": "5d7c0e0a-77b4-4c55-8a3e-1f0e2b4a9c61",
        "sent_at": "2026-11-27T10:30:00+08:00",
        "app_version": "0.1.0",
        "devices": {"idcard": {"state": "ok"}, "printer": {"state": "offline", "detail": "cups: paper out"}},
        "outbox_depth": 3,
        "oldest_unsent_age_s": 5400.0,
        "help_requests": 1,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.mark.parametrize("changes", [{}, {"devices": {}}, {"oldest_unsent_age_s": None},
                                     {"devices": {"lift_2": {"state": "unknown", "detail": None}}}])
def test_good_heartbeats_pass(changes: dict[str, Any]) -> None:
    validate_heartbeat(heartbeat(**changes))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "uuid"),
        (heartbeat(devices=...), "devices"),
        (heartbeat(oldest_unsent_age_s=...), "oldest_unsent_age_s"),
        (heartbeat(outbox_depth=...), "outbox_depth"),
        (heartbeat(help_requests=...), "help_requests"),
        (heartbeat(devices={"Printer": {"state": "ok"}}), "devices"),
        (heartbeat(devices={"printer": {"state": "ok", "detail": "x" * 501}}), "devices.printer.detail"),
        (heartbeat(outbox_depth=True), "outbox_depth"),
    ],
)
def test_heartbeat_fields_are_required(body: dict[str, Any], field: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_heartbeat(body)
    assert (info.value.code, info.value.extra) == ("validation_failed", {"field": field})


@pytest.mark.parametrize("supersedes", [None, "6F1C0B52-3F4E-4A8E-9A53-0C9C2B2D6E11"])
def test_supersedes_is_optional_and_a_uuid(supersedes: str | None) -> None:
    validate_submission(submission(supersedes=supersedes, attachments=[]), "T0001")
    with pytest.raises(ApiError) as info:
        validate_submission(submission(supersedes="T0001-000041"), "T0001")
    assert info.value.extra == {"field": "supersedes"}


def test_receipt_numbers_of_terminal_ids_with_hyphens_and_lower_case() -> None:
    validate_submission(submission(terminal_id="hz-01", local_receipt_no="hz-01-000042"), "hz-01")
    with pytest.raises(ApiError) as info:
        validate_submission(submission(terminal_id="hz-01", local_receipt_no="HZ-01-000042"), "hz-01")
    assert info.value.extra == {"field": "local_receipt_no"}
