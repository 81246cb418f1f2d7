"""Device health as every kind reports it, for the status strip and service gating."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from drivers.errors import DeviceError


class DeviceState(enum.Enum):
    OK = "ok"
    BUSY = "busy"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    NOT_CONFIGURED = "not_configured"
    # Configured but not probed yet: never shown as working before a driver has said so.
    UNKNOWN = "unknown"


USABLE_STATES = frozenset({DeviceState.OK, DeviceState.BUSY, DeviceState.DEGRADED})


@dataclass(frozen=True)
class DeviceStatus:
    state: DeviceState
    detail: str = ""
    message_key: str = ""

    @property
    def usable(self) -> bool:
        return self.state in USABLE_STATES


def failed_look(error: DeviceError) -> DeviceStatus:
    """What a driver reports when its latest exchange with the device failed.

    DEGRADED, never OFFLINE: one failed look cannot tell a glitch from an outage. The device manager
    (kiosk/devices/manager.py) counts consecutive failed looks and is the one place that declares a
    device offline, so drivers keep no counts of their own.
    """
    return DeviceStatus(DeviceState.DEGRADED, error.code, error.message_key)
