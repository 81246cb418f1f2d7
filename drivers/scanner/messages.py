"""What the screen says for each scanner `message_key`, Chinese first, then English."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "scanner.error": ("扫描失败，请重试。", "Scanning failed. Please try again."),
    "scanner.unavailable": (
        "扫描仪暂时无法使用，请联系工作人员。",
        "The scanner is unavailable. Please ask the staff.",
    ),
    "scanner.no_document": (
        "未检测到材料，请将材料正面朝下放在玻璃板上（或放入进纸器）。",
        "No document found. Place the material face down on the glass (or in the feeder).",
    ),
    "scanner.jammed": (
        "进纸器卡纸，请打开进纸器盖取出纸张后重试。",
        "The feeder is jammed. Open the feeder cover, remove the paper and try again.",
    ),
    "scanner.cover_open": (
        "扫描仪盖板未合上，请合上盖板后重试。",
        "The scanner cover is open. Close it and try again.",
    ),
    "scanner.busy": ("扫描仪正忙，请稍候。", "The scanner is busy. Please wait a moment."),
    "scanner.cancelled": ("扫描已取消。", "Scanning was cancelled."),
}


def message(key: str, lang: str = "zh_CN") -> str:
    """The text for `key` in `lang` (zh_CN or en); an unknown key falls back to the generic failure."""
    zh, en = MESSAGES.get(key, MESSAGES["scanner.error"])
    return en if lang.startswith("en") else zh
