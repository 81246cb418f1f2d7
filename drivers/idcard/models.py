"""The cards as frozen dataclasses: a common base `IdCard` and one subclass per card layout.

Every field is keyword-only. `repr()` never shows personal data (a card in a log line or a
traceback must not leak it): it shows the kind and the masked number only.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from drivers.idcard.id_number import mask


class CardKind(enum.Enum):
    """The layout of the text block, from its type marker at bytes 248–249."""

    RESIDENT = " "
    HMT_RESIDENCE_PERMIT = "J"
    FOREIGNER_PERMANENT_2017 = "I"
    FOREIGNER_PERMANENT_2023 = "Y"

    @property
    def slug(self) -> str:
        """`resident`, `hmt_residence_permit`, …: the form used in JSON."""
        return self.name.lower()

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    CardKind.RESIDENT: ("居民身份证", "Resident ID card"),
    CardKind.HMT_RESIDENCE_PERMIT: ("港澳台居民居住证", "Residence permit for HK/Macao/Taiwan residents"),
    CardKind.FOREIGNER_PERMANENT_2017: ("外国人永久居留身份证（2017版）", "Foreign permanent resident ID card (2017)"),
    CardKind.FOREIGNER_PERMANENT_2023: ("外国人永久居留身份证（2023版）", "Foreign permanent resident ID card (2023)"),
}


@dataclass(frozen=True, kw_only=True, repr=False)
class IdCard:
    """What every card kind has.

    name: for foreigners the Chinese name, or the English name when the card has no Chinese one.
    gender: 男 / 女 / 未知 / 未说明; gender_code keeps the GB/T 2261.1 digit.
    nation: the ethnic group for residents (汉, 畲, …), the ISO alpha-3 nationality for foreigners,
    None for the HK/Macao/Taiwan permit (its slot is unused).
    valid_to: None for 长期 (no expiry).
    additional_address: the "new address" (30 03) when the card holds one.
    photo_wlt: the raw 1024-byte WLT photo; see drivers.idcard.photo to decode it.
    """

    kind: CardKind
    name: str
    gender: str
    gender_code: str
    nation: str | None
    birth_date: dt.date
    address: str | None
    id_number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date | None
    photo_wlt: bytes = field(repr=False)
    fingerprint: bytes = field(default=b"", repr=False)
    additional_address: str | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind.name}, id_number={mask(self.id_number)!r})"

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and today > self.valid_to

    def extra_fields(self) -> dict[str, str | None]:
        """The kind's own fields (beyond the common ones), by name, for JSON and display."""
        return {}


@dataclass(frozen=True, kw_only=True, repr=False)
class ResidentIdCard(IdCard):
    nation_code: str

    def extra_fields(self) -> dict[str, str | None]:
        return {"nation_code": self.nation_code}


@dataclass(frozen=True, kw_only=True, repr=False)
class HmtResidencePermit(IdCard):
    pass_number: str
    issue_count: str

    def extra_fields(self) -> dict[str, str | None]:
        return {"pass_number": self.pass_number, "issue_count": self.issue_count}


@dataclass(frozen=True, kw_only=True, repr=False)
class ForeignerPermanentIdCard2017(IdCard):
    """issuer holds the issuing-authority code (e.g. "1500"): the card carries a code, not a name."""

    english_name: str
    chinese_name: str
    nationality_code: str
    card_version: str
    issuer_code: str

    def extra_fields(self) -> dict[str, str | None]:
        return {
            "english_name": self.english_name,
            "chinese_name": self.chinese_name,
            "nationality_code": self.nationality_code,
            "card_version": self.card_version,
            "issuer_code": self.issuer_code,
        }


@dataclass(frozen=True, kw_only=True, repr=False)
class ForeignerPermanentIdCard2023(IdCard):
    """issuer is empty: this version has no issuing-authority field."""

    english_name: str
    chinese_name: str
    nationality_code: str
    renewal_count: str
    previous_number_link: str

    def extra_fields(self) -> dict[str, str | None]:
        return {
            "english_name": self.english_name,
            "chinese_name": self.chinese_name,
            "nationality_code": self.nationality_code,
            "renewal_count": self.renewal_count,
            "previous_number_link": self.previous_number_link,
        }


@dataclass(frozen=True)
class SamId:
    """The reader's security-module ID (reply to 12 FF): the 16 raw bytes and the display form."""

    raw: bytes

    @property
    def display(self) -> str:
        """`AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE` with unsigned little-endian fields."""
        r = self.raw
        a = int.from_bytes(r[0:2], "little")
        b = int.from_bytes(r[2:4], "little")
        c = int.from_bytes(r[4:8], "little")
        d = int.from_bytes(r[8:12], "little")
        e = int.from_bytes(r[12:16], "little")
        return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"
