"""Test data for the offline cache tests: catalogue items and a clock moved by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def make_item(code: str, name: str, popularity: int = 0, **overrides: Any) -> dict[str, Any]:
    """A valid catalogue item (docs/catalog-format.md) with sensible defaults."""
    item: dict[str, Any] = {
        "code": code,
        "name": name,
        "department": "公安局",
        "category": "户籍",
        "audience": "personal",
        "summary": "",
        "conditions": ["本市户籍居民"],
        "materials": [],
        "steps": ["申请", "受理", "办结"],
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "fees": "不收费",
        "place": "市民中心一楼",
        "hours": "工作日 9:00-17:00",
        "phones": {"consult": "0571-12345", "complaint": "12345"},
        "visits": 1,
        "online": True,
        "express": False,
        "declarable_here": True,
        "forms": [],
        "legal_basis": ["《中华人民共和国居民身份证法》"],
        "popularity": popularity,
    }
    item.update(overrides)
    return item


def material(name: str) -> dict[str, Any]:
    return {"name": name, "copies": "原件1份", "form": "paper", "required": True, "waivable": False, "note": ""}


def catalogue(items: list[dict[str, Any]], version: int = 1) -> dict[str, Any]:
    return {"format": 1, "catalog_version": version, "sample": True, "items": items}
