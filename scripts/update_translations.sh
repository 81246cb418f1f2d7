#!/bin/bash
# Re-extracts every tr()/QT_TRANSLATE_NOOP string under ui/ into ui/i18n/kiosk_en.ts (keeping existing
# translations) and compiles it to kiosk_en.qm, which the kiosk loads at start-up and on the
# home screen's 中文 / English switch. Translate new strings in kiosk_en.ts (pyside6-linguist or an
# editor), then run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
mapfile -t SOURCES < <(find ui -name '*.py' -not -path '*/__pycache__/*' | sort)
"$BIN/pyside6-lupdate" -no-obsolete -locations none -source-language zh_CN -target-language en \
    "${SOURCES[@]}" -ts ui/i18n/kiosk_en.ts
"$BIN/pyside6-lrelease" ui/i18n/kiosk_en.ts -qm ui/i18n/kiosk_en.qm
