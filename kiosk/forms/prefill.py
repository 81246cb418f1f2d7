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


def read_prefill_file(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(identity, fields) from a JSON file: either a flat identity mapping
    ``{"name": "张三", "id_number": "…"}`` or ``{"identity": {…}, "fields": {"field_id": "…"}}``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PrefillError(f"{path}: {exc.__class__.__name__}: cannot read JSON") from exc
    if not isinstance(raw, dict):
        raise PrefillError(f"{path}: expected a JSON object")
    if "identity" in raw or "fields" in raw:
        identity, fields = raw.get("identity", {}), raw.get("fields", {})
    else:
        identity, fields = raw, {}
    for key, part in (("identity", identity), ("fields", fields)):
        if not isinstance(part, dict) or not all(isinstance(v, str | int) for v in part.values()):
            raise PrefillError(f"{path}: {key!r} must be an object of strings")
    unknown = sorted(set(identity) - set(IDENTITY_FIELDS))
    if unknown:
        raise PrefillError(
            f"{path}: unknown identity field(s) {', '.join(unknown)}; known: {', '.join(IDENTITY_FIELDS)}"
        )
    return ({k: str(v) for k, v in identity.items()}, {k: str(v) for k, v in fields.items()})
