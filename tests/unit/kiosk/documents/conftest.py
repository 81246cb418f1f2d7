from __future__ import annotations

import pytest

from tests.conftest import ExpectedLogs


@pytest.fixture
def refusals(expected_logs: ExpectedLogs) -> None:
    """A refused document is logged for the technician (kiosk.documents)."""
    expected_logs("kiosk.documents", "document refused: ")
