"""The terminal's side of electronic licences and certificates (kiosk.platform.client, the outbox and the sync
engine) against the reference platform on 127.0.0.1, and against answers that break docs/platform-api.md."""

from __future__ import annotations

import copy
import json
import logging
import random
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests

from kiosk.config import SyncConfig
from kiosk.platform.client import (
    ConsentRefused,
    LicenceNotFound,
    PlatformClient,
    PlatformProtocolError,
    PlatformRejected,
)
from kiosk.platform.models import Consent, Holder, LicenceStatus
from kiosk.platform.sync import SyncEngine
from offline_cache.outbox import LicenceUse
from offline_cache.store import OfflineCache
from reference_platform import samples
from reference_platform.runner import RunningPlatform
from reference_platform.validation import make_licence_id
from tests.integration import conftest_platform
from tests.integration.conftest_platform import ADMIN_TOKEN, TERMINAL, TOKEN, Admin

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin
platform_client = conftest_platform.platform_client

DEMO = Holder(samples.DEMO_RESIDENT, "测试样例")
HUKOU_ID = make_licence_id(samples.HUKOU, samples.XIHU_POLICE.code, "2019000123")
DEGREE_ID = make_licence_id(samples.DEGREE, samples.UNIVERSITY.code, "2012001234")
CHEN_HUKOU_ID = make_licence_id(samples.HUKOU, samples.SHANGCHENG_POLICE.code, "2010000456")
SYNC = SyncConfig(interval_s=30, backoff_base_s=1, backoff_cap_s=60, heartbeat_interval_s=300, retention_days=30)


def consent(scope: Any = "all", *, ago: timedelta = timedelta(0), given_by: str = "resident") -> Consent:
    return Consent(id=str(uuid.uuid4()), scope=tuple(scope) if isinstance(scope, list) else scope,
                   given_at=datetime.now(UTC) - ago, given_by=given_by,  # type: ignore[arg-type]
                   terminal_id=TERMINAL)


# -- typed answers ---------------------------------------------------------------------------------------------


def test_a_query_answers_with_typed_licences_whose_repr_hides_the_holder(platform_client: PlatformClient) -> None:
    answer = platform_client.query_licences(DEMO, consent())
    names = [(lic.name, lic.status) for lic in answer.licences]
    assert names[:2] == [("居民户口簿", LicenceStatus.VALID), ("结婚证", LicenceStatus.VALID)]
    hukou = answer.licences[0]
    assert (hukou.licence_id, hukou.type_code, hukou.issuer.code) == (HUKOU_ID, samples.HUKOU,
                                                                     samples.XIHU_POLICE.code)
    assert (hukou.issued_on, hukou.valid_until, hukou.holder) == (date(2019, 5, 20), None, DEMO)
    assert hukou.document is not None
    assert hukou.document.original_format == "pdf"
    assert hukou.usable_on(date(2026, 11, 27))
    revoked = answer.licences[3]
    assert revoked.status is LicenceStatus.REVOKED
    assert not revoked.usable_on(date(2026, 11, 27))
    assert answer.licences[5].document is None  # kept as OFD only
    shown = repr(answer)
    assert samples.DEMO_RESIDENT not in shown
    assert "测试样例" not in shown
    assert "330106000123" not in shown
    expired = platform_client.query_licences(Holder(samples.LONG_TERM), consent()).licences[1]
    assert expired.status is LicenceStatus.EXPIRED
    assert not expired.usable_on(date(2024, 1, 1))


def test_a_fetch_gives_the_pdf_checked_against_its_hash(platform_client: PlatformClient) -> None:
    fetched = platform_client.fetch_licence(HUKOU_ID, DEMO, consent([samples.HUKOU]))
    assert fetched.licence.licence_id == HUKOU_ID
    assert fetched.document.content.startswith(b"%PDF-")
    assert fetched.document.original_format == "pdf"
    assert "%PDF" not in repr(fetched)


def test_certificates_are_offered_and_issued_once_per_request(platform_client: PlatformClient) -> None:
    given = consent()
    offers = platform_client.available_certificates(DEMO, given).offers
    assert [o.name for o in offers] == ["无犯罪记录证明", "婚姻登记记录证明", "参保证明"]
    request = str(uuid.uuid4())
    at = datetime.now(UTC)
    first = platform_client.issue_certificate(request, samples.INSURED, DEMO, given, requested_at=at, purpose="贷款")
    again = platform_client.issue_certificate(request, samples.INSURED, DEMO, given, requested_at=at, purpose="贷款")
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.certificate_id, again.verification_code, again.document.content) == (
        first.certificate_id, first.verification_code, first.document.content)
    assert first.valid_until == first.issued_on + timedelta(days=29)
    assert samples.DEMO_RESIDENT not in repr(first)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda c: c.query_licences(DEMO, consent(ago=timedelta(hours=1))), ConsentRefused, "consent_expired"),
        (lambda c: c.query_licences(Holder(samples.DEMO_RESIDENT, "别人"), consent()), ConsentRefused,
         "holder_mismatch"),
        (lambda c: c.fetch_licence(HUKOU_ID, DEMO, consent("list")), ConsentRefused, "consent_out_of_scope"),
        (lambda c: c.fetch_licence(CHEN_HUKOU_ID, DEMO, consent()), LicenceNotFound, "licence_not_found"),
        (lambda c: c.fetch_licence(DEGREE_ID, DEMO, consent()), PlatformRejected, "rendition_unavailable"),
        (lambda c: c.issue_certificate(str(uuid.uuid4()), samples.NO_CRIMINAL_RECORD, Holder(samples.X_CHECK),
                                       consent(), requested_at=datetime.now(UTC)),
         PlatformRejected, "certificate_unavailable"),
    ],
)
def test_refusals_are_typed_by_their_code(
    platform_client: PlatformClient, call: Callable[[PlatformClient], object], error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as caught:
        call(platform_client)
    assert type(caught.value) is error
    assert caught.value.code == code  # type: ignore[attr-defined]


def test_a_consent_id_used_twice_is_refused_as_a_consent(platform_client: PlatformClient) -> None:
    given = consent([samples.HUKOU])
    platform_client.query_licences(DEMO, given)
    with pytest.raises(ConsentRefused, match="consent"):
        platform_client.query_licences(DEMO, Consent(given.id, "all", given.given_at, "resident", TERMINAL))


def test_bad_arguments_never_reach_the_platform(platform_client: PlatformClient) -> None:
    with pytest.raises(ValueError, match="ID number"):
        Holder("330106199003070015")
    with pytest.raises(ValueError, match="scope"):
        Consent(str(uuid.uuid4()), "everything", datetime.now(UTC), "resident", TERMINAL)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="none twice"):
        Consent(str(uuid.uuid4()), (samples.HUKOU, samples.HUKOU), datetime.now(UTC), "resident", TERMINAL)
    with pytest.raises(ValueError, match="aware"):
        Consent(str(uuid.uuid4()), "all", datetime.now(), "resident", TERMINAL)
    elsewhere = Consent(str(uuid.uuid4()), "all", datetime.now(UTC), "resident", "T0002")
    with pytest.raises(ValueError, match="another terminal"):
        platform_client.query_licences(DEMO, elsewhere)
    with pytest.raises(ValueError, match="check character"):
        platform_client.fetch_licence(HUKOU_ID[:-1] + "0", DEMO, consent())
    with pytest.raises(ValueError, match="type codes"):
        platform_client.query_licences(DEMO, consent(), type_codes=[])
    with pytest.raises(ValueError, match="type codes"):
        platform_client.query_licences(DEMO, consent(), type_codes=[f"11100000MB0143028R{n:03d}" for n in range(51)])


def test_the_logs_hold_no_holder_data(platform_client: PlatformClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        given = consent()
        platform_client.query_licences(DEMO, given)
        platform_client.fetch_licence(HUKOU_ID, DEMO, given)
        platform_client.issue_certificate(str(uuid.uuid4()), samples.INSURED, DEMO, given,
                                          requested_at=datetime.now(UTC))
        with pytest.raises(ConsentRefused):
            platform_client.query_licences(Holder(samples.DEMO_RESIDENT, "别人"), consent())
    assert "/api/v1/licences/query" in caplog.text
    for secret in (samples.DEMO_RESIDENT, "测试样例", "330106000123"):
        assert secret not in caplog.text


# -- answers that break the contract ---------------------------------------------------------------------------


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with the body the test put in `answer` (a platform gone wrong, or a tampering proxy)."""

    protocol_version = "HTTP/1.1"
    answer: ClassVar[bytes] = b"{}"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.answer)))
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def canned() -> Iterator[PlatformClient]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    with PlatformClient(f"http://127.0.0.1:{server.server_address[1]}", TERMINAL, TOKEN) as client:
        yield client
    server.shutdown()
    server.server_close()
    thread.join()


def _serve(answer: object) -> None:
    _Canned.answer = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Real answers of the reference platform, to break one field at a time."""
    with RunningPlatform(tmp_path_factory.mktemp("genuine") / "p.db", terminals=[(TERMINAL, TOKEN)]) as platform:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {TOKEN}", "X-Terminal-Id": TERMINAL})
        given = consent().to_json()
        holder = DEMO.to_json()
        url = platform.url + "/api/v1"
        query = session.post(url + "/licences/query", json={"holder": holder, "consent": given}, timeout=30).json()
        fetch = session.post(url + "/licences/fetch", json={"licence_id": HUKOU_ID, "holder": holder, "consent": given,
                                                            "format": "pdf"}, timeout=30).json()
        session.close()
    return {"query": query, "fetch": fetch}


def _broken(answer: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    broken = copy.deepcopy(answer)
    *parents, last = path.split(".")
    target: Any = broken
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _DROP:
        del target[last]
    else:
        target[last] = value
    return broken


_DROP = object()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("licences.0.holder.id_number", samples.CITIZEN_CARD),  # another person's licence
        ("licences.0.type_code", samples.MARRIAGE),  # differs from the identifier's
        ("licences.0.licence_id", HUKOU_ID[:-1] + "0"),  # a wrong check character
        ("licences.0.issuer.code", samples.XIHU_CIVIL.code),
        ("licences.0.issued_on", "2019-02-30"),
        ("licences.0.valid_until", "2018-01-01"),  # ends before it begins
        ("licences.0.valid_until", _DROP),
        ("licences.0.status", "active"),
        ("licences.0.name", "居民户口簿\u202e"),
        ("licences.0.number", "x" * 65),
        ("licences.0.document", {"media_type": "application/ofd", "original_format": "ofd"}),
        ("licences.0.document", _DROP),
        ("queried_at", "2026-11-27 10:00:00"),
    ],
)
def test_a_query_answer_breaking_the_contract_is_a_protocol_error(
    canned: PlatformClient, genuine: dict[str, Any], path: str, value: object
) -> None:
    _serve(_broken(genuine["query"], path, value))
    with pytest.raises(PlatformProtocolError):
        canned.query_licences(DEMO, consent())


def test_a_query_answer_with_a_type_outside_the_scope_is_a_protocol_error(
    canned: PlatformClient, genuine: dict[str, Any]
) -> None:
    _serve(genuine["query"])
    assert len(canned.query_licences(DEMO, consent()).licences) == 6
    with pytest.raises(PlatformProtocolError, match="did not ask for"):
        canned.query_licences(DEMO, consent([samples.HUKOU]))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("document.size", 1),
        ("document.sha256", "0" * 64),
        ("document.content_base64", "not base64!"),
        ("document.content_base64", "SGVsbG8="),  # decodes, but to other bytes
        ("document.media_type", "application/ofd"),
        ("licence.licence_id", make_licence_id(samples.HUKOU, samples.XIHU_POLICE.code, "2008000789")),
        ("licence.document", None),
    ],
)
def test_a_fetched_document_that_does_not_match_is_a_protocol_error(
    canned: PlatformClient, genuine: dict[str, Any], path: str, value: object
) -> None:
    _serve(_broken(genuine["fetch"], path, value))
    with pytest.raises(PlatformProtocolError):
        canned.fetch_licence(HUKOU_ID, DEMO, consent())


def test_a_document_that_is_not_a_pdf_is_a_protocol_error(canned: PlatformClient, genuine: dict[str, Any]) -> None:
    import base64
    import hashlib

    html = b"<html>not a pdf</html>"
    document = {**genuine["fetch"]["document"], "size": len(html), "sha256": hashlib.sha256(html).hexdigest(),
                "content_base64": base64.b64encode(html).decode()}
    _serve({**genuine["fetch"], "document": document})
    with pytest.raises(PlatformProtocolError, match="not a PDF"):
        canned.fetch_licence(HUKOU_ID, DEMO, consent())


def test_an_answer_over_16_mib_is_refused_without_reading_it_whole(canned: PlatformClient) -> None:
    _serve(b'{"licence": "' + b"A" * (17 * 1024 * 1024) + b'"}')
    with pytest.raises(PlatformProtocolError, match="larger than"):
        canned.fetch_licence(HUKOU_ID, DEMO, consent())


# -- use records through the outbox ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _engine(cache: OfflineCache, url: str, wall: Callable[[], datetime]) -> SyncEngine:
    return SyncEngine(cache, PlatformClient(url, TERMINAL, TOKEN, timeout=(2.0, 10.0)), SYNC,
                      rng=random.Random(7), wall=wall)


def test_use_records_reach_the_platform_exactly_once_after_an_outage(tmp_path: Path) -> None:
    port = _free_port()
    now = [datetime.now(UTC)]
    cache = OfflineCache.open(tmp_path / "kiosk", terminal_id=TERMINAL, clock=lambda: now[0])
    with RunningPlatform(tmp_path / "p.db", port=port, terminals=[(TERMINAL, TOKEN)],
                         admin_token=ADMIN_TOKEN) as platform:
        given = consent()
        with PlatformClient(platform.url, TERMINAL, TOKEN) as client:
            cited = [lic for lic in client.query_licences(DEMO, given).licences if lic.name in ("居民户口簿", "结婚证")]
        admin = Admin(platform.url)
        admin.faults(error_rate=1)  # the link drops between the look-up and the submission
        engine = _engine(cache, f"http://127.0.0.1:{port}", lambda: now[0])
        declaration = cache.outbox.add_submission(
            "330000-GA-QR-0005", {"delivery": {"method": "pickup"}}, {"name": "测试样例"},
            licence_uses=[LicenceUse(lic.licence_id, given.id) for lic in cited],
        )
        assert not engine.run_round().reached_platform
        assert engine.status().depth == 4  # the declaration, two use records, a heartbeat
        admin.faults(error_rate=0, malformed_rate=1)  # stored, but every answer is lost on the way back
        now[0] += timedelta(hours=1)
        assert not engine.run_round().reached_platform
        admin.faults(malformed_rate=0)
        for _ in range(4):
            now[0] += timedelta(hours=1)
            engine.run_round()
        assert engine.status().depth == 0
        stats = admin.stats()
        assert stats["licence_uses"] == 2
        assert stats["submissions"] == 1
        uses = [item for item in _items(cache) if item.kind == "licence_use"]
        assert {item.state for item in uses} == {"accepted"}
        recorded = [admin.licence_use(item.uuid)["body"] for item in uses]
        assert {r["licence_id"] for r in recorded} == {lic.licence_id for lic in cited}
        assert all(r["declaration"] == {"idempotency_key": declaration.uuid,
                                        "local_receipt_no": declaration.receipt_no} for r in recorded)
        assert all(r["consent_id"] == given.id and r["service_code"] == "330000-GA-QR-0005" for r in recorded)
        admin.close()
        engine.stop()
    cache.close()


def test_a_refused_use_record_is_quarantined_and_holds_nothing_up(tmp_path: Path) -> None:
    cache = OfflineCache.open(tmp_path / "kiosk", terminal_id=TERMINAL)
    with RunningPlatform(tmp_path / "p.db", terminals=[(TERMINAL, TOKEN)], admin_token=ADMIN_TOKEN) as platform:
        never_sent = consent()  # the platform never saw this consent
        cache.outbox.add_submission("S1", {}, {}, licence_uses=[LicenceUse(HUKOU_ID, never_sent.id)])
        later = cache.outbox.add_rating({"grade": 5, "channel": "onsite", "indicators": {}, "reasons": [],
                                         "comment": ""})
        engine = _engine(cache, platform.url, lambda: datetime.now(UTC))
        result = engine.run_round()
        assert (result.reached_platform, result.rejected) == (True, 1)
        [refused] = cache.outbox.rejected()
        assert refused.kind == "licence_use"
        assert refused.last_error is not None
        assert refused.last_error.startswith("consent_unknown")
        assert cache.outbox.get(later.uuid).state == "accepted"
        engine.stop()
    cache.close()


def _items(cache: OfflineCache) -> list[Any]:
    with cache.db.read() as conn:
        uuids = [row[0] for row in conn.execute("SELECT uuid FROM outbox_item ORDER BY seq")]
    return [cache.outbox.get(u) for u in uuids]
