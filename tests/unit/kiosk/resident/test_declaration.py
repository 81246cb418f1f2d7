"""The online declaration's rules without a screen: which fields are asked, which materials are satisfied
how, what goes in clear and what is sealed, and waiting for the case number."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import sample_catalog_path
from kiosk.forms.template import get_template
from kiosk.identity.resident import Gender, IdentitySource, Resident
from kiosk.platform.sync import SyncStatus
from kiosk.resident.declaration import (
    Declaration,
    DeclarationIncomplete,
    Delivery,
    MaterialState,
    await_case,
    check_field,
    declarable_rows,
    delivery_problems,
    is_personal_field,
    material_is_form,
    plan_form,
    receipt_data,
    submit,
    template_for,
    wait_for_case,
)
from kiosk.resident.guides import Guides
from kiosk.resident.materials import MaterialAttachment, attach
from kiosk.status import NetworkState
from offline_cache.catalog import ServiceItem, parse_items
from offline_cache.store import OfflineCache

NAME = "测试样例"
ID_NUMBER = "330106199003070014"
ADDRESS = "浙江省杭州市西湖区测试路1号"
PURCHASE = "330000-GJJ-GG-0001"  # 住房公积金提取（购房）: form, two captured materials and one 容缺
BUSINESS = "330000-SJ-QR-0001"  # 个体工商户设立登记: form material 《…》, express


@pytest.fixture(scope="module")
def items() -> dict[str, ServiceItem]:
    raw = json.loads(sample_catalog_path().read_text(encoding="utf-8"))["items"]
    return {item.code: item for item in parse_items(raw)}


@pytest.fixture
def resident() -> Resident:
    return Resident(source=IdentitySource.ID_CARD, name=NAME, id_number=ID_NUMBER, gender=Gender.MALE,
                    birth_date=dt.date(1990, 3, 7), nation="汉", address=ADDRESS)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[OfflineCache]:
    opened = OfflineCache.open(tmp_path, terminal_id="T0001")
    yield opened
    opened.close()


def page(colour: str = "white") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def attachment(item: ServiceItem, material: str, colour: str = "white") -> MaterialAttachment:
    return attach(page(colour), item=item, material=material, device="camera",
                  captured_at=dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC), identified_by_card=True)


def filled(items: dict[str, ServiceItem], resident: Resident) -> Declaration:
    declaration = Declaration(items[PURCHASE], resident)
    for field_id, value in {"phone": "13912345678", "account_no": "12345678", "employer": "示例公司",
                            "reason": "购买商品住房", "house_address": "杭州市西湖区某小区1幢", "amount": "100000",
                            "bank_name": "示例银行", "bank_account": "6222000011112222"}.items():
        declaration.set_value(field_id, value)
    declaration.attach(attachment(items[PURCHASE], "购房合同或不动产权证书"))
    declaration.attach(attachment(items[PURCHASE], "本人银行卡或银行账户信息", "grey"))
    declaration.waive("购房发票或契税完税凭证")
    return declaration


def test_the_card_fills_what_it_can_and_only_the_rest_is_asked(resident: Resident) -> None:
    plan = plan_form(get_template("gongjijin_tiqu"), resident)
    prefilled = {p.field.id: p.shown for p in plan.prefilled}
    assert set(prefilled) == {"name", "id_number", "address"}
    assert prefilled["id_number"] == "330106********0014"
    assert NAME not in prefilled.values()
    assert ADDRESS not in prefilled.values()
    asked = [a.field.id for a in plan.asked]
    assert "phone" in asked  # the ID card carries no phone
    assert "approve_note" not in asked
    assert "approved_amount" not in asked  # staff's section
    required = [a.required for a in plan.asked]
    assert required == sorted(required, reverse=True)  # required first, optional after
    assert plan.values["name"] == NAME


def test_a_field_is_checked_as_typed_and_required_only_at_next() -> None:
    template = get_template("gongjijin_tiqu")
    assert check_field(template, "phone", "") is None
    problem = check_field(template, "phone", "", final=True)
    assert problem is not None
    assert "必填" in problem.zh
    assert "required" in problem.en
    problem = check_field(template, "phone", "1391234")
    assert problem is not None
    assert "电话号码不正确" in problem.zh
    assert check_field(template, "phone", "13912345678") is None


def test_materials_by_card_by_form_captured_and_waived(items: dict[str, ServiceItem], resident: Resident) -> None:
    business = Declaration(items[BUSINESS], resident)
    states = {r.material.name: r.state for r in business.material_rows()}
    assert states["经营者居民身份证"] is MaterialState.BY_CARD
    assert states["《个体工商户登记（备案）申请书》"] is MaterialState.BY_FORM
    assert states["经营场所使用证明"] is MaterialState.MISSING
    assert business.materials_complete()  # the missing one is 容缺: it does not block
    rows = business.material_rows()
    assert rows[-1].optional
    assert not any(r.optional for r in rows[:-1])

    purchase = Declaration(items[PURCHASE], resident)
    assert not purchase.materials_complete()
    with pytest.raises(ValueError, match="cannot be handed in later"):
        purchase.waive("购房合同或不动产权证书")  # not 容缺
    purchase.attach(attachment(items[PURCHASE], "购房合同或不动产权证书"))
    purchase.attach(attachment(items[PURCHASE], "本人银行卡或银行账户信息"))
    assert purchase.materials_complete()
    purchase.waive("购房发票或契税完税凭证")
    row = next(r for r in purchase.material_rows() if r.material.name == "购房合同或不动产权证书")
    assert row.state is MaterialState.ATTACHED
    assert row.pages == 1


def test_form_material_matching(items: dict[str, ServiceItem]) -> None:
    pension = items["330000-RS-QR-0001"]
    template = template_for(pension)
    form_material = next(m for m in pension.materials if m.name.startswith("《"))
    assert material_is_form(form_material, template)
    assert not material_is_form(form_material, get_template("shengyu_dengji"))
    assert not material_is_form(pension.materials[0], template)


def test_express_needs_an_address_and_a_mobile(items: dict[str, ServiceItem]) -> None:
    item = items[BUSINESS]
    assert delivery_problems(Delivery(), item) == []
    keys = [p.key for p in delivery_problems(Delivery("express", ADDRESS, "1391234"), item)]
    assert keys == ["phone"]
    assert delivery_problems(Delivery("express", ADDRESS, "13912345678"), item) == []
    assert [p.key for p in delivery_problems(Delivery("express", ADDRESS, "13912345678"), items[PURCHASE])] == [
        "method"]


def test_the_courier_number_follows_the_forms_mobile_as_it_is_typed(
        items: dict[str, ServiceItem], resident: Resident) -> None:
    declaration = Declaration(items[BUSINESS], resident)
    typed = ""
    for digit in "13912345678":  # key by key on the digit pad, as a resident types it
        typed += digit
        declaration.set_value("phone", typed)
    assert declaration.delivery.phone == "13912345678"
    declaration.set_delivery(Delivery("express", ADDRESS, "13800001111"))  # another number for the courier
    declaration.set_value("phone", "13912345670")
    assert declaration.delivery.phone == "13800001111"


def test_personal_fields() -> None:
    template = get_template("gongjijin_tiqu")
    personal = {f.id for f in template.fields() if is_personal_field(f)}
    assert {"name", "phone", "id_number", "address", "account_no", "bank_account", "house_address"} <= personal
    assert not {"reason", "amount", "employer", "bank_name"} & personal


def test_submit_stores_clear_fields_sealed_personal_and_pages(
    cache: OfflineCache, items: dict[str, ServiceItem], resident: Resident,
) -> None:
    declaration = filled(items, resident)
    assert declaration.problems() == []
    stored = submit(cache.outbox, declaration)
    item = cache.outbox.get(stored.uuid)
    assert item.service_code == PURCHASE
    fields = cache.outbox.read_fields(item.uuid)
    assert fields["form"] == {"employer": "示例公司", "reason": "购买商品住房", "amount": "100000",
                              "bank_name": "示例银行"}
    assert fields["delivery"]["method"] == "pickup"
    assert [a["material"] for a in fields["attachments"]] == ["购房合同或不动产权证书", "本人银行卡或银行账户信息"]
    assert [s["material"] for s in fields["skipped_materials"]] == ["购房发票或契税完税凭证"]
    assert len(item.attachments) == 2
    assert all(a.identified_by_card for a in item.attachments)
    clear = json.dumps(fields, ensure_ascii=False)
    for secret in (NAME, ID_NUMBER, "13912345678", "6222000011112222", ADDRESS):
        assert secret not in clear
    personal = cache.outbox.read_personal(item.uuid)
    assert personal["name"] == NAME
    assert personal["id_number"] == ID_NUMBER
    assert personal["phone"] == "13912345678"
    assert personal["form"]["bank_account"] == "6222000011112222"

    receipt = receipt_data(declaration, item, terminal_id="T0001", station="示例社区服务中心")
    assert receipt.receipt_no == item.receipt_no
    assert receipt.case_no == ""
    assert any("容缺" in m for m in receipt.materials)
    assert any("已通过读卡核验" in m for m in receipt.materials)
    declaration.wipe()
    assert declaration.values == {}
    assert declaration.attachments == {}


def test_express_address_is_sealed(cache: OfflineCache, items: dict[str, ServiceItem], resident: Resident) -> None:
    declaration = Declaration(items[BUSINESS], resident)
    for field_id, value in {"phone": "13912345678", "form": "个人经营", "premises": "杭州市西湖区某路2号",
                            "scope": "日用百货零售", "capital": "5"}.items():
        declaration.set_value(field_id, value)
    declaration.set_delivery(Delivery("express", ADDRESS, "13912345678"))
    item = submit(cache.outbox, declaration)
    assert cache.outbox.read_fields(item.uuid)["delivery"] == {"method": "express"}
    assert cache.outbox.read_personal(item.uuid)["delivery"]["address"] == ADDRESS
    assert ADDRESS not in declaration.delivery_text()


def test_the_delivery_line_reads_in_english_for_a_screen_in_english(
    items: dict[str, ServiceItem], resident: Resident,
) -> None:
    declaration = Declaration(items[BUSINESS], resident)
    place = items[BUSINESS].place
    assert declaration.delivery_text(english=True) == (f"Collect at the counter: {place}" if place
                                                        else "Collect at the counter")
    declaration.set_delivery(Delivery("express", ADDRESS, "13912345678"))
    english = declaration.delivery_text(english=True)
    assert english.startswith("Express delivery: ")
    assert "139****5678" in english
    assert ADDRESS not in english
    assert "（" not in english  # full-width brackets are the Chinese line's
    assert ADDRESS in declaration.delivery_text(masked=False, english=True)


def test_an_incomplete_declaration_is_refused(
    cache: OfflineCache, items: dict[str, ServiceItem], resident: Resident,
) -> None:
    with pytest.raises(DeclarationIncomplete) as caught:
        submit(cache.outbox, Declaration(items[PURCHASE], resident))
    keys = {p.key for p in caught.value.problems}
    assert "phone" in keys
    assert "material:购房合同或不动产权证书" in keys
    assert cache.outbox.stats().depth == 0


def test_wait_for_case_returns_the_number_once_recorded(
    cache: OfflineCache, items: dict[str, ServiceItem], resident: Resident,
) -> None:
    item = submit(cache.outbox, filled(items, resident))
    ticks = iter(range(100))
    assert wait_for_case(cache.outbox, item.uuid, 3, step_s=0, clock=lambda: float(next(ticks))) is None
    cache.outbox.mark_sending(item.uuid)
    cache.outbox.mark_accepted(item.uuid, case_no="RP2026112700000042", answer={})
    assert wait_for_case(cache.outbox, item.uuid, 3, step_s=0) == "RP2026112700000042"
    cancel = threading.Event()
    cancel.set()
    other = submit(cache.outbox, filled(items, resident))
    assert wait_for_case(cache.outbox, other.uuid, 60, cancel=cancel) is None


def test_only_declarable_items_are_offered(cache: OfflineCache) -> None:
    cache.catalog.import_file(sample_catalog_path())
    rows = declarable_rows(Guides(cache), cache.catalog, "")
    assert rows
    for row in rows:
        found = cache.catalog.get(row.code)
        assert found is not None
        assert found.declarable_here
    assert any(r.code == PURCHASE for r in declarable_rows(Guides(cache), cache.catalog, "公积金"))


class _Sync:
    """The sync engine as `await_case` sees it, with a link state of the test's choosing."""

    def __init__(self, network: NetworkState) -> None:
        self.network = network
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1

    def status(self) -> SyncStatus:
        return SyncStatus(network=self.network, depth=1, oldest_unsent_at=None, rejected=0, last_contact=None,
                          last_error=None, running=True)


@pytest.mark.parametrize("network", [NetworkState.OFFLINE, NetworkState.CREDENTIALS_REFUSED, NetworkState.DISABLED])
def test_no_wait_for_a_case_number_that_cannot_come(cache: OfflineCache, network: NetworkState) -> None:
    item = cache.outbox.add_submission("S", {}, {"name": NAME})
    sync = _Sync(network)
    started = time.monotonic()
    wait = await_case(cache.outbox, sync, item.uuid, timeout_s=30)
    assert time.monotonic() - started < 5
    assert sync.woken == 1
    assert wait.case_no is None
    assert wait.offline  # the resident is told it is kept here and sent later
