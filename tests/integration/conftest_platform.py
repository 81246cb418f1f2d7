"""Fixtures for tests that talk to a reference platform started in this process (127.0.0.1, port 0).

Not a conftest.py (pytest does not load this file by itself): a test module in tests/integration imports
the fixtures it uses, e.g. `from conftest_platform import platform_client, reference_platform  # noqa: F401`.

- `reference_platform`: a `RunningPlatform` on a fresh database in tmp_path, with terminal T0001 (token
  TOKEN), the admin token ADMIN_TOKEN and a two-item catalogue; stopped (threads joined, database closed)
  at teardown.
- `platform_admin`: an `Admin` helper for /admin/* (faults, catalogue changes, case status, stats).
- `platform_client`: a `PlatformClient` for T0001, closed at teardown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.platform.client import PlatformClient
from reference_platform.runner import RunningPlatform

TERMINAL = "T0001"
TOKEN = "t0001-secret-token"
ADMIN_TOKEN = "admin-secret-token"


def catalog_item(code: str, name: str, **extra: Any) -> dict[str, Any]:
    """A catalogue item of the agreed shape (docs/catalog-format.md)."""
    item: dict[str, Any] = {
        "code": code,
        "name": name,
        "department": "公安局",
        "category": "户籍",
        "audience": "personal",
        "summary": "示例事项",
        "conditions": [],
        "materials": [
            {
                "name": "居民户口簿",
                "copies": "原件1份",
                "form": "paper",
                "required": True,
                "waivable": False,
                "note": "",
            }
        ],
        "steps": ["申请", "受理", "办结"],
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "fees": "不收费",
        "place": "市民中心",
        "hours": "工作日 9:00-17:00",
        "phones": {"consult": "12345", "complaint": "12345"},
        "visits": 1,
        "online": True,
        "express": False,
        "declarable_here": True,
        "forms": [],
        "legal_basis": [],
        "popularity": 10,
    }
    item.update(extra)
    return item


def write_catalog(path: Path, version: int = 3) -> Path:
    items = [catalog_item("330000-GA-XK-0001", "居民身份证换领"), catalog_item("330000-GA-XK-0002", "户口迁移")]
    path.write_text(
        json.dumps({"format": 1, "catalog_version": version, "sample": True, "items": items}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


class Admin:
    """/admin/* of a running reference platform, for tests."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def close(self) -> None:
        self.session.close()

    def _json(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session.request(method, self.base_url + path, json=body, timeout=(5, 30))
        assert response.status_code < 300, response.text
        return response.json()

    def faults(self, **switches: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._json("POST", "/admin/faults", switches)
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", "/admin/stats")
        return result

    def publish(self, upsert: Sequence[dict[str, Any]] = (), delete: Sequence[str] = ()) -> int:
        return int(self._json("POST", "/admin/catalog", {"upsert": list(upsert), "delete": list(delete)})["version"])

    def advance(self, number: str, status: str, note: str = "") -> dict[str, Any]:
        result: dict[str, Any] = self._json("POST", f"/admin/cases/{number}/status", {"status": status, "note": note})
        return result

    def rating(self, uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/ratings/{uuid}")
        return result

    def submission(self, key: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/submissions/{key}")
        return result

    def last_heartbeat(self, terminal_id: str = TERMINAL) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/terminals/{terminal_id}/heartbeat")
        return result

    def consent(self, consent_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/consents/{consent_id}")
        return result

    def licence_use(self, uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/licence-uses/{uuid}")
        return result

    def certificate(self, uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/admin/certificates/{uuid}")
        return result

    def trust_anchor(self) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", "/admin/trust-anchor")
        return result


@pytest.fixture
def reference_platform(tmp_path: Path) -> Iterator[RunningPlatform]:
    with RunningPlatform(
        tmp_path / "platform.db",
        catalog=write_catalog(tmp_path / "catalog.json"),
        terminals=[(TERMINAL, TOKEN)],
        admin_token=ADMIN_TOKEN,
    ) as platform:
        yield platform


@pytest.fixture
def platform_admin(reference_platform: RunningPlatform) -> Iterator[Admin]:
    admin = Admin(reference_platform.url)
    yield admin
    admin.close()


@pytest.fixture
def platform_client(reference_platform: RunningPlatform) -> Iterator[PlatformClient]:
    with PlatformClient(reference_platform.url, TERMINAL, TOKEN, timeout=(5.0, 30.0)) as client:
        yield client
