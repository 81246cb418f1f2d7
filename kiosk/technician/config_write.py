"""Writing the configuration back to its TOML file: validated by the loader, atomic, mode 0600.

The setup screen changes a few keys ("devices.idcard.port", "terminal.station" ...). `write_config`
applies those changes to the file the kiosk was started with and keeps every other key (and, where the
file is simple enough to edit line by line, its comments) as it was. The new text is checked by
`kiosk.config.load_config` itself before it replaces the old file, so a bad value is refused with the
loader's own message naming the key, and nothing is written.

The write is atomic: a temporary file in the same directory is written, fsynced, checked, renamed over
the old one with `os.replace`, and the directory is fsynced. A failure at any step (a full disk, a
power cut) leaves the old file byte for byte as it was. The file is created with mode 0600: it names
where the terminal's credentials are.

The terminal's platform token is not a config key: `write_secret` puts it in `platform.token_file`
the same way, mode 0600.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.config import (
    Config,
    ConfigError,
    changed_keys,
    config_from_mapping,
    confined_path,
    load_config,
    to_mapping,
)

# Where the setup screen writes when the kiosk was started without --config (the demo, a fresh terminal).
DEFAULT_CONFIG_NAME = "kiosk.toml"
# Where a token typed on the setup screen goes when platform.token_file is empty; relative to the data dir.
DEFAULT_TOKEN_FILE = "platform.token"

Changes = Mapping[str, Any]


class ConfigWriteError(OSError):
    """The file could not be written; the old file is unchanged. The message names the file."""


@dataclasses.dataclass(frozen=True)
class WriteResult:
    path: Path
    config: Config  # what the file now says (the next start reads exactly this)
    changed: tuple[str, ...]  # dotted keys whose value differs from the file's previous value


def config_target(config_path: Path | None, data_dir: Path) -> tuple[Path, bool]:
    """The file to write, and whether it is the data-dir fallback (no --config was given)."""
    if config_path is not None:
        return config_path, False
    return data_dir / DEFAULT_CONFIG_NAME, True


# --- values -----------------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """One value in TOML syntax. JSON's string escapes are a subset of TOML's basic-string escapes."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):  # documents.trust_anchors
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def apply_changes(config: Config, changes: Changes) -> Config:
    """`config` with the dotted keys in `changes` replaced, validated like a file (ConfigError if bad)."""
    raw = to_mapping(config)
    _set_keys(raw, changes)
    return config_from_mapping(raw, "setup")


def _set_keys(raw: dict[str, Any], changes: Changes) -> None:
    for dotted, value in changes.items():
        *tables, leaf = dotted.split(".")
        target = raw
        for part in tables:
            nxt = target.setdefault(part, {})
            if not isinstance(nxt, dict):
                raise ConfigError([f"{dotted}: {part} is not a table"], "setup")
            target = nxt
        target[leaf] = _plain(value)


# --- text ---------------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\s]+?)\s*\]\s*(#.*)?$")


def _edit_lines(text: str, changes: Changes) -> str:
    """Replaces or adds each key in place, keeping the other lines (and their comments) untouched."""
    lines = text.splitlines()
    for dotted, value in changes.items():
        *tables, leaf = dotted.split(".")
        table = ".".join(tables)
        new_line = f"{leaf} = {toml_value(value)}"
        start = next((i for i, line in enumerate(lines)
                      if (m := _HEADER.match(line)) and m.group(1).replace(" ", "") == table), None)
        if start is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines.extend([f"[{table}]", new_line])
            continue
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        key_rx = re.compile(rf"^\s*{re.escape(leaf)}\s*=")
        at = next((i for i in range(start + 1, end) if key_rx.match(lines[i])), None)
        if at is not None:
            lines[at] = new_line
        else:
            last = max((i for i in range(start + 1, end) if lines[i].strip()), default=start)
            lines.insert(last + 1, new_line)
    return "\n".join(lines) + "\n"


def dump_toml(raw: Mapping[str, Any]) -> str:
    """A whole mapping as TOML: leaves first, then one [table] per nested mapping."""
    lines: list[str] = []

    def walk(table: Mapping[str, Any], prefix: str) -> None:
        for key, value in table.items():
            if not isinstance(value, Mapping):
                lines.append(f"{key} = {toml_value(value)}")
        for key, value in table.items():
            if isinstance(value, Mapping):
                if lines:
                    lines.append("")
                lines.append(f"[{prefix}{key}]")
                walk(value, f"{prefix}{key}.")

    walk(raw, "")
    return "\n".join(lines) + "\n"


def render(old_text: str, changes: Changes, *, source: str = "") -> str:
    """The new file text: `old_text` with `changes` applied.

    Edited line by line where that gives exactly the intended values (comments survive); otherwise
    the whole file is written out again from its parsed values (keys survive, comments do not).
    """
    try:
        raw = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], source) from exc
    _set_keys(raw, changes)
    try:
        edited = _edit_lines(old_text, changes)
        if tomllib.loads(edited) == raw:
            return edited
    except (tomllib.TOMLDecodeError, TypeError):
        pass  # an inline table or dotted key the line editor does not handle: fall back below
    return dump_toml(raw)


# --- files --------------------------------------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600, check: Any = None) -> None:
    """Writes `data` to `path` atomically with `mode`; `check(tmp_path)` may raise to abort before the rename.

    Raises ConfigWriteError (an OSError) on an I/O failure; whatever was at `path` stays as it was.
    """
    directory = path.parent
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(directory)
    except OSError as exc:
        raise ConfigWriteError(exc.errno or 0, f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_config(path: Path, changes: Changes) -> WriteResult:
    """Applies `changes` (dotted key -> value) to the TOML file at `path` (created if missing).

    Raises ConfigError (the loader's message, naming the key; nothing written) or ConfigWriteError.
    Blocking (fsync): call it from a worker thread.
    """
    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read the file: {exc}"], str(path)) from exc
    text = render(old_text, changes, source=str(path))
    old = config_from_mapping(tomllib.loads(old_text), str(path)) if old_text.strip() else Config()
    # Refused before the disk is touched; the check below re-reads the very bytes about to land.
    config_from_mapping(tomllib.loads(text), str(path))
    checked: list[Config] = []

    def check(tmp: Path) -> None:
        try:
            checked.append(load_config(tmp))
        except ConfigError as exc:
            # The loader's problems, but named after the real file, not the temporary one.
            raise ConfigError(exc.problems, str(path)) from None

    atomic_write(path, text.encode("utf-8"), check=check)
    new = checked[0]
    return WriteResult(path, new, changed_keys(old, new))


def resolve_secret_path(token_file: str, data_dir: Path) -> Path:
    """`platform.token_file` as read by kiosk.runtime.read_token: relative paths are under the data dir.

    Raises ConfigError when it leads outside the data directory: the token must never overwrite another file.
    """
    return confined_path("platform.token_file", token_file, data_dir)


def write_secret(path: Path, secret: str) -> None:
    """Writes a credential (the platform token) atomically with mode 0600."""
    atomic_write(path, (secret.strip() + "\n").encode("utf-8"), mode=0o600)


def mask_secret(secret: str) -> str:
    """What the screen shows of a stored token: its length and last four characters at most."""
    secret = secret.strip()
    if not secret:
        return ""
    tail = secret[-4:] if len(secret) >= 12 else ""
    return "•" * 8 + tail
