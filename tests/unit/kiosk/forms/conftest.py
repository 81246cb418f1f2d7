"""A resident's identity for pre-filling, as kiosk.identity.resident.Resident will hand it over (sample data)."""

from __future__ import annotations

import pytest

RESIDENT = {
    "name": "张秀英",
    "id_number": "330102195203071229",
    "gender": "女",
    "birth_date": "1952-03-07",
    "nation": "汉",
    "address": "浙江省杭州市上城区清波街道河坊街126号3幢2单元501室",
    "phone": "13812345678",
    "source": "idcard",
}


@pytest.fixture
def resident() -> dict[str, str]:
    return dict(RESIDENT)
