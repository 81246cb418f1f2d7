"""An online declaration (网上申报) as the wizard builds it, and its submission to the outbox, without Qt.

One `Declaration` holds what a resident has given so far for one service item: who they are (the card
read), the form values (pre-filled from the card, the rest typed), the captured materials, the 容缺
materials they will hand in later, and the delivery choice. The screen only lays it out; every rule lives
here and is tested without a screen:

- `plan_form` says which form fields come from the card (shown masked, read-only) and which the resident
  must still give (required first, then the optional ones). Sections staff fill in (工作人员填写) are never
  asked.
- `Declaration.material_rows` gives one row per catalogue material with its state: captured (with its page
  count), satisfied by the card read (the applicant's own 居民身份证), satisfied by the online form (a
  material named 《…》 after the form template), 容缺 (skipped, hand in later), or still missing.
- `submit` stores it in the outbox (committed before it returns). Personal values (the card's identity,
  every field pre-filled from it or of an ID-number / phone type, names, addresses, account and card
  numbers, the express address and phone) go in the `personal` part; everything else in
  `fields["form"]`. The outbox seals both: typed text such as a business name can hold a name or a phone
  number whatever its field is called; the split only decides where the platform's body carries a value.
  `fields["delivery"]` keeps only the method (and the pick-up place), since the address is personal;
  `fields["attachments"]` comes from kiosk.resident.materials.submission_parts in the same order as the
  pages; `fields["skipped_materials"]` names the 容缺 materials.
- `wait_for_case` polls the outbox for the platform's case number (on a worker thread, cancellable).
- `receipt_data` builds the printed receipt (kiosk/forms/receipt.py) from a stored submission.
"""

from __future__ import annotations

import enum
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, Protocol

from kiosk.forms.prefill import prefill
from kiosk.forms.receipt import ReceiptData
from kiosk.forms.template import FormField, FormTemplate, TemplateError, get_template
from kiosk.forms.validation import FieldProblem, normalise, validate
from kiosk.identity.resident import Resident
from kiosk.platform.sync import SyncStatus
from kiosk.privacy import mask_id_number, mask_name, mask_phone
from kiosk.resident.guides import PAGE_SIZE, GuideRow, Guides
from kiosk.resident.materials import MaterialAttachment, submission_parts
from kiosk.status import NetworkState
from offline_cache.catalog import Catalog
from offline_cache.catalog import Material as Material  # re-exported for the screen (ui imports kiosk only)
from offline_cache.catalog import ServiceItem as ServiceItem
from offline_cache.errors import OutboxItemNotFound
from offline_cache.outbox import Outbox
from offline_cache.outbox import OutboxItem as OutboxItem

# Sections whose title says so are the department's part of the paper form.
STAFF_SECTION_MARK: Final = "工作人员填写"
# The applicant's own ID card, however the catalogue words it; a card read verifies it. Names that
# mention someone else (代理人, 夫妻双方, 父母, 监护人 …) are not among these and must be captured.
CARD_MATERIALS: Final = frozenset({"居民身份证", "本人居民身份证", "申请人居民身份证", "经营者居民身份证"})

_MOBILE: Final = re.compile(r"^1[3-9]\d{9}$")
_PERSONAL_TYPES: Final = frozenset({"id_number", "phone"})
# Field ids and labels that identify a person or reach their money or home: sealed, never in clear.
_PERSONAL_ID_PARTS: Final = ("name", "address", "phone", "id_number", "account", "family", "spouse", "birth")
_NOT_PERSONAL_IDS: Final = frozenset({"business_name", "bank_name"})
_PERSONAL_LABEL_PARTS: Final = ("姓名", "身份", "住址", "地址", "住所", "电话", "手机", "账号", "卡号", "坐落", "出生",
                                "配偶", "家庭")
MIN_ADDRESS_CHARS: Final = 5
CASE_POLL_S: Final = 0.25


class MaterialState(enum.Enum):
    ATTACHED = "attached"  # captured here
    BY_CARD = "by_card"  # the applicant's own ID card: verified by the card read
    BY_FORM = "by_form"  # the application form itself: filled online in the form step
    WAIVED = "waived"  # 容缺: handed in later within the catalogue's terms
    MISSING = "missing"


@dataclass(frozen=True)
class MaterialRow:
    material: Material
    state: MaterialState
    pages: int = 0
    device: str = ""  # an attached one: "camera" or "scanner", so the row says 已拍摄 or 已扫描

    @property
    def optional(self) -> bool:
        return not self.material.required

    @property
    def blocking(self) -> bool:
        """Required, not 容缺-able, and not satisfied: Next waits for it."""
        return self.material.required and not self.material.waivable and self.state is MaterialState.MISSING

    @property
    def capturable(self) -> bool:
        return self.state not in (MaterialState.BY_CARD, MaterialState.BY_FORM)


@dataclass(frozen=True)
class PrefilledField:
    field: FormField
    section: str
    shown: str  # masked where personal


@dataclass(frozen=True)
class AskedField:
    field: FormField
    section: str

    @property
    def required(self) -> bool:
        return self.field.required


@dataclass(frozen=True)
class FormPlan:
    template: FormTemplate
    prefilled: tuple[PrefilledField, ...]
    asked: tuple[AskedField, ...]  # required first, then optional, each in template order
    values: Mapping[str, str]  # the pre-filled values


DeliveryMethod = Literal["pickup", "express"]


@dataclass(frozen=True)
class Delivery:
    method: DeliveryMethod = "pickup"
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Problem:
    """A problem with a value the resident gave, by what it belongs to (a field id, "address", "phone")."""

    key: str
    zh: str
    en: str


class DeclarationIncomplete(ValueError):
    """`submit` was called before the declaration was complete; `problems` say what is missing."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.key}: {p.en}" for p in problems))
        self.problems = problems


# --- the form ---------------------------------------------------------------------------------------

def template_for(item: ServiceItem) -> FormTemplate | None:
    """The item's online form (its first form template), or None when it has none we ship."""
    for form_id in item.forms:
        try:
            return get_template(form_id)
        except TemplateError:
            continue
    return None


def resident_fields(template: FormTemplate) -> Iterable[tuple[str, FormField]]:
    """(section title, field) for every field the resident may fill (not the staff's sections)."""
    for section in template.sections:
        if STAFF_SECTION_MARK in section.title:
            continue
        for field in section.fields:
            yield section.title, field


def is_personal_field(field: FormField) -> bool:
    """True for values that identify the resident (sealed in the outbox, masked on screen)."""
    if field.prefill or field.type in _PERSONAL_TYPES:
        return True
    if field.id in _NOT_PERSONAL_IDS:
        return False
    return any(part in field.id for part in _PERSONAL_ID_PARTS) or any(
        part in field.label for part in _PERSONAL_LABEL_PARTS)


def mask_value(field: FormField, value: str) -> str:
    """How a personal value is shown on the review page: enough to recognise, not to read."""
    if not value or not is_personal_field(field):
        return value
    if field.type == "id_number" or field.prefill == "id_number":
        return mask_id_number(value)
    if field.type == "phone" or field.prefill == "phone":
        return mask_phone(value)
    if field.prefill == "name" or "姓名" in field.label:
        return mask_name(value)
    if field.prefill in ("gender", "nation"):
        return value
    if field.prefill == "birth_date" or field.type == "date":
        return "****-**-**"
    return mask_text(value)


def mask_text(value: str, keep: int = 6) -> str:
    """An address or account: its first few characters (the province and city), the rest starred."""
    value = value.strip()
    if len(value) <= 4:
        return "*" * len(value)
    shown = min(keep, len(value) // 2)
    return value[:shown] + "*" * 6


def _field_problem(template: FormTemplate, field_id: str, value: str) -> FieldProblem | None:
    for problem in validate(template, {field_id: value}):
        if problem.field_id == field_id:
            return problem
    return None


def plan_form(template: FormTemplate, resident: Resident) -> FormPlan:
    """Which fields the card fills (shown masked) and which the resident must give."""
    values = prefill(template, resident)
    masked = resident.masked()
    prefilled: list[PrefilledField] = []
    required: list[AskedField] = []
    optional: list[AskedField] = []
    kept: dict[str, str] = {}
    for section, field in resident_fields(template):
        value = values.get(field.id, "")
        # A card value the form would refuse (too long an address) is asked again rather than sent wrong.
        if value and _field_problem(template, field.id, value) is None:
            kept[field.id] = value
            shown = masked.get(field.prefill, "") or mask_value(field, value)
            prefilled.append(PrefilledField(field, section, shown))
        else:
            (required if field.required else optional).append(AskedField(field, section))
    return FormPlan(template, tuple(prefilled), tuple(required + optional), kept)


def check_field(template: FormTemplate, field_id: str, value: str, *, final: bool = False) -> Problem | None:
    """The problem with one value as the resident types it. While typing (final False) an empty field is
    not yet a problem; at 下一步 (final True) an empty required field is."""
    field = template.field(field_id)
    text = normalise(field, value)
    if not text and not final:
        return None
    problem = _field_problem(template, field_id, text)
    if problem is None:
        return None
    return Problem(field_id, f"{field.label}：{problem.zh}", f"{field.label}: {problem.en}")


# --- materials --------------------------------------------------------------------------------------

def _bare(name: str) -> str:
    text = name.strip().strip("《》")
    return re.sub(r"（[^）]*）|\([^)]*\)", "", text)


def material_is_card(material: Material) -> bool:
    return material.name.strip() in CARD_MATERIALS


def material_is_form(material: Material, template: FormTemplate | None) -> bool:
    """A material named 《…》 after the online form: filling the form step provides it.

    Catalogue and template wording differ a little (《个体工商户登记（备案）申请书》 for the template
    个体工商户设立登记申请书): after dropping parenthesised parts, the same name, or the same opening
    four characters and the same kind of paper (申请书, 登记表 …: the last three) counts as a match.
    """
    if template is None or not (material.name.startswith("《") and material.name.endswith("》")):
        return False
    name, title = _bare(material.name), _bare(template.title)
    return name == title or (len(name) >= 4 and name[:4] == title[:4] and name[-3:] == title[-3:])


# --- delivery ---------------------------------------------------------------------------------------

def mobile_valid(value: str) -> bool:
    return bool(_MOBILE.fullmatch(value.strip().replace(" ", "")))


def delivery_problems(delivery: Delivery, item: ServiceItem) -> list[Problem]:
    if delivery.method == "pickup":
        return []
    problems: list[Problem] = []
    if not item.express:
        problems.append(Problem("method", "此事项不提供快递送达，请选择窗口领取。",
                                "This service cannot be delivered by express: choose pick-up."))
    if len(delivery.address.strip()) < MIN_ADDRESS_CHARS:
        problems.append(Problem("address", "请填写完整的收件地址。", "Please give the full delivery address."))
    if not mobile_valid(delivery.phone):
        problems.append(Problem("phone", "请填写11位手机号码，快递员将联系您。",
                                "Please give an 11-digit mobile number for the courier."))
    return problems


# --- the declaration ----------------------------------------------------------------------------------

class Declaration:
    """Everything one resident gave for one service item; `wipe()` drops it."""

    def __init__(self, item: ServiceItem, resident: Resident) -> None:
        self.item = item
        self.resident = resident
        self.template = template_for(item)
        self.plan = plan_form(self.template, resident) if self.template is not None else None
        self.values: dict[str, str] = dict(self.plan.values) if self.plan is not None else {}
        self.attachments: dict[str, MaterialAttachment] = {}
        self.waived: set[str] = set()
        self.delivery = Delivery(address=resident.address, phone=resident.phone)

    # form

    def set_value(self, field_id: str, value: str) -> None:
        if self.template is None:
            raise KeyError(field_id)
        text = normalise(self.template.field(field_id), value)
        before = self.values.get(field_id, "")
        if text:
            self.values[field_id] = text
        else:
            self.values.pop(field_id, None)
        if field_id == self._phone_field_id() and self.delivery.phone in ("", before):
            # The mobile typed for the form is the courier's number too, digit by digit as it is typed,
            # unless the resident gave the courier another one.
            self.delivery = Delivery(self.delivery.method, self.delivery.address, text)

    def _phone_field_id(self) -> str:
        if self.template is None:
            return ""
        for _section, field in resident_fields(self.template):
            if field.type == "phone" and field.prefill == "phone":
                return field.id
        return ""

    def form_problems(self) -> list[Problem]:
        """Every problem with the form as it stands (empty required fields included)."""
        if self.plan is None or self.template is None:
            return []
        problems: list[Problem] = []
        for asked in self.plan.asked:
            problem = check_field(self.template, asked.field.id, self.values.get(asked.field.id, ""), final=True)
            if problem is not None:
                problems.append(problem)
        return problems

    # materials

    def material_rows(self) -> list[MaterialRow]:
        """Required materials first (in catalogue order), then the optional ones."""
        rows: list[MaterialRow] = []
        for material in self.item.materials:
            attached = self.attachments.get(material.name)
            if material_is_card(material):
                rows.append(MaterialRow(material, MaterialState.BY_CARD))
            elif material_is_form(material, self.template):
                rows.append(MaterialRow(material, MaterialState.BY_FORM))
            elif attached is not None:
                rows.append(MaterialRow(material, MaterialState.ATTACHED, attached.pages, attached.page.device))
            elif material.name in self.waived:
                rows.append(MaterialRow(material, MaterialState.WAIVED))
            else:
                rows.append(MaterialRow(material, MaterialState.MISSING))
        return [r for r in rows if not r.optional] + [r for r in rows if r.optional]

    def materials_complete(self) -> bool:
        return not any(row.blocking for row in self.material_rows())

    def attach(self, attachment: MaterialAttachment) -> None:
        if attachment.service_code != self.item.code:
            raise ValueError("the attachment belongs to another service item")
        self.attachments[attachment.material.name] = attachment
        self.waived.discard(attachment.material.name)

    def waive(self, name: str) -> None:
        """容缺: the resident hands this material in later (only where the catalogue allows it)."""
        material = next((m for m in self.item.materials if m.name == name), None)
        if material is None or not material.waivable:
            raise ValueError(f"material {name!r} of {self.item.code} cannot be handed in later")
        self.attachments.pop(name, None)
        self.waived.add(name)

    def remove(self, name: str) -> None:
        self.attachments.pop(name, None)
        self.waived.discard(name)

    def waived_materials(self) -> list[Material]:
        return [m for m in self.item.materials if m.name in self.waived]

    # delivery

    def set_delivery(self, delivery: Delivery) -> None:
        self.delivery = Delivery(delivery.method, delivery.address.strip(), delivery.phone.strip().replace(" ", ""))

    def delivery_text(self, *, masked: bool = True, english: bool = False) -> str:
        """The delivery line for the review page and the receipt (the address masked); unmasked only for
        the review's hold-to-show, where the resident checks their own address. In English for a screen
        in English (the place and the address stay as written)."""
        if self.delivery.method == "express":
            address, phone = self.delivery.address, self.delivery.phone
            if masked:
                address, phone = mask_text(address), mask_phone(phone)
            return f"Express delivery: {address} ({phone})" if english else f"快递送达：{address}（{phone}）"
        if english:
            return f"Collect at the counter: {self.item.place}" if self.item.place else "Collect at the counter"
        return f"窗口领取：{self.item.place}" if self.item.place else "窗口领取"

    # the whole

    def problems(self) -> list[Problem]:
        problems = list(self.form_problems())
        for row in self.material_rows():
            if row.blocking:
                problems.append(Problem(f"material:{row.material.name}", f"请提交材料：{row.material.name}",
                                        f"Material missing: {row.material.name}"))
        return problems + delivery_problems(self.delivery, self.item)

    def submission_fields(self) -> dict[str, Any]:
        """The non-personal part of the outbox item (the platform's `form`); sealed at rest like the rest."""
        form: dict[str, str] = {}
        if self.template is not None:
            for _section, field in resident_fields(self.template):
                value = self.values.get(field.id, "")
                if value and not is_personal_field(field):
                    form[field.id] = value
        _pages, entries = submission_parts(self._attachments_in_order())
        delivery: dict[str, str] = {"method": self.delivery.method}
        if self.delivery.method == "pickup" and self.item.place:
            delivery["place"] = self.item.place
        fields: dict[str, Any] = {
            "form": form,
            "delivery": delivery,
            "attachments": entries,
            "skipped_materials": [{"material": m.name, "note": m.note} for m in self.waived_materials()],
            "verified_by_card": [r.material.name for r in self.material_rows() if r.state is MaterialState.BY_CARD],
            "identified_by": self.resident.source.value,
        }
        if self.template is not None:
            fields["form_id"] = self.template.id
            fields["form_version"] = self.template.version
        return fields

    def submission_personal(self) -> dict[str, Any]:
        """The sealed part: the card's identity, the personal form values, the express address and phone."""
        r = self.resident
        personal: dict[str, Any] = {
            "name": r.name,
            "id_number": r.id_number,
            "gender": r.gender.label,
            "birth_date": r.birth_date.isoformat() if r.birth_date else "",
            "nation": r.nation,
            "address": r.address,
            "identified_by": r.source.value,
        }
        phone = self.values.get(self._phone_field_id(), "") or self.delivery.phone or r.phone
        if phone:
            personal["phone"] = phone
        if self.template is not None:
            personal["form"] = {
                field.id: self.values[field.id]
                for _section, field in resident_fields(self.template)
                if self.values.get(field.id) and is_personal_field(field)
            }
        if self.delivery.method == "express":
            personal["delivery"] = {"address": self.delivery.address, "phone": self.delivery.phone,
                                    "recipient": r.name}
        return personal

    def _attachments_in_order(self) -> list[MaterialAttachment]:
        return [self.attachments[m.name] for m in self.item.materials if m.name in self.attachments]

    def receipt_materials(self) -> tuple[str, ...]:
        lines: list[str] = []
        for row in self.material_rows():
            name = row.material.name
            if row.state is MaterialState.ATTACHED:
                lines.append(f"{name}（{captured_text(row.device, row.pages)[0].replace(' ', '')}）")
            elif row.state is MaterialState.BY_CARD:
                lines.append(f"{name}（已通过读卡核验）")
            elif row.state is MaterialState.BY_FORM:
                lines.append(f"{name}（已在线填写）")
            elif row.state is MaterialState.WAIVED:
                lines.append(f"{name}（容缺，须按规定补交{_later_terms(row.material)}）")
        return tuple(lines)

    def wipe(self) -> None:
        """Drops every value and image this declaration holds (the object is not used again)."""
        self.values.clear()
        self.attachments.clear()
        self.waived.clear()
        self.delivery = Delivery()


def _later_terms(material: Material) -> str:
    """The catalogue's own words on when a 容缺 material must follow, if its note says."""
    clauses = [c for c in re.split(r"[，。；,;]", material.note) if "补交" in c]
    # A clause with a time limit ("请在5个工作日内补交") says more than one without ("可后补交").
    timed = [c for c in clauses if re.search(r"\d", c)]
    chosen = (timed or clauses or [""])[0].strip()
    return f"：{chosen}" if chosen else ""


def captured_text(device: str, pages: int) -> tuple[str, str]:
    """已拍摄 / 已扫描 N页 (Chinese, English), as the pages were taken: a scanned page is not a photo."""
    plural = "s" if pages != 1 else ""
    if device == "scanner":
        return f"已扫描 {pages}页", f"Scanned, {pages} page{plural}"
    return f"已拍摄 {pages}页", f"Photographed, {pages} page{plural}"


# Catalogue notes that describe handing a material in some other way (signing online, a portal, an
# app, an import): true of the service in general, but at this terminal the ways are camera and scanner.
_OTHER_WAY_WORDS: Final = ("在线", "线上", "网上", "登录", "导入", "APP", "系统", "浙里办")
CAPTURE_HINT: Final = ("在本机请拍照或扫描提交。", "Here: use the camera or the scanner.")


def capture_note(material: Material) -> tuple[str, str]:
    """The hint a material's row shows on the capture step (Chinese, English): the catalogue's note,
    unless it points to a way this terminal does not offer; then how to hand it in here."""
    note = material.note
    if note and not any(word in note.upper() for word in _OTHER_WAY_WORDS):
        return note, ""
    if material.form == "electronic" or note:
        return CAPTURE_HINT
    return "", ""


def later_terms(material: Material) -> str:
    """Public: the note part that says when a 容缺 material is due (empty when the note is silent)."""
    return _later_terms(material).lstrip("：")


# --- storing and after -----------------------------------------------------------------------------------

def submit(outbox: Outbox, declaration: Declaration) -> OutboxItem:
    """Stores the declaration; committed to disk before it returns. Blocking: call it on a worker.

    Raises DeclarationIncomplete when something is still missing, and the outbox's storage errors
    (DiskFullError …) as they are: the caller tells the resident nothing was submitted.
    """
    problems = declaration.problems()
    if problems:
        raise DeclarationIncomplete(problems)
    pages, _entries = submission_parts(declaration._attachments_in_order())
    return outbox.add_submission(declaration.item.code, declaration.submission_fields(),
                                 declaration.submission_personal(), pages)


def wait_for_case(
    outbox: Outbox, item_uuid: str, timeout_s: float, *, cancel: threading.Event | None = None,
    step_s: float = CASE_POLL_S, clock: Callable[[], float] = time.monotonic,
) -> str | None:
    """Polls the outbox until the sync engine records the platform's case number; None on timeout or cancel.

    Blocking (waits in steps of `step_s`): call it on a worker thread.
    """
    event = cancel if cancel is not None else threading.Event()
    deadline = clock() + timeout_s
    while True:
        try:
            case_no = outbox.get(item_uuid).case_no
        except OutboxItemNotFound:
            return None
        if case_no:
            return case_no
        if clock() >= deadline or event.wait(step_s):
            return None


def receipt_data(declaration: Declaration, item: OutboxItem, *, terminal_id: str, station: str,
                 case_no: str = "", hotline: str = "12345") -> ReceiptData:
    """The printed receipt of a stored submission (the receipt masks the name and ID number itself)."""
    received: datetime = item.created_at.astimezone()
    return ReceiptData(
        receipt_no=item.receipt_no,
        terminal_id=terminal_id,
        station=station,
        service_name=declaration.item.name,
        service_code=declaration.item.code,
        received_at=received,
        case_no=case_no or (item.case_no or ""),
        applicant_name=declaration.resident.name,
        applicant_id_number=declaration.resident.id_number,
        materials=declaration.receipt_materials(),
        delivery=declaration.delivery_text(),
        hotline=hotline,
    )


# --- choosing the service ----------------------------------------------------------------------------

def declarable_rows(guides: Guides, catalog: Catalog, query: str, limit: int = PAGE_SIZE) -> list[GuideRow]:
    """Search results (as the guide screen shows them) limited to items this terminal can declare.

    The search runs wider than one page and drops the rest: a page of 20 may hold few declarable items.
    """
    rows: list[GuideRow] = []
    for row in guides.search(query, limit=limit * 8):
        item = catalog.get(row.code)
        if item is not None and item.declarable_here:
            rows.append(row)
            if len(rows) >= limit:
                break
    return rows


# --- after the submission -------------------------------------------------------------------------------

class _Sync(Protocol):
    def wake(self) -> None: ...

    def status(self) -> SyncStatus: ...


# Link states in which no case number can come back now: the declaration waits in the outbox.
_NO_CASE_NUMBER_SOON: Final = frozenset(
    {NetworkState.DISABLED, NetworkState.OFFLINE, NetworkState.CREDENTIALS_REFUSED})


@dataclass(frozen=True)
class CaseWait:
    """What `await_case` found: the case number (or None) and whether the platform looked reachable."""

    case_no: str | None
    network: NetworkState

    @property
    def offline(self) -> bool:
        return self.case_no is None and self.network in _NO_CASE_NUMBER_SOON


def await_case(outbox: Outbox, sync: _Sync, item_uuid: str, timeout_s: float, *,
               cancel: threading.Event | None = None) -> CaseWait:
    """Wakes the sync engine and, when a platform is configured and not known to be down, waits up to
    `timeout_s` for the case number. Blocking: call it on a worker thread."""
    sync.wake()
    network = sync.status().network
    if network in _NO_CASE_NUMBER_SOON:
        return CaseWait(None, network)
    case_no = wait_for_case(outbox, item_uuid, timeout_s, cancel=cancel)
    return CaseWait(case_no, NetworkState.ONLINE if case_no else sync.status().network)
