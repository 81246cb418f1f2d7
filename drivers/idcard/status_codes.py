"""Every SW3 result code of the SAM protocol (device-protocols.md 1.4), each with its own typed error.

Codes 0x37 and 0x3F come from one source only (Synjones) and are kept for tolerance. A code not in
the table still raises a typed error (`UnknownReaderStatus`), never a bare exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.idcard.errors import CardStatusError, ReaderStatusError, RequestRejected, SamFaultError

SW3_OK = 0x90
SW3_NO_CONTENT = 0x91
SW3_FIND_OK = 0x9F
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81
SW3_READ_FAILED = 0x41
SW3_SAM_SELF_TEST_FAILED = 0x60

SUCCESS_CODES = frozenset({SW3_OK, SW3_FIND_OK})


class RequestChecksumError(RequestRejected):
    code = "idcard.sw.request_checksum"
    sw3 = 0x10


class RequestLengthError(RequestRejected):
    code = "idcard.sw.request_length"
    sw3 = 0x11


class CommandError(RequestRejected):
    code = "idcard.sw.command"
    sw3 = 0x21


class UnauthorisedOperation(SamFaultError):
    code = "idcard.sw.unauthorised"
    sw3 = 0x23


class UnrecognisedError(SamFaultError):
    code = "idcard.sw.unrecognised"
    sw3 = 0x24


class CardAuthenticatesSamFailed(CardStatusError):
    code = "idcard.sw.card_auth_sam_failed"
    sw3 = 0x31


class SamAuthenticatesCardFailed(CardStatusError):
    code = "idcard.sw.sam_auth_card_failed"
    sw3 = 0x32


class InformationVerificationError(CardStatusError):
    code = "idcard.sw.info_verification"
    sw3 = 0x33


class FingerprintVerificationError(CardStatusError):
    code = "idcard.sw.fingerprint_verification"
    sw3 = 0x37


class InformationLengthError(CardStatusError):
    code = "idcard.sw.info_length"
    sw3 = 0x3F


class UnrecognisedCardType(CardStatusError):
    code = "idcard.sw.unknown_card_type"
    message_key = "idcard.unsupported_card"
    sw3 = 0x40


class CardReadFailed(CardStatusError):
    code = "idcard.sw.read_failed"
    sw3 = SW3_READ_FAILED


class RandomNumberFailed(CardStatusError):
    code = "idcard.sw.random_failed"
    sw3 = 0x47


class SamSelfTestFailed(SamFaultError):
    code = "idcard.sw.sam_self_test_failed"
    sw3 = SW3_SAM_SELF_TEST_FAILED


class SamNotAuthorised(SamFaultError):
    code = "idcard.sw.sam_not_authorised"
    sw3 = 0x66


class NoCard(CardStatusError):
    code = "idcard.sw.no_card"
    message_key = "idcard.no_card"
    sw3 = SW3_NO_CARD


class SelectCardFailed(CardStatusError):
    code = "idcard.sw.select_failed"
    sw3 = SW3_SELECT_FAILED


class NoContent(CardStatusError):
    """0x91: the card holds nothing for this item. Normal for 30 03 (no new address); an error elsewhere."""

    code = "idcard.sw.no_content"
    sw3 = SW3_NO_CONTENT


class UnknownReaderStatus(SamFaultError):
    code = "idcard.sw.unknown"


@dataclass(frozen=True)
class StatusCode:
    sw3: int
    zh: str
    en: str
    error: type[ReaderStatusError] | None  # None for the success codes


STATUS_CODES: dict[int, StatusCode] = {
    s.sw3: s
    for s in (
        StatusCode(0x90, "操作成功", "success", None),
        StatusCode(0x9F, "寻找证/卡成功", "find-card success", None),
        StatusCode(0x91, "证/卡中此项无内容", "the card holds no content for this item", NoContent),
        StatusCode(0x10, "接收业务终端数据的校验和错", "checksum error in the frame the SAM received",
                   RequestChecksumError),
        StatusCode(0x11, "接收业务终端数据的长度错", "length error in the frame the SAM received", RequestLengthError),
        StatusCode(0x21, "接收业务终端的命令错误", "command error", CommandError),
        StatusCode(0x23, "越权操作", "unauthorised operation", UnauthorisedOperation),
        StatusCode(0x24, "无法识别的错误", "unrecognised error", UnrecognisedError),
        StatusCode(0x31, "证/卡认证SAM失败", "the card failed to authenticate the SAM", CardAuthenticatesSamFailed),
        StatusCode(0x32, "SAM认证证/卡失败", "the SAM failed to authenticate the card", SamAuthenticatesCardFailed),
        StatusCode(0x33, "信息验证错误", "information verification error", InformationVerificationError),
        StatusCode(0x37, "指纹信息验证错误", "fingerprint data verification error", FingerprintVerificationError),
        StatusCode(0x3F, "信息长度错误", "information length error", InformationLengthError),
        StatusCode(0x40, "无法识别的证/卡类型", "unrecognised card type", UnrecognisedCardType),
        StatusCode(0x41, "读证/卡操作失败", "card read operation failed", CardReadFailed),
        StatusCode(0x47, "取随机数失败", "failed to obtain a random number", RandomNumberFailed),
        StatusCode(0x60, "SAM自检失败，不能接收命令", "SAM self-test failed", SamSelfTestFailed),
        StatusCode(0x66, "SAM没经过授权，无法使用", "SAM not authorised", SamNotAuthorised),
        StatusCode(0x80, "寻找证/卡失败", "find-card failed (no card)", NoCard),
        StatusCode(0x81, "选取证/卡失败", "select-card failed", SelectCardFailed),
    )
}


def error_for(sw3: int) -> ReaderStatusError:
    """The typed error for a failure SW3; a code outside the table gives `UnknownReaderStatus`."""
    entry = STATUS_CODES.get(sw3)
    if entry is None or entry.error is None:
        return UnknownReaderStatus(f"idcard.sw.unknown (SW3=0x{sw3:02X})", sw3=sw3)
    return entry.error(sw3=sw3)


def describe(sw3: int) -> str:
    """`0x41 读证/卡操作失败 / card read operation failed`, for technicians' output."""
    entry = STATUS_CODES.get(sw3)
    if entry is None:
        return f"0x{sw3:02X} 未知 / unknown"
    return f"0x{sw3:02X} {entry.zh} / {entry.en}"
