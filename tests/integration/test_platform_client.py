"""kiosk.platform.client against a reference platform running in this process (docs/platform-api.md)."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kiosk.platform.client import (
    AttachmentMissing,
    CaseNotFound,
    PlatformAuthError,
    PlatformClient,
    PlatformProtocolError,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.platform.models import CaseState
from reference_platform.runner import RunningPlatform
from tests.integration import conftest_platform
from tests.integration.conftest_platform import TERMINAL, TOKEN, Admin, catalog_item

# Fixtures (see tests/integration/conftest_platform.py).
reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin
platform_client = conftest_platform.platform_client

ID_NUMBER = "330106199001011234"
NAME = "张三丰"


def now() -> str:
    return datetime.now(UTC).isoformat()


def key() -> str:
    return str(uuid.uuid4())


def attachment(data: bytes, material: str = "居民户口簿") -> tuple[str, dict[str, Any]]:
    sha = hashlib.sha256(data).hexdigest()
    entry = {
        "sha256": sha,
        "material": material,
        "pages": 1,
        "provenance": {"device": "camera", "captured_at": now(), "identified_by_card": True},
    }
    return sha, entry


def submission(seq: int, attachments: list[dict[str, Any]] = (), **changes: Any) -> dict[str, Any]:  # type: ignore[assignment]
    body: dict[str, Any] = {
        "service_code": "330000-GA-XK-0001",
        "local_receipt_no": f"{TERMINAL}-{seq:06d}",
        "terminal_id": TERMINAL,
        "created_at": now(),
        "form": {"reason": "有效期满换领"},
        "personal": {"name": NAME, "id_number": ID_NUMBER, "phone": "13800000000"},
        "delivery": {"method": "pickup"},
        "attachments": list(attachments),
    }
    body.update(changes)
    return body


def rating(reference: str, grade: int = 5, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": key(),
        "reference": reference,
        "grade": grade,
        "channel": "onsite",
        "indicators": {"overall": grade, "efficiency": grade, "competence": grade, "attitude": grade},
        "reasons": [],
        "comment": "",
        "contact": None,
        "created_at": now(),
    }
    body.update(changes)
    return body


def heartbeat() -> dict[str, Any]:
    return {
        "uuid": key(),
        "sent_at": now(),
        "app_version": "0.1.0",
        "devices": {"idcard": {"state": "ok"}, "printer": {"state": "offline", "detail": "paper out"}},
        "outbox_depth": 3,
        "oldest_unsent_age_s": 1234.5,
        "help_requests": 0,
    }


# -- credentials -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("terminal", "token"), [(TERMINAL, "wrong-token"), ("T9999", TOKEN)])
def test_wrong_credentials_are_an_auth_error(reference_platform: RunningPlatform, terminal: str, token: str) -> None:
    with PlatformClient(reference_platform.url, terminal, token) as client:
        with pytest.raises(PlatformAuthError) as info:
            client.get_catalog()
        with pytest.raises(PlatformAuthError):
            client.has_attachment("0" * 64)
    assert info.value.status == 401
    assert info.value.code == "unauthorized"
    assert not info.value.transient


def test_terminal_registered_at_run_time_can_call(reference_platform: RunningPlatform) -> None:
    reference_platform.store.register_terminal("T0002", "other")
    with PlatformClient(reference_platform.url, "T0002", "other") as client:
        assert client.get_catalog().full


# -- catalogue -------------------------------------------------------------------------------------------------


def test_catalog_full_then_incremental(platform_client: PlatformClient, platform_admin: Admin) -> None:
    first = platform_client.get_catalog()
    assert first.full
    assert first.version == 3
    assert sorted(item["code"] for item in first.items) == ["330000-GA-XK-0001", "330000-GA-XK-0002"]
    assert first.deleted == ()

    assert platform_client.get_catalog(first.version).items == ()
    version = platform_admin.publish(
        upsert=[catalog_item("330000-GA-XK-0003", "临时身份证"), catalog_item("330000-GA-XK-0001", "身份证换领")],
        delete=["330000-GA-XK-0002"],
    )
    changes = platform_client.get_catalog(first.version)
    assert changes.version == version == 4
    assert not changes.full
    assert {item["code"]: item["name"] for item in changes.items} == {
        "330000-GA-XK-0001": "身份证换领",
        "330000-GA-XK-0003": "临时身份证",
    }
    assert changes.deleted == ("330000-GA-XK-0002",)
    assert platform_client.get_catalog(version).items == ()


def test_catalog_version_ahead_of_platform_gets_everything(platform_client: PlatformClient) -> None:
    changes = platform_client.get_catalog(999)
    assert changes.full
    assert changes.version == 3
    assert len(changes.items) == 2


# -- attachments -----------------------------------------------------------------------------------------------


def test_attachment_upload_is_content_addressed_and_idempotent(platform_client: PlatformClient) -> None:
    data = b"\x89PNG page one" * 1000
    sha, _ = attachment(data)
    assert not platform_client.has_attachment(sha)
    first = platform_client.put_attachment(sha, data)
    assert (first.sha256, first.size, first.created) == (sha, len(data), True)
    assert platform_client.has_attachment(sha)
    again = platform_client.put_attachment(sha, data)
    assert (again.sha256, again.size, again.created) == (sha, len(data), False)


def test_attachment_hash_mismatch_is_rejected(platform_client: PlatformClient) -> None:
    sha, _ = attachment(b"what the outbox holds")
    with pytest.raises(PlatformRejected) as info:
        platform_client.put_attachment(sha, b"what arrived")
    assert (info.value.status, info.value.code) == (422, "hash_mismatch")
    assert not platform_client.has_attachment(sha)


# -- submissions -----------------------------------------------------------------------------------------------


def test_submit_and_resubmit_give_the_same_case(platform_client: PlatformClient, platform_admin: Admin) -> None:
    data = b"scan" * 500
    sha, entry = attachment(data)
    platform_client.put_attachment(sha, data)
    body = submission(42, [entry])
    k = key()

    first = platform_client.submit(k, body)
    assert first.status == "received"
    assert first.local_receipt_no == "T0001-000042"
    assert not first.replayed
    again = platform_client.submit(k, body)
    assert again.replayed
    assert (again.case_no, again.received_at) == (first.case_no, first.received_at)

    stats = platform_admin.stats()
    assert stats["submissions"] == stats["cases"] == 1
    assert stats["idempotency"]["cases_per_key"] == {k: 1}
    assert platform_admin.submission(k)["body"]["attachments"] == [entry]


def test_reused_key_with_a_different_body_is_rejected(platform_client: PlatformClient) -> None:
    k = key()
    platform_client.submit(k, submission(1))
    with pytest.raises(PlatformRejected) as info:
        platform_client.submit(k, submission(2))
    assert (info.value.status, info.value.code) == (422, "idempotency_conflict")


def test_missing_attachments_are_listed(platform_client: PlatformClient, platform_admin: Admin) -> None:
    present_sha, present = attachment(b"uploaded")
    missing_sha, missing = attachment(b"not uploaded", "结婚证")
    platform_client.put_attachment(present_sha, b"uploaded")
    k = key()
    body = submission(3, [present, missing])
    with pytest.raises(AttachmentMissing) as info:
        platform_client.submit(k, body)
    assert info.value.missing == (missing_sha,)
    assert info.value.status == 409
    assert platform_admin.stats()["submissions"] == 0

    platform_client.put_attachment(missing_sha, b"not uploaded")
    assert not platform_client.submit(k, body).replayed


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"delivery": {"method": "pigeon"}}, "validation_failed"),
        ({"local_receipt_no": "T0002-000001"}, "validation_failed"),
        ({"terminal_id": "T0002"}, "terminal_mismatch"),
        ({"created_at": "yesterday"}, "validation_failed"),
    ],
)
def test_invalid_submission_is_rejected_with_the_platform_code(
    platform_client: PlatformClient, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(PlatformRejected) as info:
        platform_client.submit(key(), submission(5, **changes))
    assert info.value.code == code
    assert info.value.status == 422
    assert ID_NUMBER not in str(info.value)


# -- ratings ---------------------------------------------------------------------------------------------------


def test_rating_by_case_number_is_idempotent(platform_client: PlatformClient) -> None:
    case_no = platform_client.submit(key(), submission(7)).case_no
    body = rating(case_no, 4)
    first = platform_client.post_rating(body)
    assert (first.uuid, first.case_no, first.replayed) == (body["uuid"], case_no, False)
    again = platform_client.post_rating(body)
    assert (again.case_no, again.received_at, again.replayed) == (case_no, first.received_at, True)
    with pytest.raises(PlatformRejected) as info:
        platform_client.post_rating({**body, "grade": 3})
    assert info.value.code == "idempotency_conflict"


def test_offline_rating_is_tied_to_the_case_when_it_arrives(
    platform_client: PlatformClient, platform_admin: Admin
) -> None:
    body = rating("T0001-000008", 1, reasons=["等候时间长"], comment="排队太久")
    assert platform_client.post_rating(body).case_no is None
    assert platform_admin.stats()["ratings_untied"] == 1

    case_no = platform_client.submit(key(), submission(8)).case_no
    assert platform_admin.rating(body["uuid"])["case_no"] == case_no
    assert platform_client.post_rating(body).case_no == case_no
    assert platform_admin.stats()["ratings_untied"] == 0


@pytest.mark.parametrize(
    "changes",
    [{"grade": 6}, {"grade": 0}, {"channel": "kiosk"}, {"indicators": {"usability": 5}}, {"uuid": "not-a-uuid"}],
)
def test_invalid_rating_is_rejected(platform_client: PlatformClient, changes: dict[str, Any]) -> None:
    with pytest.raises(PlatformRejected) as info:
        platform_client.post_rating(rating("T0001-000009", **changes))
    assert info.value.code == "validation_failed"


# -- cases -----------------------------------------------------------------------------------------------------


def test_case_by_case_number_and_by_local_receipt(platform_client: PlatformClient, platform_admin: Admin) -> None:
    case_no = platform_client.submit(key(), submission(42)).case_no
    by_case = platform_client.get_case(case_no)
    by_receipt = platform_client.get_case("T0001-000042")
    assert by_case == by_receipt
    assert by_case.status is CaseState.RECEIVED
    assert [e.status for e in by_case.history] == [CaseState.RECEIVED]

    platform_admin.advance(case_no, "accepted")
    platform_admin.advance("T0001-000042", "completed", "已办结")
    case = platform_client.get_case(case_no)
    assert case.status is CaseState.COMPLETED
    assert [(e.status, e.note) for e in case.history] == [
        (CaseState.RECEIVED, ""),
        (CaseState.ACCEPTED, ""),
        (CaseState.COMPLETED, "已办结"),
    ]
    assert case.updated_at >= case.received_at


def test_unknown_case_is_case_not_found(platform_client: PlatformClient) -> None:
    with pytest.raises(CaseNotFound) as info:
        platform_client.get_case("T0001-999999")
    assert (info.value.status, info.value.code) == (404, "case_not_found")


# -- heartbeats ------------------------------------------------------------------------------------------------


def test_heartbeat_is_stored_once(platform_client: PlatformClient, platform_admin: Admin) -> None:
    body = heartbeat()
    first = platform_client.heartbeat(body)
    assert (first.uuid, first.replayed) == (body["uuid"], False)
    assert platform_client.heartbeat(body).replayed
    assert platform_admin.stats()["heartbeats"] == 1
    assert platform_admin.last_heartbeat()["body"]["oldest_unsent_age_s"] == 1234.5
    with pytest.raises(PlatformRejected):
        platform_client.heartbeat({**body, "uuid": key(), "outbox_depth": -1})


# -- fault switches and how the client classifies them --------------------------------------------------------


def test_error_rate_is_unavailable(platform_client: PlatformClient, platform_admin: Admin) -> None:
    platform_admin.faults(error_rate=1.0, seed=7)
    seen = set()
    for _ in range(20):
        with pytest.raises(PlatformUnavailable) as info:
            platform_client.submit(key(), submission(10))
        assert info.value.transient
        seen.add(info.value.status)
        if info.value.status == 503:
            assert info.value.retry_after == 1.0
    assert seen == {500, 503}
    platform_admin.faults(error_rate=0.0)
    assert platform_admin.stats()["submissions"] == 0
    assert not platform_client.submit(key(), submission(10)).replayed


def test_latency_beyond_the_read_timeout_is_unavailable(
    reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    # The platform waits 10 minutes (cut short when it stops); the client gives up after its read timeout.
    platform_admin.faults(latency_ms=600_000)
    with (
        PlatformClient(reference_platform.url, TERMINAL, TOKEN, timeout=(5.0, 0.05)) as client,
        pytest.raises(PlatformUnavailable) as info,
    ):
        client.get_catalog()
    assert info.value.code == "timeout"
    assert info.value.status is None


def test_small_latency_still_answers(platform_client: PlatformClient, platform_admin: Admin) -> None:
    platform_admin.faults(latency_ms=5)
    assert platform_client.get_catalog().version == 3


@pytest.mark.parametrize("kind", ["invalid_json", "missing_fields"])
def test_malformed_answer_is_a_protocol_error_and_retry_gives_the_case(
    platform_client: PlatformClient, platform_admin: Admin, kind: str
) -> None:
    platform_admin.faults(malformed_rate=1.0, malformed_kind=kind)
    k, body = key(), submission(11)
    with pytest.raises(PlatformProtocolError) as info:
        platform_client.submit(k, body)
    assert info.value.transient
    assert info.value.status == 201
    assert info.value.reason
    with pytest.raises(PlatformProtocolError):
        platform_client.get_catalog()
    with pytest.raises(PlatformProtocolError):
        platform_client.heartbeat(heartbeat())

    platform_admin.faults(malformed_rate=0.0)
    answer = platform_client.submit(k, body)
    assert answer.replayed
    assert platform_client.get_case("T0001-000011").case_no == answer.case_no


def test_rejection_by_key_and_by_service_code(platform_client: PlatformClient, platform_admin: Admin) -> None:
    k = key()
    platform_admin.faults(
        reject=[
            {"idempotency_key": k, "status": 400, "code": "material_unreadable", "message": "材料不清晰"},
            {"service_code": "330000-GA-XK-0002", "status": 403, "code": "not_allowed"},
        ]
    )
    with pytest.raises(PlatformRejected) as info:
        platform_client.submit(k, submission(12))
    assert (info.value.status, info.value.code, info.value.message) == (400, "material_unreadable", "材料不清晰")
    assert not info.value.transient
    # 403 is an auth error whatever its code: the terminal may not do this, the item itself may be fine.
    with pytest.raises(PlatformAuthError):
        platform_client.submit(key(), submission(13, service_code="330000-GA-XK-0002"))
    assert not platform_client.submit(key(), submission(14)).replayed
    assert platform_admin.stats()["submissions"] == 1


def test_dropped_connection_after_store_then_retry_gives_one_case(
    platform_client: PlatformClient, platform_admin: Admin
) -> None:
    platform_admin.faults(drop_after_store=1.0)
    k, body = key(), submission(15)
    with pytest.raises(PlatformUnavailable) as info:
        platform_client.submit(k, body)
    assert info.value.code == "connection_error"
    assert info.value.status is None
    stored = platform_admin.stats()
    assert stored["cases"] == 1  # stored before the connection was dropped

    platform_admin.faults(drop_after_store=0.0)
    answer = platform_client.submit(k, body)
    assert answer.replayed
    assert answer.case_no == platform_admin.submission(k)["answer"]["case_no"]
    stats = platform_admin.stats()
    assert stats["cases"] == 1
    assert stats["idempotency"]["cases_per_key"] == {k: 1}


def test_drop_keys_drop_once(platform_client: PlatformClient, platform_admin: Admin) -> None:
    k, body = key(), submission(16)
    platform_admin.faults(drop_keys=[k])
    with pytest.raises(PlatformUnavailable):
        platform_client.submit(k, body)
    assert platform_client.submit(k, body).replayed
    assert platform_admin.stats()["idempotency"]["max_cases_per_key"] == 1


def test_nothing_listening_is_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        PlatformClient(f"http://127.0.0.1:{port}", TERMINAL, TOKEN) as client,
        pytest.raises(PlatformUnavailable) as info,
    ):
        client.get_catalog()
    assert info.value.code == "connection_error"


def _case_answer(received_at: str, updated_at: str) -> dict[str, Any]:
    return {"case_no": "RP2026112700000042", "local_receipt_no": "T0001-000042", "service_code": "S1",
            "status": "accepted", "received_at": received_at, "updated_at": updated_at,
            "history": [{"status": "accepted", "at": updated_at, "note": ""}]}


class _Foreign(BaseHTTPRequestHandler):
    """Something between the kiosk and the platform that does not speak the contract (a proxy, a portal)."""

    protocol_version = "HTTP/1.1"
    answers: ClassVar[dict[str, tuple[int, bytes, dict[str, str]]]] = {
        "/html404": (404, b"<html>Not Found</html>", {"Content-Type": "text/html"}),
        "/portal": (302, b"", {"Location": "http://portal.example/login"}),
        "/busy": (429, b"", {"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}),
        "/teapot": (418, b'{"error": {"code": "teapot", "message": "short and stout"}}', {}),
        # A 401/403 that is not the platform's: no contract error body (a gateway, a captive portal).
        "/bare401": (401, b"", {"WWW-Authenticate": "Bearer"}),
        "/bare403": (403, b"<html>Forbidden by proxy</html>", {"Content-Type": "text/html"}),
        "/refused": (401, b'{"error": {"code": "unauthorized", "message": "wrong token"}}', {}),
        "/stamps": (200, json.dumps(_case_answer("2026-11-27T02:15:04Z", "2026-11-27T03:00:00.123456789+08:00"))
                    .encode(), {}),
        "/spaced": (200, json.dumps(_case_answer("2026-11-27 02:15:04+00:00", "2026-11-27T03:00:00Z")).encode(), {}),
        "/naive": (200, json.dumps(_case_answer("2026-11-27T02:15:04", "2026-11-27T03:00:00Z")).encode(), {}),
        "/deep": (200, b"[" * 100_000 + b"]" * 100_000, {}),
        "/deep500": (500, b"[" * 100_000 + b"]" * 100_000, {}),
        "/odd-items": (200, b'{"version": 4, "full": true, "items": [5, {"code": 7}], "deleted": [null]}', {}),
    }

    def _answer(self, *, with_body: bool) -> None:
        status, body, headers = self.answers[self.path.split("/api/")[0]]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def foreign_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Foreign)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("prefix", ["/html404", "/portal"])
def test_answers_outside_the_contract_are_protocol_errors(foreign_server: str, prefix: str) -> None:
    # The item is not at fault, so it must not be quarantined; redirects are never followed.
    with PlatformClient(foreign_server + prefix, TERMINAL, TOKEN) as client, pytest.raises(PlatformProtocolError):
        client.get_catalog()


def test_answers_nested_too_deep_to_parse_are_protocol_errors(foreign_server: str) -> None:
    with PlatformClient(foreign_server + "/deep", TERMINAL, TOKEN) as client, pytest.raises(PlatformProtocolError):
        client.get_catalog()
    with PlatformClient(foreign_server + "/deep500", TERMINAL, TOKEN) as client, pytest.raises(PlatformUnavailable):
        client.get_catalog()


def test_catalogue_items_are_left_to_the_catalogue_to_check(foreign_server: str) -> None:
    # offline_cache.catalog refuses them naming item and field; here they would pass for a broken platform.
    with PlatformClient(foreign_server + "/odd-items", TERMINAL, TOKEN) as client:
        changes = client.get_catalog()
    assert (changes.version, changes.items, changes.deleted) == (4, (5, {"code": 7}), (None,))


def test_429_is_unavailable_with_retry_after(foreign_server: str) -> None:
    with (
        PlatformClient(foreign_server + "/busy", TERMINAL, TOKEN) as client,
        pytest.raises(PlatformUnavailable) as info,
    ):
        client.get_case("T0001-000001")
    assert info.value.status == 429
    assert info.value.retry_after is not None
    assert info.value.retry_after > 0


@pytest.mark.parametrize("prefix", ["/bare401", "/bare403"])
def test_401_or_403_without_the_error_body_is_a_protocol_error(foreign_server: str, prefix: str) -> None:
    # Not the platform judging the credentials: retried later, and no one is sent to re-key the terminal.
    with PlatformClient(foreign_server + prefix, TERMINAL, TOKEN) as client:
        with pytest.raises(PlatformProtocolError) as info:
            client.get_catalog()
        assert info.value.transient
        # A HEAD answer never has a body: its 401/403 is the credentials all the same.
        with pytest.raises(PlatformAuthError):
            client.has_attachment("0" * 64)


def test_401_with_the_error_body_is_an_auth_error(foreign_server: str) -> None:
    with PlatformClient(foreign_server + "/refused", TERMINAL, TOKEN) as client, pytest.raises(PlatformAuthError):
        client.get_catalog()


def test_timestamps_with_z_and_nanoseconds_are_read(foreign_server: str) -> None:
    with PlatformClient(foreign_server + "/stamps", TERMINAL, TOKEN) as client:
        case = client.get_case("T0001-000042")
    assert case.received_at == datetime(2026, 11, 27, 2, 15, 4, tzinfo=UTC)
    assert case.updated_at == datetime(2026, 11, 26, 19, 0, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize("prefix", ["/spaced", "/naive"])
def test_timestamps_outside_the_contract_form_are_protocol_errors(foreign_server: str, prefix: str) -> None:
    with PlatformClient(foreign_server + prefix, TERMINAL, TOKEN) as client, pytest.raises(PlatformProtocolError):
        client.get_case("T0001-000042")


def test_other_4xx_with_a_contract_body_is_rejected(foreign_server: str) -> None:
    with PlatformClient(foreign_server + "/teapot", TERMINAL, TOKEN) as client, pytest.raises(PlatformRejected) as info:
        client.get_catalog()
    assert (info.value.status, info.value.code, info.value.message) == (418, "teapot", "short and stout")


# -- client hygiene --------------------------------------------------------------------------------------------


def test_logs_hold_no_personal_data(
    platform_client: PlatformClient, platform_admin: Admin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk.platform.client")
    k = key()
    body = submission(18)
    platform_client.submit(k, body)
    platform_admin.faults(drop_after_store=1.0)
    with pytest.raises(PlatformUnavailable) as info:
        platform_client.submit(key(), submission(19))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert k in text
    assert "/api/v1/submissions" in text
    for secret in (NAME, ID_NUMBER, "13800000000", TOKEN):
        assert secret not in text
        assert secret not in str(info.value)


def test_client_refuses_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https"):
        PlatformClient("ftp://platform", TERMINAL, TOKEN)
    with pytest.raises(ValueError, match="CA file"):
        PlatformClient("https://platform", TERMINAL, TOKEN, ca_file=tmp_path / "missing.pem")
    with pytest.raises(ValueError, match="timeout"):
        PlatformClient("https://platform", TERMINAL, TOKEN, timeout=(5.0, 0.0))
    with PlatformClient("https://platform", TERMINAL, TOKEN) as client:
        with pytest.raises(ValueError, match="sha256"):
            client.has_attachment("ABC")
        with pytest.raises(ValueError, match="UUID"):
            client.submit("not-a-uuid", submission(1))
        with pytest.raises(ValueError, match="number"):
            client.get_case("../admin/stats")


# -- TLS -------------------------------------------------------------------------------------------------------


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reference platform test CA")])
    start = datetime.now(UTC) - timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def test_tls_is_verified_against_the_given_ca_file(tmp_path: Path) -> None:
    cert, tls_key = _self_signed(tmp_path)
    with RunningPlatform(
        tmp_path / "tls.db", terminals=[(TERMINAL, TOKEN)], tls_cert=cert, tls_key=tls_key
    ) as platform:
        assert platform.url.startswith("https://127.0.0.1:")
        with PlatformClient(platform.url, TERMINAL, TOKEN, ca_file=cert) as client:
            assert client.get_catalog().full
        # Without the CA file the certificate is unknown: never accepted, never silently skipped.
        with PlatformClient(platform.url, TERMINAL, TOKEN) as client, pytest.raises(PlatformUnavailable) as info:
            client.get_catalog()
    assert info.value.code == "tls_error"
