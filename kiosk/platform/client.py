"""HTTP client of the provincial platform, as docs/platform-api.md describes it.

One `requests.Session` (keep-alive), a (connect, read) timeout on every call, TLS verification always on
(a custom CA file may be given, never with verification turned off), redirects never followed. Every answer's shape is
checked before it is returned as a typed model (kiosk.platform.models).

Failures are typed so the sync engine can decide without looking at HTTP:

- `PlatformUnavailable`: no answer (connection refused or dropped, timeout, TLS failure), 5xx, 408, 429.
  Transient: retry later with the same idempotency key / uuid, with backoff.
- `PlatformProtocolError`: an answer that does not follow the contract (invalid JSON, missing fields, a 4xx
  without the contract's error body, e.g. from a proxy). Transient, but `reason` says what was wrong.
- `PlatformAuthError`: 401/403. The terminal's credentials need fixing; nothing is wrong with the item.
- `AttachmentMissing`: 409 `attachment_missing`; `missing` lists the hashes to upload before retrying.
- `PlatformRejected`: any other 4xx; carries the platform's stable `code` and `message`. The item is bad:
  quarantine it. `CaseNotFound` is the 404 of `get_case`; `LicenceNotFound` the `licence_not_found` of a licence
  fetch or use; `ConsentRefused` a refused consent (`consent_*`) or holder name (`holder_mismatch`).

Logs hold method, path, status, duration and the idempotency key (or a use record's or certificate request's
uuid) only: bodies carry personal data, and the licence calls keep the holder's ID number in their bodies.
A client is meant for one thread (the sync engine's); `requests.Session` is not shared across threads.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
import os
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

import requests
import requests.adapters
import requests.auth

from kiosk import __version__
from kiosk.config import insecure_http_host
from kiosk.platform.errors import (
    REJECTION_CLASSES,
    AttachmentMissing,
    CaseNotFound,
    ConsentRefused,
    LicenceNotFound,
    PlatformAuthError,
    PlatformError,
    PlatformProtocolError,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.platform.models import (
    ISSUER_CODE_RE,
    MAX_DOCUMENT_ANSWER_BYTES,
    MAX_DOCUMENT_BYTES,
    MAX_HOLDER_NAME,
    MAX_PURPOSE,
    MAX_SCOPE_TYPES,
    NUMBER_RE,
    SHA256_RE,
    TYPE_CODE_RE,
    UUID_RE,
    VERIFICATION_CODE_RE,
    AttachmentStored,
    CaseEvent,
    CaseState,
    CaseStatus,
    CatalogChanges,
    CertificateOffer,
    CertificateOffers,
    Consent,
    Document,
    DocumentInfo,
    FetchedLicence,
    HeartbeatRecorded,
    Holder,
    IssuedCertificate,
    Issuer,
    Licence,
    LicenceList,
    LicenceStatus,
    LicenceUseRecorded,
    RatingRecorded,
    SubmissionAccepted,
    id_number_ok,
    licence_id_parts,
    parse_date,
    parse_timestamp,
)

log = logging.getLogger(__name__)

__all__ = [
    "AttachmentMissing",
    "CaseNotFound",
    "ConsentRefused",
    "InsecureTransport",
    "LicenceNotFound",
    "PlatformAuthError",
    "PlatformClient",
    "PlatformError",
    "PlatformProtocolError",
    "PlatformRejected",
    "PlatformUnavailable",
]

API_PREFIX: Final = "/api/v1"
DEFAULT_TIMEOUT: Final = (5.0, 30.0)



# The errors live in kiosk.platform.errors (no requests import there); re-exported here.


class InsecureTransport(ValueError):
    """A plain http:// platform address that is not loopback, without platform.allow_insecure_http."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"refusing to send the token and declarations to {host} over plain http (unencrypted); use https://, "
            "or set platform.allow_insecure_http = true for a lab"
        )
        self.host = host

# -- answer checks ---------------------------------------------------------------------------------------------


def _field(obj: Mapping[str, Any], name: str, kind: type | tuple[type, ...], status: int) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise PlatformProtocolError(f"answer field {name!r} is missing or not {_kind_name(kind)}", status=status)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def _text(obj: Mapping[str, Any], name: str, status: int, *, pattern: re.Pattern[str] | None = None) -> str:
    value: str = _field(obj, name, str, status)
    if not value or (pattern is not None and not pattern.fullmatch(value)):
        raise PlatformProtocolError(f"answer field {name!r} is empty or malformed", status=status)
    return value


def _time(obj: Mapping[str, Any], name: str, status: int) -> datetime:
    value = parse_timestamp(_text(obj, name, status))
    if value is None:
        raise PlatformProtocolError(
            f"answer field {name!r} is not an RFC 3339 timestamp with an offset", status=status
        )
    return value


def _state(obj: Mapping[str, Any], name: str, status: int) -> CaseState:
    try:
        return CaseState(_text(obj, name, status))
    except ValueError:
        raise PlatformProtocolError(f"answer field {name!r} is not a known case status", status=status) from None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _BearerAuth(requests.auth.AuthBase):
    """Sets the terminal's credentials; being a session `auth`, it also stops ~/.netrc from replacing them."""

    def __init__(self, terminal_id: str, token: str) -> None:
        self._terminal_id = terminal_id
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        r.headers["X-Terminal-Id"] = self._terminal_id
        return r


# -- the client ------------------------------------------------------------------------------------------------


class PlatformClient:
    """Typed calls of the platform contract for one terminal. Use as a context manager or call `close()`."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        token: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        ca_file: str | os.PathLike[str] | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        if not base_url.lower().startswith(("https://", "http://")):
            raise ValueError("base_url must start with https:// (or http:// on a test loopback)")
        # The last guard before the bearer token and residents' declarations leave the terminal: the config
        # loader refuses such an address too, but a client is also built from values set in code.
        host = insecure_http_host(base_url)
        if host is not None and not allow_insecure_http:
            raise InsecureTransport(host)
        if not terminal_id or not token:
            raise ValueError("terminal_id and token are required")
        if len(timeout) != 2 or not all(math.isfinite(t) and t > 0 for t in timeout):
            raise ValueError("timeout is (connect_seconds, read_seconds), both > 0")
        if ca_file is not None and not os.path.isfile(ca_file):
            raise ValueError(f"CA file not found: {os.fspath(ca_file)}")
        self.base_url = base_url.rstrip("/")
        self.terminal_id = terminal_id
        self._timeout = (float(timeout[0]), float(timeout[1]))
        # Always verifying: the system store, or the CA file the setup screen configured.
        self._verify: bool | str = True if ca_file is None else os.fspath(ca_file)
        self._session = requests.Session()
        self._session.auth = _BearerAuth(terminal_id, token)
        self._session.headers.update({"User-Agent": f"gov-kiosk/{__version__}", "Accept": "application/json"})
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- endpoints -----------------------------------------------------------------------------------------

    def get_catalog(self, since: int = 0) -> CatalogChanges:
        """Catalogue changes after version `since` (0: everything)."""
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise ValueError("since is a catalogue version >= 0")
        status, answer = self._call("GET", f"{API_PREFIX}/catalog", params={"since": str(since)})
        version: int = _field(answer, "version", int, status)
        full: bool = _field(answer, "full", bool, status)
        items: list[Any] = _field(answer, "items", list, status)
        deleted: list[Any] = _field(answer, "deleted", list, status)
        if version < 0 or (not full and version < since):
            raise PlatformProtocolError("catalogue version went backwards without a full answer", status=status)
        # The items and codes themselves are checked where they are applied (offline_cache.catalog), so a
        # bad item is refused as a catalogue problem naming it, not taken for an unreachable platform.
        return CatalogChanges(version=version, items=tuple(items), deleted=tuple(deleted), full=full)

    def has_attachment(self, sha256: str) -> bool:
        """Whether the platform already holds this attachment (so an upload can be skipped)."""
        path = f"{API_PREFIX}/attachments/{_check_sha256(sha256)}"
        response = self._send("HEAD", path)
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise self._failure(response, path)

    def put_attachment(self, sha256: str, data: bytes) -> AttachmentStored:
        """Upload an attachment by content hash; repeating an upload is harmless (`created` is then False)."""
        path = f"{API_PREFIX}/attachments/{_check_sha256(sha256)}"
        status, answer = self._call("PUT", path, data=bytes(data), headers={"Content-Type": "application/octet-stream"})
        if _text(answer, "sha256", status) != sha256:
            raise PlatformProtocolError("the answer names another attachment", status=status)
        size: int = _field(answer, "size", int, status)
        if size != len(data):
            raise PlatformProtocolError("the platform stored a different size", status=status)
        return AttachmentStored(sha256=sha256, size=size, created=status == 201)

    def submit(self, idempotency_key: str, body: Mapping[str, object]) -> SubmissionAccepted:
        """Deliver a declaration. Retrying with the same key (and body) answers with the same case number."""
        if not UUID_RE.fullmatch(idempotency_key):
            raise ValueError("the idempotency key is a UUID")
        status, answer = self._call(
            "POST", f"{API_PREFIX}/submissions", json_body=body, idempotency_key=idempotency_key
        )
        receipt = _text(answer, "local_receipt_no", status)
        if "local_receipt_no" in body and receipt != body["local_receipt_no"]:
            raise PlatformProtocolError("the answer names another local receipt number", status=status)
        return SubmissionAccepted(
            case_no=_text(answer, "case_no", status, pattern=NUMBER_RE),
            status=_text(answer, "status", status),
            received_at=_time(answer, "received_at", status),
            local_receipt_no=receipt,
            replayed=status == 200,
        )

    def post_rating(self, body: Mapping[str, object]) -> RatingRecorded:
        """Deliver a rating; idempotent by its `uuid`."""
        status, answer = self._call("POST", f"{API_PREFIX}/ratings", json_body=body)
        uuid = _text(answer, "uuid", status)
        if isinstance(body.get("uuid"), str) and uuid != str(body["uuid"]).lower():
            raise PlatformProtocolError("the answer names another rating", status=status)
        case_no = answer.get("case_no")
        if case_no is not None and not (isinstance(case_no, str) and NUMBER_RE.fullmatch(case_no)):
            raise PlatformProtocolError("answer field 'case_no' is malformed", status=status)
        return RatingRecorded(
            uuid=uuid, case_no=case_no, received_at=_time(answer, "received_at", status), replayed=status == 200
        )

    def get_case(self, number: str) -> CaseStatus:
        """A case's status and history, by platform case number or by the terminal's local receipt number."""
        if not NUMBER_RE.fullmatch(number):
            raise ValueError("a case or receipt number is 1-64 letters, digits, '_', '.', '-'")
        status, answer = self._call("GET", f"{API_PREFIX}/cases/{quote(number, safe='')}", not_found=CaseNotFound)
        history_raw: list[Any] = _field(answer, "history", list, status)
        history = []
        for entry in history_raw:
            if not isinstance(entry, dict):
                raise PlatformProtocolError("a case history entry is not an object", status=status)
            note: str = _field(entry, "note", str, status)
            history.append(CaseEvent(status=_state(entry, "status", status), at=_time(entry, "at", status), note=note))
        return CaseStatus(
            case_no=_text(answer, "case_no", status, pattern=NUMBER_RE),
            local_receipt_no=_text(answer, "local_receipt_no", status),
            service_code=_text(answer, "service_code", status),
            status=_state(answer, "status", status),
            received_at=_time(answer, "received_at", status),
            updated_at=_time(answer, "updated_at", status),
            history=tuple(history),
        )

    def heartbeat(self, body: Mapping[str, object]) -> HeartbeatRecorded:
        """Report health and outbox state; idempotent by the body's `uuid`."""
        path = f"{API_PREFIX}/terminals/{quote(self.terminal_id, safe='')}/heartbeat"
        status, answer = self._call("POST", path, json_body=body)
        uuid = _text(answer, "uuid", status)
        if isinstance(body.get("uuid"), str) and uuid != str(body["uuid"]).lower():
            raise PlatformProtocolError("the answer names another heartbeat", status=status)
        return HeartbeatRecorded(uuid=uuid, received_at=_time(answer, "received_at", status), replayed=status == 200)

    # -- electronic licences and certificates ---------------------------------------------------------------
    # Live calls made while the resident waits, never queued (use records are, through the outbox). Every answer
    # is checked whole: a licence of another holder, a type the consent does not cover, a document whose size or
    # hash does not match is a protocol error, never shown or printed.

    def _consent_here(self, consent: Consent) -> dict[str, object]:
        if consent.terminal_id != self.terminal_id:
            raise ValueError("the consent was given at another terminal")
        return consent.to_json()

    def query_licences(
        self, holder: Holder, consent: Consent, type_codes: Sequence[str] | None = None
    ) -> LicenceList:
        """The holder's licences the consent lets the terminal list (all statuses), `type_codes` narrowing them."""
        body: dict[str, object] = {"holder": holder.to_json(), "consent": self._consent_here(consent)}
        if type_codes is not None:
            if not 1 <= len(type_codes) <= MAX_SCOPE_TYPES or len(set(type_codes)) != len(type_codes) or not all(
                TYPE_CODE_RE.fullmatch(code) for code in type_codes
            ):
                raise ValueError("type_codes: 1 to 50 licence type codes, none twice")
            body["type_codes"] = list(type_codes)
        status, answer = self._call("POST", f"{API_PREFIX}/licences/query", json_body=body)
        raw: list[Any] = _field(answer, "licences", list, status)
        if len(raw) > 200:
            raise PlatformProtocolError("more than 200 licences in one answer", status=status)
        licences = tuple(_licence(entry, status) for entry in raw)
        for licence in licences:
            if licence.holder.id_number != holder.id_number or not consent.lists(licence.type_code) or (
                type_codes is not None and licence.type_code not in type_codes
            ):
                raise PlatformProtocolError("the answer holds a licence the request did not ask for", status=status)
        return LicenceList(licences=licences, queried_at=_time(answer, "queried_at", status))

    def fetch_licence(self, licence_id: str, holder: Holder, consent: Consent) -> FetchedLicence:
        """One licence's metadata and its PDF (the PDF rendition of a licence the issuer keeps as OFD)."""
        if licence_id_parts(licence_id) is None:
            raise ValueError("not a licence identifier (or its check character is wrong)")
        body = {"licence_id": licence_id, "holder": holder.to_json(), "consent": self._consent_here(consent),
                "format": "pdf"}
        status, answer = self._call("POST", f"{API_PREFIX}/licences/fetch", json_body=body,
                                    max_answer_bytes=MAX_DOCUMENT_ANSWER_BYTES)
        licence = _licence(answer.get("licence"), status)
        if licence.licence_id != licence_id or licence.holder.id_number != holder.id_number:
            raise PlatformProtocolError("the answer holds another licence than the one asked for", status=status)
        if licence.document is None:
            raise PlatformProtocolError("a fetched licence without a document", status=status)
        return FetchedLicence(licence=licence, document=_document(answer.get("document"), status))

    def record_licence_use(self, body: Mapping[str, object]) -> LicenceUseRecorded:
        """Deliver a use record (用证记录) from the outbox; idempotent by its `uuid`."""
        status, answer = self._call("POST", f"{API_PREFIX}/licences/uses", json_body=body,
                                    idempotency_key=None, log_key=str(body.get("uuid")))
        uuid = _text(answer, "uuid", status)
        if isinstance(body.get("uuid"), str) and uuid != str(body["uuid"]).lower():
            raise PlatformProtocolError("the answer names another use record", status=status)
        return LicenceUseRecorded(uuid=uuid, recorded_at=_time(answer, "recorded_at", status),
                                  replayed=status == 200)

    def available_certificates(self, holder: Holder, consent: Consent) -> CertificateOffers:
        """The certificates (电子证明) the platform can issue to the holder now."""
        body = {"holder": holder.to_json(), "consent": self._consent_here(consent)}
        status, answer = self._call("POST", f"{API_PREFIX}/certificates/available", json_body=body)
        raw: list[Any] = _field(answer, "certificates", list, status)
        if len(raw) > 100:
            raise PlatformProtocolError("more than 100 certificates on offer in one answer", status=status)
        offers = []
        for entry in raw:
            offer = _offer(entry, status)
            if not consent.lists(offer.type_code):
                raise PlatformProtocolError("the answer offers a type the consent does not cover", status=status)
            offers.append(offer)
        return CertificateOffers(offers=tuple(offers), queried_at=_time(answer, "queried_at", status))

    def issue_certificate(
        self, uuid: str, type_code: str, holder: Holder, consent: Consent, *, requested_at: datetime,
        purpose: str | None = None,
    ) -> IssuedCertificate:
        """Issue one certificate as a signed PDF. A retry with the same arguments gets the same certificate."""
        if not UUID_RE.fullmatch(uuid) or not TYPE_CODE_RE.fullmatch(type_code):
            raise ValueError("a certificate is issued by a UUID and a licence type code")
        if purpose is not None and not 1 <= len(purpose) <= MAX_PURPOSE:
            raise ValueError(f"a purpose has 1 to {MAX_PURPOSE} characters")
        if requested_at.tzinfo is None:
            raise ValueError("requested_at must be an aware datetime")
        body: dict[str, object] = {
            "uuid": uuid.lower(), "type_code": type_code, "holder": holder.to_json(),
            "consent": self._consent_here(consent), "requested_at": requested_at.isoformat(),
            "terminal_id": self.terminal_id,
        }
        if purpose is not None:
            body["purpose"] = purpose
        status, answer = self._call("POST", f"{API_PREFIX}/certificates/issue", json_body=body,
                                    max_answer_bytes=MAX_DOCUMENT_ANSWER_BYTES, log_key=uuid.lower())
        if _text(answer, "uuid", status) != uuid.lower():
            raise PlatformProtocolError("the answer names another certificate request", status=status)
        raw = answer.get("certificate")
        if not isinstance(raw, dict):
            raise PlatformProtocolError("answer field 'certificate' is missing or not an object", status=status)
        meta = _licence_meta(raw, status, id_field="certificate_id")
        if meta["type_code"] != type_code or meta["holder"].id_number != holder.id_number:
            raise PlatformProtocolError("the answer holds another certificate than the one asked for", status=status)
        return IssuedCertificate(
            uuid=uuid.lower(),
            certificate_id=meta["licence_id"],
            name=meta["name"],
            number=meta["number"],
            type_code=meta["type_code"],
            holder=meta["holder"],
            issuer=meta["issuer"],
            issued_on=meta["issued_on"],
            valid_from=meta["valid_from"],
            valid_until=meta["valid_until"],
            status=meta["status"],
            verification_code=_text(raw, "verification_code", status, pattern=VERIFICATION_CODE_RE),
            document=_document(answer.get("document"), status),
            replayed=status == 200,
        )

    # -- plumbing ------------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, object] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        not_found: type[PlatformRejected] = PlatformRejected,
        max_answer_bytes: int | None = None,
        log_key: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Send, classify, and return (status, JSON object) of a 2xx answer.

        With `max_answer_bytes`, an answer body longer than that is a protocol error, found without reading
        more than one chunk past the limit.
        """
        all_headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, allow_nan=False).encode("utf-8")
            all_headers["Content-Type"] = "application/json; charset=utf-8"
        if idempotency_key is not None:
            all_headers["Idempotency-Key"] = idempotency_key
        response = self._send(method, path, params=params, data=data, headers=all_headers,
                              key=idempotency_key or log_key, stream=max_answer_bytes is not None)
        status = response.status_code
        content = response.content if max_answer_bytes is None else _capped(response, max_answer_bytes)
        if not 200 <= status < 300:
            raise self._failure(response, path, not_found=not_found, content=content)
        try:
            answer = json.loads(content)
        except (ValueError, RecursionError):  # RecursionError: nested too deep for the parser
            raise PlatformProtocolError(f"the {status} answer is not valid JSON", status=status) from None
        if not isinstance(answer, dict):
            raise PlatformProtocolError(f"the {status} answer is not a JSON object", status=status)
        return status, answer

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        key: str | None = None,
        stream: bool = False,
    ) -> requests.Response:
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify,
                allow_redirects=False,
                stream=stream,
            )
        except requests.exceptions.SSLError as exc:
            raise self._no_answer(method, path, started, key, "tls_error", exc) from exc
        except requests.exceptions.Timeout as exc:
            raise self._no_answer(method, path, started, key, "timeout", exc) from exc
        except requests.exceptions.ConnectionError as exc:
            raise self._no_answer(method, path, started, key, "connection_error", exc) from exc
        except requests.exceptions.RequestException as exc:
            # e.g. a body cut short (ChunkedEncodingError): the answer never fully arrived.
            raise self._no_answer(method, path, started, key, "connection_error", exc) from exc
        elapsed = (time.monotonic() - started) * 1000
        level = logging.DEBUG if response.status_code < 400 or response.status_code == 404 else logging.INFO
        log.log(level, "%s %s -> %d in %.1f ms key=%s", method, path, response.status_code, elapsed, key or "-")
        return response

    @staticmethod
    def _no_answer(
        method: str, path: str, started: float, key: str | None, code: str, exc: Exception
    ) -> PlatformUnavailable:
        elapsed = (time.monotonic() - started) * 1000
        log.info("%s %s -> %s in %.1f ms key=%s", method, path, code, elapsed, key or "-")
        # The exception text names host and path only (never bodies); keep its type for the setup screen.
        return PlatformUnavailable(f"{type(exc).__name__}: {exc}"[:300], code=code)

    @staticmethod
    def _failure(
        response: requests.Response, path: str, *, not_found: type[PlatformRejected] = PlatformRejected,
        content: bytes | None = None,
    ) -> PlatformError:
        """The typed error for a non-2xx answer (`content`: its body when already read)."""
        status = response.status_code
        code, message, error = _error_body(response.content if content is None else content)
        if status >= 500 or status in (408, 429):
            return PlatformUnavailable(
                message or f"HTTP {status}",
                code=code or f"http_{status}",
                status=status,
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
        if status in (401, 403):
            if code is None and response.request.method != "HEAD":
                # Not the platform judging our credentials: a proxy or a captive portal said no. Retry later,
                # and do not send the technician to re-key a terminal whose token is fine.
                return PlatformProtocolError(f"HTTP {status} without the contract's error body", status=status)
            return PlatformAuthError(message or f"HTTP {status}", code=code or f"http_{status}", status=status)
        if not 400 <= status < 500:
            return PlatformProtocolError(f"unexpected HTTP status {status}", status=status)
        if code is None:
            if response.request.method == "HEAD":
                return not_found(f"HTTP {status}", code=f"http_{status}", status=status)
            # A 4xx not in the contract's format (a proxy, a wrong base URL): do not blame the item.
            return PlatformProtocolError(f"HTTP {status} without the contract's error body", status=status)
        if status == 409 and code == "attachment_missing":
            missing = error.get("missing") if error is not None else None
            if not isinstance(missing, list) or not all(
                isinstance(m, str) and SHA256_RE.fullmatch(m) for m in missing
            ):
                return PlatformProtocolError("attachment_missing without a list of hashes", status=status)
            return AttachmentMissing(message or "attachments missing", missing=tuple(missing), status=status)
        cls = REJECTION_CLASSES.get(code) or (not_found if status == 404 else PlatformRejected)
        return cls(message or f"HTTP {status}", code=code, status=status)


def _error_body(content: bytes) -> tuple[str | None, str, dict[str, Any] | None]:
    """(code, message, error object) of a contract error body, or (None, "", None)."""
    try:
        body = json.loads(content) if content else None
    except (ValueError, RecursionError):
        return None, "", None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str) or not error["code"]:
        return None, "", None
    message = error.get("message")
    return error["code"], message[:500] if isinstance(message, str) else "", error


def _check_sha256(sha256: str) -> str:
    if not SHA256_RE.fullmatch(sha256):
        raise ValueError("sha256 is 64 lowercase hex digits")
    return sha256


def _capped(response: requests.Response, limit: int) -> bytes:
    """The answer's body, or a protocol error once it grows past `limit` bytes (the rest is never read)."""
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise PlatformProtocolError(f"the answer is larger than {limit} bytes", status=response.status_code)
            chunks.append(chunk)
    except requests.exceptions.RequestException as exc:
        raise PlatformUnavailable(f"{type(exc).__name__}: {exc}"[:300], code="connection_error") from exc
    finally:
        response.close()
    return b"".join(chunks)


# -- answers about licences and certificates -------------------------------------------------------------------

# Control, format (zero-width, bidirectional) and separator characters: never part of a name or a number.
_NOT_IN_A_LINE = ("Cc", "Cf", "Cs", "Zl", "Zp")


def _line(obj: Mapping[str, Any], name: str, status: int, max_len: int) -> str:
    value = _text(obj, name, status)
    if len(value) > max_len or any(unicodedata.category(c) in _NOT_IN_A_LINE for c in value):
        raise PlatformProtocolError(f"answer field {name!r} is too long or holds control characters", status=status)
    return value


def _date(obj: Mapping[str, Any], name: str, status: int) -> date:
    value = parse_date(_text(obj, name, status))
    if value is None:
        raise PlatformProtocolError(f"answer field {name!r} is not a date (YYYY-MM-DD)", status=status)
    return value


def _object(obj: Mapping[str, Any], name: str, status: int) -> dict[str, Any]:
    value = obj.get(name)
    if not isinstance(value, dict):
        raise PlatformProtocolError(f"answer field {name!r} is missing or not an object", status=status)
    return value


def _issuer(obj: Mapping[str, Any], status: int) -> Issuer:
    raw = _object(obj, "issuer", status)
    return Issuer(name=_line(raw, "name", status, 100), code=_text(raw, "code", status, pattern=ISSUER_CODE_RE))


def _licence_meta(raw: Mapping[str, Any], status: int, *, id_field: str = "licence_id") -> dict[str, Any]:
    """The fields LICENCE and an issued certificate share, checked (identifier, codes, holder, dates, status)."""
    licence_id = _text(raw, id_field, status)
    parts = licence_id_parts(licence_id)
    if parts is None:
        raise PlatformProtocolError(f"answer field {id_field!r} is not a licence identifier", status=status)
    type_code = _text(raw, "type_code", status, pattern=TYPE_CODE_RE)
    issuer = _issuer(raw, status)
    if (type_code, issuer.code) != parts:
        raise PlatformProtocolError("a licence's type or issuer code differs from its identifier's", status=status)
    holder_raw = _object(raw, "holder", status)
    id_number = _text(holder_raw, "id_number", status)
    if not id_number_ok(id_number):
        raise PlatformProtocolError("answer field 'holder.id_number' is not an ID number", status=status)
    valid_from, valid_until = _date(raw, "valid_from", status), None
    if raw.get("valid_until") is not None:
        valid_until = _date(raw, "valid_until", status)
        if valid_until < valid_from:
            raise PlatformProtocolError("a licence's validity ends before it begins", status=status)
    elif "valid_until" not in raw:
        raise PlatformProtocolError("answer field 'valid_until' is missing", status=status)
    try:
        licence_status = LicenceStatus(_text(raw, "status", status))
    except ValueError:
        raise PlatformProtocolError("answer field 'status' is not a licence status", status=status) from None
    return {
        "licence_id": licence_id,
        "name": _line(raw, "name", status, 64),
        "number": _line(raw, "number", status, 64),
        "type_code": type_code,
        "holder": Holder(id_number=id_number, name=_line(holder_raw, "name", status, MAX_HOLDER_NAME)),
        "issuer": issuer,
        "issued_on": _date(raw, "issued_on", status),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "status": licence_status,
    }


def _licence(raw: object, status: int) -> Licence:
    if not isinstance(raw, dict):
        raise PlatformProtocolError("a licence is not an object", status=status)
    meta = _licence_meta(raw, status)
    if "document" not in raw:
        raise PlatformProtocolError("answer field 'document' is missing", status=status)
    info = None
    if raw["document"] is not None:
        doc = _object(raw, "document", status)
        if doc.get("media_type") != "application/pdf" or doc.get("original_format") not in ("pdf", "ofd"):
            raise PlatformProtocolError("a licence's document is not a PDF of a pdf or ofd original", status=status)
        info = DocumentInfo(media_type="application/pdf", original_format=doc["original_format"])
    return Licence(document=info, **meta)


def _document(raw: object, status: int) -> Document:
    """DOCUMENT with its content: base64 that decodes to `size` bytes of a PDF hashing to `sha256`."""
    if not isinstance(raw, dict):
        raise PlatformProtocolError("answer field 'document' is missing or not an object", status=status)
    if raw.get("media_type") != "application/pdf" or raw.get("original_format") not in ("pdf", "ofd"):
        raise PlatformProtocolError("the document is not a PDF of a pdf or ofd original", status=status)
    size: int = _field(raw, "size", int, status)
    sha256 = _text(raw, "sha256", status, pattern=SHA256_RE)
    encoded: str = _field(raw, "content_base64", str, status)
    if not 1 <= size <= MAX_DOCUMENT_BYTES or len(encoded) > 4 * ((MAX_DOCUMENT_BYTES + 2) // 3):
        raise PlatformProtocolError("the document is larger than 10 MiB", status=status)
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise PlatformProtocolError("the document's content is not base64", status=status) from None
    if len(content) != size or hashlib.sha256(content).hexdigest() != sha256:
        raise PlatformProtocolError("the document's content does not match its size and SHA-256", status=status)
    if not content.startswith(b"%PDF-"):
        raise PlatformProtocolError("the document is not a PDF", status=status)
    return Document(original_format=raw["original_format"], sha256=sha256, content=content)


def _offer(raw: object, status: int) -> CertificateOffer:
    if not isinstance(raw, dict):
        raise PlatformProtocolError("a certificate offer is not an object", status=status)
    valid_days: int = _field(raw, "valid_days", int, status)
    note: str = _field(raw, "note", str, status)
    if not 1 <= valid_days <= 3650 or len(note) > 500:
        raise PlatformProtocolError("a certificate offer's valid_days or note is out of range", status=status)
    return CertificateOffer(
        type_code=_text(raw, "type_code", status, pattern=TYPE_CODE_RE),
        name=_line(raw, "name", status, 64),
        issuer=_issuer(raw, status),
        valid_days=valid_days,
        note=note,
    )
