"""Form templates: the data files in kiosk/forms/templates/*.toml, loaded and checked.

A template names its fields (type, validation rules, which identity field pre-fills each) and lays them
out in sections on a 12-column grid. docs/devices/printer.md describes the file format.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

FieldType = Literal["text", "multiline", "id_number", "phone", "date", "choice", "checkbox", "number"]
FIELD_TYPES: tuple[str, ...] = ("text", "multiline", "id_number", "phone", "date", "choice", "checkbox", "number")
# The identity fields a resident's card gives (kiosk.identity.resident.Resident); `prefill` must name one of them.
IDENTITY_FIELDS: tuple[str, ...] = ("name", "id_number", "gender", "birth_date", "nation", "address", "phone")
GRID_COLUMNS = 12
_DEFAULT_MAX_LENGTH = {"multiline": 500, "text": 60, "number": 20}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class TemplateError(ValueError):
    """A template file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: FieldType = "text"
    span: int = 6
    lines: int = 1
    required: bool = False
    prefill: str = ""
    max_length: int = 0
    pattern: str = ""
    options: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FormField, ...] = ()
    text: str = ""
    signature: tuple[str, ...] = ()
    page_break: bool = False


@dataclass(frozen=True)
class FormTemplate:
    id: str
    title: str
    title_en: str
    department: str
    version: int
    services: tuple[str, ...]
    intro: str
    sections: tuple[Section, ...]

    def fields(self) -> Iterator[FormField]:
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FormField:
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> TemplateError:
        return TemplateError(f"{self.source}: {where}: {problem}")

    def get(self, raw: Mapping[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
        if key not in raw:
            if default is None:
                raise self.fail(where, f"missing key {key!r}")
            return default
        value = raw[key]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise self.fail(f"{where}.{key}", f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def strings(self, raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "expected a list of strings")
        return tuple(value)

    def unknown(self, raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(raw) - allowed)
        if extra:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, extra))}")

    def field(self, raw: Any, where: str) -> FormField:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected a table")
        self.unknown(raw, {f for f in FormField.__dataclass_fields__}, where)
        field_id = self.get(raw, "id", str, where)
        where = f"{where}({field_id})"
        if not _ID.match(field_id):
            raise self.fail(f"{where}.id", "use lower-case letters, digits and _")
        kind = self.get(raw, "type", str, where, "text")
        if kind not in FIELD_TYPES:
            raise self.fail(f"{where}.type", f"{kind!r} is not one of {', '.join(FIELD_TYPES)}")
        span = self.get(raw, "span", int, where, 6)
        lines = self.get(raw, "lines", int, where, 3 if kind == "multiline" else 1)
        if not 1 <= span <= GRID_COLUMNS:
            raise self.fail(f"{where}.span", f"must be 1..{GRID_COLUMNS}")
        if not 1 <= lines <= 12:
            raise self.fail(f"{where}.lines", "must be 1..12")
        prefill = self.get(raw, "prefill", str, where, "")
        if prefill and prefill not in IDENTITY_FIELDS:
            raise self.fail(f"{where}.prefill", f"{prefill!r} is not an identity field ({', '.join(IDENTITY_FIELDS)})")
        options = self.strings(raw, "options", where)
        if kind == "choice" and len(options) < 2:
            raise self.fail(f"{where}.options", "a choice needs at least two options")
        pattern = self.get(raw, "pattern", str, where, "")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise self.fail(f"{where}.pattern", f"not a regular expression: {exc}") from exc
        return FormField(
            id=field_id, label=self.get(raw, "label", str, where), type=cast(FieldType, kind), span=span,
            lines=lines, required=self.get(raw, "required", bool, where, False), prefill=prefill,
            max_length=self.get(raw, "max_length", int, where, _DEFAULT_MAX_LENGTH.get(kind, 0)),
            pattern=pattern, options=options, hint=self.get(raw, "hint", str, where, ""),
        )

    def section(self, raw: Any, where: str) -> Section:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected a table")
        self.unknown(raw, {"title", "fields", "text", "signature", "page_break"}, where)
        fields_raw = raw.get("fields", [])
        if not isinstance(fields_raw, list):
            raise self.fail(f"{where}.fields", "expected an array of tables")
        return Section(
            title=self.get(raw, "title", str, where),
            fields=tuple(self.field(f, f"{where}.fields[{i}]") for i, f in enumerate(fields_raw)),
            text=self.get(raw, "text", str, where, ""),
            signature=self.strings(raw, "signature", where),
            page_break=self.get(raw, "page_break", bool, where, False),
        )

    def template(self, raw: Mapping[str, Any]) -> FormTemplate:
        self.unknown(raw, {"id", "title", "title_en", "department", "version", "services", "intro", "sections"},
                     "top level")
        sections_raw = raw.get("sections")
        if not isinstance(sections_raw, list) or not sections_raw:
            raise self.fail("sections", "expected at least one [[sections]] table")
        template = FormTemplate(
            id=self.get(raw, "id", str, "top level"),
            title=self.get(raw, "title", str, "top level"),
            title_en=self.get(raw, "title_en", str, "top level", ""),
            department=self.get(raw, "department", str, "top level", ""),
            version=self.get(raw, "version", int, "top level", 1),
            services=self.strings(raw, "services", "top level"),
            intro=self.get(raw, "intro", str, "top level", ""),
            sections=tuple(self.section(s, f"sections[{i}]") for i, s in enumerate(sections_raw)),
        )
        seen: set[str] = set()
        for f in template.fields():
            if f.id in seen:
                raise self.fail(f"field {f.id!r}", "appears more than once")
            seen.add(f.id)
        return template


def parse_template(raw: Mapping[str, Any], source: str = "<template>") -> FormTemplate:
    return _Reader(source).template(raw)


def load_template_file(path: Path) -> FormTemplate:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{path}: {exc}") from exc
    template = parse_template(raw, str(path))
    if template.id != path.stem:
        raise TemplateError(f"{path}: id {template.id!r} does not match the file name")
    return template


def templates_dir() -> Path:
    return Path(str(resources.files("kiosk.forms") / "templates"))


@functools.cache
def bundled_templates() -> Mapping[str, FormTemplate]:
    """Every template shipped with the kiosk, by form id (loaded once per process)."""
    return load_templates(templates_dir())


def load_templates(directory: Path) -> dict[str, FormTemplate]:
    return {t.id: t for t in (load_template_file(p) for p in sorted(directory.glob("*.toml")))}


def get_template(form_id: str) -> FormTemplate:
    try:
        return bundled_templates()[form_id]
    except KeyError:
        known = ", ".join(sorted(bundled_templates()))
        raise TemplateError(f"no form template {form_id!r} (known: {known})") from None
