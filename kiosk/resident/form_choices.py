"""What the form-printing screen offers and previews, without Qt.

`form_choices` lists the bundled form templates with the names of the services they belong to (from the
catalogue, or the bundled sample before the first import); `preview_rows` says, section by section, what
the printed form will carry, with every personal value masked (the screen needs no full value: the paper
carries it); `form_print_request` builds the PrintRequest the print screen runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import sample_catalog_path
from kiosk.forms.prefill import prefill
from kiosk.forms.renderer import render_form
from kiosk.forms.template import FormTemplate, bundled_templates
from kiosk.identity.resident import Resident
from kiosk.resident.print_jobs import PrintRequest

# code -> service name, or None when the catalogue does not know the code.
ServiceLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class FormChoice:
    template: FormTemplate
    service_names: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.template.id


@dataclass(frozen=True)
class PreviewRow:
    section: str
    label: str
    value: str  # masked where personal; "" for a field the resident fills in by hand
    prefilled: bool


def sample_service_names() -> dict[str, str]:
    """code -> name from the bundled sample catalogue."""
    items = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]
    return {str(item["code"]): str(item["name"]) for item in items}


def form_choices(lookup: ServiceLookup | None = None) -> list[FormChoice]:
    """Every bundled form, sorted by title, with the names of its services (codes the lookup lacks are left out)."""
    if lookup is None:
        names = sample_service_names()
        lookup = names.get
    choices = []
    for template in bundled_templates().values():
        services = tuple(name for code in template.services if (name := lookup(code)))
        choices.append(FormChoice(template, services))
    return sorted(choices, key=lambda c: c.template.id)


def prefill_values(template: FormTemplate, resident: Resident | None) -> dict[str, str]:
    """The form's values from the resident's card; empty for a blank form."""
    return {} if resident is None else prefill(template, resident)


def preview_rows(template: FormTemplate, values: Mapping[str, str], resident: Resident | None) -> list[PreviewRow]:
    """One row per field. A value that came from the card is shown as the resident's masked display value."""
    masked = resident.masked() if resident is not None else {}
    rows = []
    for section in template.sections:
        for field in section.fields:
            value = values.get(field.id, "")
            shown = ""
            if value:
                # Never show a full personal value: only the card's masked form, or a placeholder.
                shown = masked.get(field.prefill, "") if field.prefill else "已填写"
                shown = shown or "已填写"
            rows.append(PreviewRow(section.title, field.label, shown, bool(value)))
    return rows


def form_print_request(template: FormTemplate, values: Mapping[str, str]) -> PrintRequest:
    """The print job for this form: rendered only on the printer's worker, then removed."""
    frozen = dict(values)
    kind, kind_en = ("预填", "Pre-filled") if frozen else ("空白", "Blank")

    def render(path: Path) -> object:
        return render_form(template, path, frozen, allow_overflow=True)

    return PrintRequest(title=template.title, render=render, description=f"{kind}表格 · {template.department}",
                        title_en=template.title_en, description_en=f"{kind_en} form · {template.department}",
                        back_to="forms")
