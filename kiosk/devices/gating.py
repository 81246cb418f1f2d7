"""Service gating: which devices each home service needs, and whether it can be used right now.

A service needs every one of its requirements; a requirement is met when at least one of its roles is
usable (declarations need the camera OR the scanner, AND the ID-card OR the citizen-card reader). A
device counts as down only when it is known to be: OFFLINE, or not configured on this terminal. A
device still being checked (UNKNOWN) does not close a service: the service itself reports a failure
when it meets one, and a resident is not turned away on a guess.

Optional needs (printing a guide, scanning a receipt's QR code) never close a service; they only add
a note that part of it is unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drivers.status import DeviceState, DeviceStatus

# role -> (Chinese, English) as a resident would name the device.
DEVICE_NAMES: dict[str, tuple[str, str]] = {
    "idcard": ("身份证阅读器", "ID-card reader"),
    "citizencard": ("市民卡读卡器", "citizen-card reader"),
    "printer": ("打印机", "printer"),
    "camera": ("高拍仪", "document camera"),
    "scanner": ("扫描仪", "scanner"),
}

_DOWN_STATES = frozenset({DeviceState.OFFLINE, DeviceState.NOT_CONFIGURED})


@dataclass(frozen=True)
class Requirement:
    """At least one of `any_of` must be usable."""

    any_of: tuple[str, ...]


# service key (the home tile's key) -> what it cannot work without.
SERVICE_NEEDS: dict[str, tuple[Requirement, ...]] = {
    "guide": (),
    "forms": (Requirement(("printer",)),),
    "declare": (Requirement(("camera", "scanner")), Requirement(("idcard", "citizencard"))),
    "progress": (),
    "rating": (),
}

# service key -> (requirement, what is lost without it (zh, en)). The service itself still works.
SERVICE_OPTIONAL: dict[str, tuple[tuple[Requirement, tuple[str, str]], ...]] = {
    "guide": ((Requirement(("printer",)), ("暂不能打印指南", "Guide printing unavailable")),),
    "progress": ((Requirement(("camera",)), ("暂不能扫码查询", "QR lookup unavailable")),),
}


@dataclass(frozen=True)
class Gate:
    """Whether `service` can be started now; if not, why, in a few words a resident understands."""

    service: str
    available: bool
    reason_zh: str = ""
    reason_en: str = ""
    # Roles that are down and needed (or, for an available service, optional and down).
    down: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """The tile's note: Chinese line, English line; empty when there is nothing to say."""
        if not self.reason_zh:
            return ""
        return f"{self.reason_zh}\n{self.reason_en}"


def is_down(status: DeviceStatus) -> bool:
    return status.state in _DOWN_STATES


def _status(statuses: Mapping[str, DeviceStatus], role: str) -> DeviceStatus:
    # A role the mapping does not name is not attached to this terminal.
    return statuses.get(role, DeviceStatus(DeviceState.NOT_CONFIGURED))


def _unmet(requirement: Requirement, statuses: Mapping[str, DeviceStatus]) -> bool:
    return all(is_down(_status(statuses, role)) for role in requirement.any_of)


def _names(roles: tuple[str, ...], statuses: Mapping[str, DeviceStatus]) -> tuple[str, str]:
    """'打印机故障' / 'printer out of order'; several roles: '高拍仪、扫描仪均不可用'."""
    if len(roles) == 1:
        zh, en = DEVICE_NAMES[roles[0]]
        if _status(statuses, roles[0]).state is DeviceState.NOT_CONFIGURED:
            return f"本机未配备{zh}", f"no {en} at this terminal"
        return f"{zh}故障", f"{en} out of order"
    zh_names = "、".join(DEVICE_NAMES[r][0] for r in roles)
    en_names = " and ".join(DEVICE_NAMES[r][1] for r in roles)
    return f"{zh_names}均不可用", f"{en_names} unavailable"


def gate(service: str, statuses: Mapping[str, DeviceStatus]) -> Gate:
    """The gate of one service for the given device statuses."""
    unmet = [r for r in SERVICE_NEEDS.get(service, ()) if _unmet(r, statuses)]
    if unmet:
        parts = [_names(r.any_of, statuses) for r in unmet]
        down = tuple(role for r in unmet for role in r.any_of)
        return Gate(
            service, False,
            "暂停服务：" + "；".join(zh for zh, _ in parts),
            "Unavailable: " + "; ".join(en for _, en in parts),
            down,
        )
    lost = [(r, text) for r, text in SERVICE_OPTIONAL.get(service, ()) if _unmet(r, statuses)]
    if lost:
        return Gate(
            service, True,
            "；".join(zh for _, (zh, _en) in lost),
            "; ".join(en for _, (_zh, en) in lost),
            tuple(role for r, _ in lost for role in r.any_of),
        )
    return Gate(service, True)


def gate_all(statuses: Mapping[str, DeviceStatus], services: tuple[str, ...] | None = None) -> dict[str, Gate]:
    """Every service's gate (all services of SERVICE_NEEDS unless `services` names some)."""
    return {key: gate(key, statuses) for key in (services or tuple(SERVICE_NEEDS))}
