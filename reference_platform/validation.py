"""Shape checks of the request bodies in docs/platform-api.md.

Messages name the offending field but never echo its value: bodies carry names and ID numbers.
The rules follow the contract's "Conventions": required fields unless marked optional (an optional field
may be left out or null), identifiers of the "Identifiers" table, RFC 3339 timestamps in one form, and
bodies that are UTF-8 I-JSON objects.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime
from typing import Any

from reference_platform.contract import (
    CHANNELS,
    DELIVERY_METHODS,
    DEVICE_KIND_RE,
    DEVICE_STATES,
    INDICATORS,
    MAX_ATTACHMENTS_PER_SUBMISSION,
    MAX_DEVICE_DETAIL,
    NUMBER_RE,
    SHA256_RE,
    TIMESTAMP_RE,
    UUID_RE,
)

_BOM = b"\xef\xbb\xbf"


class ApiError(Exception):
    """An answer in the contract's error format: `{"error": {"code": ..., "message": ..., **extra}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def invalid(field: str, what: str) -> ApiError:
    return ApiError(422, "validation_failed", f"{field}: {what}", extra={"field": field})


def bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, "bad_request", message, extra={"field": field} if field else None)


def canonical_hash(body: Any) -> str:
    """The hash a replayed body is compared by: equal JSON values (docs/platform-api.md) hash alike.

    Key order and whitespace do not matter; escapes were resolved by the parser; numbers arrive
    normalised by `parse_json_object` (an integral number is an int however it was written).
    """
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _number(literal: str) -> int | float:
    # `1`, `1.0`, `1e0` and `10e-1` are one number: integral values become ints, so they hash alike.
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError("a number beyond double precision")
    return int(value) if value.is_integer() else value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    body = dict(pairs)
    if len(body) != len(pairs):
        raise ValueError("a member name appears twice in one object")
    return body


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or `400 bad_request`: UTF-8 without BOM, I-JSON (RFC 7493)."""
    if raw.startswith(_BOM):
        raise bad_request("the body starts with a byte-order mark")
    try:
        # Decoded here, strictly: json.loads on bytes would also guess UTF-16 and UTF-32.
        text = raw.decode("utf-8")
        body = json.loads(
            text, parse_float=_number, parse_constant=_refuse_constant, object_pairs_hook=_unique_members
        )
        # An unpaired surrogate ("\ud800") parses, but is no Unicode text: it cannot be encoded.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise bad_request("the body is not a UTF-8 I-JSON document") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def _given(body: dict[str, Any], field: str) -> bool:
    """Whether an optional field was given: left out and null both mean not given."""
    return body.get(field) is not None


def _str(body: dict[str, Any], field: str, *, max_len: int = 200, allow_empty: bool = False) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise invalid(field, "required string")
    if not allow_empty and not value:
        raise invalid(field, "must not be empty")
    if len(value) > max_len:
        raise invalid(field, f"longer than {max_len} characters")
    return value


def _int(value: Any, field: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, "required integer")
    if not lo <= value <= hi:
        raise invalid(field, f"must be between {lo} and {hi}")
    return int(value)


def _object(body: dict[str, Any], field: str) -> dict[str, Any]:
    value = body.get(field)
    if not isinstance(value, dict):
        raise invalid(field, "required object")
    return value


def _list(body: dict[str, Any], field: str) -> list[Any]:
    value = body.get(field)
    if not isinstance(value, list):
        raise invalid(field, "required list")
    return value


def is_timestamp(value: str) -> bool:
    """An RFC 3339 date-time in the contract's one form, naming a time that exists."""
    match = TIMESTAMP_RE.fullmatch(value)
    if match is None:
        return False
    offset = match["offset"]
    try:
        datetime.fromisoformat(f"{match['date']}T{match['time']}")
        if offset != "Z":
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                return False
    except ValueError:
        return False
    return True


def _timestamp(body: dict[str, Any], field: str) -> str:
    value = _str(body, field, max_len=40)
    if not is_timestamp(value):
        raise invalid(field, "not an RFC 3339 timestamp with an offset (YYYY-MM-DDTHH:MM:SS[.F]Z or ±HH:MM)")
    return value


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def body_uuid(body: dict[str, Any], field: str = "uuid") -> str:
    """The body's UUID in lower case (how it is stored and answered), or `422 validation_failed`."""
    value = body.get(field)
    if not is_uuid(value):
        raise invalid(field, "required UUID")
    assert isinstance(value, str)
    return value.lower()


def check_uuid(value: str | None, what: str) -> str:
    if value is None or not is_uuid(value):
        raise bad_request(f"{what} must be a UUID")
    return value.lower()


def check_terminal(body: dict[str, Any], terminal_id: str, *, required: bool) -> None:
    if not required and not _given(body, "terminal_id"):
        return
    if _str(body, "terminal_id", max_len=32) != terminal_id:
        raise ApiError(422, "terminal_mismatch", "terminal_id in the body differs from X-Terminal-Id")


def validate_submission(body: dict[str, Any], terminal_id: str) -> None:
    """Field checks of a submission; `supersedes` naming a stored submission is checked by the store."""
    _str(body, "service_code", max_len=64)
    receipt = _str(body, "local_receipt_no", max_len=64)
    prefix, _, digits = receipt.rpartition("-")
    if not (NUMBER_RE.fullmatch(receipt) and prefix and digits.isascii() and digits.isdigit() and len(digits) <= 18):
        raise invalid("local_receipt_no", "must be <terminal_id>-<1 to 18 digits>")
    _timestamp(body, "created_at")
    _object(body, "form")
    _object(body, "personal")
    delivery = _object(body, "delivery")
    if delivery.get("method") not in DELIVERY_METHODS:
        raise invalid("delivery.method", f"one of {', '.join(DELIVERY_METHODS)}")
    if _given(body, "supersedes"):
        body_uuid(body, "supersedes")
    attachments = _list(body, "attachments")
    if len(attachments) > MAX_ATTACHMENTS_PER_SUBMISSION:
        raise invalid("attachments", f"more than {MAX_ATTACHMENTS_PER_SUBMISSION} entries")
    for i, att in enumerate(attachments):
        name = f"attachments[{i}]"
        if not isinstance(att, dict):
            raise invalid(name, "required object")
        sha = att.get("sha256")
        if not isinstance(sha, str) or not SHA256_RE.fullmatch(sha):
            raise invalid(f"{name}.sha256", "64 lowercase hex digits")
        material = att.get("material")
        if not isinstance(material, str) or not 0 < len(material) <= 200:
            raise invalid(f"{name}.material", "non-empty string of at most 200 characters")
        _int(att.get("pages"), f"{name}.pages", 1, 10_000)
        if not isinstance(att.get("provenance"), dict):
            raise invalid(f"{name}.provenance", "required object")
    # Last: the fields are well formed, only their owner is wrong.
    check_terminal(body, terminal_id, required=True)
    if prefix != terminal_id:
        raise invalid("local_receipt_no", "must be <terminal_id>-<1 to 18 digits>")


def submission_attachments(body: dict[str, Any]) -> list[str]:
    """The distinct attachment hashes a (validated) submission names, in order."""
    return list(dict.fromkeys(att["sha256"] for att in body["attachments"]))


def validate_rating(body: dict[str, Any], terminal_id: str) -> str:
    """Check a rating body; returns its (lower-case) uuid."""
    uuid = body_uuid(body)
    if _given(body, "reference"):
        reference = body["reference"]
        if not isinstance(reference, str) or not NUMBER_RE.fullmatch(reference):
            raise invalid("reference", "left out, or a case or receipt number (1-64 of A-Z a-z 0-9 _ . -)")
    _int(body.get("grade"), "grade", 1, 5)
    channel = body.get("channel")
    if channel not in CHANNELS:
        raise invalid("channel", f"one of {', '.join(CHANNELS)}")
    indicators = _object(body, "indicators")
    for key, score in indicators.items():
        if key not in INDICATORS[channel]:
            raise invalid(f"indicators.{key}", f"not an indicator of the {channel} channel")
        _int(score, f"indicators.{key}", 1, 5)
    reasons = _list(body, "reasons")
    if len(reasons) > 20:
        raise invalid("reasons", "at most 20 reasons")
    for i, reason in enumerate(reasons):
        if not isinstance(reason, str) or not 0 < len(reason) <= 200:
            raise invalid(f"reasons[{i}]", "non-empty string of at most 200 characters")
    _str(body, "comment", max_len=1000, allow_empty=True)
    if _given(body, "contact") and not isinstance(body["contact"], dict):
        raise invalid("contact", "left out, null or an object")
    _timestamp(body, "created_at")
    check_terminal(body, terminal_id, required=False)
    return uuid


def validate_heartbeat(body: dict[str, Any]) -> str:
    """Check a heartbeat body; returns its (lower-case) uuid."""
    uuid = body_uuid(body)
    _timestamp(body, "sent_at")
    _str(body, "app_version", max_len=40)
    devices = _object(body, "devices")
    for kind, status in devices.items():
        # The kind is named in the message: it is a device role, never a resident's data.
        field = f"devices.{kind}" if DEVICE_KIND_RE.fullmatch(kind) else "devices"
        if field == "devices":
            raise invalid(field, "device kinds are 1-32 of a-z 0-9 _")
        if not isinstance(status, dict) or status.get("state") not in DEVICE_STATES:
            raise invalid(field, f"object with state one of {', '.join(DEVICE_STATES)}")
        detail = status.get("detail")
        if detail is not None and (not isinstance(detail, str) or len(detail) > MAX_DEVICE_DETAIL):
            raise invalid(f"{field}.detail", f"left out, null or a string of at most {MAX_DEVICE_DETAIL} characters")
    _int(body.get("outbox_depth"), "outbox_depth", 0, 10**9)
    if "oldest_unsent_age_s" not in body:
        raise invalid("oldest_unsent_age_s", "required: a number >= 0 or null")
    age = body["oldest_unsent_age_s"]
    if age is not None and (isinstance(age, bool) or not isinstance(age, int | float) or age < 0):
        raise invalid("oldest_unsent_age_s", "null or a number >= 0")
    _int(body.get("help_requests"), "help_requests", 0, 10**6)
    return uuid


def validate_catalog_item(item: Any, field: str) -> str:
    if not isinstance(item, dict):
        raise invalid(field, "required object")
    code = _str(item, "code", max_len=64)
    _str(item, "name", max_len=200)
    return code
