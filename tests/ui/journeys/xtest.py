"""A mouse and a keyboard through the X server (the XTEST extension), as a panel that reports as a mouse.

Events made here go into the X server's input queue like a device's: the server delivers them to the
window under the pointer, Qt reads them from its connection as it reads any. libXtst is loaded by
ctypes (as `xdotool` does, without a process per event: a drag is dozens of moves).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os


class XTestError(RuntimeError):
    pass


def _load(name: str, soname: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name) or soname
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise XTestError(f"{soname} cannot be loaded ({exc}); install libxtst6 (scripts/setup.sh --dev does)") from exc


class XInput:
    """One connection to the X server named by DISPLAY; every call waits until the server has it."""

    def __init__(self, display: str | None = None) -> None:
        self._x11 = _load("X11", "libX11.so.6")
        self._xtst = _load("Xtst", "libXtst.so.6")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x11.XStringToKeysym.restype = ctypes.c_ulong
        self._x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self._x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self._x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                                    ctypes.c_ulong]
        self._xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self._xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        name = display if display is not None else os.environ.get("DISPLAY", "")
        self._display = self._x11.XOpenDisplay(name.encode())
        if not self._display:
            raise XTestError(f"cannot open the X display {name!r}")

    def _sync(self) -> None:
        self._x11.XSync(self._display, 0)

    def move(self, x: int, y: int) -> None:
        self._xtst.XTestFakeMotionEvent(self._display, -1, x, y, 0)
        self._sync()

    def press(self, button: int = 1) -> None:
        self._xtst.XTestFakeButtonEvent(self._display, button, 1, 0)
        self._sync()

    def release(self, button: int = 1) -> None:
        self._xtst.XTestFakeButtonEvent(self._display, button, 0, 0)
        self._sync()

    def key(self, name: str) -> None:
        """Presses and releases the key named `name` (an X keysym name: "F5", "Return")."""
        keysym = self._x11.XStringToKeysym(name.encode())
        code = self._x11.XKeysymToKeycode(self._display, keysym) if keysym else 0
        if not code:
            raise XTestError(f"no key {name!r} on this X server's keyboard")
        self._xtst.XTestFakeKeyEvent(self._display, code, 1, 0)
        self._xtst.XTestFakeKeyEvent(self._display, code, 0, 0)
        self._sync()

    def close(self) -> None:
        if self._display:
            self._x11.XCloseDisplay(self._display)
            self._display = None
