"""Fuzzing: mutated inputs through the product's own read path, judged by an independent oracle.

Each target makes cases from valid inputs and mutates them, runs the product on each case, and sorts
the outcome:

- accepted, real: the product accepted what the oracle says a real card (file, …) could hold;
- typed error: the product refused it with one of its typed errors (the expected refusal);
- UNTYPED error: any other exception, a bug (floor: 0);
- WRONG ACCEPTANCE: the product accepted what the oracle says no real card holds (floor: 0).

The oracles live here, written from the reference (device-protocols.md §2, §4, §5) and not from the
product's code: their own frame scanner, text-block layouts, MOD 11-2 arithmetic (weights 2^(17−i) mod
11), BCD and TLV readers. They follow the tolerances the reference or the product documents: any type
marker but J, I, Y is a resident card; an unknown two-digit ethnic-group code is shown as 其他; an odd
last byte of the 30 03 reply is ignored; 00/FF filler after a TLV record is ignored; a citizen card's
text may have leading spaces, and its gender and ethnic group may be ASCII or BCD. Bytes no field is
read from (reserved areas, the permit's unused ethnic-group slot, the photo) are not judged. "refused
although real" counts typed refusals of cases the oracle calls real: not a failure, but where the two
disagree.

Targets:

- `idcard`: a 30 01 read reply (and a 30 03 new-address reply) for one of the four card layouts, with
  valid holders made up at random, then mutated: bit flips, random bytes and characters in text fields,
  controls, bidi, zero-width, separators, lone surrogates, NULs inside fields, empty fields, dates and
  genders that disagree with the number, numbers with a wrong check character or of another kind's
  range, the type marker, the 2023 English name split badly, and, on the wire, flipped bits, truncation,
  garbage and wrong lengths. The product is the real `SerialIdCardReader.read_found_card` talking to a
  scripted reader (with a fake clock, so a timeout costs nothing), then `from_id_card`.
- `citizencard`: a virtual social security card (`card_emulator.VirtualCard`), some with a T-Union purse,
  with valid holders made up at random, its records then mutated the same way (GBK names with controls,
  genders empty, FF-, space- or BCD-filled, wrong check characters, dates out of order, TLV lengths,
  tags, truncation). The product is the real profile runner over APDUs, then `from_citizen_card`.

- `catalog`: a small valid catalogue (1-3 items of docs/catalog-format.md) mutated as values (integers out
  of range or of thousands of digits, floats, NaN, controls, bidi, zero-width, separators, lone surrogates,
  text and lists at and past their limits, missing, unknown and duplicate keys, items that are not objects)
  and, for files, as text (cut short, flipped bits, nesting up to 100,000 deep, long integer literals, NaN,
  UTF-16/32 and GB18030, a BOM, stray JSON characters, escaped surrogates and controls). Two thirds are
  files through `offline_cache.catalog.parse_catalog_json` (`kiosk catalog import` up to the write), a third
  parsed documents through `parse_catalog_document` (the sync engine's path for the platform's answers). The
  oracle is the format document restated: its own depth scanner, its own character and length rules.

- `documents`: signed certificates (电子证明) mutated as bytes through `verify_pdf`; the oracle knows where
  each seed's signature lies and calls a case printable only when nothing signed changed.

More targets (the configuration loader) register with `@target(name)`: a target
makes `(mutation, input, oracle verdict)` cases and runs the product on an input; a verdict of None
means the target has no oracle, and its wrong acceptances are not measured.

Run:
    .venv/bin/python bench/fuzz.py                                 # every target, 100,000 cases each
    .venv/bin/python bench/fuzz.py --target idcard --cases 20000 --seed 7
    .venv/bin/python bench/fuzz.py --quick                         # 2,000 cases each
Exit status 1 when any target has an untyped error or a wrong acceptance.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import functools
import json
import logging
import operator
import random
import re
import sys
import time
import types
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


# --- the registry -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The oracle's word on one case: could a real card (file, …) hold it? `reason` says why not."""

    real: bool
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class Case:
    mutation: str
    data: Any
    verdict: Verdict | None  # None: this target has no oracle


class Target(Protocol):
    #: what the product raises on bad input (anything else is an untyped error)
    typed: tuple[type[BaseException], ...]

    def case(self) -> Case: ...

    def run(self, data: Any) -> None:
        """The product on one input: returns when it accepted it, raises when it refused it."""


TARGETS: dict[str, Callable[[random.Random], Target]] = {}


def target(name: str) -> Callable[[Callable[[random.Random], Target]], Callable[[random.Random], Target]]:
    def register(make: Callable[[random.Random], Target]) -> Callable[[random.Random], Target]:
        TARGETS[name] = make
        return make

    return register


@dataclasses.dataclass
class Tally:
    cases: int = 0
    accepted_real: int = 0
    accepted_unjudged: int = 0
    typed: int = 0
    refused_real: int = 0
    untyped: int = 0
    wrong: int = 0
    codes: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    untyped_kinds: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    wrong_kinds: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    refused_real_kinds: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    mutations: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)


def _code(exc: BaseException) -> str:
    return str(getattr(exc, "code", type(exc).__name__))


def fuzz(make: Callable[[random.Random], Target], cases: int, seed: int) -> Tally:
    subject = make(random.Random(seed))
    tally = Tally()
    for _ in range(cases):
        case = subject.case()
        tally.cases += 1
        tally.mutations[case.mutation] += 1
        try:
            subject.run(case.data)
        except subject.typed as exc:
            tally.typed += 1
            tally.codes[_code(exc)] += 1
            if case.verdict is not None and case.verdict.real:
                tally.refused_real += 1
                tally.refused_real_kinds[f"{case.mutation}: {_code(exc)}"] += 1
        except Exception as exc:  # noqa: BLE001 - counting bugs is the point
            tally.untyped += 1
            tally.untyped_kinds[f"{case.mutation}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
        else:
            if case.verdict is None:
                tally.accepted_unjudged += 1
            elif case.verdict.real:
                tally.accepted_real += 1
            else:
                tally.wrong += 1
                tally.wrong_kinds[f"{case.mutation}: {case.verdict.reason}"] += 1
    return tally


# --- shared pools -----------------------------------------------------------------------------------

COMMON_CJK = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
              "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
              "戴莫孔向汤建国明华英秀兰芳伟强军平红玉梅丽敏静燕娟霞涛斌杰浩宇轩欣怡志文晓海峰云飞雪松")
RARE_CJK = "䶮𠀀𪚥𡘙\ue000\ue0a5"  # extension A and B ideographs, private-use rare characters
PLACES = ("浙江省杭州市西湖区", "浙江省宁波市鄞州区", "浙江省温州市鹿城区", "浙江省丽水市景宁畲族自治县",
          "浙江省舟山市嵊泗县", "江苏省南京市玄武区", "广东省深圳市南山区")
ROADS = ("文三路", "测试路", "示例街", "样例村", "海岛路", "新华路")
ADDRESS_TAILS = ("号", "号3幢1单元101室", "号（东区）", "号A座", "-2号", "号〇二室")
ISSUERS = ("杭州市公安局西湖分局", "宁波市公安局鄞州分局", "景宁畲族自治县公安局", "温州市公安局")
LATIN_WORDS = ("SMITH", "O'BRIEN", "ANNE-MARIE", "JOHN", "EXAMPLE", "TESTCASE", "LI", "VAN", "DER", "BERG",
               "ST.", "MULLER", "ALEXANDRA", "FICTIONAL")
NATIONALITIES = ("CAN", "NZL", "USA", "GBR", "DEU", "FRA", "JPN", "KOR", "AUS", "SGP")
# Every class of character no card field may hold, and some that only the wrong field may hold.
DANGEROUS = ("\x00\x01\x07\x08\t\n\r\x1b\x1f\x7f\x80\x85\x9f\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\u061c\u00ad\ufffe\uffff\ufdd0")
ODD = "ΩπжщéÅ\u0301😀\u3000\u00a0ＡＢ１２@!?;:\"<>{}[]=+*&%$^~`|\\_"
RANDOM_TEXT = COMMON_CJK[:40] + "ABCXYZabcxyz 0123456789,.-'·()#/" + ODD + DANGEROUS + RARE_CJK

# The oracle's own province codes (GB/T 2260) and check arithmetic (ISO 7064 MOD 11-2).
ORACLE_PROVINCES = {f"{p}" for p in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
                                     45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65)}
ORACLE_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def oracle_check_char(body: str) -> str:
    value = (12 - sum(int(d) * w for d, w in zip(body, ORACLE_WEIGHTS, strict=True)) % 11) % 11
    return "X" if value == 10 else str(value)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def make_number(rng: random.Random, prefix: str, birth: dt.date, male: bool) -> str:
    """An 18-character number: prefix (6 characters), birth date, sequence with the gender digit, check."""
    seq = f"{rng.randrange(100):02d}{rng.choice('13579' if male else '02468')}"
    body = prefix + birth.strftime("%Y%m%d") + seq
    return body + oracle_check_char(body)


def resident_prefix(rng: random.Random) -> str:
    return rng.choice(sorted(ORACLE_PROVINCES)) + f"{rng.randrange(10000):04d}"


def chinese_name(rng: random.Random, units: int) -> str:
    roll = rng.random()
    if roll < 0.05:
        name = "·".join("".join(rng.choice(COMMON_CJK) for _ in range(3)) for _ in range(2))
    elif roll < 0.10:
        name = rng.choice(COMMON_CJK) + rng.choice(RARE_CJK)
    else:
        name = "".join(rng.choice(COMMON_CJK) for _ in range(rng.randint(2, 4)))
    return name if len(name.encode("utf-16-le")) <= units * 2 else name[:2]


def latin_name(rng: random.Random, limit: int) -> str:
    words = [rng.choice(LATIN_WORDS) for _ in range(rng.randint(2, 4))]
    name = words[0] + "," + " " + " ".join(words[1:]) if rng.random() < 0.5 else " ".join(words)
    return name[:limit].rstrip(" ,")


def address(rng: random.Random, limit: int) -> str:
    text = rng.choice(PLACES) + rng.choice(ROADS) + str(rng.randint(1, 999)) + rng.choice(ADDRESS_TAILS)
    return text[:limit]


def insert_at(value: str, position: int, text: str) -> str:
    return value[:position] + text + value[position:]


# --- ID card: layouts and the oracle (device-protocols.md §2) ---------------------------------------

ORACLE_LAYOUTS: dict[str, dict[str, tuple[int, int]]] = {
    "resident": {"name": (0, 30), "gender": (30, 2), "nation": (32, 4), "birth": (36, 16), "address": (52, 70),
                 "number": (122, 36), "issuer": (158, 30), "from": (188, 16), "to": (204, 16)},
    "hmt": {"name": (0, 30), "gender": (30, 2), "birth": (36, 16), "address": (52, 70), "number": (122, 36),
            "issuer": (158, 30), "from": (188, 16), "to": (204, 16), "pass": (220, 18), "count": (238, 4)},
    "f2017": {"english": (0, 120), "gender": (120, 2), "number": (122, 30), "nationality": (152, 6),
              "chinese": (158, 30), "from": (188, 16), "to": (204, 16), "birth": (220, 16), "version": (236, 4),
              "issuer_code": (240, 8)},
    "f2023": {"chinese": (0, 30), "gender": (30, 2), "renewal": (32, 4), "birth": (36, 16), "english1": (52, 70),
              "number": (122, 36), "from": (188, 16), "to": (204, 16), "english2": (220, 22),
              "nationality": (242, 6), "link": (250, 6)},
}
ORACLE_MARKERS = {"hmt": "J", "f2017": "I", "f2023": "Y"}
TEXT_FIELDS = {
    "resident": ("name", "address", "issuer"), "hmt": ("name", "address", "issuer", "pass"),
    "f2017": ("english", "chinese"), "f2023": ("chinese", "english1", "english2"),
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ue000-\uf8ff\U00020000-\U0002fffd\U00030000-\U0003fffd〇"
_DOTS = "·•・"
ORACLE_CN_NAME = re.compile(f"[{_CJK}{_DOTS}]*[{_CJK}][{_CJK}{_DOTS}]*")
ORACLE_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z,.'\-]*( [A-Za-z,.'\-]+)*")
ORACLE_ADDRESS = re.compile(f"[{_CJK}{_DOTS}0-9A-Za-z０-９Ａ-Ｚａ-ｚ \\-#()/.,（）、，。－—～＃．／]+")
ORACLE_DATE = re.compile(r"[0-9]{8}")
PREAMBLE = b"\xaa\xaa\xaa\x96\x69"


def oracle_frame(stream: bytes) -> bytes | None:
    """The body of the first intact frame in `stream` (LEN 4..0x1000, XOR of LEN..body equal to CHK)."""
    start = stream.find(PREAMBLE)
    while start >= 0:
        if len(stream) >= start + 7:
            length = stream[start + 5] << 8 | stream[start + 6]
            end = start + 7 + length
            intact = 4 <= length <= 0x1000 and end <= len(stream)
            if intact and functools.reduce(operator.xor, stream[start + 5 : end - 1], 0) == stream[end - 1]:
                return stream[start + 7 : end - 1]
        start = stream.find(PREAMBLE, start + 1)
    return None


def oracle_ymd(value: str) -> dt.date | None:
    if not ORACLE_DATE.fullmatch(value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def oracle_text_block(text: bytes) -> Verdict:
    marker = text[248:250]
    kind = next((k for k, m in ORACLE_MARKERS.items() if marker == m.encode("ascii") + b"\x00"), "resident")
    layout = ORACLE_LAYOUTS[kind]
    values: dict[str, str] = {}
    for name, (offset, size) in layout.items():
        try:
            values[name] = re.sub("[ \x00]+$", "", text[offset : offset + size].decode("utf-16-le"))
        except UnicodeDecodeError:
            return Verdict(False, f"{kind} {name} is not UTF-16")
    number = values["number"]
    if kind == "f2017":
        if not re.fullmatch(r"[A-Z]{3}[0-9]{12}", number) or number[:3] != values["nationality"]:
            return Verdict(False, "2017 number is not the nationality's letters and 12 digits")
    else:
        if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
            return Verdict(False, "number is not 17 digits and a check character")
        if oracle_check_char(number[:17]) != number[17]:
            return Verdict(False, "wrong check character")
        ranges = {"resident": number[:2] in ORACLE_PROVINCES,
                  "hmt": number[:6] in ("810000", "820000", "830000"), "f2023": number[0] == "9"}
        if not ranges[kind]:
            return Verdict(False, f"number outside the {kind} range")
        if oracle_ymd(number[6:14]) is None:
            return Verdict(False, "number's birth digits are no date")
    birth = oracle_ymd(values["birth"])
    start = oracle_ymd(values["from"])
    end = None if values["to"] == "长期" and kind == "resident" else oracle_ymd(values["to"])
    if birth is None or start is None or (end is None and values["to"] != "长期"):
        return Verdict(False, "a date is not YYYYMMDD")
    if end is None and kind != "resident":
        return Verdict(False, "长期 on a card that expires")
    if not birth <= start or (end is not None and end < start):
        return Verdict(False, "dates out of order")
    if kind == "f2017":
        if values["gender"] not in ("0", "1", "2", "9"):
            return Verdict(False, "no gender code")
    else:
        if values["number"][6:14] != values["birth"]:
            return Verdict(False, "birth date disagrees with the number")
        if values["gender"] != ("1" if int(number[16]) % 2 else "2"):
            return Verdict(False, "gender disagrees with the number")
    return oracle_fields(kind, values, text)


def oracle_fields(kind: str, values: dict[str, str], text: bytes) -> Verdict:
    def bad(name: str) -> Verdict:
        return Verdict(False, f"{kind} {name} is not of its script")

    if kind in ("resident", "hmt"):
        if not ORACLE_CN_NAME.fullmatch(values["name"]):
            return bad("name")
        for name in ("address", "issuer"):
            if not ORACLE_ADDRESS.fullmatch(values[name]):
                return bad(name)
    if kind == "resident" and not re.fullmatch("[0-9]{2}", values["nation"]):
        return bad("nation")
    if kind == "hmt" and not (re.fullmatch("[A-Z0-9]+", values["pass"]) and re.fullmatch("[0-9]+", values["count"])):
        return bad("pass or count")
    if kind in ("f2017", "f2023"):
        if values["chinese"] and not ORACLE_CN_NAME.fullmatch(values["chinese"]):
            return bad("chinese name")
        if not re.fullmatch("[A-Z]{3}", values["nationality"]):
            return bad("nationality")
    if kind == "f2017":
        if not ORACLE_LATIN_NAME.fullmatch(values["english"]):
            return bad("english name")
        if not (re.fullmatch("[0-9]+", values["version"]) and re.fullmatch("[0-9]+", values["issuer_code"])):
            return bad("version or issuer code")
    if kind == "f2023":
        english = re.sub("[ \x00]+$", "", (text[52:122] + text[220:242]).decode("utf-16-le"))
        if not ORACLE_LATIN_NAME.fullmatch(english):
            return bad("joined english name")
        if not (re.fullmatch("[0-9]+", values["renewal"]) and re.fullmatch("[0-9]*", values["link"])):
            return bad("renewal count or link")
    return Verdict(True)


def oracle_idcard(read_stream: bytes, address_stream: bytes | None) -> Verdict:
    body = oracle_frame(read_stream)
    if body is None:
        return Verdict(False, "no intact read frame")
    if body[:3] != b"\x00\x00\x90":
        return Verdict(False, "read reply is not a success")
    data = body[3:]
    if len(data) < 4 or data[0] << 8 | data[1] != 256 or 4 + 256 + (data[2] << 8 | data[3]) != len(data):
        return Verdict(False, "read reply lengths do not add up")
    verdict = oracle_text_block(data[4:260])
    if not verdict.real or address_stream is None:
        return verdict
    body = oracle_frame(address_stream)
    if body is None:
        return Verdict(False, "no intact address frame")
    if body == b"\x00\x00\x91":
        return verdict
    if body[:3] != b"\x00\x00\x90" or not 0 < len(body) - 3 <= 256:
        return Verdict(False, "address reply is not a success")
    raw = body[3:]
    raw = raw[: len(raw) // 2 * 2]  # the product's documented tolerance: an odd last byte is ignored
    try:
        value = re.sub("[ \x00]+$", "", raw.decode("utf-16-le"))
    except UnicodeDecodeError:
        return Verdict(False, "address is not UTF-16")
    if value and not ORACLE_ADDRESS.fullmatch(value):
        return Verdict(False, "address is not of its script")
    return verdict


# --- ID card: the target -----------------------------------------------------------------------------


def ucs2_field(value: str, size: int, pad: str) -> bytes:
    raw = value.encode("utf-16-le", "surrogatepass")[:size]
    return raw + (pad.encode("utf-16-le") * size)[: size - len(raw)]


class ScriptedReader:
    """The reader module on the far side of the serial line: each request gets its scripted reply."""

    def __init__(self, clock: list[float], replies: dict[tuple[int, int], bytes]) -> None:
        self.clock = clock
        self.replies = replies
        self.out = bytearray()

    def reset_input_buffer(self) -> None:
        self.out.clear()

    def write(self, frame: bytes) -> int:
        self.out += self.replies.get((frame[7], frame[8]), b"")
        return len(frame)

    def read(self, size: int) -> bytes:
        if not self.out:
            self.clock[0] += 1.0  # nothing more will come: let the read's deadline pass at once
            return b""
        chunk = bytes(self.out[:size])
        del self.out[:size]
        return chunk

    def cancel_read(self) -> None:
        pass

    def close(self) -> None:
        pass


@target("idcard")
class IdCardTarget:
    def __init__(self, rng: random.Random) -> None:
        from drivers.errors import DeviceError
        from drivers.idcard import frames, serial_reader

        self.rng = rng
        self.frames = frames
        self.serial_reader = serial_reader
        self.clock = [0.0]
        # The reader's timeouts run on this clock: a scripted reader that has said everything makes
        # the wait end at once instead of after real seconds.
        serial_reader.time = types.SimpleNamespace(monotonic=lambda: self.clock[0])  # type: ignore[assignment]
        self.typed = (DeviceError,)
        self.fixed_replies = {(0x20, 0x02): frames.build_response(0x90, bytes(8)),
                              (0x11, 0xFF): frames.build_response(0x90)}

    # valid cards

    def holder(self) -> tuple[str, dict[str, str]]:
        rng = self.rng
        kind = rng.choices(("resident", "hmt", "f2017", "f2023"), (5, 2, 1, 2))[0]
        birth = random_date(rng, dt.date(1925, 1, 1), dt.date(2020, 1, 1))
        male = rng.random() < 0.5
        start = random_date(rng, max(birth, dt.date(2005, 1, 1)), dt.date(2025, 12, 31))
        years = rng.choice((5, 10, 20))
        end = "长期" if kind == "resident" and rng.random() < 0.15 else \
            start.replace(year=start.year + years, day=min(start.day, 28)).strftime("%Y%m%d")
        v: dict[str, str] = {"birth": birth.strftime("%Y%m%d"), "from": start.strftime("%Y%m%d"), "to": end,
                             "gender": "1" if male else "2"}
        if kind == "resident":
            v |= {"name": chinese_name(rng, 15), "nation": rng.choice(("01", "01", "01", "22", "03", "56", "97")),
                  "address": address(rng, 35), "number": make_number(rng, resident_prefix(rng), birth, male),
                  "issuer": rng.choice(ISSUERS)}
        elif kind == "hmt":
            v |= {"name": chinese_name(rng, 15), "address": address(rng, 35), "issuer": rng.choice(ISSUERS),
                  "number": make_number(rng, rng.choice(("810000", "820000", "830000")), birth, male),
                  "pass": rng.choice("HM") + f"{rng.randrange(10**8):08d}", "count": f"{rng.randint(1, 9):02d}"}
        elif kind == "f2017":
            nationality = rng.choice(NATIONALITIES)
            v |= {"english": latin_name(rng, 60), "chinese": chinese_name(rng, 15) if rng.random() < 0.5 else "",
                  "number": nationality + f"{rng.randrange(10**12):012d}", "nationality": nationality,
                  "version": "01", "issuer_code": f"{rng.randrange(10000):04d}",
                  "gender": rng.choice(("1", "2", "1", "2", "0", "9"))}
        else:
            english = latin_name(rng, 46)
            v |= {"chinese": chinese_name(rng, 15) if rng.random() < 0.3 else "", "renewal": "00",
                  "english1": english[:35], "english2": english[35:], "nationality": rng.choice(NATIONALITIES),
                  "number": make_number(rng, "9" + f"{rng.randrange(10**5):05d}", birth, male),
                  "link": f"{rng.randrange(1000):03d}" if rng.random() < 0.5 else ""}
        return kind, v

    def block(self, kind: str, v: dict[str, str], pads: dict[str, str]) -> bytearray:
        text = bytearray(" ".encode("utf-16-le") * 128)
        for name, (offset, size) in ORACLE_LAYOUTS[kind].items():
            text[offset : offset + size] = ucs2_field(v.get(name, ""), size, pads.get(name, " "))
        if kind in ORACLE_MARKERS:
            text[248:250] = ORACLE_MARKERS[kind].encode("utf-16-le")
        return text

    # mutations of values

    def mutate_values(self, kind: str, v: dict[str, str]) -> str:
        rng = self.rng
        texts = TEXT_FIELDS[kind]
        choice = rng.randrange(12)
        if choice == 0:
            name = rng.choice(texts)
            v[name] = insert_at(v[name], rng.randint(0, len(v[name])), rng.choice(DANGEROUS))
            return "dangerous character in a text field"
        if choice == 1:
            name = rng.choice([*texts, "gender", "birth", "from", "to", "number"])
            v[name] = "".join(rng.choice(RANDOM_TEXT) for _ in range(rng.randint(1, 12)))
            return "random characters in a field"
        if choice == 2:
            v[rng.choice([*texts, "gender", "number", "from", "birth"])] = ""
            return "empty field"
        if choice == 3:
            v["birth"] = random_date(rng, dt.date(1920, 1, 1), dt.date(2030, 1, 1)).strftime("%Y%m%d")
            return "birth date changed"
        if choice == 4:
            v["gender"] = rng.choice("01293X ")
            return "gender changed"
        if choice == 5:
            v["from"], v["to"] = (v["to"], v["from"]) if v["to"] != "长期" else (v["from"], "19990101")
            return "dates swapped"
        if choice == 6:
            v["to"] = rng.choice(("长期", "长期有效", "永久", "ABCDEFGH", "2099"))
            return "end date text"
        if choice == 7:
            number = v["number"]
            at = rng.randrange(len(number))
            v["number"] = number[:at] + rng.choice("0123456789Xx") + number[at + 1 :]
            return "number character changed"
        if choice == 8:
            if kind == "f2017":
                v["number"] = rng.choice(NATIONALITIES) + v["number"][3:]
                return "2017 number of another nationality"
            prefix = rng.choice(("9" + v["number"][1:6], "810000", "820000", "830000", "710000", "000000",
                                 resident_prefix(rng), "99" + v["number"][2:6]))
            birth = random_date(rng, dt.date(1920, 1, 1), dt.date(2020, 1, 1)) if rng.random() < 0.3 \
                else oracle_ymd(v["birth"]) or dt.date(1990, 1, 1)
            male = (v["gender"] == "1") != (rng.random() < 0.3)
            v["number"] = make_number(rng, prefix, birth, male)
            return "number of another range, birth or gender (valid check)"
        if choice == 9:
            v["from"] = random_date(rng, dt.date(1900, 1, 1), dt.date(2030, 1, 1)).strftime("%Y%m%d")
            return "issue date moved"
        if choice == 10 and kind == "f2023":
            english = latin_name(self.rng, 46)
            cut = rng.randint(1, min(34, len(english)))
            v["english1"], v["english2"] = english[:cut], english[cut:]
            return "2023 English name split short"
        v["name" if "name" in v else "english" if "english" in v else "english1"] = rng.choice(
            ("", " ", "A", "·", "王 王", "王\u3000明", "O'BRIEN", "smith", " SMITH", "SMITH  JOHN", "J0HN"))
        return "name edge cases"

    # mutations of bytes

    def mutate_block(self, kind: str, text: bytearray) -> str:
        rng = self.rng
        choice = rng.randrange(6)
        fields = ORACLE_LAYOUTS[kind]
        offset, size = fields[rng.choice(list(fields))]
        if choice == 0:
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(text))
                text[at] ^= 1 << rng.randrange(8)
            return "bit flips in the text block"
        if choice == 1:
            start = offset + rng.randrange(size)
            end = min(offset + size, start + rng.randint(1, 8))
            text[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
            return "random bytes in a field"
        if choice == 2:
            at = offset + rng.randrange(size // 2) * 2
            text[at : at + 2] = rng.choice((b"\x00\xd8", b"\x00\xdc", b"\xff\xdb", b"\x00\x00"))
            return "lone surrogate or NUL code unit in a field"
        if choice == 3:
            text[248:250] = rng.choice((b"J\x00", b"I\x00", b"Y\x00", b" \x00", b"Q\x00", b"\x00\x00"))
            return "type marker changed"
        if choice == 4:
            text[offset : offset + size] = bytes(size)
            return "field all NULs"
        at = offset + rng.randrange(size // 2) * 2
        text[at : at + 2] = b"\x00\x00"
        return "NUL code unit inside a field"

    def case(self) -> Case:
        rng = self.rng
        frames = self.frames
        kind, values = self.holder()
        labels = []
        if rng.random() < 0.45:
            labels.append(self.mutate_values(kind, values))
        pads = {name: "\x00" for name in ORACLE_LAYOUTS[kind] if rng.random() < 0.1}  # NUL padding is real too
        text = self.block(kind, values, pads)
        if rng.random() < 0.35:
            labels.append(self.mutate_block(kind, text))
        photo = bytes(1024)
        data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + bytes(text) + photo
        sw3 = 0x90
        if rng.random() < 0.03:
            data, labels = data[: rng.randrange(len(data))], [*labels, "read data cut short (lengths kept)"]
        if rng.random() < 0.02:
            sw3 = rng.choice((0x9F, 0x41, 0x80, 0x31, 0x00))
            labels.append("read SW3 changed")
        stream = frames.build_response(sw3, data)
        if rng.random() < 0.08:
            labels.append(self.mutate_wire(bytearray(stream)))
            stream = self.wire
        address_stream = self.address(kind, labels)
        verdict = oracle_idcard(stream, address_stream)
        return Case(" + ".join(labels) or "valid card", (stream, address_stream), verdict)

    def mutate_wire(self, frame: bytearray) -> str:
        rng = self.rng
        choice = rng.randrange(4)
        if choice == 0:
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(frame))
                frame[at] ^= 1 << rng.randrange(8)
            label = "bit flips on the wire"
        elif choice == 1:
            del frame[rng.randrange(len(frame)) :]
            label = "frame cut short"
        elif choice == 2:
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
            frame[:0] = junk if rng.random() < 0.5 else b""
            frame += junk
            label = "garbage around the frame"
        else:
            at = rng.randrange(10, 14)  # TL or PL, checksum fixed
            frame[at] ^= 1 << rng.randrange(8)
            frame[-1] = functools.reduce(operator.xor, frame[5:-1], 0)
            label = "read lengths changed (checksum fixed)"
        self.wire = bytes(frame)
        return label

    def address(self, kind: str, labels: list[str]) -> bytes | None:
        rng = self.rng
        frames = self.frames
        if kind not in ("resident", "hmt") or rng.random() < 0.5:
            return frames.build_response(0x91)
        roll = rng.random()
        value = address(rng, 35)
        if roll < 0.6:
            raw = ucs2_field(value, 70, " ")
        elif roll < 0.75:
            raw = ucs2_field(insert_at(value, rng.randint(0, len(value)), rng.choice(DANGEROUS)), 70, " ")
            labels.append("dangerous character in the new address")
        elif roll < 0.85:
            raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 80)))
            labels.append("random new-address bytes")
        elif roll < 0.95:
            raw = ucs2_field(value, 70, " ")[: rng.randint(1, 69)]
            labels.append("new address cut short")
        else:
            raw = ucs2_field("".join(rng.choice(RANDOM_TEXT) for _ in range(10)), 70, " ")
            labels.append("random characters in the new address")
        return frames.build_response(0x90, raw)

    def run(self, data: tuple[bytes, bytes | None]) -> None:
        from kiosk.identity.resident import from_id_card

        read_stream, address_stream = data
        replies = {**self.fixed_replies, (0x30, 0x01): read_stream}
        if address_stream is not None:
            replies[(0x30, 0x03)] = address_stream
        reader = self.serial_reader.SerialIdCardReader("fuzz", 115200)
        # An open port at a known rate: read_found_card then runs exactly as on a terminal.
        reader._ser = ScriptedReader(self.clock, replies)
        reader.baud = 115200
        from_id_card(reader.read_found_card(3.0))


# --- citizen card: the oracle (device-protocols.md §5) ----------------------------------------------


def oracle_tlv(answer: bytes, tag: int) -> bytes | str | None:
    """The value of `tag` in a record answer (tag, len, value repeated; trailing 00/FF filler), None if
    absent, a reason if the answer is malformed."""
    found: bytes | None = None
    at = 0
    while at < len(answer):
        if all(b in (0x00, 0xFF) for b in answer[at:]):
            break
        if at + 2 > len(answer) or at + 2 + answer[at + 1] > len(answer):
            return "record TLV runs past its end"
        if answer[at] == tag and found is None:
            found = answer[at + 2 : at + 2 + answer[at + 1]]
        at += 2 + answer[at + 1]
    return found


def oracle_bcd(raw: bytes) -> str | None:
    digits = raw.hex().upper()
    body = digits.rstrip("F")
    return body if re.fullmatch("[0-9]*", body) else None


def oracle_bcd_date(raw: bytes) -> dt.date | None:
    digits = oracle_bcd(raw)
    return oracle_ymd(digits) if digits is not None and len(digits) == 8 else None


def oracle_text(raw: bytes, encoding: str) -> str | None:
    """Text without its trailing padding (space, 00, FF) and leading spaces; None if it is no text or holds
    anything but printable characters."""
    body = raw
    while body and body[-1] in (0x20, 0x00, 0xFF):
        body = body[:-1]
    try:
        value = body.decode(encoding)
    except UnicodeDecodeError:
        return None
    if encoding == "ascii":
        return value.lstrip(" ") if re.fullmatch("[\x20-\x7e]*", value) else None
    return value.lstrip(" ")


def oracle_citizen(card: Any) -> Verdict:
    ssse = card.files.get(0xEF05), card.files.get(0xEF06)
    purse = card.purse_file
    if purse:
        if len(purse) < 28:
            return Verdict(False, "purse file too short")
        serial = oracle_bcd(purse[10:20])
        start, end = oracle_bcd_date(purse[20:24]), oracle_bcd_date(purse[24:28])
        if serial is None or len(serial) < 2 or start is None or end is None or end < start:
            return Verdict(False, "purse serial or dates broken")
    if ssse[0] is None or ssse[1] is None:
        return Verdict(False, "no holder application")

    def value(file: Any, tag: int) -> bytes | str | None:
        record = file.by_tag(tag)
        return None if record is None else oracle_tlv(record, tag)

    ef05 = {tag: value(ssse[0], tag) for tag in range(1, 8)}
    ef06 = {tag: value(ssse[1], tag) for tag in (8, 9, 0x0A, 0x0B, 0x0C, 0x0D, 0x4E)}
    for tag, got in {**ef05, **ef06}.items():
        if isinstance(got, str):
            return Verdict(False, got)
        if got is None and tag != 0x4E:
            return Verdict(False, f"tag {tag:02X} missing")
    raw: dict[int, bytes] = {k: v for k, v in {**ef05, **ef06}.items() if isinstance(v, bytes)}
    version = oracle_text(raw[3], "ascii")
    if version is None or version == "3.00":
        return Verdict(False, "spec version unreadable, or 3.00 (needs a PSAM)")
    for tag in (2, 7):
        text = oracle_text(raw[tag], "ascii")
        if text is None or (tag == 7 and not re.fullmatch("[A-Z0-9]*", text)):
            return Verdict(False, f"EF05 {tag:02X} is not plain text")
    if oracle_bcd(raw[4]) is None or oracle_bcd(raw[0x0C]) is None:
        return Verdict(False, "issuer or birthplace not BCD")
    issued, expires, birth = oracle_bcd_date(raw[5]), oracle_bcd_date(raw[6]), oracle_bcd_date(raw[0x0D])
    if issued is None or expires is None or birth is None:
        return Verdict(False, "a date is not a BCD date")
    number = oracle_text(raw[8], "ascii")
    if number is None or not re.fullmatch("[0-9]{17}[0-9X]", number):
        return Verdict(False, "number is not 17 digits and a check character")
    if oracle_check_char(number[:17]) != number[17]:
        return Verdict(False, "wrong check character")
    if not (number[:2] in ORACLE_PROVINCES or number[:6] in ("810000", "820000", "830000") or number[0] == "9"):
        return Verdict(False, "number outside every range")
    if oracle_ymd(number[6:14]) != birth:
        return Verdict(False, "birth date disagrees with the number (or is none)")
    gender = raw[0x0A]
    ascii_gender = oracle_text(gender, "ascii") if gender[:1].isdigit() else None
    bcd_gender = oracle_bcd(gender) if not gender[:1].isdigit() and gender.strip(b" \x00\xff") else None
    code = ascii_gender if ascii_gender is not None else (bcd_gender.lstrip("0") if bcd_gender else None)
    if code != ("1" if int(number[16]) % 2 else "2"):
        return Verdict(False, "gender missing or disagrees with the number")
    nation = raw[0x0B]
    if not (len(nation) == 2 and re.fullmatch(b"[0-9]{2}", nation)) and not (
            len(nation) == 1 and re.fullmatch("[0-9]{2}", nation.hex())):
        return Verdict(False, "ethnic-group code not two digits")
    if not issued <= expires or issued < birth:
        return Verdict(False, "dates out of order")
    name = oracle_text(raw[9], "gb18030")
    if name is None or not (ORACLE_CN_NAME.fullmatch(name) or ORACLE_LATIN_NAME.fullmatch(name)):
        return Verdict(False, "name is empty or not a name")
    if 0x4E in raw:
        extension = oracle_text(raw[0x4E], "gb18030")
        if extension is None or (extension and not (ORACLE_CN_NAME.fullmatch(extension)
                                                     or ORACLE_LATIN_NAME.fullmatch(extension))):
            return Verdict(False, "name extension is not a name")
    return Verdict(True)


# --- citizen card: the target ------------------------------------------------------------------------


@target("citizencard")
class CitizenCardTarget:
    def __init__(self, rng: random.Random) -> None:
        from drivers.citizencard.errors import CitizenCardError
        from drivers.citizencard.profiles import shipped_profiles
        from kiosk.identity.resident import IdentityUnavailable
        from kiosk.identity.validate import CardDataRejected

        self.rng = rng
        self.profiles = shipped_profiles()
        self.typed = (CitizenCardError, CardDataRejected, IdentityUnavailable)

    def fixture(self) -> dict[str, Any]:
        rng = self.rng
        birth = random_date(rng, dt.date(1925, 1, 1), dt.date(2020, 1, 1))
        male = rng.random() < 0.5
        issued = random_date(rng, max(birth, dt.date(2005, 1, 1)), dt.date(2025, 12, 31))
        roll = rng.random()
        prefix = resident_prefix(rng) if roll < 0.85 else rng.choice(("810000", "820000", "830000")) \
            if roll < 0.93 else "9" + f"{rng.randrange(10**5):05d}"
        number = make_number(rng, prefix, birth, male)
        name = chinese_name(rng, 15)
        while len(name.encode("gb18030")) > 30:
            name = name[:-1]
        ssse: dict[str, Any] = {
            "card_identifier": f"{rng.randrange(16**8):08X}D15600000500000001FFFFFFFF"[:32],
            "card_type": "3", "spec_version": rng.choice(("2.00", "2.00", "1.00")),
            "issuer_code": f"{rng.randrange(10**12):012d}", "issue_date": issued,
            "valid_to": issued.replace(year=issued.year + 10, day=min(issued.day, 28)),
            "card_number": rng.choice("ABCDEFGH") + f"{rng.randrange(10**8):08d}", "id_number": number,
            "name": name, "gender": "1" if male else "2",
            "nation": rng.choice(("01", "01", "22", "03", "56")), "birthplace": number[:6], "birth_date": birth,
        }
        if rng.random() < 0.1:
            ssse["name_extension"] = " ".join(rng.choice(LATIN_WORDS) for _ in range(2))[:20]
        fixture: dict[str, Any] = {"card": {"text_padding": rng.choice(("20", "20", "00"))}, "ssse": ssse}
        if rng.random() < 0.4:
            start = random_date(rng, issued, dt.date(2026, 1, 1))
            fixture["tunion"] = {"serial": "0" + f"{rng.randrange(10**19):019d}", "valid_from": start,
                                 "valid_to": start.replace(year=start.year + 10, day=min(start.day, 28)),
                                 "balance_fen": rng.randrange(100000)}
        return fixture

    def mutate_record(self, card: Any) -> str:
        rng = self.rng
        fid = rng.choice((0xEF05, 0xEF06, 0xEF06, 0xEF06))
        records = card.files[fid].records
        index = rng.randrange(len(records))
        record = bytearray(records[index])
        if len(record) < 2:  # cut short by an earlier mutation: give it back its length byte
            records[index] = bytes((record[0], 0))
            return f"tag {record[0]:02X}: empty record"
        tag, value = record[0], bytearray(record[2:])
        choice = rng.randrange(11)
        label = f"tag {tag:02X}: "
        if choice == 0 and value:
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(value))
                value[at] ^= 1 << rng.randrange(8)
            label += "bit flips"
        elif choice == 1 and value:
            start = rng.randrange(len(value))
            value[start : start + rng.randint(1, 6)] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
            label += "random bytes"
        elif choice == 2:
            text = "".join(rng.choice(RANDOM_TEXT) for _ in range(rng.randint(1, 8)))
            encoded = text.encode("gb18030", "replace") if rng.random() < 0.7 else text.encode("utf-8", "replace")
            value = bytearray(encoded[:30])
            label += "random characters"
        elif choice == 3:
            name = chinese_name(rng, 10)
            dangerous = rng.choice(DANGEROUS)
            value = bytearray(insert_at(name, rng.randint(0, len(name)), dangerous).encode("gb18030", "replace"))
            label += "dangerous character"
        elif choice == 4:
            value = bytearray(rng.choice((b"", b"\xff", b" ", b"\x00", b"\xff\xff", b"  ", b"\x12", b"\x21",
                                          b"\x01", b"\x02", b"\x1f", b"\x00\x01", b"0", b"9", b"3", b"12")))
            label += "empty, filled or odd short value"
        elif choice == 5:
            label += "declared length changed"
            record[1] = (record[1] + rng.choice((-3, -1, 1, 2, 40))) % 256
            records[index] = bytes(record)
            return label
        elif choice == 6 and len(record) > 1:
            label += "record cut short"
            records[index] = bytes(record[: rng.randrange(1, len(record))])
            return label
        elif choice == 7:
            label += "tag changed"
            record[0] = rng.randrange(256)
            records[index] = bytes(record)
            return label
        elif choice == 8:
            value += bytes(rng.choice((b"\x00\x00", b"\xff", b"\x05\x01\x33", b"  ")))
            label += "bytes appended"
        elif choice == 9:
            date = random_date(rng, dt.date(1900, 1, 1), dt.date(2040, 1, 1)).strftime("%Y%m%d")
            value = bytearray(bytes.fromhex(date))
            label += "another date"
        else:
            number = f"{rng.randrange(10**17):017d}"
            number += oracle_check_char(number) if rng.random() < 0.5 else rng.choice("0123456789Xx")
            value = bytearray(number.encode("ascii"))
            label += "another number"
        records[index] = bytes((tag, len(value) & 0xFF)) + bytes(value)
        return label

    def mutate_purse(self, card: Any) -> str:
        rng = self.rng
        purse = bytearray(card.purse_file)
        at = rng.randrange(10, 28)
        if rng.random() < 0.5:
            purse[at] ^= 1 << rng.randrange(8)
        else:
            purse[at] = rng.randrange(256)
        card.purse_file = bytes(purse)
        return "purse byte changed"

    def case(self) -> Case:
        from drivers.citizencard.card_emulator import VirtualCard

        rng = self.rng
        fixture = self.fixture()
        name = fixture["ssse"]["name"]
        fixture["ssse"]["name"] = "甲"  # the emulator writes GBK; the rare characters of names need GB18030
        card = VirtualCard(fixture)
        pad = bytes.fromhex(fixture["card"]["text_padding"])
        records = card.files[0xEF06].records
        records[1] = bytes((0x09, 30)) + name.encode("gb18030") + pad * (30 - len(name.encode("gb18030")))
        labels = []
        for _ in range(rng.choices((0, 1, 2), (12, 70, 18))[0]):
            labels.append(self.mutate_record(card))
        if card.purse_file and rng.random() < 0.1:
            labels.append(self.mutate_purse(card))
        return Case(" + ".join(labels) or "valid card", card, oracle_citizen(card))

    def run(self, card: Any) -> None:
        from drivers.citizencard import profile_runner
        from drivers.citizencard.channel import Deadline
        from drivers.citizencard.simulated import EmulatedChannel
        from kiosk.identity.resident import from_citizen_card

        read = profile_runner.read_card(EmulatedChannel(card), self.profiles, reader="fuzz", authenticator=None,
                                        deadline=Deadline(5.0))
        from_citizen_card(read)


# --- catalogue: the oracle (docs/catalog-format.md) -------------------------------------------------


# (min, max characters, kind): "id" ASCII letters, digits, . _ - starting with a letter or digit; "line" text
# without line feeds; "block" text that may hold line feeds.
CATALOG_TEXT = {"code": (1, 64, "id"), "name": (1, 128, "line"), "department": (1, 64, "line"),
                "category": (1, 64, "line"), "summary": (0, 2000, "block"), "fees": (0, 1000, "block"),
                "place": (0, 500, "block"), "hours": (0, 500, "block")}
CATALOG_TEXT_LISTS = {"conditions": (100, (0, 1000, "block")), "steps": (100, (0, 1000, "block")),
                      "forms": (20, (1, 64, "id")), "legal_basis": (100, (0, 1000, "block"))}
CATALOG_MATERIAL_TEXT = {"name": (1, 128, "line"), "copies": (0, 64, "line"), "note": (0, 1000, "block")}
CATALOG_PHONES = {"consult": (0, 64, "line"), "complaint": (0, 64, "line")}
CATALOG_INTS = {"legal_limit_days": (0, 3650), "promised_limit_days": (0, 3650), "visits": (0, 2),
                "popularity": (0, 1_000_000_000)}
CATALOG_BOOLS = ("online", "express", "declarable_here")
ORACLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class HugeInt:
    """An integer literal of more than 20 digits, which the format puts out of every range."""


def oracle_catalog_text(value: object, rule: tuple[int, int, str]) -> str | None:
    low, high, kind = rule
    if not isinstance(value, str):
        return "not a string"
    if len(value) > high:
        return "too long"
    if low and not value.strip():
        return "empty"
    if kind == "id":
        return None if ORACLE_ID.fullmatch(value) else "not an identifier"
    for char in value:
        if char == "\n":
            if kind != "block":
                return "line feed in one-line text"
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or (
            0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE
        ):
            return f"U+{ord(char):04X} in text"
    return None


def oracle_catalog_int(value: object, low: int, high: int) -> str | None:
    if type(value) is not int:
        return "not an integer"
    return None if low <= value <= high else "integer out of range"


def oracle_catalog_item(item: object) -> str | None:
    if not isinstance(item, dict):
        return "item not an object"
    keys = (*CATALOG_TEXT, *CATALOG_TEXT_LISTS, *CATALOG_INTS, *CATALOG_BOOLS, "audience", "materials", "phones")
    if any(key not in item for key in keys):
        return "item key missing"
    for key, rule in CATALOG_TEXT.items():
        if problem := oracle_catalog_text(item[key], rule):
            return f"{key}: {problem}"
    for key, (most, rule) in CATALOG_TEXT_LISTS.items():
        entries = item[key]
        if not isinstance(entries, list) or len(entries) > most:
            return f"{key}: not a list of at most {most}"
        if any(oracle_catalog_text(entry, rule) for entry in entries):
            return f"{key}: bad entry"
    for key, (low, high) in CATALOG_INTS.items():
        if problem := oracle_catalog_int(item[key], low, high):
            return f"{key}: {problem}"
    if any(type(item[key]) is not bool for key in CATALOG_BOOLS):
        return "flag not true/false"
    if item["audience"] not in ("personal", "enterprise"):
        return "audience"
    phones = item["phones"]
    if not isinstance(phones, dict) or any(
        key not in phones or oracle_catalog_text(phones[key], rule) for key, rule in CATALOG_PHONES.items()
    ):
        return "phones"
    materials = item["materials"]
    if not isinstance(materials, list) or len(materials) > 100:
        return "materials: not a list of at most 100"
    for material in materials:
        if not isinstance(material, dict) or any(
            key not in material for key in (*CATALOG_MATERIAL_TEXT, "form", "required", "waivable")
        ):
            return "material not an object with every key"
        if any(oracle_catalog_text(material[key], rule) for key, rule in CATALOG_MATERIAL_TEXT.items()):
            return "material text"
        if material["form"] not in ("paper", "electronic", "either"):
            return "material form"
        if type(material["required"]) is not bool or type(material["waivable"]) is not bool:
            return "material flag"
    return None


def oracle_catalog_document(doc: object) -> Verdict:
    if not isinstance(doc, dict):
        return Verdict(False, "top level not an object")
    if type(doc.get("format")) is not int or doc["format"] != 1:
        return Verdict(False, "format not 1")
    if "catalog_version" not in doc or oracle_catalog_int(doc["catalog_version"], 0, 2**53 - 1):
        return Verdict(False, "catalog_version")
    if "sample" in doc and type(doc["sample"]) is not bool:
        return Verdict(False, "sample not true/false")
    items = doc.get("items")
    if not isinstance(items, list) or len(items) > 100_000:
        return Verdict(False, "items not a list of at most 100,000")
    for item in items:
        if problem := oracle_catalog_item(item):
            return Verdict(False, problem)
    codes = [item["code"] for item in items]
    return Verdict(True) if len(set(codes)) == len(codes) else Verdict(False, "duplicate code")


def oracle_catalog_depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def oracle_catalog_file(data: bytes) -> Verdict:
    if len(data) > 256 * 1024 * 1024:
        return Verdict(False, "larger than 256 MiB")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return Verdict(False, "not UTF-8")
    if oracle_catalog_depth(text) > 32:
        return Verdict(False, "nested deeper than 32")

    def no_constants(name: str) -> object:
        raise ValueError(name)

    try:
        doc = json.loads(text, parse_constant=no_constants,
                         parse_int=lambda s: int(s) if len(s.lstrip("-")) <= 20 else HugeInt())
    except ValueError:
        return Verdict(False, "not JSON")
    return oracle_catalog_document(doc)


def utf8(text: str) -> bytes:
    """`text` as a file holds it; a lone surrogate becomes the bytes UTF-8 forbids (as a file may hold them)."""
    return text.encode("utf-8", "surrogatepass")


@target("catalog")
class CatalogTarget:
    """A small valid catalogue, mutated as values and as file text. Two thirds are files through
    `parse_catalog_json` (`kiosk catalog import` up to the write), a third are parsed documents through
    `parse_catalog_document` (how the sync engine hands over the platform's answer)."""

    def __init__(self, rng: random.Random) -> None:
        from offline_cache.catalog import parse_catalog_document, parse_catalog_json
        from offline_cache.errors import CatalogError

        self.rng = rng
        self.typed = (CatalogError,)
        self.parse_file = parse_catalog_json
        self.parse_document = parse_catalog_document

    def text(self, low: int, high: int, kind: str) -> str:
        rng = self.rng
        if kind == "id":
            return "330000-" + rng.choice(("GA", "SB", "YB", "GJJ")) + f"-XK-{rng.randrange(10000):04d}"
        size = rng.randint(max(low, 1), min(high, 24)) if rng.random() < 0.97 else rng.randint(low, high)
        pool = COMMON_CJK + ("" if rng.random() < 0.8 else RARE_CJK + "（）：，。 0123456789ABC")
        value = "".join(rng.choices(pool, k=size))
        return value if not low or value.strip() else "办"

    def item(self) -> dict[str, Any]:
        rng = self.rng
        item: dict[str, Any] = {key: self.text(*rule) for key, rule in CATALOG_TEXT.items()}
        for key, (most, rule) in CATALOG_TEXT_LISTS.items():
            item[key] = [self.text(*rule) for _ in range(rng.randint(0, min(most, 4)))]
        item["forms"] = [rng.choice(("geti_sheli", "shengyu_dengji", "gongjijin_tiqu")) for _ in item["forms"]]
        item.update({key: rng.randint(low, high) for key, (low, high) in CATALOG_INTS.items()})
        item.update({key: rng.random() < 0.5 for key in CATALOG_BOOLS})
        item["audience"] = rng.choice(("personal", "enterprise"))
        item["phones"] = {key: rng.choice(("12345", "0571-89561881", "")) for key in CATALOG_PHONES}
        item["materials"] = [
            {**{key: self.text(*rule) for key, rule in CATALOG_MATERIAL_TEXT.items()},
             "form": rng.choice(("paper", "electronic", "either")), "required": rng.random() < 0.7,
             "waivable": rng.random() < 0.2}
            for _ in range(rng.randint(0, 3))
        ]
        return item

    def document(self) -> dict[str, Any]:
        rng = self.rng
        items = {}
        for _ in range(rng.randint(1, 3)):
            item = self.item()
            items[item["code"]] = item
        return {"format": 1, "catalog_version": rng.randint(0, 2**53 - 1), "sample": rng.random() < 0.5,
                "items": list(items.values())}

    def odd_value(self, as_file: bool) -> tuple[str, Any]:
        rng = self.rng
        roll = rng.randrange(12)
        if roll == 0:
            return "huge integer", rng.choice((2**53, 2**63, 2**64, 2**70, 10**30, -(2**63) - 1, -1))
        if roll == 1:
            return "out-of-range integer", rng.choice((3651, 3, 1_000_000_001, -1))
        if roll == 2:
            return "float", rng.choice((1.5, 0.0, 1e300, float("nan"), float("inf")))
        if roll == 3:
            return "dangerous character", insert_at("居民身份证", rng.randint(0, 5), rng.choice(DANGEROUS))
        if roll == 4:
            return "lone surrogate", insert_at("居民身份证", rng.randint(0, 5), chr(rng.randint(0xD800, 0xDFFF)))
        if roll == 5:
            return "long text", "证" * rng.choice((65, 129, 501, 1001, 2001, 20_000))
        if roll == 6:
            return "random text", "".join(rng.choice(RANDOM_TEXT) for _ in range(rng.randint(0, 12)))
        if roll == 7:
            return "empty or blank text", rng.choice(("", " ", "\u3000", "\n"))
        if roll == 8:
            return "true/false/null", rng.choice((True, False, None))
        if roll == 9:
            return "nested lists", functools.reduce(lambda inner, _: [inner], range(rng.randint(1, 40)), [])
        if roll == 10:
            return "object", {"a": rng.choice((1, "x", None))}
        if as_file:
            return "integer of thousands of digits", rng.choice((10**30, 2**70))  # written long below
        return "integer of thousands of digits", 10 ** rng.randint(4301, 6000)

    def mutate_document(self, doc: dict[str, Any], as_file: bool) -> str:
        rng = self.rng
        items = doc["items"] if isinstance(doc.get("items"), list) else []
        objects = [entry for entry in items if isinstance(entry, dict) and entry]
        roll = rng.random()
        if not objects:  # an earlier mutation left no item to change: change the top level
            key = rng.choice(("format", "catalog_version", "sample", "items"))
            label, doc[key] = self.odd_value(as_file)
            return f"{label} in {key}"
        item = rng.choice(objects)
        if roll < 0.55:
            where = rng.random()
            materials = [m for m in item.get("materials", ()) if isinstance(m, dict) and m] \
                if isinstance(item.get("materials"), list) else []
            if where < 0.1:
                key, target_dict = rng.choice(("format", "catalog_version", "sample", "items")), doc
            elif where < 0.2 and materials:
                target_dict = rng.choice(materials)
                key = rng.choice(sorted(target_dict))
            elif where < 0.25 and isinstance(item.get("phones"), dict):
                key, target_dict = rng.choice(sorted(CATALOG_PHONES)), item["phones"]
            elif where < 0.4:
                key = rng.choice(sorted(CATALOG_TEXT_LISTS))
                label, value = self.odd_value(as_file)
                entries = item.get(key)
                item[key] = [*entries, value] if isinstance(entries, list) and rng.random() < 0.7 else value
                return f"{label} in {key}"
            else:
                key, target_dict = rng.choice(sorted(item)), item
            label, value = self.odd_value(as_file)
            target_dict[key] = value
            return f"{label} in {key}"
        if roll < 0.65:
            del item[rng.choice(sorted(item))]
            return "key missing"
        if roll < 0.72:
            item[rng.choice(("x", "future", "名称"))] = self.odd_value(as_file)[1]
            return "unknown key"
        if roll < 0.78:
            items.append(dict(item))
            return "duplicate code"
        if roll < 0.84:
            key = rng.choice(sorted(CATALOG_TEXT_LISTS))
            most, rule = CATALOG_TEXT_LISTS[key]
            item[key] = [self.text(*rule)] * (most + rng.choice((0, 1)))
            return "list at or past its limit"
        if roll < 0.92:
            key = rng.choice(sorted(CATALOG_TEXT))
            _, high, kind = CATALOG_TEXT[key]
            item[key] = ("A" if kind == "id" else "证") * (high + rng.choice((0, 1)))
            return "text at or past its limit"
        items[items.index(item)] = self.odd_value(as_file)[1]
        return "item not an object"

    def mutate_text(self, text: str) -> tuple[str, bytes]:
        rng = self.rng
        roll = rng.randrange(9)
        if roll == 0:
            at = rng.randrange(len(text))
            return "file cut short", utf8(text[:at])
        if roll == 1:
            data = bytearray(utf8(text))
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            return "bits flipped in the file", bytes(data)
        if roll == 2:
            depth = rng.choice((30, 31, 32, 33, 100, 100_000))
            nested = "[" * depth + "]" * depth
            return "deep nesting", utf8(text.replace('"code"', f'"x": {nested}, "code"', 1))
        if roll == 3:
            digits = rng.choice((20, 21, 400, 5000))
            field = rng.choice(("popularity", "visits", "legal_limit_days", "catalog_version", "x"))
            if field == "x":
                changed = text.replace('"code"', f'"x": {"9" * digits}, "code"', 1)
            else:
                changed = re.sub(f'"{field}": -?[0-9]+', f'"{field}": {"9" * digits}', text, count=1)
            return "long integer literal", utf8(changed)
        if roll == 4:
            constant = rng.choice(("NaN", "Infinity", "-Infinity"))
            return "NaN or Infinity", utf8(re.sub(r'"popularity": [0-9]+', f'"popularity": {constant}', text, count=1))
        if roll == 5:
            encoding = rng.choice(("utf-16", "utf-32", "gb18030"))
            return "other encoding", text.encode(encoding, "replace" if encoding == "gb18030" else "surrogatepass")
        if roll == 6:
            return "byte order mark", utf8("\ufeff" + text)
        if roll == 7:
            at = rng.randrange(len(text))
            junk = "".join(rng.choice('[]{}",:\\ 0123456789truefalsenull') for _ in range(rng.randint(1, 6)))
            return "JSON characters inserted", utf8(insert_at(text, at, junk))
        escape = rng.choice(("\\ud800", "\\udfff", "\\u0000", "\\u202e", "\\u2028", "\\ufeff", "\\uffff"))
        return "escaped character", utf8(text.replace('"name": "', f'"name": "{escape}', 1))

    def case(self) -> Case:
        rng = self.rng
        doc = self.document()
        as_file = rng.random() < 2 / 3
        labels = [self.mutate_document(doc, as_file) for _ in range(rng.choices((0, 1, 2), (15, 70, 15))[0])]
        if not as_file:
            return Case(" + ".join(labels) or "valid document", ("document", doc), oracle_catalog_document(doc))
        text = json.dumps(doc, ensure_ascii=rng.random() < 0.3)
        if "thousands of digits" in " ".join(labels):
            text = text.replace("1000000000000000000000000000000", "1" + "0" * 5000).replace(
                str(2**70), "1" + "0" * 4400)
        data = utf8(text)
        if rng.random() < 0.3:
            label, data = self.mutate_text(text)
            labels.append(label)
        return Case(" + ".join(labels) or "valid file", ("file", data), oracle_catalog_file(data))

    def run(self, data: tuple[str, Any]) -> None:
        kind, value = data
        if kind == "file":
            self.parse_file(value)
        else:
            self.parse_document(value)


# --- signed documents ------------------------------------------------------------------------------


@target("documents")
class DocumentsTarget:
    """Signed certificates (tests/fixtures/signed_documents.py: RSA, ECDSA, with validation data appended,
    with a timestamp) mutated as bytes: flips, random bytes, digits changed in place (offsets, lengths,
    object numbers), truncation, insertion, deletion. The product is `kiosk.documents.verify.verify_pdf`.

    The oracle knows only where the seed's signature lies: each seed's signed byte ranges and the end of
    its signed revision, found with its own scan of /ByteRange. A case is one the kiosk may print ("real")
    when nothing signed changed: every changed byte is inside the signature's own /Contents (the gap of
    the byte range) or after the signed revision; a cut or an insertion only after the signed revision.
    Accepting any other case is a wrong acceptance."""

    def __init__(self, rng: random.Random) -> None:
        from kiosk.documents.verify import DocumentRefused, verify_pdf
        from tests.fixtures import signed_documents as sd

        # Every refusal is logged (and pyHanko warns on most): without a handler each would reach stderr.
        for name in ("kiosk.documents", "pyhanko", "pyhanko_certvalidator"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        self.rng = rng
        self.typed = (DocumentRefused,)
        self.verify = verify_pdf
        pki = sd.pki()
        self.anchors = [pki.root.cert]
        seeds = [sd.signed(), sd.signed(pki.ecdsa_seal), sd.append_dss(sd.signed()), sd.signed(timestamp=True)]
        self.seeds = [(seed, *self.oracle_layout(seed)) for seed in seeds]

    @staticmethod
    def oracle_layout(seed: bytes) -> tuple[range, int]:
        """The seed's /Contents gap and the end of its signed revision, from its own /ByteRange."""
        match = re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", seed)
        assert match is not None
        _, first, second, length = (int(n) for n in match.groups())
        return range(first, second), second + length

    def case(self) -> Case:
        rng = self.rng
        seed, gap, end = rng.choice(self.seeds)
        data = bytearray(seed)
        kind = rng.choice(("flip", "random bytes", "digits", "truncate", "insert", "delete"))
        touched: list[int] = []
        if kind in ("flip", "random bytes", "digits"):
            digits = [m.start() for m in re.finditer(rb"\d", seed)] if kind == "digits" else []
            for _ in range(rng.randint(1, 6)):
                at = rng.choice(digits) if digits else rng.randrange(len(data))
                new = (data[at] ^ (1 << rng.randrange(8)) if kind == "flip" else
                       ord(str(rng.randrange(10))) if kind == "digits" else rng.randrange(256))
                if new != data[at]:
                    data[at] = new
                    touched.append(at)
            real = all(at in gap or at >= end for at in touched)
        elif kind == "truncate":
            cut = rng.randrange(len(data))
            del data[cut:]
            real = cut >= end
        elif kind == "insert":
            at = rng.randrange(len(data) + 1)
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
            real = at >= end
        else:
            at = rng.randrange(len(data))
            del data[at:at + rng.randint(1, 256)]
            real = at >= end
        verdict = Verdict(True) if real else Verdict(False, f"{kind} inside the signed revision")
        return Case(kind, bytes(data), verdict)

    def run(self, data: Any) -> None:
        self.verify(data, self.anchors)


# --- report ------------------------------------------------------------------------------------------


def top(counter: collections.Counter[str], n: int) -> Iterator[str]:
    for key, count in counter.most_common(n):
        yield f"      {count:>8,}  {key}"


def report(name: str, tally: Tally, seconds: float, seed: int, detail: int) -> bool:
    print(f"{name}: {tally.cases:,} cases in {seconds:.1f} s ({tally.cases / max(seconds, 1e-9):,.0f} cases/s), "
          f"seed {seed}")
    print(f"  accepted, real                {tally.accepted_real:>9,}")
    if tally.accepted_unjudged:
        print(f"  accepted, no oracle           {tally.accepted_unjudged:>9,}")
    print(f"  typed errors                  {tally.typed:>9,}   (refused although real: {tally.refused_real:,})")
    print(f"  UNTYPED errors                {tally.untyped:>9,}   floor 0")
    print(f"  WRONG ACCEPTANCES             {tally.wrong:>9,}   floor 0")
    if detail:
        print("    refusals by code:")
        print(*top(tally.codes, detail), sep="\n")
    for title, counter in (("untyped", tally.untyped_kinds), ("wrong acceptances", tally.wrong_kinds),
                           ("refused although real", tally.refused_real_kinds)):
        if counter:
            print(f"    {title}:")
            print(*top(counter, max(detail, 10)), sep="\n")
    return tally.untyped == 0 and tally.wrong == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--cases", type=int, default=100_000, help="cases per target (100,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--detail", type=int, default=0, metavar="N", help="print the N most frequent refusal codes")
    parser.add_argument("--quick", action="store_true", help="a smoke run of 2,000 cases per target")
    args = parser.parse_args()
    if args.quick:
        args.cases = 2_000
    if args.cases < 1:
        parser.error("--cases must be at least 1")
    names = list(TARGETS) if args.target == "all" else [args.target]
    ok = True
    for name in names:
        start = time.perf_counter()
        tally = fuzz(TARGETS[name], args.cases, args.seed)
        ok &= report(name, tally, time.perf_counter() - start, args.seed, args.detail)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
