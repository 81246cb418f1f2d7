"""Finding what is attached, for the setup screen: serial ports, PC/SC readers, cameras, print queues,
SANE scanners.

Each probe returns a `Discovery`: the candidates a technician may assign to a role (the value for the
role's config key, a line of detail, and the backend that goes with it), and a reason when the probe
could not look (the stack is not installed, the service does not answer, it took too long). A probe
never raises and never takes much longer than its timeout: it runs on a helper thread that is
abandoned when the time is up (a hung libsane or pcscd call stays behind, on a daemon thread).

The native stacks are reached through the drivers' own lazy imports, so a terminal without one gets
the driver's message naming what to install. Pseudo terminals (/dev/pts/N, the simulators') are not
listed by the system: a technician types such a path in, and `manual_serial` checks it.
"""

from __future__ import annotations

import dataclasses
import glob
import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from drivers.errors import DeviceError

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 3.0
# The roles the setup screen assigns: the device manager's five and the QR / barcode reader.
ROLES = ("idcard", "citizencard", "printer", "camera", "scanner", "barcode")


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One thing a role could use: `name` goes into the role's config key (port, reader, queue, source,
    device), `backend` into its `backend` key; `detail` is for the technician's eyes."""

    name: str
    detail: str
    backend: str


@dataclasses.dataclass(frozen=True)
class Discovery:
    kind: str
    candidates: tuple[Candidate, ...] = ()
    # Why the list may be incomplete, one line per probe that could not look; empty when all looked.
    reasons: tuple[str, ...] = ()


class _Probe:
    def __init__(self, fn: Callable[[], list[Candidate]]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.value: list[Candidate] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller as a reason
            self.error = exc
        finally:
            self.done.set()


def bounded(kind: str, fn: Callable[[], list[Candidate]], timeout_s: float) -> Discovery:
    """Runs `fn` on a helper thread for at most `timeout_s`; failures and timeouts become a reason."""
    probe = _Probe(fn)
    threading.Thread(target=probe.run, name=f"kiosk-discover-{kind}", daemon=True).start()
    if not probe.done.wait(timeout_s):
        log.info("discovery: %s did not answer within %.1f s", kind, timeout_s)
        return Discovery(kind, reasons=(f"{kind}: 超时 / no answer within {timeout_s:g} s",))
    if probe.error is not None:
        return Discovery(kind, reasons=(f"{kind}: {_reason(probe.error)}",))
    return Discovery(kind, tuple(probe.value))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DeviceError):
        return f"{exc} [{exc.code}]"
    if isinstance(exc, ImportError):
        return f"not installed: {exc}"
    return f"{type(exc).__name__}: {exc}"


# --- serial ports ---------------------------------------------------------------------------------


def _by_id_links() -> dict[str, str]:
    """/dev/ttyUSB0 -> /dev/serial/by-id/usb-...: a name that survives replugging in another socket."""
    links: dict[str, str] = {}
    for link in sorted(glob.glob("/dev/serial/by-id/*")):
        links.setdefault(os.path.realpath(link), link)
    return links


def _serial_ports() -> list[Candidate]:
    try:
        from serial.tools import list_ports
    except ImportError as exc:
        raise ImportError("pyserial: pip install pyserial") from exc
    links = _by_id_links()
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        stable = links.get(os.path.realpath(port.device), port.device)
        parts = [p for p in (port.device if stable != port.device else "", port.description, port.hwid)
                 if p and p != "n/a"]
        found.append(Candidate(stable, " · ".join(parts), "serial"))
    return found


def discover_serial(timeout_s: float = DEFAULT_TIMEOUT_S) -> Discovery:
    return bounded("serial", _serial_ports, timeout_s)


def manual_serial(path: str) -> Candidate:
    """A port typed in by hand (a pty, an unusual adapter). Raises ValueError saying what is wrong."""
    path = path.strip()
    if not path:
        raise ValueError("请输入串口路径 / enter a port path, e.g. /dev/ttyUSB0")
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ValueError(f"{path}: 不存在 / {exc.strerror or exc}") from exc
    if not stat.S_ISCHR(info.st_mode):
        raise ValueError(f"{path}: 不是串口设备 / not a character device")
    return Candidate(path, "手动输入 / entered by hand", "serial")


# --- PC/SC readers --------------------------------------------------------------------------------


def _pcsc_readers() -> list[Candidate]:
    from drivers.citizencard.pcsc_reader import list_readers

    return [Candidate(name, "PC/SC", "pcsc") for name in list_readers()]


def discover_pcsc(timeout_s: float = DEFAULT_TIMEOUT_S) -> Discovery:
    return bounded("pcsc", _pcsc_readers, timeout_s)


# --- cameras --------------------------------------------------------------------------------------


def _video_name(device: str) -> str:
    try:
        return Path(f"/sys/class/video4linux/{Path(device).name}/name").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _camera_opens(device: str, timeout_s: float) -> bool:
    from drivers.camera.factory import make_camera
    from drivers.camera.settings import CameraSettings

    camera = make_camera(CameraSettings(backend="opencv", source=device))
    try:
        camera.open(timeout_s)
        camera.read_frame(timeout_s)
    except DeviceError:
        return False
    finally:
        camera.close()
    return True


def _cameras(probe: bool, step_s: float, devices: list[str] | None = None) -> list[Candidate]:
    found = []
    for device in devices if devices is not None else sorted(glob.glob("/dev/video*")):
        detail = _video_name(device) or "V4L2"
        if probe and not _camera_opens(device, step_s):
            # UVC cameras expose a metadata node next to the picture one; it gives no frames.
            continue
        found.append(Candidate(device, detail, "opencv"))
    return found


def discover_cameras(timeout_s: float = DEFAULT_TIMEOUT_S, *, probe: bool = False) -> Discovery:
    """/dev/video* (with `probe`, only those OpenCV reads a frame from); the simulated camera always."""
    found = bounded("camera", lambda: _cameras(probe, min(1.0, timeout_s)), timeout_s)
    simulated = Candidate("0", "模拟高拍仪 / simulated camera (demo scene)", "simulated")
    return dataclasses.replace(found, candidates=(*found.candidates, simulated))


# --- print queues ---------------------------------------------------------------------------------

_CUPS_STATES = {3: "空闲 idle", 4: "打印中 printing", 5: "已停止 stopped"}


def _cups_queues() -> list[Candidate]:
    from drivers.printer.cups_printer import import_cups

    cups = import_cups()
    try:
        connection = cups.Connection()
        printers: dict[str, dict[str, Any]] = connection.getPrinters()
        default = connection.getDefault()
    except (RuntimeError, cups.IPPError, cups.HTTPError) as exc:
        raise ConnectionError(f"CUPS 打印服务无应答 / print server unreachable ({exc})") from exc
    found = []
    for name, attrs in sorted(printers.items()):
        state = _CUPS_STATES.get(int(attrs.get("printer-state", 0)), "?")
        parts = [str(attrs.get("printer-info", "")), state]
        if not attrs.get("printer-is-accepting-jobs", True):
            parts.append("不接受任务 not accepting jobs")
        if message := str(attrs.get("printer-state-message", "")):
            parts.append(message)
        if name == default:
            parts.append("默认 default")
        found.append(Candidate(name, " · ".join(p for p in parts if p), "cups"))
    return found


def discover_printers(timeout_s: float = DEFAULT_TIMEOUT_S) -> Discovery:
    return bounded("cups", _cups_queues, timeout_s)


# --- scanners -------------------------------------------------------------------------------------


def _sane_devices() -> list[Candidate]:
    # Through the driver: it shares libsane's init/exit count with open scanners and puts SIGPIPE
    # back to "ignored" when libsane is released.
    from drivers.scanner.sane_scanner import SaneScanner

    scanner = SaneScanner("")
    try:
        devices = scanner.list_devices()
    finally:
        scanner.close()
    return [Candidate(d.name, " ".join(p for p in (d.vendor, d.model, d.kind) if p), "sane") for d in devices]


def discover_scanners(timeout_s: float = DEFAULT_TIMEOUT_S) -> Discovery:
    return bounded("sane", _sane_devices, timeout_s)


# --- per role -------------------------------------------------------------------------------------

_SIMULATED = {
    "idcard": Candidate("", "模拟读卡器 / simulated reader (demo card)", "simulated"),
    "citizencard": Candidate("", "模拟社保卡 / simulated card", "simulated"),
    "printer": Candidate("", "模拟打印机（保存为 PDF）/ simulated printer (PDF files)", "simulated"),
    "scanner": Candidate("", "模拟扫描仪 / simulated scanner", "simulated"),
}
_BARCODE_DECODERS = (
    Candidate("", "用高拍仪识别（zxing）/ decode from the camera (zxing)", "zxing"),
    Candidate("", "用高拍仪识别（pyzbar）/ decode from the camera (pyzbar)", "pyzbar"),
)


def _merge(kind: str, *parts: Discovery, extra: tuple[Candidate, ...] = ()) -> Discovery:
    return Discovery(kind, tuple(c for p in parts for c in p.candidates) + extra,
                     tuple(r for p in parts for r in p.reasons))


def discover(role: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> Discovery:
    """What could serve `role` (one of ROLES), the simulator last. Blocking: call it from a worker."""
    simulated = (_SIMULATED[role],) if role in _SIMULATED else ()
    if role == "idcard":
        return _merge(role, discover_serial(timeout_s), extra=simulated)
    if role == "citizencard":
        return _merge(role, discover_pcsc(timeout_s), extra=simulated)
    if role == "printer":
        return _merge(role, discover_printers(timeout_s), extra=simulated)
    if role == "camera":
        return _merge(role, discover_cameras(timeout_s))
    if role == "scanner":
        return _merge(role, discover_scanners(timeout_s), extra=simulated)
    if role == "barcode":
        return _merge(role, discover_serial(timeout_s), extra=_BARCODE_DECODERS)
    raise ValueError(f"no such role: {role}")
