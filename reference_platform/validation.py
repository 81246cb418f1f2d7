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
    CONSENT_GIVERS,
    CONSENT_SCOPES,
    DELIVERY_METHODS,
    DEVICE_KIND_RE,
    DEVICE_STATES,
    DOCUMENT_FORMATS,
    ID_NUMBER_RE,
    INDICATORS,
    LICENCE_ID_RE,
    MAX_ATTACHMENTS_PER_SUBMISSION,
    MAX_DEVICE_DETAIL,
    MAX_HOLDER_NAME,
    MAX_PURPOSE,
    MAX_SCOPE_TYPES,
    NUMBER_RE,
    SHA256_RE,
    TERMINAL_ID_RE,
    TIMESTAMP_RE,
    TYPE_CODE_RE,
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


# -- electronic licences and certificates ------------------------------------------------------------------

_MOD37_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def mod37_36_check(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of `text` (digits and capitals), as GB/T 36904 uses it."""
    p = 36
    for char in text:
        s = (p + _MOD37_ALPHABET.index(char)) % 36 or 36
        p = (2 * s) % 37
    return _MOD37_ALPHABET[(37 - p) % 36]


def make_licence_id(type_code: str, issuer_code: str, serial: str, version: int = 1) -> str:
    """A licence identifier (docs/platform-api.md, "Licence identifiers") with its check character."""
    body = f"{type_code}{issuer_code}{serial}{version:03d}"
    return f"1.2.156.3005.2.{type_code}.{issuer_code}.{serial}.{version:03d}.{mod37_36_check(body)}"


def licence_id_parts(value: object) -> dict[str, str] | None:
    """The parts of a well-formed licence identifier (type, issuer, serial, version), or None."""
    if not isinstance(value, str):
        return None
    match = LICENCE_ID_RE.fullmatch(value)
    if match is None:
        return None
    if mod37_36_check(match["type"] + match["issuer"] + match["serial"] + match["version"]) != match["check"]:
        return None
    return {k: match[k] for k in ("type", "issuer", "serial", "version")}


def id_number_ok(value: object) -> bool:
    """A holder ID number: 18 characters with a valid ISO 7064 MOD 11-2 check, or a 2017 foreigner's number."""
    if not isinstance(value, str) or not ID_NUMBER_RE.fullmatch(value):
        return False
    if len(value) == 15:
        return True
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17]


def _type_codes(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SCOPE_TYPES:
        raise invalid(field, f"a list of 1 to {MAX_SCOPE_TYPES} licence type codes")
    for i, code in enumerate(value):
        if not isinstance(code, str) or not TYPE_CODE_RE.fullmatch(code):
            raise invalid(f"{field}[{i}]", "a licence type code (18 characters of the credit code alphabet, 3 digits)")
    if len(set(value)) != len(value):
        raise invalid(field, "a type code appears twice")
    return list(value)


def validate_holder(body: dict[str, Any], field: str = "holder") -> dict[str, Any]:
    holder = _object(body, field)
    if not id_number_ok(holder.get("id_number")):
        raise invalid(f"{field}.id_number", "an ID number (18 characters with a valid check character, or 15 of a 2017 "
                      "foreigner's card)")
    if _given(holder, "name"):
        try:
            _str(holder, "name", max_len=MAX_HOLDER_NAME)
        except ApiError as exc:
            raise _named(exc, field) from None
    return holder


def _named(error: ApiError, prefix: str) -> ApiError:
    """`error` with its field (and message) under `prefix` (a nested object's path)."""
    field = error.extra.get("field")
    if field:
        return invalid(f"{prefix}.{field}", error.message.split(": ", 1)[-1])
    return error


def validate_consent(body: dict[str, Any], field: str = "consent") -> dict[str, Any]:
    """Shape checks of a CONSENT; its terminal is compared by `check_consent_terminal` after all fields."""
    consent = _object(body, field)
    try:
        body_uuid(consent, "id")
        scope = consent.get("scope")
        if isinstance(scope, list):
            _type_codes(scope, "scope")
        elif scope not in CONSENT_SCOPES:
            raise invalid("scope", "\"all\", \"list\" or a list of licence type codes")
        _timestamp(consent, "given_at")
        if consent.get("given_by") not in CONSENT_GIVERS:
            raise invalid("given_by", f"one of {', '.join(CONSENT_GIVERS)}")
        if not TERMINAL_ID_RE.fullmatch(_str(consent, "terminal_id", max_len=32)):
            raise invalid("terminal_id", "a terminal id")
        if _given(consent, "service_code"):
            _str(consent, "service_code", max_len=64)
    except ApiError as exc:
        raise _named(exc, field) from None
    return consent


def consent_hash(consent: dict[str, Any]) -> str:
    """What a consent is compared by: its JSON value, the id in lower case (UUIDs compare case-insensitively)."""
    return canonical_hash({**consent, "id": consent["id"].lower()})


def check_consent_terminal(consent: dict[str, Any], terminal_id: str) -> None:
    if consent["terminal_id"] != terminal_id:
        raise ApiError(422, "terminal_mismatch", "consent.terminal_id differs from X-Terminal-Id")


def validate_licence_query(body: dict[str, Any], terminal_id: str) -> list[str] | None:
    """Check a licence query; returns its `type_codes` filter (None: every type)."""
    validate_holder(body)
    consent = validate_consent(body)
    type_codes = _type_codes(body["type_codes"], "type_codes") if _given(body, "type_codes") else None
    check_consent_terminal(consent, terminal_id)
    return type_codes


def _licence_id(body: dict[str, Any], field: str = "licence_id") -> dict[str, str]:
    parts = licence_id_parts(body.get(field))
    if parts is None:
        raise invalid(field, "a licence identifier (1.2.156.3005.2.type.issuer.serial.version.check) with its "
                      "check character")
    return parts


def validate_licence_fetch(body: dict[str, Any], terminal_id: str) -> dict[str, str]:
    """Check a licence fetch; returns the parts of its licence identifier."""
    parts = _licence_id(body)
    validate_holder(body)
    consent = validate_consent(body)
    if body.get("format") not in DOCUMENT_FORMATS:
        raise invalid("format", f"one of {', '.join(DOCUMENT_FORMATS)}")
    check_consent_terminal(consent, terminal_id)
    return parts


def validate_licence_use(body: dict[str, Any], terminal_id: str) -> dict[str, str]:
    """Check a licence use record; returns the parts of its licence identifier."""
    body_uuid(body)
    parts = _licence_id(body)
    _str(body, "service_code", max_len=64)
    declaration = _object(body, "declaration")
    if not is_uuid(declaration.get("idempotency_key")):
        raise invalid("declaration.idempotency_key", "required UUID")
    receipt = declaration.get("local_receipt_no")
    if not isinstance(receipt, str) or not _receipt_ok(receipt):
        raise invalid("declaration.local_receipt_no", "must be <terminal_id>-<1 to 18 digits>")
    body_uuid(body, "consent_id")
    _timestamp(body, "used_at")
    check_terminal(body, terminal_id, required=True)
    # Last, as for submissions: the number is well formed, only its terminal is wrong.
    if receipt.rpartition("-")[0] != terminal_id:
        raise invalid("declaration.local_receipt_no", "must be <terminal_id>-<1 to 18 digits>")
    return parts


def _receipt_ok(receipt: str) -> bool:
    prefix, _, digits = receipt.rpartition("-")
    return bool(NUMBER_RE.fullmatch(receipt) and prefix and digits.isascii() and digits.isdigit() and len(digits) <= 18)


def validate_certificates_available(body: dict[str, Any], terminal_id: str) -> None:
    validate_holder(body)
    consent = validate_consent(body)
    check_consent_terminal(consent, terminal_id)


def validate_certificate_issue(body: dict[str, Any], terminal_id: str) -> str:
    """Check a certificate issue; returns its (lower-case) uuid."""
    uuid = body_uuid(body)
    type_code = body.get("type_code")
    if not isinstance(type_code, str) or not TYPE_CODE_RE.fullmatch(type_code):
        raise invalid("type_code", "a licence type code (18 characters of the credit code alphabet, 3 digits)")
    validate_holder(body)
    consent = validate_consent(body)
    if _given(body, "purpose"):
        _str(body, "purpose", max_len=MAX_PURPOSE)
    _timestamp(body, "requested_at")
    check_terminal(body, terminal_id, required=True)
    check_consent_terminal(consent, terminal_id)
    return uuid
