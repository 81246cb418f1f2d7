"""The python-sane backend: devices, options, flatbed and feeder scans, SANE status as typed errors.

libsane is process-global and not thread-safe: one lock per scanner serialises its calls, and
`sane.init()`/`sane.exit()` are reference-counted across scanners. SANE reads a page in one blocking
call; `cancel()` (from any thread) and a per-page watchdog interrupt it through `sane_cancel()`, which
SANE allows at any time. SANE_CONFIG_DIR must be set before the first scanner opens.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

from drivers.errors import DeviceError
from drivers.scanner import options as opts
from drivers.scanner.errors import (
    NoDocument,
    ScanCancelled,
    ScannerBackendUnavailable,
    ScannerIOError,
    ScannerNotFound,
    ScanTimeout,
    UnsupportedSetting,
)
from drivers.scanner.protocol import ColorMode, ScannedPage, ScannerInfo, ScannerOptions, ScanSettings
from drivers.scanner.sigpipe import restore_sigpipe_ignored
from drivers.scanner.status_map import CANCELLED, HEALTH_FAILURES, error_for
from drivers.status import DeviceState, DeviceStatus, failed_look

_log = logging.getLogger(__name__)


class SaneDevice(Protocol):
    """The part of `sane.SaneDev` we use."""

    opt: dict[str, Any]

    def start(self) -> None: ...
    def snap(self, no_cancel: bool = False) -> Any: ...
    def cancel(self) -> None: ...
    def close(self) -> None: ...


class SaneApi(Protocol):
    """The part of the `sane` module we use, so the simulator can stand in for libsane."""

    @property
    def error(self) -> type[Exception]: ...

    def init(self) -> object: ...
    def exit(self) -> None: ...
    def get_devices(self) -> list[tuple[str, str, str, str]]: ...
    def open(self, name: str) -> SaneDevice: ...


class _PythonSane:
    """`SaneApi` over the real python-sane module."""

    def __init__(self) -> None:
        try:
            import _sane
            import sane
        except ImportError as exc:
            raise ScannerBackendUnavailable(
                "python-sane is not installed: pip install python-sane (needs libsane1 from the system)"
            ) from exc
        self._sane = sane
        self.error: type[Exception] = _sane.error

    def init(self) -> object:
        return self._sane.init()

    def exit(self) -> None:
        self._sane.exit()

    def get_devices(self) -> list[tuple[str, str, str, str]]:
        return [(str(d[0]), str(d[1]), str(d[2]), str(d[3])) for d in self._sane.get_devices()]

    def open(self, name: str) -> SaneDevice:
        device: SaneDevice = self._sane.open(name)
        return device


_LIBRARY_LOCK = threading.Lock()
_LIBRARY_USERS: dict[int, int] = {}


def _library_acquire(api: SaneApi) -> None:
    with _LIBRARY_LOCK:
        users = _LIBRARY_USERS.get(id(api), 0)
        if users == 0:
            try:
                api.init()
            except api.error as exc:
                raise ScannerBackendUnavailable(f"sane_init failed: {exc}") from exc
        _LIBRARY_USERS[id(api)] = users + 1


def _library_release(api: SaneApi) -> None:
    with _LIBRARY_LOCK:
        users = _LIBRARY_USERS.get(id(api), 0) - 1
        if users <= 0:
            _LIBRARY_USERS.pop(id(api), None)
            api.exit()
            restore_sigpipe_ignored()
        else:
            _LIBRARY_USERS[id(api)] = users


_SHARED_API: list[SaneApi] = []


def _python_sane() -> SaneApi:
    # One adapter per process so the init/exit reference count is shared by every scanner.
    with _LIBRARY_LOCK:
        if not _SHARED_API:
            _SHARED_API.append(_PythonSane())
        return _SHARED_API[0]


class SaneScanner:
    """A SANE device (`device` = SANE name such as `test:0` or `epson2:libusb:001:004`; empty = the first).

    `status()` is one look (can the device be opened?); whether the scanner is offline, after several
    failed looks in a row, is the device manager's decision. The handle is reopened on the next call
    after an I/O error.
    """

    def __init__(
        self,
        device: str = "",
        *,
        api: SaneApi | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._api = api if api is not None else _python_sane()
        self._wanted = device
        self._clock = clock
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._timed_out = threading.Event()
        self._dev: SaneDevice | None = None
        self._name = ""
        self._library = False

    # --- devices and options ---------------------------------------------------------------------

    def list_devices(self) -> list[ScannerInfo]:
        with self._lock:
            self._ensure_library()
            return self._devices()

    def options(self) -> ScannerOptions:
        with self._lock:
            dev = self._device()
            raw = self._raw_options(dev)
            current = {o.name: self._current(dev, o) for o in raw.values()}
            return opts.describe(self._name, raw, current)

    def set_option(self, name: str, value: object) -> None:
        """Set a device-specific SANE option by its SANE name (`test-picture`, `batch-scan`…) for later scans."""
        with self._lock:
            dev = self._device()
            option = self._raw_options(dev).get(name)
            if option is None:
                raise UnsupportedSetting(f"the scanner has no option {name!r}")
            try:
                setattr(dev, option.attr, value)
            except (self._api.error, AttributeError) as exc:
                raise UnsupportedSetting(f"the scanner refused {name}={value!r}: {exc}") from exc

    @property
    def device_name(self) -> str:
        """The SANE name of the open device ("" before the first call that opens it)."""
        return self._name

    # --- scanning --------------------------------------------------------------------------------

    def scan(self, settings: ScanSettings) -> list[ScannedPage]:
        return list(self.scan_pages(settings))

    def scan_pages(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        """Pages as they are read: one from the flatbed; from the feeder until it is empty.

        Raises `NoDocument` when there is nothing to scan, `PaperJammed`, `CoverOpen`, `ScannerBusy`,
        `ScannerIOError`, `ScanCancelled`, `ScanTimeout`, `UnsupportedSetting`. Hold the iterator only
        while scanning: the scanner stays locked until it is exhausted or closed.
        """
        with self._lock:
            self._cancel.clear()
            dev = self._device()
            plan = self._apply(dev, settings)
            feeder = settings.source.is_feeder
            try:
                for index in range(settings.max_pages if feeder else 1):
                    if self._cancel.is_set():
                        raise ScanCancelled("scan cancelled")
                    try:
                        image = self._read_page(dev, settings.page_timeout_s, no_cancel=feeder)
                    except NoDocument:
                        if feeder and index > 0:
                            break  # the feeder ran empty: the batch is complete
                        raise
                    yield self._page(image, plan, settings, index)
            finally:
                if feeder:
                    self._quietly(dev.cancel)
                restore_sigpipe_ignored()

    def cancel(self) -> None:
        """Interrupt the scan in progress (from any thread); it raises `ScanCancelled`."""
        self._cancel.set()
        dev = self._dev
        if dev is not None:
            self._quietly(dev.cancel)

    # --- health and lifetime ---------------------------------------------------------------------

    def status(self) -> DeviceStatus:
        """Probe the device (opening it if needed) and report its health without scanning."""
        if not self._lock.acquire(timeout=0.05):
            return DeviceStatus(DeviceState.BUSY, "scanning", "scanner.busy")
        try:
            try:
                self._device()
            except DeviceError as exc:
                return failed_look(exc)
            return DeviceStatus(DeviceState.OK, self._name)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._close_device()
            if self._library:
                self._library = False
                _library_release(self._api)

    def __enter__(self) -> SaneScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------------

    def _ensure_library(self) -> None:
        if not self._library:
            _library_acquire(self._api)
            self._library = True

    def _devices(self) -> list[ScannerInfo]:
        try:
            found = self._api.get_devices()
        except self._api.error as exc:
            raise self._failed(error_for(str(exc))) from exc
        return [ScannerInfo(name, vendor, model, kind) for name, vendor, model, kind in found]

    def _device(self) -> SaneDevice:
        if self._dev is not None:
            return self._dev
        self._ensure_library()
        name = self._wanted
        if not name:
            found = self._devices()
            if not found:
                raise self._failed(ScannerNotFound("SANE found no scanner (check SANE_CONFIG_DIR and dll.conf)"))
            name = found[0].name
        try:
            self._dev = self._api.open(name)
        except self._api.error as exc:
            err = error_for(str(exc))
            if isinstance(err, UnsupportedSetting):  # sane_open says "Invalid argument" for an unknown name
                err = ScannerNotFound(f"no SANE device {name!r}")
            raise self._failed(err) from exc
        self._name = name
        _log.info("scanner: opened %s", name)
        return self._dev

    def _close_device(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            self._quietly(dev.close)

    @staticmethod
    def _raw_options(dev: SaneDevice) -> dict[str, opts.RawOption]:
        raw = (opts.RawOption.from_sane(o) for o in dev.opt.values())
        return {o.name: o for o in raw}

    @staticmethod
    def _current(dev: SaneDevice, option: opts.RawOption) -> object:
        if not option.active or option.type in (opts.TYPE_GROUP, opts.TYPE_BUTTON):
            return ""
        try:
            value: object = getattr(dev, option.attr)
        except Exception:  # noqa: BLE001 - a backend refusing to read one option is no reason to fail
            return ""
        return value

    def _apply(self, dev: SaneDevice, settings: ScanSettings) -> opts.Plan:
        # Options can change each other's constraints (source → resolutions), so re-read after each.
        plan = opts.plan(settings, self._raw_options(dev))
        for attr, value in plan.values:
            try:
                setattr(dev, attr, value)
            except (self._api.error, AttributeError) as exc:
                raise UnsupportedSetting(f"the scanner refused {attr}={value!r}: {exc}") from exc
        return plan

    def _read_page(self, dev: SaneDevice, timeout_s: float, *, no_cancel: bool) -> Any:
        self._timed_out.clear()
        watchdog = threading.Timer(timeout_s, self._on_timeout, args=(dev,))
        watchdog.daemon = True
        watchdog.start()
        try:
            dev.start()
            return dev.snap(no_cancel)
        except self._api.error as exc:
            err = error_for(str(exc))
            if str(exc) == CANCELLED and self._timed_out.is_set():
                err = ScanTimeout(f"no page within {timeout_s:g} s")
            # A device left mid-scan refuses every later option change; reset it.
            self._quietly(dev.cancel)
            raise self._failed(err) from exc
        except RuntimeError as exc:  # python-sane: "Scanner returned no data"
            self._quietly(dev.cancel)
            raise self._failed(ScannerIOError(f"SANE: {exc}")) from exc
        finally:
            watchdog.cancel()
            restore_sigpipe_ignored()

    def _on_timeout(self, dev: SaneDevice) -> None:
        self._timed_out.set()
        self._quietly(dev.cancel)

    def _page(self, image: Any, plan: opts.Plan, settings: ScanSettings, index: int) -> ScannedPage:
        buffer = io.BytesIO()
        if plan.mode is ColorMode.LINEART:
            image.convert("1").save(buffer, format="PNG", dpi=(plan.resolution, plan.resolution))
            media_type = "image/png"
        else:
            image.save(buffer, format="JPEG", quality=settings.jpeg_quality, dpi=(plan.resolution, plan.resolution))
            media_type = "image/jpeg"
        width, height = image.size
        return ScannedPage(
            buffer.getvalue(), media_type, int(width), int(height), plan.resolution, plan.mode, plan.source,
            index, self._name, self._clock(),
        )

    def _failed(self, err: DeviceError) -> DeviceError:
        if isinstance(err, ScannerIOError):
            self._close_device()  # reopened on the next call (USB reset, power cycle)
        if isinstance(err, (*HEALTH_FAILURES, ScanTimeout, ScannerNotFound)):
            # The device's failures, for the technician; the resident's (no paper, cover open) are not.
            _log.info("scanner: %s", err.code)
        return err

    @staticmethod
    def _quietly(action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - cleanup after a failure must not mask that failure
            _log.debug("scanner: cleanup step failed: %s", exc)
