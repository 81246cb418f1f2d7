"""The service catalogue (办事指南): validation, import, increments, export and look-ups.

The item shape is docs/catalog-format.md. Pinyin for every name is computed here, at import time,
outside the write transaction so that the outbox is never kept waiting by pypinyin.

Rows are keyed by a *rank key* that sorts by popularity (descending) and then by insertion order,
so the search tables return matches in rank order and a first page needs only ~20 rows
(see search.py). Changing an item's popularity changes its key: the row is removed and re-added.

Thread use: look-ups (`get`, `departments`, `categories`, `version`) from any thread; imports and
increments from the sync thread or the CLI.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple, cast

from offline_cache import kv, search_index
from offline_cache.catalog_limits import (
    INT_RULES,
    LIST_RULES,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    TEXT_RULES,
    IntRule,
    OversizedInt,
    accepting_patterns,
    load_json,
    show,
    text_problem,
)
from offline_cache.db import Database
from offline_cache.errors import CacheError, CatalogFormatError, CatalogLimitError
from offline_cache.search_index import IndexRow
from offline_cache.textnorm import normalize, wrap

_log = logging.getLogger(__name__)

FORMAT = 1

# A full import spreads seq over 32 bits in code order, leaving gaps so that items added later by
# increments can usually be given a seq between their neighbours and code order survives (then a
# page needs no tie-breaking work, see search.py). kv.SEQ_IN_CODE_ORDER records whether it did.
_SEQ_BITS = 32
_SEQ_SPACE = 1 << _SEQ_BITS
_MAX_SEQ = _SEQ_SPACE - 1
# Keeps seq - popularity * 2**32 inside a signed 64-bit rowid. Popularity above the cap still
# ranks, tied with the cap (ties are broken by code).
POPULARITY_RANK_CAP = (1 << 30) - 1
# Items per write transaction of a full import: short transactions keep the outbox writable.
_IMPORT_CHUNK = 1000
_STAGING = "_new"
_RETIRED = "_old"

def _live_item_schema(conn: sqlite3.Connection) -> tuple[str, list[str]]:
    """The catalogue table's CREATE statement and its indexes' as the migrations left them.

    A full import builds its staging table from these, so the migrations stay the one place where the
    schema is written down and a later migration cannot leave the import building an older table.
    """
    table = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'catalog_item'"
    ).fetchone()[0]
    indexes = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'catalog_item' AND sql IS NOT NULL "
        "ORDER BY name"
    )]
    return table, indexes


def rank_key(popularity: int, seq: int) -> int:
    """Row key: ascending key = descending popularity, then ascending `seq`."""
    return seq - (min(popularity, POPULARITY_RANK_CAP) << _SEQ_BITS)


def rank_popularity(key: int) -> int:
    """The (capped) popularity encoded in a rank key."""
    return -(key >> _SEQ_BITS)


def rank_group_end(popularity: int) -> int:
    """The largest key an item of this (capped) popularity can have."""
    return rank_key(popularity, _MAX_SEQ)


Audience = Literal["personal", "enterprise"]
MaterialForm = Literal["paper", "electronic", "either"]


@dataclass(frozen=True, slots=True)
class Material:
    """One 申请材料 entry; `waivable` is the 容缺 mark."""

    name: str
    copies: str
    form: MaterialForm
    required: bool
    waivable: bool
    note: str
    # 电子证照: licence types any one of which, held by the resident and valid, stands in for this material.
    licence_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceItem:
    """One catalogue item, field for field as docs/catalog-format.md describes it."""

    code: str
    name: str
    department: str
    category: str
    audience: Audience
    summary: str
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    steps: tuple[str, ...]
    legal_limit_days: int
    promised_limit_days: int
    fees: str
    place: str
    hours: str
    phone_consult: str
    phone_complaint: str
    visits: int
    online: bool
    express: bool
    declarable_here: bool
    forms: tuple[str, ...]
    legal_basis: tuple[str, ...]
    popularity: int

    @classmethod
    def from_dict(cls, raw: object, position: int = 0, *, limits: bool = True) -> ServiceItem:
        """Validate one item; `CatalogFormatError` names the item code (or position) and field.

        `limits=False` checks only the shape and types (items read back from the database).
        """
        return _ItemParser(raw, position, limits=limits).parse()

    def to_dict(self) -> dict[str, Any]:
        """The item in the catalogue-file shape (unknown keys of the source are not kept)."""
        return {
            "code": self.code,
            "name": self.name,
            "department": self.department,
            "category": self.category,
            "audience": self.audience,
            "summary": self.summary,
            "conditions": list(self.conditions),
            "materials": [
                {
                    "name": m.name,
                    "copies": m.copies,
                    "form": m.form,
                    "required": m.required,
                    "waivable": m.waivable,
                    "note": m.note,
                    # Optional in the format: left out when empty, so older files export as they came.
                    **({"licence_types": list(m.licence_types)} if m.licence_types else {}),
                }
                for m in self.materials
            ],
            "steps": list(self.steps),
            "legal_limit_days": self.legal_limit_days,
            "promised_limit_days": self.promised_limit_days,
            "fees": self.fees,
            "place": self.place,
            "hours": self.hours,
            "phones": {"consult": self.phone_consult, "complaint": self.phone_complaint},
            "visits": self.visits,
            "online": self.online,
            "express": self.express,
            "declarable_here": self.declarable_here,
            "forms": list(self.forms),
            "legal_basis": list(self.legal_basis),
            "popularity": self.popularity,
        }


class _ItemParser:
    """Field-by-field checks with messages that name the item and the field.

    `limits=False` checks types only: for items read back from the database, which passed the checks of
    the release that stored them. A limit added later then refuses the next import of such an item,
    never the guide screen that shows it.
    """

    def __init__(self, raw: object, position: int, *, limits: bool = True) -> None:
        self.position = position
        self.limits = limits
        self.accept = accepting_patterns() if limits else None
        self.code: str | None = None
        if not isinstance(raw, Mapping):
            raise CatalogFormatError(f"item #{position}: expected an object, got {type(raw).__name__}")
        self.raw: Mapping[str, Any] = raw

    def fail(self, field: str, problem: str) -> CatalogFormatError:
        who = f"item {self.code!r}" if self.code else f"item #{self.position} (no valid code)"
        return CatalogFormatError(f"{who}: field {field!r}: {problem}", item_code=self.code, field=field)

    def value(self, field: str, source: Mapping[str, Any] | None = None, label: str | None = None) -> Any:
        source = self.raw if source is None else source
        if field not in source:
            raise self.fail(label or field, "missing")
        return source[field]

    def checked_text(self, value: object, rule: str, label: str) -> str:
        """`value` as a string obeying TEXT_RULES[rule]; `label` is the field path for the message."""
        if not isinstance(value, str):
            raise self.fail(label, f"expected a string, got {_type_name(value)}")
        if self.accept is not None and (
            self.accept[rule].fullmatch(value) is None or (TEXT_RULES[rule].min_chars and value.isspace())
        ):
            problem = text_problem(value, TEXT_RULES[rule])
            if problem is not None:
                raise self.fail(label, problem)
        return value

    def text(self, field: str, *, source: Mapping[str, Any] | None = None, label: str | None = None,
             rule: str | None = None) -> str:
        label = label or field
        return self.checked_text(self.value(field, source, label), rule or label, label)

    def integer(self, field: str) -> int:
        value = self.value(field)
        problem = _integer_problem(value, INT_RULES[field], limits=self.limits)
        if problem is not None:
            raise self.fail(field, problem)
        return int(value)

    def flag(self, field: str, source: Mapping[str, Any] | None = None, label: str | None = None) -> bool:
        value = self.value(field, source, label)
        if not isinstance(value, bool):
            raise self.fail(label or field, f"expected true or false, got {_type_name(value)}")
        return value

    def entries(self, field: str, what: str) -> list[Any]:
        value = self.value(field)
        if not isinstance(value, list):
            raise self.fail(field, f"expected a list of {what}, got {_type_name(value)}")
        if self.limits and len(value) > LIST_RULES[field]:
            raise self.fail(field, f"{len(value)} entries, at most {LIST_RULES[field]}")
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        return tuple(
            self.checked_text(entry, f"{field}[]", f"{field}[{i}]")
            for i, entry in enumerate(self.entries(field, "strings"))
        )

    def choice(self, field: str, allowed: tuple[str, ...], source: Mapping[str, Any] | None = None,
               label: str | None = None) -> str:
        value = self.value(field, source, label)
        if value not in allowed:
            raise self.fail(label or field, f"must be one of {', '.join(allowed)}, got {show(value)}")
        return cast(str, value)

    def materials(self) -> tuple[Material, ...]:
        result = []
        for i, entry in enumerate(self.entries("materials", "objects")):
            prefix = f"materials[{i}]."
            if not isinstance(entry, Mapping):
                raise self.fail(prefix[:-1], f"expected an object, got {_type_name(entry)}")
            result.append(
                Material(
                    name=self.text("name", source=entry, label=f"{prefix}name", rule="materials[].name"),
                    copies=self.text("copies", source=entry, label=f"{prefix}copies", rule="materials[].copies"),
                    form=cast(MaterialForm, self.choice(
                        "form", ("paper", "electronic", "either"), source=entry, label=f"{prefix}form"
                    )),
                    required=self.flag("required", source=entry, label=f"{prefix}required"),
                    waivable=self.flag("waivable", source=entry, label=f"{prefix}waivable"),
                    note=self.text("note", source=entry, label=f"{prefix}note", rule="materials[].note"),
                    licence_types=self.licence_types(entry, f"{prefix}licence_types"),
                )
            )
        return tuple(result)

    def licence_types(self, entry: Mapping[str, Any], label: str) -> tuple[str, ...]:
        """A material's optional `licence_types`: absent means no licence stands in for it."""
        if "licence_types" not in entry:
            return ()
        value = entry["licence_types"]
        if not isinstance(value, list):
            raise self.fail(label, f"expected a list of licence type codes, got {_type_name(value)}")
        most = LIST_RULES["materials[].licence_types"]
        if self.limits and len(value) > most:
            raise self.fail(label, f"{len(value)} entries, at most {most}")
        codes = tuple(
            self.checked_text(code, "materials[].licence_types[]", f"{label}[{i}]") for i, code in enumerate(value)
        )
        if self.limits and len(set(codes)) != len(codes):
            raise self.fail(label, "a licence type code appears twice")
        return codes

    def phones(self) -> tuple[str, str]:
        value = self.value("phones")
        if not isinstance(value, Mapping):
            raise self.fail("phones", f"expected an object, got {_type_name(value)}")
        return (
            self.text("consult", source=value, label="phones.consult"),
            self.text("complaint", source=value, label="phones.complaint"),
        )

    def parse(self) -> ServiceItem:
        # In the order of the table in docs/catalog-format.md, code first so every later message names it;
        # the first problem found is the one reported.
        self.code = self.text("code")
        name = self.text("name")
        department = self.text("department")
        category = self.text("category")
        audience = cast(Audience, self.choice("audience", ("personal", "enterprise")))
        summary = self.text("summary")
        conditions = self.texts("conditions")
        materials = self.materials()
        steps = self.texts("steps")
        legal_limit_days = self.integer("legal_limit_days")
        promised_limit_days = self.integer("promised_limit_days")
        fees = self.text("fees")
        place = self.text("place")
        hours = self.text("hours")
        consult, complaint = self.phones()
        return ServiceItem(
            code=self.code,
            name=name,
            department=department,
            category=category,
            audience=audience,
            summary=summary,
            conditions=conditions,
            materials=materials,
            steps=steps,
            legal_limit_days=legal_limit_days,
            promised_limit_days=promised_limit_days,
            fees=fees,
            place=place,
            hours=hours,
            phone_consult=consult,
            phone_complaint=complaint,
            visits=self.integer("visits"),
            online=self.flag("online"),
            express=self.flag("express"),
            declarable_here=self.flag("declarable_here"),
            forms=self.texts("forms"),
            legal_basis=self.texts("legal_basis"),
            popularity=self.integer("popularity"),
        )


def _integer_problem(value: object, rule: IntRule, *, limits: bool = True) -> str | None:
    if isinstance(value, OversizedInt) or (
        limits and isinstance(value, int) and not isinstance(value, bool) and not rule.low <= value <= rule.high
    ):
        return f"must be between {rule.low} and {rule.high}, got {show(value)}"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"expected an integer, got {_type_name(value)}"
    return None


def _type_name(value: object) -> str:
    if isinstance(value, OversizedInt):
        return "int"
    return {dict: "object", list: "list", str: "string", bool: "true/false", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def parse_items(raw_items: object, field: str = "items") -> list[ServiceItem]:
    """Validate a list of items against every rule and limit; duplicate codes are an error naming the code."""
    if not isinstance(raw_items, list):
        raise CatalogFormatError(f"field {field!r}: expected a list of items, got {_type_name(raw_items)}",
                                 field=field)
    if len(raw_items) > MAX_ITEMS:
        raise CatalogLimitError(f"field {field!r}: {len(raw_items)} items, at most {MAX_ITEMS}", field=field)
    items = [ServiceItem.from_dict(raw, i) for i, raw in enumerate(raw_items)]
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise CatalogFormatError(
                f"item {item.code!r}: field 'code': appears more than once", item_code=item.code, field="code"
            )
        seen.add(item.code)
    return items


def _version_field(doc: Mapping[str, Any], field: str) -> int:
    if field not in doc:
        raise CatalogFormatError(f"field {field!r}: missing", field=field)
    value = doc[field]
    problem = _integer_problem(value, INT_RULES[field])
    if problem is not None:
        raise CatalogFormatError(f"field {field!r}: {problem}", field=field)
    return int(value)


@dataclass(frozen=True, slots=True)
class CatalogDocument:
    """A whole catalogue that passed every check of docs/catalog-format.md; items sorted by code."""

    version: int
    sample: bool
    items: tuple[ServiceItem, ...]


@dataclass(frozen=True, slots=True)
class CatalogIncrement:
    """A `GET /catalog?since=` change that passed every check: upserted items and deleted codes."""

    version: int
    items: tuple[ServiceItem, ...]
    deleted: tuple[str, ...]


def parse_catalog_document(doc: object) -> CatalogDocument:
    """Check a parsed catalogue document (the file's shape); raises a `CatalogError` naming what is wrong."""
    if not isinstance(doc, Mapping):
        raise CatalogFormatError(f"catalogue: expected a JSON object at the top level, got {_type_name(doc)}")
    fmt = doc.get("format")
    if isinstance(fmt, bool) or fmt != FORMAT:
        raise CatalogFormatError(f"field 'format': expected {FORMAT}, got {show(fmt)}", field="format")
    version = _version_field(doc, "catalog_version")
    sample = doc.get("sample", False)
    if not isinstance(sample, bool):
        raise CatalogFormatError(f"field 'sample': expected true or false, got {_type_name(sample)}",
                                 field="sample")
    if "items" not in doc:
        raise CatalogFormatError("field 'items': missing", field="items")
    items = sorted(parse_items(doc["items"]), key=lambda item: item.code)
    return CatalogDocument(version, sample, tuple(items))


def parse_catalog_json(data: bytes | str, source: str = "catalogue file") -> CatalogDocument:
    """Check a catalogue file's content (UTF-8 JSON) against docs/catalog-format.md without writing anything.

    The one entry point for everything a file can hold: returns the document, or raises a `CatalogError`
    (`CatalogLimitError` for size, depth and item count, `CatalogFormatError` for everything else) whose
    message names the item and the field. Anything else escaping from here is a bug.
    """
    return parse_catalog_document(load_json(data, source))


def parse_increment(increment: object) -> CatalogIncrement:
    """Check `{"version": V, "items": [...], "deleted": [codes]}` from `GET /catalog?since=`."""
    if not isinstance(increment, Mapping):
        raise CatalogFormatError(f"catalogue increment: expected a JSON object, got {_type_name(increment)}")
    version = _version_field(increment, "version")
    items = parse_items(increment.get("items", []))
    deleted = increment.get("deleted", [])
    if not isinstance(deleted, list):
        raise CatalogFormatError(f"field 'deleted': expected a list of item codes, got {_type_name(deleted)}",
                                 field="deleted")
    if len(deleted) > MAX_ITEMS:
        raise CatalogLimitError(f"field 'deleted': {len(deleted)} codes, at most {MAX_ITEMS}", field="deleted")
    for i, code in enumerate(deleted):
        if not isinstance(code, str):
            raise CatalogFormatError(f"field 'deleted[{i}]': expected an item code, got {_type_name(code)}",
                                     field=f"deleted[{i}]")
        problem = text_problem(code, TEXT_RULES["deleted[]"])
        if problem is not None:
            raise CatalogFormatError(f"field 'deleted[{i}]': {problem}", field=f"deleted[{i}]")
    both = {item.code for item in items} & set(deleted)
    if both:
        code = min(both)
        raise CatalogFormatError(
            f"item {code!r}: field 'deleted': the code is both upserted and deleted", item_code=code,
            field="deleted",
        )
    return CatalogIncrement(version, tuple(items), tuple(deleted))


class Facet(NamedTuple):
    """A department or category with the number of items in it."""

    name: str
    item_count: int


class ImportResult(NamedTuple):
    """Outcome of a full import, with the time each phase took (the CLI and bench print them)."""

    version: int
    items: int
    pinyin_seconds: float
    insert_seconds: float
    index_seconds: float


@dataclass(frozen=True, slots=True)
class _PreparedRow:
    item: ServiceItem
    name_norm: str
    pinyin: str
    initials: str
    other: str
    doc: str


def _prepare(items: Sequence[ServiceItem]) -> list[_PreparedRow]:
    # Imported here, not at module level: pypinyin's dictionaries cost start-up time and memory
    # that a kiosk which only searches never needs.
    from offline_cache.pinyin_index import PinyinCache

    cache = PinyinCache()
    rows = []
    for item in items:
        name_norm = normalize(item.name)
        pinyin, initials = cache.forms(name_norm)
        others = (item.department, item.category, item.summary, *(m.name for m in item.materials))
        other = "".join(wrap(text) for text in map(normalize, others) if text)
        doc = json.dumps(item.to_dict(), ensure_ascii=False, separators=(",", ":"))
        rows.append(_PreparedRow(item, name_norm, pinyin, initials, other, doc))
    return rows


_INSERT = """
    INSERT INTO {table} (key, code, seq, name, department, category, audience, popularity,
                              name_norm, name_pinyin, name_initials, other_norm, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def _insert(
    conn: sqlite3.Connection, rows: Sequence[tuple[int, _PreparedRow]], table: str = "catalog_item"
) -> list[IndexRow]:
    """Insert (seq, prepared row) pairs into the item table; return what the search tables need."""
    values = []
    index = []
    for seq, row in rows:
        key = rank_key(row.item.popularity, seq)
        item = row.item
        values.append((key, item.code, seq, item.name, item.department, item.category, item.audience,
                       item.popularity, row.name_norm, row.pinyin, row.initials, row.other, row.doc))
        index.append(IndexRow(key, row.name_norm, row.pinyin, row.initials, row.other))
    conn.executemany(_INSERT.format(table=table), values)
    return index


def _remove(conn: sqlite3.Connection, code: str) -> int | None:
    """Delete one item and its search rows; return its seq (None if there was no such item)."""
    found = conn.execute(
        "SELECT key, seq, name_norm, name_pinyin, name_initials, other_norm FROM catalog_item WHERE code = ?",
        (code,),
    ).fetchone()
    if found is None:
        return None
    key, seq, *texts = found
    search_index.unindex_rows(conn, [IndexRow(key, *texts)])
    conn.execute("DELETE FROM catalog_item WHERE key = ?", (key,))
    return int(seq)


def _seq_between_neighbours(conn: sqlite3.Connection, code: str) -> int | None:
    """A free seq between the items before and after `code` in code order, if there is room."""
    before = conn.execute(
        "SELECT seq FROM catalog_item WHERE code < ? ORDER BY code DESC LIMIT 1", (code,)
    ).fetchone()
    after = conn.execute("SELECT seq FROM catalog_item WHERE code > ? ORDER BY code LIMIT 1", (code,)).fetchone()
    low = -1 if before is None else int(before[0])
    high = _SEQ_SPACE if after is None else int(after[0])
    return (low + high) // 2 if high - low >= 2 else None


def _drop_tables(conn: sqlite3.Connection, suffix: str) -> None:
    for table in ("catalog_item", *search_index.TABLES):
        conn.execute(f"DROP TABLE IF EXISTS {table}{suffix}")


class Catalog:
    """Catalogue storage on a `Database`. One import or increment at a time (the sync thread or CLI)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- writing ------------------------------------------------------------------------------

    def import_file(self, path: Path | str) -> ImportResult:
        """Replace the whole catalogue with a catalogue file (`kiosk catalog import FILE`)."""
        path = Path(path)
        try:
            with path.open("rb") as handle:
                # One byte over the limit is enough to know; a bigger file is never read whole.
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CacheError(f"cannot read catalogue file {path}: {exc.strerror}") from exc
        return self.import_parsed(parse_catalog_json(data, f"catalogue file {path}"))

    def import_json(self, data: bytes | str) -> ImportResult:
        """Replace the whole catalogue with a catalogue file's content (checked by `parse_catalog_json`)."""
        return self.import_parsed(parse_catalog_json(data))

    def import_document(self, doc: object) -> ImportResult:
        """Replace the whole catalogue with a parsed catalogue document (same shape as the file)."""
        return self.import_parsed(parse_catalog_document(doc))

    def import_parsed(self, document: CatalogDocument) -> ImportResult:
        """Replace the whole catalogue with a checked document.

        Everything was validated before anything is written; a failure leaves the old catalogue.
        """
        version, sample, items = document.version, document.sample, document.items
        started = time.perf_counter()
        prepared = _prepare(items)
        prepared_at = time.perf_counter()
        # Built beside the live tables in short transactions and swapped in at the end: searches
        # keep seeing the old catalogue, outbox writes are never held up for long, and a crash
        # half-way leaves the old catalogue (the next import removes the leftovers).
        with self._db.transaction() as conn:
            _drop_tables(conn, _STAGING)
            _drop_tables(conn, _RETIRED)
            table_sql, index_sqls = _live_item_schema(conn)
            conn.execute(re.sub(r"\bcatalog_item\b", "catalog_item" + _STAGING, table_sql, count=1))
            search_index.create_tables(conn, _STAGING)
        spacing = _SEQ_SPACE // (len(prepared) + 1)
        index_seconds = 0.0
        for start in range(0, len(prepared), _IMPORT_CHUNK):
            chunk = [((start + i + 1) * spacing, row) for i, row in enumerate(prepared[start:start + _IMPORT_CHUNK])]
            with self._db.transaction() as conn:
                index = _insert(conn, chunk, "catalog_item" + _STAGING)
                began = time.perf_counter()
                search_index.index_rows(conn, index, _STAGING)
                index_seconds += time.perf_counter() - began
        began = time.perf_counter()
        search_index.merge(self._db.transaction, _STAGING)
        index_seconds += time.perf_counter() - began
        with self._db.transaction() as conn:
            for table in ("catalog_item", *search_index.TABLES):
                conn.execute(f"ALTER TABLE {table} RENAME TO {table}{_RETIRED}")
                conn.execute(f"ALTER TABLE {table}{_STAGING} RENAME TO {table}")
            # The indexes went with the table renamed to _old; make them anew on the new table.
            for statement in index_sqls:
                conn.execute(f"DROP INDEX IF EXISTS {statement.split()[2]}")
            for statement in index_sqls:
                conn.execute(statement)
            kv.put(conn, kv.CATALOG_VERSION, version)
            kv.put(conn, kv.CATALOG_SAMPLE, sample)
            kv.put(conn, kv.SEQ_IN_CODE_ORDER, True)
        with self._db.transaction() as conn:
            _drop_tables(conn, _RETIRED)
        done_at = time.perf_counter()
        _log.info("catalogue imported: version %d, %d items", version, len(items))
        return ImportResult(
            version, len(items), prepared_at - started, done_at - prepared_at - index_seconds, index_seconds
        )

    def apply_increment(self, increment: object) -> bool:
        """Apply `{"version": V, "items": [...], "deleted": [codes]}` from `GET /catalog?since=`.

        Items are upserted by code, deleted codes removed (unknown codes are ignored), and the
        version recorded in the same transaction. An increment whose version is not newer than the
        stored one is skipped (returns False), so re-applying after a crash is harmless.
        """
        change = parse_increment(increment)
        version, items, deleted = change.version, change.items, change.deleted
        current = self.version()
        if current is not None and version <= current:
            return False
        prepared = _prepare(items)
        with self._db.transaction() as conn:
            current = kv.get(conn, kv.CATALOG_VERSION)
            if current is not None and version <= current:
                return False
            for code in deleted:
                _remove(conn, code)
            in_order = bool(kv.get(conn, kv.SEQ_IN_CODE_ORDER))
            for row in prepared:
                seq = _remove(conn, row.item.code)
                if seq is None:
                    seq = _seq_between_neighbours(conn, row.item.code) if in_order else None
                    if seq is None:
                        in_order = False
                        seq = int(conn.execute("SELECT coalesce(max(seq), -1) + 1 FROM catalog_item").fetchone()[0])
                        if seq > _MAX_SEQ:
                            raise CatalogLimitError(
                                "no room for new items since the last full import; import the whole catalogue"
                            )
                search_index.index_rows(conn, _insert(conn, [(seq, row)]))
            count = int(conn.execute("SELECT count(*) FROM catalog_item").fetchone()[0])
            if count > MAX_ITEMS:
                raise CatalogLimitError(f"the increment would leave {count} items, at most {MAX_ITEMS}", field="items")
            kv.put(conn, kv.CATALOG_VERSION, version)
            kv.put(conn, kv.SEQ_IN_CODE_ORDER, in_order)
        _log.info("catalogue increment applied: version %d, %d upserted, %d deleted",
                  version, len(items), len(deleted))
        return True

    # --- reading --------------------------------------------------------------------------------

    def version(self) -> int | None:
        """The catalogue version stored, None before the first import."""
        with self._db.read() as conn:
            value = kv.get(conn, kv.CATALOG_VERSION)
        return None if value is None else int(value)

    def get(self, code: str) -> ServiceItem | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT doc FROM catalog_item WHERE code = ?", (code,)).fetchone()
        return None if row is None else ServiceItem.from_dict(json.loads(row[0]), limits=False)

    def count(self) -> int:
        with self._db.read() as conn:
            return int(conn.execute("SELECT count(*) FROM catalog_item").fetchone()[0])

    def departments(self) -> list[Facet]:
        """Departments, the ones with most items first (then by name)."""
        return self._facets("department")

    def categories(self) -> list[Facet]:
        """Categories (themes), the ones with most items first (then by name)."""
        return self._facets("category")

    def _facets(self, column: Literal["department", "category"]) -> list[Facet]:
        with self._db.read() as conn:
            rows = conn.execute(
                f"SELECT {column}, count(*) AS n FROM catalog_item GROUP BY {column} ORDER BY n DESC, {column}"
            ).fetchall()
        return [Facet(name, count) for name, count in rows]

    def export(self) -> dict[str, Any]:
        """The whole catalogue in the catalogue-file shape, items ordered by code."""
        with self._db.read() as conn:
            version = kv.get(conn, kv.CATALOG_VERSION)
            sample = kv.get(conn, kv.CATALOG_SAMPLE)
            docs = [row[0] for row in conn.execute("SELECT doc FROM catalog_item ORDER BY code")]
        return {
            "format": FORMAT,
            "catalog_version": 0 if version is None else version,
            "sample": bool(sample),
            "items": [json.loads(doc) for doc in docs],
        }

    def export_file(self, path: Path | str) -> None:
        """Write `export()` to `path` as UTF-8 JSON (`kiosk catalog export FILE`)."""
        path = Path(path)
        try:
            with path.open("w", encoding="utf-8") as handle:
                json.dump(self.export(), handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        except OSError as exc:
            raise CacheError(f"cannot write catalogue file {path}: {exc.strerror}") from exc
