"""The GUI thread keeps serving events while the card reader takes 2 s: the read runs on a worker.

The real serial backend reads from the byte-faithful simulator, told to answer the read command 2 s
late; the read runs on a DeviceWorker while a 10 ms QTimer on the GUI thread counts its ticks. Had the
read blocked the GUI thread, no tick could fire between the request and the answer. How late the ticks
come is a speed figure and lives in bench/responsiveness.py, not here.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from drivers.idcard.factory import SimulatedIdCardReader, open_reader
from drivers.idcard.simulator import READ, Fault
from ui.workers import DeviceWorker


def test_gui_thread_serves_events_while_the_reader_takes_2_s(qtbot: QtBot) -> None:
    reader = open_reader("simulated", port="")
    assert isinstance(reader, SimulatedIdCardReader)
    reader.simulator.slow_delay_s = 2.0
    reader.simulator.inject(Fault.SLOW, command=READ)
    worker = DeviceWorker("idcard")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    try:
        timer.start()
        started = time.monotonic()
        call = worker.submit(reader.read_card, 5.0)
        with qtbot.waitSignal(call.finished, timeout=10_000) as blocker:
            pass
        answered = time.monotonic()
    finally:
        timer.stop()
        worker.shutdown()
        reader.close()
    assert blocker.args[0].id_number  # the card was read (never printed: personal data)
    assert reader.simulator.wait_for_replies(1, timeout_s=0)
    assert answered - started >= 2.0  # the slow reply really was waited for
    # Ticks in each half of the wait: the event loop ran throughout, not only before or after a block.
    middle = started + (answered - started) / 2
    assert any(started < t < middle for t in ticks)
    assert any(middle <= t < answered for t in ticks)
