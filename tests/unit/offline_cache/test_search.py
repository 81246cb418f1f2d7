"""Search: every query form finds the intended items, in the agreed ranking order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_cache.catalog import POPULARITY_RANK_CAP, Catalog
from offline_cache.db import Database
from offline_cache.pinyin_index import pinyin_forms
from offline_cache.search import Search
from offline_cache.textnorm import normalize
from tests.unit.offline_cache.factories import catalogue, make_item, material

ITEMS = [
    make_item("GA-001", "居民身份证换领", 50),
    make_item("GA-002", "居民身份证补领", 40),
    make_item("GA-003", "临时居民身份证申领", 10),
    make_item("GA-004", "身份证", 1),
    make_item("CR-001", "港澳通行证", 30, department="出入境管理局", category="出入境"),
    make_item("CR-002", "港澳通行证再次签注", 90, department="出入境管理局", category="出入境"),
    make_item("CR-003", "往来港澳通行证换发", 90, department="出入境管理局", category="出入境"),
    make_item("CR-004", "往来台湾通行证", 5, department="出入境管理局", category="出入境"),
    make_item(
        "GJJ-001", "住房公积金提取（购房）", 70, department="住房公积金管理中心", category="公积金",
        audience="personal", summary="职工购买自住住房时提取住房公积金。", materials=[material("购房合同")],
    ),
    make_item(
        "GJJ-002", "住房公积金单位缴存登记", 20, department="住房公积金管理中心", category="公积金",
        audience="enterprise",
    ),
    make_item(
        "SB-001", "社会保险参保登记", 60, department="人力资源和社会保障局", category="社保",
        materials=[material("居民身份证")],
    ),
    make_item("SB-002", "ETC卡办理", 3, department="交通运输局", category="交通", summary="高速公路 ETC 通行卡"),
]


@pytest.fixture(scope="module")
def module_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database(tmp_path_factory.mktemp("search") / "kiosk.db")
    Catalog(database).import_document(catalogue(ITEMS))
    yield database
    database.close()


@pytest.fixture(scope="module")
def searcher(module_db: Database) -> Search:
    return Search(module_db)


def codes(hits: list[Any]) -> list[str]:
    return [hit.code for hit in hits]


# --- every query form -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # one Chinese character (bigram table, one-character prefix path)
        ("港", ["CR-002", "CR-001", "CR-003"]),
        # two characters (bigram table)
        ("港澳", ["CR-002", "CR-001", "CR-003"]),
        ("身份", ["GA-004", "GA-001", "GA-002", "GA-003", "SB-001"]),
        # three characters and more (trigram table)
        ("身份证", ["GA-004", "GA-001", "GA-002", "GA-003", "SB-001"]),
        ("港澳通行证", ["CR-001", "CR-002", "CR-003"]),
        ("公积金提取", ["GJJ-001"]),
        # full pinyin, prefix or substring of it
        ("shenfenzheng", ["GA-004", "GA-001", "GA-002", "GA-003"]),
        ("gangao", ["CR-002", "CR-001", "CR-003"]),
        ("gongjijin", ["GJJ-001", "GJJ-002"]),
        # pinyin initials
        ("sfz", ["GA-004", "GA-001", "GA-002", "GA-003"]),
        ("gatxz", ["CR-001", "CR-002", "CR-003"]),
        ("jmsfz", ["GA-001", "GA-002", "GA-003"]),
        # other fields only: department, category, summary, material names
        ("购房合同", ["GJJ-001"]),
        ("出入境", ["CR-002", "CR-003", "CR-001", "CR-004"]),
        ("人力资源", ["SB-001"]),
        ("自住", ["GJJ-001"]),
        # Latin in names, normalised case
        ("etc", ["SB-002"]),
        # misses
        ("护照", []),
        ("qqqz", []),
    ],
)
def test_query_forms_find_the_intended_items(searcher: Search, query: str, expected: list[str]) -> None:
    assert codes(searcher.search(query)) == expected


def test_ranking_exact_then_prefix_then_contains_then_other(searcher: Search) -> None:
    hits = searcher.search("身份证")
    assert [(h.code, h.match) for h in hits] == [
        ("GA-004", "exact"),  # 身份证 (popularity 1 but the whole name)
        ("GA-001", "contains"),  # popularity 50
        ("GA-002", "contains"),  # 40
        ("GA-003", "contains"),  # 10
        ("SB-001", "other"),  # only its material 居民身份证 matches
    ]


def test_prefix_bucket_orders_by_popularity_then_code(searcher: Search) -> None:
    hits = searcher.search("港澳通行证")
    assert [(h.code, h.match) for h in hits] == [
        ("CR-001", "exact"),
        ("CR-002", "prefix"),
        ("CR-003", "contains"),  # same popularity as CR-002, but only contains
    ]
    # CR-002 and CR-003 tie on popularity 90: within one bucket, code decides.
    assert codes(searcher.search("通行证")) == ["CR-002", "CR-003", "CR-001", "CR-004"]


@pytest.mark.parametrize("query", ["ＧＡＴＸＺ", "  gaTxz ", "港 澳 通 行 证", "港澳通行证\u3000", "Gangao"])
def test_queries_are_normalised(searcher: Search, query: str) -> None:
    reference = {"ＧＡＴＸＺ": "gatxz", "  gaTxz ": "gatxz", "Gangao": "gangao"}.get(query, "港澳通行证")
    assert codes(searcher.search(query)) == codes(searcher.search(reference))
    assert searcher.search(query)


def test_full_width_brackets_in_names_match_half_width(searcher: Search) -> None:
    assert codes(searcher.search("(购房)")) == ["GJJ-001"]
    assert codes(searcher.search("（购房）")) == ["GJJ-001"]


def test_department_category_and_audience_filters(searcher: Search) -> None:
    assert codes(searcher.search("证", department="出入境管理局")) == ["CR-002", "CR-003", "CR-001", "CR-004"]
    assert codes(searcher.search("证", category="户籍")) == ["GA-001", "GA-002", "GA-003", "GA-004"]
    assert codes(searcher.search("住房", audience="enterprise")) == ["GJJ-002"]
    assert searcher.search("港澳", department="公安局") == []
    assert codes(searcher.search("", category="公积金")) == ["GJJ-001", "GJJ-002"]


def test_empty_query_lists_popular_items(searcher: Search) -> None:
    hits = searcher.search("   ", limit=3)
    assert codes(hits) == ["CR-002", "CR-003", "GJJ-001"]
    assert {h.match for h in hits} == {"popular"}


def test_pages_concatenate_to_the_whole_ranking(searcher: Search) -> None:
    whole = codes(searcher.search("证", limit=50))
    pages = [codes(searcher.search("证", limit=3, offset=start)) for start in range(0, len(whole) + 3, 3)]
    assert [code for page in pages for code in page] == whole


def test_bad_arguments_raise_value_error(searcher: Search) -> None:
    with pytest.raises(ValueError, match="limit"):
        searcher.search("证", limit=0)
    with pytest.raises(ValueError, match="offset"):
        searcher.search("证", offset=-1)
    with pytest.raises(ValueError, match="audience"):
        searcher.search("证", audience="people")


@pytest.mark.parametrize("query", ['"', '""', "a\"b", "*", "港*", "NOT", "{name}", "(", "^港", "-", "a OR b", "\x00"])
def test_fts_syntax_in_queries_is_taken_literally(searcher: Search, query: str) -> None:
    for hit in searcher.search(query):
        assert normalize(query) in normalize(hit.name) + "|" + normalize(hit.department) + "|" + normalize(
            hit.category
        ) or hit.match == "other"


# --- against a brute-force reference ----------------------------------------------------------------


def reference(items: list[dict[str, Any]], query: str, **filters: str) -> list[str]:
    """The agreed ranking, computed the slow and obvious way."""
    q = normalize(query)
    ranked = []
    for item in items:
        if any(item[key] != value for key, value in filters.items()):
            continue
        name = normalize(item["name"])
        full, initials = pinyin_forms(name)
        columns = (name, full, initials)
        others = [normalize(t) for t in (item["department"], item["category"], item["summary"])]
        others += [normalize(m["name"]) for m in item["materials"]]
        if not q or q in columns:
            bucket = 0
        elif any(c.startswith(q) for c in columns):
            bucket = 1
        elif any(q in c for c in columns):
            bucket = 2
        elif any(q in o for o in others if o):
            bucket = 3
        else:
            continue
        ranked.append((bucket, -min(item["popularity"], POPULARITY_RANK_CAP), item["code"]))
    return [code for _, _, code in sorted(ranked)]


@pytest.mark.parametrize(
    "query", ["证", "港澳", "身份证", "sfz", "s", "z", "zh", "gong", "jin", "住房", "登记", "公积金", "e", "", "局"]
)
def test_matches_reference_ranking(searcher: Search, query: str) -> None:
    assert codes(searcher.search(query, limit=100)) == reference(ITEMS, query)


NAME_PARTS = ["居民", "身份证", "港澳", "通行证", "住房", "公积金", "提取", "社会", "保险", "登记", "换领", "补领"]
name_strategy = st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=4).map("".join)
item_strategy = st.tuples(name_strategy, st.integers(0, 5), st.sampled_from(["公安局", "社保局"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(item_strategy, min_size=1, max_size=25),
    probe=st.tuples(st.integers(0, 24), st.integers(0, 30), st.integers(1, 6), st.sampled_from(["name", "py", "ini"])),
    department=st.sampled_from([None, "公安局"]),
)
def test_random_catalogues_match_reference(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[tuple[str, int, str]],
    probe: tuple[int, int, int, str],
    department: str | None,
) -> None:
    items = [
        make_item(f"C{i:03d}", name, popularity, department=department_)
        for i, (name, popularity, department_) in enumerate(entries)
    ]
    # A query cut out of one of the names, its pinyin or its initials.
    index, start, length, column = probe
    name = normalize(items[index % len(items)]["name"])
    text = dict(zip(("py", "ini"), pinyin_forms(name), strict=True)).get(column, name)
    query = text[start % len(text) :][:length]
    database = Database(tmp_path_factory.mktemp("hypothesis") / "kiosk.db")
    try:
        Catalog(database).import_document(catalogue(items))
        filters = {} if department is None else {"department": department}
        hits = Search(database).search(query, limit=100, **filters)
        assert codes(hits) == reference(items, query, **filters)
        for hit in hits:
            name = normalize(hit.name)
            assert query in name or query in "".join(pinyin_forms(name)) or hit.match == "other"
    finally:
        database.close()


@settings(max_examples=200, deadline=None)
@given(query=st.text(min_size=0, max_size=8))
def test_any_text_is_a_valid_query_and_hits_contain_it(searcher: Search, query: str) -> None:
    hits = searcher.search(query, limit=100)
    assert codes(hits) == reference(ITEMS, query)


# --- increments keep the order exact ------------------------------------------------------------------


def test_increment_items_rank_by_code_within_equal_popularity(tmp_path: Path) -> None:
    database = Database(tmp_path / "kiosk.db")
    try:
        catalog = Catalog(database)
        catalog.import_document(catalogue([make_item(f"B{i}", f"登记事项{i}", 7) for i in range(5)]))
        # A0 sorts before every existing code: it gets a seq between neighbours, order stays exact.
        assert catalog.apply_increment({"version": 2, "items": [make_item("A0", "登记事项新", 7)], "deleted": ["B2"]})
        search = Search(database)
        assert codes(search.search("登记")) == ["A0", "B0", "B1", "B3", "B4"]
        # Popularity change moves an item; deletion removes it from every table.
        assert catalog.apply_increment({"version": 3, "items": [make_item("B4", "登记事项4", 8)], "deleted": []})
        assert codes(search.search("登记", limit=2)) == ["B4", "A0"]
        assert codes(search.search("djsx")) == ["B4", "A0", "B0", "B1", "B3"]
    finally:
        database.close()


def test_order_stays_exact_when_increments_exhaust_the_gaps(tmp_path: Path) -> None:
    database = Database(tmp_path / "kiosk.db")
    try:
        catalog = Catalog(database)
        catalog.import_document(catalogue([make_item("M", "登记事项", 7)]))
        version = 2
        # Bisecting towards "A" halves the gap below "M" each time; after 32 codes it is gone.
        for depth in range(1, 40):
            code = "A" + "0" * (40 - depth)
            assert catalog.apply_increment({"version": version, "items": [make_item(code, "登记事项", 7)]})
            version += 1
        search = Search(database)
        every = [h.code for h in search.search("登记", limit=100)]
        assert every == sorted(every)
        pages = [codes(search.search("登记", limit=7, offset=start)) for start in range(0, 42, 7)]
        assert [code for page in pages for code in page] == every
    finally:
        database.close()
