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
