"""The guide facade (kiosk/resident/guides.py) over the bundled sample catalogue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from kiosk.config import sample_catalog_path
from kiosk.resident.guides import ALL, WAIVABLE_MARK, CategoryFilter, Guides, build_detail, limit_text, visits_text
from offline_cache.store import OfflineCache


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guides]:
    cache = OfflineCache.open(tmp_path_factory.mktemp("cache"), terminal_id="T-TEST")
    cache.catalog.import_file(sample_catalog_path())
    try:
        yield Guides(cache)
    finally:
        cache.close()


def codes(rows: list[object]) -> list[str]:
    return [row.code for row in rows]  # type: ignore[attr-defined]


def test_categories_start_with_all_and_the_audiences_then_themes_with_counts(guides: Guides) -> None:
    cats = guides.categories()
    assert cats[0] == ALL
    assert [(c.kind, c.value, c.label) for c in cats[1:3]] == [
        ("audience", "personal", "个人办事"), ("audience", "enterprise", "法人办事"),
    ]
    themes = {c.value: c.item_count for c in cats[3:]}
    assert all(c.kind == "theme" for c in cats[3:])
    assert themes["户籍"] == 16
    assert themes["出入境"] == 6
    counts = [c.item_count or 0 for c in cats[3:]]
    assert counts == sorted(counts, reverse=True)
    assert len({c.key for c in cats}) == len(cats)


def test_search_by_chinese_puts_name_matches_first(guides: Guides) -> None:
    rows = guides.search("港澳")
    assert rows[0].name == "往来港澳通行证签注（再次签注）"
    assert {r.name for r in rows[:3]} >= {"往来港澳通行证签注（再次签注）", "往来港澳通行证签发"}
    assert "出入境" in rows[0].details


@pytest.mark.parametrize(("query", "first"), [
    ("sfz", "居民身份证换领"),
    ("gatxz", "往来港澳通行证签注（再次签注）"),
    ("SFZ", "居民身份证换领"),
])
def test_search_by_pinyin_initials(guides: Guides, query: str, first: str) -> None:
    assert guides.search(query)[0].name == first


def test_search_respects_the_limit_and_an_empty_query_lists_popular_items(guides: Guides) -> None:
    assert len(guides.search("", limit=5)) == 5
    assert guides.search("")[0].name == "居民身份证换领"  # the most asked-for item of the sample
    assert len(guides.search("")) == 20


def test_search_filters_by_audience_and_theme(guides: Guides) -> None:
    enterprise = CategoryFilter("audience", "enterprise", "法人办事")
    rows = guides.search("", enterprise, limit=100)
    assert len(rows) == 35
    assert all(r.details.endswith("法人") for r in rows)
    theme = CategoryFilter("theme", "婚姻", "婚姻", 6)
    rows = guides.search("", theme, limit=100)
    assert len(rows) == 6
    assert "结婚登记" in {r.name for r in rows}
    assert guides.search("sfz", theme) == []


def test_no_match_is_an_empty_list(guides: Guides) -> None:
    assert guides.search("qqqqxyz") == []


def test_detail_has_every_section_with_waivable_marks(guides: Guides) -> None:
    detail = guides.detail("330000-GA-QR-0005")  # 户口迁移（投靠）: two waivable materials
    assert detail is not None
    assert detail.visits_badge == "最多跑一次"
    titles = [s.title for s in detail.sections]
    assert titles[:2] == ["事项简介", "办理方式"]
    for title in ("办理条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理地点和时间", "咨询和投诉电话"):
        assert title in titles
    materials = next(s for s in detail.sections if s.title == "申请材料")
    marked = [line for line in materials.lines if line.mark == WAIVABLE_MARK]
    assert len(marked) == 2
    assert materials.lines[-1].text.startswith(f"标有「{WAIVABLE_MARK}」")
    assert marked[0].prefix.endswith(". ")
    assert marked[0].plain.startswith(f"{marked[0].prefix}【{WAIVABLE_MARK}】")
    steps = next(s for s in detail.sections if s.title == "办理流程")
    assert steps.lines[0].plain.startswith("第1步：")
    item = detail.item
    text = "\n".join(line.text for s in detail.sections for line in s.lines)
    for value in (item.place, item.hours, item.phone_consult, item.phone_complaint, item.fees, item.code):
        assert value in text


def test_detail_of_an_unknown_code_is_none(guides: Guides) -> None:
    assert guides.detail("nope") is None


def test_visits_and_limits_in_plain_words() -> None:
    assert [visits_text(n) for n in (0, 1, 2, 3)] == ["零跑动", "最多跑一次", "需跑2次", "需跑3次"]
    assert limit_text(0) == "即办（当场办结）"
    assert limit_text(20) == "20个工作日"


def test_declarable_here_online_and_express_are_spelled_out(guides: Guides) -> None:
    detail = guides.detail("330000-GA-QR-0002")
    assert detail is not None
    item = dataclasses.replace(detail.item, declarable_here=False, online=False, express=True, visits=0,
                               promised_limit_days=0)
    rebuilt = build_detail(item)
    assert rebuilt.visits_badge == "零跑动"
    how = next(s for s in rebuilt.sections if s.title == "办理方式")
    texts = [line.text for line in how.lines]
    assert "本终端：不能在这里申报，请到窗口办理" in texts
    assert "网上办理：需要到现场办理" in texts
    assert "结果送达：可以快递送达" in texts
    limits = next(s for s in rebuilt.sections if s.title == "办理时限")
    assert limits.lines[0].text == "承诺时限：即办（当场办结）"

