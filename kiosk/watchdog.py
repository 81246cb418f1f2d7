"""Tells systemd how the kiosk is doing (sd_notify), with nothing but the standard library.

The unit (packaging/kiosk.service) is `Type=notify` with `WatchdogSec=`: systemd counts the kiosk as
started only when it sends READY=1, which the screen layer sends once the home screen has painted, and
restarts it when the WATCHDOG=1 pings stop. The screen layer pings from a timer on the GUI thread, so a
hung GUI thread (the one failure a resident sees as a frozen screen) stops the pings. STOPPING=1 says a
shutdown is deliberate.

Outside systemd ($NOTIFY_SOCKET unset: a terminal, the tests, `kiosk demo`) every call does nothing.
The protocol is one datagram per message on an AF_UNIX socket; see sd_notify(3). libsystemd's
sd_notify would be a native dependency for a dozen lines of socket code.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("kiosk.watchdog")


def _address(value: str) -> str | None:
    # "@name" is a socket in the abstract namespace (what systemd uses inside containers); any other
    # absolute path is a file-system socket. Anything else is not ours to guess at.
    if value.startswith("@"):
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None


def watchdog_interval_s(environ: Mapping[str, str] | None = None) -> float | None:
    """Seconds between WATCHDOG=1 pings: half of systemd's WatchdogSec (as sd_watchdog_enabled(3)
    advises), or None when no watchdog is asked of this process."""
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC", "")
    pid = env.get("WATCHDOG_PID", "")
    # WATCHDOG_PID names the process the watchdog is meant for; a child that inherited it must not ping.
    if pid and pid != str(os.getpid()):
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    if value <= 0:
        return None
    return value / 2_000_000


class Notifier:
    """Sends sd_notify messages to the socket named by $NOTIFY_SOCKET; a no-op without one.

    Safe to call from any thread: each message is one `sendto` on a socket opened once.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.interval_s = watchdog_interval_s(env) if self.address is not None else None
        self._socket: socket.socket | None = None
        self._failed = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, *assignments: str) -> bool:
        """Sends `assignments` ("READY=1", "STATUS=...") as one message; returns whether it was sent."""
        if self.address is None or not assignments:
            return False
        message = "\n".join(assignments).encode("utf-8")
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message, self.address)
        except OSError as exc:
            # Once is enough: without the socket systemd will restart us when the watchdog runs out,
            # and a warning every 15 s would bury the log line that explains it.
            if not self._failed:
                log.warning("watchdog: cannot notify systemd at %s: %s", self.address.replace("\0", "@"), exc)
            self._failed = True
            return False
        self._failed = False
        return True

    def ready(self, status: str = "") -> bool:
        """The kiosk is up: systemd finishes starting the unit (and its watchdog clock starts)."""
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def ping(self) -> bool:
        """The GUI thread is alive; resets systemd's watchdog clock."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """A deliberate shutdown has begun: systemd shows the unit as deactivating, not hung."""
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
