"""Resident-facing text for each citizen-card message key, Chinese first, then English."""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    zh: str
    en: str


MESSAGES: dict[str, Message] = {
    "citizencard.error": Message(
        "读卡出错，请重试或改用身份证。", "The card could not be read. Try again or use your ID card."
    ),
    "citizencard.reader_unavailable": Message(
        "读卡器暂不可用，请改用身份证或联系工作人员。",
        "The card reader is not available. Use your ID card or ask a member of staff.",
    ),
    "citizencard.reader_gone": Message(
        "未找到读卡器，请联系工作人员。", "The card reader was not found. Please ask a member of staff."
    ),
    "citizencard.no_card": Message(
        "请插入市民卡或社保卡。", "Please insert your citizen card or social security card."
    ),
    "citizencard.card_removed": Message(
        "卡片已被取出，请重新插入并保持到读卡完成。",
        "The card was removed. Insert it again and leave it in until reading is finished.",
    ),
    "citizencard.timeout": Message(
        "卡片响应超时，请取出后重新插入。", "The card did not answer in time. Take it out and insert it again."
    ),
    "citizencard.read_failed": Message(
        "无法读取此卡，请重新插入或改用身份证。", "This card could not be read. Insert it again or use your ID card."
    ),
    "citizencard.unsupported_card": Message(
        "暂不支持此类卡片，请改用身份证。", "This kind of card is not supported here. Please use your ID card."
    ),
    "citizencard.needs_security_module": Message(
        "此卡需要安全模块（PSAM）才能读取个人信息，本机暂不支持，请改用身份证。",
        "This card needs the security module (PSAM) to read personal data, which this terminal lacks. "
        "Please use your ID card.",
    ),
    "citizencard.security_module_error": Message(
        "安全模块暂不可用，请改用身份证。", "The security module is not available. Please use your ID card."
    ),
    "citizencard.auth_failed": Message(
        "卡片认证失败，请改用身份证或联系工作人员。",
        "The card could not be authenticated. Use your ID card or ask a member of staff.",
    ),
}


def message_for(key: str) -> Message:
    """The text for `key`; an unknown key falls back to the generic message rather than showing a key."""
    return MESSAGES.get(key, MESSAGES["citizencard.error"])
