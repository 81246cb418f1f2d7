#!/usr/bin/env bash
# Starts and stops the real device stacks the tests run against, without hardware:
#   pcscd with the vpcd virtual readers (a virtual card connects to them),
#   cupsd with a cups-pdf queue (`KioskPDF`) that writes PDFs to $RUN/pdfout,
#   SANE's `test` backend in a private config dir,
#   Xvfb on a free display, for the tests that need a real X server.
# Usage: scripts/services.sh start|stop|status|env
# `start` is idempotent (a running service is left alone) and writes $RUN/env, which the test runner
# sources. `stop` ends exactly the processes `start` began. Needs root for cupsd and pcscd.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${KIOSK_RUN_DIR:-$PWD/.run}
PIDS=$RUN/pids
LOGS=$RUN/logs
QUEUE=KioskPDF
FAULT_QUEUE=KioskFault

mkdir -p "$PIDS" "$LOGS" "$RUN/pdfout" "$RUN/sane.d"

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

wait_for() {  # wait_for DESCRIPTION SECONDS COMMAND...: polls until COMMAND succeeds
    local what=$1 limit=$2; shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then
            echo "services: $what did not come up within ${limit}s; see $LOGS" >&2
            return 1
        fi
        sleep 0.1
    done
}

start_pcscd() {
    alive pcscd && return 0
    command -v pcscd >/dev/null || { echo "services: pcscd missing (run scripts/setup.sh --dev as root)" >&2; return 1; }
    # A pcscd left over from outside this script owns the socket; reuse it rather than fight it.
    if pgrep -x pcscd >/dev/null; then
        echo "services: using the pcscd that is already running"
        return 0
    fi
    rm -f /run/pcscd/pcscd.comm
    nohup pcscd -f -i >"$LOGS/pcscd.log" 2>&1 &
    echo $! >"$PIDS/pcscd.pid"
    wait_for pcscd 10 test -S /run/pcscd/pcscd.comm
}

start_cupsd() {
    if ! alive cupsd; then
        if pgrep -x cupsd >/dev/null; then
            echo "services: using the cupsd that is already running"
        else
            nohup cupsd -f >"$LOGS/cupsd.log" 2>&1 &
            echo $! >"$PIDS/cupsd.pid"
        fi
    fi
    wait_for cupsd 20 lpstat -r
    # cups-pdf writes where its config says; point it at our folder and name files after the job id so
    # tests can find a job's PDF (…job_<id>.pdf). cups-pdf re-reads the file for every job.
    local conf=/etc/cups/cups-pdf.conf
    if [ -w "$conf" ]; then
        sed -i -E "s|^#?Out .*|Out $RUN/pdfout|; s|^#?Label .*|Label 2|" "$conf"
    fi
    if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
        lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd 2>>"$LOGS/lpadmin.log"
    fi
    cupsenable "$QUEUE" && cupsaccept "$QUEUE"
}

setup_sane() {
    # A private config dir: only the test backend, so device discovery takes milliseconds instead of
    # probing every backend on the machine.
    echo test >"$RUN/sane.d/dll.conf"
    if [ -f /etc/sane.d/test.conf ]; then
        cp /etc/sane.d/test.conf "$RUN/sane.d/test.conf"
    fi
}

start_xvfb() {
    if alive xvfb && [ -s "$RUN/xvfb.display" ]; then
        return 0
    fi
    command -v Xvfb >/dev/null || { echo "services: Xvfb missing" >&2; return 1; }
    rm -f "$RUN/xvfb.display"
    # -displayfd picks a free display number; a fixed :99 may belong to someone else's server.
    exec 3>"$RUN/xvfb.display"
    nohup Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$LOGS/xvfb.log" 2>&1 &
    echo $! >"$PIDS/xvfb.pid"
    exec 3>&-
    wait_for Xvfb 10 test -s "$RUN/xvfb.display"
}

setup_fault_printer() {
    # A queue whose device fails on demand (scripts/cups-backend-fakeprn): tests write a mode word to
    # $RUN/fakeprn/<queue>.mode (or add their own queues on fakeprn:$RUN/fakeprn) to get paper-out, jam,
    # door-open, toner-low, offline and never-ending jobs from a real cupsd. cupsd runs a backend as root
    # only when it is mode 0700. A failing job is aborted rather than stopping the queue.
    install -m 0700 scripts/cups-backend-fakeprn /usr/lib/cups/backend/fakeprn
    mkdir -p "$RUN/fakeprn"
    [ -f "$RUN/fakeprn/mode" ] || echo ok >"$RUN/fakeprn/mode"
    # Always (re)point the queue at this checkout's folder: a queue left by another checkout would not be.
    lpadmin -p "$FAULT_QUEUE" -E -v "fakeprn:$RUN/fakeprn" -o printer-error-policy=abort-job 2>>"$LOGS/lpadmin.log"
    cupsenable "$FAULT_QUEUE" && cupsaccept "$FAULT_QUEUE"
    # cups-pdf takes PostScript; the default (Ghostscript) PDF-to-PostScript step drops the text layer of
    # reportlab's embedded TrueType subsets, so pdftotext could not read the output. pdftocairo keeps it.
    lpadmin -p "$QUEUE" -o pdftops-renderer-default=pdftocairo
}

start_citizen_card() {
    # The default virtual citizen card (a fictitious resident) in the first vpcd reader, 'Virtual PCD 00 00',
    # for demos and `kiosk devices probe citizencard`. Tests that start their own card use 35964 (00 01);
    # tests that need this reader change its card through the control socket and put it back.
    alive citizencard && return 0
    [ -x .venv/bin/python ] || { echo "services: no .venv; virtual citizen card not started" >&2; return 0; }
    mkdir -p "$RUN/citizencard"
    rm -f "$RUN/citizencard/control.sock"
    nohup .venv/bin/python -m drivers.citizencard.virtual_card --retry --port 35963 \
        --fixture tests/fixtures/citizencard/ssse-2.00.toml --control "$RUN/citizencard/control.sock" \
        >"$LOGS/citizencard.log" 2>&1 &
    echo $! >"$PIDS/citizencard.pid"
    wait_for "virtual citizen card" 10 test -S "$RUN/citizencard/control.sock"
}

write_env() {
    {
        echo "export KIOSK_RUN_DIR=$RUN"
        echo "export DISPLAY=:$(tr -d '\n' <"$RUN/xvfb.display")"
        echo "export SANE_CONFIG_DIR=$RUN/sane.d"
        echo "export KIOSK_TEST_CUPS_QUEUE=$QUEUE"
        echo "export KIOSK_TEST_PDF_DIR=$RUN/pdfout"
        echo "export KIOSK_TEST_FAULT_QUEUE=$FAULT_QUEUE"
        echo "export KIOSK_TEST_FAULT_DIR=$RUN/fakeprn"
        echo "export KIOSK_TEST_SERVICES=1"
    } >"$RUN/env"
}

stop_one() {
    local name=$1
    if alive "$name"; then
        local pid
        pid=$(cat "$PIDS/$name.pid")
        kill "$pid" 2>/dev/null || true
        # cupsd takes over a second to exit; wait so an immediate restart does not collide with it.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDS/$name.pid"
}

case "${1:-}" in
    start)
        start_pcscd
        start_citizen_card
        start_cupsd
        setup_fault_printer
        setup_sane
        start_xvfb
        write_env
        echo "services: started (environment in $RUN/env)"
        ;;
    stop)
        for name in citizencard xvfb cupsd pcscd; do stop_one "$name"; done
        rm -f "$RUN/env"
        echo "services: stopped"
        ;;
    status)
        for name in pcscd citizencard cupsd xvfb; do
            if alive "$name"; then echo "$name: running"; else echo "$name: stopped"; fi
        done
        ;;
    env)
        cat "$RUN/env"
        ;;
    *)
        echo "usage: scripts/services.sh start|stop|status|env" >&2
        exit 2
        ;;
esac
