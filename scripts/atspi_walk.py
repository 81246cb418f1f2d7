#!/usr/bin/python3
"""Walks the kiosk's journeys through the accessibility bus (AT-SPI), as a screen reader or a UI-automation
tool sees and drives it, and reports what such a tool would stumble on.

    python3 scripts/atspi_walk.py --size 1080x1920
    python3 scripts/atspi_walk.py --size 1280x800 --elder --screenshots /tmp/walk-atspi

It runs under the system Python (/usr/bin/python3, which has pyatspi; the kiosk's virtualenv does not)
and starts everything it needs, privately: an X server of the given size with no window manager (Xvfb,
or the one --display names), a D-Bus session bus, the AT-SPI bus launcher, and `kiosk demo --fullscreen`
with Qt's accessibility bridge switched on, from the checkout this script lies in, with the kiosk's
Python (--python; the checkout's .venv by default). A config file makes the idle timeout short (15 s) so
that staying on a screen longer than it is cheap; --elder and --lang en set the terminal's defaults.

Then it finds the kiosk on the bus and walks every journey only through AT-SPI: buttons found by their
accessible name and pressed with their Press action, choices with their Toggle action (each a tool's
default action), text set through EditableText or typed on the on-screen keyboard's keys, the demo's
card key (F5) and the one tap that opens the guide keyboard synthesised by the AT-SPI registry, as
screen readers do. Journeys: 办事指南 (search by the keyboard, a theme, a guide, printing it, back),
表格打印, 网上申报 with the demo ID card up to the 已提交 page, 办件查询 by the receipt number, 服务评价,
呼叫工作人员, 长辈模式 on and off, the language switch, and staying past the idle timeout while pressing.

On every screen it checks what assistive technology gets:
- the window (the AT-SPI frame) is exactly the screen;
- every showing push button, check box, toggle button, radio button, text field, combo box, spin button
  and slider has a non-empty accessible name;
- no showing control lies outside the screen, wholly or partly (rows a scroll area has scrolled away are
  scrolled, not off screen; AT-SPI still calls them showing);
- every control is at least 44×44 px, 60×60 in elder mode;
- and, along the journeys, that each press or toggle did what a finger's tap does, and that presses
  through AT-SPI keep the session alive past the idle timeout.
At the end the kiosk must stop cleanly on SIGTERM (as systemd stops it), and its log must hold no ERROR,
CRITICAL or traceback. A kiosk that dies during the walk (a crash in Qt's accessibility code, say) stops
the walk with its exit signal and the last lines of its log.

One line per problem (screen, role, name, extents, what is wrong), then a summary. Exit status: 0 when
clean, 1 when problems were found, 2 when the walk could not be set up (a missing package is named).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SIZES = ("1280x800", "1920x1080", "1080x1920")
APP_NAME = "gov-kiosk"
# The shortest the config allows (kiosk/config.py): the countdown shows after 10 s without a touch.
IDLE_TIMEOUT_S = 15
COUNTDOWN_S = 5
NORMAL_FLOOR, ELDER_FLOOR = 44, 60

# Roles of controls that act: each needs a name a screen reader can say.
NAMED_ROLES = frozenset({
    "push button", "toggle button", "check box", "radio button", "text", "password text", "entry",
    "combo box", "spin button", "slider",
})
# A button's insides (the labels a tile is made of) lie in it and do nothing of their own.
BUTTON_ROLES = frozenset({"push button", "check box", "toggle button", "radio button"})
# Roles whose size a finger must hit.
TARGET_ROLES = NAMED_ROLES | {"scroll bar"}
# Containers: their extents are layout, not something a resident sees or hits.
CONTAINER_ROLES = frozenset({
    "application", "frame", "window", "filler", "panel", "layered pane", "scroll pane", "viewport",
    "page tab list", "unknown", "redundant object", "section", "grouping",
})


class SetupError(Exception):
    """The walk cannot start; the message says what to install or pass."""


class JourneyError(Exception):
    """A journey could not go on: what was expected did not appear."""


# --- geometry -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def empty(self) -> bool:
        return self.w <= 0 or self.h <= 0

    def contains(self, other: Rect, slack: int = 0) -> bool:
        return (other.x >= self.x - slack and other.y >= self.y - slack
                and other.right <= self.right + slack and other.bottom <= self.bottom + slack)

    def larger_than(self, other: Rect) -> bool:
        return self.w > other.w + 1 or self.h > other.h + 1

    def intersect(self, other: Rect) -> Rect:
        x, y = max(self.x, other.x), max(self.y, other.y)
        return Rect(x, y, max(0, min(self.right, other.right) - x), max(0, min(self.bottom, other.bottom) - y))

    def center(self) -> tuple[int, int]:
        return self.x + self.w // 2, self.y + self.h // 2

    def __str__(self) -> str:
        return f"({self.x},{self.y} {self.w}×{self.h})"


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: give WIDTHxHEIGHT, e.g. 1280x800")
    return int(match[1]), int(match[2])


# --- the private desktop: X server, session bus, AT-SPI bus, the kiosk ----------------------------------


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool) or (tool if os.path.isabs(tool) and os.access(tool, os.X_OK) else None)
    if path is None:
        raise SetupError(f"{tool} not found: install the Debian package {package} (apt-get install {package})")
    return path


def _x_server_answers(display: int) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(f"/tmp/.X11-unix/X{display}")
        except OSError:
            return False
    return True


def _root_size(display: str) -> tuple[int, int] | None:
    """The X screen's size, read with xwininfo or xdotool when either is there."""
    env = dict(os.environ, DISPLAY=display)
    if shutil.which("xwininfo"):
        out = subprocess.run(["xwininfo", "-root"], capture_output=True, text=True, env=env, timeout=10).stdout
        w, h = re.search(r"Width:\s*(\d+)", out), re.search(r"Height:\s*(\d+)", out)
        if w and h:
            return int(w[1]), int(h[1])
    if shutil.which("xdotool"):
        out = subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True, text=True, env=env,
                             timeout=10).stdout.split()
        if len(out) == 2:
            return int(out[0]), int(out[1])
    return None


class Desktop:
    """Everything the walk starts, each in its own process group, all stopped by `close`."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.display = ""
        self.bus_address = ""
        self.kiosk: subprocess.Popen[bytes] | None = None
        self.kiosk_log = work / "kiosk.log"

    def _spawn(self, name: str, argv: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(list(argv), start_new_session=True, **kwargs)
        self.processes.append((name, process))
        return process

    def start_x(self, display: str | None, size: tuple[int, int]) -> None:
        geometry = f"{size[0]}x{size[1]}x24"
        if display is not None:
            number = int(display.lstrip(":").split(".")[0])
            self.display = f":{number}"
            if _x_server_answers(number):
                actual = _root_size(self.display)
                if actual is not None and actual != size:
                    raise SetupError(f"the X server on {self.display} is {actual[0]}x{actual[1]}, "
                                     f"not {size[0]}x{size[1]}: pass that --size or another --display")
                return
            xvfb = _need("Xvfb", "xvfb")
            self._spawn("Xvfb", [xvfb, self.display, "-screen", "0", geometry, "-nolisten", "tcp", "-noreset"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._wait(lambda: _x_server_answers(number), 15, f"Xvfb did not start on {self.display}")
            return
        xvfb = _need("Xvfb", "xvfb")
        read, write = os.pipe()
        try:
            self._spawn("Xvfb", [xvfb, "-displayfd", str(write), "-screen", "0", geometry, "-nolisten", "tcp",
                                 "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
            os.close(write)
            write = -1
            number = self._read_line(read, 15, "Xvfb did not say which display it took")
        finally:
            if write >= 0:
                os.close(write)
            os.close(read)
        self.display = f":{number}"

    def _read_line(self, fd: int, timeout: float, failure: str) -> str:
        import select

        data = b""
        deadline = time.monotonic() + timeout
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise SetupError(failure)
            chunk = os.read(fd, 256)
            if not chunk:
                raise SetupError(failure)
            data += chunk
        return data.split(b"\n", 1)[0].decode().strip()

    @staticmethod
    def _wait(condition: Callable[[], bool], timeout: float, failure: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SetupError(failure)
            time.sleep(0.05)

    def start_buses(self) -> None:
        daemon = _need("dbus-daemon", "dbus-daemon")
        launcher = "/usr/libexec/at-spi-bus-launcher"
        if not os.access(launcher, os.X_OK):
            raise SetupError(f"{launcher} not found: install the Debian package at-spi2-core")
        read, write = os.pipe()
        try:
            # The bus starts services asked for by name with its own environment: the private display's.
            self._spawn("dbus-daemon", [daemon, "--session", "--nofork", f"--print-address={write}"],
                        pass_fds=(write,), env=self.env(), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
            os.close(write)
            write = -1
            self.bus_address = self._read_line(read, 15, "dbus-daemon did not print its address")
        finally:
            if write >= 0:
                os.close(write)
            os.close(read)
        self._spawn("at-spi-bus-launcher", [launcher, "--launch-immediately"], env=self.env(),
                    stdout=subprocess.DEVNULL, stderr=(self.work / "at-spi.log").open("wb"))
        from gi.repository import Gio  # type: ignore[import-not-found]

        flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
                 | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
        bus = Gio.DBusConnection.new_for_address_sync(self.bus_address, flags, None, None)

        def launcher_owns_its_name() -> bool:
            # Asked whether the name has an owner, never for the name itself: that would have the bus
            # start a second launcher from its service file, and the two race for the name.
            reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                  "NameHasOwner", variant("(s)", ("org.a11y.Bus",)), None,
                                  Gio.DBusCallFlags.NONE, 5000, None)
            return bool(reply.unpack()[0])

        try:
            self._wait(launcher_owns_its_name, 15, "the AT-SPI bus launcher did not start (at-spi2-core)")
        finally:
            bus.close_sync(None)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AT_SPI", "QT_", "WAYLAND"))}
        env.update(DISPLAY=self.display, DBUS_SESSION_BUS_ADDRESS=self.bus_address, NO_AT_BRIDGE="0")
        return env

    def start_kiosk(self, python: str, config: Path) -> None:
        env = self.env()
        env.update(QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", QT_QPA_PLATFORM="xcb",
                   PYTHONPATH=str(REPO), PYTHONFAULTHANDLER="1", XDG_DATA_HOME=str(self.work / "data"),
                   XDG_CONFIG_HOME=str(self.work / "config"), XDG_CACHE_HOME=str(self.work / "cache"))
        self.kiosk = self._spawn("kiosk", [python, "-m", "kiosk", "--config", str(config), "demo", "--fullscreen"],
                                 cwd=REPO, env=env, stdout=self.kiosk_log.open("wb"), stderr=subprocess.STDOUT)

    def kiosk_alive(self) -> bool:
        return self.kiosk is not None and self.kiosk.poll() is None

    def kiosk_exit(self) -> str:
        code = self.kiosk.poll() if self.kiosk is not None else None
        if code is None:
            return "running"
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit status {code}"

    def kiosk_output(self) -> str:
        try:
            return self.kiosk_log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def close(self) -> str | None:
        """Stops everything; says what was wrong with the kiosk's own stop (None when it stopped cleanly,
        as systemd's SIGTERM stops it on a terminal)."""
        trouble = None
        # The kiosk first, gently, so it stops its devices and workers; then the buses and the X server.
        for name, process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10 if name == "kiosk" else 5)
                    if name == "kiosk" and process.returncode != 0:
                        trouble = f"the kiosk ended with {self.kiosk_exit()} when asked to stop (SIGTERM)"
                except subprocess.TimeoutExpired:
                    if name == "kiosk":
                        trouble = "the kiosk did not stop within 10 s of SIGTERM"
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
            # What the process started in its group (the launcher's bus and registry) goes with it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
        self.processes.clear()
        return trouble


def variant(signature: str, value: tuple[Any, ...]) -> Any:
    from gi.repository import GLib  # type: ignore[import-not-found]

    return GLib.Variant(signature, value)


def write_config(path: Path, *, elder: bool, lang: str) -> None:
    path.write_text(
        "# Written by scripts/atspi_walk.py: the shortest idle timeout, so staying past it is quick.\n"
        "[terminal]\n"
        f"language = \"{'en' if lang == 'en' else 'zh_CN'}\"\n"
        f"elder_mode = {'true' if elder else 'false'}\n"
        "help_phone = \"0571-12345678\"\n"
        "[session]\n"
        f"idle_timeout_s = {IDLE_TIMEOUT_S}\n"
        f"elder_idle_timeout_s = {IDLE_TIMEOUT_S}\n"
        f"countdown_s = {COUNTDOWN_S}\n"
        "[ui]\n"
        "voice = false\n",
        encoding="utf-8",
    )


# --- what AT-SPI shows --------------------------------------------------------------------------------


def norm(name: str) -> str:
    return " ".join(name.split())


@dataclasses.dataclass
class Node:
    acc: Any
    role: str
    name: str
    rect: Rect
    states: frozenset[str]
    parent: Node | None
    children: list[Node] = dataclasses.field(default_factory=list)
    # The part not clipped away by a scroll area around it; empty when scrolled out of view.
    visible: Rect = Rect(0, 0, 0, 0)

    @property
    def label(self) -> str:
        return norm(self.name)

    @property
    def enabled(self) -> bool:
        return "enabled" in self.states or "sensitive" in self.states

    @property
    def checked(self) -> bool:
        return "checked" in self.states or "pressed" in self.states

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def describe(self) -> str:
        return f"{self.role} {self.label!r} {self.rect}"


Names = tuple[str, ...]


def matches(name: str, names: Names) -> bool:
    """A control is found by the text it starts with: "返回" finds "返回 Back" but not "返回首页"."""
    label = norm(name)
    return any(label == n or label.startswith(n + " ") for n in names)


@dataclasses.dataclass
class Problem:
    screen: str
    what: str
    role: str = ""
    name: str = ""
    rect: Rect | None = None
    kind: str = ""
    also: int = 0

    def key(self) -> tuple[str, str, str, str]:
        return self.kind, self.role, self.name, self.what

    def line(self) -> str:
        control = f" {self.role} {self.name!r} {self.rect}" if self.role else ""
        more = f" (and on {self.also} more screen{'s' if self.also > 1 else ''})" if self.also else ""
        return f"[{self.screen}]{control}: {self.what}{more}"


class Kiosk:
    """The kiosk as AT-SPI shows it, and the walk's record of what it found."""

    def __init__(self, atspi: Any, pyatspi: Any, desktop: Desktop, size: tuple[int, int], *,
                 screenshots: Path | None, verbose: bool) -> None:
        self.Atspi = atspi
        self.pyatspi = pyatspi
        self.desktop = desktop
        self.screen = Rect(0, 0, *size)
        self.screenshots = screenshots
        self.verbose = verbose
        self.app: Any = None
        self.problems: list[Problem] = []
        self.screens: list[str] = []
        self.controls_seen = 0
        self.started = time.monotonic()
        self._last: Node | None = None

    # --- finding things ---

    def connect(self, timeout: float = 40) -> None:
        # libatspi gives up on a call after 800 ms by default; the kiosk restyling every screen for elder
        # mode takes longer than that, and a press must not count as lost because the answer was slow.
        self.Atspi.set_timeout(25_000, 25_000)
        registry = self.pyatspi.Registry
        desk = registry.getDesktop(0)
        # Names, states and children are read live: libatspi's cache follows the toolkit's events only while
        # a main loop runs, and this walk runs none. An object's role and interfaces never change.
        with contextlib.suppress(Exception):
            desk.set_cache_mask(self.Atspi.Cache.ROLE | self.Atspi.Cache.INTERFACES)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.desktop.kiosk_alive():
                raise SetupError("the kiosk exited while starting:\n" + tail(self.desktop.kiosk_output()))
            for index in range(desk.childCount):
                with contextlib.suppress(Exception):
                    app = desk.getChildAtIndex(index)
                    if app is not None and app.name == APP_NAME:
                        self.app = app
                        with contextlib.suppress(Exception):
                            app.set_cache_mask(self.Atspi.Cache.ROLE | self.Atspi.Cache.INTERFACES)
                        return
            time.sleep(0.2)
        raise SetupError(f"the kiosk ({APP_NAME}) did not appear on the accessibility bus within {timeout:.0f} s; "
                         "is QT_LINUX_ACCESSIBILITY_ALWAYS_ON honoured?\n" + tail(self.desktop.kiosk_output()))

    def _extents(self, acc: Any) -> Rect:
        try:
            box = acc.queryComponent().getExtents(self.pyatspi.DESKTOP_COORDS)
        except NotImplementedError:
            return Rect(0, 0, 0, 0)
        return Rect(box.x, box.y, box.width, box.height)

    def _node(self, acc: Any, parent: Node | None, clip: Rect | None, geometry: bool,
              rect: Rect | None = None) -> Node | None:
        """`acc` and what shows inside it. Without `geometry` no extents are read (enough to find a
        control). A button's insides (the labels a tile or a list row is made of, which lie inside it and
        do nothing of their own) are never entered: on a list that halves the calls."""
        try:
            states = frozenset(self.pyatspi.stateToString(s) for s in acc.getState().getStates())
            if "showing" not in states and parent is not None and parent.role != "application":
                return None
            role = acc.getRoleName()
            name = acc.name or ""
            if rect is None:
                rect = self._extents(acc) if geometry else Rect(0, 0, 0, 0)
            kids: list[tuple[Any, Rect | None]] = []
            inside = role not in BUTTON_ROLES
            for index in range(acc.childCount if inside else 0):
                with contextlib.suppress(Exception):
                    kid = acc.getChildAtIndex(index)
                    if kid is not None:
                        kids.append((kid, self._extents(kid) if geometry else None))
        except Exception:  # noqa: BLE001 - an object that went away while we looked: not there
            return None
        node = Node(acc, role, name, rect, states, parent)
        node.visible = rect if clip is None else rect.intersect(clip)
        # A scroll area's view holds content larger than itself: what lies past its edges is scrolled
        # away, not off screen (AT-SPI still calls it showing). Content larger than its view marks one;
        # a window is never one, so a window that outgrows the screen is still reported.
        if geometry and role not in ("application", "frame", "window") and any(
                r is not None and r.larger_than(rect) for _, r in kids):
            clip = rect if clip is None else rect.intersect(clip)
        for kid, kid_rect in kids:
            child = self._node(kid, node, clip, geometry, kid_rect)
            if child is not None:
                node.children.append(child)
        return node

    def tree(self, geometry: bool = False) -> Node:
        """What shows now; see `_node` for `geometry`."""
        if self.app is None:
            raise JourneyError("not connected")
        if not self.desktop.kiosk_alive():
            raise JourneyError(f"the kiosk is no longer running ({self.desktop.kiosk_exit()})")
        root = self._node(self.app, None, None, geometry)
        if root is None:
            raise JourneyError("the kiosk's application object went away")
        self._last = root
        return root

    def frames(self, root: Node) -> list[Node]:
        return [c for c in root.children if "showing" in c.states or "visible" in c.states]

    def find_all(self, names: Names, role: str | None = None, within: Node | None = None,
                 root: Node | None = None) -> list[Node]:
        base = within or root or self.tree()
        return [n for n in base.walk() if (role is None or n.role == role) and n.name and matches(n.name, names)]

    def _first(self, acc: Any, names: Names, role: str | None, enabled: bool, depth: int = 0) -> Node | None:
        """The first showing control that matches, depth first as `walk` goes, read no further than
        needed: a find costs the kiosk one D-Bus call per property it reads."""
        try:
            states = frozenset(self.pyatspi.stateToString(s) for s in acc.getState().getStates())
            if "showing" not in states and depth > 1:
                return None
            kind = acc.getRoleName()
            name = acc.name or ""
            node = Node(acc, kind, name, Rect(0, 0, 0, 0), states, None)
            if (role is None or kind == role) and name and matches(name, names) and (node.enabled or not enabled):
                return node
            count = acc.childCount if kind not in BUTTON_ROLES else 0
        except Exception:  # noqa: BLE001 - an object that went away while we looked: not there
            return None
        for index in range(count):
            try:
                child = acc.getChildAtIndex(index)
            except Exception:  # noqa: BLE001 - the same
                continue
            found = self._first(child, names, role, enabled, depth + 1) if child is not None else None
            if found is not None:
                return found
        return None

    def find(self, names: Names, role: str | None = None, within: Node | None = None,
             timeout: float = 10.0, enabled: bool = True) -> Node:
        deadline = time.monotonic() + timeout
        if within is None and self._last is not None:  # nothing was done since the last look
            found = [n for n in self.find_all(names, role, root=self._last) if n.enabled or not enabled]
            if found:
                return found[0]
        while True:
            if not self.desktop.kiosk_alive():
                raise JourneyError(f"the kiosk is no longer running ({self.desktop.kiosk_exit()})")
            node = self._first(within.acc if within is not None else self.app, names, role, enabled,
                               depth=2 if within is not None else 0)
            if node is not None:
                return node
            if time.monotonic() > deadline:
                seen = "disabled" if self.find_all(names, role) else "not showing"
                raise JourneyError(f"{'/'.join(names)} ({role or 'any role'}) {seen} after {timeout:.0f} s; "
                                   f"showing: {self.showing_summary()}")
            # Not every turn: a kiosk busy building a screen answers each look, and gets slower for it.
            time.sleep(0.3)

    def showing(self, names: Names, role: str | None = None) -> bool:
        return self._first(self.app, names, role, enabled=False) is not None

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise JourneyError(f"{what} did not happen within {timeout:.0f} s; showing: {self.showing_summary()}")
            time.sleep(0.3)

    def showing_summary(self, limit: int = 14) -> str:
        try:
            root = self.tree()
        except JourneyError as exc:
            return str(exc)
        names = [n.label for n in root.walk() if n.role in NAMED_ROLES and n.label]
        more = f" … ({len(names) - limit} more)" if len(names) > limit else ""
        return ", ".join(names[:limit]) + more

    # --- acting ---

    def _actions(self, node: Node) -> list[str]:
        try:
            action = node.acc.queryAction()
            return [action.getName(i) for i in range(action.nActions)]
        except NotImplementedError:
            return []

    def act(self, node: Node, action: str | None = None) -> None:
        """The control's `action` ("Press", "Toggle"), or its default (first) action, as a tool calls it."""
        names = self._actions(node)
        if not names:
            raise JourneyError(f"{node.describe()} has no action to do")
        index = names.index(action) if action in names else 0
        self.say(f"  · {names[index]} {node.role} {node.label!r}")
        began = time.monotonic()
        self._last = None
        try:
            done = node.acc.queryAction().doAction(index)
        except Exception as exc:
            raise JourneyError(f"{node.describe()}: {names[index]} got no answer after "
                               f"{time.monotonic() - began:.0f} s (the kiosk was busy or hung): {exc}") from exc
        if not done:
            raise JourneyError(f"{node.describe()}: {names[index]} was refused")
        took = time.monotonic() - began
        if took > 0.5:
            self.say(f"    (the kiosk answered after {took:.1f} s)")

    def press(self, names: Names, role: str = "push button", within: Node | None = None,
              timeout: float = 10.0, settle: float = 0.1) -> Node:
        node = self.find(names, role, within=within, timeout=timeout)
        try:
            self.act(node, "Press")
        except JourneyError:
            # Found a moment before the screen rebuilt it (a result list refreshing as it is typed):
            # the object is gone, not refused. Once more on the one showing now.
            time.sleep(0.5)
            node = self.find(names, role, within=within, timeout=timeout)
            self.act(node, "Press")
        time.sleep(settle)
        return node

    def toggle(self, names: Names, within: Node | None = None, timeout: float = 10.0) -> Node:
        """A choice's default action over AT-SPI: Toggle."""
        node = self.find(names, "check box", within=within, timeout=timeout)
        self.act(node, "Toggle")
        time.sleep(0.1)
        return node

    def type_keys(self, text: str) -> None:
        """`text` on the on-screen keyboard or keypad showing: each key pressed through AT-SPI."""
        keys = {n.label: n for n in self.find_all(tuple(set(text)), "push button") if len(n.label) == 1}
        previous = ""
        for char in text:
            if char not in keys:
                raise JourneyError(f"no key {char!r} on the keyboard showing; showing: {self.showing_summary()}")
            # A Press is Qt's animated click: the button is shown down for 100 ms and a second Press on it
            # meanwhile is lost, as a finger's would be.
            time.sleep(0.25 if char == previous else 0.05)
            self.act(keys[char], "Press")
            previous = char

    def fill(self, values: dict[Names, str]) -> None:
        """Every field named in `values` set through EditableText, found in one look."""
        root = self.tree()
        for names, text in values.items():
            fields = self.find_all(names, "text", root=root)
            if not fields:
                raise JourneyError(f"no field {'/'.join(names)}; showing: {self.showing_summary()}")
            self.set_text_of(fields[0], text)

    def set_text(self, names: Names, text: str, within: Node | None = None) -> Node:
        return self.set_text_of(self.find(names, "text", within=within), text)

    def set_text_of(self, node: Node, text: str) -> Node:
        """Text set as an assistive tool sets it: EditableText, no keys."""
        self._last = None
        if not node.acc.queryEditableText().setTextContents(text):
            raise JourneyError(f"{node.describe()}: EditableText refused {text!r}")
        self.wait(lambda: self.text_of(node) == text, f"{node.label!r} reading back {text!r}", 5)
        return node

    def text_of(self, node: Node) -> str:
        try:
            return str(node.acc.queryText().getText(0, -1))
        except Exception:  # noqa: BLE001 - gone: no text
            return ""

    def key(self, keysym: int) -> None:
        """A key as the AT-SPI registry synthesises it (the demo's F5 places or takes away the ID card)."""
        self._last = None
        self.Atspi.generate_keyboard_event(keysym, None, self.Atspi.KeySynthType.SYM)
        time.sleep(0.3)

    def make_active(self) -> None:
        """Keys go to the active window. With no window manager nobody activates the kiosk's window
        until it is clicked: a tap on the status strip's station name (a label: it does nothing)."""
        root = self.tree(geometry=True)
        frames = [f for f in self.frames(root) if f.role == "frame"]
        if not frames or "active" in frames[0].states:
            return
        labels = [n for n in frames[0].walk() if n.role == "label" and not n.visible.empty()]
        if labels:
            self.tap(labels[0])

    def tap(self, node: Node) -> None:
        """A click where the control is, synthesised by the AT-SPI registry (a screen reader's "click")."""
        self._last = None
        rect = self._extents(node.acc)
        x, y = rect.center()
        self.Atspi.generate_mouse_event(x, y, "b1c")
        time.sleep(0.4)

    # --- the record ---

    def say(self, text: str) -> None:
        if self.verbose:
            print(f"{time.monotonic() - self.started:6.1f} {text}", flush=True)

    def problem(self, screen: str, what: str, node: Node | None = None, kind: str = "journey") -> None:
        if node is None:
            self.problems.append(Problem(screen, what, kind=kind))
        else:
            rect = node.rect
            if rect.empty():  # found without geometry: read where it is now
                with contextlib.suppress(Exception):
                    rect = self._extents(node.acc)
            self.problems.append(Problem(screen, what, node.role, node.label, rect, kind))
        self.say(f"  ! {self.problems[-1].line()}")

    @property
    def elder(self) -> bool:
        switch = self.elder_switch()
        return switch is not None and switch.checked

    def elder_switch(self, root: Node | None = None) -> Node | None:
        """The status strip's 长辈模式 switch: the one check box in the strip along the top."""
        root = root or self.tree()
        for frame in self.frames(root):
            for node in frame.walk():
                if node.role == "panel":
                    boxes = [n for n in node.walk() if n.role == "check box"]
                    if boxes:
                        return boxes[0]
        return None

    def inspect(self, screen: str) -> None:
        """Checks the screen as it is now; see the module's note for what is checked."""
        time.sleep(0.2)
        root = self.tree(geometry=True)
        self.screens.append(screen)
        self.say(f"— {screen}")
        if self.screenshots is not None:
            self._screenshot(screen)
        frames = self.frames(root)
        main = [f for f in frames if f.role == "frame"]
        if not main:
            self.problem(screen, "no showing window (frame) on the bus", kind="window")
            return
        for frame in frames:
            if frame is main[0]:
                if frame.rect != self.screen:
                    self.problem(screen, f"the window is {frame.rect}, the screen {self.screen}", frame, "window")
            elif not self.screen.contains(frame.rect):
                self.problem(screen, "a second window reaches past the screen", frame, "window")
        switch = self.elder_switch(root)
        elder = switch is not None and switch.checked
        floor = ELDER_FLOOR if elder else NORMAL_FLOOR
        for frame in frames:
            for node in frame.walk():
                if node.role in CONTAINER_ROLES or node.role == "application":
                    continue
                if node.role in TARGET_ROLES:
                    self.controls_seen += 1
                    if node.role in NAMED_ROLES and not node.label:
                        self.problem(screen, "no accessible name", node, "name")
                    if not node.rect.empty() and (node.rect.w < floor or node.rect.h < floor):
                        mode = "elder mode" if elder else "normal mode"
                        self.problem(screen, f"{node.rect.w}×{node.rect.h} px, under {floor}×{floor} in {mode}",
                                     node, "size")
                if node.visible.empty() or self.screen.contains(node.visible):
                    continue
                part = node.visible.intersect(self.screen)
                where = "partly outside the screen" if not part.empty() else "outside the screen"
                self.problem(screen, where, node, "offscreen")

    def _screenshot(self, screen: str) -> None:
        assert self.screenshots is not None
        self.screenshots.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", screen).strip("-")
        path = self.screenshots / f"{len(self.screens):02d}-{slug}.png"
        tool = shutil.which("import")
        if tool is None:
            raise SetupError("--screenshots needs ImageMagick's import: install the Debian package imagemagick")
        subprocess.run([tool, "-display", self.desktop.display, "-window", "root", str(path)],
                       capture_output=True, timeout=30)

    def merged_problems(self) -> list[Problem]:
        """One line per problem: the same control with the same fault on many screens is told once."""
        first: dict[tuple[str, str, str, str], Problem] = {}
        for problem in self.problems:
            key = problem.key()
            if key in first:
                if first[key].screen != problem.screen:
                    first[key].also += 1
            else:
                first[key] = dataclasses.replace(problem)
        return list(first.values())


def tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


# --- the journeys ---------------------------------------------------------------------------------------

F5 = 0xFFC2

# Each control by its Chinese and its English name, as the two languages show them.
TILE_GUIDE = ("办事指南", "Service guides")
TILE_FORMS = ("表格打印", "Print forms")
TILE_DECLARE = ("网上申报", "Apply online")
TILE_PROGRESS = ("办件查询", "Check progress")
TILE_RATING = ("服务评价", "Rate our service")
HELP = ("呼叫工作人员", "Call for help")
HOME = ("返回首页", "Home")
BACK = ("返回", "Back")
QUIT = ("退出办理", "Quit")
NEXT = ("下一步", "Next")
DONE = ("完成", "Done")
CONTINUE = ("继续", "Continue")
TO_ENGLISH = ("English",)
TO_CHINESE = ("中文",)
GUIDE_SEARCH = ("搜索办事指南", "Search service guides")
GUIDE_CLEAR = ("清除搜索内容", "Clear the search")
GUIDE_BACK_TO_LIST = ("返回列表", "Back to the list")
GUIDE_PRINT = ("打印办事指南", "Print this guide")
GUIDE_ROW = ("居民身份证换领",)
PRINTED = ("打印完成", "Done. Please take")
FORM_ROW = ("生育登记表", "Birth Registration Form")
FORM_BLANK = ("打印空白表格", "Print a blank form")
FORM_PRINT = ("打印", "Print")
CARD_OTHER = ("换一张卡", "Use another card")
DECLARE_SEARCH = ("搜索要申报的事项", "Search for the service")
# 个体工商户设立登记: a form with text and a choice, a material to photograph, one to hand in later, and
# express delivery (so the delivery's choice and its address and phone fields are walked too).
DECLARE_QUERY = "个体"
DECLARE_ITEM = ("个体工商户设立登记",)
DECLARE_SUBMIT = ("提交申报", "Submit")
CAMERA = ("拍照", "Camera")
USE_PAGE = ("使用此页", "Use this page")
LATER = ("容缺·稍后补交", "Hand in later")
PROGRESS_FIELD = ("回执编号", "Receipt number")
PROGRESS_QUERY = ("查询", "Check")
RATING_GRADE = ("满意", "Satisfied")
RATING_SUBMIT = ("提交评价", "Submit")
RATING_COMMENT = ("意见建议", "Comment")
ELDER_NAMES = ("长辈", "Elder")
PERSONAL = ("个人办事", "For individuals")
BUSINESS = ("法人办事", "For businesses")
FORM_VALUES = {
    ("移动电话", "Mobile phone"): "13912345678",
    ("经营场所", "Business premises"): "杭州市西湖区某路1号",
    ("经营范围", "Business scope"): "日用百货零售",
    ("资金（万元）", "Capital"): "5",
}
FORM_CHOICE = ("个人经营", "Run by one person")
PICKUP = ("窗口领取", "Collect at the counter")
EXPRESS = ("快递送达", "Express delivery")
EXPRESS_PHONE = ("收件人手机号码", "Recipient's mobile number")


class Walk:
    def __init__(self, kiosk: Kiosk) -> None:
        self.k = kiosk
        self.receipt: str | None = None
        self.card_placed = False

    # --- shared steps ---

    def at_home(self) -> bool:
        return self.k.showing(TILE_GUIDE, "push button") and self.k.showing(TILE_RATING, "push button")

    def go_home(self) -> None:
        """Back to the home screen the way a resident would, whatever screen a failed journey left."""
        for _ in range(8):
            if self.at_home():
                return
            for names in (CONTINUE, HOME, QUIT, DONE, BACK, GUIDE_BACK_TO_LIST):
                found = [n for n in self.k.find_all(names, "push button") if n.enabled]
                if found:
                    self.k.act(found[0], "Press")
                    time.sleep(0.6)
                    break
            else:
                time.sleep(0.5)
        if not self.at_home():
            raise JourneyError(f"cannot get back to the home screen; showing: {self.k.showing_summary()}")

    def card_on_reader(self) -> bool:
        """What the demo's window title says lies on the ID-card reader."""
        frames = [f for f in self.k.frames(self.k.tree()) if f.role == "frame"]
        return bool(frames) and ("已放上" in frames[0].name or "(on the reader)" in frames[0].name)

    def move_card(self, placed: bool) -> None:
        """F5, the demo's ID-card key, until the reader holds the card (or not)."""
        k = self.k
        for _ in range(2):
            if self.card_on_reader() == placed:
                break
            k.make_active()
            k.key(F5)
            with contextlib.suppress(JourneyError):
                k.wait(lambda: self.card_on_reader() == placed, "the demo card moving", 5)
        if self.card_on_reader() != placed:
            raise JourneyError(f"F5 did not {'place' if placed else 'take away'} the demo ID card")
        self.card_placed = placed

    def remove_card(self) -> None:
        if self.card_placed:
            self.move_card(False)

    # --- journeys ---

    def home(self) -> None:
        self.k.wait(self.at_home, "the home screen", 30)
        # The demo imports its sample catalogue just after the home screen shows; 办事指南 entered before
        # that keeps a category strip without themes (noted in the walk's report). Its log says when.
        with contextlib.suppress(JourneyError):
            self.k.wait(lambda: "catalogue imported" in self.k.desktop.kiosk_output(), "the catalogue loading", 20)
        self.k.inspect("首页 home")

    def guide(self) -> None:
        k = self.k
        k.press(TILE_GUIDE)
        field = k.find(GUIDE_SEARCH, "text")
        k.inspect("办事指南 list")
        # A theme chip, by its default action: the list must follow it as it follows a tap.
        chips = [n for n in k.tree().walk() if n.role == "check box" and re.search(r"\s\d+$", n.label)]
        if not chips:
            k.problem("办事指南 list", "no theme to choose among the categories (户籍 16, 社保 16 …)")
        else:
            before = self._guide_rows()
            chip = chips[0]
            k.act(chip, "Toggle")
            try:
                k.wait(lambda: self._guide_rows() != before, f"the list following the theme {chip.label!r}", 4)
            except JourneyError:
                k.problem("办事指南 list", "Toggle checks the theme but the list does not change (a tap does)",
                          chip, "action")
            k.inspect("办事指南 theme")
            k.press(("全部", "All"), "check box")
        # The letter keyboard opens on a tap in the field; then "sfz" on its keys.
        k.tap(k.find(GUIDE_SEARCH, "text"))
        try:
            k.find(("S",), "push button", timeout=5)
        except JourneyError:
            k.problem("办事指南 list", "tapping the search field opened no on-screen keyboard", field)
        else:
            k.inspect("办事指南 keyboard")
            k.type_keys("SFZ")
            k.wait(lambda: self.k.text_of(k.find(GUIDE_SEARCH, "text")).lower() == "sfz", "typing sfz on the keys", 5)
            k.find(GUIDE_ROW, "push button")
            k.inspect("办事指南 keyboard typed")
            k.press(GUIDE_CLEAR)
            k.wait(lambda: self.k.text_of(k.find(GUIDE_SEARCH, "text")) == "", "the clear button emptying the field", 5)
        k.set_text(GUIDE_SEARCH, "身份证")
        k.press(GUIDE_ROW)
        k.find(GUIDE_PRINT, "push button")
        k.inspect("办事指南 detail")
        k.press(GUIDE_PRINT)
        k.find(PRINTED, "label", timeout=30)
        k.inspect("办事指南 printed")
        k.press(BACK)
        try:
            k.find(GUIDE_PRINT, "push button", timeout=5)
        except JourneyError:
            k.problem("办事指南 printed", "返回 after printing did not return to the guide")
            return
        k.press(GUIDE_BACK_TO_LIST)
        k.find(GUIDE_SEARCH, "text")
        k.press(HOME)

    def _guide_rows(self) -> list[str]:
        return [node.label for node in self.k.tree().walk() if node.role == "push button"]

    def forms(self) -> None:
        k = self.k
        k.press(TILE_FORMS)
        k.find(FORM_ROW, "push button")
        k.inspect("表格打印 list")
        k.press(FORM_ROW)
        k.find(FORM_BLANK, "push button")
        k.inspect("表格打印 blank or pre-filled")
        k.press(FORM_BLANK)
        k.find(FORM_PRINT, "push button")
        k.inspect("表格打印 preview")
        k.press(FORM_PRINT)
        k.find(PRINTED, "label", timeout=30)
        k.inspect("表格打印 printed")
        k.press(HOME)

    def declare(self) -> None:
        k = self.k
        k.press(TILE_DECLARE)
        k.find(QUIT, "push button")
        k.inspect("网上申报 identify")
        self.move_card(True)
        k.find(CARD_OTHER, "push button", timeout=15)
        k.inspect("网上申报 identified")
        k.press(NEXT)
        k.set_text(DECLARE_SEARCH, DECLARE_QUERY)
        k.press(DECLARE_ITEM)
        k.inspect("网上申报 service")
        k.press(NEXT)
        k.find(next(iter(FORM_VALUES)), "text")
        k.inspect("网上申报 form")
        k.fill(FORM_VALUES)
        choice = k.toggle(FORM_CHOICE)
        self._next_or_tell("网上申报 form", choice, "Toggle on a choice")
        k.find(NEXT, "push button")
        k.inspect("网上申报 materials")
        for captured in range(6):
            camera = self._material_to_capture(optional=captured == 0)
            if camera is None:
                break
            k.act(camera, "Press")
            k.find(USE_PAGE, "push button", timeout=20)
            k.inspect("网上申报 capture")
            k.press(USE_PAGE)
            k.find(NEXT, "push button")
        for later in [n for n in k.find_all(LATER, "push button") if n.enabled]:
            k.act(later, "Press")
            time.sleep(0.3)
        k.press(NEXT)
        k.find(PICKUP, "check box")
        k.inspect("网上申报 delivery")
        express = k.find_all(EXPRESS, "check box")
        if express:
            k.act(express[0], "Toggle")
            try:
                k.find(EXPRESS_PHONE, "label", timeout=4)
            except JourneyError:
                k.problem("网上申报 delivery", "Toggle shows express chosen but no address or phone field "
                          "opens (a tap opens them)", express[0], "action")
                k.act(k.find(EXPRESS, "check box"), "Press")
                k.find(EXPRESS_PHONE, "label")
            k.inspect("网上申报 delivery (express)")
            phone = [n for n in k.tree().walk() if n.role == "text"]
            if phone:
                k.set_text_of(phone[-1], "13912345678")
        k.press(NEXT)
        k.find(DECLARE_SUBMIT, "push button")
        k.inspect("网上申报 review")
        k.press(DECLARE_SUBMIT)
        k.find(DONE, "push button", timeout=30)
        number = [n.label for n in k.tree().walk() if n.role == "label" and re.fullmatch(r"T\d{4}-\d{6}", n.label)]
        self.receipt = number[0] if number else None
        if self.receipt is None:
            k.problem("网上申报 done", "the receipt number is not readable as a label")
        k.inspect("网上申报 done")
        self.remove_card()
        k.press(DONE)
        k.wait(self.at_home, "完成 leading home")

    def _next_or_tell(self, screen: str, choice: Node, how: str) -> None:
        """下一步 after a choice made by `how`: if the page refuses it, the choice did not count; a tap
        (Press) is then tried, so the walk goes on and tells which way works."""
        k = self.k
        page = self._step_title()
        k.press(NEXT)
        time.sleep(0.5)
        if self._step_title() != page:
            return
        k.problem(screen, f"{how} shows it chosen but the page does not take it (下一步 refuses; a tap works)",
                  choice, "action")
        fresh = k.find((choice.label,), "check box")
        k.act(fresh, "Press")
        time.sleep(0.3)
        k.press(NEXT)
        k.wait(lambda: self._step_title() != page, "下一步 after the choice was tapped", 5)

    def _step_title(self) -> str:
        for node in self.k.tree().walk():
            if node.role == "label" and re.search(r"第\s*\d+\s*步|Step \d+", node.label):
                return node.label
        return ""

    def _material_to_capture(self, optional: bool) -> Node | None:
        """The 拍照 button of the first material still waiting for a required page; with `optional`, of
        an optional one if no required one waits (so the camera's screens are walked at least once)."""
        root = self.k.tree()
        spare: Node | None = None
        for node in root.walk():
            if node.role not in CONTAINER_ROLES:
                continue
            labels = [c.label for c in node.children if c.role == "label"]
            buttons = [c for c in node.children if c.role == "push button" and matches(c.name, CAMERA)]
            if not labels or not buttons:
                continue
            title = labels[0]
            if any(matches(c.name, LATER) for c in node.children):
                continue
            if "选填" in title or "optional" in title:
                spare = spare or buttons[0]
            elif any(s.startswith(("未提交", "Not given")) for s in labels):
                return buttons[0]
        return spare if optional else None

    def progress(self) -> None:
        k = self.k
        k.press(TILE_PROGRESS)
        field = k.find(PROGRESS_FIELD, "text")
        k.inspect("办件查询")
        number = self.receipt or "T0001-999999"
        k.type_keys(number)
        k.wait(lambda: self.k.text_of(field) == number, f"{number} typed on the keypad", 5)
        k.press(PROGRESS_QUERY)
        if self.receipt is not None:
            k.wait(lambda: any(self.receipt in n.label for n in k.tree().walk() if n.role == "label"
                               and n.label != self.k.text_of(field)), "the result for the receipt", 15)
        else:
            time.sleep(2)
        k.inspect("办件查询 result")
        k.press(HOME)

    def rating(self) -> None:
        k = self.k
        k.press(TILE_RATING)
        k.find(RATING_SUBMIT, "push button", enabled=False)
        k.inspect("服务评价")
        grade = k.toggle(RATING_GRADE)
        try:
            k.find(RATING_SUBMIT, "push button", timeout=4)
        except JourneyError:
            k.problem("服务评价", "Toggle shows the grade chosen but 提交评价 stays disabled (a tap enables it)",
                      grade, "action")
            k.act(k.find((grade.label,), "check box"), "Press")
            k.find(RATING_SUBMIT, "push button")
        k.inspect("服务评价 details")
        fields = [n for n in k.tree().walk() if n.role == "text"]
        if fields:
            k.set_text_of(fields[0], "很好")
        k.press(RATING_SUBMIT)
        k.wait(lambda: not self.k.showing(RATING_SUBMIT, "push button"), "the thank-you after 提交评价", 15)
        k.inspect("服务评价 thanks")
        self.go_home()

    def help(self) -> None:
        k = self.k
        k.press(TILE_GUIDE)
        k.find(GUIDE_SEARCH, "text")
        k.press(HELP)
        k.find(BACK, "push button")
        k.inspect("呼叫工作人员")
        k.press(BACK)
        try:
            k.find(GUIDE_SEARCH, "text", timeout=5)
        except JourneyError:
            k.problem("呼叫工作人员", "返回 did not return to the screen help was called from")
        self.go_home()

    def elder(self) -> None:
        k = self.k
        start = k.elder
        for turn in (not start, start):
            switch = k.elder_switch()
            if switch is None:
                k.problem("首页 home", "no 长辈模式 switch in the status strip")
                return
            if switch.checked == turn:
                k.problem("首页 home", f"长辈模式 went {'on' if turn else 'off'} by itself", switch, "journey")
            else:
                k.act(switch, "Toggle")
            k.wait(lambda t=turn: k.elder == t, f"长辈模式 {'on' if turn else 'off'}", 5)
            switch = k.elder_switch()
            mode = "elder" if turn else "normal"
            if switch is not None and not any(n.lower() in switch.label.lower() for n in ELDER_NAMES):
                state = "on" if switch.checked else "off"
                k.problem(f"首页 home ({mode})", f"the switch is {state} but its name does not say elder mode; "
                          f"a screen reader reads {switch.label!r} {state}", switch, "name")
            k.inspect(f"首页 home ({mode})")
            if turn:
                self.guide_in_elder()

    def guide_in_elder(self) -> None:
        k = self.k
        k.press(TILE_GUIDE)
        k.tap(k.find(GUIDE_SEARCH, "text"))
        with contextlib.suppress(JourneyError):
            k.find(("S",), "push button", timeout=5)
        k.inspect("办事指南 keyboard (elder)")
        k.press(HOME)

    def language(self) -> None:
        k = self.k
        english_first = k.showing(TO_ENGLISH, "push button")
        there, back = (TO_ENGLISH, TO_CHINESE) if english_first else (TO_CHINESE, TO_ENGLISH)
        k.press(there)
        k.find(back, "push button")
        tile = k.find(TILE_GUIDE, "push button")
        if english_first and not tile.label.startswith("Service guides"):
            k.problem("首页 home (English)", "after English the tiles do not say English first", tile)
        k.inspect("首页 home (English)" if english_first else "首页 home (中文)")
        k.press(TILE_GUIDE)
        k.find(GUIDE_SEARCH, "text")
        k.inspect("办事指南 (English)" if english_first else "办事指南 (中文)")
        k.press(HOME)
        k.press(back)
        k.find(there, "push button")

    def activity(self) -> None:
        """Presses through AT-SPI keep a session: stays on a screen past the idle timeout, pressing and
        toggling every few seconds; then lets the countdown come and answers it with a press."""
        k = self.k
        k.press(TILE_GUIDE)
        k.find(GUIDE_SEARCH, "text")
        started = time.monotonic()
        turn = 0
        # Two choices in turn, so each Toggle and each Press changes something.
        while time.monotonic() - started < IDLE_TIMEOUT_S + 2:
            chip = k.find(PERSONAL if turn % 2 else BUSINESS, "check box")
            k.act(chip, "Press" if turn % 2 else "Toggle")
            turn += 1
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                if k.showing(CONTINUE, "push button"):
                    k.problem("办事指南 list", "the idle countdown came while pressing through AT-SPI every 3 s",
                              kind="activity")
                    self.go_home()
                    return
                if not k.showing(GUIDE_SEARCH, "text"):
                    k.problem("办事指南 list", "the session ended while pressing through AT-SPI every 3 s",
                              kind="activity")
                    self.go_home()
                    return
                time.sleep(0.5)
        # The check means something only if the timeout is really this short: the countdown must come.
        try:
            banner = k.find(CONTINUE, "push button", timeout=IDLE_TIMEOUT_S - COUNTDOWN_S + 4)
        except JourneyError:
            k.problem("办事指南 list", f"no countdown {IDLE_TIMEOUT_S - COUNTDOWN_S} s after the last press: "
                      "the short idle timeout did not take, so the check above proves nothing", kind="activity")
            self.go_home()
            return
        k.inspect("idle countdown")
        k.act(banner, "Press")
        k.wait(lambda: not k.showing(CONTINUE, "push button"), "继续 closing the countdown", 5)
        if not k.showing(GUIDE_SEARCH, "text"):
            k.problem("idle countdown", "继续 pressed through AT-SPI did not keep the session", kind="activity")
        self.go_home()


JOURNEYS = ("guide", "forms", "declare", "progress", "rating", "help", "elder", "language", "activity")


def kiosk_python() -> str:
    """The checkout's .venv, or, in a git worktree without one, the main checkout's."""
    own = REPO / ".venv" / "bin" / "python"
    if own.exists() or shutil.which("git") is None:
        return str(own)
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=REPO,
                            capture_output=True, text=True, timeout=10).stdout.strip()
    main = Path(common).parent / ".venv" / "bin" / "python" if common else own
    return str(main if main.exists() else own)


def run(args: argparse.Namespace) -> int:
    size = args.size
    try:
        import pyatspi  # type: ignore[import-not-found]
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.access("/usr/bin/python3", os.X_OK):
            hint = f" (this is {sys.executable}; run it with /usr/bin/python3)"
        else:
            hint = ""
        print("atspi_walk: pyatspi is missing: install the Debian packages python3-pyatspi and "
              f"gir1.2-atspi-2.0{hint}", file=sys.stderr)
        return 2
    from gi.repository import Atspi  # type: ignore[import-not-found]

    python = args.python or kiosk_python()
    if not os.access(python, os.X_OK):
        print(f"atspi_walk: no kiosk Python at {python}: run scripts/setup.sh or pass --python", file=sys.stderr)
        return 2
    if args.screenshots is not None and shutil.which("import") is None:
        print("atspi_walk: --screenshots needs ImageMagick's import: install the Debian package imagemagick",
              file=sys.stderr)
        return 2
    journeys = [j for j in (args.journeys.split(",") if args.journeys else JOURNEYS) if j]
    unknown = [j for j in journeys if j not in JOURNEYS]
    if unknown:
        print(f"atspi_walk: unknown journey {', '.join(unknown)}; known: {', '.join(JOURNEYS)}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="atspi-walk-"))
    desktop = Desktop(work)
    started = time.monotonic()
    mode = "elder" if args.elder else "normal"
    try:
        desktop.start_x(args.display, size)
        desktop.start_buses()
        config = work / "kiosk.toml"
        write_config(config, elder=args.elder, lang=args.lang)
        # libatspi finds the accessibility bus through these when it first connects.
        os.environ.update(DISPLAY=desktop.display, DBUS_SESSION_BUS_ADDRESS=desktop.bus_address)
        for key in [k for k in os.environ if k.startswith("AT_SPI")]:
            del os.environ[key]
        desktop.start_kiosk(python, config)
        kiosk = Kiosk(Atspi, pyatspi, desktop, size, screenshots=args.screenshots, verbose=args.verbose)
        kiosk.connect()
        print(f"atspi_walk: {size[0]}x{size[1]}, {mode} mode, {args.lang}: kiosk on {desktop.display}")
        walk = Walk(kiosk)
        outcomes: list[tuple[str, str]] = []
        try:
            walk.home()
        except JourneyError as exc:
            kiosk.problem("首页 home", f"the home screen never showed: {exc}")
            outcomes.append(("home", "failed"))
            journeys = []
        for name in journeys:
            began = time.monotonic()
            try:
                getattr(walk, name)()
                outcomes.append((name, f"done in {time.monotonic() - began:.0f} s"))
            except JourneyError as exc:
                kiosk.problem(name, f"journey stopped: {exc}")
                outcomes.append((name, "stopped"))
            # Every journey starts at home, however the last one ended.
            try:
                walk.remove_card()
                walk.go_home()
            except JourneyError as lost:
                kiosk.problem(name, f"walk abandoned: {lost}")
                break
    except SetupError as exc:
        print(f"atspi_walk: cannot walk: {exc}", file=sys.stderr)
        return 2
    finally:
        alive = desktop.kiosk_alive()
        stopped = desktop.close()
        log = desktop.kiosk_output()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if alive and stopped is not None:
        kiosk.problem("end of the walk", stopped, kind="exit")
    for line in log.splitlines():
        if re.search(r"\b(ERROR|CRITICAL)\b|Traceback", line):
            kiosk.problem("kiosk log", line.strip()[:200], kind="log")
    problems = kiosk.merged_problems()
    for problem in problems:
        print(problem.line())
    if any(not outcome.startswith("done") for _, outcome in outcomes):
        print("the kiosk's log, last lines:\n" + tail(log, 15))
    kinds: dict[str, int] = {}
    for problem in problems:
        kinds[problem.kind] = kinds.get(problem.kind, 0) + 1
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"journeys: {'; '.join(f'{n} {o}' for n, o in outcomes)}")
    print(f"summary: {size[0]}x{size[1]} {mode} {args.lang}: {len(kiosk.screens)} screens, "
          f"{kiosk.controls_seen} controls checked, {len(problems)} problem{'s' if len(problems) != 1 else ''}"
          f"{f' ({detail})' if detail else ''}, {time.monotonic() - started:.0f} s")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=parse_size, default=parse_size("1280x800"),
                        help=f"screen size WIDTHxHEIGHT (the supported: {', '.join(SIZES)}); default 1280x800")
    parser.add_argument("--display", help="use this X display (:N); Xvfb is started there if none answers")
    parser.add_argument("--elder", action="store_true", help="the terminal starts in elder mode")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="the terminal's start language")
    parser.add_argument("--journeys", help=f"comma-separated, default all: {','.join(JOURNEYS)}")
    parser.add_argument("--python", help="the kiosk's Python (default: the checkout's .venv/bin/python)")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of each screen checked here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (kiosk log, config)")
    parser.add_argument("-v", "--verbose", action="store_true", help="say each screen and action")
    args = parser.parse_args(argv)
    # Stopped from outside (a test's timeout, Ctrl+C): still stop what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
