"""Typed answers of the provincial platform (docs/platform-api.md) and the contract's constants.

The reference platform keeps its own copy of the constants (reference_platform/contract.py): neither package
imports the other; the contract document is what both follow.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Final, Literal

from kiosk.privacy import mask_id_number, mask_name, mask_tail


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


# -- electronic licences and certificates (docs/platform-api.md, "Electronic licences and certificates") ------

# The unified social credit code's alphabet (GB 32100): digits and capitals without I, O, S, V, Z.
_USCC: Final = "[0-9A-HJ-NPQRTUWXY]"
TYPE_CODE_RE: Final = re.compile(f"{_USCC}{{18}}[0-9]{{3}}")
ISSUER_CODE_RE: Final = re.compile(f"{_USCC}{{18}}")
_LICENCE_ID_RE: Final = re.compile(
    r"1\.2\.156\.3005\.2\."
    f"(?P<type>{_USCC}{{18}}[0-9]{{3}})\\.(?P<issuer>{_USCC}{{18}})\\."
    r"(?P<serial>[0-9A-Z]{1,32})\.(?P<version>[0-9]{3})\.(?P<check>[0-9A-Z])"
)
_ID_NUMBER_RE: Final = re.compile(r"[0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12}")
VERIFICATION_CODE_RE: Final = re.compile(r"[0-9A-Z]{8,32}")
_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_SCOPE_TYPES: Final = 50
MAX_HOLDER_NAME: Final = 100
MAX_PURPOSE: Final = 200
MAX_DOCUMENT_BYTES: Final = 10 * 1024 * 1024
# A fetch or issue answer carries the PDF in base64: 10 MiB become 13.4 MiB, and the metadata fits in the rest.
MAX_DOCUMENT_ANSWER_BYTES: Final = 16 * 1024 * 1024
_MOD37: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# The dates on a licence are calendar dates in China Standard Time.
CHINA_TIME: Final = timezone(timedelta(hours=8), "CST")


def mod37_36_check(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of `text` (digits and capitals), as GB/T 36904 uses it."""
    p = 36
    for char in text:
        s = (p + _MOD37.index(char)) % 36 or 36
        p = (2 * s) % 37
    return _MOD37[(37 - p) % 36]


def licence_id_parts(value: object) -> tuple[str, str] | None:
    """(type code, issuer code) of a well-formed licence identifier, check character verified; else None."""
    if not isinstance(value, str):
        return None
    match = _LICENCE_ID_RE.fullmatch(value)
    if match is None:
        return None
    if mod37_36_check(match["type"] + match["issuer"] + match["serial"] + match["version"]) != match["check"]:
        return None
    return match["type"], match["issuer"]


def id_number_ok(value: object) -> bool:
    """A holder ID number: 18 characters with a valid ISO 7064 MOD 11-2 check, or a 2017 foreigner's number."""
    if not isinstance(value, str) or not _ID_NUMBER_RE.fullmatch(value):
        return False
    if len(value) == 15:
        return True
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17]


def parse_date(text: str) -> date | None:
    """A contract date (`YYYY-MM-DD`, a day that exists); None for anything else."""
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Holder:
    """Whose licences and certificates are asked for (HOLDER). Never logged: its repr is masked."""

    id_number: str
    name: str | None = None

    def __post_init__(self) -> None:
        if not id_number_ok(self.id_number):
            raise ValueError("not an ID number the platform takes (18 characters with a valid check character, "
                             "or 15 of a 2017 foreigner's card)")
        if self.name is not None and not 1 <= len(self.name) <= MAX_HOLDER_NAME:
            raise ValueError(f"a holder's name has 1 to {MAX_HOLDER_NAME} characters")

    def __repr__(self) -> str:
        shown = None if self.name is None else mask_name(self.name)
        return f"Holder(id_number={mask_id_number(self.id_number)!r}, name={shown!r})"

    def to_json(self) -> dict[str, str]:
        return {"id_number": self.id_number, **({} if self.name is None else {"name": self.name})}


ConsentScope = Literal["all", "list"] | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Consent:
    """The resident's consent to look up their licences (CONSENT); it travels with every request that reads them.

    `scope`: "all", "list" (listing only, as a technician's command records it), or the type codes allowed.
    """

    id: str
    scope: ConsentScope
    given_at: datetime
    given_by: Literal["resident", "technician"]
    terminal_id: str
    service_code: str | None = None

    def __post_init__(self) -> None:
        if not UUID_RE.fullmatch(self.id):
            raise ValueError("a consent id is a UUID")
        if isinstance(self.scope, tuple):
            if not 1 <= len(self.scope) <= MAX_SCOPE_TYPES or len(set(self.scope)) != len(self.scope):
                raise ValueError(f"a consent names 1 to {MAX_SCOPE_TYPES} type codes, none twice")
            if not all(TYPE_CODE_RE.fullmatch(code) for code in self.scope):
                raise ValueError("a consent's scope holds licence type codes")
        elif self.scope not in ("all", "list"):
            raise ValueError("a consent's scope is 'all', 'list' or type codes")
        if self.given_at.tzinfo is None:
            raise ValueError("given_at must be an aware datetime")
        if self.service_code is not None and not 1 <= len(self.service_code) <= 64:
            raise ValueError("a service code has 1 to 64 characters")

    def covers(self, type_code: str) -> bool:
        """Whether it lets a licence or certificate of this type be fetched, used or issued."""
        return self.scope == "all" or (isinstance(self.scope, tuple) and type_code in self.scope)

    def lists(self, type_code: str) -> bool:
        """Whether it lets this type be listed."""
        return self.scope in ("all", "list") or (isinstance(self.scope, tuple) and type_code in self.scope)

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "id": self.id.lower(),
            "scope": list(self.scope) if isinstance(self.scope, tuple) else self.scope,
            "given_at": self.given_at.isoformat(),
            "given_by": self.given_by,
            "terminal_id": self.terminal_id,
        }
        if self.service_code is not None:
            body["service_code"] = self.service_code
        return body


class LicenceStatus(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return {"valid": "有效", "expired": "过期", "revoked": "注销"}[self.value]


@dataclass(frozen=True, slots=True)
class Issuer:
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a fetch answers with for a licence: a PDF, and the format the issuer keeps (`pdf` or `ofd`)."""

    media_type: str
    original_format: str


@dataclass(frozen=True, slots=True, repr=False)
class Licence:
    """One licence's metadata (LICENCE, after GB/T 36903). Holds personal data: its repr is masked."""

    licence_id: str
    name: str
    number: str
    type_code: str
    holder: Holder
    issuer: Issuer
    issued_on: date
    valid_from: date
    valid_until: date | None
    status: LicenceStatus
    document: DocumentInfo | None

    def __repr__(self) -> str:
        return f"Licence(name={self.name!r}, type_code={self.type_code!r}, number={mask_tail(self.number)!r}, " \
               f"status={self.status.value!r})"

    def usable_on(self, day: date) -> bool:
        """Whether a declaration on `day` (China Standard Time) may cite it: valid, and within its validity."""
        return (self.status is LicenceStatus.VALID and self.valid_from <= day
                and (self.valid_until is None or day <= self.valid_until))


@dataclass(frozen=True, slots=True)
class LicenceList:
    licences: tuple[Licence, ...]
    queried_at: datetime


@dataclass(frozen=True, slots=True, repr=False)
class Document:
    """A PDF the platform handed over (DOCUMENT), its size and SHA-256 checked against its content."""

    original_format: str
    sha256: str
    content: bytes

    def __repr__(self) -> str:
        return f"Document(sha256={self.sha256!r}, size={len(self.content)}, original_format={self.original_format!r})"


@dataclass(frozen=True, slots=True, repr=False)
class FetchedLicence:
    licence: Licence
    document: Document

    def __repr__(self) -> str:
        return f"FetchedLicence({self.licence!r}, {self.document!r})"


@dataclass(frozen=True, slots=True)
class LicenceUseRecorded:
    uuid: str
    recorded_at: datetime
    replayed: bool


@dataclass(frozen=True, slots=True)
class CertificateOffer:
    type_code: str
    name: str
    issuer: Issuer
    valid_days: int
    note: str


@dataclass(frozen=True, slots=True)
class CertificateOffers:
    offers: tuple[CertificateOffer, ...]
    queried_at: datetime


@dataclass(frozen=True, slots=True, repr=False)
class IssuedCertificate:
    """An issued certificate (电子证明): its metadata, verification code and signed PDF."""

    uuid: str
    certificate_id: str
    name: str
    number: str
    type_code: str
    holder: Holder
    issuer: Issuer
    issued_on: date
    valid_from: date
    valid_until: date | None
    status: LicenceStatus
    verification_code: str
    document: Document
    replayed: bool

    def __repr__(self) -> str:
        return f"IssuedCertificate(name={self.name!r}, certificate_id={self.certificate_id!r}, " \
               f"replayed={self.replayed})"
