"""Cards are read through the device manager's own readers, never a second handle on the same port."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import config_from_mapping
from kiosk.devices.manager import DeviceManager
from kiosk.identity.read import managed_card_readers, read_resident
from kiosk.identity.resident import IdentitySource


def test_read_resident_through_the_manager(tmp_path: Path) -> None:
    config = config_from_mapping({
        "devices": {"idcard": {"backend": "simulated"}, "citizencard": {"backend": "none"}},
    })
    manager = DeviceManager.from_config(config, tmp_path)
    try:
        with managed_card_readers(manager) as readers:
            assert readers.idcard is not None
            assert readers.citizencard is None
            resident = read_resident(readers, 5.0)
        assert resident.source is IdentitySource.ID_CARD
        assert resident.name
        # The manager still owns the reader: the same driver is handed out again.
        with managed_card_readers(manager) as again:
            assert again.idcard is readers.idcard
    finally:
        manager.stop()
