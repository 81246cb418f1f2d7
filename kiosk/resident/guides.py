"""What the guide lookup (办事指南) screens show, worked out from the offline cache without Qt.

The screens stay thin: they ask this facade for the category buttons, a page of results for what the
resident has typed so far, and a guide's detail already split into titled sections of plain Chinese
lines (容缺 marks, time limits and visits spelled out), and only lay them out.

Thread use: as the cache's (any thread). A search is about a millisecond (offline_cache/search.py),
so the GUI thread may call `search` directly for type-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk.forms.guide_lines import delivery_text, here_text, online_text
from offline_cache.catalog import Material, ServiceItem
from offline_cache.store import OfflineCache

# Enough rows to fill two screens of large type; a resident who needs more types another character.
PAGE_SIZE = 20

FilterKind = Literal["all", "audience", "theme"]

AUDIENCE_LABELS = {"personal": "个人办事", "enterprise": "法人办事"}
_AUDIENCE_SHORT = {"personal": "个人", "enterprise": "法人"}
_FORMS = {"paper": "纸质", "electronic": "电子", "either": "纸质或电子"}
WAIVABLE_MARK = "可容缺后补"


@dataclass(frozen=True, slots=True)
class CategoryFilter:
    """One category button: everything, an audience (个人/法人), or a theme with its item count."""

    kind: FilterKind
    value: str  # "" for all, the audience code, or the theme name
    label: str
    item_count: int | None = None  # themes only: the catalogue has no audience facet to count cheaply

    @property
    def key(self) -> str:
        """Stable identifier, used for the button's objectName suffix."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.value}"


ALL = CategoryFilter("all", "", "全部")


@dataclass(frozen=True, slots=True)
class GuideRow:
    """One search result as a row shows it."""

    code: str
    name: str
    details: str  # second line: department · theme · 个人/法人


@dataclass(frozen=True, slots=True)
class GuideLine:
    """A line of a detail section: `prefix` (a number: "1. ", "第1步："), then `mark`, a short highlighted
    note such as the 容缺 mark (placed first, where an eye scanning the list meets it), then `text`."""

    text: str
    mark: str = ""
    prefix: str = ""

    @property
    def plain(self) -> str:
        """The whole line as plain text (for a screen reader or a test)."""
        return self.prefix + (f"【{self.mark}】" if self.mark else "") + self.text


@dataclass(frozen=True, slots=True)
class GuideSection:
    title: str
    lines: tuple[GuideLine, ...]


@dataclass(frozen=True, slots=True)
class GuideDetail:
    """A guide ready to lay out: a header with badges, then titled sections in reading order."""

    code: str
    name: str
    department: str
    visits: int
    visits_badge: str
    declarable_here: bool
    online: bool
    express: bool
    sections: tuple[GuideSection, ...]
    item: ServiceItem  # for printing the guide


def visits_text(visits: int) -> str:
    """到现场次数 in the words residents know: 0 = 零跑动, 1 = 最多跑一次, n = 需跑n次."""
    if visits <= 0:
        return "零跑动"
    if visits == 1:
        return "最多跑一次"
    return f"需跑{visits}次"


def limit_text(days: int) -> str:
    return "即办（当场办结）" if days == 0 else f"{days}个工作日"


def material_line(material: Material) -> GuideLine:
    needed = "必须提供" if material.required else "有则提供"
    text = f"{material.name}（{material.copies}，{_FORMS[material.form]}，{needed}）"
    if material.note:
        text += f"。{material.note}"
    return GuideLine(text, WAIVABLE_MARK if material.waivable else "")


def _numbered(items: tuple[str, ...], prefix: str = "{}. ") -> tuple[GuideLine, ...]:
    return tuple(GuideLine(text, prefix=prefix.format(i)) for i, text in enumerate(items, start=1))


def build_detail(item: ServiceItem) -> GuideDetail:
    sections: list[GuideSection] = []
    if item.summary:
        sections.append(GuideSection("事项简介", (GuideLine(item.summary),)))
    sections.append(GuideSection("办理方式", (
        GuideLine(f"到现场次数：{visits_text(item.visits)}"),
        GuideLine(f"本终端：{here_text(item.declarable_here)}"),
        GuideLine(f"网上办理：{online_text(item.online)}"),
        GuideLine(f"结果送达：{delivery_text(item.express)}"),
    )))
    if item.conditions:
        sections.append(GuideSection("办理条件", _numbered(item.conditions)))
    if item.materials:
        lines = [GuideLine(line.text, line.mark, f"{i}. ")
                 for i, line in enumerate((material_line(m) for m in item.materials), start=1)]
        if any(m.waivable for m in item.materials):
            lines.append(GuideLine(f"标有「{WAIVABLE_MARK}」的材料，暂时缺少也可以先受理，之后再补交。"))
        sections.append(GuideSection("申请材料", tuple(lines)))
    if item.steps:
        sections.append(GuideSection("办理流程", _numbered(item.steps, "第{}步：")))
    sections.append(GuideSection("办理时限", (
        GuideLine(f"承诺时限：{limit_text(item.promised_limit_days)}"),
        GuideLine(f"法定时限：{limit_text(item.legal_limit_days)}"),
    )))
    sections.append(GuideSection("收费标准", (GuideLine(item.fees or "不收费"),)))
    sections.append(GuideSection("办理地点和时间", (
        GuideLine(f"办理部门：{item.department}"),
        GuideLine(f"办理地点：{item.place}"),
        GuideLine(f"办公时间：{item.hours}"),
    )))
    sections.append(GuideSection("咨询和投诉电话", (
        GuideLine(f"咨询电话：{item.phone_consult}"),
        GuideLine(f"投诉电话：{item.phone_complaint}"),
    )))
    if item.legal_basis:
        sections.append(GuideSection("设定依据", tuple(GuideLine(basis) for basis in item.legal_basis)))
    sections.append(GuideSection("事项编码", (GuideLine(item.code),)))
    return GuideDetail(
        code=item.code, name=item.name, department=item.department, visits=item.visits,
        visits_badge=visits_text(item.visits), declarable_here=item.declarable_here,
        online=item.online, express=item.express, sections=tuple(sections), item=item,
    )


class Guides:
    """The guide screens' view of the offline cache."""

    def __init__(self, cache: OfflineCache) -> None:
        self._cache = cache

    def categories(self) -> list[CategoryFilter]:
        """全部, 个人办事, 法人办事, then the themes, the ones with most items first."""
        themes = [CategoryFilter("theme", f.name, f.name, f.item_count) for f in self._cache.catalog.categories()]
        audiences = [CategoryFilter("audience", code, label) for code, label in AUDIENCE_LABELS.items()]
        return [ALL, *audiences, *themes]

    def search(self, query: str, category: CategoryFilter = ALL, limit: int = PAGE_SIZE) -> list[GuideRow]:
        """The best `limit` matches of `query` (Chinese, full pinyin or initials) within `category`.

        An empty query lists the most asked-for items, so a category button alone browses it.
        """
        audience = category.value if category.kind == "audience" else None
        theme = category.value if category.kind == "theme" else None
        hits = self._cache.search.search(query, audience=audience, category=theme, limit=limit)
        return [
            GuideRow(hit.code, hit.name, " · ".join(
                part for part in (hit.department, hit.category, _AUDIENCE_SHORT.get(hit.audience, "")) if part
            ))
            for hit in hits
        ]

    def detail(self, code: str) -> GuideDetail | None:
        """The guide of item `code`, None if the catalogue (perhaps just replaced by a sync) lacks it."""
        item = self._cache.catalog.get(code)
        return None if item is None else build_detail(item)
