"""Typed answers of the provincial platform (docs/platform-api.md) and the contract's constants.

The reference platform keeps its own copy of the constants (reference_platform/contract.py): neither package
imports the other; the contract document is what both follow.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final


class CaseState(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"


# The national five grades (好差评) and their codes in `grade`.
GRADES: Final[Mapping[int, str]] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

# Indicator codes per channel, as keys of a rating's `indicators`.
INDICATORS: Final[Mapping[str, Mapping[str, str]]] = {
    "onsite": {
        "overall": "整体满意度",
        "efficiency": "服务效率",
        "competence": "服务水平",
        "attitude": "服务态度",
    },
    "online": {
        "overall": "整体满意度",
        "efficiency": "办事效率",
        "guide_accuracy": "办事指南精确度",
        "convenience": "办事便捷度",
        "usability": "平台操作性",
    },
}

DELIVERY_METHODS: Final = ("pickup", "express", "electronic")

# The contract's identifiers (docs/platform-api.md, "Identifiers"); used with fullmatch.
SHA256_RE: Final = re.compile(r"[0-9a-f]{64}")
UUID_RE: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Case and local receipt numbers: opaque, compared exactly; never case-folded by either side.
NUMBER_RE: Final = re.compile(r"[A-Za-z0-9_.-]{1,64}")
DEVICE_KIND_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
MAX_DEVICE_DETAIL: Final = 500
# RFC 3339 date-time in the contract's one form: upper-case T and Z, 1-9 fraction digits, an offset.
_TIMESTAMP_RE: Final = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def parse_timestamp(text: str) -> datetime | None:
    """An aware datetime from a contract timestamp; None for anything else (no offset, a space, ...).

    Fractions beyond microseconds (a platform may send nanoseconds) are cut, not rounded, so a time
    never moves past the next second.
    """
    match = _TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return None
    whole, fraction, offset = match.groups()
    micros = (fraction or "").ljust(6, "0")[:6]
    if offset != "Z" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        return None
    try:
        return datetime.fromisoformat(f"{whole}.{micros}{'+00:00' if offset == 'Z' else offset}")
    except ValueError:
        return None  # a date or time that does not exist (2026-02-30, 25:00)


@dataclass(frozen=True, slots=True)
class CatalogChanges:
    """`GET /catalog?since=V`. With `full`, `items` is the whole catalogue: replace, don't merge.

    `items` and `deleted` are as the platform sent them; offline_cache.catalog checks them when applying.
    """

    version: int
    items: tuple[Any, ...]
    deleted: tuple[Any, ...]
    full: bool


@dataclass(frozen=True, slots=True)
class AttachmentStored:
    sha256: str
    size: int
    created: bool  # False: the platform already had it (a repeated upload)


@dataclass(frozen=True, slots=True)
class SubmissionAccepted:
    case_no: str
    status: str  # always "received" in this answer; progress comes from get_case
    received_at: datetime
    local_receipt_no: str
    replayed: bool  # True: the platform had this Idempotency-Key already (HTTP 200, same case number)


@dataclass(frozen=True, slots=True)
class RatingRecorded:
    uuid: str
    case_no: str | None  # None until the platform has the submission the local receipt number names
    received_at: datetime
    replayed: bool


@dataclass(frozen=True, slots=True)
class CaseEvent:
    status: CaseState
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class CaseStatus:
    case_no: str
    local_receipt_no: str
    service_code: str
    status: CaseState
    received_at: datetime
    updated_at: datetime
    history: tuple[CaseEvent, ...]


@dataclass(frozen=True, slots=True)
class HeartbeatRecorded:
    uuid: str
    received_at: datetime
    replayed: bool
