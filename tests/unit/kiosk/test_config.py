from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import (
    Config,
    ConfigError,
    Language,
    config_from_mapping,
    example_toml,
    iter_keys,
    load_config,
    resolve_data_dir,
    with_overrides,
)

REPO = Path(__file__).resolve().parents[3]


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config == Config()
    assert config.session.idle_timeout_s == 90
    assert config.terminal.language is Language.ZH_CN


def test_values_are_read_and_typed(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    path.write_text(
        '[terminal]\nid = "T0042"\nlanguage = "en"\n[devices.printer]\nbackend = "simulated"\n'
        "[platform]\nread_timeout_s = 20\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.terminal.id == "T0042"
    assert config.terminal.language is Language.EN
    assert config.devices.printer.backend == "simulated"
    assert config.platform.read_timeout_s == 20.0
    assert isinstance(config.platform.read_timeout_s, float)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"devices": {"printer": {"queu": "x"}}}, "devices.printer.queu: unknown key (did you mean 'queue'?)"),
        ({"sesion": {}}, "sesion: unknown key (did you mean 'session'?)"),
        ({"session": {"idle_timeout_s": "90"}}, "session.idle_timeout_s: expected int, got '90'"),
        ({"session": {"idle_timeout_s": True}}, "session.idle_timeout_s: expected int, got True"),
        ({"session": {"idle_timeout_s": 3}}, "session.idle_timeout_s: must be at least 15, got 3"),
        ({"ui": {"volume": 1.5}}, "ui.volume: must be at most 1.0, got 1.5"),
        (
            {"devices": {"idcard": {"backend": "usb"}}},
            "devices.idcard.backend: expected 'serial' | 'simulated' | 'none'",
        ),
        ({"terminal": {"language": "fr"}}, "terminal.language: expected 'zh_CN' | 'en', got 'fr'"),
        ({"ui": {"fullscreen": "yes"}}, "ui.fullscreen: expected bool, got 'yes'"),
        ({"devices": "none"}, "devices: expected a table [devices], got 'none'"),
    ],
)
def test_bad_values_name_the_key(raw: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(raw, "test.toml")
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems
    assert str(info.value).startswith("test.toml: ")


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        config_from_mapping({"ui": {"widht": 1, "height": "x"}, "paths": {"data_dir": 3}})
    assert len(info.value.problems) == 3


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui\nwidth = 3", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[terminal]\nstation = "\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(latin)


def test_overrides_are_validated() -> None:
    config = with_overrides(Config(), **{"devices.printer": {"backend": "simulated"}})
    assert config.devices.printer.backend == "simulated"
    assert Config().devices.printer.backend == "cups"
    with pytest.raises(ConfigError, match=r"devices\.printer\.backend"):
        with_overrides(Config(), **{"devices.printer": {"backend": "laser"}})


def test_data_dir_precedence(tmp_path: Path) -> None:
    config = config_from_mapping({"paths": {"data_dir": str(tmp_path / "cfg")}})
    assert resolve_data_dir(config, tmp_path / "cli") == tmp_path / "cli"
    assert resolve_data_dir(config) == tmp_path / "cfg"
    assert resolve_data_dir(Config()).name == "gov-kiosk"


def test_example_file_is_current_and_documents_every_key() -> None:
    text = (REPO / "docs" / "kiosk.example.toml").read_text(encoding="utf-8")
    assert text == example_toml(), "regenerate with: kiosk config example > docs/kiosk.example.toml"
    assert load_config(REPO / "docs" / "kiosk.example.toml") == Config()
    for key, doc in iter_keys():
        assert doc, f"{key} has no documentation"
        assert f"\n{key.rsplit('.', 1)[-1]} = " in text
