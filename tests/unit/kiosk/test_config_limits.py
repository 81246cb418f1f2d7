"""The loader's limits: finite numbers inside both bounds, printable text of bounded length, a platform
address that keeps the token encrypted, paths that stay in the data directory, files that cannot nest
it into a RecursionError. Each refusal names the key and what was wrong."""

from __future__ import annotations

import dataclasses
import math
import typing
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import (
    TEXT_MAX,
    Config,
    ConfigError,
    PlatformConfig,
    config_from_mapping,
    config_warnings,
    insecure_http_host,
    load_config,
    path_problems,
    platform_url_problem,
)


def _leaves(cls: type[Any] = Config, prefix: str = "") -> list[tuple[str, Any, dict[str, Any]]]:
    out: list[tuple[str, Any, dict[str, Any]]] = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            out.extend(_leaves(typing.cast(type[Any], tp), f"{prefix}{f.name}."))
        else:
            out.append((f"{prefix}{f.name}", tp, dict(f.metadata)))
    return out


NUMBER_KEYS = [(key, tp, meta) for key, tp, meta in _leaves() if tp in (int, float)]
FLOAT_KEYS = [key for key, tp, _ in NUMBER_KEYS if tp is float]
TEXT_KEYS = [key for key, tp, _ in _leaves() if tp is str]


def _nested(key: str, value: object) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    target = raw
    *sections, leaf = key.split(".")
    for part in sections:
        target = target.setdefault(part, {})
    target[leaf] = value
    return raw


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(raw, "k.toml")
    return info.value.problems


def test_every_number_has_both_bounds() -> None:
    # A value without an upper bound reaches a Qt timer or a window size and ends in OverflowError.
    unbounded = [key for key, _, meta in NUMBER_KEYS if meta.get("min") is None or meta.get("max") is None]
    assert unbounded == []


@pytest.mark.parametrize("key", FLOAT_KEYS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_no_float_key_takes_nan_or_infinity(key: str, value: float) -> None:
    problems = _problems(_nested(key, value))
    assert problems == [f"{key}: must be a finite number, got {value!r}"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        # The values the issue found breaking the kiosk after `config check` said OK.
        ("ui.width", 2**63 - 1, "ui.width: must be at most 8192, got 9223372036854775807"),
        ("ui.height", 2**63 - 1, "ui.height: must be at most 8192"),
        ("session.idle_timeout_s", 3_000_000, "session.idle_timeout_s: must be at most 3600, got 3000000"),
        ("session.elder_idle_timeout_s", 3_000_000, "session.elder_idle_timeout_s: must be at most 3600"),
        ("session.attract_after_s", 10**9, "session.attract_after_s: must be at most 86400"),
        ("sync.interval_s", 10**30, "sync.interval_s: must be at most 86400"),
        ("logging.max_bytes", 2**62, "logging.max_bytes: must be at most 1000000000"),
        ("devices.camera.width", 10**6, "devices.camera.width: must be at most 8192"),
    ],
)
def test_numbers_past_their_upper_bound_are_refused(key: str, value: int, expected: str) -> None:
    problems = _problems(_nested(key, value))
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems


@pytest.mark.parametrize(("key", "meta"), [(key, meta) for key, _, meta in NUMBER_KEYS])
def test_both_bounds_themselves_are_accepted(key: str, meta: dict[str, Any]) -> None:
    for bound in (meta["min"], meta["max"]):
        config_from_mapping(_nested(key, bound))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("terminal.id", "T\x00001", "terminal.id: only printable characters are allowed, got U+0000 at position 2"),
        ("terminal.id", "T 0001", "terminal.id: must be 1 to 32 ASCII letters, digits, _ or -, got 'T 0001'"),
        ("terminal.id", "", "terminal.id: must be 1 to 32 ASCII letters, digits, _ or -"),
        ("terminal.id", "Ｔ0001", "terminal.id: must be 1 to 32 ASCII letters, digits, _ or -"),
        ("terminal.region_code", "33010", "terminal.region_code: must be 6 ASCII digits"),
        ("terminal.region_code", "３３０１００", "terminal.region_code: must be 6 ASCII digits"),
        ("terminal.station", "示例\u202e中心", "terminal.station: only printable characters are allowed, got U+202E"),
        ("terminal.station", "示例\u200b中心", "terminal.station: only printable characters are allowed, got U+200B"),
        ("terminal.station", "示例\u2028中心", "terminal.station: only printable characters are allowed, got U+2028"),
        ("terminal.station", "站" * 65, "terminal.station: at most 64 characters, got 65"),
        ("devices.idcard.port", "/dev/tty\x7fS0", "devices.idcard.port: only printable characters"),
        ("platform.token_file", "tok\nen", "platform.token_file: only printable characters"),
    ],
)
def test_identifiers_and_text_are_printable_and_bounded(key: str, value: str, expected: str) -> None:
    problems = _problems(_nested(key, value))
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_every_text_key_has_a_length_limit(key: str) -> None:
    problems = _problems(_nested(key, "a" * 5000))
    assert len(problems) == 1
    assert problems[0].startswith(f"{key}: ")


def test_a_huge_value_is_not_echoed_back_whole() -> None:
    problems = _problems({"ui": {"font_family": "字" * 2_000_000}, "sesion": {"x": [[["deep"] * 100] * 100] * 100}})
    assert "ui.font_family: at most 128 characters, got 2000000" in problems
    assert all(len(p) < 300 for p in problems), [len(p) for p in problems]


def test_a_key_with_control_characters_is_quoted_escaped() -> None:
    problems = _problems({"ui": {"wid\x1b[2Jth": 1}})
    assert problems == ["ui.'wid\\x1b[2Jth': unknown key (did you mean 'width'?)"]


def test_a_string_of_the_allowed_form_passes() -> None:
    config = config_from_mapping({"terminal": {"id": "Px_20261207", "station": "西湖区 文新街道（便民）服务中心",
                                               "region_code": "330106", "help_phone": "0571-8765 4321 转 8"}})
    assert config.terminal.id == "Px_20261207"


def test_problems_are_capped() -> None:
    problems = _problems({"ui": {f"k{i}": 1 for i in range(500)}})
    assert len(problems) == 51
    assert problems[-1] == "... and 450 more problems"


# -- the file -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "x (line 1): "),
        ("[ui]\nfont_family = " + "[" * 5000 + "]" * 5000 + "\n", "font_family (line 2): "),
        ("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "x (line 1): "),
        ("x = [\n" + "[\n" * 5000 + "]\n" * 5001, ""),
    ],
    ids=["arrays", "arrays-under-a-known-key", "inline-tables", "across-lines"],
)
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems == [f"{where}nested too deeply: arrays or inline tables hundreds of levels inside "
                                   "each other"]
    assert info.value.source == str(path)


def test_moderate_nesting_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    path.write_text("[ui]\nfont_family = " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems[0].startswith("ui.font_family: expected str, got [[[")
    assert len(info.value.problems[0]) < 200


def test_a_file_larger_than_a_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    path.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="larger than 1048576 bytes"):
        load_config(path)


# -- the platform address -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://platform.example.gov.cn", "https://10.0.0.5:8443/base", "http://127.0.0.1:8080", "http://127.8.9.10",
     "http://[::1]:8080", "http://localhost:8080", "http://LOCALHOST", ""],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    config = config_from_mapping({"platform": {"url": url}})
    assert config.platform.url == url
    assert config_warnings(config) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://203.0.113.5:8080", "platform.url: plain http:// would send this terminal's token"),
        ("http://platform.example.gov.cn", "platform.url: plain http://"),
        ("http://localhost.example.com", "platform.url: plain http://"),
        ("http://127.0.0.1.example.com", "platform.url: plain http://"),
        ("HTTP://203.0.113.5", "platform.url: plain http://"),
        ("ftp://platform.example", "platform.url: must be an https:// address"),
        ("platform.example", "platform.url: must be an https:// address"),
        ("https://", "platform.url: must be an https:// address"),
        ("https://user:secret@platform.example", "platform.url: must not carry a user name or password"),
        ("https://platform.example:99999", "platform.url: not a valid address"),
        ("https://platform.example/?debug=1", "platform.url: must be a base address"),
        ("https://plat form.example", "platform.url: must not contain spaces"),
    ],
)
def test_other_addresses_are_refused(url: str, expected: str) -> None:
    problems = _problems({"platform": {"url": url}})
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems


def test_the_lab_override_allows_plain_http_and_says_so() -> None:
    config = config_from_mapping({"platform": {"url": "http://203.0.113.5:8080", "allow_insecure_http": True}})
    warnings = config_warnings(config)
    assert len(warnings) == 1
    assert "platform.allow_insecure_http = true" in warnings[0]
    assert "203.0.113.5" in warnings[0]
    assert "unencrypted" in warnings[0]


def test_insecure_host_is_the_one_rule_for_the_loader_and_the_client() -> None:
    assert insecure_http_host("http://203.0.113.5:8080/api") == "203.0.113.5"
    assert insecure_http_host("http://127.0.0.1:8080") is None
    assert insecure_http_host("https://203.0.113.5") is None
    assert platform_url_problem("http://[::ffff:203.0.113.5]") is not None


# -- paths inside the data directory -------------------------------------------------------------------


@pytest.mark.parametrize("token_file", ["../../../../etc/shadow", "/etc/shadow", "~/token", "a/../../token"])
def test_the_token_file_must_stay_in_the_data_dir(tmp_path: Path, token_file: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    config = Config(platform=PlatformConfig(token_file=token_file))
    problems = path_problems(config, data)
    assert len(problems) == 1
    assert problems[0].startswith(f"platform.token_file: must stay inside the data directory {data.resolve()}")


def test_a_symlink_leading_out_of_the_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "keys").mkdir(parents=True)
    (data / "keys" / "platform.token").symlink_to("/etc/shadow")
    (data / "linked").symlink_to(tmp_path)
    for token_file in ("keys/platform.token", "linked/anything"):
        problems = path_problems(Config(platform=PlatformConfig(token_file=token_file)), data)
        assert len(problems) == 1
        assert problems[0].startswith("platform.token_file: must stay inside"), problems


def test_paths_inside_the_data_dir_pass(tmp_path: Path) -> None:
    real = tmp_path / "real-data"
    real.mkdir()
    (tmp_path / "data").symlink_to(real)  # the data directory itself may be a link
    (real / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    for token_file in ("platform.token", "keys/../platform.token", str(tmp_path / "data" / "platform.token")):
        config = Config(platform=PlatformConfig(token_file=token_file, ca_file="ca.pem"))
        assert path_problems(config, tmp_path / "data") == []


def test_a_missing_ca_file_is_named(tmp_path: Path) -> None:
    problems = path_problems(Config(platform=PlatformConfig(ca_file="missing.pem")), tmp_path)
    assert problems == [f"platform.ca_file: no such file: {tmp_path / 'missing.pem'}"]


# -- fuzzing the loader ----------------------------------------------------------------------------------

_toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(), st.booleans(), st.text(max_size=40),
)


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([key for key, _, _ in _leaves()]), _toml_scalars)
def test_any_value_is_loaded_or_refused_by_name(key: str, value: object) -> None:
    problems: list[str] = []
    try:
        config = config_from_mapping(_nested(key, value))
    except ConfigError as exc:
        problems = exc.problems
    if problems:
        assert all(p.startswith(key + ":") for p in problems), problems
        return
    # Whatever passed is finite and inside its declared bounds.
    section: Any = config
    for part in key.split("."):
        section = getattr(section, part)
    meta = dict(_leaves_by_key[key])
    if isinstance(section, int | float) and not isinstance(section, bool):
        assert math.isfinite(section)
        assert meta["min"] <= section <= meta["max"]
    if isinstance(section, str):
        assert len(section) <= (meta.get("max_length") or TEXT_MAX)
        assert not {unicodedata.category(ch) for ch in section} & {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


_leaves_by_key = {key: meta for key, _, meta in _leaves()}
