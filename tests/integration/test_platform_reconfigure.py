"""A terminal installed before its platform address was known: the technician enters the address and
token on the setup screen, and what waited in the outbox is delivered without restarting the kiosk."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiosk.config import config_from_mapping
from kiosk.platform.sync import SyncStatus
from kiosk.runtime import KioskRuntime, SetupError
from kiosk.status import NetworkState
from kiosk.technician.config_write import apply_changes
from reference_platform.runner import RunningPlatform
from tests.integration import conftest_platform
from tests.integration.conftest_platform import TOKEN, Admin

reference_platform = conftest_platform.reference_platform
platform_admin = conftest_platform.platform_admin

NONE = {"backend": "none"}


def offline_runtime(tmp_path: Path) -> KioskRuntime:
    config = config_from_mapping({
        "sync": {"interval_s": 1.0, "backoff_base_s": 0.2, "backoff_cap_s": 1.0},
        "devices": {"idcard": NONE, "citizencard": NONE, "printer": NONE, "camera": NONE, "scanner": NONE},
    })
    return KioskRuntime(config, tmp_path)


def test_platform_entered_later_delivers_the_waiting_outbox_without_a_restart(
    tmp_path: Path, reference_platform: RunningPlatform, platform_admin: Admin,
) -> None:
    runtime = offline_runtime(tmp_path / "kiosk")
    heard: list[SyncStatus] = []
    delivered = threading.Event()

    def listener(status: SyncStatus) -> None:
        heard.append(status)
        if status.network is NetworkState.ONLINE and status.depth == 0:
            delivered.set()

    runtime.sync.add_listener(listener)
    runtime.start()
    try:
        waiting = runtime.cache.outbox.add_submission("330000-GA-XK-0001", {"form": {}}, {"name": "张三"})
        assert runtime.sync.status().network is NetworkState.DISABLED
        (tmp_path / "kiosk" / "platform.token").write_text(TOKEN + "\n", encoding="utf-8")
        (tmp_path / "kiosk" / "platform.token").chmod(0o600)
        new = apply_changes(runtime.config, {"platform.url": reference_platform.url,
                                             "platform.token_file": "platform.token"})
        applied = runtime.apply_config(new)
        assert applied.restart == ()
        assert delivered.wait(60), heard[-1:]  # the same engine, heard by the same listener
        item = runtime.cache.outbox.get(waiting.uuid)
        assert item.state == "accepted"
        assert platform_admin.submission(waiting.uuid)["answer"]["case_no"] == item.case_no
    finally:
        runtime.close()


def test_a_missing_token_file_is_reported_and_nothing_changes(tmp_path: Path) -> None:
    runtime = offline_runtime(tmp_path)
    try:
        new = apply_changes(runtime.config, {"platform.url": "https://platform.example",
                                             "platform.token_file": "missing.token"})
        with pytest.raises(SetupError, match=r"missing\.token"):
            runtime.apply_config(new)
        assert runtime.config.platform.url == ""
        assert runtime.sync.status().network is NetworkState.DISABLED
    finally:
        runtime.close()
