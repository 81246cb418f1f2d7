#!/usr/bin/env bash
# CI: builds the PyInstaller bundle and proves it starts: `dist/kiosk/kiosk demo --self-test` on the
# offscreen platform must show the home screen, find every screen module, the print font and the form
# templates inside the bundle, and exit 0. Then a Qt-free subcommand from the bundle renders a form to
# PDF (templates + font + reportlab), and the bundle's size is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A clean environment as systemd gives it: no venv on PATH, no checkout on PYTHONPATH, its own data dir.
run_bundle() {
    env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        XDG_RUNTIME_DIR="$work" dist/kiosk/kiosk --data-dir "$work/data" "$@"
}

echo "== bundle: demo --self-test"
start=$(date +%s%N)
if ! run_bundle demo --self-test >"$work/self-test.log" 2>&1; then
    cat "$work/self-test.log" >&2
    echo "ci_bundle: the bundle's self-test failed" >&2
    exit 1
fi
grep -h "self-test:" "$work/self-test.log"
echo "ci_bundle: self-test took $(( ($(date +%s%N) - start) / 1000000 )) ms (process start to exit)"

echo "== bundle: config check and a rendered form"
run_bundle config example >"$work/kiosk.toml"
run_bundle config check "$work/kiosk.toml"
run_bundle forms render shengyu_dengji --out "$work/form.pdf"
test -s "$work/form.pdf"
echo "ci_bundle: bundle size $(du -sh dist/kiosk | cut -f1) (du -sh dist/kiosk)"
