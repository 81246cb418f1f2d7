"""The limits of a catalogue (docs/catalog-format.md, "Limits") and the guarded JSON reader that applies
the file-level ones before Python's JSON parser can run out of stack, memory or patience.

A catalogue comes from outside (a file a technician hands over, or the platform's answers), and every
value in it ends up in SQLite (signed 64-bit integers), in pypinyin and the search index (time grows
with text length), and on the touch screen. So every string has a length and a character rule, every
integer a range, every list a length, and a file a size, a nesting depth and an item count. The numbers
here are the contract: docs/catalog-format.md states each of them (a test keeps the two in step).
"""

from __future__ import annotations

import functools
import json
import operator
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

from offline_cache.errors import CatalogFormatError, CatalogLimitError

# A generated catalogue of 60,000 items (bench/make_catalog.py, the perf baseline) is 112 MB; these leave
# room for twice that while bounding the memory and time one import may take on a kiosk.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ITEMS = 100_000
# The format itself nests 5 deep (document, items, item, materials, material); the rest is room for
# unknown keys a later format may add.
MAX_DEPTH = 32
# Longer integer literals are never in range; they are not even converted (CPython refuses to convert
# more than 4,300 digits, and conversion time grows with the square of the length).
MAX_INT_DIGITS = 20
# The largest integer every JSON implementation holds exactly (an IEEE double's 53-bit mantissa).
MAX_VERSION = 2**53 - 1

_STEPS = {"[": 1, "{": 1, "]": -1, "}": -1}
# A JSON string literal; possessive, so a long string costs one pass and no backtracking.
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_LONG_DIGITS = re.compile(f"[0-9]{{{MAX_INT_DIGITS + 1}}}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*+")


@dataclass(frozen=True, slots=True)
class TextRule:
    """A string field: length in characters (code points), and which characters it may hold."""

    max_chars: int
    min_chars: int = 0  # 1: must hold something other than white space
    multiline: bool = False  # "\n" allowed (text blocks); never any other control character
    identifier: bool = False  # ASCII letters, digits, ".", "_", "-", starting with a letter or digit
    code: str | None = None  # a code of a fixed form: the whole value matches this pattern (CODE_FORMS)


# Codes of a fixed form, by name: the pattern and the words a message gives for it.
CODE_FORMS: dict[str, tuple[str, str]] = {
    # A licence type code after GB/T 36902 (docs/platform-api.md, "Identifiers"): the unified social credit code
    # (GB 32100 alphabet, no I O S V Z) of the department that defines the type, then a 3-digit sequence.
    "licence type code": (
        "[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}",
        "18 characters of 0-9 and A-H J-N P Q R T U W X Y, then 3 digits",
    ),
}


@dataclass(frozen=True, slots=True)
class IntRule:
    low: int
    high: int


# Keys are field paths as error messages name them, with "[]" for "every entry of the list".
TEXT_RULES: dict[str, TextRule] = {
    "code": TextRule(64, 1, identifier=True),
    "name": TextRule(128, 1),
    "department": TextRule(64, 1),
    "category": TextRule(64, 1),
    "summary": TextRule(2000, multiline=True),
    "conditions[]": TextRule(1000, multiline=True),
    "materials[].name": TextRule(128, 1),
    "materials[].copies": TextRule(64),
    "materials[].note": TextRule(1000, multiline=True),
    "steps[]": TextRule(1000, multiline=True),
    "fees": TextRule(1000, multiline=True),
    "place": TextRule(500, multiline=True),
    "hours": TextRule(500, multiline=True),
    "phones.consult": TextRule(64),
    "phones.complaint": TextRule(64),
    "forms[]": TextRule(64, 1, identifier=True),
    "legal_basis[]": TextRule(1000, multiline=True),
    "deleted[]": TextRule(64, 1, identifier=True),
    "materials[].licence_types[]": TextRule(21, 21, code="licence type code"),
}
LIST_RULES: dict[str, int] = {
    "conditions": 100,
    "materials": 100,
    "steps": 100,
    "forms": 20,
    "legal_basis": 100,
    "materials[].licence_types": 20,
}
INT_RULES: dict[str, IntRule] = {
    # Working days; ten years is beyond any statutory time limit.
    "legal_limit_days": IntRule(0, 3650),
    "promised_limit_days": IntRule(0, 3650),
    "visits": IntRule(0, 2),
    # Below offline_cache.catalog.POPULARITY_RANK_CAP, so every allowed value ranks by itself.
    "popularity": IntRule(0, 1_000_000_000),
    "catalog_version": IntRule(0, MAX_VERSION),
    "version": IntRule(0, MAX_VERSION),
}


@dataclass(frozen=True, slots=True)
class OversizedInt:
    """Stands in for an integer literal of more than MAX_INT_DIGITS digits, so that the field check that
    meets it can refuse it naming the item and the field (instead of the parser failing without either)."""

    digits: int


@functools.cache
def _refused() -> frozenset[int]:
    """Control (Cc), format (Cf: zero-width characters, bidi overrides, soft hyphen, BOM) and surrogate
    (Cs) characters, line and paragraph separators (Zl, Zp) and noncharacters, from the running Python's
    Unicode tables; built on first use (a fifth of a second), not at import."""
    return frozenset(
        code
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


def _class(codes: list[int]) -> str:
    """A regular-expression class body matching exactly `codes` (ascending)."""
    ranges: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code != previous + 1:
            ranges.append(_escape(start) if start == previous else f"{_escape(start)}-{_escape(previous)}")
            start = code
        previous = code
    return "".join(ranges)


def _escape(code: int) -> str:
    return f"\\U{code:08x}"


@functools.cache
def _forbidden(multiline: bool) -> re.Pattern[str]:
    """The characters catalogue text may not hold; "\\n" stays allowed in text blocks."""
    return re.compile(f"[{_class(sorted(_refused() - ({10} if multiline else set())))}]")


@functools.cache
def _allowed_bmp(multiline: bool) -> str:
    # A class of the allowed characters below U+10000 only: the regular-expression engine tests it with
    # one table look-up per character, where a class reaching above U+FFFF costs ten times as much.
    refused = _refused() - ({10} if multiline else set())
    return _class([c for c in range(0x10000) if c not in refused])


@functools.cache
def accepting_patterns() -> dict[str, re.Pattern[str]]:
    """For each TEXT_RULES key, a pattern whose `fullmatch` accepts strings of the right length made only of
    allowed characters below U+10000: the fast path, one C call per string. What it does not accept (also
    valid text with characters above U+FFFF) goes to `text_problem`, which has the last word."""
    patterns = {}
    for key, rule in TEXT_RULES.items():
        if rule.code is not None:
            pattern = CODE_FORMS[rule.code][0]
        elif rule.identifier:
            pattern = f"[A-Za-z0-9][A-Za-z0-9._-]{{0,{rule.max_chars - 1}}}"
        else:
            pattern = f"[{_allowed_bmp(rule.multiline)}]{{{rule.min_chars},{rule.max_chars}}}"
        patterns[key] = re.compile(pattern)
    return patterns


def text_problem(value: str, rule: TextRule) -> str | None:
    """What is wrong with `value` under `rule`, in words for the error message; None if nothing."""
    if len(value) > rule.max_chars:
        return f"{len(value)} characters, at most {rule.max_chars}"
    if rule.code is not None:
        pattern, words = CODE_FORMS[rule.code]
        return None if re.fullmatch(pattern, value) else f"not a {rule.code} ({words}), got {show(value)}"
    if rule.min_chars and not value.strip():
        return "must not be empty"
    if rule.identifier:
        if not _IDENTIFIER.fullmatch(value):
            return "only ASCII letters, digits, '.', '_' and '-' (starting with a letter or digit)"
        return None
    bad = _forbidden(rule.multiline).search(value)
    if bad is None:
        return None
    char = bad.group()
    category = unicodedata.category(char)
    what = unicodedata.name(char, "") or {"Cc": "control character", "Cs": "lone surrogate"}.get(
        category, "noncharacter"
    )
    allowed = " (only \\n is allowed)" if rule.multiline else ""
    return (f"character {bad.start() + 1} is U+{ord(char):04X} ({what}); catalogue text may not hold control"
            f"{allowed}, invisible formatting, line separator, surrogate or noncharacter code points")


def show(value: object) -> str:
    """A value for an error message, kept short (a refused value may be megabytes long)."""
    if isinstance(value, OversizedInt):
        return f"an integer of {value.digits} digits"
    if isinstance(value, int) and abs(value) >= 10**MAX_INT_DIGITS:
        # Not repr(): CPython refuses to write out integers of more than 4,300 digits.
        return f"an integer of more than {MAX_INT_DIGITS} digits"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
    if isinstance(value, bool | int | float) or value is None:
        return repr(value)
    return "an array" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


def load_json(data: bytes | str, source: str) -> object:
    """Parse a catalogue file's content after the checks that keep the parser safe, in this order:
    size (MAX_FILE_BYTES), UTF-8, nesting depth (MAX_DEPTH), then JSON syntax (NaN and Infinity are not
    JSON). Integer literals longer than MAX_INT_DIGITS come back as `OversizedInt`.

    `source` names the file in messages. Raises CatalogLimitError or CatalogFormatError.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogLimitError(f"{source}: {len(raw)} bytes, at most {MAX_FILE_BYTES} (256 MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogFormatError(f"{source}: not UTF-8 text (byte offset {exc.start})") from None
    text = text.removeprefix("\ufeff")
    # Strings removed, what is left are numbers, literals, punctuation and white space: count the
    # brackets there. Python's parser recurses once per level, so this must come first.
    structure = _STRING.sub("", text)
    brackets = _NOT_BRACKET.sub("", structure)
    depth = max(accumulate(map(_STEPS.__getitem__, brackets), operator.add), default=0)
    if depth > MAX_DEPTH:
        raise CatalogLimitError(f"{source}: arrays and objects nested {depth} deep, at most {MAX_DEPTH}")

    def refuse_constant(name: str) -> object:
        raise CatalogFormatError(f"{source} is not valid JSON: {name} is not a JSON number")

    # The digit check hook costs a Python call per integer, so it is only installed when needed.
    long_digits = _LONG_DIGITS.search(structure) is not None
    try:
        return json.loads(text, parse_constant=refuse_constant, parse_int=_bounded_int if long_digits else None)
    except json.JSONDecodeError as exc:
        raise CatalogFormatError(
            f"{source} is not valid JSON: {exc.msg}: line {exc.lineno} column {exc.colno}"
        ) from None


def _bounded_int(literal: str) -> int | OversizedInt:
    digits = len(literal.lstrip("-"))
    return OversizedInt(digits) if digits > MAX_INT_DIGITS else int(literal)
