"""Code tables of the text block: ethnic groups (GB 3304, the 56 groups plus 97/98) and gender (GB/T 2261.1).

Names follow device-protocols.md 2.5, which corrects the typos and old names found in public code
(德昴, 克尔克孜, 乌兹别克, 毛难, 崩龙) and leaves out the non-standard 穿青人.
"""

from __future__ import annotations

ETHNIC_GROUPS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
    "39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺",
    "97": "其他", "98": "外国血统中国籍人士",
}

OTHER_ETHNIC_GROUP = "其他"

GENDERS: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# English labels for technicians' output and the English UI.
GENDERS_EN: dict[str, str] = {"0": "unknown", "1": "male", "2": "female", "9": "unspecified"}


def ethnic_group(code: str) -> str | None:
    """The group's name, or None for an unknown code (the caller decides to show 其他)."""
    return ETHNIC_GROUPS.get(code)


def gender(code: str) -> str | None:
    return GENDERS.get(code)


def gender_code(name_or_code: str) -> str | None:
    """'男' or '1' → '1'; for fixtures, which may spell the gender either way."""
    if name_or_code in GENDERS:
        return name_or_code
    for code, name in GENDERS.items():
        if name == name_or_code:
            return code
    return None


def ethnic_group_code(name_or_code: str) -> str | None:
    if name_or_code in ETHNIC_GROUPS:
        return name_or_code
    bare = name_or_code.removesuffix("族")
    for code, name in ETHNIC_GROUPS.items():
        if name == bare:
            return code
    return None
