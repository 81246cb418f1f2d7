"""Build a reference platform server, and run one in a thread (for tests and benches in the same process)."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from reference_platform.authority import Authority, AuthorityError
from reference_platform.contract import TERMINAL_ID_RE
from reference_platform.faults import Faults
from reference_platform.server import PlatformServer
from reference_platform.store import Store
from reference_platform.validation import ApiError, validate_catalog_item


class SetupError(Exception):
    """Bad start-up options (catalogue file, terminal, TLS files); the message says which."""


def parse_terminal(spec: str) -> tuple[str, str]:
    terminal_id, sep, token = spec.partition(":")
    if not sep or not TERMINAL_ID_RE.fullmatch(terminal_id) or not token or any(c.isspace() for c in token):
        raise SetupError(f"--terminal wants ID:TOKEN (ID of 1-32 letters, digits, _ or -), got {terminal_id!r}:…")
    return terminal_id, token


def load_catalog(path: str | Path) -> tuple[list[dict[str, Any]], int]:
    """Read a catalogue file (docs/catalog-format.md); returns its items and catalog_version."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SetupError(f"cannot read catalogue file {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SetupError(f"catalogue file {path}: expected an object with an 'items' list")
    version = data.get("catalog_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise SetupError(f"catalogue file {path}: catalog_version must be an integer >= 0")
    try:
        for i, item in enumerate(data["items"]):
            validate_catalog_item(item, f"items[{i}]")
    except ApiError as exc:
        raise SetupError(f"catalogue file {path}: {exc.message}") from None
    return data["items"], version


def default_ca_dir(db: str | Path) -> Path:
    """Where the test authority lives unless told otherwise: beside the database, `<db>-ca/`."""
    return Path(f"{db}-ca")


def open_authority(db: str | Path, ca_dir: str | Path | None = None) -> Authority:
    try:
        return Authority(default_ca_dir(db) if ca_dir is None else ca_dir)
    except AuthorityError as exc:
        raise SetupError(str(exc)) from exc


def create_server(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    catalog: str | Path | None = None,
    terminals: Iterable[tuple[str, str]] = (),
    admin_token: str | None = None,
    faults: Faults | None = None,
    tls_cert: str | Path | None = None,
    tls_key: str | Path | None = None,
    ca_dir: str | Path | None = None,
) -> PlatformServer:
    """Open (or create) the database and the test authority, register terminals, seed the catalogue once and
    the sample licences, bind the socket."""
    tls: ssl.SSLContext | None = None
    if tls_cert is not None:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            tls.load_cert_chain(str(tls_cert), None if tls_key is None else str(tls_key))
        except (OSError, ssl.SSLError) as exc:
            raise SetupError(f"cannot load the TLS certificate/key: {exc}") from exc
    items = load_catalog(catalog) if catalog is not None else None
    authority = open_authority(db, ca_dir)
    store = Store(db)
    try:
        for terminal_id, token in terminals:
            store.register_terminal(terminal_id, token)
        if items is not None:
            store.seed_catalog(*items)
        return PlatformServer((host, port), store, faults, authority=authority, admin_token=admin_token, tls=tls)
    except BaseException:
        store.close()
        raise


class RunningPlatform:
    """A reference platform serving from a background thread; `with RunningPlatform(...) as p: p.url`.

    Leaving the block stops the server, ends its connections, joins its threads and closes the database.
    """

    def __init__(self, db: str | Path, **options: Any) -> None:
        self.server = create_server(db, **options)
        # A short poll interval: stop() returns within ~50 ms instead of the default 0.5 s.
        self._thread = threading.Thread(
            target=self.server.serve_forever, args=(0.05,), name="reference-platform", daemon=True
        )

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def store(self) -> Store:
        return self.server.store

    @property
    def faults(self) -> Faults:
        return self.server.faults

    def start(self) -> RunningPlatform:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.server.stop()
            self._thread.join()
        else:
            self.server.server_close()
        self.server.store.close()

    def __enter__(self) -> RunningPlatform:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
