"""`documents.trust_anchors`: the one array key of the configuration, its limits, and its paths kept inside
the data directory like platform.token_file."""

from __future__ import annotations

import os
import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import (
    MAX_TRUST_ANCHOR_FILES,
    PATH_MAX,
    Config,
    ConfigError,
    config_from_mapping,
    example_toml,
    load_config,
    path_problems,
    to_mapping,
)
from kiosk.technician.config_write import apply_changes, dump_toml, render, toml_value


def _problems(value: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config_from_mapping({"documents": {"trust_anchors": value}})
    return caught.value.problems


def test_an_array_of_paths_is_read_as_a_tuple(tmp_path: Path) -> None:
    path = tmp_path / "k.toml"
    path.write_text('[documents]\ntrust_anchors = ["trust/root.pem", "trust/seal-ca.pem"]\n', encoding="utf-8")
    assert load_config(path).documents.trust_anchors == ("trust/root.pem", "trust/seal-ca.pem")
    assert Config().documents.trust_anchors == ()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("trust/root.pem", "documents.trust_anchors: expected an array of strings"),
        (["a.pem", 3], "documents.trust_anchors[1]: expected a string, got 3"),
        (["a.pem", ["b.pem"]], "documents.trust_anchors[1]: expected a string"),
        (["ok.pem"] * (MAX_TRUST_ANCHOR_FILES + 1), f"at most {MAX_TRUST_ANCHOR_FILES} entries"),
        (["a\u202e.pem"], "documents.trust_anchors[0]: only printable characters are allowed, got U+202E"),
        (["a" * (PATH_MAX + 1)], f"documents.trust_anchors[0]: at most {PATH_MAX} characters"),
    ],
    ids=["not an array", "a number", "nested", "too many", "bidi override", "too long"],
)
def test_a_bad_value_is_named_with_its_index(value: object, problem: str) -> None:
    assert any(problem in p for p in _problems(value)), _problems(value)


_items = st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.booleans(), st.lists(st.text(max_size=3)))


@settings(max_examples=200, deadline=1000)
@given(st.lists(_items, max_size=MAX_TRUST_ANCHOR_FILES + 3))
def test_any_array_is_loaded_within_its_limits_or_refused_by_name(value: list[object]) -> None:
    problems: list[str] = []
    anchors: tuple[str, ...] = ()
    try:
        anchors = config_from_mapping({"documents": {"trust_anchors": value}}).documents.trust_anchors
    except ConfigError as exc:
        problems = exc.problems
    if problems:
        assert all(p.startswith("documents.trust_anchors") for p in problems), problems
        return
    assert len(anchors) <= MAX_TRUST_ANCHOR_FILES
    for item in anchors:
        assert isinstance(item, str)
        assert not {unicodedata.category(ch) for ch in item} & {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def test_paths_must_stay_inside_the_data_dir_and_exist(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "trust").mkdir(parents=True)
    (data / "trust" / "root.pem").write_text("x", encoding="utf-8")
    (tmp_path / "outside.pem").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "outside.pem", data / "trust" / "link.pem")
    config = config_from_mapping({"documents": {"trust_anchors": [
        "trust/root.pem", "../outside.pem", "trust/link.pem", "trust/missing.pem"]}})
    problems = path_problems(config, data)
    assert len(problems) == 3, problems
    assert problems[0].startswith("documents.trust_anchors[1]: must stay inside the data directory")
    assert problems[1].startswith("documents.trust_anchors[2]: must stay inside the data directory")
    assert problems[2].startswith("documents.trust_anchors[3]: no such file")


def test_the_example_shows_the_array_and_loads_back() -> None:
    text = example_toml()
    assert "\n[documents]\n" in text
    assert "\ntrust_anchors = []\n" in text
    assert f"at most {MAX_TRUST_ANCHOR_FILES} entries" in text


def test_the_setup_screens_writer_keeps_an_array(tmp_path: Path) -> None:
    config = config_from_mapping({"documents": {"trust_anchors": ["trust/a.pem", "trust/\"b\".pem"]}})
    assert to_mapping(config)["documents"]["trust_anchors"] == ["trust/a.pem", 'trust/"b".pem']
    assert toml_value(("trust/a.pem",)) == '["trust/a.pem"]'
    # The whole-file fallback (a file the line editor cannot edit) writes every key, arrays included.
    written = dump_toml(to_mapping(config))
    assert config_from_mapping(tomllib.loads(written)) == config
    # A key changed in a file that already holds the array: the array survives the edit.
    old = '[documents]\ntrust_anchors = ["trust/a.pem"]\n[terminal]\nid = "T1"\n'
    new = render(old, {"terminal.id": "T2", "documents.trust_anchors": ["trust/a.pem", "trust/c.pem"]})
    parsed = tomllib.loads(new)
    assert parsed["documents"]["trust_anchors"] == ["trust/a.pem", "trust/c.pem"]
    assert apply_changes(Config(), {"documents.trust_anchors": ["x.pem"]}).documents.trust_anchors == ("x.pem",)
