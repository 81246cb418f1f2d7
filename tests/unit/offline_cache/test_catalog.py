"""Catalogue import, validation, increments, export and look-ups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from offline_cache.catalog import Catalog, ServiceItem
from offline_cache.db import Database
from offline_cache.errors import CatalogFormatError
from offline_cache.search import Search
from tests.unit.offline_cache.factories import catalogue, make_item, material


def sample_items() -> list[dict[str, Any]]:
    return [
        make_item("B-2", "居民身份证换领", 5, materials=[material("居民户口簿")]),
        make_item("A-1", "港澳通行证再次签注", 9, department="出入境管理局", category="出入境"),
        make_item("C-3", "住房公积金提取（购房）", 9, department="住房公积金管理中心", category="公积金"),
    ]


def test_import_file_then_export_round_trips(catalog: Catalog, tmp_path: Path) -> None:
    source = tmp_path / "catalog.json"
    source.write_text(json.dumps(catalogue(sample_items(), version=4), ensure_ascii=False), encoding="utf-8")
    result = catalog.import_file(source)
    assert (result.version, result.items) == (4, 3)
    exported = catalog.export()
    assert exported == {
        "format": 1,
        "catalog_version": 4,
        "sample": True,
        "items": sorted(sample_items(), key=lambda item: item["code"]),
    }
    target = tmp_path / "out.json"
    catalog.export_file(target)
    assert json.loads(target.read_text(encoding="utf-8")) == exported


def test_lookups(catalog: Catalog) -> None:
    assert catalog.version() is None
    catalog.import_document(catalogue(sample_items()))
    item = catalog.get("B-2")
    assert isinstance(item, ServiceItem)
    assert (item.name, item.materials[0].name, item.phone_consult) == ("居民身份证换领", "居民户口簿", "0571-12345")
    assert catalog.get("nope") is None
    assert catalog.count() == 3
    assert catalog.departments() == sorted([("公安局", 1), ("出入境管理局", 1), ("住房公积金管理中心", 1)])
    catalog.apply_increment({"version": 2, "items": [make_item("D-4", "户口迁入")]})
    assert catalog.categories() == [("户籍", 2), ("公积金", 1), ("出入境", 1)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "must not be empty"),
        ({"name": 12}, "name", "expected a string"),
        ({"audience": "citizen"}, "audience", "one of personal, enterprise"),
        ({"visits": 3}, "visits", "between 0 and 2"),
        ({"visits": True}, "visits", "expected an integer"),
        ({"popularity": -1}, "popularity", "between 0 and 1000000000, got -1"),
        ({"online": "yes"}, "online", "true or false"),
        ({"conditions": ["ok", 5]}, "conditions[1]", "expected a string"),
        ({"phones": {"consult": "1"}}, "phones.complaint", "missing"),
        ({"materials": [{**material("户口簿"), "form": "fax"}]}, "materials[0].form", "one of paper"),
        ({"materials": [{**material("户口簿"), "waivable": None}]}, "materials[0].waivable", "true or false"),
    ],
)
def test_malformed_item_is_rejected_naming_code_and_field(
    catalog: Catalog, change: dict[str, Any], field: str, message: str
) -> None:
    items = sample_items()
    items[1].update(change)
    with pytest.raises(CatalogFormatError) as caught:
        catalog.import_document(catalogue(items))
    assert (caught.value.item_code, caught.value.field) == ("A-1", field)
    assert "'A-1'" in str(caught.value)
    assert repr(field) in str(caught.value)
    assert message in str(caught.value)


def test_missing_field_and_missing_code(catalog: Catalog) -> None:
    items = sample_items()
    del items[0]["fees"]
    with pytest.raises(CatalogFormatError, match="item 'B-2': field 'fees': missing"):
        catalog.import_document(catalogue(items))
    items = sample_items()
    del items[2]["code"]
    with pytest.raises(CatalogFormatError, match=r"item #2 \(no valid code\): field 'code': missing"):
        catalog.import_document(catalogue(items))


def test_duplicate_codes_and_bad_top_level(catalog: Catalog, tmp_path: Path) -> None:
    items = sample_items()
    items.append(make_item("A-1", "重复"))
    with pytest.raises(CatalogFormatError, match="item 'A-1': field 'code': appears more than once"):
        catalog.import_document(catalogue(items))
    with pytest.raises(CatalogFormatError, match="format"):
        catalog.import_document({"format": 2, "catalog_version": 1, "items": []})
    with pytest.raises(CatalogFormatError, match="catalog_version"):
        catalog.import_document({"format": 1, "catalog_version": "1", "items": []})
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogFormatError, match="not valid JSON"):
        catalog.import_file(broken)


def test_rejected_import_keeps_the_old_catalogue(catalog: Catalog, search: Search) -> None:
    catalog.import_document(catalogue(sample_items(), version=1))
    bad = sample_items()
    bad[0]["visits"] = 9
    with pytest.raises(CatalogFormatError):
        catalog.import_document(catalogue(bad, version=2))
    assert catalog.version() == 1
    assert [h.code for h in search.search("港澳")] == ["A-1"]


def test_reimport_replaces_everything(catalog: Catalog, search: Search) -> None:
    catalog.import_document(catalogue(sample_items(), version=1))
    catalog.import_document(catalogue([make_item("Z-9", "港澳台居民居住证")], version=2))
    assert catalog.count() == 1
    assert [h.code for h in search.search("港澳")] == ["Z-9"]
    assert search.search("身份证") == []


def test_increment_upserts_deletes_and_records_version(catalog: Catalog, search: Search) -> None:
    catalog.import_document(catalogue(sample_items(), version=1))
    changed = make_item("B-2", "居民身份证补领", 5)
    added = make_item("D-4", "港澳台居民居住证", 1)
    assert catalog.apply_increment({"version": 2, "items": [changed, added], "deleted": ["C-3", "unknown"]})
    assert catalog.version() == 2
    assert catalog.get("C-3") is None
    assert catalog.get("B-2").name == "居民身份证补领"  # type: ignore[union-attr]
    assert [h.code for h in search.search("换领")] == []
    assert [h.code for h in search.search("补领")] == ["B-2"]
    assert [h.code for h in search.search("gjj")] == []
    assert [h.code for h in search.search("港澳")] == ["A-1", "D-4"]
    # Stale or repeated increments are skipped.
    assert not catalog.apply_increment({"version": 2, "items": [make_item("E", "x")], "deleted": []})
    assert catalog.get("E") is None


def test_increment_with_a_code_both_upserted_and_deleted_is_rejected(catalog: Catalog) -> None:
    catalog.import_document(catalogue(sample_items()))
    with pytest.raises(CatalogFormatError, match="both upserted and deleted"):
        catalog.apply_increment({"version": 2, "items": [make_item("A-1", "x")], "deleted": ["A-1"]})


def test_interrupted_import_leaves_the_old_catalogue(
    catalog: Catalog, search: Search, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.import_document(catalogue(sample_items(), version=1))

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    import offline_cache.search_index as search_index

    monkeypatch.setattr(search_index, "merge", crash)
    with pytest.raises(RuntimeError):
        catalog.import_document(catalogue([make_item("Z", "新目录")], version=2))
    monkeypatch.undo()
    assert catalog.version() == 1
    assert [h.code for h in search.search("港澳")] == ["A-1"]
    # The next import clears the leftovers of the interrupted one.
    catalog.import_document(catalogue([make_item("Z", "新目录")], version=3))
    assert [h.code for h in search.search("新目录")] == ["Z"]
    names = [r[0] for r in db.connection().execute("SELECT name FROM sqlite_master WHERE name GLOB '*_new'")]
    assert names == []
