"""The reference platform's electronic licences and certificates, on the wire, against docs/platform-api.md
("Electronic licences and certificates"): each endpoint, each error, the order of the checks, the signed PDFs
and the test authority."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reference_platform import samples
from reference_platform.runner import RunningPlatform, default_ca_dir
from reference_platform.validation import make_licence_id
from tests.conftest import ExpectedLogs
from tests.integration import conftest_platform
from tests.integration.conftest_platform import ADMIN_TOKEN, TERMINAL, TOKEN, Admin

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin

REPO = Path(__file__).resolve().parents[2]
DEMO = {"id_number": samples.DEMO_RESIDENT, "name": "测试样例"}
HUKOU_ID = make_licence_id(samples.HUKOU, samples.XIHU_POLICE.code, "2019000123")
DEGREE_ID = make_licence_id(samples.DEGREE, samples.UNIVERSITY.code, "2012001234")
REAL_ESTATE_ID = make_licence_id(samples.REAL_ESTATE, samples.HZ_LAND.code, "2021045678")
CHEN_HUKOU_ID = make_licence_id(samples.HUKOU, samples.SHANGCHENG_POLICE.code, "2010000456")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def consent(scope: Any = "all", *, given_at: dt.datetime | None = None, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "scope": scope,
        "given_at": (given_at or now()).isoformat(),
        "given_by": "resident",
        "terminal_id": TERMINAL,
    }
    body.update(changes)
    return body


def use_body(given: dict[str, Any], licence_id: str = HUKOU_ID, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "licence_id": licence_id,
        "service_code": "330000-GA-QR-0005",
        "declaration": {"idempotency_key": str(uuid.uuid4()), "local_receipt_no": f"{TERMINAL}-000042"},
        "consent_id": given["id"],
        "used_at": now().isoformat(),
        "terminal_id": TERMINAL,
    }
    body.update(changes)
    return body


def issue_body(given: dict[str, Any], type_code: str = samples.NO_CRIMINAL_RECORD, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "type_code": type_code,
        "holder": DEMO,
        "consent": given,
        "purpose": "办理入职",
        "requested_at": now().isoformat(),
        "terminal_id": TERMINAL,
    }
    body.update(changes)
    return body


class Api:
    def __init__(self, platform: RunningPlatform) -> None:
        self.url = platform.url + "/api/v1"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {TOKEN}", "X-Terminal-Id": TERMINAL})

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url + path, json=body, timeout=30, **kwargs)

    def query(self, given: dict[str, Any], holder: dict[str, Any] = DEMO, **extra: Any) -> requests.Response:
        return self.post("/licences/query", {"holder": holder, "consent": given, **extra})

    def fetch(self, given: dict[str, Any], licence_id: str = HUKOU_ID, holder: dict[str, Any] = DEMO,
              **extra: Any) -> requests.Response:
        return self.post("/licences/fetch",
                         {"licence_id": licence_id, "holder": holder, "consent": given, "format": "pdf", **extra})

    def available(self, given: dict[str, Any], holder: dict[str, Any] = DEMO) -> requests.Response:
        return self.post("/certificates/available", {"holder": holder, "consent": given})


@pytest.fixture
def api(reference_platform: RunningPlatform) -> Iterator[Api]:
    client = Api(reference_platform)
    yield client
    client.session.close()


def refused(response: requests.Response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    if field is not None:
        assert error["field"] == field


def trust_anchor(platform: RunningPlatform) -> asn1_x509.Certificate:
    _, _, der = pem.unarmor(platform.server.authority.root_pem())
    return asn1_x509.Certificate.load(der)


def verified(pdf: bytes, platform: RunningPlatform) -> tuple[PdfFileReader, Any]:
    """The PDF's reader and its one signature's status, validated against the platform's root only."""
    reader = PdfFileReader(io.BytesIO(pdf))
    [signature] = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_anchor(platform)]))
    return reader, status


def content(document: dict[str, Any]) -> bytes:
    data = base64.b64decode(document["content_base64"], validate=True)
    assert len(data) == document["size"]
    assert hashlib.sha256(data).hexdigest() == document["sha256"]
    return data


# -- query -----------------------------------------------------------------------------------------------------


def test_a_query_lists_the_holders_licences_in_order_with_their_metadata(
    api: Api, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    given = consent()
    response = api.query(given)
    assert response.status_code == 200
    licences = response.json()["licences"]
    assert [(lic["name"], lic["status"]) for lic in licences] == [
        ("居民户口簿", "valid"), ("结婚证", "valid"), ("不动产权证书", "valid"), ("不动产权证书", "revoked"),
        ("营业执照", "valid"), ("学位证书", "valid"),
    ]
    hukou = licences[0]
    assert hukou == {
        "licence_id": HUKOU_ID, "name": "居民户口簿", "number": "330106000123", "type_code": samples.HUKOU,
        "holder": DEMO, "issuer": {"name": "杭州市公安局西湖分局", "code": samples.XIHU_POLICE.code},
        "issued_on": "2019-05-20", "valid_from": "2019-05-20", "valid_until": None, "status": "valid",
        "document": {"media_type": "application/pdf", "original_format": "pdf"},
    }
    assert licences[2]["document"] == {"media_type": "application/pdf", "original_format": "ofd"}
    assert licences[5]["document"] is None  # kept as OFD, no PDF rendition
    # The consent is stored with its holder once the query succeeded.
    stored = platform_admin.consent(given['id'].upper())
    assert stored == {"body": given, "holder_id_number": samples.DEMO_RESIDENT}


def test_scopes_and_type_filters_narrow_the_list(api: Api) -> None:
    def types(response: requests.Response) -> list[str]:
        assert response.status_code == 200, response.text
        return [lic["type_code"] for lic in response.json()["licences"]]

    assert types(api.query(consent([samples.MARRIAGE, samples.DEGREE]))) == [samples.MARRIAGE, samples.DEGREE]
    assert len(types(api.query(consent("list")))) == 6
    assert types(api.query(consent("all"), type_codes=[samples.REAL_ESTATE])) == [samples.REAL_ESTATE] * 2
    assert types(api.query(consent([samples.HUKOU]), type_codes=[samples.MARRIAGE])) == []


def test_an_unknown_holder_has_no_licences_and_no_certificates(api: Api) -> None:
    stranger = {"id_number": "933124198001010029", "name": "EXAMPLEFAMILY"}
    assert api.query(consent(), holder=stranger).json()["licences"] == []
    assert api.available(consent(), holder=stranger).json()["certificates"] == []
    old_card = {"id_number": "CAN330019800101"}  # a 2017 foreigner's card: 3 letters and 12 digits
    assert api.query(consent(), holder=old_card).json()["licences"] == []


def test_the_holders_name_is_optional_and_checked_when_given(api: Api) -> None:
    assert api.query(consent(), holder={"id_number": samples.DEMO_RESIDENT}).status_code == 200
    refused(api.query(consent(), holder={**DEMO, "name": "测试样列"}), 422, "holder_mismatch")
    refused(api.available(consent(), holder={**DEMO, "name": "别人"}), 422, "holder_mismatch")


@pytest.mark.parametrize(
    ("holder", "given", "extra", "field"),
    [
        ({"id_number": "330106199003070015"}, consent(), {}, "holder.id_number"),  # wrong check digit
        ({"id_number": "33010619781111002x"}, consent(), {}, "holder.id_number"),  # lower-case x
        ({"id_number": samples.DEMO_RESIDENT, "name": ""}, consent(), {}, "holder.name"),
        ({"id_number": samples.DEMO_RESIDENT, "name": "名" * 101}, consent(), {}, "holder.name"),
        (DEMO, None, {}, "consent"),
        (DEMO, consent(id="not-a-uuid"), {}, "consent.id"),
        (DEMO, consent("everything"), {}, "consent.scope"),
        (DEMO, consent([]), {}, "consent.scope"),
        (DEMO, consent([samples.HUKOU, samples.HUKOU]), {}, "consent.scope"),
        (DEMO, consent(["11100000MB0143028I001"]), {}, "consent.scope[0]"),  # I is not in the alphabet
        (DEMO, {**consent(), "given_at": "2026-11-27 10:00:00+08:00"}, {}, "consent.given_at"),
        (DEMO, consent(given_by="kiosk"), {}, "consent.given_by"),
        (DEMO, consent(terminal_id="T 1"), {}, "consent.terminal_id"),
        (DEMO, consent(service_code=""), {}, "consent.service_code"),
        (DEMO, consent(), {"type_codes": [samples.HUKOU] * 2}, "type_codes"),
        (DEMO, consent(), {"type_codes": []}, "type_codes"),
    ],
)
def test_malformed_queries_name_the_field(
    api: Api, holder: dict[str, Any], given: dict[str, Any] | None, extra: dict[str, Any], field: str
) -> None:
    body = {"holder": holder, **({} if given is None else {"consent": given}), **extra}
    response = api.post("/licences/query", body)
    refused(response, 422, "validation_failed", field)
    assert samples.DEMO_RESIDENT not in response.text  # messages never echo values


def test_a_consent_given_at_another_terminal_is_a_terminal_mismatch(api: Api) -> None:
    refused(api.query(consent(terminal_id="T0002")), 422, "terminal_mismatch")


@pytest.mark.parametrize(
    ("offset", "fine"),
    [(dt.timedelta(minutes=-29), True), (dt.timedelta(minutes=-31), False), (dt.timedelta(minutes=4), True),
     (dt.timedelta(minutes=6), False)],
)
def test_a_consent_lasts_30_minutes_and_may_be_5_minutes_ahead(api: Api, offset: dt.timedelta, fine: bool) -> None:
    given = consent(given_at=now() + offset)
    for response in (api.query(given), api.fetch(given), api.available(given),
                     api.post("/certificates/issue", issue_body(given))):
        if fine:
            assert response.status_code in (200, 201), response.text
        else:
            refused(response, 422, "consent_expired")


def test_a_consent_id_cannot_be_reused_for_another_consent_or_holder(api: Api) -> None:
    given = consent([samples.HUKOU])
    assert api.query(given).status_code == 200
    assert api.query(given).status_code == 200  # the same consent again is fine
    assert api.query({**given, "id": given["id"].upper()}).status_code == 200  # UUIDs compare in any case
    refused(api.query({**given, "scope": "all"}), 422, "consent_mismatch")
    refused(api.fetch({**given, "scope": "all"}), 422, "consent_mismatch")
    refused(api.query(given, holder={"id_number": samples.CITIZEN_CARD}), 422, "consent_mismatch")
    refused(api.available({**given, "service_code": "X"}), 422, "consent_mismatch")


def test_a_refused_request_stores_no_consent(api: Api, platform_admin: Admin) -> None:
    given = consent()
    refused(api.query(given, holder={**DEMO, "name": "别人"}), 422, "holder_mismatch")
    # Not stored: the same id may now come for another holder.
    assert api.query(given, holder={"id_number": samples.CITIZEN_CARD}).status_code == 200
    assert platform_admin.stats()["consents"] == 1


# -- fetch -----------------------------------------------------------------------------------------------------


def test_a_fetch_answers_with_the_metadata_and_a_pdf_signed_by_the_issuing_department(
    api: Api, reference_platform: RunningPlatform
) -> None:
    response = api.fetch(consent([samples.HUKOU]))
    assert response.status_code == 200
    answer = response.json()
    assert answer["licence"]["licence_id"] == HUKOU_ID
    assert answer["document"]["media_type"] == "application/pdf"
    pdf = content(answer["document"])
    assert pdf.startswith(b"%PDF-")
    _, status = verified(pdf, reference_platform)
    assert status.bottom_line, status.summary()
    assert status.signing_cert.subject.native["common_name"] == "杭州市公安局西湖分局"
    # Made once and kept: a second fetch gets the same bytes.
    assert content(api.fetch(consent()).json()["document"]) == pdf


def test_a_licence_kept_as_ofd_comes_as_its_pdf_rendition_or_not_at_all(api: Api) -> None:
    rendition = api.fetch(consent(), REAL_ESTATE_ID).json()
    assert rendition["document"]["original_format"] == "ofd"
    assert content(rendition["document"]).startswith(b"%PDF-")
    refused(api.fetch(consent(), DEGREE_ID), 422, "rendition_unavailable")


def test_a_fetch_needs_a_scope_that_covers_the_type(api: Api) -> None:
    refused(api.fetch(consent("list")), 422, "consent_out_of_scope")
    refused(api.fetch(consent([samples.MARRIAGE])), 422, "consent_out_of_scope")


def test_another_holders_licence_is_answered_like_none(api: Api) -> None:
    refused(api.fetch(consent(), CHEN_HUKOU_ID), 404, "licence_not_found")
    unknown = make_licence_id(samples.HUKOU, samples.XIHU_POLICE.code, "1999999999")
    refused(api.fetch(consent(), unknown), 404, "licence_not_found")
    # The scope comes first: outside it, a licence's existence is not even looked up.
    refused(api.fetch(consent([samples.MARRIAGE]), unknown), 422, "consent_out_of_scope")


@pytest.mark.parametrize(
    ("licence_id", "extra", "field"),
    [
        (HUKOU_ID[:-1] + ("0" if HUKOU_ID[-1] != "0" else "1"), {}, "licence_id"),  # a wrong check character
        (HUKOU_ID.replace("1.2.156.3005.2.", "1.2.156.3005.3.", 1), {}, "licence_id"),
        (HUKOU_ID.lower(), {}, "licence_id"),
        (HUKOU_ID, {"format": "ofd"}, "format"),
        (HUKOU_ID, {"format": None}, "format"),
    ],
)
def test_malformed_fetches_name_the_field(api: Api, licence_id: str, extra: dict[str, Any], field: str) -> None:
    refused(api.fetch(consent(), licence_id, **extra), 422, "validation_failed", field)


# -- uses ------------------------------------------------------------------------------------------------------


def test_a_use_is_recorded_once_and_replayed(api: Api, platform_admin: Admin) -> None:
    given = consent()
    assert api.fetch(given).status_code == 200
    body = use_body(given)
    first = api.post("/licences/uses", body)
    assert first.status_code == 201
    assert set(first.json()) == {"uuid", "recorded_at"}
    again = api.post("/licences/uses", body)
    assert (again.status_code, again.json()) == (200, first.json())
    refused(api.post("/licences/uses", {**body, "service_code": "other"}), 422, "idempotency_conflict")
    assert platform_admin.licence_use(body['uuid'])["body"] == body
    assert platform_admin.stats()["licence_uses"] == 1


def test_a_use_needs_a_stored_consent_covering_the_holders_licence(api: Api) -> None:
    refused(api.post("/licences/uses", use_body(consent())), 422, "consent_unknown")
    listed = consent("list")
    assert api.query(listed).status_code == 200
    refused(api.post("/licences/uses", use_body(listed)), 422, "consent_out_of_scope")
    given = consent()
    assert api.query(given).status_code == 200
    refused(api.post("/licences/uses", use_body(given, CHEN_HUKOU_ID)), 404, "licence_not_found")
    assert api.post("/licences/uses", use_body(given, DEGREE_ID)).status_code == 201  # no PDF needed to cite it


def test_uses_arrive_long_after_their_consent(api: Api, reference_platform: RunningPlatform) -> None:
    given = consent()
    assert api.fetch(given).status_code == 200
    desk = reference_platform.server.licences
    desk.clock = lambda: now() + dt.timedelta(days=3)  # the terminal was offline for three days
    assert api.post("/licences/uses", use_body(given)).status_code == 201
    refused(api.fetch(given), 422, "consent_expired")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uuid": "x"}, "uuid"),
        ({"licence_id": "1.2.156"}, "licence_id"),
        ({"service_code": ""}, "service_code"),
        ({"declaration": {"local_receipt_no": "T0001-000042"}}, "declaration.idempotency_key"),
        ({"declaration": {"idempotency_key": str(uuid.uuid4()), "local_receipt_no": "T0001-"}},
         "declaration.local_receipt_no"),
        ({"declaration": {"idempotency_key": str(uuid.uuid4()), "local_receipt_no": "T0002-000001"}},
         "declaration.local_receipt_no"),
        ({"consent_id": None}, "consent_id"),
        ({"used_at": "yesterday"}, "used_at"),
    ],
)
def test_malformed_uses_name_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    refused(api.post("/licences/uses", use_body(consent(), **change)), 422, "validation_failed", field)


def test_a_use_from_another_terminal_id_is_a_terminal_mismatch(api: Api) -> None:
    refused(api.post("/licences/uses", use_body(consent(), terminal_id="T0002")), 422, "terminal_mismatch")


# -- certificates ----------------------------------------------------------------------------------------------


def test_available_lists_the_offers_the_scope_covers(api: Api) -> None:
    offers = api.available(consent("list")).json()["certificates"]
    assert [o["name"] for o in offers] == ["无犯罪记录证明", "婚姻登记记录证明", "参保证明"]
    assert offers[0] == {"type_code": samples.NO_CRIMINAL_RECORD, "name": "无犯罪记录证明",
                         "issuer": {"name": "杭州市公安局西湖分局", "code": samples.XIHU_POLICE.code},
                         "valid_days": 90, "note": "用于就业、出国等"}
    narrowed = api.available(consent([samples.INSURED])).json()["certificates"]
    assert [o["type_code"] for o in narrowed] == [samples.INSURED]


def test_an_issued_certificate_is_a_signed_pdf_with_its_verification_code(
    api: Api, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    given = consent([samples.NO_CRIMINAL_RECORD])
    body = issue_body(given)
    response = api.post("/certificates/issue", body)
    assert response.status_code == 201, response.text
    answer = response.json()
    certificate = answer["certificate"]
    assert answer["uuid"] == body["uuid"]
    assert certificate["name"] == "无犯罪记录证明"
    assert certificate["holder"] == DEMO
    assert certificate["certificate_id"].startswith(f"1.2.156.3005.2.{samples.NO_CRIMINAL_RECORD}.")
    issued = dt.date.fromisoformat(certificate["issued_on"])
    assert certificate["valid_from"] == certificate["issued_on"]
    assert dt.date.fromisoformat(certificate["valid_until"]) == issued + dt.timedelta(days=89)
    assert len(certificate["verification_code"]) == 16
    reader, status = verified(content(answer["document"]), reference_platform)
    assert status.bottom_line, status.summary()
    assert str(reader.trailer["/Info"]["/VerificationCode"]) == certificate["verification_code"]
    # The same request again (a lost answer): the same certificate, byte for byte.
    again = api.post("/certificates/issue", body)
    assert (again.status_code, again.json()) == (200, answer)
    refused(api.post("/certificates/issue", {**body, "purpose": "出国"}), 422, "idempotency_conflict")
    other = api.post("/certificates/issue", issue_body(given)).json()["certificate"]
    assert (other["certificate_id"], other["verification_code"]) != (
        certificate["certificate_id"], certificate["verification_code"])
    assert platform_admin.certificate(body['uuid'])["answer"] == answer


def test_a_certificate_not_offered_or_outside_the_scope_is_refused(api: Api) -> None:
    refused(api.post("/certificates/issue", issue_body(consent("list"))), 422, "consent_out_of_scope")
    refused(api.post("/certificates/issue", issue_body(consent([samples.INSURED]))), 422, "consent_out_of_scope")
    not_offered = issue_body(consent(), holder={"id_number": samples.X_CHECK})
    refused(api.post("/certificates/issue", not_offered), 422, "certificate_unavailable")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uuid": None}, "uuid"),
        ({"type_code": "11100000MB0143028R10"}, "type_code"),
        ({"holder": {"name": "测试样例"}}, "holder.id_number"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "用" * 201}, "purpose"),
        ({"requested_at": "2026-11-27T10:00:00"}, "requested_at"),
    ],
)
def test_malformed_issues_name_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    refused(api.post("/certificates/issue", issue_body(consent(), **change)), 422, "validation_failed", field)


# -- the order of checks ---------------------------------------------------------------------------------------


def test_the_business_checks_come_in_the_documented_order(api: Api) -> None:
    stored = consent([samples.HUKOU])
    assert api.query(stored).status_code == 200
    stale = {**stored, "scope": "all", "given_at": (now() - dt.timedelta(hours=1)).isoformat()}
    # a (mismatch) before b (expired) before d (holder) before e (scope) before f (existence)
    refused(api.fetch(stale, CHEN_HUKOU_ID, holder={**DEMO, "name": "别人"}), 422, "consent_mismatch")
    old = consent([samples.MARRIAGE], given_at=now() - dt.timedelta(hours=1))
    refused(api.fetch(old, CHEN_HUKOU_ID, holder={**DEMO, "name": "别人"}), 422, "consent_expired")
    refused(api.fetch(consent([samples.MARRIAGE]), CHEN_HUKOU_ID, holder={**DEMO, "name": "别人"}),
            422, "holder_mismatch")
    refused(api.fetch(consent([samples.MARRIAGE]), CHEN_HUKOU_ID), 422, "consent_out_of_scope")
    refused(api.fetch(consent(), CHEN_HUKOU_ID), 404, "licence_not_found")
    # Field validation and the terminals before any business check.
    refused(api.fetch(stale, CHEN_HUKOU_ID, format="ofd"), 422, "validation_failed", "format")
    refused(api.fetch({**stale, "terminal_id": "T0002"}), 422, "terminal_mismatch")


def test_replays_come_before_validation_and_business_checks(api: Api, reference_platform: RunningPlatform) -> None:
    given = consent()
    body = issue_body(given)
    first = api.post("/certificates/issue", body).json()
    reference_platform.server.licences.clock = lambda: now() + dt.timedelta(days=1)  # the consent has expired
    again = api.post("/certificates/issue", body)
    assert (again.status_code, again.json()) == (200, first)


def test_content_type_and_credentials_come_first(api: Api, reference_platform: RunningPlatform) -> None:
    for path in ("/licences/query", "/licences/fetch", "/licences/uses", "/certificates/available",
                 "/certificates/issue"):
        wrong_type = api.session.post(api.url + path, data=b"{}", headers={"Content-Type": "text/plain"}, timeout=10)
        refused(wrong_type, 415, "unsupported_media_type")
        not_json = api.session.post(api.url + path, data=b"{", headers={"Content-Type": "application/json"},
                                    timeout=10)
        refused(not_json, 400, "bad_request")
        anonymous = requests.post(api.url + path, json={}, timeout=10)
        refused(anonymous, 401, "unauthorized")
        refused(api.session.get(api.url + path, timeout=10), 405, "method_not_allowed")


def test_the_holders_id_number_reaches_no_log(
    api: Api, reference_platform: RunningPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        given = consent()
        api.query(given)
        api.fetch(given)
        api.post("/certificates/issue", issue_body(given))
        api.query(consent(), holder={**DEMO, "name": "别人"})
    assert caplog.records
    assert samples.DEMO_RESIDENT not in caplog.text


# -- the test authority ----------------------------------------------------------------------------------------


def test_the_trust_anchor_is_kept_beside_the_database_and_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "platform.db"
    with RunningPlatform(db, admin_token=ADMIN_TOKEN) as platform:
        admin = Admin(platform.url)
        anchor = admin.trust_anchor()
        admin.close()
        first_root = platform.server.authority.root_pem()
    assert anchor["pem"].encode() == first_root == (default_ca_dir(db) / "root.pem").read_bytes()
    assert anchor["sha256"] == hashlib.sha256(pem.unarmor(first_root)[2]).hexdigest()
    assert (default_ca_dir(db) / "root.key").stat().st_mode & 0o777 == 0o600
    with RunningPlatform(db) as platform:
        assert platform.server.authority.root_pem() == first_root


def test_the_command_line_exports_the_trust_anchor(tmp_path: Path) -> None:
    out = tmp_path / "anchor.pem"
    result = subprocess.run(
        [sys.executable, "-m", "reference_platform", "--db", str(tmp_path / "p.db"), "--export-trust-anchor",
         str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (tmp_path / "p.db-ca" / "root.pem").read_bytes()
    fingerprint = hashlib.sha256(pem.unarmor(out.read_bytes())[2]).hexdigest()
    assert result.stdout.strip() == f"trust anchor written to {out}: SHA-256 {fingerprint}"
    bad = subprocess.run(
        [sys.executable, "-m", "reference_platform", "--db", str(tmp_path / "p.db"), "--export-trust-anchor",
         str(tmp_path / "missing" / "anchor.pem")],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("reference_platform: ")
    assert "Traceback" not in bad.stderr


def test_a_document_signed_by_another_platforms_authority_does_not_verify(
    api: Api, reference_platform: RunningPlatform, tmp_path: Path, expected_logs: ExpectedLogs
) -> None:
    expected_logs("pyhanko", "Failed to build path")
    pdf = content(api.fetch(consent()).json()["document"])
    with RunningPlatform(tmp_path / "other.db") as other:
        _, status = verified(pdf, other)
    assert not status.trusted
