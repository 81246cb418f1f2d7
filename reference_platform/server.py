"""The HTTP side of the reference platform: stdlib `ThreadingHTTPServer`, HTTP/1.1 keep-alive, JSON.

Routes, bodies and error codes follow docs/platform-api.md. One thread per client connection, one SQLite
connection per thread (closed when the connection ends).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import re
import socket
import sqlite3
import ssl
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from reference_platform.authority import Authority
from reference_platform.contract import (
    API_PREFIX,
    MAX_ATTACHMENT_BYTES,
    MAX_JSON_BYTES,
    NUMBER_RE,
    SHA256_RE,
    TERMINAL_ID_RE,
)
from reference_platform.faults import Faults
from reference_platform.licences import LicenceDesk
from reference_platform.store import Store
from reference_platform.validation import (
    ApiError,
    bad_request,
    body_uuid,
    canonical_hash,
    check_uuid,
    parse_json_object,
    submission_attachments,
    validate_catalog_item,
    validate_certificate_issue,
    validate_certificates_available,
    validate_heartbeat,
    validate_licence_fetch,
    validate_licence_query,
    validate_licence_use,
    validate_rating,
    validate_submission,
)

log = logging.getLogger("reference_platform")


@dataclass
class Answer:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering
    raw: bytes | None = None  # sent as is instead of `body` (the malformed-answer fault)


Route = Callable[["Handler", re.Match[str], bytes, str], Answer]


class PlatformServer(ThreadingHTTPServer):
    # Non-daemon handler threads, joined by server_close(): a stopped server leaves nothing behind.
    daemon_threads = False
    block_on_close = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        faults: Faults | None = None,
        *,
        authority: Authority,
        admin_token: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.store = store
        self.authority = authority
        self.licences = LicenceDesk(store, authority)
        self.faults = faults or Faults()
        self.admin_token = admin_token
        self.tls = tls
        self.stopping = threading.Event()
        self._active: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.requests_served = 0
        self.statuses: Counter[int] = Counter()
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host!s}:{port}"

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        if self.tls is not None:
            # The handshake happens in the connection's own thread (Handler.setup), not in the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._active.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._active.discard(request)
            self.store.close_thread_connection()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (or a failed TLS handshake) is routine for this server, not a bug.
        log.debug("connection from %s ended with %r", client_address, sys.exc_info()[1])

    def count(self, status: int) -> None:
        with self._lock:
            self.requests_served += 1
            self.statuses[status] += 1

    def stop(self) -> None:
        """Stop serving (call from another thread than serve_forever), end open connections, join them."""
        self.stopping.set()
        self.shutdown()
        self.close_connections()
        self.server_close()

    def close_connections(self) -> None:
        with self._lock:
            active = list(self._active)
        for sock in active:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _no_content_length() -> ApiError:
    return ApiError(411, "length_required", "a request body needs a Content-Length")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "reference-platform/1"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is closed after this many seconds
    server: PlatformServer
    terminal_id: str = ""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # counted and logged in _write

    # Errors the base class raises itself (bad request line, unsupported method) in the contract's format.
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        codes = {400: "bad_request", 414: "uri_too_long", 431: "headers_too_large", 501: "method_not_allowed"}
        status = 405 if code == 501 else code
        self.close_connection = True
        self._write(Answer(status, ApiError(status, codes.get(code, "bad_request"), message or "").body()))

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    # -- plumbing ------------------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        started = time.perf_counter()
        path, _, query = self.path.partition("?")
        answer: Answer
        try:
            body = self._read_body(path)
            if path.startswith("/admin/"):
                self._check_admin()
                answer = self._route(ADMIN_ROUTES, path, body, query)
            elif path.startswith(API_PREFIX + "/"):
                faults = self.server.faults
                if faults.latency_ms > 0:
                    self.server.stopping.wait(faults.latency_ms / 1000.0)
                error = faults.injected_error()
                if error is not None:
                    raise error
                self.terminal_id = self._authenticate()
                answer = self._route(API_ROUTES, path, body, query)
                kind = faults.should_malform() if 200 <= answer.status < 300 and answer.body else None
                if kind is not None:
                    answer = self._malformed(answer, kind)
            else:
                raise ApiError(404, "not_found", "no such endpoint")
        except ApiError as exc:
            answer = Answer(exc.status, exc.body(), exc.headers)
        except sqlite3.OperationalError as exc:
            log.info("database busy: %s", exc)
            answer = Answer(503, ApiError(503, "unavailable", "database busy").body(), {"Retry-After": "1"})
        except Exception:
            log.exception("unexpected error in %s %s", self.command, path)
            answer = Answer(500, ApiError(500, "internal_error", "internal error").body())
        self._write(answer)
        log.debug(
            "%s %s -> %s in %.1f ms",
            self.command,
            path,
            "dropped" if answer.drop else answer.status,
            (time.perf_counter() - started) * 1000,
        )

    def _read_body(self, path: str) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise _no_content_length()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            if self.command in ("POST", "PUT"):
                self.close_connection = True
                raise _no_content_length()
            return b""
        try:
            length = int(length_text)
        except ValueError:
            self.close_connection = True
            raise ApiError(400, "bad_request", "invalid Content-Length") from None
        limit = MAX_ATTACHMENT_BYTES if path.startswith(API_PREFIX + "/attachments/") else MAX_JSON_BYTES
        if length < 0 or length > limit:
            self.close_connection = True
            raise ApiError(413, "payload_too_large", f"the body is larger than {limit} bytes")
        data = self.rfile.read(length)
        if len(data) != length:
            self.close_connection = True
            raise ApiError(400, "bad_request", "the body ended early")
        return data

    def _bearer(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def _authenticate(self) -> str:
        terminal_id = self.headers.get("X-Terminal-Id", "")
        token = self._bearer()
        # A malformed id is answered like an unknown one: it cannot name a registered terminal.
        if (
            not TERMINAL_ID_RE.fullmatch(terminal_id)
            or token is None
            or not self.server.store.check_terminal(terminal_id, token)
        ):
            raise ApiError(
                401,
                "unauthorized",
                "unknown terminal or wrong token",
                headers={"WWW-Authenticate": 'Bearer realm="platform"'},
            )
        return terminal_id

    def _check_admin(self) -> None:
        expected = self.server.admin_token
        if expected is None:
            raise ApiError(403, "admin_disabled", "the admin endpoints need --admin-token")
        token = self._bearer()
        if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
            raise ApiError(401, "unauthorized", "wrong admin token")

    def _route(self, routes: list[tuple[str, re.Pattern[str], Route]], path: str, body: bytes, query: str) -> Answer:
        allowed = []
        for method, pattern, handler in routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method == self.command:
                return handler(self, match, body, query)
            allowed.append(method)
        if allowed:
            raise ApiError(405, "method_not_allowed", "method not allowed here", headers={"Allow": ", ".join(allowed)})
        raise ApiError(404, "not_found", "no such endpoint")

    @staticmethod
    def _malformed(answer: Answer, kind: str) -> Answer:
        assert answer.body is not None
        if kind == "missing_fields":
            first = next(iter(answer.body))
            return Answer(answer.status, {k: v for k, v in answer.body.items() if k != first}, answer.headers)
        return Answer(answer.status, headers=answer.headers, raw=b'{"case_no": "RP2026')  # cut short

    def _write(self, answer: Answer) -> None:
        self.server.count(0 if answer.drop else answer.status)
        if answer.drop:
            self.close_connection = True
            return
        if answer.raw is not None:
            payload = answer.raw
        else:
            payload = b"" if answer.body is None else json.dumps(answer.body, ensure_ascii=False).encode()
        try:
            phrase = HTTPStatus(answer.status).phrase
        except ValueError:
            phrase = ""
        lines = [
            f"HTTP/1.1 {answer.status} {phrase}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
        ]
        if payload:
            lines.append("Content-Type: application/json; charset=utf-8")
        lines += [f"{k}: {v}" for k, v in answer.headers.items()]
        if self.command == "HEAD":
            payload = b""
        lines.append(f"Content-Length: {len(payload)}")
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)

    # -- API -----------------------------------------------------------------------------------------------

    # Steps 4-8 of the contract's order of checks, in that order: path parameters, Content-Type, headers and
    # query, the body itself. Each handler then does replay, validation, attachments, business rules.

    @staticmethod
    def _path_param(match: re.Match[str], group: str, pattern: re.Pattern[str], field: str) -> str:
        value = unquote(match[group])
        if not pattern.fullmatch(value):
            raise bad_request(f"the path's {field} is malformed", field)
        return value

    def _check_json_content_type(self) -> None:
        content_type = self.headers.get("Content-Type", "")
        media_type, *params = (part.strip().lower() for part in content_type.split(";"))
        charsets = [p.partition("=")[2].strip().strip('"') for p in params if p.partition("=")[0].strip() == "charset"]
        if media_type != "application/json" or any(charset != "utf-8" for charset in charsets):
            raise ApiError(415, "unsupported_media_type", "a JSON body is sent as application/json (charset utf-8)")

    def _json_body(self, body: bytes) -> dict[str, Any]:
        self._check_json_content_type()
        return parse_json_object(body)

    def api_catalog(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        values = parse_qs(query, keep_blank_values=True).get("since", ["0"])
        # Decimal ASCII digits only: int() would also take "+5", " 5", "5_0" and other scripts' digits.
        if not re.fullmatch(r"[0-9]{1,30}", values[-1]):
            raise bad_request("since must be a decimal integer >= 0", "since")
        return Answer(200, self.server.store.catalog_changes(int(values[-1])))

    def _sha(self, match: re.Match[str]) -> str:
        return self._path_param(match, "sha", SHA256_RE, "sha256")

    def api_attachment_head(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        present = self.server.store.has_attachment(self._sha(match))
        return Answer(200 if present else 404)

    def api_attachment_put(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        sha = self._sha(match)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/octet-stream":
            raise ApiError(415, "unsupported_media_type", "attachments are sent as application/octet-stream")
        actual = hashlib.sha256(body).hexdigest()
        if actual != sha:
            raise ApiError(422, "hash_mismatch", "the body's SHA-256 differs from the one in the path")
        created = self.server.store.put_attachment(sha, body, self.terminal_id)
        return Answer(201 if created else 200, {"sha256": sha, "size": len(body)})

    def api_submit(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        store = self.server.store
        self._check_json_content_type()
        key = check_uuid(self.headers.get("Idempotency-Key"), "the Idempotency-Key header")
        data = parse_json_object(body)
        body_sha = canonical_hash(data)
        # A stored submission is answered as it was, whatever the checks below would say now.
        replay = store.replay_submission(key, body_sha, self.terminal_id)
        if replay is not None:
            return Answer(200, replay)
        validate_submission(data, self.terminal_id)
        if data.get("supersedes") is not None:
            store.check_supersedes(key, data["supersedes"].lower(), self.terminal_id)
        attachments = submission_attachments(data)
        missing = store.missing_attachments(attachments)
        if missing:
            raise ApiError(
                409,
                "attachment_missing",
                f"{len(missing)} referenced attachment(s) are not uploaded",
                extra={"missing": missing},
            )
        # Business rules come after the attachment check: they may need the attachments.
        rejection = self.server.faults.rejection_for(key, data["service_code"])
        if rejection is not None:
            raise ApiError(rejection.status, rejection.code, rejection.message)
        created, answer = store.submit(key, data, body_sha, self.terminal_id, attachments)
        if created and self.server.faults.should_drop(key):
            return Answer(0, drop=True)
        return Answer(201 if created else 200, answer)

    def api_rating(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        uuid = body_uuid(data)
        body_sha = canonical_hash(data)
        replay = self.server.store.replay_rating(uuid, body_sha, self.terminal_id)
        if replay is not None:
            return Answer(200, replay)
        validate_rating(data, self.terminal_id)
        created, answer = self.server.store.record_rating(uuid, data, body_sha, self.terminal_id)
        return Answer(201 if created else 200, answer)

    def api_case(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        # Looked up exactly as sent: case and receipt numbers are opaque, never case-folded.
        number = self._path_param(match, "number", NUMBER_RE, "number")
        case = self.server.store.get_case(number)
        if case is None:
            raise ApiError(404, "case_not_found", "no case with this case or receipt number")
        return Answer(200, case)

    def api_heartbeat(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        if self._path_param(match, "terminal", TERMINAL_ID_RE, "id") != self.terminal_id:
            raise ApiError(403, "forbidden", "a terminal may only send its own heartbeat")
        data = self._json_body(body)
        uuid = body_uuid(data)
        body_sha = canonical_hash(data)
        replay = self.server.store.replay_heartbeat(uuid, body_sha, self.terminal_id)
        if replay is not None:
            return Answer(200, replay)
        validate_heartbeat(data)
        created, answer = self.server.store.record_heartbeat(uuid, data, body_sha, self.terminal_id)
        return Answer(201 if created else 200, answer)

    # Electronic licences and certificates: after the body, replay (uses, issues), then field validation; the
    # business checks and the answers are the licence desk's (reference_platform/licences.py).

    def api_licence_query(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        type_codes = validate_licence_query(data, self.terminal_id)
        return Answer(200, self.server.licences.query(data, type_codes, self.terminal_id))

    def api_licence_fetch(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        parts = validate_licence_fetch(data, self.terminal_id)
        return Answer(200, self.server.licences.fetch(data, parts, self.terminal_id))

    def api_licence_use(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        uuid = body_uuid(data)
        body_sha = canonical_hash(data)
        replay = self.server.store.replay_licence_use(uuid, body_sha, self.terminal_id)
        if replay is not None:
            return Answer(200, replay)
        parts = validate_licence_use(data, self.terminal_id)
        created, answer = self.server.licences.record_use(uuid, data, body_sha, self.terminal_id, parts)
        return Answer(201 if created else 200, answer)

    def api_certificates_available(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        validate_certificates_available(data, self.terminal_id)
        return Answer(200, self.server.licences.available(data, self.terminal_id))

    def api_certificate_issue(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = self._json_body(body)
        uuid = body_uuid(data)
        body_sha = canonical_hash(data)
        replay = self.server.store.replay_certificate(uuid, body_sha, self.terminal_id)
        if replay is not None:
            return Answer(200, replay)
        validate_certificate_issue(data, self.terminal_id)
        created, answer = self.server.licences.issue(uuid, data, body_sha, self.terminal_id)
        return Answer(201 if created else 200, answer)

    # -- admin ---------------------------------------------------------------------------------------------

    def admin_stats(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        per_key = parse_qs(query).get("per_key", ["1"])[-1] not in ("0", "false")
        stats = self.server.store.stats(per_key=per_key)
        with self.server._lock:
            stats["requests"] = self.server.requests_served
            stats["requests_by_status"] = {str(k): v for k, v in sorted(self.server.statuses.items())}
        stats["catalog_version"] = self.server.store.catalog_version()
        return Answer(200, stats)

    def admin_faults_get(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        return Answer(200, self.server.faults.as_dict())

    def admin_faults_post(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        self.server.faults.update(parse_json_object(body))
        return Answer(200, self.server.faults.as_dict())

    def admin_catalog(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = parse_json_object(body)
        upsert, delete = data.get("upsert", []), data.get("delete", [])
        if not isinstance(upsert, list) or not isinstance(delete, list):
            raise ApiError(422, "validation_failed", "upsert and delete are lists")
        for i, item in enumerate(upsert):
            validate_catalog_item(item, f"upsert[{i}]")
        if not all(isinstance(code, str) and code for code in delete):
            raise ApiError(422, "validation_failed", "delete: a list of item codes", extra={"field": "delete"})
        return Answer(200, {"version": self.server.store.publish_catalog(upsert, delete)})

    def admin_catalog_prune(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        through = parse_json_object(body).get("through")
        if isinstance(through, bool) or not isinstance(through, int):
            raise ApiError(422, "validation_failed", "through: a catalogue version", extra={"field": "through"})
        pruned = self.server.store.prune_catalog(through)
        return Answer(200, {"pruned": pruned, "kept_from": self.server.store.catalog_kept_from()})

    def admin_case_status(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = parse_json_object(body)
        status, note = data.get("status"), data.get("note", "")
        if not isinstance(status, str) or not isinstance(note, str):
            raise ApiError(422, "validation_failed", "status (string) is required; note is a string")
        return Answer(200, self.server.store.advance_case(unquote(match["number"]), status, note))

    def admin_terminal(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        data = parse_json_object(body)
        terminal_id, token = data.get("id"), data.get("token")
        if not isinstance(terminal_id, str) or not TERMINAL_ID_RE.fullmatch(terminal_id):
            raise ApiError(422, "validation_failed", "id: 1-32 letters, digits, _ or -", extra={"field": "id"})
        if not isinstance(token, str) or not token or any(c.isspace() for c in token):
            raise ApiError(422, "validation_failed", "token: a non-empty string without spaces")
        self.server.store.register_terminal(terminal_id, token)
        return Answer(201, {"id": terminal_id})

    def admin_submission(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.submission(unquote(match["key"]).lower())
        if found is None:
            raise ApiError(404, "not_found", "no submission with this idempotency key")
        return Answer(200, found)

    def admin_rating(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.rating(unquote(match["uuid"]).lower())
        if found is None:
            raise ApiError(404, "not_found", "no rating with this uuid")
        return Answer(200, found)

    def admin_trust_anchor(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        authority = self.server.authority
        return Answer(200, {"pem": authority.root_pem().decode("ascii"), "sha256": authority.root_fingerprint()})

    def admin_licence_use(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.licence_use(unquote(match["uuid"]).lower())
        if found is None:
            raise ApiError(404, "not_found", "no licence use with this uuid")
        return Answer(200, found)

    def admin_certificate(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.certificate(unquote(match["uuid"]).lower())
        if found is None:
            raise ApiError(404, "not_found", "no certificate issued with this uuid")
        return Answer(200, found)

    def admin_consent(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.consent(unquote(match["id"]).lower())
        if found is None:
            raise ApiError(404, "not_found", "no consent with this id")
        return Answer(200, {"body": found["body"], "holder_id_number": found["holder"]})

    def admin_heartbeat(self, match: re.Match[str], body: bytes, query: str) -> Answer:
        found = self.server.store.last_heartbeat(unquote(match["terminal"]))
        if found is None:
            raise ApiError(404, "not_found", "no heartbeat from this terminal")
        return Answer(200, found)


def _routes(*table: tuple[str, str, Route]) -> list[tuple[str, re.Pattern[str], Route]]:
    return [(method, re.compile(pattern), handler) for method, pattern, handler in table]


API_ROUTES = _routes(
    ("GET", API_PREFIX + r"/catalog", Handler.api_catalog),
    ("HEAD", API_PREFIX + r"/attachments/(?P<sha>[^/]+)", Handler.api_attachment_head),
    ("PUT", API_PREFIX + r"/attachments/(?P<sha>[^/]+)", Handler.api_attachment_put),
    ("POST", API_PREFIX + r"/submissions", Handler.api_submit),
    ("POST", API_PREFIX + r"/ratings", Handler.api_rating),
    ("GET", API_PREFIX + r"/cases/(?P<number>[^/]+)", Handler.api_case),
    ("POST", API_PREFIX + r"/terminals/(?P<terminal>[^/]+)/heartbeat", Handler.api_heartbeat),
    ("POST", API_PREFIX + r"/licences/query", Handler.api_licence_query),
    ("POST", API_PREFIX + r"/licences/fetch", Handler.api_licence_fetch),
    ("POST", API_PREFIX + r"/licences/uses", Handler.api_licence_use),
    ("POST", API_PREFIX + r"/certificates/available", Handler.api_certificates_available),
    ("POST", API_PREFIX + r"/certificates/issue", Handler.api_certificate_issue),
)
ADMIN_ROUTES = _routes(
    ("GET", r"/admin/stats", Handler.admin_stats),
    ("GET", r"/admin/faults", Handler.admin_faults_get),
    ("POST", r"/admin/faults", Handler.admin_faults_post),
    ("POST", r"/admin/catalog", Handler.admin_catalog),
    ("POST", r"/admin/catalog/prune", Handler.admin_catalog_prune),
    ("POST", r"/admin/cases/(?P<number>[^/]+)/status", Handler.admin_case_status),
    ("POST", r"/admin/terminals", Handler.admin_terminal),
    ("GET", r"/admin/submissions/(?P<key>[^/]+)", Handler.admin_submission),
    ("GET", r"/admin/ratings/(?P<uuid>[^/]+)", Handler.admin_rating),
    ("GET", r"/admin/terminals/(?P<terminal>[^/]+)/heartbeat", Handler.admin_heartbeat),
    ("GET", r"/admin/trust-anchor", Handler.admin_trust_anchor),
    ("GET", r"/admin/licence-uses/(?P<uuid>[^/]+)", Handler.admin_licence_use),
    ("GET", r"/admin/certificates/(?P<uuid>[^/]+)", Handler.admin_certificate),
    ("GET", r"/admin/consents/(?P<id>[^/]+)", Handler.admin_consent),
)
