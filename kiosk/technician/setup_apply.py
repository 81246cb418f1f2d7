"""保存并应用 (save & apply) on the setup screen: validate, write the file atomically, apply without a
restart, and leave one audit line.

The changes (dotted key -> value) are checked against the running configuration first, so nothing is
written that the kiosk could not run with. The file written is the --config file, or `kiosk.toml` in
the data directory when the kiosk started without one (`fallback`: the screen says so). A platform
token typed in goes to `platform.token_file` (mode 0600) before the config that points at it.

The audit line `config.written` names the keys that changed, never their values: a value may be a
credential's path or, for the token, the credential itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drivers.errors import DeviceError
from kiosk.config import (
    REGION_CODE,
    TERMINAL_ID,
    Config,
    ConfigError,
    changed_keys,
    insecure_http_host,
    platform_url_problem,
)
from kiosk.runtime import AppliedConfig, KioskRuntime, SetupError, needs_restart
from kiosk.technician.audit import audit_log_for
from kiosk.technician.config_write import (
    DEFAULT_TOKEN_FILE,
    apply_changes,
    config_target,
    mask_secret,
    resolve_secret_path,
    write_config,
    write_secret,
)


@dataclasses.dataclass(frozen=True)
class SaveOutcome:
    path: Path
    fallback: bool  # written to the data dir because the kiosk started without --config
    config: Config  # the running configuration now (the screen's context takes it)
    changed: tuple[str, ...]
    applied: AppliedConfig | None  # None when the running kiosk could not take it (apply_error says why)
    apply_error: str = ""  # the file is written but a device could not be swapped now (in use)

    @property
    def restart(self) -> tuple[str, ...]:
        """Changed keys that take effect at the next start."""
        if self.applied is not None:
            return self.applied.restart
        return tuple(key for key in self.changed if needs_restart(key))


def save_and_apply(
    changes: Mapping[str, Any],
    *,
    config: Config,
    data_dir: Path,
    runtime: KioskRuntime,
    config_path: Path | None = None,
    token: str | None = None,
) -> SaveOutcome:
    """See the module docstring. Raises ConfigError (bad value; nothing written) or OSError (the
    file or the audit log could not be written). Blocking (fsync, device locks): call from a worker."""
    changes = dict(changes)
    if token is not None and token.strip() and not config.platform.token_file:
        changes.setdefault("platform.token_file", DEFAULT_TOKEN_FILE)
    new_config = apply_changes(config, changes)
    path, fallback = config_target(config_path, data_dir)
    changed = list(changed_keys(config, new_config))
    if token is not None and token.strip():
        write_secret(resolve_secret_path(new_config.platform.token_file, data_dir), token)
        changed.append("platform.token")
    written = write_config(path, changes)
    applied: AppliedConfig | None = None
    apply_error = ""
    try:
        applied = runtime.apply_config(new_config, reload_platform=token is not None and bool(token.strip()))
    except DeviceError as exc:
        apply_error = f"{exc} [{exc.code}]"
    except SetupError as exc:
        apply_error = str(exc)
    audit_log_for(data_dir).record(
        "config.written", file=str(written.path), keys=",".join(changed) or "-",
        restart=",".join(applied.restart if applied else ()) or "-",
    )
    return SaveOutcome(written.path, fallback, new_config, tuple(changed), applied, apply_error)


# --- the terminal page's form ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TerminalForm:
    """What the terminal page's fields hold, as typed."""

    terminal_id: str
    station: str
    region_code: str
    platform_url: str
    idle_timeout_s: str
    elder_mode: bool
    language: str
    volume: float


def form_from_config(config: Config) -> TerminalForm:
    return TerminalForm(
        config.terminal.id, config.terminal.station, config.terminal.region_code, config.platform.url,
        str(config.session.idle_timeout_s), config.terminal.elder_mode, config.terminal.language.value,
        config.ui.volume,
    )


def terminal_changes(form: TerminalForm, config: Config) -> tuple[dict[str, Any], list[str]]:
    """The keys the form changes, and the problems the config loader would not catch (bilingual).

    Range and type checks stay with the loader (save_and_apply runs it); these are the formats.
    """
    problems: list[str] = []
    if not TERMINAL_ID.pattern.fullmatch(form.terminal_id.strip()):
        problems.append("终端编号为 1–32 位字母、数字、_ 或 - / terminal id: 1 to 32 letters, digits, _ or -")
    if not form.station.strip():
        problems.append("请填写站点名称 / station name is empty")
    if not REGION_CODE.pattern.fullmatch(form.region_code.strip()):
        problems.append("区划代码应为 6 位数字 / region code: 6 digits (GB/T 2260)")
    url = form.platform_url.strip()
    url_problem = platform_url_problem(url, allow_insecure_http=config.platform.allow_insecure_http)
    if url_problem is not None and insecure_http_host(url) is not None:
        # The token and every declaration would cross the network in clear: only loopback may use http.
        problems.append("平台地址须以 https:// 开头（仅本机 127.0.0.1 / localhost 可用 http://）/ "
                        "platform address must start with https:// (http:// only for 127.0.0.1 or localhost)")
    elif url_problem is not None:
        problems.append(f"平台地址无效，应以 https:// 开头 / invalid platform address, use https://…: {url_problem}")
    idle: int | None = None
    try:
        idle = int(form.idle_timeout_s.strip())
    except ValueError:
        problems.append("空闲超时应为整数秒 / idle timeout: whole seconds")
    wanted: dict[str, Any] = {
        "terminal.id": form.terminal_id.strip(),
        "terminal.station": form.station.strip(),
        "terminal.region_code": form.region_code.strip(),
        "platform.url": url,
        "terminal.elder_mode": form.elder_mode,
        "terminal.language": form.language,
        "ui.volume": round(float(form.volume), 2),
    }
    if idle is not None:
        wanted["session.idle_timeout_s"] = idle
    current = form_from_config(config)
    before: dict[str, Any] = {
        "terminal.id": current.terminal_id, "terminal.station": current.station,
        "terminal.region_code": current.region_code, "platform.url": current.platform_url,
        "terminal.elder_mode": current.elder_mode, "terminal.language": current.language,
        "ui.volume": current.volume, "session.idle_timeout_s": config.session.idle_timeout_s,
    }
    return {k: v for k, v in wanted.items() if before[k] != v}, problems


def stored_token_hint(config: Config, data_dir: Path) -> str:
    """The stored token as the screen may show it (masked), or "" when there is none."""
    if not config.platform.token_file:
        return ""
    try:
        text = resolve_secret_path(config.platform.token_file, data_dir).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ConfigError):
        return ""
    return mask_secret(text)
