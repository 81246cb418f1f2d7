"""Is this PDF a certificate (电子证明) the kiosk may print? PAdES signature checks with pyHanko.

`verify_pdf` answers with a `Verified` (who signed, under which authorities, when, the verification code)
or raises `DocumentRefused` with one `Reason`, a plain message for the resident in Chinese and English
and a detail for the technician's log. What is checked, in order, and why is in docs/signed-documents.md;
in short: the file is a readable PDF of bounded size; it carries at least one signature of a kind we
check; every signature's digest matches the bytes it covers and its value verifies; nothing that changes
what a page shows was added after the last signature (pyHanko's difference analysis, and DocMDP); the
signer's chain reaches one of the configured trust anchors, was valid at the validation time (or, with a
trusted timestamp, at the time the timestamp proves) and is not revoked by what the document carries.

pyHanko and its certificate validator are the established PAdES validator (digest, signature, chain,
coverage, modification analysis); this module turns their status into the kiosk's few reasons. Nothing is
fetched from the network: a terminal may be offline, and a document must not make it call out.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import enum
import hashlib
import io
import logging
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import MultivaluedAttributeError, NonexistentAttributeError, find_unique_cms_attribute
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import DisallowedAlgorithmError, NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import DocumentTimestampStatus, PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

log = logging.getLogger("kiosk.documents")
# pyHanko warns, with a traceback, about every chain it cannot validate, naming the certificate's subject:
# on a personal certificate that is a person's name, and our refusal already says what failed. Its errors
# still reach the log.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# A certificate of a few pages with a seal image is well under 1 MiB; the cap keeps a hostile or broken
# download from making the terminal parse hundreds of megabytes (pyHanko's own decode limits bound what
# a stream may inflate to).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Each signature costs a chain validation and a difference analysis; a certificate carries one or two.
MAX_SIGNATURES = 8
# Where a document carries its verification code (docs/signed-documents.md): a key of the document
# information dictionary, read from the revision the last signature covers, so a later update cannot
# change it.
VERIFICATION_CODE_KEY = "/VerificationCode"
MAX_VERIFICATION_CODE = 64
# The signature kinds pyHanko checks. Others (e.g. a GB/T 38540 SM2 seal) are refused as unsupported, not
# skipped: a document whose only seal we cannot check is not an unsigned one.
SUPPORTED_SUBFILTERS = frozenset({"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161"})
# Department seal certificates carry either key usage; requiring non-repudiation alone (pyHanko's
# default) would refuse seals issued elsewhere for no security gain.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
# After the last signature only validation data may be added (DSS, document timestamps): an annotation or
# a filled field would change what is printed without being signed.
_LAST_SIGNATURE_ALLOWS = ModificationLevel.LTA_UPDATES
# Between two signatures, what the later signer saw and signed (filling fields, such as its own).
_EARLIER_SIGNATURE_ALLOWS = ModificationLevel.FORM_FILLING
# Shown in refusals and results: names from certificates, cut and made printable (a certificate's subject
# is the signer's text and may hold line breaks meant for a log).
_NAME_MAX = 200


class Reason(enum.StrEnum):
    UNSIGNED = "unsigned"
    TAMPERED = "tampered"
    MODIFIED_AFTER_SIGNING = "modified_after_signing"
    EXPIRED = "expired"
    UNTRUSTED = "untrusted"
    REVOKED = "revoked"
    UNSUPPORTED = "unsupported"
    MALFORMED = "malformed"


_ASK = ("请到窗口咨询。", "Please ask at the counter.")
# What the resident reads: what is wrong with the document, in plain words, and what to do.
MESSAGES: dict[Reason, tuple[str, str]] = {
    Reason.UNSIGNED: ("这份文件没有电子签章，不能打印。",
                      "This document has no electronic seal, so it cannot be printed."),
    Reason.TAMPERED: ("这份证明在盖章后被改动过，不能打印。",
                      "This certificate was altered after it was sealed, so it cannot be printed."),
    Reason.MODIFIED_AFTER_SIGNING: ("这份证明在盖章后又被编辑过，不能打印。",
                                    "This certificate was edited after it was sealed, so it cannot be printed."),
    Reason.EXPIRED: ("这份证明的签章证书已过期或尚未生效，不能打印。",
                     "The seal's certificate has expired or is not yet valid, so it cannot be printed."),
    Reason.UNTRUSTED: ("这份证明的签章不是本机认可的机构出具的，不能打印。",
                       "The seal is not from an authority this terminal recognises, so it cannot be printed."),
    Reason.REVOKED: ("这份证明的签章证书已被吊销，不能打印。",
                     "The seal's certificate has been revoked, so it cannot be printed."),
    Reason.UNSUPPORTED: ("这份证明的签章方式本机无法核验，不能打印。",
                         "This terminal cannot check this kind of seal, so it cannot be printed."),
    Reason.MALFORMED: ("这份文件已损坏，或不是可以打印的证明。",
                       "This file is damaged or is not a certificate that can be printed."),
}


class DocumentRefused(Exception):
    """A document the kiosk must not print: `reason`, a message for the resident (`zh`, `en`) and a
    `detail` for the technician (English, no personal data: names of certificates and what failed)."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail

    @property
    def code(self) -> str:
        """The stable code of the refusal, as other typed failures have one (kiosk.crash.error_code)."""
        return f"document.{self.reason.value}"

    @property
    def zh(self) -> str:
        return f"{MESSAGES[self.reason][0]}{_ASK[0]}"

    @property
    def en(self) -> str:
        return f"{MESSAGES[self.reason][1]} {_ASK[1]}"


@dataclasses.dataclass(frozen=True)
class Party:
    """A certificate's holder as a person reads it: CN and O, and the whole subject."""

    common_name: str
    organization: str
    subject: str
    sha256: str  # fingerprint of the certificate, hex, for the technician

    @classmethod
    def of(cls, cert: asn1_x509.Certificate) -> Party:
        names: dict[str, Any] = dict(cert.subject.native)
        return cls(
            common_name=_printable(_first(names.get("common_name"))),
            organization=_printable(_first(names.get("organization_name"))),
            subject=_printable(str(cert.subject.human_friendly)),
            sha256=hashlib.sha256(cert.dump()).hexdigest(),
        )

    @property
    def label(self) -> str:
        """How logs and refusal details name the holder: the organisation and the certificate's fingerprint,
        not the common name, which on a personal certificate is a person's name."""
        fingerprint = f"certificate {self.sha256[:16]}"
        return f"{self.organization} ({fingerprint})" if self.organization else fingerprint


class TimeSource(enum.StrEnum):
    TIMESTAMP = "timestamp"  # a timestamp token from a trusted authority: proven
    SIGNER = "signer"  # what the signer's software wrote: stated, not proven
    NONE = "none"


@dataclasses.dataclass(frozen=True)
class Verified:
    """A document that passed every check."""

    signer: Party
    issuers: tuple[Party, ...]  # the signer's issuer first, the trust anchor last (empty: the signer is an anchor)
    signing_time: dt.datetime | None
    time_source: TimeSource
    verification_code: str | None
    signatures: int
    # The revision the last signature covers, byte for byte: what the kiosk prints. Later updates may only
    # be validation data, but printing the signed bytes leaves nothing to argue about.
    document: bytes


def verify_pdf(
    data: bytes, trust_anchors: Sequence[x509.Certificate], *, now: dt.datetime | None = None,
) -> Verified:
    """Checks a signed PDF against `trust_anchors` at `now` (default: the current time, timezone-aware).

    Raises DocumentRefused, and logs the refusal for the technician, for every document that fails a check,
    including bytes that are not a PDF at all: nothing else is raised for any bytes. Calling it wrongly is
    loud instead: a naive `now` (ValueError), data that is not bytes (TypeError), a call from inside a
    running asyncio event loop (RuntimeError). It takes tens of milliseconds: call it off the GUI thread.
    """
    moment = dt.datetime.now(dt.UTC) if now is None else now
    if moment.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if _event_loop_running():
        # pyHanko's validation runs its own event loop (asyncio.run); inside a running one it would fail
        # for every document, and that failure must not read as a malformed document.
        raise RuntimeError("verify_pdf must run outside an asyncio event loop (in a worker thread)")
    try:
        verified = _verify(data, [_asn1(cert) for cert in trust_anchors], moment)
    except DocumentRefused as refused:
        log.warning("document refused: %s: %s", refused.reason.value, refused.detail)
        raise
    log.info("document verified: signed by %s, %d signature(s), chain to %s", verified.signer.label,
             verified.signatures, verified.issuers[-1].label if verified.issuers else "the signer itself")
    return verified


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _verify(data: bytes, anchors: list[asn1_x509.Certificate], now: dt.datetime) -> Verified:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(Reason.MALFORMED, f"{len(data)} bytes; a document may have at most {MAX_DOCUMENT_BYTES}")
    if b"%PDF-" not in data[:1024]:
        raise DocumentRefused(Reason.MALFORMED, "not a PDF: no %PDF- header in the first 1024 bytes")
    with _reading("the PDF structure"):
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        encrypted = bool(reader.encrypted)
    if encrypted:
        raise DocumentRefused(Reason.UNSUPPORTED, "the document is encrypted")
    signatures = _signatures(reader)
    context = _context(reader, signatures, anchors, now)
    # In revision order; document timestamps after the last signature are validation data.
    last = max(i for i, embedded in enumerate(signatures) if _is_signature(embedded))
    statuses = [_check(embedded, context, anchors, now, last=i >= last) for i, embedded in enumerate(signatures)]
    final = statuses[last]
    assert final is not None, "the last signature's status"  # _check returns None only for timestamps
    signed = sum(1 for embedded in signatures if _is_signature(embedded))
    return _result(data, signatures[last], final, signed)


@contextmanager
def _reading(what: str) -> Iterator[None]:
    """pyHanko meeting bytes it cannot read: a malformed document, never an untyped error.

    pyHanko raises its own errors for most broken files, but on hostile input also the Python errors of
    the line that stumbled (KeyError, AssertionError, TypeError...). Only pyHanko calls run inside this
    block, so those are the document's fault; the unusual ones keep their traceback in the log.
    """
    try:
        yield
    except DocumentRefused:
        raise
    except DisallowedAlgorithmError as exc:
        raise DocumentRefused(Reason.UNSUPPORTED, f"{what}: {_describe(exc)}") from None
    except (PdfError, ValueError, KeyError, IndexError, EOFError) as exc:
        raise DocumentRefused(Reason.MALFORMED, f"cannot read {what}: {_describe(exc)}") from None
    except Exception as exc:
        log.warning("pyHanko failed on %s with %s", what, type(exc).__name__, exc_info=True)
        raise DocumentRefused(Reason.MALFORMED, f"cannot read {what}: {_describe(exc)}") from None


def _describe(exc: BaseException) -> str:
    return _printable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _signatures(reader: PdfFileReader) -> list[EmbeddedPdfSignature]:
    with _reading("the signature fields"):
        filled = [(name, value.get_object()) for name, value, _ in enumerate_sig_fields(reader, filled_status=True)]
    if not filled:
        raise DocumentRefused(Reason.UNSIGNED, "no signed signature field")
    if len(filled) > MAX_SIGNATURES:
        raise DocumentRefused(Reason.MALFORMED, f"{len(filled)} signatures; at most {MAX_SIGNATURES} are checked")
    for name, value in filled:
        if not isinstance(value, generic.DictionaryObject):
            raise DocumentRefused(Reason.MALFORMED, f"signature field {_printable(str(name))!r}: not a dictionary")
        subfilter = str(value.get("/SubFilter", ""))
        if subfilter not in SUPPORTED_SUBFILTERS:
            raise DocumentRefused(Reason.UNSUPPORTED, f"signature field {_printable(str(name))!r}: SubFilter "
                                  f"{_printable(subfilter) or '(none)'} is not a PAdES or PKCS#7 signature")
    with _reading("the signatures"):
        embedded = list(reader.embedded_signatures)
        kinds = [str(e.sig_object_type) for e in embedded]
    for e, kind in zip(embedded, kinds, strict=True):
        if kind not in ("/Sig", "/DocTimeStamp"):
            raise DocumentRefused(Reason.MALFORMED, f"signature {_printable(str(e.field_name))!r}: its dictionary "
                                  f"is of type {_printable(kind)}, not /Sig or /DocTimeStamp")
    if not any(_is_signature(e) for e in embedded):
        raise DocumentRefused(Reason.UNSIGNED, "only document timestamps, no signature")
    return embedded


def _is_signature(embedded: EmbeddedPdfSignature) -> bool:
    return str(embedded.sig_object_type) == "/Sig"


def _context(
    reader: PdfFileReader, signatures: list[EmbeddedPdfSignature], anchors: list[asn1_x509.Certificate],
    moment: dt.datetime,
) -> ValidationContext:
    """Trust only the anchors; use what the document carries (its DSS, the revocation information archived
    in its signatures) to build chains and find revocations; fetch nothing."""
    crls: list[Any] = []
    ocsps: list[Any] = []
    with _reading("the validation data"):
        for embedded in signatures:
            try:
                archival = find_unique_cms_attribute(
                    embedded.signer_info["signed_attrs"], "adobe_revocation_info_archival")
            except (NonexistentAttributeError, MultivaluedAttributeError):
                continue
            crls.extend(archival["crl"] or ())
            ocsps.extend(archival["ocsp"] or ())
        # soft-fail: an offline terminal cannot ask for revocation status; what the document proves counts.
        settings: dict[str, Any] = {
            "trust_manager": SimpleTrustManager.build(trust_roots=anchors), "crls": crls, "ocsps": ocsps,
            "allow_fetching": False, "revocation_mode": "soft-fail", "moment": moment,
        }
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            return ValidationContext(**settings)
        context: ValidationContext = dss.as_validation_context(settings)
    return context


def _check(
    embedded: EmbeddedPdfSignature, context: ValidationContext, anchors: list[asn1_x509.Certificate],
    now: dt.datetime, *, last: bool,
) -> PdfSignatureStatus | None:
    """The signature's status when every check passes (None for a document timestamp); else refused."""
    where = f"signature {_printable(str(embedded.field_name))!r}"
    if not _is_signature(embedded):
        with _reading(where):
            stamp = validate_pdf_timestamp(embedded, validation_context=context)
        # A document timestamp adds nothing the kiosk relies on; it must only be intact.
        _check_integrity(where, stamp, last=last)
        return None
    with _reading(where):
        status = validate_pdf_signature(embedded, context, key_usage_settings=_KEY_USAGE)
    _check_integrity(where, status, last=last)
    return _check_trust(embedded, status, anchors, now, where)


def _check_integrity(where: str, status: PdfSignatureStatus | DocumentTimestampStatus, *, last: bool) -> None:
    if not status.intact:
        raise DocumentRefused(Reason.TAMPERED, f"{where}: the document's bytes do not match the signed digest")
    if not status.valid:
        raise DocumentRefused(Reason.TAMPERED, f"{where}: the signature value does not verify")
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        raise DocumentRefused(Reason.TAMPERED, f"{where}: the signed byte range does not cover its revision")
    _check_modifications(where, status, last=last)


def _check_trust(
    embedded: EmbeddedPdfSignature, status: PdfSignatureStatus, anchors: list[asn1_x509.Certificate],
    now: dt.datetime, where: str,
) -> PdfSignatureStatus:
    details = status.revocation_details
    if details is not None:
        raise DocumentRefused(Reason.REVOKED, f"{where}: certificate revoked on {details.revocation_date:%Y-%m-%d}")
    if status.trusted:
        return status
    problem = status.trust_problem_indic
    if problem in _TIME_PROBLEMS or _out_of_time(embedded, status, now):
        proven = _proven_time(status)
        if proven is not None:
            return _recheck_at(embedded, anchors, now, proven, where)
        cert = status.signing_cert
        raise DocumentRefused(
            Reason.EXPIRED, f"{where}: a certificate of the chain is not valid at {now:%Y-%m-%d %H:%M} UTC "
            f"(signer's valid {cert.not_valid_before:%Y-%m-%d} to {cert.not_valid_after:%Y-%m-%d}) and no trusted "
            "timestamp proves an earlier signing time")
    if problem in _REVOKED_PROBLEMS:
        raise DocumentRefused(Reason.REVOKED, f"{where}: {_indication(problem)}")
    if problem in _ALGORITHM_PROBLEMS:
        # A SHA-1 or MD5 signature: not a question of who sealed it but of a seal that proves nothing.
        raise DocumentRefused(Reason.UNSUPPORTED, f"{where}: {_indication(problem)} (an algorithm the policy "
                              f"refuses: digest {status.md_algorithm}, {status.pkcs7_signature_mechanism})")
    signer = Party.of(status.signing_cert)
    if not anchors:
        raise DocumentRefused(Reason.UNTRUSTED, f"{where}: no trust anchors are configured (signer {signer.label})")
    raise DocumentRefused(Reason.UNTRUSTED, f"{where}: signer {signer.label}: {_indication(problem)}")


def _indication(problem: AdESSubIndic | None) -> str:
    """pyHanko's AdES sub-indication as a word for the technician (NO_CERTIFICATE_CHAIN_FOUND...)."""
    return "no path to a trust anchor" if problem is None else str(getattr(problem, "name", problem)).lower()


def _out_of_time(embedded: EmbeddedPdfSignature, status: PdfSignatureStatus, now: dt.datetime) -> bool:
    """Whether the signer's certificate, or a CA certificate the signature carries, is outside its validity
    at `now`. pyHanko reports only an expired signer certificate as such; a certificate not yet valid, or an
    expired CA, comes as a general chain failure, which would otherwise read as "untrusted"."""
    if status.trust_problem_indic not in (AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE, None):
        return False
    with _reading("the signature's certificates"):
        certs = [status.signing_cert, *(c for c in embedded.other_embedded_certs if c.ca)]
        return any(not c.not_valid_before <= now <= c.not_valid_after for c in certs)


_TIME_PROBLEMS = frozenset({
    AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID,
})
_ALGORITHM_PROBLEMS = frozenset({
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE, AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
})
_REVOKED_PROBLEMS = frozenset({
    AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE,
})


def _check_modifications(where: str, status: PdfSignatureStatus | DocumentTimestampStatus, *, last: bool) -> None:
    allowed = _LAST_SIGNATURE_ALLOWS if last else _EARLIER_SIGNATURE_ALLOWS
    diff = status.diff_result
    if isinstance(diff, SuspiciousModification):
        raise DocumentRefused(Reason.MODIFIED_AFTER_SIGNING, f"{where}: changed after signing: {_describe(diff)}")
    level = status.modification_level
    if level is None or level > allowed:
        shown = level.name.lower() if level is not None else "unknown"
        raise DocumentRefused(Reason.MODIFIED_AFTER_SIGNING,
                              f"{where}: changed after signing ({shown}; at most {allowed.name.lower()} is accepted)")
    if status.docmdp_ok is False:
        raise DocumentRefused(Reason.MODIFIED_AFTER_SIGNING, f"{where}: changed beyond what its DocMDP permits")


def _proven_time(status: PdfSignatureStatus) -> dt.datetime | None:
    """The signing time a trusted, intact timestamp token proves, or None."""
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        proven: dt.datetime = stamp.timestamp
        return proven
    return None


def _recheck_at(
    embedded: EmbeddedPdfSignature, anchors: list[asn1_x509.Certificate], now: dt.datetime,
    proven: dt.datetime, where: str,
) -> PdfSignatureStatus:
    """The signer's chain checked at the time a trusted timestamp proves the signature existed; the
    timestamp's own chain stays checked at `now`."""
    signer_context = _context(embedded.reader, [embedded], anchors, proven)
    stamp_context = _context(embedded.reader, [embedded], anchors, now)
    with _reading(where):
        status = validate_pdf_signature(embedded, signer_context, stamp_context, key_usage_settings=_KEY_USAGE)
    if status.trusted and not status.revoked:
        return status
    problem = status.trust_problem_indic
    reason = Reason.REVOKED if status.revoked or problem in _REVOKED_PROBLEMS else (
        Reason.EXPIRED if problem in _TIME_PROBLEMS else Reason.UNTRUSTED)
    raise DocumentRefused(
        reason, f"{where}: at the timestamp's time {proven:%Y-%m-%d %H:%M} UTC: {_indication(problem)}")


def _result(data: bytes, embedded: EmbeddedPdfSignature, status: PdfSignatureStatus, count: int) -> Verified:
    path = status.validation_path
    issuers: tuple[Party, ...] = ()
    if path is not None:
        chain = list(path.iter_certs(include_root=True))
        # iter_certs runs from the anchor down to the signer; the result reads upwards from the signer.
        issuers = tuple(Party.of(cert) for cert in reversed(chain[:-1]))
    stamp = _proven_time(status)
    if stamp is not None:
        signing_time, source = stamp, TimeSource.TIMESTAMP
    elif status.signer_reported_dt is not None:
        signing_time, source = status.signer_reported_dt, TimeSource.SIGNER
    else:
        signing_time, source = None, TimeSource.NONE
    with _reading("the signed revision"):
        *_, second, length = (int(n) for n in embedded.byte_range)
        document = data[: second + length]
        # The code as signed: read from the signed revision on its own, so no later update can supply it.
        info = PdfFileReader(io.BytesIO(document), strict=True).trailer_view.get("/Info")
        info = info.get_object() if info is not None else None
        raw_code = info.get(VERIFICATION_CODE_KEY) if isinstance(info, generic.DictionaryObject) else None
    return Verified(
        signer=Party.of(status.signing_cert), issuers=issuers, signing_time=signing_time, time_source=source,
        verification_code=_verification_code(raw_code), signatures=count, document=document,
    )


def _verification_code(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, generic.TextStringObject | generic.ByteStringObject | str):
        raise DocumentRefused(Reason.MALFORMED, f"{VERIFICATION_CODE_KEY} is not a text string")
    code = str(raw)
    if not 1 <= len(code) <= MAX_VERIFICATION_CODE or _printable(code) != code or code.strip() != code:
        raise DocumentRefused(Reason.MALFORMED, f"{VERIFICATION_CODE_KEY} must be 1 to {MAX_VERIFICATION_CODE} "
                              "printable characters without surrounding spaces")
    return code


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return "" if value is None else str(value)


# Control, format (bidi overrides), surrogate, private-use and separator characters, as kiosk.config.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def _printable(text: str) -> str:
    cleaned = "".join("?" if unicodedata.category(ch) in _UNPRINTABLE else ch for ch in text)
    return cleaned if len(cleaned) <= _NAME_MAX else cleaned[: _NAME_MAX - 1] + "…"
