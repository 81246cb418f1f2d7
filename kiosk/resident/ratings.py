"""The on-site rating (服务评价, 好差评): the national grades, indicators and standard reasons, its
validation, and storing it in the outbox.

The five grades and the on-site indicators are the platform contract's (kiosk/platform/models.py); the
order here is the national one, 非常满意 first, and nothing in it marks a default or a "right" answer.
Standard reasons are offered only for the two lower grades, as on the national 好差评 forms.

The rater's phone is optional and personal: it goes in the outbox item's `personal` part, never in its
`fields` (the sync engine sends `personal` as the platform's `contact`). The outbox seals both: the comment
in `fields` is the resident's own words and may hold a name or a number all the same. A rating made
without a declaration names no receipt and is sent without `reference` (docs/platform-api.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kiosk.platform.models import GRADES, INDICATORS
from offline_cache.outbox import Outbox, OutboxItem

CHANNEL: Final = "onsite"

# (grade code, Chinese, English), national order: best first. Equal entries: the screen shows them alike.
GRADE_CHOICES: Final[tuple[tuple[int, str, str], ...]] = tuple(
    (code, GRADES[code], english)
    for code, english in (
        (5, "Very satisfied"),
        (4, "Satisfied"),
        (3, "Basically satisfied"),
        (2, "Dissatisfied"),
        (1, "Very dissatisfied"),
    )
)

# On-site indicator code -> (Chinese, English), in the contract's order.
_INDICATOR_ENGLISH: Final[Mapping[str, str]] = {
    "overall": "Overall satisfaction",
    "efficiency": "Efficiency",
    "competence": "Service quality",
    "attitude": "Staff attitude",
}
ONSITE_INDICATORS: Final[tuple[tuple[str, str, str], ...]] = tuple(
    (code, label, _INDICATOR_ENGLISH[code]) for code, label in INDICATORS[CHANNEL].items()
)

# Reasons are offered (and accepted) only for grades at or below this one.
LOW_GRADE_MAX: Final = 2

# Standard reasons for a low grade, (Chinese sent to the platform, English shown beside it).
STANDARD_REASONS: Final[tuple[tuple[str, str], ...]] = (
    ("等候时间过长", "Waited too long"),
    ("办事流程繁琐", "Procedure too complicated"),
    ("工作人员态度不好", "Unfriendly staff"),
    ("设备操作不便", "Terminal hard to use"),
    ("材料要求不清楚", "Unclear material requirements"),
    ("多次跑腿", "Had to come several times"),
    ("其他", "Other"),
)
_REASON_TEXTS: Final = frozenset(text for text, _ in STANDARD_REASONS)

COMMENT_MAX: Final = 500
INDICATOR_MIN: Final = 1
INDICATOR_MAX: Final = 5

_MOBILE: Final = re.compile(r"^1[3-9]\d{9}$")


class RatingInvalid(ValueError):
    """The rating cannot be stored as it is; `field` names the part, the messages say why (zh, en)."""

    def __init__(self, field_name: str, message: str, message_en: str) -> None:
        super().__init__(f"{field_name}: {message_en}")
        self.field = field_name
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Rating:
    """What the resident chose. `grade` None means not chosen yet (there is no default)."""

    grade: int | None = None
    indicators: Mapping[str, int] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    comment: str = ""
    phone: str = ""


def is_low_grade(grade: int | None) -> bool:
    """True for 不满意 and 非常不满意: the grades that offer reasons."""
    return grade is not None and grade <= LOW_GRADE_MAX


def validate(rating: Rating) -> None:
    """Raises RatingInvalid for the first thing wrong; returns None when the rating can be stored."""
    if rating.grade is None:
        raise RatingInvalid("grade", "请选择一个评价等级。", "Please choose a rating.")
    if rating.grade not in GRADES:
        raise RatingInvalid("grade", "评价等级无效。", "Unknown rating grade.")
    codes = INDICATORS[CHANNEL]
    for code, value in rating.indicators.items():
        if code not in codes:
            raise RatingInvalid(f"indicators.{code}", "评价指标无效。", f"Unknown indicator {code!r}.")
        # bool is an int: a checkbox value passed by mistake is not a score.
        if isinstance(value, bool) or not isinstance(value, int) or not INDICATOR_MIN <= value <= INDICATOR_MAX:
            raise RatingInvalid(f"indicators.{code}", "指标评分应为1到5。", "Indicator scores are 1 to 5.")
    if rating.reasons:
        if not is_low_grade(rating.grade):
            raise RatingInvalid("reasons", "只有不满意的评价才需要原因。",
                                "Reasons go only with a dissatisfied rating.")
        unknown = [reason for reason in rating.reasons if reason not in _REASON_TEXTS]
        if unknown:
            raise RatingInvalid("reasons", "原因不在标准列表中。", "A reason is not one of the standard reasons.")
        if len(set(rating.reasons)) != len(rating.reasons):
            raise RatingInvalid("reasons", "原因重复。", "A reason is listed twice.")
    if len(rating.comment) > COMMENT_MAX:
        raise RatingInvalid("comment", f"意见不能超过{COMMENT_MAX}字。",
                            f"The comment may be at most {COMMENT_MAX} characters.")
    if rating.phone and not _MOBILE.fullmatch(rating.phone):
        raise RatingInvalid("phone", "请输入11位手机号码。", "Please enter an 11-digit mobile number.")


def rating_fields(rating: Rating) -> dict[str, Any]:
    """The item's non-personal fields (sealed at rest all the same), as kiosk/platform/sync.py's `_send_rating`
    reads them. No phone here."""
    codes = INDICATORS[CHANNEL]
    return {
        "grade": rating.grade,
        "channel": CHANNEL,
        # Contract order, whatever order the resident tapped in: the same rating gives the same body.
        "indicators": {code: rating.indicators[code] for code in codes if code in rating.indicators},
        "reasons": [text for text, _ in STANDARD_REASONS if text in rating.reasons],
        "comment": rating.comment.strip(),
    }


def store_rating(outbox: Outbox, rating: Rating, receipt_no: str | None = None) -> OutboxItem:
    """Validates and stores the rating (committed before it returns); tied to `receipt_no` if given.

    Blocking (a database write): the UI calls it on a worker thread.
    """
    validate(rating)
    personal = {"phone": rating.phone} if rating.phone else None
    return outbox.add_rating(rating_fields(rating), rated_receipt_no=receipt_no or None, personal=personal)
