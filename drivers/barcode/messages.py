"""What the screen says for each barcode `message_key`, Chinese first, then English."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "barcode.unavailable": (
        "扫码设备暂时无法使用，请手动输入受理编号。",
        "The code reader is unavailable. Please type the number.",
    ),
    "barcode.show_code": (
        "请将回执上的二维码对准扫码窗口。",
        "Hold the QR code on your receipt in front of the reader.",
    ),
    "barcode.unreadable": (
        "未能识别该二维码，请换一个角度或手动输入。",
        "The code could not be read. Try another angle or type the number.",
    ),
}


def message(key: str, lang: str = "zh_CN") -> str:
    """The text for `key` in `lang` (zh_CN or en); an unknown key falls back to the reader being unavailable."""
    zh, en = MESSAGES.get(key, MESSAGES["barcode.unavailable"])
    return en if lang.startswith("en") else zh
