"""Field rules, normalisation and pre-fill from a plain identity mapping."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from kiosk.forms.prefill import PrefillError, identity_values, prefill, read_prefill_file
from kiosk.forms.template import get_template
from kiosk.forms.validation import id_number_valid, parse_date, validate


def test_id_number_checksum() -> None:
    assert id_number_valid("330102195203071229")
    assert id_number_valid("11010519491231002x")
    assert not id_number_valid("330102195203071227")
    assert not id_number_valid("33010219520307122")


@pytest.mark.parametrize("text", ["1952-03-07", "19520307", "1952/3/7", "1952.03.07", "1952年3月7日"])
def test_dates_in_the_usual_spellings(text: str) -> None:
    assert parse_date(text) == dt.date(1952, 3, 7)


def test_prefill_maps_identity_fields_and_normalises(resident: dict[str, str]) -> None:
    template = get_template("shengyu_dengji")
    resident["birth_date"] = "19520307"
    values = prefill(template, resident)
    assert values["name"] == "张秀英"
    assert values["id_number"] == "330102195203071229"
    assert values["gender"] == "女"
    assert values["birth_date"] == "1952-03-07"
    assert values["address"].startswith("浙江省")
    assert "spouse_name" not in values
    assert [p for p in validate(template, values) if p.code != "required"] == []


def test_prefill_accepts_a_dataclass_with_enum_and_date_values() -> None:
    import enum

    class Gender(enum.Enum):
        FEMALE = "2"

        @property
        def label(self) -> str:
            return "女"

    @dataclasses.dataclass
    class Resident:
        name: str
        id_number: str
        gender: Gender
        birth_date: dt.date
        source: str = "idcard"

    person = Resident("李四", "11010519491231002X", Gender.FEMALE, dt.date(1949, 12, 31))
    assert identity_values(person) == {"name": "李四", "id_number": "11010519491231002X", "gender": "女",
                                       "birth_date": "1949-12-31"}


@pytest.mark.parametrize(("given", "expected"), [("2", "女"), ("1", "男"), ("女性", "女"), ("男", "男")])
def test_gender_codes_become_the_forms_options(resident: dict[str, str], given: str, expected: str) -> None:
    resident["gender"] = given
    assert prefill(get_template("shengyu_dengji"), resident)["gender"] == expected


def test_typed_fields_override_and_a_gender_the_form_does_not_offer_is_left_empty(resident: dict[str, str]) -> None:
    template = get_template("wufanzui_zhengming")
    resident["gender"] = "未知"
    values = prefill(template, resident, {"purpose": "就业", "copies": " 2 "})
    assert "gender" not in values
    assert values["purpose"] == "就业"
    assert values["copies"] == "2"


def test_validation_names_fields_not_values() -> None:
    template = get_template("shengyu_dengji")
    problems = validate(template, {"name": "张三", "id_number": "123", "phone": "12", "gender": "X",
                                   "birth_date": "1990-02-30", "bogus": "v"})
    codes = {p.field_id: p.code for p in problems}
    assert codes["id_number"] == "id_number"
    assert codes["phone"] == "phone"
    assert codes["gender"] == "choice"
    assert codes["birth_date"] == "date"
    assert codes["bogus"] == "unknown"
    assert codes["spouse_name"] == "required"
    assert all("123" not in p.zh + p.en for p in problems)


def test_too_long_and_pattern() -> None:
    template = get_template("shengyu_dengji")
    problems = validate(template, {"name": "名" * 31})
    assert any(p.field_id == "name" and p.code == "too_long" for p in problems)


def test_prefill_file_flat_or_split(tmp_path: Path, resident: dict[str, str]) -> None:
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({k: v for k, v in resident.items() if k != "source"}, ensure_ascii=False))
    identity, fields = read_prefill_file(flat)
    assert identity["name"] == "张秀英"
    assert fields == {}
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"identity": {"name": "王五"}, "fields": {"copies": 1}}, ensure_ascii=False))
    assert read_prefill_file(split) == ({"name": "王五"}, {"copies": "1"})


def test_prefill_file_with_unknown_identity_field(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"nmae": "x"}')
    with pytest.raises(PrefillError, match="nmae"):
        read_prefill_file(path)


def test_brackets_inside_values_are_not_nesting(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "[[[[[[[[{{{{{{{{\\\"", "address": "路]]]]}}}}"}, ensure_ascii=False),
                    encoding="utf-8")
    assert read_prefill_file(path)[0] == {"name": "[[[[[[[[{{{{{{{{\\\"", "address": "路]]]]}}}}"}


def test_a_prefill_file_nested_past_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"identity": {"name": [[["x"]]]}}', encoding="utf-8")
    with pytest.raises(PrefillError, match="nested too deeply"):
        read_prefill_file(path)
