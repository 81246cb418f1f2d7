"""Sample electronic licences and certificates for the sample identities (dev and test only).

The holders are the made-up people of the demo cards and the card fixtures (drivers/idcard/demo_card.py,
drivers/citizencard/demo_card.toml, tests/fixtures/idcard/*.json). Department codes, type codes and numbers
are invented: they have the form of the real ones (a unified social credit code with a valid check character,
a type code after GB/T 36902, an identifier after GB/T 36904) and belong to nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reference_platform.validation import make_licence_id

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc(body: str) -> str:
    """A unified social credit code: `body` (17 characters) and its GB 32100 check character."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class Department:
    """An issuing authority: it signs what it issues with its own certificate of the test authority."""

    name: str
    code: str
    place: str  # the signature's /Location

    def as_issuer(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code}


# The departments that define licence types (the first 18 characters of a type code).
_MPS = uscc("11100000MB0143028")  # 公安 (sample)
_MCA = uscc("11100000MB0165371")  # 民政 (sample)
_MNR = uscc("11100000MB0174562")  # 自然资源 (sample)
_SAMR = uscc("11100000MB0183659")  # 市场监管 (sample)
_MOHRSS = uscc("11100000MB0192745")  # 人力社保 (sample)
_MOE = uscc("11100000MB0201836")  # 教育 (sample)

HUKOU = _MPS + "001"  # 居民户口簿
MARRIAGE = _MCA + "001"  # 结婚证
REAL_ESTATE = _MNR + "001"  # 不动产权证书
BUSINESS = _SAMR + "001"  # 营业执照
DEGREE = _MOE + "001"  # 学位证书 (kept as OFD only)
NO_CRIMINAL_RECORD = _MPS + "101"  # 无犯罪记录证明
MARRIAGE_RECORD = _MCA + "101"  # 婚姻登记记录证明
INSURED = _MOHRSS + "101"  # 参保证明

XIHU_POLICE = Department("杭州市公安局西湖分局", uscc("11330106MB1777772"), "杭州市西湖区")
SHANGCHENG_POLICE = Department("杭州市公安局上城分局", uscc("11330102MB1833468"), "杭州市上城区")
JINGNING_POLICE = Department("景宁畲族自治县公安局", uscc("11331127MB1844549"), "丽水市景宁畲族自治县")
XIHU_CIVIL = Department("杭州市西湖区民政局", uscc("11330106MB1788851"), "杭州市西湖区")
HZ_LAND = Department("杭州市规划和自然资源局", uscc("11330100MB1799934"), "杭州市")
XIHU_MARKET = Department("杭州市西湖区市场监督管理局", uscc("11330106MB1800125"), "杭州市西湖区")
XIHU_HRSS = Department("杭州市西湖区人力资源和社会保障局", uscc("11330106MB1811206"), "杭州市西湖区")
UNIVERSITY = Department("浙江示例大学", uscc("12330000MB1822387"), "杭州市")

DEPARTMENTS = (
    XIHU_POLICE, SHANGCHENG_POLICE, JINGNING_POLICE, XIHU_CIVIL, HZ_LAND, XIHU_MARKET, XIHU_HRSS, UNIVERSITY,
)

# The demo ID card and the fixtures' people; the foreigners and the HK/Macao resident hold nothing here.
DEMO_RESIDENT = "330106199003070014"  # 测试样例: drivers/idcard/demo_card.py, tests/fixtures/idcard/resident.json
CITIZEN_CARD = "330102197811200038"  # 陈志明: drivers/citizencard/demo_card.toml
X_CHECK = "33010619781111002X"  # 样例叉号: tests/fixtures/idcard/resident_x_check.json
LONG_TERM = "331127195602290021"  # 样例长期: tests/fixtures/idcard/resident_long_term.json

HOLDERS = {
    DEMO_RESIDENT: "测试样例",
    CITIZEN_CARD: "陈志明",
    X_CHECK: "样例叉号",
    LONG_TERM: "样例长期",
}


@dataclass(frozen=True)
class SampleLicence:
    holder: str
    type_code: str
    name: str
    number: str
    issuer: Department
    serial: str
    issued_on: dt.date
    valid_until: dt.date | None
    status: str = "valid"
    original_format: str = "pdf"
    has_pdf: bool = True  # False: kept as OFD only, no PDF rendition (a fetch is rendition_unavailable)
    version: int = 1

    @property
    def licence_id(self) -> str:
        return make_licence_id(self.type_code, self.issuer.code, self.serial, self.version)

    def metadata(self) -> dict[str, Any]:
        """LICENCE without `document` (docs/platform-api.md)."""
        return {
            "licence_id": self.licence_id,
            "name": self.name,
            "number": self.number,
            "type_code": self.type_code,
            "holder": {"name": HOLDERS[self.holder], "id_number": self.holder},
            "issuer": self.issuer.as_issuer(),
            "issued_on": self.issued_on.isoformat(),
            "valid_from": self.issued_on.isoformat(),
            "valid_until": None if self.valid_until is None else self.valid_until.isoformat(),
            "status": self.status,
        }


D = dt.date
LICENCES = (
    SampleLicence(DEMO_RESIDENT, HUKOU, "居民户口簿", "330106000123", XIHU_POLICE, "2019000123", D(2019, 5, 20), None),
    SampleLicence(DEMO_RESIDENT, MARRIAGE, "结婚证", "J330106-2018-004512", XIHU_CIVIL, "2018004512",
                  D(2018, 10, 8), None),
    SampleLicence(DEMO_RESIDENT, REAL_ESTATE, "不动产权证书", "浙(2021)杭州市不动产权第0456789号", HZ_LAND,
                  "2021045678", D(2021, 3, 15), None, original_format="ofd"),
    # Sold in 2021: the earlier certificate was cancelled when the new one was issued.
    SampleLicence(DEMO_RESIDENT, REAL_ESTATE, "不动产权证书", "浙(2016)杭州市不动产权第0012345号", HZ_LAND,
                  "2016001234", D(2016, 7, 1), None, status="revoked"),
    SampleLicence(DEMO_RESIDENT, BUSINESS, "营业执照", uscc("92330106MB1912345"), XIHU_MARKET, "2020077001",
                  D(2020, 9, 1), None),
    SampleLicence(DEMO_RESIDENT, DEGREE, "学位证书", "1033542012001234", UNIVERSITY, "2012001234", D(2012, 6, 30),
                  None, original_format="ofd", has_pdf=False),
    SampleLicence(CITIZEN_CARD, HUKOU, "居民户口簿", "330102000456", SHANGCHENG_POLICE, "2010000456",
                  D(2010, 4, 2), None),
    SampleLicence(CITIZEN_CARD, MARRIAGE, "结婚证", "J330106-2005-000789", XIHU_CIVIL, "2005000789", D(2005, 5, 1),
                  None),
    SampleLicence(X_CHECK, HUKOU, "居民户口簿", "330106000789", XIHU_POLICE, "2008000789", D(2008, 1, 10), None),
    SampleLicence(LONG_TERM, HUKOU, "居民户口簿", "331127000021", JINGNING_POLICE, "2001000021", D(2001, 3, 3), None),
    SampleLicence(LONG_TERM, BUSINESS, "营业执照", uscc("92331127MB1923456"), JINGNING_POLICE, "2015000301",
                  D(2015, 2, 1), D(2025, 1, 31), status="expired"),
)


@dataclass(frozen=True)
class CertificateType:
    type_code: str
    name: str
    issuer: Department
    valid_days: int
    note: str
    number_prefix: str
    statement: str  # the certificate's body; {name}, {id_number} and {date} are filled in

    def offer(self) -> dict[str, Any]:
        return {
            "type_code": self.type_code,
            "name": self.name,
            "issuer": self.issuer.as_issuer(),
            "valid_days": self.valid_days,
            "note": self.note,
        }


CERTIFICATE_TYPES = {
    t.type_code: t
    for t in (
        CertificateType(
            INSURED, "参保证明", XIHU_HRSS, 30, "证明在本市参加社会保险的情况", "CB",
            "兹证明{name}（公民身份号码{id_number}）截至{date}在本市参加企业职工基本养老保险、失业保险和工伤保险，"
            "参保状态正常。",
        ),
        CertificateType(
            NO_CRIMINAL_RECORD, "无犯罪记录证明", XIHU_POLICE, 90, "用于就业、出国等", "WF",
            "经查询，截至{date}，未发现{name}（公民身份号码{id_number}）有犯罪记录。",
        ),
        CertificateType(
            MARRIAGE_RECORD, "婚姻登记记录证明", XIHU_CIVIL, 90, "证明在婚姻登记系统中的登记记录", "HY",
            "经查询婚姻登记信息系统，截至{date}，{name}（公民身份号码{id_number}）有如下婚姻登记记录："
            "2018年10月8日在杭州市西湖区民政局办理结婚登记。",
        ),
    )
}

# Which certificates the platform offers to whom.
OFFERS = {
    DEMO_RESIDENT: (INSURED, NO_CRIMINAL_RECORD, MARRIAGE_RECORD),
    CITIZEN_CARD: (INSURED, MARRIAGE_RECORD),
    X_CHECK: (INSURED,),
    LONG_TERM: (INSURED,),
}


def department_by_code(code: str) -> Department:
    for department in DEPARTMENTS:
        if department.code == code:
            return department
    raise KeyError(code)
