"""The ctypes bindings on the installed engines: libpinyin's words and characters, zinnia's characters, and
a clear error (not a ctypes crash) when a library or model is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.input.clib import EngineUnavailable
from ui.input.handwriting import HandwritingRecognizer
from ui.input.pinyin import PinyinLibrary


@pytest.fixture(scope="module")
def library() -> PinyinLibrary:
    return PinyinLibrary()


def test_words_come_before_characters_and_common_before_rare(library: PinyinLibrary) -> None:
    composer = library.composer()
    composer.type("gongsi")
    assert composer.candidates[0] == "公司"
    assert composer.candidates.index("公") < composer.candidates.index("攻")
    assert composer.preedit == "gongsi"


def test_initials_alone_find_the_word(library: PinyinLibrary) -> None:
    composer = library.composer()
    composer.type("gs")
    assert "公司" in composer.candidates[:5]


def test_picks_consume_the_pinyin_they_stand_for(library: PinyinLibrary) -> None:
    composer = library.composer()
    composer.type("hangzhoushixihulu")
    assert composer.choose(composer.candidates.index("杭州市")) is None
    assert composer.preedit == "杭州市xihulu"
    assert composer.choose(composer.candidates.index("西湖路")) == "杭州市西湖路"
    assert not composer.active


def test_backspace_into_a_pick_takes_the_pick_back(library: PinyinLibrary) -> None:
    composer = library.composer()
    composer.type("zhongguo")
    composer.choose(composer.candidates.index("中"))
    assert composer.preedit == "中guo"
    composer.backspace()
    assert composer.preedit == "中gu"
    composer.backspace()
    composer.backspace()
    assert composer.preedit == "zhong"  # 中 with nothing after it could never finish: its pinyin is back
    assert "中" in composer.candidates
    composer.backspace()
    assert composer.preedit == "zhon"  # the last letter of "zhong" is gone
    for _ in range(4):
        assert composer.backspace()
    assert not composer.backspace()


def test_letters_that_are_no_pinyin_can_be_taken_as_typed(library: PinyinLibrary) -> None:
    composer = library.composer()
    composer.type("v")
    assert composer.candidates == ["v"]
    assert composer.choose(0) == "v"


def test_choices_teach_the_engine_nothing(library: PinyinLibrary) -> None:
    before = library.composer()
    before.type("shi")
    order = before.candidates[:20]
    chooser = library.composer()
    for _ in range(3):
        chooser.type("shi")
        chooser.choose(order.index(order[-1]))
    after = library.composer()
    after.type("shi")
    assert after.candidates[:20] == order
    assert list(library.user_dir.iterdir()) == []  # nothing saved for the next resident either


def test_missing_pinyin_library_or_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="cannot load"):
        PinyinLibrary(str(tmp_path / "libpinyin.so.15"))
    with pytest.raises(EngineUnavailable, match="no libpinyin model"):
        PinyinLibrary(data_dir=tmp_path)


def _line(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    return [(x0 + (x1 - x0) * i // 10, y0 + (y1 - y0) * i // 10) for i in range(11)]


def test_strokes_become_characters_best_first() -> None:
    recognizer = HandwritingRecognizer()
    across, down = _line(40, 150, 260, 150), _line(150, 40, 150, 260)
    assert recognizer.classify([across], 300, 300)[0] == "一"
    assert recognizer.classify([across, down], 300, 300)[0] == "十"
    assert recognizer.classify([_line(60, 100, 240, 100), _line(40, 200, 260, 200)], 300, 300)[0] == "二"
    assert recognizer.classify([], 300, 300) == []


def test_missing_zinnia_or_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="cannot load"):
        HandwritingRecognizer(str(tmp_path / "libzinnia.so.0"))
    with pytest.raises(EngineUnavailable, match="no handwriting model"):
        HandwritingRecognizer(model=tmp_path / "zh_CN.model")
