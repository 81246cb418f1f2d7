"""`kiosk devices probe|test printer` against the real cupsd and its cups-pdf queue."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kiosk.cli import main as cli

pytestmark = pytest.mark.services


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "k.toml"
    path.write_text(f'[devices.printer]\nqueue = "{os.environ["KIOSK_TEST_CUPS_QUEUE"]}"\n', encoding="utf-8")
    return path


def test_probe_lists_queues_and_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--config", str(_config(tmp_path)), "--data-dir", str(tmp_path), "devices", "probe", "printer", "--json"]
    assert cli.main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert os.environ["KIOSK_TEST_CUPS_QUEUE"] in [q["name"] for q in report["queues"]]
    assert report["state"] == "ok"


def test_test_page_comes_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--config", str(_config(tmp_path)), "--data-dir", str(tmp_path), "devices", "test", "printer"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    job = out.split("job ")[1].split()[0]
    assert list(Path(os.environ["KIOSK_TEST_PDF_DIR"]).glob(f"*job_{job}.pdf"))


def test_simulated_printer_writes_the_test_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "k.toml"
    config.write_text('[devices.printer]\nbackend = "simulated"\noutput_dir = "out"\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path), "devices", "test", "printer"]) == 0
    assert list((tmp_path / "out").glob("*.pdf"))
    capsys.readouterr()
