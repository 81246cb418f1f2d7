"""`kiosk demo --platform`: the reference platform as a child process on 127.0.0.1, for the demo.

The demo is offline by default. With `--platform` the CLI starts `python -m reference_platform` on a
free port with the bundled sample catalogue and a token for this terminal, points the demo's config at
it, and stops it when the demo exits, so live progress queries, sync and the online states can be seen.

The reference platform is a development tool: nothing shipped imports it (import-linter), and the
installed bundle does not contain it. It is started as a subprocess from a source checkout, and
`PlatformUnavailable` says so plainly anywhere else.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import secrets
import selectors
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from kiosk.config import Config, sample_catalog_path, with_overrides

log = logging.getLogger(__name__)

MODULE = "reference_platform"
START_TIMEOUT_S = 20.0
_LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


class PlatformUnavailable(RuntimeError):
    """The reference platform cannot be started here; the message says why and what to do."""


def platform_available() -> bool:
    """Whether `python -m reference_platform` can run: a source checkout, not the frozen bundle.
    (find_spec looks the package up without importing it.)"""
    return not getattr(sys, "frozen", False) and importlib.util.find_spec(MODULE) is not None


class DemoPlatform:
    """One reference platform for one demo run, its database and token file under `work_dir`."""

    def __init__(self, work_dir: Path, terminal_id: str) -> None:
        self.work_dir = work_dir
        self.terminal_id = terminal_id
        self.token_file = work_dir / "platform-token"
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self, timeout_s: float = START_TIMEOUT_S) -> str:
        """Starts the platform and returns its URL once it accepts connections."""
        if not platform_available():
            raise PlatformUnavailable(
                "the reference platform is not part of the installed kiosk; run the demo from a source "
                "checkout (python -m kiosk demo --platform)")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(24)
        # The kiosk refuses a token file others can read, as it would on a terminal.
        descriptor = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(token)
        command = [sys.executable, "-m", MODULE, "--host", "127.0.0.1", "--port", "0",
                   "--db", str(self.work_dir / "platform.db"), "--catalog", str(sample_catalog_path()),
                   "--terminal", f"{self.terminal_id}:{token}"]
        with open(self.work_dir / "platform.log", "a", encoding="utf-8") as errors:
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=_checkout_root())
        try:
            self.url = self._wait_listening(self._process, timeout_s)
        except BaseException:
            self.stop()
            raise
        log.info("demo: reference platform at %s", self.url)
        return self.url

    def _wait_listening(self, process: subprocess.Popen[str], timeout_s: float) -> str:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if not selector.select(left):
                    break
                line = process.stdout.readline()
                if not line:
                    raise PlatformUnavailable(
                        f"the reference platform exited at start (see {self.work_dir / 'platform.log'})")
                if match := _LISTENING.search(line):
                    return match.group(1)
        raise PlatformUnavailable(f"the reference platform did not start within {timeout_s:.0f} s")

    def configure(self, config: Config) -> Config:
        """`config` pointed at this platform, with its token."""
        return with_overrides(config, platform={"url": self.url, "token_file": str(self.token_file)})

    def stop(self, timeout_s: float = 5.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # the platform stops cleanly on SIGTERM
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout_s)
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> DemoPlatform:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def _checkout_root() -> str | None:
    """The folder holding the `reference_platform` package, so the child finds it whatever the cwd."""
    spec = importlib.util.find_spec(MODULE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))).parent)
