"""Spoken prompts: one short sentence when a screen appears, where the kiosk has a speech engine.

Backends, first that works wins (`choose_backend`):
1. QtTextToSpeech "speechd" (speech-dispatcher), if it reaches Ready and offers the voice named
   "Chinese (Mandarin, latin as Pinyin)". The Mandarin voices report locale C, not zh_CN, so the
   voice is chosen by name; the "latin as English" one reads hanzi as English-spelled pinyin.
2. `espeak-ng -v cmn-latn-pinyin` as a QProcess: started and left to run, never waited on, so the
   GUI thread never blocks. Plain `-v cmn` is wrong for the same reason as above.
3. Silence.

A screen says what to speak with a `prompt` attribute (a str) or method (returning a str); a
screen without one is silent. Prompts are Chinese and are spoken only while the screen language is
zh_CN (neither engine here reads English well in a Mandarin voice). On or off by `ui.voice`,
volume `ui.volume`. Prompts are fixed guidance and must never contain a resident's data.
"""

from __future__ import annotations

import ctypes.util
import logging
import shutil
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, QProcess
from PySide6.QtWidgets import QWidget

from kiosk.config import Config, Language
from ui.i18n import current_language
from ui.main_window import MainWindow

log = logging.getLogger("kiosk.ui.voice")

MANDARIN_VOICE = "Chinese (Mandarin, latin as Pinyin)"
ESPEAK_VOICE = "cmn-latn-pinyin"


class SpeechBackend(Protocol):
    name: str

    def say(self, text: str, volume: float) -> None: ...

    def stop(self) -> None: ...


class QtSpeechBackend:
    """QTextToSpeech; `engine` "speechd" on a kiosk, "mock" in a test."""

    def __init__(self, engine: str, voice_name: str | None, parent: QObject | None = None) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech  # Addons module: loaded only when voice is used

        self.name = f"qt:{engine}"
        self.tts = QTextToSpeech(engine, parent)
        self.ready = self.tts.state() == QTextToSpeech.State.Ready
        self.voice_found = voice_name is None
        if self.ready and voice_name is not None:
            for voice in self.tts.availableVoices():
                if voice.name() == voice_name:
                    self.tts.setLocale(voice.locale())
                    self.tts.setVoice(voice)
                    self.voice_found = True
                    break

    def say(self, text: str, volume: float) -> None:
        self.tts.setVolume(volume)
        self.tts.say(text)  # asynchronous: returns at once, speaks on the engine's own thread

    def stop(self) -> None:
        self.tts.stop()


class EspeakBackend:
    """espeak-ng, one QProcess per prompt; a new prompt cuts off the one still speaking."""

    def __init__(self, program: str, parent: QObject | None = None) -> None:
        self.name = "espeak-ng"
        self.program = program
        self.parent = parent
        self.process: QProcess | None = None

    def arguments(self, text: str, volume: float) -> list[str]:
        # espeak's amplitude runs 0-200 with 100 as normal; our volume 0.0-1.0 maps onto 0-100.
        return ["-v", ESPEAK_VOICE, "-a", str(round(volume * 100)), "--", text]

    def say(self, text: str, volume: float) -> None:
        self.stop()
        process = QProcess(self.parent)
        process.setObjectName("voice_espeak")
        # Never waited on: the process reaps itself and goes away when it has finished speaking.
        process.finished.connect(process.deleteLater)
        process.start(self.program, self.arguments(text, volume))
        self.process = process

    def stop(self) -> None:
        process = self.process
        if process is not None and shiboken6.isValid(process) and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
        self.process = None


class SilentBackend:
    name = "silent"

    def say(self, text: str, volume: float) -> None:
        del text, volume

    def stop(self) -> None:
        pass


def choose_backend(parent: QObject | None = None) -> SpeechBackend:
    """The best engine this machine has, or silence; logs which one at INFO."""
    # Without libspeechd Qt's speechd plugin fails with a critical message, and importing
    # QtTextToSpeech drags in QtMultimedia (which complains about missing PipeWire): only try
    # speech-dispatcher where its client library is installed.
    if ctypes.util.find_library("speechd"):
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            if "speechd" in QTextToSpeech.availableEngines():
                qt = QtSpeechBackend("speechd", MANDARIN_VOICE, parent)
                if qt.ready and qt.voice_found:
                    log.info("voice prompts: speech-dispatcher")
                    return qt
                qt.tts.deleteLater()
        except ImportError:
            pass
    program = shutil.which("espeak-ng")
    if program:
        log.info("voice prompts: espeak-ng %s", ESPEAK_VOICE)
        return EspeakBackend(program, parent)
    log.info("voice prompts: no speech engine (install speech-dispatcher or espeak-ng); silent")
    return SilentBackend()


def prompt_of(screen: QWidget | None) -> str:
    """The screen's `prompt` attribute or the result of its `prompt()` method; '' for none."""
    prompt = getattr(screen, "prompt", None)
    if callable(prompt):
        prompt = prompt()
    return prompt if isinstance(prompt, str) else ""


class Voice(QObject):
    """Speaks the prompt of each screen the navigator shows."""

    def __init__(self, config: Config, backend: SpeechBackend | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voice")
        self.enabled = config.ui.voice
        self.volume = config.ui.volume
        self.backend: SpeechBackend = (backend or choose_backend(self)) if self.enabled else SilentBackend()
        self._followed: set[QWidget] = set()

    def say(self, text: str) -> None:
        if self.enabled and text and current_language() is Language.ZH_CN:
            self.backend.say(text, self.volume)

    def speak_for(self, screen: QWidget | None) -> None:
        self.say(prompt_of(screen))
        self._follow(screen)

    def _follow(self, screen: QWidget | None) -> None:
        """A screen with steps of its own (the declaration wizard) says so by `prompt_changed`: each new
        step's prompt is spoken while that screen is the one on show."""
        changed = getattr(screen, "prompt_changed", None)
        if screen is None or changed is None or screen in self._followed:
            return
        self._followed.add(screen)
        changed.connect(lambda: self.say(prompt_of(screen)) if screen.isVisible() else None)

    def stop(self) -> None:
        self.backend.stop()


def install_voice(window: MainWindow, backend: SpeechBackend | None = None) -> Voice:
    """Speaks each screen's prompt as it appears; the voice lives as long as the window."""
    voice = Voice(window.config, backend, window)
    window.navigator.currentChanged.connect(lambda _index: voice.speak_for(window.navigator.currentWidget()))
    return voice
