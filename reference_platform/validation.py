"""Shape checks of the request bodies in docs/platform-api.md.

Messages name the offending field but never echo its value: bodies carry names and ID numbers.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from reference_platform.contract import (
    CHANNELS,
    DELIVERY_METHODS,
    DEVICE_STATES,
    INDICATORS,
    MAX_ATTACHMENTS_PER_SUBMISSION,
    SHA256_RE,
    UUID_RE,
)


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


def canonical_hash(body: Any) -> str:
    """The hash a replayed body is compared by: key order and whitespace do not matter."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_request", "the body is not valid UTF-8 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return body


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


def _timestamp(body: dict[str, Any], field: str) -> str:
    value = _str(body, field, max_len=40)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise invalid(field, "not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise invalid(field, "timestamp needs a UTC offset")
    return value


def _uuid(body: dict[str, Any], field: str) -> str:
    value = _str(body, field, max_len=36)
    if not UUID_RE.match(value):
        raise invalid(field, "not a UUID")
    return value.lower()


def check_uuid(value: str | None, what: str) -> str:
    if value is None or not UUID_RE.match(value):
        raise ApiError(400, "bad_request", f"{what} must be a UUID")
    return value.lower()


def check_terminal(body: dict[str, Any], terminal_id: str, *, required: bool) -> None:
    if "terminal_id" not in body and not required:
        return
    if _str(body, "terminal_id", max_len=32) != terminal_id:
        raise ApiError(422, "terminal_mismatch", "terminal_id in the body differs from X-Terminal-Id")


def validate_submission(body: dict[str, Any], terminal_id: str) -> None:
    _str(body, "service_code", max_len=64)
    check_terminal(body, terminal_id, required=True)
    receipt = _str(body, "local_receipt_no", max_len=64)
    if not re.fullmatch(re.escape(terminal_id) + r"-[0-9]{1,18}", receipt):
        raise invalid("local_receipt_no", "must be <terminal_id>-<digits>")
    _timestamp(body, "created_at")
    _object(body, "form")
    _object(body, "personal")
    delivery = _object(body, "delivery")
    if delivery.get("method") not in DELIVERY_METHODS:
        raise invalid("delivery.method", f"one of {', '.join(DELIVERY_METHODS)}")
    supersedes = body.get("supersedes")
    if supersedes is not None and (not isinstance(supersedes, str) or not 0 < len(supersedes) <= 64):
        raise invalid("supersedes", "null or a non-empty string")
    attachments = body.get("attachments")
    if not isinstance(attachments, list):
        raise invalid("attachments", "required list")
    if len(attachments) > MAX_ATTACHMENTS_PER_SUBMISSION:
        raise invalid("attachments", f"more than {MAX_ATTACHMENTS_PER_SUBMISSION} entries")
    for i, att in enumerate(attachments):
        name = f"attachments[{i}]"
        if not isinstance(att, dict):
            raise invalid(name, "required object")
        sha = att.get("sha256")
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            raise invalid(f"{name}.sha256", "64 lowercase hex digits")
        material = att.get("material")
        if not isinstance(material, str) or not 0 < len(material) <= 200:
            raise invalid(f"{name}.material", "non-empty string of at most 200 characters")
        _int(att.get("pages"), f"{name}.pages", 1, 10_000)
        if not isinstance(att.get("provenance"), dict):
            raise invalid(f"{name}.provenance", "required object")


def submission_attachments(body: dict[str, Any]) -> list[str]:
    """The distinct attachment hashes a (validated) submission names, in order."""
    return list(dict.fromkeys(att["sha256"] for att in body["attachments"]))


def validate_rating(body: dict[str, Any], terminal_id: str) -> str:
    """Check a rating body; returns its (lower-case) uuid."""
    uuid = _uuid(body, "uuid")
    check_terminal(body, terminal_id, required=False)
    _str(body, "reference", max_len=64)
    _int(body.get("grade"), "grade", 1, 5)
    channel = body.get("channel")
    if channel not in CHANNELS:
        raise invalid("channel", f"one of {', '.join(CHANNELS)}")
    indicators = _object(body, "indicators")
    for key, score in indicators.items():
        if key not in INDICATORS[channel]:
            raise invalid(f"indicators.{key}", f"not an indicator of the {channel} channel")
        _int(score, f"indicators.{key}", 1, 5)
    reasons = body.get("reasons")
    if not isinstance(reasons, list) or len(reasons) > 20:
        raise invalid("reasons", "required list of at most 20 strings")
    for i, reason in enumerate(reasons):
        if not isinstance(reason, str) or not 0 < len(reason) <= 200:
            raise invalid(f"reasons[{i}]", "non-empty string of at most 200 characters")
    _str(body, "comment", max_len=1000, allow_empty=True)
    contact = body.get("contact")
    if contact is not None and not isinstance(contact, dict):
        raise invalid("contact", "null or an object")
    _timestamp(body, "created_at")
    return uuid


def validate_heartbeat(body: dict[str, Any]) -> str:
    """Check a heartbeat body; returns its (lower-case) uuid."""
    uuid = _uuid(body, "uuid")
    _timestamp(body, "sent_at")
    _str(body, "app_version", max_len=40)
    devices = _object(body, "devices")
    for kind, status in devices.items():
        if not isinstance(status, dict) or status.get("state") not in DEVICE_STATES:
            raise invalid(f"devices.{kind}", f"object with state one of {', '.join(DEVICE_STATES)}")
    _int(body.get("outbox_depth"), "outbox_depth", 0, 10**9)
    age = body.get("oldest_unsent_age_s")
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
