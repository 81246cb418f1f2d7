"""TOML configuration: typed sections with defaults, and validation that names the bad key and value.

Every key is declared once, as a field of a frozen dataclass below; the loader walks those
declarations, so a key that is not declared (a typo) or a value of the wrong type or outside its
range is reported with its dotted path, e.g. ``devices.printer.queu: unknown key (did you mean
'queue'?)``. `docs/kiosk.example.toml` documents every key and a test keeps it complete.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import ipaddress
import math
import os
import re
import reprlib
import textwrap
import tomllib
import typing
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "gov-kiosk"

class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names every bad key."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(problems))


@dataclasses.dataclass(frozen=True)
class TextForm:
    """What a string key may hold beyond printable text: a pattern, and the words that describe it."""

    pattern: re.Pattern[str]
    described: str


def _field(
    default: Any, doc: str, *, minimum: float | None = None, maximum: float | None = None,
    max_length: int | None = None, form: TextForm | None = None, max_items: int | None = None,
) -> Any:
    """One key. Every number has both bounds (a value the screen or a timer cannot hold is refused at
    load, not met as an OverflowError later); every string a length limit, by default `TEXT_MAX`; every
    array of strings (`tuple[str, ...]`) a count, and its strings the string limits."""
    return dataclasses.field(default=default, metadata={
        "doc": doc, "min": minimum, "max": maximum, "max_length": max_length, "form": form, "max_items": max_items,
    })


def _section(cls: type[Any], doc: str) -> Any:
    return dataclasses.field(default_factory=cls, metadata={"doc": doc})


class Language(enum.StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


# Longest string a key may hold unless it says otherwise, and the longest path (Linux's PATH_MAX).
TEXT_MAX = 256
PATH_MAX = 4096
# The platform's terminal id (docs/platform-api.md, Identifiers): it goes into every request's
# X-Terminal-Id header and into local receipt numbers, whose digits follow the last "-".
TERMINAL_ID = TextForm(re.compile(r"[A-Za-z0-9_-]{1,32}"), "1 to 32 ASCII letters, digits, _ or -")
REGION_CODE = TextForm(re.compile(r"[0-9]{6}"), "6 ASCII digits (GB/T 2260)")
# A province's authorities and a few departments' own roots; more files than this is a mistake.
MAX_TRUST_ANCHOR_FILES = 32


@dataclasses.dataclass(frozen=True)
class TerminalConfig:
    id: str = _field("T0001", "Terminal id issued by the platform; prefixes local receipt numbers.", form=TERMINAL_ID)
    station: str = _field("示例社区服务中心", "Station name printed on receipts and shown on screen.", max_length=64)
    region_code: str = _field("330100", "Administrative region code (GB/T 2260) of the station.", form=REGION_CODE)
    help_phone: str = _field("", "Phone number residents may call for help at this station (呼叫工作人员).",
                             max_length=32)
    language: Language = _field(Language.ZH_CN, "Language the home screen starts in: zh_CN or en.")
    elder_mode: bool = _field(False, "Start in elder mode (larger type, higher contrast, slower timeouts).")


@dataclasses.dataclass(frozen=True)
class SessionConfig:
    # Timers take milliseconds in a 32-bit int (about 24 days); an hour is the longest any of these needs.
    idle_timeout_s: int = _field(90, "Seconds without a touch before a resident's session ends.",
                                 minimum=15, maximum=3600)
    elder_idle_timeout_s: int = _field(180, "Idle timeout in elder mode.", minimum=15, maximum=3600)
    countdown_s: int = _field(15, "Seconds of visible countdown before an idle session ends.", minimum=5, maximum=300)
    attract_after_s: int = _field(300, "Seconds idle on the home screen before the attract screen.",
                                  minimum=30, maximum=86_400)


@dataclasses.dataclass(frozen=True)
class UiConfig:
    fullscreen: bool = _field(True, "Full screen without window decorations (`kiosk run`); demo is windowed.")
    # 8192 covers an 8K panel either way round; Qt's sizes are C ints, far above it.
    width: int = _field(1280, "Window width in windowed mode.", minimum=640, maximum=8192)
    height: int = _field(800, "Window height in windowed mode.", minimum=480, maximum=8192)
    font_family: str = _field("Noto Sans CJK SC", "Screen font family; must cover Simplified Chinese.", max_length=128)
    voice: bool = _field(True, "Speak step prompts where a speech engine is present.")
    volume: float = _field(0.8, "Voice volume, 0.0 to 1.0.", minimum=0.0, maximum=1.0)
    hide_cursor: Literal["auto", "always", "never"] = _field(
        "auto", "Mouse cursor in `kiosk run`: auto (hidden when a touch screen is found), always, never.")
    layout: Literal["auto", "landscape", "portrait"] = _field(
        "auto", "Screen layout: auto (portrait when the screen is taller than wide), landscape, portrait.")


@dataclasses.dataclass(frozen=True)
class LoggingConfig:
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = _field("INFO", "Least severe level written.")
    max_bytes: int = _field(5_000_000, "Size at which the log file rotates.", minimum=10_000, maximum=1_000_000_000)
    backup_count: int = _field(5, "Rotated log files kept.", minimum=1, maximum=100)


@dataclasses.dataclass(frozen=True)
class PlatformConfig:
    url: str = _field("", "Base URL of the provincial platform (https://...); empty = work offline only. "
                      "http:// only to a loopback address (127.0.0.0/8, ::1, localhost) unless allow_insecure_http.",
                      max_length=2048)
    token_file: str = _field("", "File holding this terminal's token (mode 0600); relative to the data dir, "
                             "and it must stay inside the data dir (symlinks included).", max_length=PATH_MAX)
    ca_file: str = _field("", "Extra CA bundle for the platform's TLS certificate (must exist); "
                          "relative to the data dir; empty = system CAs.", max_length=PATH_MAX)
    connect_timeout_s: float = _field(5.0, "Seconds to wait for a connection.", minimum=0.1, maximum=60)
    read_timeout_s: float = _field(15.0, "Seconds to wait for an answer.", minimum=0.1, maximum=300)
    allow_insecure_http: bool = _field(
        False, "Lab only: allow a plain http:// platform address that is not loopback. The token and every "
        "declaration then cross the network unencrypted; logged as a WARNING at every start.")


@dataclasses.dataclass(frozen=True)
class SyncConfig:
    interval_s: float = _field(30.0, "Seconds between sync rounds while online.", minimum=1, maximum=86_400)
    backoff_base_s: float = _field(2.0, "First retry delay after a transient failure.", minimum=0.1, maximum=3600)
    backoff_cap_s: float = _field(900.0, "Longest retry delay (full jitter below it).", minimum=1, maximum=86_400)
    heartbeat_interval_s: float = _field(300.0, "Seconds between heartbeats.", minimum=10, maximum=86_400)
    catalog_interval_s: float = _field(1800.0, "Seconds between catalogue update checks.",
                                       minimum=30, maximum=604_800)
    retention_days: int = _field(30, "Days an accepted item's personal data is kept before purge.",
                                 minimum=0, maximum=3650)


@dataclasses.dataclass(frozen=True)
class IdCardConfig:
    backend: Literal["serial", "simulated", "none"] = _field("serial", "serial | simulated | none.")
    port: str = _field("/dev/ttyUSB0", "Serial port of the reader.", max_length=PATH_MAX)
    baud: int = _field(0, "Baud rate; 0 = detect among the usual rates.", minimum=0, maximum=4_000_000)
    card_file: str = _field("", "Simulated backend: JSON card fixture to present.", max_length=PATH_MAX)
    card_placed: bool = _field(True, "Simulated backend: the card lies on the reader from the start.")


@dataclasses.dataclass(frozen=True)
class CitizenCardConfig:
    backend: Literal["pcsc", "simulated", "none"] = _field("pcsc", "pcsc | simulated | none.")
    reader: str = _field("", "PC/SC reader name (substring); empty = first reader with a card.")
    profile: str = _field("", "Card profile name; empty = detect.", max_length=64)
    card_placed: bool = _field(True, "Simulated backend: the card is in the reader from the start.")


@dataclasses.dataclass(frozen=True)
class PrinterConfig:
    backend: Literal["cups", "simulated", "none"] = _field("cups", "cups | simulated | none.")
    # CUPS itself refuses queue names longer than 127 characters.
    queue: str = _field("", "CUPS queue; empty = the server's default destination.", max_length=127)
    output_dir: str = _field("", "Simulated backend: folder the PDFs go to; relative to the data dir.",
                             max_length=PATH_MAX)
    job_timeout_s: float = _field(120.0, "Seconds a print job may take before it is reported stuck.",
                                  minimum=5, maximum=3600)


@dataclasses.dataclass(frozen=True)
class CameraConfig:
    backend: Literal["opencv", "simulated", "none"] = _field("opencv", "opencv | simulated | none.")
    source: str = _field("0", "Device index, device path, or file/URL for OpenCV.", max_length=PATH_MAX)
    width: int = _field(1920, "Capture width in pixels.", minimum=160, maximum=8192)
    height: int = _field(1080, "Capture height in pixels.", minimum=120, maximum=8192)
    dpi: int = _field(150, "Resolution of the deskewed page image.", minimum=72, maximum=600)


@dataclasses.dataclass(frozen=True)
class ScannerConfig:
    backend: Literal["sane", "simulated", "none"] = _field("sane", "sane | simulated | none.")
    device: str = _field("", "SANE device name, e.g. test:0; empty = first device.")
    resolution: int = _field(200, "Scan resolution in dpi.", minimum=50, maximum=1200)


@dataclasses.dataclass(frozen=True)
class BarcodeConfig:
    backend: Literal["zxing", "pyzbar", "serial", "none"] = _field("zxing", "zxing | pyzbar | serial | none.")
    port: str = _field("", "Serial QR scanner port (backend = serial).", max_length=PATH_MAX)


@dataclasses.dataclass(frozen=True)
class DevicesConfig:
    idcard: IdCardConfig = _section(IdCardConfig, "Resident ID-card reader (SAM serial protocol).")
    citizencard: CitizenCardConfig = _section(CitizenCardConfig, "Citizen / social security card over PC/SC.")
    printer: PrinterConfig = _section(PrinterConfig, "Receipt and form printer.")
    camera: CameraConfig = _section(CameraConfig, "Document camera (高拍仪).")
    scanner: ScannerConfig = _section(ScannerConfig, "Flatbed or feeder scanner.")
    barcode: BarcodeConfig = _section(BarcodeConfig, "QR and barcode reading.")


@dataclasses.dataclass(frozen=True)
class PathsConfig:
    data_dir: str = _field("", "Data directory (database, outbox key, logs); empty = the platform default.",
                           max_length=PATH_MAX)


@dataclasses.dataclass(frozen=True)
class DocumentsConfig:
    # A tuple, not a list: the config is frozen and hashable all the way down.
    trust_anchors: tuple[str, ...] = _field(
        (), "PEM files of the certificate authorities whose signatures on certificates (电子证明) this terminal "
        "accepts before printing; each may hold several certificates. Relative to the data dir, and each must "
        "stay inside it (symlinks included) and exist. Empty = no signed document is accepted.",
        max_length=PATH_MAX, max_items=MAX_TRUST_ANCHOR_FILES)


@dataclasses.dataclass(frozen=True)
class Config:
    terminal: TerminalConfig = _section(TerminalConfig, "This terminal's identity and defaults.")
    session: SessionConfig = _section(SessionConfig, "Resident sessions and idle timeouts.")
    ui: UiConfig = _section(UiConfig, "Screen and voice.")
    logging: LoggingConfig = _section(LoggingConfig, "Log file.")
    platform: PlatformConfig = _section(PlatformConfig, "The provincial platform.")
    sync: SyncConfig = _section(SyncConfig, "Outbox delivery and catalogue updates.")
    devices: DevicesConfig = _section(DevicesConfig, "Attached devices and their backends.")
    paths: PathsConfig = _section(PathsConfig, "Where the kiosk keeps its files.")
    documents: DocumentsConfig = _section(DocumentsConfig, "Signed documents (电子证明) checked before printing.")


def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is tuple:
        return "an array of strings"
    if typing.get_origin(tp) is Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return " | ".join(repr(m.value) for m in tp)
    return getattr(tp, "__name__", str(tp))


# Values quoted in a problem are cut short: a 2-million-character string or 400 nested arrays must not
# become the message.
_shown = reprlib.Repr()
_shown.maxstring = 60
_shown.maxother = 60
_shown.maxlevel = 2
_shown.maxlist = 4
_shown.maxdict = 4


def _show(value: Any) -> str:
    return _shown.repr(value)


# Control, format (bidi overrides, zero-width), surrogate, private-use and line/paragraph separator
# characters: invisible or disruptive in a terminal id, a path or a line of a receipt.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def unprintable_at(text: str) -> int | None:
    """Index of the first character a config string may not hold, or None when all are printable."""
    for index, ch in enumerate(text):
        if unicodedata.category(ch) in _UNPRINTABLE:
            return index
    return None


def _check_text(path: str, value: str, meta: Mapping[str, Any], problems: list[str]) -> bool:
    form: TextForm | None = meta.get("form")
    limit = meta.get("max_length") or TEXT_MAX
    if len(value) > limit:
        problems.append(f"{path}: at most {limit} characters, got {len(value)}")
        return False
    bad = unprintable_at(value)
    if bad is not None:
        problems.append(f"{path}: only printable characters are allowed, got U+{ord(value[bad]):04X} "
                        f"at position {bad + 1}")
        return False
    if form is not None and not form.pattern.fullmatch(value):
        problems.append(f"{path}: must be {form.described}, got {_show(value)}")
        return False
    return True


def _convert(path: str, tp: Any, value: Any, meta: Mapping[str, Any], problems: list[str]) -> Any:
    """Checks one leaf value against its declared type and range; appends a problem and returns None if bad."""
    origin = typing.get_origin(tp)
    bad = f"{path}: expected {_type_name(tp)}, got {_show(value)}"
    result: Any
    if origin is tuple:
        return _convert_strings(path, value, meta, problems)
    if origin is Literal:
        if value not in typing.get_args(tp):
            problems.append(bad)
            return None
        result = value
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            result = tp(value)
        except ValueError:
            problems.append(bad)
            return None
    elif tp is bool:
        if not isinstance(value, bool):
            problems.append(bad)
            return None
        result = value
    elif tp is int:
        # TOML booleans are ints to Python; a `true` where a number belongs is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(bad)
            return None
        result = value
    elif tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(bad)
            return None
        # nan compares false with every bound, so it would pass a range check and then spin a timer.
        if not math.isfinite(value):
            problems.append(f"{path}: must be a finite number, got {value!r}")
            return None
        result = float(value)
    elif tp is str:
        if not isinstance(value, str):
            problems.append(bad)
            return None
        if not _check_text(path, value, meta, problems):
            return None
        result = value
    else:  # pragma: no cover - a declaration this loader does not know is a programming error
        raise TypeError(f"unsupported config type {tp!r} at {path}")
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(result, int | float) and not isinstance(result, bool):
        if lo is not None and result < lo:
            problems.append(f"{path}: must be at least {lo}, got {_show(value)}")
            return None
        if hi is not None and result > hi:
            problems.append(f"{path}: must be at most {hi}, got {_show(value)}")
            return None
    return result


def _convert_strings(path: str, value: Any, meta: Mapping[str, Any], problems: list[str]) -> tuple[str, ...] | None:
    """An array of strings (the only array type a key has): its count, then each string as a string key."""
    if not isinstance(value, list):
        problems.append(f"{path}: expected an array of strings, got {_show(value)}")
        return None
    limit = meta["max_items"]
    if len(value) > limit:
        problems.append(f"{path}: at most {limit} entries, got {len(value)}")
        return None
    ok = True
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, str):
            problems.append(f"{where}: expected a string, got {_show(item)}")
            ok = False
        elif not _check_text(where, item, meta, problems):
            ok = False
    return tuple(value) if ok else None


def _key_text(key: str) -> str:
    """A key as a problem may quote it: as typed when printable and short, else escaped and cut."""
    if len(key) <= 60 and unprintable_at(key) is None:
        return key
    return _show(key)


def _build(cls: type[Any], raw: Mapping[str, Any], prefix: str, problems: list[str]) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in fields:
            path = f"{prefix}{_key_text(key)}"
            close = difflib.get_close_matches(key, list(fields), n=1) if len(key) <= 60 else []
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{path}: unknown key{hint}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in raw:
            continue
        tp = hints[name]
        path = f"{prefix}{name}"
        value = raw[name]
        if dataclasses.is_dataclass(tp):
            if not isinstance(value, dict):
                problems.append(f"{path}: expected a table [{path}], got {_show(value)}")
                continue
            values[name] = _build(typing.cast(type[Any], tp), value, f"{path}.", problems)
        else:
            converted = _convert(path, tp, value, f.metadata, problems)
            if converted is not None:
                values[name] = converted
    return cls(**values)


# A config names a few dozen keys; a file past this size is something else, and its thousand problems
# would bury the first.
MAX_FILE_BYTES = 1 << 20
MAX_PROBLEMS = 50


def is_loopback_host(host: str) -> bool:
    """Whether `host` (as urlsplit's `hostname` gives it) is this machine: localhost, 127.0.0.0/8, ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_http_host(url: str) -> str | None:
    """The host of a plain http:// address that is not loopback (what a token must not be sent to), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme.lower() == "http" and not is_loopback_host(host):
        return host
    return None


def platform_url_problem(url: str, *, allow_insecure_http: bool = False) -> str | None:
    """Why `url` cannot be the platform's address, or None when it can (or is empty: offline only).

    https:// always; http:// only to a loopback address (the reference platform, tests) or with the lab
    override, because the terminal sends its bearer token and residents' declarations to this address.
    """
    if not url:
        return None
    if any(ch.isspace() for ch in url):
        return "must not contain spaces"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check: a bad one raises ValueError
    except ValueError as exc:
        return f"not a valid address ({exc})"
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return f"must be an https:// address, got {_show(url)}"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user name or password (the token belongs in platform.token_file)"
    if parts.query or parts.fragment:
        return "must be a base address without ?query or #fragment"
    if insecure_http_host(url) is not None and not allow_insecure_http:
        return ("plain http:// would send this terminal's token and residents' declarations unencrypted; "
                "use https://, or for a lab set platform.allow_insecure_http = true "
                "(http:// to 127.0.0.1, ::1 or localhost needs no override)")
    return None


def config_warnings(config: Config) -> list[str]:
    """What a valid configuration still does that a technician must know about (printed, logged)."""
    out: list[str] = []
    host = insecure_http_host(config.platform.url) if config.platform.url else None
    if host is not None and config.platform.allow_insecure_http:
        out.append(f"platform.allow_insecure_http = true: the token and every declaration go to {host} "
                   "over plain http, unencrypted; for a lab only")
    return out


def config_from_mapping(raw: Mapping[str, Any], source: str = "") -> Config:
    """Builds a `Config` from parsed TOML; raises `ConfigError` listing every bad key."""
    problems: list[str] = []
    config = typing.cast(Config, _build(Config, raw, "", problems))
    if not any(p.startswith(("platform.url:", "platform.allow_insecure_http:")) for p in problems):
        problem = platform_url_problem(config.platform.url, allow_insecure_http=config.platform.allow_insecure_http)
        if problem is not None:
            problems.append(f"platform.url: {problem}")
    if problems:
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more problems"]
        raise ConfigError(problems, source)
    return config


def load_config(path: Path | None) -> Config:
    """Loads and validates a TOML file; `None` gives the defaults."""
    if path is None:
        return Config()
    try:
        with path.open("rb") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from exc
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError([f"larger than {MAX_FILE_BYTES} bytes: not a configuration file"], str(path))
    try:
        raw = tomllib.loads(text.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError([f"not UTF-8 text (byte {exc.start})"], str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], str(path)) from exc
    except RecursionError:
        # tomllib parses arrays and inline tables recursively; no key of ours nests more than three tables.
        raise ConfigError([_too_deep(text.decode("utf-8"))], str(path)) from None
    return config_from_mapping(raw, str(path))


def _too_deep(text: str) -> str:
    """The problem for a file tomllib could not parse for nesting, naming the line and key when one line
    holds the brackets (the usual case)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.count("[") + line.count("{") > 64:
            key = line.split("=", 1)[0].strip() if "=" in line else ""
            where = f"{_key_text(key)} (line {number})" if key else f"line {number}"
            return f"{where}: nested too deeply: arrays or inline tables hundreds of levels inside each other"
    return "nested too deeply: arrays or inline tables hundreds of levels inside each other"


def with_overrides(config: Config, **sections: Mapping[str, Any]) -> Config:
    """Returns a copy with some keys of some sections replaced, validated like a file.

    Used by `kiosk demo` to switch every device to its simulator without a config file.
    """
    raw = to_mapping(config)
    for section, values in sections.items():
        target = raw
        for part in section.split("."):
            target = target[part]
        target.update(values)
    return config_from_mapping(raw, "overrides")


def to_mapping(obj: Any) -> dict[str, Any]:
    """The config as plain TOML-compatible values, for `config check --print` and round trips."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            out[f.name] = to_mapping(value)
        elif isinstance(value, enum.Enum):
            out[f.name] = value.value
        elif isinstance(value, tuple):
            out[f.name] = list(value)
        else:
            out[f.name] = value
    return out


def iter_keys(cls: type[Any] = Config, prefix: str = "") -> typing.Iterator[tuple[str, str]]:
    """Yields (dotted key, doc) for every leaf key, in declaration order; the docs test uses it."""
    for f in dataclasses.fields(cls):
        tp = typing.get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(tp):
            yield from iter_keys(typing.cast(type[Any], tp), f"{prefix}{f.name}.")
        else:
            yield f"{prefix}{f.name}", f.metadata.get("doc", "")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(config: Config, override: Path | None = None) -> Path:
    """`--data-dir` wins over `paths.data_dir`, which wins over the platform default."""
    if override is not None:
        return override
    if config.paths.data_dir:
        return Path(config.paths.data_dir).expanduser()
    return default_data_dir()



def data_dir_path(value: str, data_dir: Path) -> Path:
    """A path key as the kiosk opens it: `~` expanded, a relative path taken under the data directory."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else data_dir / path


def confined_path(key: str, value: str, data_dir: Path) -> Path:
    """A path key that must stay inside the data directory, resolved (symlinks followed, `..` applied).

    Raises ConfigError naming the key when it leads elsewhere: the token file is read and sent to the
    platform, and written (mode 0600) by the setup screen, so it must never be /etc/shadow or a link to it.
    """
    try:
        root = data_dir.expanduser().resolve()
        resolved = data_dir_path(value, data_dir).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL in a hand-built Config
        raise ConfigError([f"{key}: cannot be resolved ({exc})"]) from None
    if not resolved.is_relative_to(root):
        raise ConfigError([f"{key}: must stay inside the data directory {root}; {_show(value)} leads to {resolved}"])
    return resolved


def path_problems(config: Config, data_dir: Path) -> list[str]:
    """The checks that need the data directory: confined paths stay inside it, named files exist."""
    problems: list[str] = []
    if config.platform.token_file:
        try:
            confined_path("platform.token_file", config.platform.token_file, data_dir)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if config.platform.ca_file and not os.path.isfile(data_dir_path(config.platform.ca_file, data_dir)):
        problems.append(f"platform.ca_file: no such file: {data_dir_path(config.platform.ca_file, data_dir)}")
    for index, anchor in enumerate(config.documents.trust_anchors):
        key = f"documents.trust_anchors[{index}]"
        try:
            resolved = confined_path(key, anchor, data_dir)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if not resolved.is_file():
            problems.append(f"{key}: no such file: {resolved}")
    return problems


def _toml_value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _limits_text(tp: Any, meta: Mapping[str, Any]) -> str:
    """The bounds a key's value must keep, in words, for the example file's comment."""
    if tp is int or tp is float:
        lo, hi = meta.get("min"), meta.get("max")
        return f"Allowed: {lo} to {hi}." if lo is not None and hi is not None else ""
    if typing.get_origin(tp) is tuple:
        return (f"Allowed: at most {meta['max_items']} entries, each printable text of at most "
                f"{meta.get('max_length') or TEXT_MAX} characters.")
    if tp is str:
        form: TextForm | None = meta.get("form")
        if form is not None:
            return f"Allowed: {form.described}."
        return f"Allowed: printable text, at most {meta.get('max_length') or TEXT_MAX} characters."
    return ""


def example_toml() -> str:
    """A commented TOML file with every key at its default: `docs/kiosk.example.toml` is its output."""
    lines = [
        "# Configuration of the self-service kiosk (政务服务自助终端).",
        "# Every key is optional; the values below are the defaults. Check a file with `kiosk config check FILE`.",
        "# Numbers must be finite (nan and inf are refused) and within the range shown above each key; text",
        "# must be printable: control, format (bidi overrides, zero-width) and line-separator characters are",
        "# refused. The file may be at most 1 MiB. `kiosk config check` exits 3 naming every bad key.",
    ]

    def walk(cls: type[Any], instance: Any, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        leaves = [f for f in dataclasses.fields(cls) if not dataclasses.is_dataclass(hints[f.name])]
        tables = [f for f in dataclasses.fields(cls) if dataclasses.is_dataclass(hints[f.name])]
        for f in leaves:
            lines.extend(f"# {line}" for line in textwrap.wrap(f.metadata["doc"], 98))
            limits = _limits_text(hints[f.name], f.metadata)
            if limits:
                lines.append(f"# {limits}")
            lines.append(f"{f.name} = {_toml_value(getattr(instance, f.name))}")
        for f in tables:
            lines.append("")
            lines.append(f"# {f.metadata['doc']}")
            lines.append(f"[{prefix}{f.name}]")
            walk(typing.cast(type[Any], hints[f.name]), getattr(instance, f.name), f"{prefix}{f.name}.")

    walk(Config, Config(), "")
    return "\n".join(lines) + "\n"


def changed_keys(old: Config, new: Config) -> tuple[str, ...]:
    """The dotted keys whose value differs between two configs, in declaration order."""
    out: list[str] = []

    def walk(a: Mapping[str, Any], b: Mapping[str, Any], prefix: str) -> None:
        for key, value in a.items():
            other = b.get(key)
            if isinstance(value, dict):
                walk(value, other if isinstance(other, dict) else {}, f"{prefix}{key}.")
            elif value != other:
                out.append(f"{prefix}{key}")

    walk(to_mapping(old), to_mapping(new), "")
    return tuple(out)


def sample_catalog_path() -> Path:
    """The bundled sample catalogue (kiosk/data/sample_catalog.json)."""
    return Path(str(resources.files("kiosk") / "data" / "sample_catalog.json"))
