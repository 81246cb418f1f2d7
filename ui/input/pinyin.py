"""Pinyin to hanzi through libpinyin (Debian `libpinyin15` + `libpinyin-data`), bound with ctypes.

Why libpinyin: it is the engine behind ibus-libpinyin and fcitx-libpinyin, kept in Debian with its
language model (words and characters with their frequencies, a bigram model for sentences), and its C
API is small enough for ctypes; no Python binding is packaged. Measured here: opening the model 3–5 ms,
candidates for a syllable or a word under 5 ms, so lookups run on the GUI thread.

No learning: libpinyin learns only through `pinyin_train`/`pinyin_save` and its DYNAMIC_ADJUST option,
none of which this binding uses, so one resident's choices never reorder the next resident's
candidates. libpinyin insists on a user directory; it gets an empty temporary one, removed with the
context, into which nothing is saved.

`PinyinLibrary` is the loaded model (one per process is enough); each keyboard holds a
`PinyinComposer`, the half-typed pinyin and the hanzi already picked from it.
"""

from __future__ import annotations

import ctypes
import shutil
import sysconfig
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from ui.input.clib import EngineUnavailable, declare, load_library

LIBRARY = "libpinyin.so.15"

# From libpinyin 2.8's pinyin_custom2.h.
PINYIN_INCOMPLETE = 1 << 3  # "gs" finds 公司: initials stand for whole syllables
USE_DIVIDED_TABLE = 1 << 7  # "xian" is also xi'an
USE_RESPLIT_TABLE = 1 << 8  # "fangan" is also fang'an
PINYIN_CORRECT_ALL = 0xFF << 21  # common slips: "lv" for lü, "iou" for iu, "on" for ong
OPTIONS = PINYIN_INCOMPLETE | USE_DIVIDED_TABLE | USE_RESPLIT_TABLE | PINYIN_CORRECT_ALL
# From pinyin.h: longer phrases first, then by frequency (公司 before 公 before 攻 for "gongsi").
SORT_BY_PHRASE_LENGTH = 0x4
SORT_BY_FREQUENCY = 0x10
SORT = SORT_BY_PHRASE_LENGTH | SORT_BY_FREQUENCY
# "g" alone has over a thousand candidates; nobody pages past the first few hundred.
MAX_CANDIDATES = 300


def default_data_dir() -> Path:
    """Where Debian's libpinyin-data puts the model: under the multiarch library directory."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or "x86_64-linux-gnu"
    return Path("/usr/lib") / multiarch / "libpinyin" / "data"


def _close(fini: Callable[[int], None], context: int, user_dir: str) -> None:
    fini(context)
    shutil.rmtree(user_dir, ignore_errors=True)


class PinyinLibrary:
    """libpinyin with its model loaded; raises `EngineUnavailable` when the library or model is missing."""

    def __init__(self, library: str = LIBRARY, data_dir: Path | None = None) -> None:
        data_dir = data_dir or default_data_dir()
        lib = load_library(library)
        v, b, size = ctypes.c_void_p, ctypes.c_bool, ctypes.c_size_t
        init = declare(lib, "pinyin_init", v, ctypes.c_char_p, ctypes.c_char_p)
        fini = declare(lib, "pinyin_fini", None, v)
        set_options = declare(lib, "pinyin_set_options", b, v, ctypes.c_uint32)
        self.alloc_instance = declare(lib, "pinyin_alloc_instance", v, v)
        self.free_instance = declare(lib, "pinyin_free_instance", None, v)
        self.reset = declare(lib, "pinyin_reset", b, v)
        self.parse = declare(lib, "pinyin_parse_more_full_pinyins", size, v, ctypes.c_char_p)
        self.parsed_length = declare(lib, "pinyin_get_parsed_input_length", size, v)
        self.guess_sentence = declare(lib, "pinyin_guess_sentence_with_prefix", b, v, ctypes.c_char_p)
        self.guess_candidates = declare(lib, "pinyin_guess_candidates", b, v, size, ctypes.c_uint)
        self.n_candidates = declare(lib, "pinyin_get_n_candidate", b, v, ctypes.POINTER(ctypes.c_uint))
        self.candidate = declare(lib, "pinyin_get_candidate", b, v, ctypes.c_uint, ctypes.POINTER(v))
        self.candidate_string = declare(lib, "pinyin_get_candidate_string", b, v, v,
                                        ctypes.POINTER(ctypes.c_char_p))
        self.choose = declare(lib, "pinyin_choose_candidate", ctypes.c_int, v, size, v)
        # pinyin_init prints to stderr and returns NULL when the model is missing; say which file instead.
        if not (data_dir / "table.conf").is_file():
            raise EngineUnavailable(f"no libpinyin model in {data_dir}")
        user_dir = tempfile.mkdtemp(prefix="kiosk-pinyin-")
        context = init(str(data_dir).encode(), user_dir.encode())
        if not context:
            shutil.rmtree(user_dir, ignore_errors=True)
            raise EngineUnavailable(f"libpinyin could not open the model in {data_dir}")
        set_options(context, OPTIONS)
        self.context: int = context
        self.user_dir = Path(user_dir)
        self._finalizer = weakref.finalize(self, _close, fini, context, user_dir)

    def composer(self) -> PinyinComposer:
        return PinyinComposer(self)


class PinyinComposer:
    """One keyboard's pinyin: the letters typed, the hanzi picked so far, the candidates for the rest.

    Picking a candidate that covers only part of the letters ("zhongguo" of "zhongguoyinhang") keeps the
    rest for the next pick; when nothing is left, `choose` returns the whole text to put in the field.
    """

    def __init__(self, library: PinyinLibrary) -> None:
        self._lib = library
        instance = library.alloc_instance(library.context)
        if not instance:
            raise EngineUnavailable("libpinyin could not allocate an input instance")
        self._instance: int = instance
        # The library stays referenced by the finalizer, so the context outlives every instance.
        self._finalizer = weakref.finalize(self, library.free_instance, instance)
        self.typed = ""
        self._picked: list[tuple[str, int]] = []  # hanzi, letters of `typed` they stand for
        self._candidates: list[str] = []
        self._slots: list[int] = []  # libpinyin's index of each candidate
        self._raw = False  # the rest does not parse as pinyin: the only candidate is the letters themselves

    @property
    def active(self) -> bool:
        return bool(self.typed)

    @property
    def picked(self) -> str:
        return "".join(text for text, _length in self._picked)

    @property
    def rest(self) -> str:
        return self.typed[sum(length for _text, length in self._picked):]

    @property
    def preedit(self) -> str:
        """What the bar shows while composing: the hanzi picked, then the letters still to convert."""
        return self.picked + self.rest

    @property
    def candidates(self) -> list[str]:
        return list(self._candidates)

    def type(self, letters: str) -> None:
        self.typed += letters.lower()
        self._lookup()

    def backspace(self) -> bool:
        """Takes back the last letter; False when there was none. A pick that covered the letter goes,
        and so does one that would be left with no letters after it (nothing could finish it)."""
        if not self.typed:
            return False
        self.typed = self.typed[:-1]
        while self._picked and sum(length for _text, length in self._picked) >= len(self.typed):
            self._picked.pop()
        self._lookup()
        return True

    def choose(self, index: int) -> str | None:
        """Picks candidate `index`; returns the finished text once no letters are left, else None."""
        if not 0 <= index < len(self._candidates):
            raise IndexError(index)
        rest = self.rest
        if self._raw:
            consumed = len(rest)
        else:
            lib = self._lib
            candidate = ctypes.c_void_p()
            lib.candidate(self._instance, self._slots[index], ctypes.byref(candidate))
            cursor = lib.choose(self._instance, 0, candidate)
            consumed = cursor if 0 < cursor <= len(rest) else lib.parsed_length(self._instance)
        self._picked.append((self._candidates[index], max(1, consumed)))
        if self.rest:
            self._lookup()
            return None
        text = self.picked
        self.reset()
        return text

    def reset(self) -> None:
        """Forgets the letters, the picks and the candidates (a commit, a new field, the session's end)."""
        self.typed = ""
        self._picked = []
        self._candidates, self._slots = [], []
        self._raw = False
        self._lib.reset(self._instance)

    def _lookup(self) -> None:
        lib, instance, rest = self._lib, self._instance, self.rest
        lib.reset(instance)
        self._candidates, self._slots, self._raw = [], [], False
        if not rest:
            return
        parsed = lib.parse(instance, rest.encode("ascii", "ignore"))
        if parsed:
            lib.guess_sentence(instance, self.picked.encode())
            lib.guess_candidates(instance, 0, SORT)
            count = ctypes.c_uint()
            lib.n_candidates(instance, ctypes.byref(count))
            candidate, text = ctypes.c_void_p(), ctypes.c_char_p()
            for i in range(min(count.value, MAX_CANDIDATES)):
                if lib.candidate(instance, i, ctypes.byref(candidate)) and \
                        lib.candidate_string(instance, candidate, ctypes.byref(text)) and text.value:
                    self._candidates.append(text.value.decode("utf-8", "replace"))
                    self._slots.append(i)
        if not self._candidates:
            # Letters that are no pinyin (a unit "B", an English name) can still be put in as typed.
            self._candidates, self._raw = [rest], True
