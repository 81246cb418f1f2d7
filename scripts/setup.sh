#!/usr/bin/env bash
# Installs everything the kiosk needs on Debian 12: system packages (when run as root), a virtualenv in
# .venv and the kiosk itself. `--dev` adds the test tools and the services the tests start.
# Safe to run again: apt and pip skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
for arg in "$@"; do
    case "$arg" in
        --dev) dev=1 ;;
        *) echo "usage: scripts/setup.sh [--dev]" >&2; exit 2 ;;
    esac
done

# What the app needs at run time: Qt's xcb platform libraries, CJK fonts (Noto for the screen, WenQuanYi as
# the TrueType font reportlab embeds in print-outs), the C libraries behind pyscard, pycups, python-sane and
# pyzbar, the compilers for the three of them that PyPI only has as source, and the on-screen keyboard's Chinese
# engines (libpinyin with its model, zinnia with the Simplified Chinese handwriting model; loaded through ctypes).
runtime_pkgs=(
    python3-venv python3-dev gcc swig pkg-config
    pcscd libpcsclite-dev
    cups-client libcups2-dev
    libsane1 libsane-dev
    libzbar0
    fonts-noto-cjk fonts-wqy-microhei fontconfig
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3
    espeak-ng
    libpinyin15 libpinyin-data libzinnia0 tegaki-zinnia-simplified-chinese
)
# What the tests start: the virtual smart-card reader, a CUPS server with a PDF queue, SANE's test backend,
# pseudo-terminals, a virtual X server with XTEST input for the journey harness' finger (libxtst6), the
# tools that turn screens and PDFs into pictures, and the accessibility bus with the system Python's
# AT-SPI client that scripts/atspi_walk.py reads the kiosk with.
dev_pkgs=(
    vsmartcard-vpcd cups printer-driver-cups-pdf sane-utils socat
    xvfb xauth x11-apps libxtst6 imagemagick poppler-utils sox
    python3-pyatspi gir1.2-atspi-2.0 dbus-x11 at-spi2-core
)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    pkgs=("${runtime_pkgs[@]}")
    [ "$dev" = 1 ] && pkgs+=("${dev_pkgs[@]}")
    missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        # Another apt may hold the lock right after boot; wait for it instead of failing.
        until apt-get update -q; do sleep 10; done
        apt-get install -y -q "${missing[@]}"
    fi
elif [ "$(id -u)" != 0 ]; then
    echo "setup: not root, skipping system packages (see scripts/setup.sh for the list)" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$dev" = 1 ]; then
    .venv/bin/python -m pip install -q -e '.[dev]'
else
    .venv/bin/python -m pip install -q -e .
fi
echo "setup: done; the kiosk is .venv/bin/kiosk"
