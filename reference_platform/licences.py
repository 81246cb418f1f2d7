"""Electronic licences and certificates: the business checks and answers of docs/platform-api.md.

The server has checked everything up to field validation (steps 1-10 of the order of checks); here come the
business checks in the order of the contract's own table ("Order of the business checks", a-h), then the
answer, storing the consent (and the use or the certificate) only when every check passed. PDFs are made and
signed outside the write transactions, which they would otherwise hold for a tenth of a second.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from reference_platform.authority import Authority
from reference_platform.contract import CONSENT_MAX_AGE_S, CONSENT_MAX_AHEAD_S, MAX_LICENCES_PER_ANSWER
from reference_platform.documents import render_certificate, render_licence
from reference_platform.samples import CERTIFICATE_TYPES, HOLDERS, LICENCES, OFFERS, department_by_code
from reference_platform.store import Store, now_iso
from reference_platform.validation import ApiError, licence_id_parts, make_licence_id

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper and typed again


def _timestamp(value: str) -> dt.datetime:
    """A contract timestamp (already validated) as an aware datetime; fractions beyond microseconds cut."""
    main, offset = (value[:-1], "+00:00") if value.endswith("Z") else (value[:-6], value[-6:])
    whole, _, fraction = main.partition(".")
    return dt.datetime.fromisoformat(f"{whole}.{fraction[:6].ljust(6, '0')}{offset}")


def _covers(scope: object, type_code: str) -> bool:
    """Whether a consent's scope lets a licence or certificate of this type be fetched, used or issued."""
    return scope == "all" or (isinstance(scope, list) and type_code in scope)


def _listed(scope: object, type_code: str) -> bool:
    """Whether a consent's scope lets this type be listed ("list" lists everything)."""
    return scope in ("all", "list") or (isinstance(scope, list) and type_code in scope)


def _listed_document(row: dict[str, Any]) -> dict[str, Any] | None:
    """LICENCE.document: whether a fetch gets a PDF, and what the issuer keeps (no PDF needs making for it)."""
    if not row["has_pdf"]:
        return None
    return {"media_type": "application/pdf", "original_format": row["original_format"]}


def _document(pdf: bytes, original_format: str) -> dict[str, Any]:
    """DOCUMENT with its content, as a fetch and an issue answer."""
    return {"media_type": "application/pdf", "original_format": original_format, "size": len(pdf),
            "sha256": hashlib.sha256(pdf).hexdigest(), "content_base64": base64.b64encode(pdf).decode("ascii")}


class LicenceDesk:
    """The five licence and certificate requests, on the platform's store and test authority."""

    def __init__(self, store: Store, authority: Authority, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.authority = authority
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        store.seed_licences(
            HOLDERS,
            [{"meta": lic.metadata(), "original_format": lic.original_format, "has_pdf": lic.has_pdf}
             for lic in LICENCES],
            OFFERS,
        )

    # -- the consent and the holder (checks a, b, d) -------------------------------------------------------

    def _check_consent_and_holder(self, body: dict[str, Any]) -> str:
        consent, holder = body["consent"], body["holder"]
        id_number: str = holder["id_number"]
        self.store.check_consent(consent, id_number)  # a
        age = (self.clock() - _timestamp(consent["given_at"])).total_seconds()
        if age > CONSENT_MAX_AGE_S or age < -CONSENT_MAX_AHEAD_S:  # b
            raise ApiError(422, "consent_expired", "the consent was not given within the last 30 minutes")
        known = self.store.holder_name(id_number)
        if holder.get("name") is not None and known is not None and holder["name"] != known:  # d
            raise ApiError(422, "holder_mismatch", "the platform holds another name for this ID number")
        return id_number

    # -- licences ------------------------------------------------------------------------------------------

    def _pdf(self, meta: dict[str, Any]) -> bytes:
        """The licence's signed PDF, made on first need and then kept (the same bytes for every fetch)."""
        pdf = self.store.licence_pdf(meta["licence_id"])
        if pdf is None:
            self.store.put_licence_pdf(meta["licence_id"], self.authority.sign_pdf(
                render_licence(meta), department_by_code(meta["issuer"]["code"]), reason="电子证照 / electronic licence"
            ))
            pdf = self.store.licence_pdf(meta["licence_id"])
            assert pdf is not None
        return pdf

    def query(self, body: dict[str, Any], type_codes: list[str] | None, terminal_id: str) -> dict[str, Any]:
        holder = self._check_consent_and_holder(body)
        scope = body["consent"]["scope"]
        rows = [
            row for row in self.store.licence_rows(holder=holder)
            if _listed(scope, row["meta"]["type_code"])
            and (type_codes is None or row["meta"]["type_code"] in type_codes)
        ][:MAX_LICENCES_PER_ANSWER]
        licences = [{**row["meta"], "document": _listed_document(row)} for row in rows]
        self.store.keep_consent(body["consent"], holder, terminal_id)
        return {"licences": licences, "queried_at": now_iso()}

    def fetch(self, body: dict[str, Any], parts: dict[str, str], terminal_id: str) -> dict[str, Any]:
        holder = self._check_consent_and_holder(body)
        if not _covers(body["consent"]["scope"], parts["type"]):  # e
            raise ApiError(422, "consent_out_of_scope", "the consent does not let this licence be fetched")
        found = self.store.licence_rows(licence_id=body["licence_id"])
        if not found or found[0]["meta"]["holder"]["id_number"] != holder:  # f
            raise ApiError(404, "licence_not_found", "no such licence held by this holder")
        if not found[0]["has_pdf"]:  # g
            raise ApiError(422, "rendition_unavailable", "the licence is kept as OFD and has no PDF rendition")
        row = found[0]
        pdf = self._pdf(row["meta"])
        self.store.keep_consent(body["consent"], holder, terminal_id)
        return {"licence": {**row["meta"], "document": _listed_document(row)},
                "document": _document(pdf, row["original_format"])}

    def record_use(
        self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str, parts: dict[str, str]
    ) -> tuple[bool, dict[str, Any]]:
        consent = self.store.consent(body["consent_id"].lower())
        if consent is None:  # c
            raise ApiError(422, "consent_unknown", "the platform never received this consent")
        if not _covers(consent["body"]["scope"], parts["type"]):  # e
            raise ApiError(422, "consent_out_of_scope", "the consent does not let this licence be used")
        found = self.store.licence_rows(licence_id=body["licence_id"])
        if not found or found[0]["meta"]["holder"]["id_number"] != consent["holder"]:  # f
            raise ApiError(404, "licence_not_found", "no such licence held by the consent's holder")
        return self.store.record_licence_use(uuid, body, body_sha256, terminal_id)

    # -- certificates --------------------------------------------------------------------------------------

    def available(self, body: dict[str, Any], terminal_id: str) -> dict[str, Any]:
        holder = self._check_consent_and_holder(body)
        scope = body["consent"]["scope"]
        offers = [
            CERTIFICATE_TYPES[code].offer() for code in self.store.offered_types(holder) if _listed(scope, code)
        ]
        self.store.keep_consent(body["consent"], holder, terminal_id)
        return {"certificates": offers, "queried_at": now_iso()}

    def issue(self, uuid: str, body: dict[str, Any], body_sha256: str, terminal_id: str) -> tuple[bool, dict[str, Any]]:
        holder = self._check_consent_and_holder(body)
        type_code = body["type_code"]
        if not _covers(body["consent"]["scope"], type_code):  # e
            raise ApiError(422, "consent_out_of_scope", "the consent does not let this certificate be issued")
        if type_code not in self.store.offered_types(holder):  # h
            raise ApiError(422, "certificate_unavailable", "this certificate is not offered to this holder")
        kind = CERTIFICATE_TYPES[type_code]
        seq = self.store.next_certificate_seq()
        today = self.clock().astimezone(CHINA).date()
        certificate_id = make_licence_id(type_code, kind.issuer.code, f"C{seq:09d}")
        assert licence_id_parts(certificate_id) is not None
        meta = {
            "certificate_id": certificate_id,
            "name": kind.name,
            "number": f"{kind.number_prefix}{today:%Y%m%d}{seq:06d}",
            "type_code": type_code,
            "holder": {"name": self.store.holder_name(holder) or body["holder"].get("name") or "", "id_number": holder},
            "issuer": kind.issuer.as_issuer(),
            "issued_on": today.isoformat(),
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=kind.valid_days - 1)).isoformat(),
            "status": "valid",
            "verification_code": "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16)),
        }
        statement = kind.statement.format(
            name=meta["holder"]["name"], id_number=holder, date=f"{today.year}年{today.month}月{today.day}日"
        )
        pdf = self.authority.sign_pdf(
            render_certificate(meta, statement, body.get("purpose")), kind.issuer,
            reason="电子证明 / electronic certificate", verification_code=meta["verification_code"],
        )
        answer = {"uuid": uuid, "certificate": meta, "document": _document(pdf, "pdf")}
        return self.store.issue_certificate(uuid, body, body_sha256, terminal_id, answer)
