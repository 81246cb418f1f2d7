"""sd_notify messages reach the socket systemd names, and nothing happens without one."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.watchdog import Notifier, watchdog_interval_s


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A datagram socket standing in for systemd's, bound in tmp_path."""
    path = tmp_path / "notify"
    if len(str(path)) >= 100:  # sun_path holds 108 bytes
        pytest.skip("tmp_path too long for an AF_UNIX socket path")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    try:
        yield server, str(path)
    finally:
        server.close()


def test_ready_ping_and_stopping_are_sent_as_systemd_expects(notify_socket: tuple[socket.socket, str]) -> None:
    server, path = notify_socket
    notifier = Notifier({"NOTIFY_SOCKET": path})
    try:
        assert notifier.enabled
        assert notifier.ready("home screen shown")
        assert notifier.ping()
        assert notifier.stopping()
    finally:
        notifier.close()
    assert server.recv(4096) == b"READY=1\nSTATUS=home screen shown"
    assert server.recv(4096) == b"WATCHDOG=1"
    assert server.recv(4096) == b"STOPPING=1"


def test_abstract_namespace_address() -> None:
    name = f"kiosk-test-{uuid.uuid4().hex}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    server.settimeout(5)
    notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
    try:
        assert notifier.ready()
        assert server.recv(4096) == b"READY=1"
    finally:
        notifier.close()
        server.close()


def test_without_notify_socket_nothing_is_sent() -> None:
    notifier = Notifier({"WATCHDOG_USEC": "30000000"})
    assert not notifier.enabled
    assert notifier.interval_s is None
    assert not notifier.ready()
    assert not notifier.ping()
    assert not notifier.stopping()


def test_a_relative_address_is_ignored() -> None:
    assert not Notifier({"NOTIFY_SOCKET": "notify"}).enabled


def test_a_vanished_socket_warns_once(tmp_path: Path, expected_logs: Any) -> None:
    expected_logs("kiosk.watchdog", "cannot notify systemd")
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    try:
        assert not notifier.ping()
        assert not notifier.ping()
    finally:
        notifier.close()


def test_watchdog_interval_is_half_of_watchdog_sec() -> None:
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15.0
    assert watchdog_interval_s({}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "soon"}) is None


def test_a_child_that_inherited_the_watchdog_does_not_ping() -> None:
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid() + 1)}) is None


def test_interval_comes_from_the_environment_only_with_a_socket(notify_socket: tuple[socket.socket, str]) -> None:
    _, path = notify_socket
    assert Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}).interval_s == 15.0
