"""The device manager: builds each configured device's driver, watches its health, reconnects it.

One background thread (plain `threading`) looks at every configured device every few seconds. Each
look runs on a short-lived helper thread and is waited for at most `check_timeout_s` (1 s), so a
driver that hangs can never stall the other devices' checks or the status everyone reads. A device is
declared OFFLINE only after `offline_after` consecutive failed looks (one glitch is not an outage);
its driver is then closed and rebuilt on later attempts spaced by exponential backoff with jitter
(kiosk/background.py), which is what brings back a reader that was unplugged and plugged in again.

Drivers are built lazily, on the first look or the first `use()`, and the factories import the
native stacks (cv2, smartcard, cups, sane, serial) inside their real backends only, so constructing
the manager costs nothing at start-up.

Listeners get the whole role -> DeviceStatus mapping, on the manager's thread, whenever it changed:
the status strip (through ui/device_bridge.py), the service gating and the platform heartbeat
(`statuses()` is what the sync engine reads).

Screens use a device through `with manager.use("printer") as printer: ...` on their worker thread:
that holds the device's lock, so a health look never talks to a device in the middle of a read.

Card readers are counted on one more account: every card read ends accepted or refused for its data
(`note_card_read`, kiosk/identity/read.py reports it). `offline_after` refused cards in a row, with no
accepted one between, show the reader DEGRADED with the last refusal's code until a card is accepted: a
reader that garbles data looks like that, while one resident's damaged card does not. Never OFFLINE, which
would close services: the reader still answers, and a good card may still read.
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypedDict, TypeVar

from drivers.camera.protocol import Camera
from drivers.citizencard.protocol import CitizenCardReader
from drivers.errors import DeviceBusy, DeviceError, DeviceTimeout
from drivers.idcard.protocol import IdCardReader
from drivers.printer.protocol import Printer
from drivers.scanner.protocol import Scanner
from drivers.status import DeviceState, DeviceStatus
from kiosk.background import BackgroundThread, Backoff
from kiosk.config import (
    CameraConfig,
    CitizenCardConfig,
    Config,
    IdCardConfig,
    PrinterConfig,
    ScannerConfig,
)
from kiosk.status import DEVICE_ROLES

log = logging.getLogger(__name__)

POLL_INTERVAL_S = 5.0
CHECK_TIMEOUT_S = 1.0
FIRST_LOOK_AFTER_S = 1.0
OFFLINE_AFTER_FAILURES = 3
# The first reconnect attempt comes one poll interval after the device was declared offline; later
# ones double up to two minutes (full jitter, floored at the poll interval).
RECONNECT_BACKOFF = Backoff(base_s=POLL_INTERVAL_S, cap_s=120.0)

StatusListener = Callable[[dict[str, DeviceStatus]], None]

D = TypeVar("D")


@dataclasses.dataclass(frozen=True)
class CardReadCounts:
    """Card reads on a reader role since the manager started: accepted, refused for their data, the
    refusals since the last accepted read, and the code of the latest refusal."""

    accepted: int = 0
    refused: int = 0
    refused_in_a_row: int = 0
    last_refusal: str = ""


class DeviceNotConfigured(DeviceError):
    code = "device.not_configured"
    message_key = "device.not_configured"


def _close_driver(driver: object) -> None:
    # Not every driver Protocol has close() (a print queue holds nothing open); those that do need it.
    close = getattr(driver, "close", None)
    if callable(close):
        close()


@dataclasses.dataclass(frozen=True)
class DeviceSpec(Generic[D]):
    """How to build one device's driver (of the role's Protocol `D`) and how to look at its health.

    `check` runs on a helper thread with the device's lock held; it returns the device's status from
    this one look, or raises DeviceError. A returned OFFLINE status counts as a failed look like an
    exception does. Counting failed looks is the manager's job: a driver reports each look as it is.
    """

    build: Callable[[], D]
    check: Callable[[D], DeviceStatus]
    close: Callable[[D], None] = _close_driver


class DeviceSpecs(TypedDict, total=False):
    """The spec of each configured role; a role left out is not configured."""

    idcard: DeviceSpec[IdCardReader]
    citizencard: DeviceSpec[CitizenCardReader]
    printer: DeviceSpec[Printer]
    camera: DeviceSpec[Camera]
    scanner: DeviceSpec[Scanner]


# --- the configured devices -------------------------------------------------------------------


def _idcard_spec(cfg: IdCardConfig) -> DeviceSpec[IdCardReader]:
    def build() -> IdCardReader:
        from drivers.idcard.factory import open_reader

        return open_reader(cfg.backend, port=cfg.port, baud=cfg.baud, card_file=cfg.card_file,
                           card_placed=cfg.card_placed)

    def check(reader: IdCardReader) -> DeviceStatus:
        # The SAM status exchange touches the reader without needing a card: a cheap proof of life.
        reader.sam_status(CHECK_TIMEOUT_S)
        return reader.status()

    return DeviceSpec(build, check)


def _citizencard_spec(cfg: CitizenCardConfig) -> DeviceSpec[CitizenCardReader]:
    def build() -> CitizenCardReader:
        from drivers.citizencard.factory import create_reader

        return create_reader(cfg.backend, reader=cfg.reader, profile=cfg.profile, card_placed=cfg.card_placed)

    def check(reader: CitizenCardReader) -> DeviceStatus:
        # Raises ReaderNotFound / PcscUnavailable when the reader or pcscd is gone; a card need not be in.
        reader.card_present()
        return DeviceStatus(DeviceState.OK)

    return DeviceSpec(build, check)


def _printer_spec(cfg: PrinterConfig, data_dir: Path) -> DeviceSpec[Printer]:
    def build() -> Printer:
        from drivers.printer.factory import open_printer

        output_dir = Path(cfg.output_dir).expanduser() if cfg.output_dir else Path("printed")
        if not output_dir.is_absolute():
            output_dir = data_dir / output_dir
        return open_printer(cfg.backend, queue=cfg.queue, output_dir=output_dir, job_timeout_s=cfg.job_timeout_s)

    return DeviceSpec(build, printer_check)


def printer_check(printer: Printer) -> DeviceStatus:
    """The printer's state as the print server reports it (paused, out of paper ... are OFFLINE)."""
    return printer.printer_status(CHECK_TIMEOUT_S).device_status()


def _camera_spec(cfg: CameraConfig) -> DeviceSpec[Camera]:
    def build() -> Camera:
        from drivers.camera.factory import make_camera
        from drivers.camera.settings import CameraSettings

        settings = CameraSettings(
            backend="simulated" if cfg.backend == "simulated" else "opencv",
            source=cfg.source, width=cfg.width, height=cfg.height, dpi=cfg.dpi,
        )
        return make_camera(settings)

    def check(camera: Camera) -> DeviceStatus:
        if camera.status().state is DeviceState.UNKNOWN:
            camera.open(CHECK_TIMEOUT_S)
        # Only a frame proves the camera is still there: an unplugged UVC device stays "open".
        camera.read_frame(CHECK_TIMEOUT_S)
        return camera.status()

    return DeviceSpec(build, check)


def _scanner_spec(cfg: ScannerConfig) -> DeviceSpec[Scanner]:
    def build() -> Scanner:
        from drivers.scanner.factory import open_scanner

        return open_scanner(cfg.backend, cfg.device)

    def check(scanner: Scanner) -> DeviceStatus:
        # status() is the look itself (can the device be opened?); a failed one comes back as the
        # driver's failed-look status (drivers.status.failed_look), which counts here as a failed look.
        status = scanner.status()
        if status.state in (DeviceState.DEGRADED, DeviceState.OFFLINE):
            raise DeviceError(status.detail, code=status.detail or "scanner.unavailable",
                              message_key=status.message_key or "scanner.unavailable")
        return status

    return DeviceSpec(build, check)


def specs_from_config(config: Config, data_dir: Path) -> DeviceSpecs:
    """A spec per configured role; roles with backend "none" are left out (not configured)."""
    devices = config.devices
    specs = DeviceSpecs()
    if devices.idcard.backend != "none":
        specs["idcard"] = _idcard_spec(devices.idcard)
    if devices.citizencard.backend != "none":
        specs["citizencard"] = _citizencard_spec(devices.citizencard)
    if devices.printer.backend != "none":
        specs["printer"] = _printer_spec(devices.printer, data_dir)
    if devices.camera.backend != "none":
        specs["camera"] = _camera_spec(devices.camera)
    if devices.scanner.backend != "none":
        specs["scanner"] = _scanner_spec(devices.scanner)
    return specs


# --- the manager ---------------------------------------------------------------------------------


class _Look:
    """One health look running on its own helper thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.status: DeviceStatus | None = None
        self.error: DeviceError | None = None
        self.in_use = False
        # The check raised something other than a DeviceError: a bug, logged where it happened.
        self.bug = False


class _Slot(abc.ABC):
    """What the manager keeps of one role, whatever its driver's type; `_Device` adds the driver."""

    def __init__(self, role: str, configured: bool) -> None:
        self.role = role
        self.status = DeviceStatus(DeviceState.UNKNOWN if configured else DeviceState.NOT_CONFIGURED)
        self.lock = threading.Lock()
        self.failures = 0
        self.reconnect_attempts = 0
        self.next_due = 0.0
        self.look: _Look | None = None
        self.card_reads = CardReadCounts()

    @property
    @abc.abstractmethod
    def configured(self) -> bool: ...

    @property
    @abc.abstractmethod
    def has_driver(self) -> bool: ...

    @abc.abstractmethod
    def check(self) -> DeviceStatus:
        """Builds the driver if there is none and looks at it. Call with `lock` held."""

    @abc.abstractmethod
    def close_driver(self) -> None:
        """Closes the driver (if any) and forgets it. Call with `lock` held."""

    @abc.abstractmethod
    def install_from(self, specs: DeviceSpecs) -> None:
        """Takes this role's spec from `specs` (none = not configured). Call with `lock` held."""


class _Device(_Slot, Generic[D]):
    def __init__(self, role: DeviceRole[D], spec: DeviceSpec[D] | None) -> None:
        super().__init__(role.name, spec is not None)
        self._role = role
        self.spec = spec
        self.driver: D | None = None

    @property
    def configured(self) -> bool:
        return self.spec is not None

    @property
    def has_driver(self) -> bool:
        return self.driver is not None

    def ready_driver(self) -> D:
        """The driver, built now if there is none. Call with `lock` held."""
        if self.spec is None:
            raise DeviceNotConfigured(f"{self.role} is not configured (backend = none)")
        if self.driver is None:
            self.driver = self.spec.build()
        return self.driver

    def check(self) -> DeviceStatus:
        driver = self.ready_driver()
        assert self.spec is not None  # ready_driver raised otherwise
        return self.spec.check(driver)

    def close_driver(self) -> None:
        driver, self.driver = self.driver, None
        if driver is None or self.spec is None:
            return
        try:
            self.spec.close(driver)
        except Exception as exc:  # noqa: BLE001 - a dead or replaced device may fail to close in any way
            log.info("devices: closing %s failed: %s", self.role, type(exc).__name__)

    def install(self, spec: DeviceSpec[D] | None) -> None:
        self.close_driver()
        self.spec = spec

    def install_from(self, specs: DeviceSpecs) -> None:
        self.install(self._role.spec_in(specs))


class _Slots:
    """One typed slot per role, in the order of kiosk.status.DEVICE_ROLES."""

    def __init__(self, specs: DeviceSpecs) -> None:
        unknown = set(specs) - set(DEVICE_ROLES)
        if unknown:
            raise ValueError(f"no such device role: {', '.join(sorted(unknown))}")
        self.idcard = _Device(IDCARD, specs.get("idcard"))
        self.citizencard = _Device(CITIZENCARD, specs.get("citizencard"))
        self.printer = _Device(PRINTER, specs.get("printer"))
        self.camera = _Device(CAMERA, specs.get("camera"))
        self.scanner = _Device(SCANNER, specs.get("scanner"))
        self.all: tuple[_Slot, ...] = (self.idcard, self.citizencard, self.printer, self.camera, self.scanner)
        self.by_name = {slot.role: slot for slot in self.all}


@dataclasses.dataclass(frozen=True)
class DeviceRole(Generic[D]):
    """A device role: its name (the key of `statuses()`) and the driver Protocol `D` its spec builds.

    `DeviceManager.use(CAMERA)` hands out a `Camera`, `apply(CAMERA, spec)` takes a `DeviceSpec[Camera]`:
    the role constants below are the typed keys of the manager's devices.
    """

    name: str
    slot: Callable[[_Slots], _Device[D]] = dataclasses.field(repr=False, compare=False)
    spec_in: Callable[[DeviceSpecs], DeviceSpec[D] | None] = dataclasses.field(repr=False, compare=False)


IDCARD: DeviceRole[IdCardReader] = DeviceRole("idcard", lambda s: s.idcard, lambda s: s.get("idcard"))
CITIZENCARD: DeviceRole[CitizenCardReader] = DeviceRole(
    "citizencard", lambda s: s.citizencard, lambda s: s.get("citizencard"))
PRINTER: DeviceRole[Printer] = DeviceRole("printer", lambda s: s.printer, lambda s: s.get("printer"))
CAMERA: DeviceRole[Camera] = DeviceRole("camera", lambda s: s.camera, lambda s: s.get("camera"))
SCANNER: DeviceRole[Scanner] = DeviceRole("scanner", lambda s: s.scanner, lambda s: s.get("scanner"))


class DeviceManager:
    """See the module docstring. Thread-safe; `poll_once()` is the whole loop body, for tests."""

    def __init__(
        self,
        specs: DeviceSpecs,
        *,
        poll_interval_s: float = POLL_INTERVAL_S,
        check_timeout_s: float = CHECK_TIMEOUT_S,
        offline_after: int = OFFLINE_AFTER_FAILURES,
        backoff: Backoff = RECONNECT_BACKOFF,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._poll_interval_s = poll_interval_s
        self._check_timeout_s = check_timeout_s
        self._offline_after = offline_after
        self._backoff = backoff
        self._rng = rng or random.Random()
        self._clock = clock
        self._slots = _Slots(specs)
        self._lock = threading.Lock()
        self._listeners: list[StatusListener] = []
        self._published: dict[str, DeviceStatus] | None = None
        # Its `wake` is set to look at once instead of sleeping out the poll interval (a reassigned device).
        self._thread = BackgroundThread("kiosk-devices")
        # The config section each role was built from, so `reconfigure` rebuilds only what changed.
        self._sections: dict[str, object] = {}

    @classmethod
    def from_config(cls, config: Config, data_dir: Path) -> DeviceManager:
        manager = cls(specs_from_config(config, data_dir))
        manager._sections = _sections(config)
        return manager

    # --- what others read (any thread) ---------------------------------------------------------

    def statuses(self) -> dict[str, DeviceStatus]:
        """The latest status of every role (a copy); the heartbeat's `devices=` callable."""
        with self._lock:
            return {dev.role: self._shown(dev) for dev in self._slots.all}

    def status(self, role: str) -> DeviceStatus:
        with self._lock:
            return self._shown(self._slots.by_name[role])

    def _shown(self, dev: _Slot) -> DeviceStatus:
        """The status the looks gave, degraded by a run of refused cards (see the module docstring)."""
        reads = dev.card_reads
        if reads.refused_in_a_row < self._offline_after or dev.status.state is not DeviceState.OK:
            return dev.status
        return DeviceStatus(DeviceState.DEGRADED, f"{reads.last_refusal} ({reads.refused_in_a_row} cards refused "
                            "in a row)", dev.status.message_key)

    def card_reads(self, role: DeviceRole[D]) -> CardReadCounts:
        with self._lock:
            return role.slot(self._slots).card_reads

    def note_card_read(self, role: DeviceRole[D], refusal: DeviceError | None = None) -> None:
        """Counts one card read on a reader role: accepted (`refusal` None), or refused for its data with
        the typed error that said why. Any thread; listeners hear it if the shown status changes."""
        with self._lock:
            dev = role.slot(self._slots)
            reads = dev.card_reads
            if refusal is None:
                dev.card_reads = dataclasses.replace(reads, accepted=reads.accepted + 1, refused_in_a_row=0)
            else:
                dev.card_reads = dataclasses.replace(reads, refused=reads.refused + 1, last_refusal=refusal.code,
                                                     refused_in_a_row=reads.refused_in_a_row + 1)
            in_a_row = dev.card_reads.refused_in_a_row
        if in_a_row == self._offline_after:
            log.warning("devices: %s refused %d cards in a row for their data (last: %s)", role.name, in_a_row,
                        refusal.code if refusal is not None else "")
        self._publish()

    def add_listener(self, listener: StatusListener) -> None:
        """`listener(statuses)` is called after every change: on the manager's thread, or on the thread that
        called `apply`, `reconfigure` or `note_card_read`; a listener only forwards (a Qt signal, a queue)."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        """Stops calling `listener` (a screen that is going away)."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def configured(self, role: str) -> bool:
        return self._slots.by_name[role].configured

    @contextmanager
    def use(self, role: DeviceRole[D], wait_s: float = 2.0) -> Iterator[D]:
        """The role's driver, held exclusively while the block runs. Call from a worker thread.

        Raises DeviceNotConfigured, DeviceBusy if another user holds it longer than `wait_s`, or the
        driver factory's DeviceError.
        """
        dev = role.slot(self._slots)
        if not dev.configured:
            raise DeviceNotConfigured(f"{role.name} is not configured (backend = none)")
        if not dev.lock.acquire(timeout=wait_s):
            raise DeviceBusy(f"{role.name} is in use")
        try:
            yield dev.ready_driver()
        finally:
            dev.lock.release()

    def current_driver(self, role: DeviceRole[D], wait_s: float = 0.5) -> D:
        """The role's driver as it stands, without holding it (built first if there is none yet): for
        what acts beside the device rather than through it, like the demo's hand placing a card on a
        simulated reader, which a person does while a screen reads too. Raises as `use` does."""
        dev = role.slot(self._slots)
        driver = dev.driver
        if driver is not None:
            return driver
        with self.use(role, wait_s) as built:
            return built

    # --- changing what is attached (any thread but the manager's) -----------------------------

    def apply(self, role: DeviceRole[D], spec: DeviceSpec[D] | None, wait_s: float = 2.0) -> DeviceStatus:
        """Replaces the role's device without a restart: closes the old driver under the device's lock,
        installs `spec` (None = not configured), publishes the role as UNKNOWN and has the device thread
        look at it at once (which builds the new driver). Returns the status just published.

        Raises DeviceBusy if a screen (or a hung health look) holds the device longer than `wait_s`.
        Blocking: call it from a worker thread.
        """
        dev = role.slot(self._slots)
        return self._replace(dev, functools.partial(dev.install, spec), wait_s)

    def reconfigure(self, config: Config, data_dir: Path, wait_s: float = 2.0) -> dict[str, DeviceStatus]:
        """Applies a changed configuration: every role whose config section changed gets its new
        device (see `apply`); the others keep theirs untouched. Returns the statuses of the roles
        that were replaced. Raises DeviceBusy for a role in use (roles before it are already replaced).
        """
        specs = specs_from_config(config, data_dir)
        sections = _sections(config)
        replaced: dict[str, DeviceStatus] = {}
        for dev in self._slots.all:
            if dev.role in self._sections and self._sections[dev.role] == sections.get(dev.role):
                continue
            replaced[dev.role] = self._replace(dev, functools.partial(dev.install_from, specs), wait_s)
            self._sections[dev.role] = sections.get(dev.role)
        return replaced

    def _replace(self, dev: _Slot, install: Callable[[], None], wait_s: float) -> DeviceStatus:
        if not dev.lock.acquire(timeout=wait_s):
            raise DeviceBusy(f"{dev.role} is in use")
        try:
            install()
            status = DeviceStatus(DeviceState.UNKNOWN if dev.configured else DeviceState.NOT_CONFIGURED)
            with self._lock:
                # A look still running belongs to the old device: poll_once ignores its answer.
                dev.look = None
                dev.failures = 0
                dev.reconnect_attempts = 0
                dev.next_due = 0.0
                dev.status = status
        finally:
            dev.lock.release()
        log.info("devices: %s reassigned (%s)", dev.role, "configured" if dev.configured else "not configured")
        self._publish()
        self._thread.wake.set()
        return status

    # --- the thread ------------------------------------------------------------------------------

    def start(self, first_look_after_s: float = FIRST_LOOK_AFTER_S) -> None:
        """Starts the device thread; its first look waits a moment so that building drivers (and their
        imports: OpenCV alone takes a few hundred ms) does not compete with the first paint."""
        self._thread.start(lambda: self._run(first_look_after_s))

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stops the thread and closes every driver that is not in use."""
        self._thread.stop(timeout_s)
        for dev in self._slots.all:
            self._drop_driver(dev)

    def _run(self, first_look_after_s: float) -> None:
        if self._thread.stopping.wait(first_look_after_s):
            return
        while not self._thread.stopping.is_set():
            try:
                wait = self.poll_once()
            except Exception:
                # A bug in a listener or here must not end health watching for good.
                log.exception("devices: poll failed unexpectedly")
                wait = self._poll_interval_s
            self._thread.wake.wait(max(0.05, wait))
            self._thread.wake.clear()

    def poll_once(self) -> float:
        """Looks at every device that is due, waits at most `check_timeout_s` for the answers, updates
        the statuses, tells the listeners if anything changed, and returns the seconds until the next
        device is due."""
        now = self._clock()
        started: list[tuple[_Slot, _Look]] = []
        for dev in self._slots.all:
            if not dev.configured or dev.next_due > now:
                continue
            if dev.look is not None and not dev.look.done.is_set():
                # The previous look still hangs: that is another failed look, and no new one starts.
                self._failed(dev, _down(DeviceTimeout()), now)
                continue
            dev.look = self._start_look(dev)
            started.append((dev, dev.look))
        deadline = time.monotonic() + self._check_timeout_s
        for dev, look in started:
            look.done.wait(max(0.0, deadline - time.monotonic()))
            if dev.look is not look:
                continue  # the device was replaced (`apply`) while this look ran
            if not look.done.is_set():
                self._failed(dev, _down(DeviceTimeout()), now)
            elif look.in_use or look.bug:
                # In use: a screen is using the device right now, which is the best sign of life there
                # is. A bug: logged with its traceback already; it says nothing about the device.
                dev.next_due = now + self._poll_interval_s
            elif look.error is not None:
                self._failed(dev, _down(look.error), now)
            elif look.status is not None and look.status.state is DeviceState.OFFLINE:
                self._failed(dev, look.status, now)
            elif look.status is not None:
                self._succeeded(dev, look.status, now)
        self._publish()
        due = [d.next_due for d in self._slots.all if d.configured]
        return max(0.0, min(due, default=now + self._poll_interval_s) - now)

    def _start_look(self, dev: _Slot) -> _Look:
        look = _Look()

        def run() -> None:
            try:
                if not dev.lock.acquire(blocking=False):
                    look.in_use = True
                    return
                try:
                    look.status = dev.check()
                finally:
                    dev.lock.release()
            except DeviceError as exc:
                look.error = exc
            except Exception:
                # Not a device failure but a bug in the driver or the check: loud, and not counted.
                log.exception("devices: %s health check raised a bug", dev.role)
                look.bug = True
            finally:
                look.done.set()

        threading.Thread(target=run, name=f"kiosk-device-check-{dev.role}", daemon=True).start()
        return look

    def _succeeded(self, dev: _Slot, status: DeviceStatus, now: float) -> None:
        if dev.status.state is DeviceState.OFFLINE:
            log.info("devices: %s is back (%s)", dev.role, status.state.value)
        dev.failures = 0
        dev.reconnect_attempts = 0
        dev.next_due = now + self._poll_interval_s
        self._set(dev, status)

    def _failed(self, dev: _Slot, down: DeviceStatus, now: float) -> None:
        """`down` is what the failed look said (an OFFLINE status); it is shown only once it persists.

        The one place that decides a device is offline: drivers report each look as it went.
        """
        dev.failures += 1
        if dev.failures < self._offline_after:
            # One glitch: a working device is shown degraded; an unknown one stays unknown.
            if dev.status.usable:
                self._set(dev, dataclasses.replace(down, state=DeviceState.DEGRADED))
            dev.next_due = now + self._poll_interval_s
            return
        if dev.status.state is not DeviceState.OFFLINE:
            log.warning("devices: %s offline after %d failed checks (%s)", dev.role, dev.failures, down.detail)
        self._set(dev, down)
        # Reconnect = a fresh driver (a replugged serial port or camera gets a new handle).
        self._drop_driver(dev)
        dev.reconnect_attempts += 1
        delay = self._backoff.delay(dev.reconnect_attempts, self._rng)
        dev.next_due = now + max(self._poll_interval_s, delay)

    def _drop_driver(self, dev: _Slot) -> None:
        if not dev.has_driver:
            return
        if dev.look is not None and not dev.look.done.is_set():
            return  # a hung look still holds it; the next attempt after it returns rebuilds
        if not dev.lock.acquire(blocking=False):
            return  # a screen holds it; its own errors tell the resident
        try:
            dev.close_driver()
        finally:
            dev.lock.release()

    def _set(self, dev: _Slot, status: DeviceStatus) -> None:
        with self._lock:
            dev.status = status

    def _publish(self) -> None:
        current = self.statuses()
        with self._lock:
            if current == self._published:
                return
            self._published = current
            listeners = list(self._listeners)
        for listener in listeners:
            listener(dict(current))


def _sections(config: Config) -> dict[str, object]:
    return {role: getattr(config.devices, role) for role in DEVICE_ROLES}


def _down(error: DeviceError) -> DeviceStatus:
    # The code, never the exception text: that may name a port or queue but must stay technical.
    return DeviceStatus(DeviceState.OFFLINE, error.code, error.message_key)
