"""Resident-facing camera texts, Chinese first, keyed by the `message_key` of errors and advice.

The UI looks the key up here (or in its own translations of these keys); drivers never format text
for the screen themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    zh: str
    en: str


MESSAGES: dict[str, Message] = {
    "camera.unavailable": Message(
        "高拍仪暂时无法使用，请联系工作人员。", "The document camera is not available. Please ask a member of staff."
    ),
    "camera.quality.no_page": Message(
        "请把材料平放在拍摄区域内。", "Place the page flat inside the capture area."
    ),
    "camera.quality.blurry": Message(
        "画面模糊，请保持材料平整、不要移动。", "The picture is blurred. Keep the page flat and still."
    ),
    "camera.quality.too_dark": Message(
        "光线太暗，请打开补光灯或移到明亮处。",
        "It is too dark. Switch on the camera light or move to a brighter place.",
    ),
    "camera.quality.glare": Message(
        "材料有反光，请调整角度避开灯光。", "There is glare on the page. Tilt it or move it away from the light."
    ),
    "camera.quality.cut_off": Message(
        "材料没有完全放入拍摄区域，请把整页放进框内。",
        "Part of the page is outside the picture. Move the whole page into the frame.",
    ),
    "camera.quality.too_small": Message(
        "材料太小，请放在拍摄区域中央。",
        "The page is too small in the picture. Place it in the middle of the capture area.",
    ),
    "camera.quality.retry": Message("请重新拍摄。", "Please take the picture again."),
    "camera.capture.moving": Message("请保持材料不动。", "Please hold the page still."),
    "camera.capture.hold_still": Message("正在拍摄，请保持不动……", "Taking the picture, hold still…"),
    "camera.capture.done": Message(
        "拍摄完成，请取走材料或放入下一页。", "Done. Take the page away or place the next one."
    ),
}


def text(key: str, lang: str = "zh_CN") -> str:
    """The message for `key` in `lang` ("zh_CN" or "en"); an unknown key falls back to the retry text."""
    message = MESSAGES.get(key, MESSAGES["camera.quality.retry"])
    return message.zh if lang.startswith("zh") else message.en


def bilingual(key: str) -> str:
    """Both languages on one line, Chinese first, as the technician CLI prints them."""
    message = MESSAGES.get(key, MESSAGES["camera.quality.retry"])
    return f"{message.zh} / {message.en}"
