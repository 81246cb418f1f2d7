"""SQLite store of the kiosk: catalogue and search, outbox, sync state. No Qt, nothing of ours.

Start with `OfflineCache.open(data_dir, terminal_id=...)`; its parts are `catalog` (import,
increments, export, look-ups), `search` (ranked Chinese / pinyin / initials search), `outbox`
(encrypted queue for the sync engine) and `sync_state`. Every failure raised on purpose is an
`offline_cache.errors.CacheError`.
"""

from offline_cache.catalog import Catalog, Facet, ImportResult, Material, ServiceItem
from offline_cache.crypto import Sealer, load_or_create_key
from offline_cache.db import Database
from offline_cache.errors import CacheError
from offline_cache.outbox import AttachmentRef, CapturedPage, LicenceUse, Outbox, OutboxItem, OutboxStats
from offline_cache.search import Search, SearchHit
from offline_cache.store import OfflineCache
from offline_cache.sync_state import CaseStatus, SyncState

__all__ = [
    "AttachmentRef",
    "CacheError",
    "CapturedPage",
    "CaseStatus",
    "Catalog",
    "Database",
    "Facet",
    "ImportResult",
    "LicenceUse",
    "Material",
    "OfflineCache",
    "Outbox",
    "OutboxItem",
    "OutboxStats",
    "Sealer",
    "Search",
    "SearchHit",
    "ServiceItem",
    "SyncState",
    "load_or_create_key",
]
