"""verify_pdf: a certificate (电子证明) the kiosk may print, and every way one is refused, with the reason.

The documents are made by tests/fixtures/signed_documents.py: a test PKI (root → seal CA → department seal
certificates, RSA and ECDSA; a TSA; another root nobody trusts), a reportlab page with text and a seal
image, signed with pyHanko.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from kiosk.documents.verify import (
    MAX_DOCUMENT_BYTES,
    MESSAGES,
    DocumentRefused,
    Reason,
    TimeSource,
    Verified,
    verify_pdf,
)
from tests.fixtures import signed_documents as sd

pytestmark = pytest.mark.usefixtures("refusals")


def anchors() -> list[object]:
    return [sd.pki().root.cert]


def verify(data: bytes, *, now: dt.datetime | None = None, trust: list[object] | None = None) -> Verified:
    return verify_pdf(data, anchors() if trust is None else trust, now=now)  # type: ignore[arg-type]


def refusal(data: bytes, **options: object) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        verify(data, **options)  # type: ignore[arg-type]
    return caught.value


@pytest.fixture(scope="module")
def good() -> bytes:
    return sd.signed()


# --- valid ----------------------------------------------------------------------------------------------


def test_a_valid_certificate_names_signer_chain_time_and_code(good: bytes) -> None:
    verified = verify(good)
    assert verified.signer.common_name == "测试市人力资源和社会保障局电子印章"
    assert verified.signer.organization == "测试市人力资源和社会保障局"
    assert [p.common_name for p in verified.issuers] == ["测试省电子印章 CA", "测试省电子政务根 CA"]
    assert verified.time_source is TimeSource.SIGNER
    assert verified.signing_time is not None
    assert abs(verified.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=30)
    assert verified.verification_code == sd.CODE
    assert verified.signatures == 1
    assert verified.document == good


def test_an_ecdsa_seal_is_valid() -> None:
    verified = verify(sd.signed(sd.pki().ecdsa_seal))
    assert verified.signer.common_name == "测试市公安局电子印章"
    assert [p.common_name for p in verified.issuers] == ["测试省电子印章 CA", "测试省电子政务根 CA"]


def test_the_seal_ca_alone_is_enough_as_anchor(good: bytes) -> None:
    verified = verify(good, trust=[sd.pki().seal_ca.cert])
    assert [p.common_name for p in verified.issuers] == ["测试省电子印章 CA"]


def test_a_document_without_a_code_is_valid_without_one() -> None:
    assert verify(sd.signed(code=None)).verification_code is None


def test_validation_data_appended_after_signing_is_allowed_and_not_printed(good: bytes) -> None:
    with_dss = sd.append_dss(good)
    assert len(with_dss) > len(good)
    verified = verify(with_dss)
    assert verified.document == good


def test_a_code_changed_after_signing_is_not_the_code_returned(good: bytes) -> None:
    # pyHanko lets the document information change after signing; the code comes from the signed revision.
    verified = verify(sd.append_info_change(good, "FORGED-0000"))
    assert verified.verification_code == sd.CODE
    assert verified.document == good


def test_two_signatures_both_checked_the_last_is_reported(good: bytes) -> None:
    both = sd.sign(good, sd.pki().ecdsa_seal, field="Seal2")
    verified = verify(both)
    assert verified.signatures == 2
    assert verified.signer.common_name == "测试市公安局电子印章"
    tampered_first = sd.sign(sd.flip_signed_byte(good), sd.pki().ecdsa_seal, field="Seal2")
    assert refusal(tampered_first).reason is Reason.TAMPERED


def test_a_trusted_timestamp_proves_the_signing_time_after_the_seal_expired() -> None:
    stamped = sd.signed(timestamp=True)
    after_expiry = sd.pki().rsa_seal.cert.not_valid_after_utc + 30 * sd.DAY
    verified = verify(stamped, now=after_expiry)
    assert verified.time_source is TimeSource.TIMESTAMP
    assert verified.signing_time is not None
    assert verified.signing_time < sd.pki().rsa_seal.cert.not_valid_after_utc
    # Without the timestamp the same moment is too late.
    assert refusal(sd.signed(), now=after_expiry).reason is Reason.EXPIRED


# --- refused --------------------------------------------------------------------------------------------


def test_a_changed_byte_in_the_signed_range_is_tampered(good: bytes) -> None:
    refused = refusal(sd.flip_signed_byte(good))
    assert refused.reason is Reason.TAMPERED
    assert "digest" in refused.detail


def test_an_edit_of_the_page_appended_after_signing_is_modified_after_signing(good: bytes) -> None:
    assert refusal(sd.append_page_edit(good)).reason is Reason.MODIFIED_AFTER_SIGNING


def test_an_annotation_laid_over_the_page_after_signing_is_modified_after_signing(good: bytes) -> None:
    assert refusal(sd.append_annotation(good)).reason is Reason.MODIFIED_AFTER_SIGNING


def test_a_form_field_filled_after_signing_is_refused_though_pyhanko_accepts_it() -> None:
    signed = sd.sign(sd.make_pdf_with_field(), sd.pki().rsa_seal)
    filled = sd.fill_field(signed)
    # pyHanko's own judgement: form filling is allowed without DocMDP; the page now shows new text.
    embedded = PdfFileReader(io.BytesIO(filled)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[sd._asn1_cert(sd.pki().root.cert)]))
    assert status.bottom_line
    refused = refusal(filled)
    assert refused.reason is Reason.MODIFIED_AFTER_SIGNING
    assert "form_filling" in refused.detail


def test_a_seal_certificate_expired_when_used_is_expired() -> None:
    refused = refusal(sd.signed(sd.pki().expired_seal))
    assert refused.reason is Reason.EXPIRED


def test_a_seal_certificate_not_yet_valid_is_expired(good: bytes) -> None:
    before = sd.pki().rsa_seal.cert.not_valid_before_utc - sd.DAY
    refused = refusal(good, now=before)
    assert refused.reason is Reason.EXPIRED
    assert "not valid at" in refused.detail


def test_a_seal_from_an_authority_not_configured_is_untrusted() -> None:
    refused = refusal(sd.signed(sd.pki().other_seal))
    assert refused.reason is Reason.UNTRUSTED
    # Same names as the trusted chain: it is the key that counts, not the name.
    assert sd.pki().other_root.cert.subject.rfc4514_string() != sd.pki().root.cert.subject.rfc4514_string()


def test_no_anchors_trusts_nothing_not_the_system_store(good: bytes) -> None:
    refused = refusal(good, trust=[])
    assert refused.reason is Reason.UNTRUSTED
    assert "no trust anchors" in refused.detail


def test_a_revocation_the_document_carries_is_revoked(good: bytes) -> None:
    refused = refusal(sd.append_dss(good, revoke=sd.pki().rsa_seal))
    assert refused.reason is Reason.REVOKED


def test_an_unsigned_pdf_is_unsigned() -> None:
    assert refusal(sd.make_pdf()).reason is Reason.UNSIGNED


def test_an_empty_signature_field_is_unsigned() -> None:
    assert refusal(sd.with_empty_signature_field(sd.make_pdf())).reason is Reason.UNSIGNED


@pytest.mark.parametrize("data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + bytes(100), b"%!PS-Adobe-3.0\n"])
def test_not_a_pdf_is_malformed(data: bytes) -> None:
    assert refusal(data).reason is Reason.MALFORMED


def test_a_file_over_the_cap_is_malformed_before_it_is_parsed() -> None:
    refused = refusal(b"%PDF-1.7\n" + bytes(MAX_DOCUMENT_BYTES))
    assert refused.reason is Reason.MALFORMED
    assert str(MAX_DOCUMENT_BYTES) in refused.detail


def test_an_unknown_signature_kind_is_unsupported(good: bytes) -> None:
    # As a GB/T 38540 SM2 seal would be: a signature, but not one pyHanko checks.
    sm2 = good.replace(b"/ETSI.CAdES.detached", b"/GB.T.38540.sm2.seal")  # same length: offsets stay right
    assert sm2 != good
    refused = refusal(sm2)
    assert refused.reason is Reason.UNSUPPORTED
    assert "GB.T.38540" in refused.detail


@pytest.mark.parametrize("digest", ["sha1", "md5"])
def test_a_seal_made_with_a_broken_digest_is_unsupported(digest: str) -> None:
    refused = refusal(sd.signed(digest=digest))
    assert refused.reason is Reason.UNSUPPORTED
    assert digest in refused.detail


def test_a_legacy_pkcs7_signature_is_checked_like_a_pades_one() -> None:
    legacy = sd.signed(subfilter=sd.fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED)
    assert b"/adbe.pkcs7.detached" in legacy
    assert verify(legacy).signer.common_name == "测试市人力资源和社会保障局电子印章"


def test_every_reason_has_a_message_in_both_languages() -> None:
    assert set(MESSAGES) == set(Reason)
    for reason in Reason:
        refused = DocumentRefused(reason, "detail")
        assert re.search(r"[\u4e00-\u9fff]", refused.zh)
        assert refused.en.isascii()
        assert "counter" in refused.en


def test_a_refusal_is_logged_for_the_technician(good: bytes, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.documents"):
        refusal(sd.flip_signed_byte(good))
    assert any(r.levelno == logging.WARNING and "refused: tampered" in r.getMessage() for r in caplog.records)


def test_logs_name_the_signer_by_organisation_and_fingerprint_not_common_name(
    good: bytes, caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.documents"):
        verified = verify(good)
        refusal(sd.signed(sd.pki().other_seal))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert verified.signer.sha256[:16] in text
    assert "测试市人力资源和社会保障局" in text
    assert "电子印章" not in text  # the common name (a person's name on a personal certificate)


def test_now_must_carry_a_timezone(good: bytes) -> None:
    with pytest.raises(ValueError, match="timezone"):
        verify(good, now=dt.datetime(2026, 1, 1))


def test_inside_a_running_event_loop_it_says_so_instead_of_refusing_every_document(good: bytes) -> None:
    import asyncio

    async def inside() -> None:
        verify(good)

    with pytest.raises(RuntimeError, match="outside an asyncio event loop"):
        asyncio.run(inside())
