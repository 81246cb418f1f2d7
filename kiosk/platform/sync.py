"""The sync engine: delivers the outbox to the provincial platform exactly once, and pulls updates.

A background thread (plain `threading`, no Qt) runs rounds. One round:

1. queues a heartbeat when one is due (queued like everything else, so it waits out an outage);
2. drains the outbox oldest first: attachments are uploaded (content-addressed, skipped when the
   platform has them) before the submission that needs them, and each item is sent with its own
   UUID as idempotency key, so a retry after a lost answer gets the case number already issued;
3. pulls catalogue changes, which also tells whether the platform is reachable when the outbox is
   empty. An update the catalogue refuses (docs/catalog-format.md) is logged and asked for again with
   backoff; it never ends the round.

Failures decide the next step by their type (kiosk.platform.client):
transient (no answer, 5xx, 429, malformed answer) → the item goes back to pending with a per-item
backoff and the round stops, the engine retrying after a full-jitter backoff (kiosk.platform.schedule);
a 4xx → the item is quarantined with the platform's reason and the round goes on with the next one;
bad credentials → nothing is quarantined, the engine backs off and shows the reason.

Thread use: `start`, `stop`, `wake`, `status` and `add_listener` are for any thread. Listeners are
called on the sync thread; the screen layer marshals them to the GUI thread with a signal.
`run_round` may also be called directly (tests, `kiosk sync now`) when the thread is not running.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.background import BackgroundThread, Backoff
from kiosk.config import SyncConfig
from kiosk.platform.errors import (
    AttachmentMissing,
    PlatformAuthError,
    PlatformError,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.platform.models import MAX_DEVICE_DETAIL
from kiosk.platform.schedule import DrainSchedule
from kiosk.status import DeviceStatus, NetworkState
from offline_cache.errors import CacheError, CatalogError, TamperedDataError
from offline_cache.outbox import OutboxItem
from offline_cache.store import OfflineCache
from offline_cache.timeutil import utc_now

if TYPE_CHECKING:
    from kiosk.platform.client import PlatformClient

log = logging.getLogger(__name__)

# sync_state keys owned by the engine
_HEARTBEAT_QUEUED_AT = "engine.heartbeat_queued_at"
_CATALOG_FROM_PLATFORM = "engine.catalog_from_platform"
_LAST_HEARTBEAT = "engine.last_heartbeat_uuid"
_CATALOG_PULLED_AT = "engine.catalog_pulled_at"
# {"reason", "attempts", "retry_at"} while the platform's catalogue update is being refused.
_CATALOG_REFUSED = "engine.catalog_refused"
# Longest a single wait lasts, so stop() and wake() are noticed promptly.
_WAIT_STEP_S = 0.5
# Answered failures of one item (5xx, malformed answers) before it backs off on its own.
_ITEM_FAILURES_BEFORE_OWN_BACKOFF = 3
# What `sync now`, `sync status` and the setup screen say when the platform refuses the credentials.
CREDENTIALS_REFUSED_TEXT = "终端凭据被拒绝，请检查终端凭据 / credentials refused: check the terminal's credentials"


@dataclass(frozen=True)
class SyncStatus:
    """What the status strip, the setup screen and `kiosk sync status` show."""

    network: NetworkState
    depth: int
    oldest_unsent_at: datetime | None
    rejected: int
    last_contact: datetime | None
    last_error: str | None
    running: bool

    def oldest_unsent_age_s(self, now: datetime) -> float | None:
        return None if self.oldest_unsent_at is None else max(0.0, (now - self.oldest_unsent_at).total_seconds())


@dataclass(frozen=True)
class RoundResult:
    reached_platform: bool
    sent: int
    rejected: int
    more_due: bool
    retry_after: float | None = None
    error: str | None = None


class _StopRound(Exception):
    """The platform could not be reached (or refused our credentials): end the round, back off."""

    def __init__(self, error: PlatformError) -> None:
        super().__init__(str(error))
        self.error = error


class SyncEngine:
    """Drains `cache.outbox` to `client`; see the module docstring for the rules."""

    def __init__(
        self,
        cache: OfflineCache,
        client: PlatformClient | None,
        config: SyncConfig,
        *,
        devices: Callable[[], Mapping[str, DeviceStatus]] = dict,
        help_requests: Callable[[], int] = lambda: 0,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = utc_now,
    ) -> None:
        self._cache = cache
        self._client = client
        self._config = config
        self._devices = devices
        self._help_requests = help_requests
        self._rng = rng or random.Random()
        self._monotonic = monotonic
        self._wall = wall
        self._backoff = Backoff(config.backoff_base_s, config.backoff_cap_s)
        self._schedule = DrainSchedule(self._backoff, config.interval_s, self._rng)
        self._network = NetworkState.DISABLED if client is None else NetworkState.UNKNOWN
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._lock = threading.Lock()
        self._thread = BackgroundThread("kiosk-sync")
        self._round_lock = threading.Lock()
        self._started = False

    # --- control (any thread) -----------------------------------------------------------------

    def start(self) -> None:
        """Recovers items a crash left in 'sending', then starts the sync thread."""
        if self._thread.started:
            return
        self._started = True
        recovered = self._cache.outbox.recover_interrupted()
        if recovered:
            log.info("sync: %d item(s) interrupted by the last shutdown will be sent again", recovered)
        if self._client is None:
            # No platform configured: everything stays in the outbox until one is.
            return
        self._thread.start(self._run)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Asks the thread to finish the item in hand and stop; waits up to `timeout_s`."""
        self._thread.stop(timeout_s)
        if self._client is not None:
            self._client.close()

    def reconfigure(self, client: PlatformClient | None, config: SyncConfig, timeout_s: float = 10.0) -> None:
        """Takes a new platform (address, credentials) and sync settings without a restart.

        The engine object stays, so its listeners (the status strip, the setup screen) keep hearing it:
        the thread finishes the item in hand and stops, the client and schedule are replaced, and the
        thread starts again if the engine had been started. Nothing in the outbox changes: items keep
        their keys, so the new platform dedupes them like the old one would have.
        """
        self._thread.stop(timeout_s)
        with self._round_lock:
            old, self._client = self._client, client
            self._config = config
            self._backoff = Backoff(config.backoff_base_s, config.backoff_cap_s)
            self._schedule = DrainSchedule(self._backoff, config.interval_s, self._rng)
            self._network = NetworkState.DISABLED if client is None else NetworkState.UNKNOWN
        if old is not None and old is not client:
            old.close()
        log.info("sync: platform settings replaced (%s)", "platform configured" if client else "offline only")
        if self._started:
            self.start()
        self._notify()

    def wake(self) -> None:
        """Start a round now (`sync now`, or a resident just submitted)."""
        self._schedule.failures = 0
        self._thread.wake.set()

    def add_listener(self, listener: Callable[[SyncStatus], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def status(self) -> SyncStatus:
        stats = self._cache.outbox.stats()
        last_error = self._cache.sync_state.last_error
        return SyncStatus(
            network=self._network,
            depth=stats.depth,
            oldest_unsent_at=stats.oldest_unsent_at,
            rejected=stats.by_state["rejected"],
            last_contact=self._cache.sync_state.last_contact,
            last_error=None if last_error is None else last_error[0],
            running=self._thread.alive,
        )

    # --- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        next_round = self._monotonic()
        while not self._thread.stopping.is_set():
            remaining = next_round - self._monotonic()
            if remaining > 0 and not self._thread.wake.is_set():
                self._thread.wake.wait(min(remaining, _WAIT_STEP_S))
                continue
            self._thread.wake.clear()
            try:
                result = self.run_round()
            except Exception:
                # A bug must not end delivery for good: log it, back off, try again.
                log.exception("sync: round failed unexpectedly")
                next_round = self._schedule.after_failure(self._monotonic())
                continue
            now = self._monotonic()
            if result.reached_platform:
                next_round = self._schedule.after_success(now, more_due=result.more_due)
            else:
                next_round = self._schedule.after_failure(now, retry_after=result.retry_after)
        self._cache.db.close_thread_connection()

    # --- one round ----------------------------------------------------------------------------

    def run_round(self) -> RoundResult:
        """One heartbeat check, outbox drain and catalogue pull; returns what happened."""
        with self._round_lock:
            result = self._round()
        self._notify()
        return result

    def _round(self) -> RoundResult:
        if self._client is None:
            return RoundResult(reached_platform=False, sent=0, rejected=0, more_due=False, error="no platform")
        # Rounds never overlap, so an item still 'sending' here was cut short by a failed commit
        # (disk full, say) in an earlier round: send it again under the same key.
        self._cache.outbox.recover_interrupted()
        self._queue_heartbeat_if_due()
        sent = rejected = 0
        try:
            while not self._thread.stopping.is_set():
                item = self._cache.outbox.next_due(self._wall())
                if item is None:
                    break
                outcome = self._deliver(item)
                if outcome == "accepted":
                    sent += 1
                elif outcome == "rejected":
                    rejected += 1
            self._pull_catalog(delivered=sent + rejected > 0)
        except _StopRound as stop:
            self._went_offline(stop.error)
            retry_after = stop.error.retry_after if isinstance(stop.error, PlatformUnavailable) else None
            return RoundResult(False, sent, rejected, more_due=False, retry_after=retry_after, error=str(stop.error))
        self._came_online()
        more_due = self._cache.outbox.next_due(self._wall()) is not None
        return RoundResult(True, sent, rejected, more_due=more_due and not self._thread.stopping.is_set())

    def _went_offline(self, error: PlatformError) -> None:
        if isinstance(error, PlatformAuthError):
            # The platform answered and said no: a state of its own, not "offline" (docs/platform-api.md).
            self._network = NetworkState.CREDENTIALS_REFUSED
            message = f"{CREDENTIALS_REFUSED_TEXT} ({error})"
            log.warning("sync: the platform refused this terminal's credentials (%s); nothing is sent until they "
                        "are fixed", error.code)
        else:
            self._network = NetworkState.OFFLINE
            message = str(error)
            log.info("sync: platform not reachable (%s); will retry with backoff", error.code)
        self._cache.sync_state.record_error(message, self._wall(), link=self._network.value)

    def _came_online(self) -> None:
        self._network = NetworkState.ONLINE
        self._cache.sync_state.record_contact(self._wall())

    def _notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        if not listeners:
            return
        status = self.status()
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                # One broken observer must not stop delivery.
                log.exception("sync: status listener %r failed", listener)

    # --- items --------------------------------------------------------------------------------

    def _deliver(self, item: OutboxItem) -> str:
        """Sends one item; returns "accepted", "rejected" or "deferred". Raises _StopRound to end the round."""
        assert self._client is not None
        outbox = self._cache.outbox
        item = outbox.mark_sending(item.uuid)
        case_no: str | None
        answer: dict[str, Any]
        try:
            if item.kind == "submission":
                case_no, answer = self._send_submission(item)
            elif item.kind == "rating":
                case_no, answer = self._send_rating(item)
            elif item.kind == "licence_use":
                case_no, answer = self._send_licence_use(item)
            else:
                case_no, answer = self._send_heartbeat(item)
        except PlatformRejected as exc:
            outbox.mark_rejected(item.uuid, f"{exc.code}: {exc.message}")
            log.info("sync: %s %s rejected by the platform (%s)", item.kind, item.receipt_no, exc.code)
            return "rejected"
        except TamperedDataError as exc:
            # Local data that can never be sent as it is: quarantine it for a technician to look at.
            outbox.mark_rejected(item.uuid, f"local: {exc}")
            log.error("sync: %s %s cannot be read back from the outbox: %s", item.kind, item.receipt_no, exc)
            return "rejected"
        except PlatformError as exc:
            outbox.mark_retry(item.uuid, str(exc), self._wall() + timedelta(seconds=self._item_delay(item, exc)))
            raise _StopRound(exc) from exc
        except (CacheError, OSError, ValueError) as exc:
            delay = self._backoff.delay(item.attempts, self._rng)
            outbox.mark_retry(item.uuid, f"local: {exc}", self._wall() + timedelta(seconds=delay))
            log.error("sync: %s %s failed locally: %s", item.kind, item.receipt_no, exc)
            return "deferred"
        outbox.mark_accepted(item.uuid, case_no, answer)
        return "accepted"

    def _item_delay(self, item: OutboxItem, error: PlatformError) -> float:
        """How long this item waits after a transient failure, on top of the engine's own backoff.

        A link failure (no answer at all) is not the item's fault: it stays due at once, so when the
        link returns the oldest item still goes first. Only when the platform answered and still
        failed on this item several times in a row does the item back off alone, so that one item
        the platform keeps choking on cannot hold up the queue behind it.
        """
        if error.status is None or item.attempts < _ITEM_FAILURES_BEFORE_OWN_BACKOFF:
            return 0.0
        return self._backoff.delay(item.attempts - _ITEM_FAILURES_BEFORE_OWN_BACKOFF + 1, self._rng)

    def _send_submission(self, item: OutboxItem) -> tuple[str | None, dict[str, Any]]:
        assert self._client is not None
        body = self.submission_body(item)
        for ref in item.attachments:
            self._upload(ref.sha256)
        try:
            answer = self._client.submit(item.uuid, body)
        except AttachmentMissing as missing:
            # The platform lost (or never kept) some blobs: upload exactly those and ask once more.
            for sha256 in missing.missing:
                self._client.put_attachment(sha256, self._cache.outbox.read_attachment(sha256))
            answer = self._client.submit(item.uuid, body)
        return answer.case_no, {
            "case_no": answer.case_no,
            "received_at": answer.received_at.isoformat(),
            "replayed": answer.replayed,
        }

    def _upload(self, sha256: str) -> None:
        assert self._client is not None
        if not self._client.has_attachment(sha256):
            self._client.put_attachment(sha256, self._cache.outbox.read_attachment(sha256))

    def submission_body(self, item: OutboxItem) -> dict[str, Any]:
        """The platform body of a submission, built only from what the outbox stored.

        It must come out byte-for-byte the same on every retry: the platform compares a replayed
        body with the first one and refuses a different body under the same key.
        """
        fields = self._cache.outbox.read_fields(item.uuid)
        materials = fields.get("attachments") or []
        attachments = []
        for ref in item.attachments:
            meta = materials[ref.position] if ref.position < len(materials) else {}
            attachments.append({
                "sha256": ref.sha256,
                "material": str(meta.get("material") or "其他材料"),
                "pages": int(meta.get("pages") or 1),
                "provenance": {
                    "device": ref.device,
                    "captured_at": ref.captured_at.isoformat(),
                    "identified_by_card": ref.identified_by_card,
                    "media_type": ref.media_type,
                    "size": ref.size,
                },
            })
        return {
            "service_code": item.service_code,
            "local_receipt_no": item.receipt_no,
            "terminal_id": item.receipt_no.rsplit("-", 1)[0],
            "created_at": item.created_at.isoformat(),
            "form": dict(fields.get("form") or {}),
            "personal": self._cache.outbox.read_personal(item.uuid),
            "delivery": dict(fields.get("delivery") or {"method": "pickup"}),
            "attachments": attachments,
            "supersedes": item.supersedes,
        }

    def _send_rating(self, item: OutboxItem) -> tuple[str | None, dict[str, Any]]:
        assert self._client is not None
        fields = self._cache.outbox.read_fields(item.uuid)
        personal = self._cache.outbox.read_personal(item.uuid)
        # The receipt number when there is one: the platform resolves it to the case, and it never
        # changes between retries (a case number learnt meanwhile would alter the body).
        reference = item.rated_receipt_no or item.rated_case_no or fields.get("reference")
        body: dict[str, Any] = {
            "uuid": item.uuid,
            "grade": fields.get("grade"),
            "channel": fields.get("channel", "onsite"),
            "indicators": fields.get("indicators", {}),
            "reasons": fields.get("reasons", []),
            "comment": fields.get("comment", ""),
            "contact": personal or None,
            "created_at": item.created_at.isoformat(),
            "terminal_id": item.receipt_no.rsplit("-", 1)[0],
        }
        if reference:
            # Left out, never null, for a rating of the on-site service that is not about a declaration.
            body["reference"] = reference
        answer = self._client.post_rating(body)
        return answer.case_no, {"case_no": answer.case_no, "received_at": answer.received_at.isoformat()}

    def licence_use_body(self, item: OutboxItem) -> dict[str, Any]:
        """The use record (用证记录) of a `licence_use` item, the same on every retry (docs/platform-api.md)."""
        fields = self._cache.outbox.read_fields(item.uuid)
        return {
            "uuid": item.uuid,
            "licence_id": fields["licence_id"],
            "service_code": item.service_code,
            "declaration": fields["declaration"],
            "consent_id": fields["consent_id"],
            "used_at": item.created_at.isoformat(),
            "terminal_id": item.receipt_no.rsplit("-", 1)[0],
        }

    def _send_licence_use(self, item: OutboxItem) -> tuple[str | None, dict[str, Any]]:
        assert self._client is not None
        answer = self._client.record_licence_use(self.licence_use_body(item))
        return None, {"recorded_at": answer.recorded_at.isoformat()}

    def _send_heartbeat(self, item: OutboxItem) -> tuple[str | None, dict[str, Any]]:
        assert self._client is not None
        body = {"uuid": item.uuid, "sent_at": item.created_at.isoformat(), **self._cache.outbox.read_fields(item.uuid)}
        answer = self._client.heartbeat(body)
        return None, {"received_at": answer.received_at.isoformat()}

    # --- heartbeat and catalogue --------------------------------------------------------------

    def _queue_heartbeat_if_due(self) -> None:
        state = self._cache.sync_state
        now = self._wall()
        # One unsent heartbeat at a time: during an outage the queued one keeps the state at its
        # start, and a fresh one follows as soon as it is delivered. Without this a day offline would
        # leave hundreds of stale heartbeats for the platform to swallow when the link returns.
        pending = state.get(_LAST_HEARTBEAT)
        if pending is not None:
            try:
                if self._cache.outbox.get(pending).state in ("pending", "sending"):
                    return
            except CacheError:
                pass  # purged or never stored: queue a new one
        last = state.get(_HEARTBEAT_QUEUED_AT)
        interval = self._config.heartbeat_interval_s
        if last is not None and (now - datetime.fromisoformat(last)).total_seconds() < interval:
            return
        stats = self._cache.outbox.stats()
        oldest = stats.oldest_unsent_at
        devices = {
            role: {"state": status.state.value,
                   **({"detail": status.detail[:MAX_DEVICE_DETAIL]} if status.detail else {})}
            for role, status in self._devices().items()
        }
        heartbeat = self._cache.outbox.add_heartbeat({
            "app_version": __version__,
            "devices": devices,
            "outbox_depth": stats.depth,
            # Never below 0 (the contract's range), even when the wall clock was set back since.
            "oldest_unsent_age_s": None if oldest is None else max(0.0, round((now - oldest).total_seconds(), 1)),
            "help_requests": self._help_requests(),
        })
        state.put(_HEARTBEAT_QUEUED_AT, now.isoformat())
        state.put(_LAST_HEARTBEAT, heartbeat.uuid)

    def _pull_catalog(self, *, delivered: bool) -> None:
        """Asks for catalogue changes every `catalog_interval_s`, and always when nothing was sent:
        then it is also how the engine learns that the link is (still) up."""
        assert self._client is not None
        catalog = self._cache.catalog
        state = self._cache.sync_state
        now = self._wall()
        pulled = state.get(_CATALOG_PULLED_AT)
        interval = self._config.catalog_interval_s
        due = pulled is None or (now - datetime.fromisoformat(pulled)).total_seconds() >= interval
        refused = state.get(_CATALOG_REFUSED)
        if refused is not None:
            # A refused update is asked for again on its own backoff, sooner than the interval at first.
            due = now >= datetime.fromisoformat(refused["retry_at"])
        if not due and (delivered or self._network is NetworkState.ONLINE):
            return
        # The bundled sample catalogue's version means nothing to the platform: ask for everything once.
        since = (catalog.version() or 0) if state.get(_CATALOG_FROM_PLATFORM) else 0
        try:
            changes = self._client.get_catalog(since)
        except PlatformRejected as exc:
            log.warning("sync: the platform refused the catalogue request (%s)", exc.code)
            return
        except PlatformError as exc:
            raise _StopRound(exc) from exc
        state.put(_CATALOG_PULLED_AT, now.isoformat())
        try:
            if changes.full:
                catalog.import_document({
                    "format": 1, "catalog_version": changes.version, "sample": False, "items": list(changes.items),
                })
                state.put(_CATALOG_FROM_PLATFORM, True)
            elif changes.items or changes.deleted or changes.version != since:
                catalog.apply_increment({
                    "version": changes.version, "items": list(changes.items), "deleted": list(changes.deleted),
                })
        except CatalogError as exc:
            # Keep the catalogue we have (residents are better served by yesterday's guides than none) and
            # ask again later: the platform may correct the item. Deliveries are not held up by any of it.
            attempts = (refused or {}).get("attempts", 0) + 1
            delay = min(self._backoff.delay(attempts, self._rng), interval)
            state.put(_CATALOG_REFUSED, {
                "reason": str(exc)[:300], "attempts": attempts,
                "retry_at": (now + timedelta(seconds=delay)).isoformat(),
            })
            log.warning("sync: catalogue version %d from the platform refused (attempt %d, next in %.0f s): %.200s",
                        changes.version, attempts, delay, exc)
        else:
            if refused is not None:
                state.put(_CATALOG_REFUSED, None)
