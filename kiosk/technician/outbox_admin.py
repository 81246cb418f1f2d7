"""What the setup screen's Sync page shows and does with the outbox, without Qt.

`sync_overview` gathers the page's figures in one call (it reads the database, so the page runs it
on a worker). `rejected_records` lists quarantined items by their non-personal metadata only —
receipt number, kind, service code, times, attempts and the platform's reason — and never opens an
item's sealed personal data. `retry_rejected` puts one back in the queue and `export_rejected` writes
the list to a JSON file for support; `export_support` writes the Logs page's support bundle with the
outbox figures in its manifest. Each records a line in the technician audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.platform.sync import SyncEngine
from kiosk.privacy import scrub
from kiosk.status import NetworkState
from kiosk.technician.audit import audit_log_for
from kiosk.technician.support_export import ExportError, ExportResult, export_support_bundle, write_json_atomically
from offline_cache.errors import IllegalTransitionError, OutboxItemNotFound
from offline_cache.outbox import Outbox, OutboxItem
from offline_cache.store import OfflineCache


class NoLongerRejected(Exception):
    """The item was retried already (or is gone): nothing to do; the list on screen was stale."""


@dataclass(frozen=True)
class RejectedRecord:
    """A quarantined outbox item as a technician may see it: no personal data."""

    uuid: str
    receipt_no: str
    kind: str
    service_code: str | None
    created_at: datetime
    rejected_at: datetime
    attempts: int
    reason: str

    @classmethod
    def from_item(cls, item: OutboxItem) -> RejectedRecord:
        # The reason is the platform's text; it should describe the problem, not the resident, but a
        # platform may echo a field value, so it is scrubbed like a log line.
        return cls(
            uuid=item.uuid, receipt_no=item.receipt_no, kind=item.kind, service_code=item.service_code,
            created_at=item.created_at, rejected_at=item.state_changed_at, attempts=item.attempts,
            reason=scrub(item.last_error or ""),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid, "receipt_no": self.receipt_no, "kind": self.kind, "service_code": self.service_code,
            "created_at": self.created_at.isoformat(), "rejected_at": self.rejected_at.isoformat(),
            "attempts": self.attempts, "reason": self.reason,
        }


@dataclass(frozen=True)
class SyncOverview:
    """Everything the Sync page shows at the top."""

    network: NetworkState
    running: bool
    pending: int
    sending: int
    rejected: int
    accepted: int
    oldest_unsent_at: datetime | None
    last_contact: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    catalog_version: int | None
    rejected_items: tuple[RejectedRecord, ...]

    @property
    def depth(self) -> int:
        return self.pending + self.sending

    def oldest_unsent_age_s(self, now: datetime) -> float | None:
        return None if self.oldest_unsent_at is None else max(0.0, (now - self.oldest_unsent_at).total_seconds())

    def outbox_json(self) -> dict[str, Any]:
        """The counts for a support bundle's manifest."""
        return {
            "pending": self.pending, "sending": self.sending, "rejected": self.rejected, "accepted": self.accepted,
            "oldest_unsent_at": None if self.oldest_unsent_at is None else self.oldest_unsent_at.isoformat(),
            "last_contact": None if self.last_contact is None else self.last_contact.isoformat(),
            "catalog_version": self.catalog_version,
        }


def rejected_records(outbox: Outbox) -> list[RejectedRecord]:
    """The quarantined items, oldest first."""
    return [RejectedRecord.from_item(item) for item in outbox.rejected()]


def sync_overview(cache: OfflineCache, engine: SyncEngine | None) -> SyncOverview:
    """Reads the figures (database reads: call it off the GUI thread)."""
    stats = cache.outbox.stats()
    error = cache.sync_state.last_error
    status = engine.status() if engine is not None else None
    return SyncOverview(
        network=status.network if status is not None else NetworkState.DISABLED,
        running=status.running if status is not None else False,
        pending=stats.by_state["pending"],
        sending=stats.by_state["sending"],
        rejected=stats.by_state["rejected"],
        accepted=stats.by_state["accepted"],
        oldest_unsent_at=stats.oldest_unsent_at,
        last_contact=cache.sync_state.last_contact,
        last_error=None if error is None else scrub(error[0]),
        last_error_at=None if error is None else error[1],
        catalog_version=cache.sync_state.catalog_version,
        rejected_items=tuple(rejected_records(cache.outbox)),
    )


def retry_rejected(cache: OfflineCache, engine: SyncEngine | None, item_uuid: str, data_dir: Path) -> RejectedRecord:
    """rejected → pending (same UUID), wakes the sync engine, and audits it; returns the item as it was.

    Raises `NoLongerRejected` if the item is no longer rejected (someone retried it already) and
    OSError if the audit line cannot be written (the item is requeued all the same: the sync engine
    would have sent it at the next round of a retry made from the command line too).
    """
    try:
        record = RejectedRecord.from_item(cache.outbox.get(item_uuid))
        cache.outbox.requeue(item_uuid)
    except (IllegalTransitionError, OutboxItemNotFound) as exc:
        raise NoLongerRejected(str(exc)) from exc
    if engine is not None:
        engine.wake()
    audit_log_for(data_dir).record(
        "sync.retry_rejected", receipt_no=record.receipt_no, kind=record.kind, service_code=record.service_code
    )
    return record


def rejected_json(records: Sequence[RejectedRecord]) -> list[dict[str, Any]]:
    return [record.to_json() for record in records]


def export_rejected(
    cache: OfflineCache, folder: Path, *, terminal_id: str, data_dir: Path,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Path, int]:
    """Writes every rejected item's metadata to `folder/kiosk-rejected-<terminal>-<time>.json`.

    Returns the file and how many items it holds; raises `kiosk.technician.support_export.ExportError` with a
    message for the screen (nothing is left behind on failure).
    """
    records = rejected_records(cache.outbox)
    now = clock()
    name = f"kiosk-rejected-{terminal_id}-{now.astimezone().strftime('%Y%m%d-%H%M%S')}.json"
    document = {
        "format": "kiosk-rejected-items/1", "terminal_id": terminal_id, "exported_at": now.isoformat(),
        "items": rejected_json(records),
    }
    path = write_json_atomically(folder, name, document)
    audit_log_for(data_dir).record("sync.export_rejected", items=len(records), folder=str(folder))
    return path, len(records)


def export_support(
    cache: OfflineCache, engine: SyncEngine | None, folder: Path, *, config: Config, data_dir: Path,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportResult:
    """The Logs page's export: `kiosk.technician.support_export.export_support_bundle` with the outbox counts in the
    manifest and the rejected items' metadata, audited whether it succeeds or not."""
    overview = sync_overview(cache, engine)
    audit = audit_log_for(data_dir)
    try:
        result = export_support_bundle(
            folder, data_dir=data_dir, config=config, clock=clock,
            outbox=overview.outbox_json(), rejected=rejected_json(overview.rejected_items),
        )
    except ExportError as exc:
        audit.record("logs.export_failed", folder=str(folder), reason=exc.code)
        raise
    audit.record("logs.exported", folder=str(result.path), files=len(result.files), bytes=result.total_bytes)
    return result


def format_age(seconds: float) -> str:
    """A short Chinese / English age: "45 秒 / 45 s", "3 分钟 / 3 min", "2 小时 5 分 / 2 h 5 min", "3 天 / 3 d"."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} 秒 / {whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} 分钟 / {minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} 小时 {minutes} 分 / {hours} h {minutes} min"
    days = hours // 24
    return f"{days} 天 / {days} d"


def request_sync(cache: OfflineCache, engine: SyncEngine | None, data_dir: Path) -> SyncOverview:
    """The technician's "sync now": the figures before the round (to tell its outcome later), then a
    wake-up for the sync engine, audited."""
    before = sync_overview(cache, engine)
    if engine is not None:
        engine.wake()
    audit_log_for(data_dir).record("sync.now", depth=before.depth, rejected=before.rejected)
    return before


def sync_outcome(before: SyncOverview, now: SyncOverview) -> str | None:
    """What became of a "sync now", comparing the figures before it with fresh ones: "contact" when the
    platform answered since, "error" when a new failure was recorded, None while nothing happened yet."""
    if now.last_contact is not None and now.last_contact != before.last_contact:
        return "contact"
    if now.last_error_at is not None and now.last_error_at != before.last_error_at:
        return "error"
    return None
