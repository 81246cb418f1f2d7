from __future__ import annotations

import pytest

from tests.conftest import ExpectedLogs


@pytest.fixture
def refusals(expected_logs: ExpectedLogs) -> None:
    """A refused document is logged for the technician (kiosk.documents), and pyHanko warns with the
    certificate validator's own error along the way."""
    expected_logs("kiosk.documents", "document refused: ")
    expected_logs("pyhanko", "")
