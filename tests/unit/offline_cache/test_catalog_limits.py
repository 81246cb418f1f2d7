"""The limits of docs/catalog-format.md: every string, integer and list field, the file as a whole, and the
increments the platform publishes. A violation is a typed error naming the item and the field, and it
leaves the catalogue as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from offline_cache import catalog as catalog_module
from offline_cache import catalog_limits
from offline_cache.catalog import Catalog, parse_catalog_json
from offline_cache.catalog_limits import (
    INT_RULES,
    LIST_RULES,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_VERSION,
    TEXT_RULES,
    TextRule,
    accepting_patterns,
)
from offline_cache.errors import CacheError, CatalogError, CatalogFormatError, CatalogLimitError
from tests.unit.offline_cache.factories import catalogue, make_item, material


def items() -> list[dict[str, Any]]:
    return [make_item("GA-1", "居民身份证换领", 5, materials=[material("居民户口簿")]), make_item("GA-2", "户口迁入")]


def text_of(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


def refused(change: dict[str, Any], code: str = "GA-2") -> CatalogError:
    """The error an import of the sample with `change` applied to item `code` raises."""
    doc = items()
    next(item for item in doc if item["code"] == code).update(change)
    with pytest.raises(CatalogError) as caught:
        # ASCII-escaped, as a lone surrogate can only be written in a file (raw, it is not UTF-8).
        parse_catalog_json(json.dumps(catalogue(doc)))
    return caught.value


def set_field(item: dict[str, Any], path: str, value: object) -> None:
    """Put `value` at a TEXT_RULES-style path: "name", "phones.consult", "steps[]", "materials[].note"."""
    if path.startswith("materials[]."):
        key = path.split(".", 1)[1]
        entry = [value] if key.endswith("[]") else value
        item["materials"] = [{**material("居民户口簿"), key.removesuffix("[]"): entry}]
    elif path.endswith("[]"):
        item[path[:-2]] = [value]
    elif path.startswith("phones."):
        item["phones"] = {**item["phones"], path.split(".", 1)[1]: value}
    else:
        item[path] = value


def label_of(path: str) -> str:
    """The field name an error message gives for the first entry at `path`."""
    return path.replace("[]", "[0]")


ITEM_TEXT_RULES = {path: rule for path, rule in TEXT_RULES.items() if path != "deleted[]"}
# The longest valid value of each code form (they have exactly one length).
LONGEST_CODE = {"licence type code": "11100000MB0143028R001"}


# --- strings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(ITEM_TEXT_RULES))
def test_every_string_field_takes_its_longest_value_and_refuses_one_more(path: str) -> None:
    rule = TEXT_RULES[path]
    if rule.code is not None:
        longest = LONGEST_CODE[rule.code]
    else:
        longest = "A" * rule.max_chars if rule.identifier else "证" * rule.max_chars
    doc = items()
    set_field(doc[1], path, longest)
    parse_catalog_json(text_of(catalogue(doc)))

    set_field(doc[1], path, longest + "1")
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog_json(text_of(catalogue(doc)))
    expected_code = None if path == "code" else "GA-2"
    assert (caught.value.item_code, caught.value.field) == (expected_code, label_of(path))
    assert f"{rule.max_chars + 1} characters, at most {rule.max_chars}" in str(caught.value)


@pytest.mark.parametrize("path", [p for p, rule in ITEM_TEXT_RULES.items() if rule.min_chars])
def test_required_strings_must_hold_more_than_white_space(path: str) -> None:
    for blank in ("", " \u3000 "):
        doc = items()
        set_field(doc[1], path, blank)
        with pytest.raises(CatalogFormatError) as caught:
            parse_catalog_json(text_of(catalogue(doc)))
        assert caught.value.field == label_of(path)


@pytest.mark.parametrize(
    ("char", "what"),
    [
        ("\x00", "U+0000"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),  # C1 NEXT LINE
        ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u200b", "U+200B (ZERO WIDTH SPACE)"),
        ("\u2028", "U+2028 (LINE SEPARATOR)"),
        ("\ufeff", "U+FEFF"),
        ("\ud800", "U+D800 (lone surrogate)"),
        ("\uffff", "U+FFFF (noncharacter)"),
        ("\U000e0001", "U+E0001 (LANGUAGE TAG)"),
        ("\n", "U+000A"),
    ],
)
def test_names_refuse_control_format_separator_and_surrogate_characters(char: str, what: str) -> None:
    error = refused({"name": "居民" + char + "身份证"})
    assert (error.item_code, error.field) == ("GA-2", "name")
    assert f"character 3 is {what}" in str(error)


def test_text_blocks_allow_line_feeds_only() -> None:
    doc = items()
    doc[1]["summary"] = "第一行\n第二行"
    doc[1]["steps"] = ["申请\n受理"]
    doc[1]["materials"] = [{**material("户口簿"), "note": "原件\n复印件"}]
    parse_catalog_json(text_of(catalogue(doc)))
    error = refused({"summary": "第一行\r\n第二行"})
    assert error.field == "summary"
    assert "character 4 is U+000D" in str(error)
    assert refused({"steps": ["申请", "受\t理"]}).field == "steps[1]"


def test_rare_characters_beyond_the_basic_plane_and_private_use_are_text() -> None:
    # CJK extension B (U+20BB7 𠮷) and private-use code points, where older systems keep rare characters.
    doc = items()
    doc[1]["name"] = "\U00020bb7氏户口迁入\ue123"
    doc[1]["place"] = "\U00030000 " * 20
    parse_catalog_json(text_of(catalogue(doc)))


@pytest.mark.parametrize("code", ["GA 1", "GA/1", "-GA1", "公安-1", "GA-1\u00e9", "../../etc"])
def test_codes_are_ascii_identifiers(code: str) -> None:
    error = refused({"code": code})
    assert (error.item_code, error.field) == (None, "code")
    assert "item #1 (no valid code)" in str(error)


def test_form_ids_are_identifiers_too() -> None:
    assert refused({"forms": ["geti_sheli", "a b"]}).field == "forms[1]"


# --- integers and lists -----------------------------------------------------------------------------------


ITEM_INT_RULES = {field: rule for field, rule in INT_RULES.items() if "version" not in field}


@pytest.mark.parametrize("field", list(ITEM_INT_RULES))
def test_every_integer_field_takes_its_range_and_nothing_outside(field: str) -> None:
    rule = INT_RULES[field]
    for good in (rule.low, rule.high):
        doc = items()
        doc[1][field] = good
        parse_catalog_json(text_of(catalogue(doc)))
    for bad in (rule.low - 1, rule.high + 1, 2**63, 2**64, 2**70, -(2**63) - 1, 10**30):
        error = refused({field: bad})
        assert (error.item_code, error.field) == ("GA-2", field)
        assert f"must be between {rule.low} and {rule.high}" in str(error)


@pytest.mark.parametrize("field", list(ITEM_INT_RULES))
def test_integers_with_thousands_of_digits_are_refused_naming_the_field(field: str) -> None:
    doc = items()
    doc[1][field] = 987654321
    text = text_of(catalogue(doc)).replace("987654321", "9" * 5000)
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog_json(text)
    assert (caught.value.item_code, caught.value.field) == ("GA-2", field)
    assert "got an integer of 5000 digits" in str(caught.value)


def test_numbers_that_are_not_integers_are_refused() -> None:
    assert "expected an integer, got float" in str(refused({"popularity": 1.5}))
    assert "expected an integer, got true/false" in str(refused({"visits": True}))
    text = text_of(catalogue(items())).replace('"popularity": 0', '"popularity": NaN', 1)
    with pytest.raises(CatalogFormatError, match="NaN is not a JSON number"):
        parse_catalog_json(text)


@pytest.mark.parametrize("field", [f for f in LIST_RULES if not f.startswith("materials[].")])
def test_every_list_field_takes_its_longest_list_and_refuses_one_more(field: str) -> None:
    entry: object = material("户口簿") if field == "materials" else ("form_a" if field == "forms" else "条件")
    doc = items()
    doc[1][field] = [entry] * LIST_RULES[field]
    parse_catalog_json(text_of(catalogue(doc)))
    error = refused({field: [entry] * (LIST_RULES[field] + 1)})
    assert (error.item_code, error.field) == ("GA-2", field)
    assert f"{LIST_RULES[field] + 1} entries, at most {LIST_RULES[field]}" in str(error)


@pytest.mark.parametrize("version", [-1, MAX_VERSION + 1, 2**64, "1", None, True])
def test_catalog_version_is_an_integer_a_double_can_hold(version: object) -> None:
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog_json(text_of({**catalogue(items()), "catalog_version": version}))
    assert (caught.value.item_code, caught.value.field) == (None, "catalog_version")
    assert parse_catalog_json(text_of(catalogue(items(), version=MAX_VERSION))).version == MAX_VERSION


def test_format_is_the_number_1_not_true() -> None:
    with pytest.raises(CatalogFormatError, match="'format'"):
        parse_catalog_json(text_of({**catalogue(items()), "format": True}))


# --- the file as a whole -------------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_is_checked_before_the_parser_runs() -> None:
    base = text_of(catalogue(items()))
    # The document, the items list and an item are three levels; an unknown key adds the rest.
    fits = base.replace('"code": "GA-1"', f'"x": {nested(MAX_DEPTH - 3)}, "code": "GA-1"', 1)
    assert parse_catalog_json(fits).items[0].code == "GA-1"
    for depth in (MAX_DEPTH - 2, 100_000):
        deep = base.replace('"code": "GA-1"', f'"x": {nested(depth)}, "code": "GA-1"', 1)
        with pytest.raises(CatalogLimitError, match=f"nested {depth + 3} deep, at most {MAX_DEPTH}"):
            parse_catalog_json(deep)


def test_brackets_inside_strings_are_not_nesting() -> None:
    doc = items()
    doc[1]["summary"] = "[" * 1000 + "{" * 500 + '"\\'
    assert parse_catalog_json(text_of(catalogue(doc))).items[1].summary == doc[1]["summary"]


def test_unknown_keys_are_ignored_even_with_huge_numbers() -> None:
    doc = catalogue(items())
    text = text_of(doc).replace('"code": "GA-1"', f'"future": {"7" * 5000}, "code": "GA-1"', 1)
    assert [item.code for item in parse_catalog_json(text).items] == ["GA-1", "GA-2"]


def test_file_size_is_capped_before_the_file_is_read_whole(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(text_of(catalogue(items())), encoding="utf-8")
    size = path.stat().st_size
    monkeypatch.setattr(catalog_limits, "MAX_FILE_BYTES", size)
    monkeypatch.setattr(catalog_module, "MAX_FILE_BYTES", size)
    assert catalog.import_file(path).items == 2
    path.write_text(text_of(catalogue(items())) + " ", encoding="utf-8")
    with pytest.raises(CatalogLimitError, match=f"{size + 1} bytes, at most {size}"):
        catalog.import_file(path)
    assert catalog.version() == 1


def test_item_count_is_capped_before_items_are_checked() -> None:
    with pytest.raises(CatalogLimitError, match=f"{MAX_ITEMS + 1} items, at most {MAX_ITEMS}") as caught:
        parse_catalog_json(text_of({**catalogue([]), "items": [{}] * (MAX_ITEMS + 1)}))
    assert caught.value.field == "items"


def test_text_must_be_utf8_and_a_bom_is_ignored() -> None:
    text = text_of(catalogue(items()))
    assert len(parse_catalog_json("\ufeff" + text).items) == 2
    with pytest.raises(CatalogFormatError, match="not UTF-8 text"):
        parse_catalog_json(text.encode("utf-16"))
    with pytest.raises(CatalogFormatError, match="not UTF-8 text"):
        parse_catalog_json(text.encode("utf-8").replace("户口".encode(), b"\xff\xfe", 1))


def test_every_catalogue_error_is_a_cache_error_the_commands_report() -> None:
    assert issubclass(CatalogFormatError, CatalogError)
    assert issubclass(CatalogLimitError, CatalogError)
    assert issubclass(CatalogError, CacheError)


# --- what a refusal leaves ------------------------------------------------------------------------------------


def test_a_refused_import_or_increment_leaves_the_catalogue_as_it_was(catalog: Catalog) -> None:
    catalog.import_document(catalogue(items(), version=3))
    before = catalog.export()
    bad = items()
    bad[0]["popularity"] = 2**70
    with pytest.raises(CatalogFormatError):
        catalog.import_document(catalogue(bad, version=4))
    with pytest.raises(CatalogFormatError) as caught:
        catalog.apply_increment({"version": 4, "items": [bad[0]], "deleted": []})
    assert (caught.value.item_code, caught.value.field) == ("GA-1", "popularity")
    with pytest.raises(CatalogFormatError, match="deleted"):
        catalog.apply_increment({"version": 4, "items": [], "deleted": ["GA-2", "x" * 65]})
    with pytest.raises(CatalogFormatError, match="'version'"):
        catalog.apply_increment({"version": 2**64, "items": [], "deleted": []})
    assert catalog.export() == before


def test_increments_cannot_grow_the_catalogue_past_the_item_limit(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.import_document(catalogue(items(), version=1))
    monkeypatch.setattr(catalog_module, "MAX_ITEMS", 3)
    assert catalog.apply_increment({"version": 2, "items": [make_item("GA-3", "户口迁出")]})
    with pytest.raises(CatalogLimitError, match="would leave 4 items, at most 3"):
        catalog.apply_increment({"version": 3, "items": [make_item("GA-4", "户口登记")]})
    assert (catalog.version(), catalog.count()) == (2, 3)


def test_items_read_back_are_not_held_to_limits_added_later(catalog: Catalog) -> None:
    catalog.import_document(catalogue(items(), version=1))
    original = TEXT_RULES["name"]
    # A later release whose name limit is shorter than the one the stored catalogue was checked against.
    TEXT_RULES["name"] = TextRule(3, 1)
    accepting_patterns.cache_clear()
    try:
        assert catalog.get("GA-1").name == "居民身份证换领"  # type: ignore[union-attr]
        with pytest.raises(CatalogFormatError, match="at most 3"):
            catalog.import_document(catalogue(items(), version=2))
    finally:
        TEXT_RULES["name"] = original
        accepting_patterns.cache_clear()


def test_integers_too_long_to_write_out_are_refused_from_parsed_documents_too(catalog: Catalog) -> None:
    # The platform's answers arrive parsed: Python integers of any size, which CPython will not repr().
    doc = items()
    doc[0]["popularity"] = 10**5000
    with pytest.raises(CatalogFormatError, match="got an integer of more than 20 digits") as caught:
        catalog.import_document(catalogue(doc))
    assert (caught.value.item_code, caught.value.field) == ("GA-1", "popularity")


# --- the document states every limit --------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[3] / "docs" / "catalog-format.md"


def doc_rows(section: str) -> dict[str, str]:
    """The table rows of one section of docs/catalog-format.md, by the key in their first cell."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = line
    return rows


def test_the_format_document_states_every_limit_the_code_applies() -> None:
    item, material_rows = doc_rows("ITEM"), doc_rows("MATERIAL")
    for path, rule in ITEM_TEXT_RULES.items():
        in_material = path.startswith("materials[].")
        row = (material_rows[path.split(".", 1)[1].removesuffix("[]")] if in_material
               else item[path.removesuffix("[]")])
        if rule.code is not None:
            assert f"each a {rule.code} ({catalog_limits.CODE_FORMS[rule.code][1]})" in row, path
            continue
        length = f"{rule.min_chars}–{rule.max_chars} characters"
        assert (f"each {length}" if path.endswith("[]") else length) in row, path
        kind = "identifier" if rule.identifier else "text block" if rule.multiline else "text, one line"
        assert kind in row, path
        assert ("not only white space" in row) == (bool(rule.min_chars) and not rule.identifier), path
    for field, max_entries in LIST_RULES.items():
        row = material_rows[field.split(".", 1)[1]] if field.startswith("materials[].") else item[field]
        assert f"at most {max_entries} entries" in row, field
    for field, int_rule in ITEM_INT_RULES.items():
        assert f"| integer | {int_rule.low}–{int_rule.high} |" in item[field], field
    top = DOC.read_text(encoding="utf-8").split("\n## ITEM\n", 1)[0]
    assert f"0 to {MAX_VERSION}" in top
    assert f"at most {MAX_ITEMS} items" in top
    text = DOC.read_text(encoding="utf-8")
    assert f"at most {catalog_limits.MAX_FILE_BYTES} bytes (256 MiB)" in text
    assert f"nested at most {MAX_DEPTH} deep" in text
    assert f"| items | at most {MAX_ITEMS} |" in text
    assert f"more than {catalog_limits.MAX_INT_DIGITS} digits" in text
    assert catalog_limits.MAX_FILE_BYTES == 256 * 1024 * 1024


# --- a material's licence types -------------------------------------------------------------------------------


def _with_licence_types(value: object) -> dict[str, Any]:
    doc = items()
    doc[1]["materials"] = [material("身份证"), {**material("居民户口簿"), "licence_types": value}]
    return catalogue(doc)


def test_licence_types_are_optional_kept_and_exported(catalog: Catalog) -> None:
    codes = ["11100000MB0143028R001", "11100000MB01653718001"]
    parsed = parse_catalog_json(text_of(_with_licence_types(codes)))
    materials = parsed.items[1].materials
    assert (materials[0].licence_types, materials[1].licence_types) == ((), tuple(codes))
    catalog.import_document(_with_licence_types(codes))
    assert catalog.get("GA-2").materials[1].licence_types == tuple(codes)  # type: ignore[union-attr]
    exported = catalog.get("GA-2").to_dict()["materials"]  # type: ignore[union-attr]
    assert "licence_types" not in exported[0]  # left out when empty: older files export as they came
    assert exported[1]["licence_types"] == codes
    empty = parse_catalog_json(text_of(_with_licence_types([]))).items[1]
    assert empty.materials[1].licence_types == ()
    assert "licence_types" not in empty.to_dict()["materials"][1]


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        (None, "materials[1].licence_types", "expected a list of licence type codes, got null"),
        ("11100000MB0143028R001", "materials[1].licence_types", "expected a list of licence type codes"),
        (["11100000MB0143028I001"], "materials[1].licence_types[0]", "not a licence type code"),  # I
        (["11100000mb0143028r001"], "materials[1].licence_types[0]", "not a licence type code"),
        (["11100000MB0143028R01"], "materials[1].licence_types[0]", "not a licence type code"),
        (["11100000MB0143028R0011"], "materials[1].licence_types[0]", "22 characters, at most 21"),
        ([21], "materials[1].licence_types[0]", "expected a string"),
        (["11100000MB0143028R001"] * 2, "materials[1].licence_types", "appears twice"),
        ([f"11100000MB0143028R{n:03d}" for n in range(21)], "materials[1].licence_types",
         "21 entries, at most 20"),
    ],
)
def test_bad_licence_types_name_the_material_and_the_entry(value: object, field: str, words: str) -> None:
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog_json(text_of(_with_licence_types(value)))
    assert (caught.value.item_code, caught.value.field) == ("GA-2", field)
    assert words in str(caught.value)


def test_twenty_licence_types_are_the_most() -> None:
    codes = [f"11100000MB0143028R{n:03d}" for n in range(20)]
    assert len(parse_catalog_json(text_of(_with_licence_types(codes))).items[1].materials[1].licence_types) == 20
