"""SIGPIPE is put back to ignored from any thread, as libsane's reset requires."""

from __future__ import annotations

import signal
import threading

from drivers.scanner.sigpipe import _libc_signal, restore_sigpipe_ignored, sigpipe_ignored_by_kernel

_SIG_DFL = 0


def test_restore_from_a_worker_thread_after_a_reset_behind_pythons_back() -> None:
    assert sigpipe_ignored_by_kernel()
    # What libsane does when it reaps its reader: the default action, without Python knowing.
    _libc_signal()(int(signal.SIGPIPE), _SIG_DFL)
    try:
        assert not sigpipe_ignored_by_kernel()
        worker = threading.Thread(target=restore_sigpipe_ignored)
        worker.start()
        worker.join()
        assert sigpipe_ignored_by_kernel()
    finally:
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
