"""`kiosk forms list|render|guide` and `kiosk print` on the simulated printer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main as cli


@pytest.fixture
def prefill_file(tmp_path: Path, resident: dict[str, str]) -> Path:
    path = tmp_path / "resident.json"
    path.write_text(json.dumps({k: v for k, v in resident.items() if k != "source"}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _config(tmp_path: Path, **printer: str) -> Path:
    path = tmp_path / "kiosk.toml"
    lines = ["[devices.printer]"] + [f'{k} = "{v}"' for k, v in printer.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forms_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path), "forms", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"shengyu_dengji", "yanglao_canbao", "gongjijin_tiqu", "wufanzui_zhengming", "geti_sheli"} <= {
        r["id"] for r in rows}
    assert cli.main(["--data-dir", str(tmp_path), "forms", "list"]) == 0
    assert "生育登记表" in capsys.readouterr().out


def test_forms_render_prefilled_and_blank(tmp_path: Path, prefill_file: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.pdf"
    assert cli.main(["--data-dir", str(tmp_path), "forms", "render", "shengyu_dengji", "--out", str(out),
                     "--prefill", str(prefill_file)]) == 0
    captured = capsys.readouterr()
    assert "pre-filled, 2 pages" in captured.out
    assert "张秀英" not in captured.out + captured.err
    assert out.read_bytes().startswith(b"%PDF-")
    assert cli.main(["--data-dir", str(tmp_path), "forms", "render", "geti_sheli", "--out", str(out)]) == 0
    assert "blank" in capsys.readouterr().out


def test_forms_render_refuses_a_value_that_does_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "张三", "address": "很长的地址" * 40}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "f.pdf"
    args = ["--data-dir", str(tmp_path), "forms", "render", "shengyu_dengji", "--out", str(out), "--prefill", str(path)]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "户籍地址" in err
    assert "not written" in err
    assert not out.exists()
    assert cli.main([*args, "--allow-overflow"]) == 1
    assert "cut" in capsys.readouterr().err
    assert out.exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"identity": ' + "[" * 10_000 + "]" * 10_000 + "}", "nested too deeply"),
        ("[" * 30_000, "nested too deeply"),
        ('{"name": "' + "名" * 30_000 + '"}', "larger than 65536 bytes"),
        ('{"name": ' + "9" * 5000 + "}", "cannot read JSON"),
        ('{"name": "张\\u0000三"}', "identity.name: holds a control or invisible character"),
        ('{"name": "张\\u202e三"}', "identity.name: holds a control or invisible character"),
        ('{"name": true}', "must be an object of strings"),
        ('{"identity": {"name": "张三"}, "feilds": {}}', "unknown key(s) feilds"),
        ('{"identity": {"name": "张三"}, "fields": {"copies": "' + "1" * 1001 + '"}}',
         "fields.copies: longer than 1000 characters"),
        ("\xff", "not UTF-8 text"),
    ],
    ids=["deep-object", "deep-array", "large", "huge-int", "nul", "bidi", "bool", "typo", "long", "not-utf8"],
)
def test_forms_render_refuses_a_bad_prefill_file_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, why: str,
) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content.encode("latin-1") if content == "\xff" else content.encode("utf-8"))
    out = tmp_path / "f.pdf"
    args = ["--data-dir", str(tmp_path), "forms", "render", "shengyu_dengji", "--out", str(out), "--prefill", str(path)]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert f"错误 / error: {path}: " in err
    assert why in err
    assert "张" not in err  # the message names the key, never the value
    assert not out.exists()


def test_forms_render_unknown_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path), "forms", "render", "nope", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "no form template" in capsys.readouterr().err


def test_forms_guide_from_the_sample_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.pdf"
    assert cli.main(["--data-dir", str(tmp_path / "d"), "forms", "guide", "330000-WJ-QR-0001", "--out", str(out)]) == 0
    assert "生育登记 办事指南" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(tmp_path / "d"), "forms", "guide", "nope", "--out", str(out)]) == 1


def test_print_on_the_simulated_printer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "f.pdf"
    assert cli.main(["--data-dir", str(tmp_path), "forms", "render", "geti_sheli", "--out", str(pdf)]) == 0
    config = _config(tmp_path, backend="simulated", output_dir="printed")
    data = tmp_path / "data"
    assert cli.main(["--config", str(config), "--data-dir", str(data), "print", str(pdf)]) == 0
    assert "printed: job 1 on Simulated" in capsys.readouterr().out
    assert list((data / "printed").glob("*job_1.pdf"))


def test_print_failure_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, backend="none")
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_text("x")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path), "print", str(not_pdf)]) == 1
    assert "printer.not_configured" in capsys.readouterr().err
    config = _config(tmp_path, backend="simulated")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path), "print", str(not_pdf)]) == 1
    assert "printer.bad_file" in capsys.readouterr().err
