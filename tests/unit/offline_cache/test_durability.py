"""A submission survives kill -9 of the writing process right after add_submission returns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from offline_cache.store import OfflineCache

CHILD = textwrap.dedent(
    """
    import sys
    from offline_cache.store import OfflineCache

    cache = OfflineCache.open(sys.argv[1], terminal_id="T0001")
    item = cache.outbox.add_submission("330000-GA-XK-0001", {"reason": "换领"}, {"name": "测试人"})
    print(item.uuid, item.receipt_no, flush=True)
    sys.stdin.read()  # hold the process (and its open database) until it is killed
    """
)


def test_submission_survives_sigkill_after_add_returns(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[3]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # blocks until the child reports the committed item
        uuid, receipt = line.split()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
    cache = OfflineCache.open(tmp_path, terminal_id="T0001")
    try:
        item = cache.outbox.get(uuid)
        assert (item.state, item.receipt_no) == ("pending", receipt)
        assert cache.outbox.read_personal(uuid) == {"name": "测试人"}
        assert cache.outbox.add_heartbeat({}).receipt_no == "T0001-000002"
    finally:
        cache.close()
