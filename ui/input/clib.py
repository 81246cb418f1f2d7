"""Loading a C library and declaring its functions, shared by the engine bindings."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any


class EngineUnavailable(RuntimeError):
    """A library, its data or its model is missing or unreadable; the message names which (never input)."""


def load_library(name: str) -> ctypes.CDLL:
    """`name` is a soname found by the loader ("libzinnia.so.0") or a path to one."""
    try:
        return ctypes.CDLL(name)
    except OSError as exc:
        raise EngineUnavailable(f"cannot load {name}: {exc}") from exc


def declare(library: ctypes.CDLL, name: str, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    """The function `name` with its C types: without them ctypes truncates pointers to int."""
    try:
        function = getattr(library, name)
    except AttributeError as exc:
        raise EngineUnavailable(f"{library._name} has no {name}") from exc
    function.restype = restype
    function.argtypes = list(argtypes)
    return function  # type: ignore[no-any-return]
