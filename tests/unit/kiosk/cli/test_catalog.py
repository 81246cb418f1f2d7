from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from kiosk.config import sample_catalog_path


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
