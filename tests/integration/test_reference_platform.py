"""The reference platform as a server: the wire format of docs/platform-api.md, the command line, restarts."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.platform.client import PlatformClient
from reference_platform.runner import RunningPlatform
from tests.integration import conftest_platform
from tests.integration.conftest_platform import ADMIN_TOKEN, TERMINAL, TOKEN, Admin, write_catalog

# Fixtures (see tests/integration/conftest_platform.py).
reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin

REPO = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": f"Bearer {TOKEN}", "X-Terminal-Id": TERMINAL}


def submission(seq: int, attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "service_code": "330000-GA-XK-0001",
        "local_receipt_no": f"{TERMINAL}-{seq:06d}",
        "terminal_id": TERMINAL,
        "created_at": datetime.now(UTC).isoformat(),
        "form": {},
        "personal": {"name": "李四", "id_number": "330106199001011234"},
        "delivery": {"method": "electronic"},
        "attachments": attachments or [],
    }


@pytest.fixture
def api(reference_platform: RunningPlatform) -> Iterator[requests.Session]:
    """A raw session with T0001's credentials, to look at the wire format itself."""
    session = requests.Session()
    session.headers.update(AUTH)
    yield session
    session.close()


def error_of(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str)
    code: str = body["error"]["code"]
    return code


# -- wire format -----------------------------------------------------------------------------------------------


def test_unauthenticated_requests_get_401_with_the_error_body(reference_platform: RunningPlatform) -> None:
    url = reference_platform.url + "/api/v1/catalog"
    for headers in (
        {},
        {"X-Terminal-Id": TERMINAL},
        {**AUTH, "Authorization": "Bearer nope"},
        {**AUTH, "X-Terminal-Id": "T2"},
    ):
        response = requests.get(url, headers=headers, timeout=10)
        assert response.status_code == 401
        assert error_of(response) == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_connection_is_kept_alive(reference_platform: RunningPlatform) -> None:
    conn = http.client.HTTPConnection(
        reference_platform.server.server_address[0], reference_platform.server.server_address[1], timeout=10
    )
    try:
        sockets = set()
        for _ in range(3):
            conn.request("GET", "/api/v1/catalog?since=0", headers=AUTH)
            response = conn.getresponse()
            assert response.status == 200
            assert json.loads(response.read())["version"] == 3
            sockets.add(id(conn.sock))
        assert len(sockets) == 1
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/nothing", 404, "not_found"),
        ("DELETE", "/api/v1/catalog", 405, "method_not_allowed"),
        ("GET", "/api/v1/catalog?since=x", 400, "bad_request"),
        ("GET", "/api/v1/catalog?since=-1", 400, "bad_request"),
        ("GET", "/api/v1/cases/RP0", 404, "case_not_found"),
        ("PUT", "/api/v1/attachments/ABC", 400, "bad_request"),
    ],
)
def test_error_answers(
    api: requests.Session, reference_platform: RunningPlatform, method: str, path: str, status: int, code: str
) -> None:
    response = api.request(method, reference_platform.url + path, data=b"" if method == "PUT" else None, timeout=10)
    assert response.status_code == status
    assert error_of(response) == code


def test_attachment_put_and_head(api: requests.Session, reference_platform: RunningPlatform) -> None:
    data = os.urandom(300 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    url = f"{reference_platform.url}/api/v1/attachments/{sha}"
    octet = {"Content-Type": "application/octet-stream"}
    assert api.head(url, timeout=10).status_code == 404
    first = api.put(url, data=data, headers=octet, timeout=10)
    assert first.status_code == 201
    assert first.json() == {"sha256": sha, "size": len(data)}
    second = api.put(url, data=data, headers=octet, timeout=10)
    assert (second.status_code, second.json()) == (200, first.json())
    head = api.head(url, timeout=10)
    assert (head.status_code, head.content) == (200, b"")

    other = hashlib.sha256(b"other").hexdigest()
    mismatch = api.put(f"{reference_platform.url}/api/v1/attachments/{other}", data=data, headers=octet, timeout=10)
    assert mismatch.status_code == 422
    assert error_of(mismatch) == "hash_mismatch"
    wrong_type = api.put(url, data=data, headers={"Content-Type": "image/png"}, timeout=10)
    assert wrong_type.status_code == 415
    assert error_of(wrong_type) == "unsupported_media_type"


def test_submission_needs_a_uuid_key_and_a_json_object(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    url = reference_platform.url + "/api/v1/submissions"
    body = json.dumps(submission(1)).encode()
    for headers, payload in (
        ({}, body),
        ({"Idempotency-Key": "abc"}, body),
        ({"Idempotency-Key": str(uuid.uuid4())}, b"{not json"),
        ({"Idempotency-Key": str(uuid.uuid4())}, b"[1, 2]"),
    ):
        response = api.post(url, data=payload, headers={"Content-Type": "application/json", **headers}, timeout=10)
        assert response.status_code == 400
        assert error_of(response) == "bad_request"
    missing = api.post(
        url, json={**submission(1), "form": None}, headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "form"


def test_concurrent_retries_of_one_key_make_one_case(
    reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    key, body = str(uuid.uuid4()), submission(7)
    workers = 8
    barrier = threading.Barrier(workers)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post() -> None:
        with requests.Session() as session:
            session.headers.update(AUTH)
            barrier.wait()
            response = session.post(
                reference_platform.url + "/api/v1/submissions", json=body, headers={"Idempotency-Key": key}, timeout=30
            )
        with lock:
            answers.append((response.status_code, response.json()["case_no"]))

    threads = [threading.Thread(target=post) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in answers) == [200] * (workers - 1) + [201]
    assert len({case_no for _, case_no in answers}) == 1
    stats = platform_admin.stats()
    assert stats["cases"] == 1
    assert stats["idempotency"]["cases_per_key"] == {key: 1}


def test_drop_after_store_closes_without_an_answer(reference_platform: RunningPlatform, platform_admin: Admin) -> None:
    platform_admin.faults(drop_after_store=1.0)
    host, port = reference_platform.server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), port, timeout=10)
    try:
        conn.request(
            "POST",
            "/api/v1/submissions",
            body=json.dumps(submission(9)),
            headers={**AUTH, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
        )
        with pytest.raises(http.client.RemoteDisconnected):
            conn.getresponse()
    finally:
        conn.close()
    stats = platform_admin.stats()
    assert stats["cases"] == 1
    assert stats["requests_by_status"]["0"] == 1


def test_case_transitions(api: requests.Session, reference_platform: RunningPlatform, platform_admin: Admin) -> None:
    response = api.post(
        reference_platform.url + "/api/v1/submissions",
        json=submission(3),
        headers={"Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    case_no = response.json()["case_no"]
    assert platform_admin.advance(case_no, "in_progress")["status"] == "in_progress"
    back = platform_admin.session.post(
        f"{reference_platform.url}/admin/cases/{case_no}/status", json={"status": "accepted"}, timeout=10
    )
    assert back.status_code == 409
    assert error_of(back) == "invalid_transition"
    assert platform_admin.advance(case_no, "rejected", "材料不全")["status"] == "rejected"
    after_final = platform_admin.session.post(
        f"{reference_platform.url}/admin/cases/{case_no}/status", json={"status": "completed"}, timeout=10
    )
    assert after_final.status_code == 409
    history = api.get(f"{reference_platform.url}/api/v1/cases/{case_no}", timeout=10).json()["history"]
    assert [h["status"] for h in history] == ["received", "in_progress", "rejected"]


def test_heartbeat_for_another_terminal_is_forbidden(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    response = api.post(reference_platform.url + "/api/v1/terminals/T0002/heartbeat", json={}, timeout=10)
    assert response.status_code == 403
    assert error_of(response) == "forbidden"


def test_admin_needs_the_admin_token(reference_platform: RunningPlatform, tmp_path: Path) -> None:
    assert requests.get(reference_platform.url + "/admin/stats", timeout=10).status_code == 401
    terminal = requests.get(reference_platform.url + "/admin/stats", headers=AUTH, timeout=10)
    assert terminal.status_code == 401
    with RunningPlatform(tmp_path / "other.db") as no_admin:
        response = requests.get(
            no_admin.url + "/admin/stats", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10
        )
    assert response.status_code == 403
    assert error_of(response) == "admin_disabled"


def test_fault_switches_are_validated(platform_admin: Admin, reference_platform: RunningPlatform) -> None:
    for bad in (
        {"error_rate": 2},
        {"latency_ms": -1},
        {"reject": [{"status": 422}]},
        {"reject": [{"service_code": "X", "status": 500}]},
        {"bogus": 1},
    ):
        response = platform_admin.session.post(reference_platform.url + "/admin/faults", json=bad, timeout=10)
        assert response.status_code == 422, bad
    switches = platform_admin.faults(error_rate=0.5, seed=3, reject=[{"service_code": "X"}])
    assert switches["error_rate"] == 0.5
    assert switches["reject"][0]["status"] == 422
    assert platform_admin.faults(reset=True)["error_rate"] == 0.0


# -- the command line ------------------------------------------------------------------------------------------


@contextmanager
def platform_process(tmp_path: Path, *args: str) -> Iterator[str]:
    """`python -m reference_platform` as a subprocess; yields its URL once it printed `listening on`."""
    stderr = (tmp_path / "platform.stderr").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reference_platform", "--port", "0", "--db", str(tmp_path / "platform.db"), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()  # blocks until the server is ready (or has died: b"")
        assert line.startswith("listening on http://127.0.0.1:"), (tmp_path / "platform.stderr").read_text()
        yield line.removeprefix("listening on ").strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        returncode = proc.wait(timeout=60)
        assert proc.stdout is not None
        rest = proc.stdout.read()
        proc.stdout.close()
        stderr.close()
    assert returncode == 0
    assert rest == b""


def test_command_line_serves_and_data_survives_a_restart(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "catalog.json", version=5)
    data = b"page" * 1000
    sha = hashlib.sha256(data).hexdigest()
    key = str(uuid.uuid4())
    body = submission(42, [{"sha256": sha, "material": "居民户口簿", "pages": 1, "provenance": {}}])
    rating = {
        "uuid": str(uuid.uuid4()),
        "reference": "T0001-000042",
        "grade": 5,
        "channel": "onsite",
        "indicators": {},
        "reasons": [],
        "comment": "",
        "contact": None,
        "created_at": datetime.now(UTC).isoformat(),
    }
    heartbeat = {
        "uuid": str(uuid.uuid4()),
        "sent_at": datetime.now(UTC).isoformat(),
        "app_version": "0.1.0",
        "devices": {},
        "outbox_depth": 0,
        "oldest_unsent_age_s": None,
        "help_requests": 0,
    }
    args = ("--catalog", str(catalog), "--admin-token", ADMIN_TOKEN)
    with platform_process(tmp_path, "--terminal", f"{TERMINAL}:{TOKEN}", *args) as url:
        with PlatformClient(url, TERMINAL, TOKEN) as client:
            assert client.get_catalog().version == 5
            client.put_attachment(sha, data)
            first = client.submit(key, body)
            client.post_rating(rating)
            client.heartbeat(heartbeat)
        admin = Admin(url)
        version = admin.publish(delete=["330000-GA-XK-0002"])
        admin.advance(first.case_no, "accepted")
        admin.close()

    # No --terminal this time: the terminal is in the database.
    with platform_process(tmp_path, *args) as url, PlatformClient(url, TERMINAL, TOKEN) as client:
        assert client.has_attachment(sha)
        again = client.submit(key, body)
        assert again.replayed
        assert again.case_no == first.case_no
        case = client.get_case("T0001-000042")
        assert (case.case_no, case.status) == (first.case_no, "accepted")
        assert client.post_rating(rating).replayed
        assert client.heartbeat(heartbeat).replayed
        catalog_now = client.get_catalog(5)
        assert (catalog_now.version, catalog_now.deleted) == (version, ("330000-GA-XK-0002",))
        admin = Admin(url)
        stats = admin.stats()
        admin.close()
    assert {k: stats[k] for k in ("submissions", "cases", "ratings", "attachments", "heartbeats")} == {
        "submissions": 1,
        "cases": 1,
        "ratings": 1,
        "attachments": 1,
        "heartbeats": 1,
    }
    assert stats["ratings_untied"] == 0


@pytest.mark.parametrize("bad", [["--terminal", "no-colon"], ["--catalog", "/nonexistent/catalog.json"]])
def test_command_line_refuses_bad_options(tmp_path: Path, bad: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reference_platform", "--port", "0", "--db", str(tmp_path / "p.db"), *bad],
        cwd=REPO,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"reference_platform:" in result.stderr


# -- the order of checks and the open points of docs/platform-api.md ----------------------------------------


def raw_request(platform: RunningPlatform, method: str, path: str, headers: dict[str, str],
                body: bytes = b"") -> tuple[int, bytes]:
    """A request as written, Content-Length and all (requests would fix it up)."""
    host, port = platform.server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), port, timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders(body or None)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_framing_is_checked_before_credentials(reference_platform: RunningPlatform) -> None:
    too_long = raw_request(reference_platform, "POST", "/api/v1/submissions", {"Content-Length": str(3 * 2**20)})
    assert too_long[0] == 413
    assert json.loads(too_long[1])["error"]["code"] == "payload_too_large"
    no_length = raw_request(reference_platform, "POST", "/api/v1/ratings", {})
    assert no_length[0] == 411
    bad_length = raw_request(reference_platform, "POST", "/api/v1/ratings", {"Content-Length": "ten"})
    assert bad_length[0] == 400


@pytest.mark.parametrize("terminal", ["", "T 0001", "T0001\u00e9", "x" * 33, "T0001/.."])
def test_a_malformed_terminal_id_is_unauthorized(reference_platform: RunningPlatform, terminal: str) -> None:
    status, body = raw_request(reference_platform, "GET", "/api/v1/catalog",
                               {"Authorization": f"Bearer {TOKEN}", "X-Terminal-Id": terminal})
    assert status == 401
    assert json.loads(body)["error"]["code"] == "unauthorized"


def test_credentials_come_before_the_path(reference_platform: RunningPlatform) -> None:
    for method, path in (("GET", "/api/v1/nothing"), ("DELETE", "/api/v1/catalog"), ("GET", "/api/v1/cases/%2F")):
        response = requests.request(method, reference_platform.url + path, timeout=10)
        assert response.status_code == 401, path


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("PUT", "/api/v1/attachments/" + "A" * 64, "sha256"),
        ("PUT", "/api/v1/attachments/" + "a" * 63, "sha256"),
        ("GET", "/api/v1/cases/T0001%2F000001", "number"),
        ("GET", "/api/v1/cases/" + "9" * 65, "number"),
        ("POST", "/api/v1/terminals/T%200001/heartbeat", "id"),
    ],
)
def test_malformed_path_parameters_are_bad_requests(
    api: requests.Session, reference_platform: RunningPlatform, method: str, path: str, field: str
) -> None:
    response = api.request(method, reference_platform.url + path, data=b"{}",
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "bad_request", "message": response.json()["error"]["message"],
                                        "field": field}
    head = api.head(reference_platform.url + "/api/v1/attachments/" + "A" * 64, timeout=10)
    assert (head.status_code, head.content) == (400, b"")


def test_another_terminals_heartbeat_is_forbidden_after_the_path_check(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    response = api.post(reference_platform.url + "/api/v1/terminals/T0002/heartbeat", data=b"not json",
                        headers={"Content-Type": "text/plain"}, timeout=10)
    assert response.status_code == 403


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json; charset=latin-1",
                                          "application/x-www-form-urlencoded"])
def test_a_json_body_needs_the_json_content_type(
    api: requests.Session, reference_platform: RunningPlatform, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    for path in ("/api/v1/submissions", "/api/v1/ratings", f"/api/v1/terminals/{TERMINAL}/heartbeat"):
        # Before the Idempotency-Key check: this request has none.
        response = api.post(reference_platform.url + path, data=json.dumps(submission(1)).encode(),
                            headers=headers, timeout=10)
        assert response.status_code == 415, path
        assert error_of(response) == "unsupported_media_type"
    ok = api.post(reference_platform.url + "/api/v1/submissions", data=json.dumps(submission(1)).encode(),
                  headers={"Content-Type": "Application/JSON;charset=UTF-8", "Idempotency-Key": str(uuid.uuid4())},
                  timeout=10)
    assert ok.status_code == 201


def test_a_replay_gets_the_stored_answer_whatever_later_checks_say(
    api: requests.Session, reference_platform: RunningPlatform, platform_admin: Admin,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from reference_platform import server

    key, body = str(uuid.uuid4()), submission(11)
    url = reference_platform.url + "/api/v1/submissions"
    first = api.post(url, json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert first.status_code == 201

    # The platform's checks changed since (stricter validation, a new business rule): a retry of what it
    # stored still gets the stored answer.
    def stricter(*args: Any) -> None:
        raise server.ApiError(422, "validation_failed", "new rule", extra={"field": "form"})

    monkeypatch.setattr(server, "validate_submission", stricter)
    platform_admin.faults(reject=[{"idempotency_key": key, "code": "service_closed"}])
    # Key order, whitespace and 1 against 1.0 do not make another body.
    replay_bytes = json.dumps(dict(reversed(list(body.items()))), indent=2).encode()
    again = api.post(url, data=replay_bytes,
                     headers={"Idempotency-Key": key.upper(), "Content-Type": "application/json"}, timeout=10)
    assert (again.status_code, again.json()) == (200, first.json())


def test_a_replay_from_another_terminal_conflicts(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    reference_platform.store.register_terminal("T0002", "other-token")
    key = str(uuid.uuid4())
    body = {**submission(12), "terminal_id": "T0002", "local_receipt_no": "T0002-000012"}
    url = reference_platform.url + "/api/v1/submissions"
    headers = {"Authorization": "Bearer other-token", "X-Terminal-Id": "T0002", "Idempotency-Key": key}
    assert requests.post(url, json=body, headers=headers, timeout=10).status_code == 201
    stolen = api.post(url, json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert stolen.status_code == 422
    assert error_of(stolen) == "idempotency_conflict"


def test_missing_attachments_come_before_business_refusals(
    api: requests.Session, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    data = b"scan of a page"
    sha = hashlib.sha256(data).hexdigest()
    body = submission(13, [{"sha256": sha, "material": "居民户口簿", "pages": 1, "provenance": {}}])
    key = str(uuid.uuid4())
    platform_admin.faults(reject=[{"idempotency_key": key, "code": "material_unreadable"}])
    url = reference_platform.url + "/api/v1/submissions"
    missing = api.post(url, json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert (missing.status_code, error_of(missing)) == (409, "attachment_missing")
    api.put(f"{reference_platform.url}/api/v1/attachments/{sha}", data=data,
            headers={"Content-Type": "application/octet-stream"}, timeout=10)
    refused = api.post(url, json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert (refused.status_code, error_of(refused)) == (422, "material_unreadable")


def test_an_unknown_service_code_is_not_refused(api: requests.Session, reference_platform: RunningPlatform) -> None:
    body = {**submission(14), "service_code": "330000-XX-WITHDRAWN-9"}
    response = api.post(reference_platform.url + "/api/v1/submissions", json=body,
                        headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10)
    assert response.status_code == 201


def test_supersedes_may_name_an_unknown_key_but_not_another_terminals(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    url = reference_platform.url + "/api/v1/submissions"
    never_stored = str(uuid.uuid4())
    key = str(uuid.uuid4())
    ok = api.post(url, json={**submission(15), "supersedes": never_stored}, headers={"Idempotency-Key": key},
                  timeout=10)
    assert ok.status_code == 201
    itself = str(uuid.uuid4())
    selfish = api.post(url, json={**submission(16), "supersedes": itself}, headers={"Idempotency-Key": itself},
                       timeout=10)
    assert (selfish.status_code, selfish.json()["error"].get("field")) == (422, "supersedes")
    reference_platform.store.register_terminal("T0002", "other-token")
    theirs = {"Authorization": "Bearer other-token", "X-Terminal-Id": "T0002", "Idempotency-Key": str(uuid.uuid4())}
    other = requests.post(url, json={**submission(17), "terminal_id": "T0002", "local_receipt_no": "T0002-000017",
                                     "supersedes": key}, headers=theirs, timeout=10)
    assert (other.status_code, other.json()["error"].get("field")) == (422, "supersedes")


def test_a_rating_without_a_declaration_is_recorded_untied(
    api: requests.Session, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    body = {"uuid": str(uuid.uuid4()), "grade": 5, "channel": "onsite", "indicators": {}, "reasons": [],
            "comment": "", "created_at": "2026-11-27T10:20:00+08:00", "terminal_id": TERMINAL}
    response = api.post(reference_platform.url + "/api/v1/ratings", json=body, timeout=10)
    assert response.status_code == 201
    assert response.json()["case_no"] is None
    assert platform_admin.rating(body["uuid"])["case_no"] is None
    assert platform_admin.stats()["ratings_untied"] == 0


def test_an_empty_heartbeat_is_refused(api: requests.Session, reference_platform: RunningPlatform) -> None:
    response = api.post(f"{reference_platform.url}/api/v1/terminals/{TERMINAL}/heartbeat", json={}, timeout=10)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "uuid"


def test_case_numbers_are_looked_up_exactly(
    api: requests.Session, reference_platform: RunningPlatform
) -> None:
    response = api.post(reference_platform.url + "/api/v1/submissions", json=submission(18),
                        headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10)
    case_no = response.json()["case_no"]
    assert api.get(f"{reference_platform.url}/api/v1/cases/{case_no}", timeout=10).status_code == 200
    for other in (case_no.lower(), f"{TERMINAL}-000018".lower()):
        missed = api.get(f"{reference_platform.url}/api/v1/cases/{other}", timeout=10)
        assert (missed.status_code, error_of(missed)) == (404, "case_not_found")


@pytest.mark.parametrize("since", ["+1", " 1", "1_0", "\u0661", "1.0", ""])
def test_since_is_a_decimal_integer(api: requests.Session, reference_platform: RunningPlatform, since: str) -> None:
    response = api.get(reference_platform.url + "/api/v1/catalog", params={"since": since}, timeout=10)
    assert (response.status_code, error_of(response)) == (400, "bad_request")


def test_since_older_than_the_pruned_history_gets_everything(
    api: requests.Session, reference_platform: RunningPlatform, platform_admin: Admin
) -> None:
    version = platform_admin.publish(delete=["330000-GA-XK-0002"])
    platform_admin.publish(upsert=[conftest_platform.catalog_item("330000-GA-XK-0003", "临时身份证")])
    assert platform_admin._json("POST", "/admin/catalog/prune", {"through": version}) == {
        "pruned": 1, "kept_from": version}
    old = api.get(reference_platform.url + "/api/v1/catalog", params={"since": version - 1}, timeout=10).json()
    assert old["full"] is True
    assert sorted(item["code"] for item in old["items"]) == ["330000-GA-XK-0001", "330000-GA-XK-0003"]
    recent = api.get(reference_platform.url + "/api/v1/catalog", params={"since": version}, timeout=10).json()
    assert recent["full"] is False
