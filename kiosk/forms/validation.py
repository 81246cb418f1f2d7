"""Checks and normalises the values of a form against its template's rules.

Problems carry a stable code and Chinese + English text for the screen; they name the field by its label,
never by the value (values are personal data).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.forms.template import FormField, FormTemplate

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_YES = {"是", "yes", "true", "1", "y", "x", "√", "✓"}
_NO = {"否", "no", "false", "0", "n", ""}


@dataclass(frozen=True)
class FieldProblem:
    field_id: str
    label: str
    code: str
    zh: str
    en: str


def id_number_valid(value: str) -> bool:
    """GB 11643-1999: 17 digits and a check character."""
    value = value.upper()
    if not _ID18.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def parse_date(value: str) -> dt.date | None:
    text = value.strip()
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


def normalise(field: FormField, value: str) -> str:
    """The value as it is stored and printed: trimmed, dates as YYYY-MM-DD, ID numbers upper-case,
    check boxes as 是 or empty. A value that cannot be normalised is returned trimmed for validate() to flag."""
    text = value.strip()
    if field.type == "date":
        parsed = parse_date(text)
        return parsed.isoformat() if parsed else text
    if field.type == "id_number":
        return text.upper()
    if field.type == "phone":
        return text.replace(" ", "")
    if field.type == "checkbox":
        return "是" if text.lower() in _YES else "" if text.lower() in _NO else text
    return text


def validate(template: FormTemplate, values: Mapping[str, str]) -> list[FieldProblem]:
    """Every problem with `values` (already normalised) in template order; an empty list means valid."""
    problems: list[FieldProblem] = []
    known = {f.id for f in template.fields()}
    for field_id in sorted(set(values) - known):
        problems.append(FieldProblem(field_id, field_id, "unknown", "表中没有此项", "not a field of this form"))
    for field in template.fields():
        problem = _check(field, values.get(field.id, "").strip())
        if problem is not None:
            code, zh, en = problem
            problems.append(FieldProblem(field.id, field.label, code, zh, en))
    return problems


def _check(field: FormField, value: str) -> tuple[str, str, str] | None:
    if not value:
        return ("required", "此项必填", "required") if field.required else None
    if field.max_length and len(value) > field.max_length:
        return ("too_long", f"不能超过 {field.max_length} 个字", f"at most {field.max_length} characters")
    kind = field.type
    if kind == "id_number" and not id_number_valid(value):
        return ("id_number", "身份证号码不正确", "not a valid ID number")
    if kind == "phone" and not (_MOBILE.match(value) or _LANDLINE.match(value)):
        return ("phone", "电话号码不正确", "not a valid phone number")
    if kind == "date" and parse_date(value) is None:
        return ("date", "日期不正确，例如 2024-03-07", "not a valid date, e.g. 2024-03-07")
    if kind == "choice" and value not in field.options:
        return ("choice", "请从选项中选择", f"choose one of: {', '.join(field.options)}")
    if kind == "checkbox" and value != "是":
        return ("checkbox", "请勾选或留空", "tick or leave empty")
    if kind == "number" and not _NUMBER.match(value):
        return ("number", "请填写数字", "a number is needed")
    if field.pattern and not re.fullmatch(field.pattern, value):
        return ("pattern", "格式不正确" + (f"（{field.hint}）" if field.hint else ""),
                "wrong format" + (f" ({field.hint})" if field.hint else ""))
    return None
