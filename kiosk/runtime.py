"""Builds the kiosk's long-lived parts from the configuration: the offline cache, the platform client
and the sync engine. The command line and the screen layer both start from here.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import (
    Config,
    ConfigError,
    changed_keys,
    config_warnings,
    confined_path,
    data_dir_path,
    sample_catalog_path,
    with_overrides,
)
from kiosk.devices.card_watch import CardWatcher
from kiosk.devices.manager import DeviceManager
from kiosk.platform.help_requests import HelpRequests
from kiosk.platform.sync import SyncEngine
from kiosk.status import DeviceStatus
from offline_cache.errors import CacheError
from offline_cache.store import OfflineCache

if TYPE_CHECKING:
    from kiosk.platform.client import PlatformClient

log = logging.getLogger(__name__)


class SetupError(RuntimeError):
    """The terminal cannot start a part as configured; the message says what to fix."""


def open_cache(config: Config, data_dir: Path) -> OfflineCache:
    try:
        return OfflineCache.open(data_dir, terminal_id=config.terminal.id)
    except (CacheError, ValueError) as exc:
        raise SetupError(f"cannot open the offline cache in {data_dir}: {exc}") from exc


def demo_config(config: Config) -> Config:
    """`kiosk demo`'s configuration: every device on its simulator, windowed, so it runs on a machine with
    no hardware. The platform is whatever `config` names; the default names none (offline). The card
    readers start empty, so the prompts to place a card show; the demo's card keys place one."""
    simulated: dict[str, Any] = {"backend": "simulated"}
    reader: dict[str, Any] = {"backend": "simulated", "card_placed": False}
    return with_overrides(
        config,
        **{
            "ui": {"fullscreen": False},
            "devices.idcard": reader,
            "devices.citizencard": reader,
            "devices.printer": simulated,
            "devices.camera": simulated,
            "devices.scanner": simulated,
        },
    )


def ensure_catalog(cache: OfflineCache) -> bool:
    """Loads the bundled sample catalogue into an empty cache, so guides work before the first sync.

    Returns True if it did. The sync engine replaces it with the platform's catalogue at first contact.
    """
    if cache.catalog.version() is not None:
        return False
    result = cache.catalog.import_file(sample_catalog_path())
    log.info("loaded the bundled sample catalogue (%d items)", result.items)
    return True


def read_token(config: Config, data_dir: Path) -> str:
    """The terminal's platform token from `platform.token_file`, refusing a file others can read or one
    outside the data directory (the token is sent to the platform: it must never be another file)."""
    if not config.platform.token_file:
        raise SetupError("platform.url is set but platform.token_file is empty: where is this terminal's token?")
    try:
        path = confined_path("platform.token_file", config.platform.token_file, data_dir)
    except ConfigError as exc:
        raise SetupError("; ".join(exc.problems)) from None
    try:
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SetupError(f"platform.token_file {path} is readable by others; run: chmod 600 {path}")
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SetupError(f"platform.token_file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise SetupError(f"platform.token_file {path} is not UTF-8 text") from None
    if not token:
        raise SetupError(f"platform.token_file {path} is empty")
    return token


def make_client(config: Config, data_dir: Path) -> PlatformClient | None:
    """The platform client, or None when no platform is configured (the terminal works offline only)."""
    platform = config.platform
    if not platform.url:
        return None
    # requests loads only when a platform is configured: a terminal that works offline never pays for it.
    from kiosk.platform.client import InsecureTransport, PlatformClient

    ca_file = str(data_dir_path(platform.ca_file, data_dir)) if platform.ca_file else None
    if ca_file is not None and not os.path.isfile(ca_file):
        raise SetupError(f"platform.ca_file {ca_file} does not exist")
    for warning in config_warnings(config):
        log.warning("%s", warning)  # at every start and every new platform: a lab setting must not be forgotten
    try:
        return PlatformClient(
            platform.url, config.terminal.id, read_token(config, data_dir),
            timeout=(platform.connect_timeout_s, platform.read_timeout_s), ca_file=ca_file,
            allow_insecure_http=platform.allow_insecure_http,
        )
    except InsecureTransport as exc:
        log.error("platform not used: %s", exc)
        raise SetupError(f"platform.url: {exc}") from None


def make_sync_engine(
    config: Config, data_dir: Path, cache: OfflineCache,
    devices: Callable[[], Mapping[str, DeviceStatus]] | None = None,
    help_requests: Callable[[], int] | None = None,
) -> SyncEngine:
    client = make_client(config, data_dir)
    return SyncEngine(cache, client, config.sync, devices=devices or dict,
                      help_requests=help_requests or (lambda: 0))


# Keys a running kiosk takes up at once when the setup screen applies them: the device manager swaps the
# device, screens open readers and printers from the current config each time they need one, and the
# sync engine takes a new platform client and schedule. Every other key is read when a part starts (the
# cache's terminal id, logging, the window, the session timers, the voice, the status strip): it needs
# a restart.
LIVE_KEY_PREFIXES = ("devices.", "terminal.region_code", "platform.", "sync.")


@dataclass(frozen=True)
class AppliedConfig:
    """What `KioskRuntime.apply_config` did: keys now in effect, keys waiting for a restart, and the
    status each replaced device was published with."""

    live: tuple[str, ...]
    restart: tuple[str, ...]
    devices: dict[str, DeviceStatus]


def needs_restart(key: str) -> bool:
    """Whether a changed dotted key takes effect only at the next start."""
    return not key.startswith(LIVE_KEY_PREFIXES)


class KioskRuntime:
    """The parts one running kiosk owns: the offline cache, the device manager and the sync engine."""

    def __init__(self, config: Config, data_dir: Path) -> None:
        self.config = config
        self.data_dir = data_dir
        self.cache = open_cache(config, data_dir)
        self._starter: threading.Thread | None = None
        try:
            # Cheap: drivers are built on the device thread's first look, a moment after start.
            self.devices = DeviceManager.from_config(config, data_dir)
            self.help_requests = HelpRequests(self.cache.sync_state)
            self.cards = CardWatcher(self.devices)
            self.sync = make_sync_engine(config, data_dir, self.cache, devices=self.devices.statuses,
                                         help_requests=self.help_requests.take)
        except BaseException:
            self.cache.close()
            raise

    def start(self) -> None:
        """Starts the device thread, and on another thread loads the sample catalogue into an empty
        cache (about half a second, so never before the first paint) and then starts the sync engine,
        which may replace that catalogue with the platform's."""
        self.devices.start()
        self.cards.start()
        self._starter = threading.Thread(target=self._seed_then_sync, name="kiosk-start", daemon=True)
        self._starter.start()

    def _seed_then_sync(self) -> None:
        try:
            ensure_catalog(self.cache)
        except CacheError:
            log.exception("the bundled sample catalogue could not be loaded; guides stay empty until a sync")
        finally:
            self.cache.db.close_thread_connection()
        self.sync.start()

    def apply_config(self, new_config: Config, *, reload_platform: bool = False) -> AppliedConfig:
        """Takes a changed configuration without a restart where it can (see LIVE_KEY_PREFIXES).

        Changed device assignments replace the devices now (DeviceManager.reconfigure); `config` becomes
        `new_config`, so whatever reads it afterwards sees the new values. Keys read only at start-up are
        returned in `restart`. `reload_platform` rebuilds the platform client although no key changed
        (a new token in the same token file). Raises SetupError when the new platform settings cannot
        be used (the token file is missing), before anything is swapped. Blocking (waits for the sync
        thread to finish the item in hand and for a device in use, up to 2 s): call it from a worker.
        Raises DeviceBusy if a device is in use; the config is then already swapped and a second call
        finishes the job.
        """
        changed = changed_keys(self.config, new_config)
        if reload_platform or any(key.startswith(("platform.", "sync.")) for key in changed):
            # Built before anything is swapped: a missing token file is reported and nothing changes.
            client = make_client(new_config, self.data_dir)
            self.sync.reconfigure(client, new_config.sync)
        self.config = new_config
        replaced = self.devices.reconfigure(new_config, self.data_dir)
        live = tuple(key for key in changed if not needs_restart(key))
        restart = tuple(key for key in changed if needs_restart(key))
        if restart:
            log.info("config: %d changed key(s) take effect at the next start: %s", len(restart), ", ".join(restart))
        return AppliedConfig(live, restart, replaced)

    def close(self) -> None:
        """Stops the device and sync threads (sync finishes the item in hand) and closes the database."""
        self.cards.stop()
        self.devices.stop()
        if self._starter is not None:
            self._starter.join(30)
        self.sync.stop()
        self.cache.close()
