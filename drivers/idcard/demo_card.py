"""The card the simulator presents when no fixture is given: the made-up person of the reference
test vector (device-protocols.md 6.5), so `kiosk demo` works on a fresh machine."""

from __future__ import annotations

from typing import Any

DEMO_CARD: dict[str, Any] = {
    "kind": "resident",
    "name": "测试样例",
    "gender": "男",
    "nation": "汉",
    "birth_date": "1990-03-07",
    "address": "浙江省杭州市西湖区测试路1号",
    "id_number": "330106199003070014",
    "issuer": "杭州市公安局西湖分局",
    "valid_from": "2020-01-01",
    "valid_to": "2040-01-01",
}
