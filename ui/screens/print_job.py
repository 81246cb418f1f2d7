"""The print screen ("print"): what is printing, the job's progress live, and a way out when it fails.

Another screen navigates here with a `kiosk.resident.print_jobs.PrintRequest`. The job (render, print, remove the
file) runs on a `DeviceWorker("printer")` started for it; progress comes back by signal. 返回 during a job
cancels it (the driver cancels the job at the server, so no paper comes out after the resident left).
Each state and message shows in the screen's language with the other language's line under it.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.resident.print_jobs import (
    PRINT_ERRORS,
    PrintProgress,
    PrintRequest,
    PrintResult,
    PrintStep,
    counter_note,
    describe_failure,
    note_after,
    run_print_job,
)
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.i18n.texts import keep, keep_lines, keep_made, keep_pair, retranslate_kept
from ui.widgets.bug_notice import shown_as_bug
from ui.widgets.kinetic import make_kinetic
from ui.widgets.labels import text_label
from ui.workers import Call, DeviceWorker

# Step -> (progress bar value out of STEPS, Chinese, English); {doc} is what is printed (表格, 办事指南).
STEPS = 4
_STEP_TEXT: dict[PrintStep, tuple[int, str, str]] = {
    PrintStep.RENDERING: (1, "正在准备{doc}…", "Preparing the {doc}…"),
    PrintStep.SUBMITTING: (2, "正在发送到打印机…", "Sending to the printer…"),
    PrintStep.SUBMITTED: (2, "已发送到打印机", "Sent to the printer."),
    PrintStep.WAITING: (3, "排队等待打印…", "Waiting for the printer…"),
    PrintStep.PRINTING: (3, "正在打印，请稍候", "Printing, please wait."),
    PrintStep.DONE: (4, "打印完成，请在出纸口取走{doc}", "Done. Please take your {doc} from the printer tray."),
}


_CONTEXT = "PrintJobScreen"


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the job emits on it from the worker, Qt queues the signal over."""

    progressed = Signal(object)


class PrintJobScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_screen")
        self.context = context
        self.request: PrintRequest | None = None
        self.result: PrintResult | None = None
        self.error: BaseException | None = None
        self.step: PrintStep | None = None
        self._call: Call | None = None
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._workers: dict[Call, DeviceWorker] = {}
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(64, 40, 64, 40)
        outer.setSpacing(20)
        # The texts scroll if they must (a form's long English name in elder type on an 800-px screen,
        # with a fault and the counter note under it); the buttons stay in view below them.
        self.area = QScrollArea(self)
        self.area.setObjectName("print_area")
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setStyleSheet("QScrollArea#print_area, QScrollArea#print_area > QWidget > QWidget "
                                "{ background: transparent; }")
        self.body = QWidget(self.area)
        self.body.setObjectName("print_body")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(20)
        self.area.setWidget(self.body)
        make_kinetic(self.area)
        self.title_label = self._label("print_title", "title")
        self.description_label = self._label("print_description", "subtitle")
        self.progress = QProgressBar(self.body)
        self.progress.setObjectName("print_progress")
        self.progress.setRange(0, STEPS)
        self.progress.setTextVisible(False)
        self.progress.setMinimumHeight(24)
        self.state_label = self._label("print_state", "body")
        self.state_en_label = self._label("print_state_en", "subtitle")
        self.message_label = self._label("print_message", "body")
        self.message_en_label = self._label("print_message_en", "subtitle")
        self.counter_label = self._label("print_counter_note", "subtitle")
        self.counter_en_label = self._label("print_counter_note_en", "subtitle")

        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        self.retry_button = self._button("print_retry_button", QT_TRANSLATE_NOOP("PrintJobScreen", "重试 Retry"),
                                         self.retry)
        self.back_button = self._button("print_back_button", QT_TRANSLATE_NOOP("PrintJobScreen", "返回 Back"),
                                        self.back)
        self.back_button.setProperty("role", "secondary")
        self.home_button = self._button("print_home_button", QT_TRANSLATE_NOOP("PrintJobScreen", "返回首页 Home"),
                                        self.go_home)
        buttons.addStretch(1)
        for button in (self.retry_button, self.back_button, self.home_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)
        layout.addSpacing(16)
        layout.addWidget(self.progress)
        layout.addWidget(self.state_label)
        layout.addWidget(self.state_en_label)
        layout.addSpacing(8)
        layout.addWidget(self.message_label)
        layout.addWidget(self.message_en_label)
        layout.addWidget(self.counter_label)
        layout.addWidget(self.counter_en_label)
        layout.addStretch(1)
        outer.addWidget(self.area, 1)
        outer.addLayout(buttons)
        self._show_idle()

    def _label(self, name: str, role: str) -> QLabel:
        label = text_label(self.body, name, role)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        return label

    def _button(self, name: str, source: str, slot: Any) -> QPushButton:
        """A button saying `source` (marked under "PrintJobScreen") in the current language."""
        button = QPushButton(self)
        keep(button, _CONTEXT, source)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_kept(self)
        super().changeEvent(event)

    # navigation

    def enter(self, payload: Any) -> None:
        if not isinstance(payload, PrintRequest):
            self.request = None
            self._show_idle()
            return
        self.request = payload
        keep_pair(self.title_label, payload.title, payload.title_en or payload.title)
        keep_pair(self.description_label, payload.description, payload.description_en or payload.description)
        self.start()

    def start(self) -> None:
        """Starts (or restarts) the job on a fresh printer worker."""
        if self.request is None or self.busy:
            return
        self.result, self.error, self.step = None, None, None
        self._show_message(None)
        self._set_buttons(printing=True)
        self._generation += 1
        self._show_step(PrintStep.RENDERING)
        cancel = threading.Event()
        worker = DeviceWorker("printer", self)
        generation = self._generation

        def report(update: PrintProgress) -> None:  # runs on the worker thread
            self._relay.progressed.emit((generation, update))

        job = functools.partial(run_print_job, self.request, self.context.config, self.context.data_dir, report,
                                cancel=cancel)
        call = worker.submit(job, expected=PRINT_ERRORS)
        call.finished.connect(lambda value, c=call: self._on_finished(c, value))
        call.failed.connect(lambda exc, c=call: self._on_failed(c, exc))
        self._workers[call] = worker
        self._call, self._cancel = call, cancel

    @property
    def busy(self) -> bool:
        return self._call is not None

    def retry(self) -> None:
        self.start()

    def back(self) -> None:
        """返回: to where the print was asked for (the guide the resident was reading, the forms)."""
        target = self.request.back_to if self.request is not None else ""
        payload = self.request.back_payload if self.request is not None else None
        self._abandon()
        self.context.navigate(target or "home", payload)

    def go_home(self) -> None:
        self._abandon()
        self.context.go_home()

    def _abandon(self) -> None:
        """Cancels a running job; its worker stops once the driver notices (within one poll step)."""
        if self._cancel is not None:
            self._cancel.set()
        self._call = self._cancel = None

    # results (GUI thread)

    def _on_progress(self, message: object) -> None:
        if not isinstance(message, tuple):
            return
        generation, update = message
        if generation == self._generation and self._call is not None and isinstance(update, PrintProgress):
            self._show_step(update.step)

    def _show_step(self, step: PrintStep) -> None:
        self.step = step
        self.progress.show()
        value, zh, en = _STEP_TEXT[step]
        doc_zh, doc_en = self._document()
        self.progress.setValue(value)
        keep_lines(self.state_label, self.state_en_label, zh.replace("{doc}", doc_zh), en.replace("{doc}", doc_en))

    def _document(self) -> tuple[str, str]:
        """What comes out of the printer (Chinese, English): a form, a guide."""
        return self.request.document if self.request is not None else ("表格", "form")

    def _on_finished(self, call: Call, value: object) -> None:
        self._release(call)
        if call is not self._call:
            return
        self._call = self._cancel = None
        self.result = value if isinstance(value, PrintResult) else None
        self._show_step(PrintStep.DONE)
        self._set_buttons(printing=False, done=True)
        note = note_after(self.result) if self.result is not None else None
        if note is not None:
            self._show_message(*note, counter=False)

    def _on_failed(self, call: Call, exc: object) -> None:
        self._release(call)
        if call is not self._call:
            return  # a job the resident walked away from: nothing to show
        self._call = self._cancel = None
        self.error = exc if isinstance(exc, BaseException) else None
        self.progress.hide()
        keep_lines(self.state_label, self.state_en_label, "没有打印成功", f"The {self._document()[1]} was not printed.")
        # Retry stays offered even for a fault: staff may fix the printer while the resident waits.
        self._set_buttons(printing=False, done=False)
        if shown_as_bug(self, exc, self.context, "print job"):
            return
        failure = describe_failure(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))
        self._show_message(failure.zh, failure.en, counter=failure.cannot_print)

    def _release(self, call: Call) -> None:
        worker = self._workers.pop(call, None)
        if worker is not None:
            worker.shutdown()
            worker.deleteLater()

    # display

    def _show_message(self, zh: str | None, en: str = "", *, counter: bool = False) -> None:
        if zh is None:
            keep_lines(self.message_label, self.message_en_label, "", "")
            for label in (self.message_label, self.message_en_label, self.counter_label, self.counter_en_label):
                label.hide()
            return
        keep_lines(self.message_label, self.message_en_label, zh, en)
        keep_lines(self.counter_label, self.counter_en_label, *counter_note(self._document()))
        self.message_label.show()
        self.message_en_label.show()
        self.counter_label.setVisible(counter)
        self.counter_en_label.setVisible(counter)

    def _set_buttons(self, *, printing: bool, done: bool = False) -> None:
        self.retry_button.setVisible(not printing and not done)
        keep(self.back_button, _CONTEXT, QT_TRANSLATE_NOOP("PrintJobScreen", "取消 Cancel") if printing
             else QT_TRANSLATE_NOOP("PrintJobScreen", "返回 Back"))
        self.home_button.setVisible(done)

    def _show_idle(self) -> None:
        keep(self.title_label, _CONTEXT, QT_TRANSLATE_NOOP("PrintJobScreen", "打印"))
        keep_made(self.description_label, None)
        self.progress.setValue(0)
        keep_lines(self.state_label, self.state_en_label, "", "")
        self._show_message(None)
        self._set_buttons(printing=False, done=True)
        self.home_button.setVisible(True)

    def wipe(self) -> None:
        """Session end: stop any job and forget what was printed (the request holds the form's values)."""
        self._abandon()
        self.request = None
        self.result = None
        self.error = None
        self.step = None
        self._show_idle()

    def shutdown(self) -> None:
        """Stops every printer worker now (application exit, tests)."""
        self._abandon()
        for call in list(self._workers):
            call.cancel()
            self._release(call)
