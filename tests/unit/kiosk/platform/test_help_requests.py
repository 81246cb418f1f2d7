"""Help requests: counted durably, handed to exactly one heartbeat, then counted from zero."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.config import Config, config_from_mapping
from kiosk.platform.help_requests import HelpRequests, station_phone
from offline_cache.store import OfflineCache


def test_requests_survive_a_restart_and_move_into_one_heartbeat(tmp_path: Path) -> None:
    cache = OfflineCache.open(tmp_path, terminal_id="T1")
    try:
        help_requests = HelpRequests(cache.sync_state)
        assert help_requests.take() == 0
        assert help_requests.record() == 1
        assert help_requests.record() == 2
    finally:
        cache.close()
    cache = OfflineCache.open(tmp_path, terminal_id="T1")
    try:
        help_requests = HelpRequests(cache.sync_state)
        assert help_requests.pending() == 2
        assert help_requests.take() == 2
        assert help_requests.take() == 0
        assert help_requests.record() == 1
    finally:
        cache.close()


def test_concurrent_records_are_all_counted(tmp_path: Path) -> None:
    cache = OfflineCache.open(tmp_path, terminal_id="T1")
    try:
        help_requests = HelpRequests(cache.sync_state)
        taken: list[int] = []

        def press() -> None:
            for _ in range(10):
                help_requests.record()
            cache.db.close_thread_connection()

        threads = [threading.Thread(target=press) for _ in range(4)]
        for t in threads:
            t.start()
        taken.append(help_requests.take())
        for t in threads:
            t.join()
        taken.append(help_requests.take())
        assert sum(taken) == 40
    finally:
        cache.close()


def test_station_phone_is_empty_until_configured() -> None:
    assert station_phone(Config()) == ""


def test_station_phone_from_config() -> None:
    config = config_from_mapping({"terminal": {"help_phone": " 0571-86500000 "}})
    assert station_phone(config) == "0571-86500000"


def test_asking_for_help_says_what_becomes_of_the_request(tmp_path: Path) -> None:
    from kiosk.platform.help_requests import ask_for_help
    from kiosk.status import NetworkState

    cache = OfflineCache.open(tmp_path, terminal_id="T1")
    try:
        requests = HelpRequests(cache.sync_state)
        woken: list[int] = []
        answer = ask_for_help(requests, lambda: NetworkState.DISABLED, 300, lambda: woken.append(1))
        assert answer.outcome == "no_platform"
        assert requests.pending() == 0
        assert woken == []
        answer = ask_for_help(requests, lambda: NetworkState.OFFLINE, 300, lambda: woken.append(1))
        assert answer.outcome == "kept"
        answer = ask_for_help(requests, lambda: NetworkState.ONLINE, 290, lambda: woken.append(1))
        assert answer.outcome == "on_its_way"
        assert answer.minutes == 5  # one heartbeat interval, rounded up
        assert requests.pending() == 2
        assert woken == [1, 1]
    finally:
        cache.close()
