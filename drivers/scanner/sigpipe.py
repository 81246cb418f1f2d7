"""Putting SIGPIPE back to "ignored" after libsane has reset it.

libsane's reader (sanei_thread) ignores SIGPIPE while a page is read and then sets it to the default
action when it reaps the reader, whatever it was before. Python starts with SIGPIPE ignored so that a
write to a closed socket raises BrokenPipeError; after a scan the same write would kill the whole
process (exit status 141). The disposition is process-wide, so it is restored through libc's
`signal()`, which works from any thread (Python's `signal.signal` only works in the main thread).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
from functools import cache

_SIG_IGN = 1


@cache
def _libc_signal() -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    func = libc.signal
    func.argtypes = [ctypes.c_int, ctypes.c_void_p]
    func.restype = ctypes.c_void_p
    return func


def python_ignores_sigpipe() -> bool:
    """Whether the interpreter wants SIGPIPE ignored (its own start-up default)."""
    return signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN


def restore_sigpipe_ignored() -> None:
    """Set SIGPIPE to ignored again if Python had it ignored; a no-op when someone chose otherwise."""
    if python_ignores_sigpipe():
        _libc_signal()(int(signal.SIGPIPE), _SIG_IGN)


def sigpipe_ignored_by_kernel() -> bool:
    """What the kernel really has (SigIgn in /proc/self/status), for tests and diagnostics."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) & (1 << (int(signal.SIGPIPE) - 1)))
    return False
