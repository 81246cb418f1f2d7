"""Wrapping mixed Chinese and Latin text."""

from __future__ import annotations

import pytest

from kiosk.forms.fonts import register_font
from kiosk.forms.textlayout import Typesetter


@pytest.fixture(scope="module")
def ts() -> Typesetter:
    return Typesetter(register_font())


def test_short_text_is_one_line(ts: Typesetter) -> None:
    assert ts.wrap("张三", 14, 200) == ["张三"]
    assert ts.wrap("", 14, 200) == [""]


def test_lines_never_exceed_the_width_and_keep_every_character(ts: Typesetter) -> None:
    text = "浙江省杭州市上城区清波街道河坊街126号3幢2单元501室，联系电话13812345678，邮箱 someone@example.com。" * 3
    lines = ts.wrap(text, 14, 150)
    assert len(lines) > 3
    assert all(ts.width(line, 14) <= 150 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_numbers_and_words_are_not_split(ts: Typesetter) -> None:
    lines = ts.wrap("电话号码是13812345678请拨打", 14, 120)
    assert any("13812345678" in line for line in lines)


def test_closing_punctuation_never_starts_a_line(ts: Typesetter) -> None:
    text = "一二三四五六七八九十，" * 6
    for width in range(60, 200, 7):
        for line in ts.wrap(text, 14, width)[1:]:
            assert not line.startswith(("，", "。")), (width, line)


def test_explicit_newlines_are_kept(ts: Typesetter) -> None:
    assert ts.wrap("第一行\n第二行", 14, 300) == ["第一行", "第二行"]


def test_a_run_wider_than_the_line_is_broken(ts: Typesetter) -> None:
    lines = ts.wrap("x" * 200, 12, 100)
    assert len(lines) > 1
    assert all(ts.width(line, 12) <= 100 for line in lines)
