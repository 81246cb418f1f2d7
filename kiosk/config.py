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
import tomllib
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import platformdirs

APP_NAME = "gov-kiosk"

class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names every bad key."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(problems))


def _meta(doc: str, *, minimum: float | None = None, maximum: float | None = None) -> dict[str, Any]:
    return {"doc": doc, "min": minimum, "max": maximum}


def _field(default: Any, doc: str, *, minimum: float | None = None, maximum: float | None = None) -> Any:
    return dataclasses.field(default=default, metadata=_meta(doc, minimum=minimum, maximum=maximum))


def _section(cls: type[Any], doc: str) -> Any:
    return dataclasses.field(default_factory=cls, metadata={"doc": doc})


class Language(enum.StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


@dataclasses.dataclass(frozen=True)
class TerminalConfig:
    id: str = _field("T0001", "Terminal id issued by the platform; prefixes local receipt numbers.")
    station: str = _field("示例社区服务中心", "Station name printed on receipts and shown on screen.")
    region_code: str = _field("330100", "Administrative region code (GB/T 2260) of the station.")
    help_phone: str = _field("", "Phone number residents may call for help at this station (呼叫工作人员).")
    language: Language = _field(Language.ZH_CN, "Language the home screen starts in: zh_CN or en.")
    elder_mode: bool = _field(False, "Start in elder mode (larger type, higher contrast, slower timeouts).")


@dataclasses.dataclass(frozen=True)
class SessionConfig:
    idle_timeout_s: int = _field(90, "Seconds without a touch before a resident's session ends.", minimum=15)
    elder_idle_timeout_s: int = _field(180, "Idle timeout in elder mode.", minimum=15)
    countdown_s: int = _field(15, "Seconds of visible countdown before an idle session ends.", minimum=5)
    attract_after_s: int = _field(300, "Seconds idle on the home screen before the attract screen.", minimum=30)


@dataclasses.dataclass(frozen=True)
class UiConfig:
    fullscreen: bool = _field(True, "Full screen without window decorations (`kiosk run`); demo is windowed.")
    width: int = _field(1280, "Window width in windowed mode.", minimum=640)
    height: int = _field(800, "Window height in windowed mode.", minimum=480)
    font_family: str = _field("Noto Sans CJK SC", "Screen font family; must cover Simplified Chinese.")
    voice: bool = _field(True, "Speak step prompts where a speech engine is present.")
    volume: float = _field(0.8, "Voice volume, 0.0 to 1.0.", minimum=0.0, maximum=1.0)
    hide_cursor: Literal["auto", "always", "never"] = _field(
        "auto", "Mouse cursor in `kiosk run`: auto (hidden when a touch screen is found), always, never.")
    layout: Literal["auto", "landscape", "portrait"] = _field(
        "auto", "Screen layout: auto (portrait when the screen is taller than wide), landscape, portrait.")


@dataclasses.dataclass(frozen=True)
class LoggingConfig:
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = _field("INFO", "Least severe level written.")
    max_bytes: int = _field(5_000_000, "Size at which the log file rotates.", minimum=10_000)
    backup_count: int = _field(5, "Rotated log files kept.", minimum=1, maximum=100)


@dataclasses.dataclass(frozen=True)
class PlatformConfig:
    url: str = _field("", "Base URL of the provincial platform (https://...); empty = work offline only.")
    token_file: str = _field("", "File holding this terminal's token (mode 0600); relative to the data dir.")
    ca_file: str = _field("", "Extra CA bundle for the platform's TLS certificate; empty = system CAs.")
    connect_timeout_s: float = _field(5.0, "Seconds to wait for a connection.", minimum=0.1, maximum=60)
    read_timeout_s: float = _field(15.0, "Seconds to wait for an answer.", minimum=0.1, maximum=300)


@dataclasses.dataclass(frozen=True)
class SyncConfig:
    interval_s: float = _field(30.0, "Seconds between sync rounds while online.", minimum=1)
    backoff_base_s: float = _field(2.0, "First retry delay after a transient failure.", minimum=0.1)
    backoff_cap_s: float = _field(900.0, "Longest retry delay (full jitter below it).", minimum=1)
    heartbeat_interval_s: float = _field(300.0, "Seconds between heartbeats.", minimum=10)
    catalog_interval_s: float = _field(1800.0, "Seconds between catalogue update checks.", minimum=30)
    retention_days: int = _field(30, "Days an accepted item's personal data is kept before purge.", minimum=0)


@dataclasses.dataclass(frozen=True)
class IdCardConfig:
    backend: Literal["serial", "simulated", "none"] = _field("serial", "serial | simulated | none.")
    port: str = _field("/dev/ttyUSB0", "Serial port of the reader.")
    baud: int = _field(0, "Baud rate; 0 = detect among the usual rates.", minimum=0)
    card_file: str = _field("", "Simulated backend: JSON card fixture to present.")
    card_placed: bool = _field(True, "Simulated backend: the card lies on the reader from the start.")


@dataclasses.dataclass(frozen=True)
class CitizenCardConfig:
    backend: Literal["pcsc", "simulated", "none"] = _field("pcsc", "pcsc | simulated | none.")
    reader: str = _field("", "PC/SC reader name (substring); empty = first reader with a card.")
    profile: str = _field("", "Card profile name; empty = detect.")
    card_placed: bool = _field(True, "Simulated backend: the card is in the reader from the start.")


@dataclasses.dataclass(frozen=True)
class PrinterConfig:
    backend: Literal["cups", "simulated", "none"] = _field("cups", "cups | simulated | none.")
    queue: str = _field("", "CUPS queue; empty = the server's default destination.")
    output_dir: str = _field("", "Simulated backend: folder the PDFs go to; relative to the data dir.")
    job_timeout_s: float = _field(120.0, "Seconds a print job may take before it is reported stuck.", minimum=5)


@dataclasses.dataclass(frozen=True)
class CameraConfig:
    backend: Literal["opencv", "simulated", "none"] = _field("opencv", "opencv | simulated | none.")
    source: str = _field("0", "Device index, device path, or file/URL for OpenCV.")
    width: int = _field(1920, "Capture width in pixels.", minimum=160)
    height: int = _field(1080, "Capture height in pixels.", minimum=120)
    dpi: int = _field(150, "Resolution of the deskewed page image.", minimum=72, maximum=600)


@dataclasses.dataclass(frozen=True)
class ScannerConfig:
    backend: Literal["sane", "simulated", "none"] = _field("sane", "sane | simulated | none.")
    device: str = _field("", "SANE device name, e.g. test:0; empty = first device.")
    resolution: int = _field(200, "Scan resolution in dpi.", minimum=50, maximum=1200)


@dataclasses.dataclass(frozen=True)
class BarcodeConfig:
    backend: Literal["zxing", "pyzbar", "serial", "none"] = _field("zxing", "zxing | pyzbar | serial | none.")
    port: str = _field("", "Serial QR scanner port (backend = serial).")


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
    data_dir: str = _field("", "Data directory (database, outbox key, logs); empty = the platform default.")


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


def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return " | ".join(repr(m.value) for m in tp)
    return getattr(tp, "__name__", str(tp))


def _convert(path: str, tp: Any, value: Any, meta: Mapping[str, Any], problems: list[str]) -> Any:
    """Checks one leaf value against its declared type and range; appends a problem and returns None if bad."""
    origin = typing.get_origin(tp)
    bad = f"{path}: expected {_type_name(tp)}, got {value!r}"
    result: Any
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
        result = float(value)
    elif tp is str:
        if not isinstance(value, str):
            problems.append(bad)
            return None
        result = value
    else:  # pragma: no cover - a declaration this loader does not know is a programming error
        raise TypeError(f"unsupported config type {tp!r} at {path}")
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(result, int | float) and not isinstance(result, bool):
        if lo is not None and result < lo:
            problems.append(f"{path}: must be at least {lo}, got {value!r}")
            return None
        if hi is not None and result > hi:
            problems.append(f"{path}: must be at most {hi}, got {value!r}")
            return None
    return result


def _build(cls: type[Any], raw: Mapping[str, Any], prefix: str, problems: list[str]) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in fields:
            path = f"{prefix}{key}"
            close = difflib.get_close_matches(key, list(fields), n=1)
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
                problems.append(f"{path}: expected a table [{path}], got {value!r}")
                continue
            values[name] = _build(typing.cast(type[Any], tp), value, f"{path}.", problems)
        else:
            converted = _convert(path, tp, value, f.metadata, problems)
            if converted is not None:
                values[name] = converted
    return cls(**values)


def config_from_mapping(raw: Mapping[str, Any], source: str = "") -> Config:
    """Builds a `Config` from parsed TOML; raises `ConfigError` listing every bad key."""
    problems: list[str] = []
    config = _build(Config, raw, "", problems)
    if problems:
        raise ConfigError(problems, source)
    return typing.cast(Config, config)


def load_config(path: Path | None) -> Config:
    """Loads and validates a TOML file; `None` gives the defaults."""
    if path is None:
        return Config()
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ConfigError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from exc
    try:
        raw = tomllib.loads(text.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError([f"not UTF-8 text (byte {exc.start})"], str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], str(path)) from exc
    return config_from_mapping(raw, str(path))


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



def _toml_value(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def example_toml() -> str:
    """A commented TOML file with every key at its default: `docs/kiosk.example.toml` is its output."""
    lines = [
        "# Configuration of the self-service kiosk (政务服务自助终端).",
        "# Every key is optional; the values below are the defaults. Check a file with `kiosk config check FILE`.",
    ]

    def walk(cls: type[Any], instance: Any, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        leaves = [f for f in dataclasses.fields(cls) if not dataclasses.is_dataclass(hints[f.name])]
        tables = [f for f in dataclasses.fields(cls) if dataclasses.is_dataclass(hints[f.name])]
        for f in leaves:
            lines.append(f"# {f.metadata['doc']}")
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
