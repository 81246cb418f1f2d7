"""Pre-filling a form from a resident's identity (ID card or citizen card).

The identity is a plain mapping of identity field names (name, id_number, gender, birth_date, nation,
address, phone) to strings, so this works with kiosk.identity.resident.Resident (pass `dataclasses.asdict(resident)`
or the object itself), with a JSON file, or with a test's dict alike.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.forms.template import IDENTITY_FIELDS, FormTemplate
from kiosk.forms.validation import normalise

# GB/T 2261.1 codes as ID cards carry them, and longer spellings, to the 男/女 the forms offer.
_GENDER_LABELS = {"1": "男", "2": "女", "男性": "男", "女性": "女", "M": "男", "F": "女"}


class PrefillError(ValueError):
    """A pre-fill file that cannot be used; the message names the file and key, never a value."""


def identity_values(identity: object) -> dict[str, str]:
    """The identity fields of a mapping, a dataclass or any object with those attributes, as strings."""
    if isinstance(identity, Mapping):
        source: Mapping[str, Any] = identity
    elif dataclasses.is_dataclass(identity) and not isinstance(identity, type):
        source = dataclasses.asdict(identity)
    else:
        source = {name: getattr(identity, name) for name in IDENTITY_FIELDS if hasattr(identity, name)}
    values: dict[str, str] = {}
    for name in IDENTITY_FIELDS:
        raw = source.get(name)
        if raw is None:
            continue
        # Enums print as their label if they have one (Gender.FEMALE → 女), else their value; dates as ISO.
        if isinstance(raw, enum.Enum):
            label = getattr(raw, "label", None)
            raw = label if isinstance(label, str) else raw.value
        text = raw.isoformat() if hasattr(raw, "isoformat") else str(raw)
        if text.strip():
            values[name] = text.strip()
    return values


def prefill(template: FormTemplate, identity: object, fields: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field values for `template`: each field whose `prefill` names an identity field gets that value, then
    `fields` (values the resident typed, by field id) override. Values are normalised per field type."""
    known = identity_values(identity)
    values: dict[str, str] = {}
    for field in template.fields():
        if field.prefill and field.prefill in known:
            value = normalise(field, known[field.prefill])
            if field.prefill == "gender":
                value = _GENDER_LABELS.get(value, value)
            if field.type == "choice" and value not in field.options:
                # e.g. a card's 男/女 against a form that asks 男性/女性: leave it for the resident.
                continue
            values[field.id] = value
    for field_id, value in (fields or {}).items():
        try:
            values[field_id] = normalise(template.field(field_id), value)
        except KeyError:
            values[field_id] = value.strip()
    return values


# A pre-fill file holds a handful of identity fields and form values, two levels deep. The limits are far
# above that and far below what makes the parser or the renderer suffer.
MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 4
MAX_VALUES = 200
MAX_KEY_LENGTH = 64
MAX_VALUE_LENGTH = 1000


def _too_deep(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` in JSON `text` (outside strings); checked before
    parsing, because the parser meets 100,000 nested brackets with a RecursionError."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _key_text(key: str) -> str:
    return key if key.isprintable() and len(key) <= MAX_KEY_LENGTH else repr(key[:MAX_KEY_LENGTH])


def _check_part(path: Path, name: str, part: object) -> dict[str, str]:
    if not isinstance(part, dict):
        raise PrefillError(f"{path}: {name!r} must be an object of strings")
    if len(part) > MAX_VALUES:
        raise PrefillError(f"{path}: {name!r} has {len(part)} entries; at most {MAX_VALUES}")
    out: dict[str, str] = {}
    for key, value in part.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise PrefillError(f"{path}: {name!r} must be an object of strings ({_key_text(key)!r} is not)")
        text = str(value)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise PrefillError(f"{path}: {name!r} has a key that is not a field name: {_key_text(key)}")
        if len(text) > MAX_VALUE_LENGTH:
            raise PrefillError(f"{path}: {name}.{key}: longer than {MAX_VALUE_LENGTH} characters")
        # A line break is fine in an address; other controls, bidi overrides and zero-width characters are not.
        if not all(ch.isprintable() or ch in " \n\u3000" for ch in text):
            raise PrefillError(f"{path}: {name}.{key}: holds a control or invisible character")
        out[key] = text
    return out


def read_prefill_file(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(identity, fields) from a JSON file: either a flat identity mapping
    ``{"name": "张三", "id_number": "…"}`` or ``{"identity": {…}, "fields": {"field_id": "…"}}``.

    Raises PrefillError naming the file and the key (never a value) for anything else: not JSON, larger
    than 64 KiB, nested deeper than a few levels, too many or too long values, control characters."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PrefillError(f"{path}: {exc.__class__.__name__}: cannot read JSON") from exc
    if len(data) > MAX_FILE_BYTES:
        raise PrefillError(f"{path}: larger than {MAX_FILE_BYTES} bytes; a pre-fill file holds a few fields")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PrefillError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if _too_deep(text, MAX_DEPTH):
        raise PrefillError(f"{path}: nested too deeply (more than {MAX_DEPTH} levels of arrays or objects)")
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise PrefillError(f"{path}: {exc.__class__.__name__}: cannot read JSON") from exc
    if not isinstance(raw, dict):
        raise PrefillError(f"{path}: expected a JSON object")
    if "identity" in raw or "fields" in raw:
        unexpected = sorted(set(raw) - {"identity", "fields"})
        if unexpected:
            raise PrefillError(f"{path}: unknown key(s) {', '.join(_key_text(k) for k in unexpected)} "
                               "beside 'identity' and 'fields'")
        identity = _check_part(path, "identity", raw.get("identity", {}))
        fields = _check_part(path, "fields", raw.get("fields", {}))
    else:
        identity, fields = _check_part(path, "identity", raw), {}
    unknown = sorted(set(identity) - set(IDENTITY_FIELDS))
    if unknown:
        raise PrefillError(
            f"{path}: unknown identity field(s) {', '.join(_key_text(k) for k in unknown)}; "
            f"known: {', '.join(IDENTITY_FIELDS)}"
        )
    return identity, fields
