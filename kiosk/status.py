"""What the status strip shows: network reachability and the health of each device role.

The screen layer reads these values only; drivers and the sync engine produce them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from drivers.status import DeviceState, DeviceStatus
from kiosk.config import Config

__all__ = ["DEVICE_ROLES", "DeviceState", "DeviceStatus", "NetworkState", "SystemStatus", "initial_status"]

# The roles the home screen and the status strip know about, in display order.
DEVICE_ROLES = ("idcard", "citizencard", "printer", "camera", "scanner")


class NetworkState(enum.Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    # The platform answered, and refused this terminal's id or token (401/403): not offline, and nothing
    # is sent until a technician fixes the credentials.
    CREDENTIALS_REFUSED = "credentials_refused"
    # No platform configured: the terminal works offline by design.
    DISABLED = "disabled"


@dataclass(frozen=True)
class SystemStatus:
    network: NetworkState = NetworkState.UNKNOWN
    devices: dict[str, DeviceStatus] = field(default_factory=dict)
    outbox_depth: int = 0

    def device(self, role: str) -> DeviceStatus:
        return self.devices.get(role, DeviceStatus(DeviceState.NOT_CONFIGURED))


def initial_status(config: Config) -> SystemStatus:
    """Status before anything was probed: configured devices are UNKNOWN, never presumed OK."""
    devices: dict[str, DeviceStatus] = {}
    for role in DEVICE_ROLES:
        backend = getattr(config.devices, role).backend
        state = DeviceState.NOT_CONFIGURED if backend == "none" else DeviceState.UNKNOWN
        devices[role] = DeviceStatus(state, detail=backend)
    network = NetworkState.UNKNOWN if config.platform.url else NetworkState.DISABLED
    return SystemStatus(network=network, devices=devices)
