"""Typed failures of the offline cache.

Every exception raised on purpose by this package is a `CacheError`. Environment problems the
kiosk can name to a technician (disk full, read-only medium, corrupt file, key file problems) have
their own subclasses so the setup screen and the heartbeat can report them by `code`.

Messages are for technicians and logs: they name item codes, UUIDs, file paths and fields, never
personal data.
"""

from __future__ import annotations

import sqlite3


class CacheError(Exception):
    """Base of every failure raised by `offline_cache`; `code` is stable across releases."""

    code: str = "cache.error"


# --- database environment ---------------------------------------------------------------------


class DatabaseError(CacheError):
    """An SQLite failure without a more specific class (usually a bug; the cause is chained)."""

    code = "cache.db"


class DiskFullError(DatabaseError):
    code = "cache.disk_full"


class ReadOnlyDatabaseError(DatabaseError):
    code = "cache.read_only"


class CorruptDatabaseError(DatabaseError):
    code = "cache.corrupt"


class DatabaseBusyError(DatabaseError):
    code = "cache.busy"


class CannotOpenDatabaseError(DatabaseError):
    code = "cache.cannot_open"


class DiskIOError(DatabaseError):
    code = "cache.io"


class SchemaTooNewError(DatabaseError):
    """The file was written by a newer release; opening it with older code could lose data."""

    code = "cache.schema_too_new"


class MigrationError(DatabaseError):
    code = "cache.migration"


# --- catalogue ----------------------------------------------------------------------------------


class CatalogError(CacheError):
    """A catalogue file, platform answer or increment that the kiosk refuses; nothing was written.

    `item_code` is None for problems outside any item (or before an item's code was valid), `field`
    names the offending key (`materials[2].name`), or is None for problems of the file as a whole.
    """

    code = "cache.catalog"

    def __init__(self, message: str, *, item_code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.item_code = item_code
        self.field = field


class CatalogFormatError(CatalogError):
    """The content breaks a rule of docs/catalog-format.md: shape, type, characters, length or range."""

    code = "cache.catalog_format"


class CatalogLimitError(CatalogError):
    """The content is too big as a whole (file size, nesting depth, item count), or an increment
    finds no room left for new items since the last full import."""

    code = "cache.catalog_limit"


# --- outbox ---------------------------------------------------------------------------------------


class OutboxItemNotFound(CacheError):
    code = "cache.outbox.not_found"


class IllegalTransitionError(CacheError):
    """A state change the outbox state machine does not allow (pending → sending → accepted|rejected)."""

    code = "cache.outbox.illegal_transition"

    def __init__(self, uuid: str, current: str, wanted: str) -> None:
        super().__init__(f"outbox item {uuid}: illegal transition {current} → {wanted}")
        self.uuid = uuid
        self.current = current
        self.wanted = wanted


class ItemLockedError(CacheError):
    """The item's upload has begun: it can only be superseded by a new item naming it."""

    code = "cache.outbox.locked"


# --- crypto ----------------------------------------------------------------------------------------


class KeyFileError(CacheError):
    """The key file is missing where it must exist, unreadable, or not 32 bytes."""

    code = "cache.key.file"


class KeyFilePermissionError(KeyFileError):
    """The key file is readable or writable by group or others; we refuse to use it."""

    code = "cache.key.permissions"


class KeyMismatchError(KeyFileError):
    """The database was sealed with another key (key file replaced or restored from elsewhere)."""

    code = "cache.key.mismatch"


class TamperedDataError(CacheError):
    """Authenticated decryption failed: ciphertext altered, moved to another item, or wrong key."""

    code = "cache.tampered"


# --- SQLite result codes → classes ------------------------------------------------------------------

# Primary result codes (sqlite3.h); extended codes carry the primary code in their low byte.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_BY_PRIMARY_CODE: dict[int, tuple[type[DatabaseError], str]] = {
    _SQLITE_FULL: (DiskFullError, "the disk holding the kiosk database is full"),
    _SQLITE_READONLY: (ReadOnlyDatabaseError, "the kiosk database is read-only (medium or permissions)"),
    _SQLITE_CORRUPT: (CorruptDatabaseError, "the kiosk database file is corrupt"),
    _SQLITE_NOTADB: (CorruptDatabaseError, "the kiosk database file is not an SQLite database (corrupt)"),
    _SQLITE_BUSY: (DatabaseBusyError, "the kiosk database stayed locked by another writer"),
    _SQLITE_LOCKED: (DatabaseBusyError, "the kiosk database table is locked"),
    _SQLITE_CANTOPEN: (CannotOpenDatabaseError, "the kiosk database file cannot be opened"),
    _SQLITE_IOERR: (DiskIOError, "disk I/O error on the kiosk database"),
}


def translate_sqlite_error(exc: sqlite3.Error, where: str = "") -> DatabaseError:
    """Map an sqlite3 exception to the matching `DatabaseError` subclass (the caller chains it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    suffix = f" ({where})" if where else ""
    if isinstance(code, int):
        cls, text = _BY_PRIMARY_CODE.get(code & 0xFF, (DatabaseError, "SQLite error"))
    else:
        cls, text = DatabaseError, "SQLite error"
    return cls(f"{text}{suffix}: {name}: {exc}")
