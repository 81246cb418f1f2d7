"""The bundled sample catalogue (kiosk/data/sample_catalog.json) and the benchmark catalogue generator.

Shape: docs/catalog-format.md.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]

ITEM_TYPES: dict[str, type | tuple[type, ...]] = {
    "code": str,
    "name": str,
    "department": str,
    "category": str,
    "audience": str,
    "summary": str,
    "conditions": list,
    "materials": list,
    "steps": list,
    "legal_limit_days": int,
    "promised_limit_days": int,
    "fees": str,
    "place": str,
    "hours": str,
    "phones": dict,
    "visits": int,
    "online": bool,
    "express": bool,
    "declarable_here": bool,
    "forms": list,
    "legal_basis": list,
    "popularity": int,
}
MATERIAL_TYPES: dict[str, type] = {
    "name": str,
    "copies": str,
    "form": str,
    "required": bool,
    "waivable": bool,
    "note": str,
}
REQUIRED_THEMES = {
    "户籍", "社保", "医保", "公积金", "婚姻", "生育", "不动产", "交通", "出入境", "税务", "市场监管", "教育", "民政",
}
EXPECTED_FORMS = {
    "生育登记": ["shengyu_dengji"],
    "城乡居民基本养老保险参保登记": ["yanglao_canbao"],
    "住房公积金提取（购房）": ["gongjijin_tiqu"],
    "住房公积金提取（租房）": ["gongjijin_tiqu"],
    "无犯罪记录证明申请": ["wufanzui_zhengming"],
    "个体工商户设立登记": ["geti_sheli"],
}
KNOWN_NAMES = [
    "居民身份证换领", "居民身份证挂失补领", "临时居民身份证申领", "户口迁移（投靠）", "出生登记", "死亡注销户口",
    "社会保障卡申领", "社会保障卡挂失", "职工医保异地就医备案", "住房公积金缴存证明打印", "不动产登记资料查询",
    "结婚登记", "离婚登记", "往来港澳通行证签注（再次签注）", "普通护照签发", "机动车驾驶证换证",
    "个人所得税完税证明开具", "最低生活保障申请", "高龄津贴申请", "残疾人证申领", "义务教育入学报名",
    "流动人口居住登记",
]
PLACEHOLDER = re.compile(r"材料\d|TODO|FIXME|xxx|XXX|lorem|占位|待补充|\?\?|示例文本", re.IGNORECASE)
PHONE = re.compile(r"^(0\d{2,3}-\d{7,8}|12345)$")


def _check_item(item: dict[str, Any]) -> None:
    """Every ITEM field present with the right type and a sane value."""
    assert set(item) == set(ITEM_TYPES), item.get("name")
    for key, typ in ITEM_TYPES.items():
        value = item[key]
        assert isinstance(value, typ), (item["name"], key)
        if typ is int:
            assert not isinstance(value, bool), (item["name"], key)
    for key in ("code", "name", "department", "category", "summary", "fees", "place", "hours"):
        assert item[key].strip(), (item["name"], key)
    assert item["audience"] in ("personal", "enterprise")
    assert 0 <= item["promised_limit_days"] <= item["legal_limit_days"], item["name"]
    assert 0 <= item["visits"] <= 2
    assert item["popularity"] >= 0
    assert set(item["phones"]) == {"consult", "complaint"}
    assert all(PHONE.match(p) for p in item["phones"].values()), item["phones"]
    for key in ("conditions", "steps", "legal_basis", "forms"):
        assert all(isinstance(s, str) and s.strip() for s in item[key]), (item["name"], key)
    for key in ("conditions", "materials", "steps", "legal_basis"):
        assert item[key], (item["name"], key)
    for mat in item["materials"]:
        assert set(mat) - {"licence_types"} == set(MATERIAL_TYPES), item["name"]
        assert mat.get("licence_types", ["x"]), (item["name"], mat["name"])  # left out rather than empty
        for key, typ in MATERIAL_TYPES.items():
            assert isinstance(mat[key], typ), (item["name"], key)
        assert mat["form"] in ("paper", "electronic", "either")
        # 容缺 lets a required material be supplied after acceptance; an optional one needs no such mark.
        assert mat["required"] or not mat["waivable"], (item["name"], mat["name"])
        assert mat["name"].strip()
        assert mat["copies"].strip()


# --------------------------------------------------------------------------------------------------------------
# Bundled sample catalogue
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    resource = files("kiosk").joinpath("data", "sample_catalog.json")
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def items(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = catalog["items"]
    return result


def test_header(catalog: dict[str, Any]) -> None:
    assert catalog["sample"] is True
    assert catalog["format"] == 1
    assert catalog["catalog_version"] == 1
    assert set(catalog) == {"format", "catalog_version", "sample", "items"}


def test_size_and_unique_codes_and_names(items: list[dict[str, Any]]) -> None:
    assert len(items) >= 150
    codes = [i["code"] for i in items]
    assert len(set(codes)) == len(codes)
    names = [i["name"] for i in items]
    assert len(set(names)) == len(names)


def test_code_scheme(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert re.fullmatch(r"330000-[A-Z]{2,3}-[A-Z]{2}-\d{4}", item["code"]), item["code"]


def test_every_item_well_formed(items: list[dict[str, Any]]) -> None:
    for item in items:
        _check_item(item)


def test_themes_and_audiences(items: list[dict[str, Any]]) -> None:
    categories = Counter(i["category"] for i in items)
    assert set(categories) >= REQUIRED_THEMES, REQUIRED_THEMES - set(categories)
    assert len(categories) >= len(REQUIRED_THEMES) + 3
    audiences = Counter(i["audience"] for i in items)
    assert audiences["personal"] > audiences["enterprise"] >= 20


def test_known_items_present(items: list[dict[str, Any]]) -> None:
    names = {i["name"] for i in items}
    assert not [n for n in KNOWN_NAMES if n not in names]


def test_waivable_materials(items: list[dict[str, Any]]) -> None:
    with_waivable = [i for i in items if any(m["waivable"] for m in i["materials"])]
    assert len(with_waivable) >= 30


def test_forms(items: list[dict[str, Any]]) -> None:
    by_name = {i["name"]: i for i in items}
    for name, forms in EXPECTED_FORMS.items():
        assert by_name[name]["forms"] == forms, name
        assert by_name[name]["declarable_here"], name
    others = [i["name"] for i in items if i["forms"] and i["name"] not in EXPECTED_FORMS]
    assert others == []


def test_no_placeholder_text(items: list[dict[str, Any]]) -> None:
    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for item in items:
        for text in strings(item):
            assert not PLACEHOLDER.search(text), (item["name"], text)


def test_plausible_values(items: list[dict[str, Any]]) -> None:
    # Most items are free of charge; most need at most one visit; some need none.
    assert sum(i["fees"] == "不收费" for i in items) > len(items) / 2
    visits = Counter(i["visits"] for i in items)
    assert visits[1] > visits[0] > 0
    # A zero-visit item has to be declarable online.
    assert all(i["online"] for i in items if i["visits"] == 0)
    # Legal bases cite documents by their title.
    assert all("《" in b and "》" in b for i in items for b in i["legal_basis"])
    # Common items rank above rare ones.
    pop = {i["name"]: i["popularity"] for i in items}
    assert pop["居民身份证换领"] > pop["补领离婚证"]
    assert pop["社会保障卡申领"] > pop["收养登记"]
    assert pop["住房公积金提取（租房）"] > pop["单位住房公积金缴存登记"]
    # Items are not copies of each other.
    assert len({i["summary"] for i in items}) == len(items)
    assert len({tuple(i["steps"]) for i in items}) == len(items)


def test_bundled_file_matches_its_generator() -> None:
    script = REPO / "scripts" / "make_sample_catalog.py"
    if not script.exists():
        pytest.skip("generator script not in this tree")
    module = _load(script, "make_sample_catalog")
    bundled = files("kiosk").joinpath("data", "sample_catalog.json").read_text(encoding="utf-8")
    assert module.render() == bundled, "run scripts/make_sample_catalog.py"


# --------------------------------------------------------------------------------------------------------------
# Benchmark generator
# --------------------------------------------------------------------------------------------------------------


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class body is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


@pytest.fixture(scope="module")
def make_catalog() -> ModuleType:
    return _load(REPO / "bench" / "make_catalog.py", "bench_make_catalog")


def test_generate_is_deterministic_and_well_formed(make_catalog: ModuleType) -> None:
    first = make_catalog.generate(1000, seed=3)
    second = make_catalog.generate(1000, seed=3)
    assert first == second
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    assert make_catalog.generate(1000, seed=4) != first
    assert len(first) == 1000
    codes = [i["code"] for i in first]
    assert len(set(codes)) == len(codes)
    for item in first:
        _check_item(item)
    names = {i["name"] for i in first}
    assert 500 < len(names) < 800  # about 63 % distinct, like the 60,000-item benchmark catalogue
    assert {i["audience"] for i in first} == {"personal", "enterprise"}


def test_generate_edge_counts(make_catalog: ModuleType) -> None:
    assert make_catalog.generate(0) == []
    assert len(make_catalog.generate(1)) == 1


def test_catalogue_cli(make_catalog: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    assert make_catalog.main(["--count", "200", "--out", str(out), "--seed", "3"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["sample"] is True
    assert data["format"] == 1
    assert data["items"] == make_catalog.generate(200, seed=3)


def test_licence_types_are_those_of_the_reference_platforms_sample_licences(items: list[dict[str, Any]]) -> None:
    from reference_platform import samples

    names = {lic.type_code: lic.name for lic in samples.LICENCES}
    cited = {(mat["name"], code) for item in items for mat in item["materials"]
             for code in mat.get("licence_types", ())}
    assert {name for name, _ in cited} >= {"居民户口簿", "结婚证", "不动产权证书", "营业执照"}
    for material_name, code in cited:
        assert names[code] in material_name, (material_name, code)
