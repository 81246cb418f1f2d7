"""Every message key the camera can raise or advise has a Chinese and an English text."""

from __future__ import annotations

import inspect
import re

from drivers.camera import errors
from drivers.camera.messages import MESSAGES, bilingual, text
from drivers.camera.quality import Issue, QualityIssue

CJK = re.compile(r"[\u4e00-\u9fff]")


def _keys_in_use() -> set[str]:
    keys = {cls.message_key for _, cls in inspect.getmembers(errors, inspect.isclass)
            if issubclass(cls, errors.DeviceError) and cls.__module__ == errors.__name__}
    keys |= {QualityIssue(kind, 0.0, 0.0).message_key for kind in Issue}
    keys |= {"camera.capture.moving", "camera.capture.hold_still", "camera.capture.done", "camera.quality.retry"}
    return keys


def test_every_key_in_use_has_both_languages() -> None:
    for key in _keys_in_use() - {"device.error"}:
        assert key in MESSAGES, key
        message = MESSAGES[key]
        assert CJK.search(message.zh), key
        assert message.en, key
        assert not CJK.search(message.en), key


def test_lookup_is_chinese_first() -> None:
    assert text("camera.quality.blurry") == MESSAGES["camera.quality.blurry"].zh
    assert text("camera.quality.blurry", "en") == MESSAGES["camera.quality.blurry"].en
    assert bilingual("camera.quality.too_dark").startswith(MESSAGES["camera.quality.too_dark"].zh + " / ")
    assert text("no.such.key") == MESSAGES["camera.quality.retry"].zh
