"""Integration tests run against the real stacks `scripts/services.sh start` brings up."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("KIOSK_TEST_SERVICES") == "1":
        return
    # Outside the README's test command the services may be missing; say why instead of failing oddly.
    skip = pytest.mark.skip(reason="test services not started: run `bash scripts/test.sh` (or services.sh start)")
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(skip)
