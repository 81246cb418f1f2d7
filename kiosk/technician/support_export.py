"""What a technician hands to support: recent log lines, and an export of logs and config to a folder.

The setup screen's Logs page shows `recent_log_lines` / `recent_audit_lines` and lets the technician
write a support bundle with `export_support_bundle` to a USB stick (`removable_targets` lists the
mounted ones) or any folder they type. A bundle is one timestamped folder holding:

- ``logs/kiosk.log*``: the kiosk log and its rotated files, copied as they are (log records are
  already scrubbed of ID and phone numbers when they are written);
- ``audit.log``: the technician audit log (kiosk/technician/audit.py);
- ``config.json``: the effective configuration with secrets replaced by ``"***"`` (`redact_config`);
  the platform token itself lives in its own file and is never read here, only its path is shown;
- ``outbox-rejected.json`` when the caller passes rejected-item records (kiosk/technician/outbox_admin.py);
- ``manifest.json``: terminal id, station, version, time, outbox counts and every file's size and
  SHA-256, so support can tell a complete bundle from a damaged copy.

The bundle is written under a hidden temporary name in the chosen folder and renamed in one step at
the end: a full stick or a folder that turns out to be read-only leaves nothing behind but the
`ExportError` telling the technician what happened.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import Config, to_mapping
from kiosk.technician.audit import audit_log_for

LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "kiosk.log"
# Where desktop Linux mounts removable drives: /media/LABEL (older udev rules, Debian's usbmount),
# /media/USER/LABEL (udisks2 on Debian/Ubuntu) and /run/media/USER/LABEL (udisks2 elsewhere).
REMOVABLE_PATTERNS = ("/media/*", "/media/*/*", "/run/media/*/*")
REDACTED = "***"
# Keys whose values are secrets. A key that names a file or a directory (token_file) holds a path,
# which support may see; the secret is in the file, which is never read for an export.
_SECRET_KEY = re.compile(r"token|passw|secret|credential|api_?key|private", re.IGNORECASE)
_PATH_KEY = re.compile(r"_(file|path|dir)$")
_CHUNK = 1 << 16
_TAIL_BYTES = 256 * 1024


class ExportError(Exception):
    """An export could not be written; `message` is a Chinese + English sentence for the screen."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def export_error(exc: OSError, folder: Path) -> ExportError:
    """A clear message for the usual ways writing to a stick fails."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError("disk_full", f"目标磁盘空间不足，未导出任何文件 / The drive {folder} is full; "
                                        "nothing was exported.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError("not_writable", f"无法写入该文件夹，未导出任何文件 / The folder {folder} cannot be "
                                           "written to; nothing was exported.")
    if exc.errno == errno.ENOENT:
        return _missing(folder)
    return ExportError("io_error", f"导出失败，未导出任何文件 / Export to {folder} failed: {exc.strerror or exc}")


def _missing(folder: Path) -> ExportError:
    return ExportError("missing", f"文件夹不存在或已被拔出 / The folder {folder} does not exist "
                                  "(was the drive removed?).")


# --- reading the logs -------------------------------------------------------------------------------


def log_dir(data_dir: Path) -> Path:
    """Where kiosk/logsetup.py writes `kiosk.log` for this data directory."""
    return data_dir / LOG_DIR_NAME


def log_files(data_dir: Path) -> list[Path]:
    """The kiosk log and its rotated files, newest first (kiosk.log, kiosk.log.1, kiosk.log.2 …)."""
    folder = log_dir(data_dir)
    current = folder / LOG_FILE_NAME
    rotated = []
    for path in folder.glob(LOG_FILE_NAME + ".*"):
        suffix = path.name[len(LOG_FILE_NAME) + 1:]
        if suffix.isdigit():
            rotated.append((int(suffix), path))
    found = [current] if current.is_file() else []
    return found + [path for _, path in sorted(rotated)]


def tail_lines(path: Path, limit: int = 200) -> list[str]:
    """The last `limit` lines of a text file ([] if it does not exist); reads at most the last 256 KiB."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - _TAIL_BYTES)
            handle.seek(start)
            data = handle.read()
    except FileNotFoundError:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    if start > 0 and lines:
        lines = lines[1:]  # the first line was cut in the middle
    return lines[-limit:] if limit > 0 else []


def recent_log_lines(data_dir: Path, limit: int = 200) -> list[str]:
    """The last `limit` lines of the kiosk log, reaching into the rotated file after a rotation."""
    lines: list[str] = []
    for path in log_files(data_dir):
        lines = tail_lines(path, limit - len(lines)) + lines
        if len(lines) >= limit:
            break
    return lines


def recent_audit_lines(data_dir: Path, limit: int = 200) -> list[str]:
    """The last `limit` technician actions as readable lines: time, action, details."""
    out = []
    for entry in audit_log_for(data_dir).tail(limit):
        details = " ".join(f"{key}={value}" for key, value in entry.details.items())
        stamp = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        out.append(f"{stamp} {entry.action} {details}".rstrip())
    return out


# --- where to export --------------------------------------------------------------------------------


def removable_targets(patterns: Iterable[str] = REMOVABLE_PATTERNS,
                      is_mount: Callable[[str], bool] = os.path.ismount) -> list[Path]:
    """Mounted removable drives the technician may export to, sorted by path."""
    found: set[Path] = set()
    for pattern in patterns:
        anchor = Path(pattern.split("*", 1)[0])
        rest = pattern[len(str(anchor)):].lstrip("/")
        try:
            candidates = list(anchor.glob(rest)) if anchor.is_dir() else []
        except OSError:
            continue
        found.update(path for path in candidates if path.is_dir() and is_mount(str(path)))
    return sorted(found)


# --- the config without secrets ---------------------------------------------------------------------


def redact_config(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a config mapping with every secret-looking value replaced by "***" (empty stays empty)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            out[key] = redact_config(value)
        elif _SECRET_KEY.search(key) and not _PATH_KEY.search(key) and value not in ("", None):
            out[key] = REDACTED
        else:
            out[key] = value
    return out


# --- writing the bundle ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedFile:
    name: str  # relative to the bundle, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: tuple[ExportedFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(item.size for item in self.files)


Opener = Callable[[Path], Any]


def _open_new(path: Path) -> Any:
    return path.open("xb")


class _BundleWriter:
    """Writes files under a temporary folder, remembering size and hash of each."""

    def __init__(self, root: Path, opener: Opener) -> None:
        self.root = root
        self._opener = opener
        self.files: list[ExportedFile] = []

    def write(self, name: str, chunks: Iterable[bytes]) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with self._opener(target) as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        self.files.append(ExportedFile(name, size, digest.hexdigest()))

    def copy(self, name: str, source: Path) -> bool:
        """Copies `source` if it still exists (a log may rotate away meanwhile); returns whether it did."""
        try:
            handle = source.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            self.write(name, iter(lambda: handle.read(_CHUNK), b""))
        return True


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def bundle_name(terminal_id: str, at: datetime) -> str:
    return f"kiosk-support-{terminal_id}-{at.astimezone().strftime('%Y%m%d-%H%M%S')}"


def export_support_bundle(
    folder: Path,
    *,
    data_dir: Path,
    config: Config,
    outbox: Mapping[str, Any] | None = None,
    rejected: Sequence[Mapping[str, Any]] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    opener: Opener | None = None,
) -> ExportResult:
    """Writes a support bundle into `folder` (see the module docstring) and returns where it went.

    `outbox` is a small summary for the manifest (counts by state, depth, oldest unsent), `rejected`
    the rejected items' metadata (kiosk.technician.outbox_admin.rejected_json). Raises `ExportError` with a
    message for the screen; on failure nothing is left in `folder`. `opener` opens a new file for
    writing (tests inject a failing one).
    """
    if not folder.is_dir():
        raise _missing(folder)
    now = clock()
    name = bundle_name(config.terminal.id, now)
    final = folder / name
    suffix = 1
    while final.exists():
        suffix += 1
        final = folder / f"{name}-{suffix}"
    temporary = folder / f".{final.name}.partial"
    try:
        if temporary.exists():  # left by a power cut during an earlier export of the same second
            shutil.rmtree(temporary)
        temporary.mkdir()
        writer = _BundleWriter(temporary, opener or _open_new)
        for path in log_files(data_dir):
            writer.copy(f"{LOG_DIR_NAME}/{path.name}", path)
        writer.copy("audit.log", audit_log_for(data_dir).path)
        writer.write("config.json", [_json_bytes(redact_config(to_mapping(config)))])
        if rejected is not None:
            writer.write("outbox-rejected.json", [_json_bytes(list(rejected))])
        manifest = {
            "format": "kiosk-support-bundle/1",
            "created_at": now.isoformat(),
            "terminal_id": config.terminal.id,
            "station": config.terminal.station,
            "region_code": config.terminal.region_code,
            "version": __version__,
            "outbox": dict(outbox) if outbox is not None else None,
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in writer.files],
        }
        writer.write("manifest.json", [_json_bytes(manifest)])
        os.rename(temporary, final)
        _fsync_dir(folder)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise export_error(exc, folder) from exc
    return ExportResult(final, tuple(writer.files))


def _fsync_dir(folder: Path) -> None:
    """Makes the rename durable before the technician pulls the stick (best effort: vfat may refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json_atomically(folder: Path, name: str, value: Any, opener: Opener | None = None) -> Path:
    """Writes `value` as `folder/name` under a temporary name first; `ExportError` on failure, nothing left."""
    if not folder.is_dir():
        raise _missing(folder)
    final = folder / name
    temporary = folder / f".{name}.partial"
    try:
        temporary.unlink(missing_ok=True)
        with (opener or _open_new)(temporary) as handle:
            handle.write(_json_bytes(value))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
        _fsync_dir(folder)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise export_error(exc, folder) from exc
    return final
