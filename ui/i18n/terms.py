"""English for the words the Qt-free core hands the screens in Chinese (kiosk/resident/guides.py's
category labels, the 个人/法人 of a result's second line, a guide's badges, section titles and the
lines it composes such as "承诺时限：10个工作日").

The core stays Chinese and Qt-free; the screens pass its words through `term`. Catalogue content (a
department, a theme, a service name, a material) has no entry here and stays as the catalogue wrote it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "CoreTerms"
SEPARATOR = " · "

# For lupdate: every core word a screen shows whole.
TERMS = (
    QT_TRANSLATE_NOOP("CoreTerms", "全部"),
    QT_TRANSLATE_NOOP("CoreTerms", "个人办事"),
    QT_TRANSLATE_NOOP("CoreTerms", "法人办事"),
    QT_TRANSLATE_NOOP("CoreTerms", "个人"),
    QT_TRANSLATE_NOOP("CoreTerms", "法人"),
    # kiosk/resident/guides.py: badges, section titles, line labels and values.
    QT_TRANSLATE_NOOP("CoreTerms", "零跑动"),
    QT_TRANSLATE_NOOP("CoreTerms", "最多跑一次"),
    QT_TRANSLATE_NOOP("CoreTerms", "即办（当场办结）"),
    QT_TRANSLATE_NOOP("CoreTerms", "可容缺后补"),
    QT_TRANSLATE_NOOP("CoreTerms", "标有「可容缺后补」的材料，暂时缺少也可以先受理，之后再补交。"),
    QT_TRANSLATE_NOOP("CoreTerms", "不收费"),
    QT_TRANSLATE_NOOP("CoreTerms", "事项简介"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理方式"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理条件"),
    QT_TRANSLATE_NOOP("CoreTerms", "申请材料"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理流程"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理时限"),
    QT_TRANSLATE_NOOP("CoreTerms", "收费标准"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理地点和时间"),
    QT_TRANSLATE_NOOP("CoreTerms", "咨询和投诉电话"),
    QT_TRANSLATE_NOOP("CoreTerms", "设定依据"),
    QT_TRANSLATE_NOOP("CoreTerms", "事项编码"),
    QT_TRANSLATE_NOOP("CoreTerms", "到现场次数"),
    QT_TRANSLATE_NOOP("CoreTerms", "本终端"),
    QT_TRANSLATE_NOOP("CoreTerms", "网上办理"),
    QT_TRANSLATE_NOOP("CoreTerms", "结果送达"),
    QT_TRANSLATE_NOOP("CoreTerms", "承诺时限"),
    QT_TRANSLATE_NOOP("CoreTerms", "法定时限"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理部门"),
    QT_TRANSLATE_NOOP("CoreTerms", "办理地点"),
    QT_TRANSLATE_NOOP("CoreTerms", "办公时间"),
    QT_TRANSLATE_NOOP("CoreTerms", "咨询电话"),
    QT_TRANSLATE_NOOP("CoreTerms", "投诉电话"),
    # kiosk/forms/guide_lines.py
    QT_TRANSLATE_NOOP("CoreTerms", "可以在这里申报"),
    QT_TRANSLATE_NOOP("CoreTerms", "不能在这里申报，请到窗口办理"),
    QT_TRANSLATE_NOOP("CoreTerms", "可以网上申报"),
    QT_TRANSLATE_NOOP("CoreTerms", "需要到现场办理"),
    QT_TRANSLATE_NOOP("CoreTerms", "可以快递送达"),
    QT_TRANSLATE_NOOP("CoreTerms", "到窗口领取"),
    # a material line's form and need
    QT_TRANSLATE_NOOP("CoreTerms", "纸质"),
    QT_TRANSLATE_NOOP("CoreTerms", "电子"),
    QT_TRANSLATE_NOOP("CoreTerms", "纸质或电子"),
    QT_TRANSLATE_NOOP("CoreTerms", "必须提供"),
    QT_TRANSLATE_NOOP("CoreTerms", "有则提供"),
    # kiosk/resident/form_choices.py: a value on the form preview that is not the card's
    QT_TRANSLATE_NOOP("CoreTerms", "已填写"),
)

# Lines the core composes with a number or a catalogue text inside: (pattern, source with %1 %2 …).
PATTERNS = (
    (re.compile(r"(\d+)个工作日"), QT_TRANSLATE_NOOP("CoreTerms", "%1个工作日")),
    (re.compile(r"需跑(\d+)次"), QT_TRANSLATE_NOOP("CoreTerms", "需跑%1次")),
    (re.compile(r"第(\d+)步："), QT_TRANSLATE_NOOP("CoreTerms", "第%1步：")),
    # material_line: 名称（份数，形式，必须提供）。说明
    (re.compile(r"(.*)（([^（）]*)，(纸质|电子|纸质或电子)，(必须提供|有则提供)）(?:。(.*))?", re.S),
     QT_TRANSLATE_NOOP("CoreTerms", "%1（%2，%3，%4）。%5")),
)
_LABELLED = re.compile(r"([^：]{2,8})：(.*)", re.S)


def _translate(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def term(text: str) -> str:
    """`text` in the current language: a known word, a "label：value" line, a pattern above, or each part
    of a "a · b · c" line on its own; anything else (catalogue content) as it is."""
    if SEPARATOR in text:
        return SEPARATOR.join(term(part) for part in text.split(SEPARATOR))
    whole = _translate(text)
    if whole != text:
        return whole
    for pattern, source in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            result = _translate(source)
            parts = [term(part or "") for part in found.groups()]
            if pattern.groups == 5 and found.group(5) is None:
                result = result.replace("。%5", "").replace(" %5", "")  # a material without a note
            for index in range(len(parts), 0, -1):
                result = result.replace(f"%{index}", parts[index - 1])
            return result
    labelled = _LABELLED.fullmatch(text)
    if labelled and _translate(labelled.group(1)) != labelled.group(1):
        translated = _translate("%1：%2")
        return translated.replace("%1", _translate(labelled.group(1))).replace("%2", term(labelled.group(2)))
    return text


LABELLED_SOURCE = QT_TRANSLATE_NOOP("CoreTerms", "%1：%2")
