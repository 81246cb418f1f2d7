"""Property tests of the catalogue importer: random and mutated catalogues, as files and as the parsed answers
the platform sends, never raise anything but a `CatalogError`; what is accepted obeys docs/catalog-format.md
(checked by an oracle written here, independently of offline_cache.catalog_limits); valid catalogues import
and export unchanged."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_cache.catalog import Catalog, CatalogDocument, parse_catalog_document, parse_catalog_json
from offline_cache.catalog_limits import (
    INT_RULES,
    LIST_RULES,
    MAX_DEPTH,
    TEXT_RULES,
    TextRule,
    accepting_patterns,
    text_problem,
)
from offline_cache.db import Database
from offline_cache.errors import CatalogError
from tests.unit.offline_cache.factories import make_item, material

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- the oracle: docs/catalog-format.md's rules, restated ----------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def char_allowed(char: str, multiline: bool) -> bool:
    code = ord(char)
    if char == "\n":
        return multiline
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return False
    return not (0xFDD0 <= code <= 0xFDEF or code % 0x10000 in (0xFFFE, 0xFFFF))


# A licence type code as docs/platform-api.md states it: 18 of the credit code alphabet, then 3 digits.
_LICENCE_TYPE = re.compile("[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}")


def text_ok(value: object, rule: TextRule) -> bool:
    if not isinstance(value, str) or len(value) > rule.max_chars:
        return False
    if rule.code is not None:
        return rule.code == "licence type code" and _LICENCE_TYPE.fullmatch(value) is not None
    if rule.min_chars and not value.strip():
        return False
    if rule.identifier:
        return _IDENTIFIER.fullmatch(value) is not None
    return all(char_allowed(c, rule.multiline) for c in value)


def assert_conforms(item: dict[str, Any]) -> None:
    """Every field of an accepted item within its documented type and limit."""
    for path, rule in TEXT_RULES.items():
        if path == "deleted[]":
            continue
        if path == "materials[].licence_types[]":
            values = [code for m in item["materials"] for code in m.get("licence_types", [])]
        elif path.endswith("[]"):
            values = item[path[:-2]]
        elif path.startswith("materials[]."):
            values = [m[path.split(".", 1)[1]] for m in item["materials"]]
        elif path.startswith("phones."):
            values = [item["phones"][path.split(".", 1)[1]]]
        else:
            values = [item[path]]
        assert all(text_ok(v, rule) for v in values), (path, values)
    for field, max_entries in LIST_RULES.items():
        if field == "materials[].licence_types":
            assert all(len(m.get("licence_types", [])) <= max_entries for m in item["materials"])
        else:
            assert len(item[field]) <= max_entries
    for field, int_rule in INT_RULES.items():
        if field in item:
            assert type(item[field]) is int, field
            assert int_rule.low <= item[field] <= int_rule.high, field
    assert item["audience"] in ("personal", "enterprise")
    assert all(m["form"] in ("paper", "electronic", "either") for m in item["materials"])
    for flag in ("online", "express", "declarable_here"):
        assert type(item[flag]) is bool


# --- generators ------------------------------------------------------------------------------------------------

_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Cn"))


def valid_text(path: str) -> st.SearchStrategy[str]:
    rule = TEXT_RULES[path]
    if rule.code is not None:
        return st.from_regex(_LICENCE_TYPE, fullmatch=True)
    if rule.identifier:
        first = st.sampled_from("AZaz09")
        rest = st.text(st.sampled_from("AZaz09._-"), max_size=12)
        longest = st.just("A" * rule.max_chars)
        return st.one_of(st.builds(str.__add__, first, rest), longest)
    chars = st.one_of(_TEXT_CHARS, st.just("\n")) if rule.multiline else _TEXT_CHARS
    short = st.text(chars, min_size=rule.min_chars, max_size=12)
    longest = st.sampled_from("证A𠮷\ue123 ").map(lambda c: "证" + c * (rule.max_chars - 1))
    text = st.one_of(short, longest)
    return text.filter(lambda s: s.strip() != "") if rule.min_chars else text


def valid_ints(field: str) -> st.SearchStrategy[int]:
    rule = INT_RULES[field]
    return st.one_of(st.integers(rule.low, rule.high), st.sampled_from([rule.low, rule.high]))


@st.composite
def valid_material(draw: st.DrawFn) -> dict[str, Any]:
    material = {
        "name": draw(valid_text("materials[].name")),
        "copies": draw(valid_text("materials[].copies")),
        "form": draw(st.sampled_from(["paper", "electronic", "either"])),
        "required": draw(st.booleans()),
        "waivable": draw(st.booleans()),
        "note": draw(valid_text("materials[].note")),
    }
    if draw(st.booleans()):  # optional; `[]` means the same as leaving it out and exports so (test_catalog_limits)
        material["licence_types"] = draw(
            st.lists(valid_text("materials[].licence_types[]"), min_size=1, max_size=3, unique=True)
        )
    return material


def valid_list(path: str, entries: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(entries, max_size=min(LIST_RULES[path], 4))


_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": valid_text("name"),
    "department": valid_text("department"),
    "category": valid_text("category"),
    "audience": st.sampled_from(["personal", "enterprise"]),
    "summary": valid_text("summary"),
    "conditions": valid_list("conditions", valid_text("conditions[]")),
    "materials": valid_list("materials", valid_material()),
    "steps": valid_list("steps", valid_text("steps[]")),
    "legal_limit_days": valid_ints("legal_limit_days"),
    "promised_limit_days": valid_ints("promised_limit_days"),
    "fees": valid_text("fees"),
    "place": valid_text("place"),
    "hours": valid_text("hours"),
    "phones": st.builds(
        lambda consult, complaint: {"consult": consult, "complaint": complaint},
        valid_text("phones.consult"), valid_text("phones.complaint"),
    ),
    "visits": valid_ints("visits"),
    "online": st.booleans(),
    "express": st.booleans(),
    "declarable_here": st.booleans(),
    "forms": valid_list("forms", valid_text("forms[]")),
    "legal_basis": valid_list("legal_basis", valid_text("legal_basis[]")),
    "popularity": valid_ints("popularity"),
}


@st.composite
def valid_item(draw: st.DrawFn) -> dict[str, Any]:
    """A valid item with its code and a few other fields drawn (drawing all 22 each time is slow)."""
    item = make_item("C", "居民身份证换领", materials=[material("居民户口簿")])
    item["code"] = draw(valid_text("code"))
    for field in draw(st.lists(st.sampled_from(sorted(_FIELDS)), max_size=5, unique=True)):
        item[field] = draw(_FIELDS[field])
    return item


valid_catalogue = st.builds(
    lambda version, sample, items: {"format": 1, "catalog_version": version, "sample": sample, "items": items},
    valid_ints("catalog_version"),
    st.booleans(),
    st.lists(valid_item(), max_size=4, unique_by=lambda item: item["code"]),
)

_ANY_INT = st.one_of(
    st.integers(),
    st.integers(-(2**80), 2**80),
    st.sampled_from([2**53, 2**63, 2**64, 2**70, 10**30, -1]),
    st.integers(4301, 5000).map(lambda digits: 10**digits),  # more than CPython converts to text
)
_ANY_TEXT = st.one_of(
    st.text(),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=8),
    st.sampled_from(["\ud800", "名\u202e字", "\u200b", "a\u2028b", "\x00", "\ufffe", " ", "", "x" * 3000]),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), _ANY_INT, st.floats(), _ANY_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_ANY_TEXT, children, max_size=4)),
    max_leaves=12,
)


def containers(doc: Any) -> Iterator[dict[str, Any] | list[Any]]:
    """Every object and array in `doc`, outermost first."""
    if isinstance(doc, dict | list):
        yield doc
        for child in doc.values() if isinstance(doc, dict) else doc:
            yield from containers(child)


@st.composite
def mutated_catalogue(draw: st.DrawFn) -> dict[str, Any]:
    """A valid catalogue with a few places changed: a value replaced by anything, a key removed or added."""
    doc: dict[str, Any] = draw(valid_catalogue)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(list(containers(doc))))
        if isinstance(target, dict):
            keys = sorted(target)
            action = draw(st.sampled_from(["replace", "delete", "add"] if keys else ["add"]))
            if action == "add":
                target[draw(_ANY_TEXT)] = draw(json_values)
            elif action == "delete":
                del target[draw(st.sampled_from(keys))]
            else:
                target[draw(st.sampled_from(keys))] = draw(json_values)
        elif target:
            target[draw(st.integers(0, len(target) - 1))] = draw(json_values)
        else:
            target.append(draw(json_values))
    return doc


def dumps(doc: object, ensure_ascii: bool) -> str | None:
    """The file a generator would write, or None if Python's encoder cannot write it (NaN is written)."""
    try:
        return json.dumps(doc, ensure_ascii=ensure_ascii)
    except (ValueError, UnicodeEncodeError):
        return None  # an integer CPython will not write out


def check(outcome: object) -> None:
    """The outcome of an import is a checked document, all of whose items conform, or a CatalogError."""
    assert isinstance(outcome, CatalogDocument | CatalogError), repr(outcome)
    if isinstance(outcome, CatalogDocument):
        assert 0 <= outcome.version <= INT_RULES["catalog_version"].high
        for item in outcome.items:
            assert_conforms(item.to_dict())


def attempt(parse: Any, data: object) -> object:
    try:
        return parse(data)
    except CatalogError as exc:
        return exc


# --- properties --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    database = Database(tmp_path_factory.mktemp("fuzz") / "kiosk.db")
    yield Catalog(database)
    database.close()


@FUZZ
@given(doc=valid_catalogue, ensure_ascii=st.booleans())
def test_valid_catalogues_are_accepted_field_for_field(doc: dict[str, Any], ensure_ascii: bool) -> None:
    text = json.dumps(doc, ensure_ascii=ensure_ascii)
    parsed = parse_catalog_json(text if ensure_ascii else text.encode("utf-8"))
    assert (parsed.version, parsed.sample) == (doc["catalog_version"], doc["sample"])
    assert [item.to_dict() for item in parsed.items] == sorted(doc["items"], key=lambda item: item["code"])


# A full import builds and swaps whole tables (a quarter of a second each): fewer examples keep CI fast,
# the checks themselves are covered 200 times above.
@settings(FUZZ, max_examples=40)
@given(doc=valid_catalogue, ensure_ascii=st.booleans())
def test_valid_catalogues_import_and_export_unchanged(
    shared_catalog: Catalog, doc: dict[str, Any], ensure_ascii: bool
) -> None:
    text = json.dumps(doc, ensure_ascii=ensure_ascii)
    result = shared_catalog.import_json(text if ensure_ascii else text.encode("utf-8"))
    assert (result.version, result.items) == (doc["catalog_version"], len(doc["items"]))
    exported = shared_catalog.export()
    assert exported == {**doc, "items": sorted(doc["items"], key=lambda item: item["code"])}


@FUZZ
@given(doc=mutated_catalogue(), ensure_ascii=st.booleans())
def test_mutated_catalogues_are_refused_with_a_catalog_error_or_conform(
    doc: dict[str, Any], ensure_ascii: bool
) -> None:
    check(attempt(parse_catalog_document, doc))  # as the sync engine hands over the platform's answer
    text = dumps(doc, ensure_ascii)
    if text is not None:
        check(attempt(parse_catalog_json, text))  # as `kiosk catalog import` reads a file


@FUZZ
@given(
    doc=valid_catalogue,
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 8),
            st.one_of(
                st.text(max_size=6),
                st.sampled_from(['"', "\\", "[", "{", "]", "}", ",", ":", "NaN", "-", "1e999", "9" * 4400, "\\ud800"]),
                st.integers(1, 60).map(lambda n: "[" * n),
            ),
        ),
        min_size=1,
        max_size=4,
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_corrupted_files_are_refused_with_a_catalog_error_or_conform(
    doc: dict[str, Any], edits: list[tuple[float, int, str]], encoding: str
) -> None:
    text = json.dumps(doc, ensure_ascii=False)
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    check(attempt(parse_catalog_json, data))


@settings(max_examples=200, deadline=None)
@given(depth=st.integers(1, 3 * MAX_DEPTH), where=st.sampled_from(["top", "item", "string"]))
def test_nesting_is_refused_exactly_beyond_the_limit(depth: int, where: str) -> None:
    deep = "[" * depth + "]" * depth
    doc = {"format": 1, "catalog_version": 1, "items": [{"x": 0}]}
    text = json.dumps(doc)
    if where == "top":
        text, total = text.replace('"format"', f'"x": {deep}, "format"'), depth + 1
    elif where == "item":
        text, total = text.replace('{"x": 0}', f'{{"x": {deep}}}'), depth + 3
    else:
        text, total = text.replace('{"x": 0}', f'{{"x": "{deep}"}}'), 3
    outcome = attempt(parse_catalog_json, text)
    assert isinstance(outcome, CatalogError)
    assert (f"nested {total} deep" in str(outcome)) == (total > MAX_DEPTH), str(outcome)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(_ANY_TEXT, st.text(_TEXT_CHARS, max_size=140)), path=st.sampled_from(sorted(TEXT_RULES)))
def test_the_fast_text_check_and_the_full_one_agree_with_the_oracle(value: str, path: str) -> None:
    rule = TEXT_RULES[path]
    fast = accepting_patterns()[path].fullmatch(value) is not None and not (rule.min_chars and value.isspace())
    full = text_problem(value, rule) is None
    assert full == text_ok(value, rule), text_problem(value, rule)
    assert full or not fast  # the fast path never accepts what the full check refuses
