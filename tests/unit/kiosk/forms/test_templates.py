"""The bundled form templates load, cover the sample catalogue's forms, and bad files say what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.config import sample_catalog_path
from kiosk.forms.template import (
    IDENTITY_FIELDS,
    TemplateError,
    bundled_templates,
    get_template,
    load_template_file,
    parse_template,
)


def test_every_form_of_the_sample_catalogue_has_a_template() -> None:
    items = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]
    wanted = {form for item in items for form in item["forms"]}
    assert wanted
    assert wanted <= set(bundled_templates())
    assert len(bundled_templates()) >= 5


def test_templates_name_real_catalogue_items() -> None:
    codes = {item["code"] for item in json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]}
    for template in bundled_templates().values():
        assert template.services
        assert set(template.services) <= codes, template.id


def test_each_template_prefills_name_and_id_number() -> None:
    for template in bundled_templates().values():
        prefilled = {f.prefill for f in template.fields() if f.prefill}
        assert {"name", "id_number"} <= prefilled, template.id
        assert prefilled <= set(IDENTITY_FIELDS)


def test_unknown_form_lists_the_known_ones() -> None:
    with pytest.raises(TemplateError, match="shengyu_dengji"):
        get_template("no_such_form")


def _minimal(**field: object) -> dict[str, object]:
    return {"id": "t", "title": "T", "sections": [{"title": "S", "fields": [{"id": "a", "label": "A", **field}]}]}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"type": "colour"}, r"sections\[0\]\.fields\[0\]\(a\)\.type"),
        ({"prefill": "shoe_size"}, "not an identity field"),
        ({"type": "choice", "options": ["only"]}, "at least two options"),
        ({"span": 13}, "span"),
        ({"pattern": "("}, "not a regular expression"),
        ({"colour": "red"}, "unknown key"),
        ({"lines": "two"}, "expected int"),
    ],
)
def test_bad_template_is_reported_with_its_key(field: dict[str, object], message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template(_minimal(**field), "t.toml")


def test_duplicate_field_ids_are_refused() -> None:
    raw = _minimal()
    raw["sections"] = [*raw["sections"], *raw["sections"]]  # type: ignore[misc]
    with pytest.raises(TemplateError, match="more than once"):
        parse_template(raw, "t.toml")


def test_file_name_must_match_the_id(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('id = "t"\ntitle = "T"\n[[sections]]\ntitle = "S"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match="does not match"):
        load_template_file(path)
