"""`kiosk devices probe|test|simulate camera` end to end, on the simulator and on the OpenCV backend with a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main as cli


def _config(tmp_path: Path, backend: str, source: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[devices.camera]\nbackend = "{backend}"\nsource = "{source}"\n', encoding="utf-8")
    return path


def _run(tmp_path: Path, config: Path, *args: str) -> int:
    return cli.main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "devices", *args])


def test_probe_prints_backend_source_resolution_and_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "simulated", "scene:still")
    assert _run(tmp_path, config, "probe", "camera") == 0
    out = capsys.readouterr().out
    assert "backend     simulated" in out
    assert "source      scene:still" in out
    assert "resolution  1920x1080" in out
    assert "quality     OK" in out


def test_probe_tells_what_to_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "simulated", "scene:still")
    assert _run(tmp_path, config, "probe", "camera", "--source", "scene:dark", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["quality_ok"] is False
    assert result["issues"] == ["too_dark"]
    assert result["advice"][0].startswith("光线太暗")


def test_test_captures_one_deskewed_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "simulated", "0")
    out_dir = tmp_path / "captures"
    assert _run(tmp_path, config, "test", "camera", "--out", str(out_dir)) == 0
    files = list(out_dir.glob("page-*.jpg"))
    assert len(files) == 1
    assert files[0].read_bytes()[:2] == b"\xff\xd8"
    assert "1240x1754 px, 150 dpi" in capsys.readouterr().out


def test_test_reports_the_advice_when_no_good_page_comes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "simulated", "scene:blurred")
    assert _run(tmp_path, config, "test", "camera", "--out", str(tmp_path / "c"), "--timeout", "2") == 1
    assert "画面模糊" in capsys.readouterr().out
    assert not (tmp_path / "c").exists()


def test_simulated_video_plays_on_the_opencv_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = tmp_path / "cam.avi"
    sim_config = _config(tmp_path, "simulated", "0")
    assert _run(tmp_path, sim_config, "simulate", "camera", "--out", str(video), "--frames", "60") == 0
    assert video.stat().st_size > 0
    config = _config(tmp_path, "opencv", str(video))
    assert _run(tmp_path, config, "test", "camera", "--out", str(tmp_path / "c")) == 0
    out = capsys.readouterr().out
    assert "captured" in out
    assert len(list((tmp_path / "c").glob("*.jpg"))) == 1


def test_missing_camera_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "opencv", str(tmp_path / "nothing.avi"))
    assert _run(tmp_path, config, "probe", "camera") == 1
    out = capsys.readouterr().out
    assert "camera.not_found" in out
    assert "高拍仪暂时无法使用" in out


def test_no_camera_configured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "none", "")
    assert _run(tmp_path, config, "probe", "camera") == 2
    assert "no camera configured" in capsys.readouterr().out
