from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from kiosk.config import sample_catalog_path
from tests.unit.offline_cache.factories import catalogue, make_item


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    d = tmp_path / "data"
    assert cli.main(["--data-dir", str(d), "catalog", "import", str(sample_catalog_path())]) == 0
    assert "imported: 185 items" in capsys.readouterr().out
    return d


@pytest.mark.parametrize(
    ("query", "expected"),
    [("sfz", "居民身份证"), ("gatxz", "往来港澳通行证"), ("港澳", "港澳"), ("gongjijin", "住房公积金"), ("婚", "婚")],
)
def test_search_finds_guides(data_dir: Path, capsys: pytest.CaptureFixture[str], query: str, expected: str) -> None:
    assert cli.main(["--data-dir", str(data_dir), "catalog", "search", query, "--json", "--limit", "5"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits
    assert expected in hits[0]["name"]
    assert len(hits) <= 5


def test_search_text_output_and_filters(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(data_dir), "catalog", "search", "证明", "--category", "公积金"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines
    assert all("公积金]" in line for line in lines)
    assert cli.main(["--data-dir", str(data_dir), "catalog", "search", "zzzzqqq"]) == 0
    assert "no results" in capsys.readouterr().out


def test_export_round_trip(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "export.json"
    assert cli.main(["--data-dir", str(data_dir), "catalog", "export", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    original = json.loads(sample_catalog_path().read_text(encoding="utf-8"))
    assert {i["code"] for i in exported["items"]} == {i["code"] for i in original["items"]}
    other = tmp_path / "other"
    assert cli.main(["--data-dir", str(other), "catalog", "import", str(out)]) == 0
    capsys.readouterr()


def test_bad_catalogue_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "catalog_version": 1, "items": [{"code": "X1"}]}', encoding="utf-8")
    assert cli.main(["--data-dir", str(tmp_path / "d"), "catalog", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "X1" in err


def _catalogue_text(**change: object) -> str:
    """A two-item catalogue file as text, with `change` applied to the first item (or the top level)."""
    items = [make_item("GA-1", "居民身份证换领", 5), make_item("GA-2", "户口迁入", 3)]
    doc = catalogue(items, version=7)
    for key, value in change.items():
        (doc if key == "catalog_version" else items[0])[key] = value
    # ASCII-escaped: a lone surrogate can only reach a file as an escape.
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_catalogue_text(popularity=2**70), "item 'GA-1': field 'popularity': must be between 0 and 1000000000"),
        (_catalogue_text(name="居民\ud800身份证"), "item 'GA-1': field 'name': character 3 is U+D800"),
        (_catalogue_text(popularity=987654321).replace("987654321", "9" * 5000),
         "item 'GA-1': field 'popularity': must be between 0 and 1000000000, got an integer of 5000 digits"),
        (_catalogue_text(forms=["FORM"]).replace('"FORM"', "[" * 100_000 + "]" * 100_000),
         "arrays and objects nested 100004 deep, at most 32"),
        (_catalogue_text(name="证" * 2_000_000), "item 'GA-1': field 'name': 2000000 characters, at most 128"),
        (_catalogue_text(catalog_version=2**64), "field 'catalog_version': must be between 0 and 9007199254740991"),
        (_catalogue_text(legal_limit_days=10**30), "item 'GA-1': field 'legal_limit_days': must be between 0 and 3650"),
    ],
    ids=["popularity 2**70", "lone surrogate", "5000 digits", "100000 deep", "2 million characters",
         "version 2**64", "legal limit 10**30"],
)
def test_a_catalogue_breaking_a_limit_is_refused_with_a_message_and_the_old_one_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    good = tmp_path / "good.json"
    good.write_text(_catalogue_text(), encoding="utf-8")
    assert cli.main([*data, "catalog", "import", str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.main([*data, "catalog", "import", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("错误 / error: ")
    assert expected in captured.err
    assert len(captured.err) < 400
    assert cli.main([*data, "catalog", "export", "-"]) == 0
    kept = json.loads(capsys.readouterr().out)
    assert (kept["catalog_version"], [i["code"] for i in kept["items"]]) == (7, ["GA-1", "GA-2"])
    assert kept["items"][0]["popularity"] == 5
