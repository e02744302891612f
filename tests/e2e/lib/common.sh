# common.sh: shared setup for end-to-end tests (sourced, not run).
# Gives each test a fresh folder with its own PostgreSQL, loader and
# validator on free loopback ports, and removes everything on exit, so no
# process is left behind even when the test fails.
set -euo pipefail

SRC=${DCP_SOURCE_DIR:?set by ctest}
BUILD=${DCP_BUILD_DIR:?set by ctest}
export DCP_BUILD_DIR=$BUILD
# PostgreSQL without fsync (tests/pg.sh --no-fsync): these tests look at what
# the pipeline stores and answers, not at what survives a power cut.  A test
# that does (faults.sh) sets DCP_PG_NO_FSYNC=0 before sourcing this file.
export DCP_PG_NO_FSYNC=${DCP_PG_NO_FSYNC:-1}
STACK="$SRC/deploy/stack.sh"
# The test's folder lives in memory (/dev/shm) when the machine has one: the
# collectors' outboxes write and fsync thousands of small files, which on a
# busy shared disk cost seconds to write and tens of seconds to remove.  A
# test about durability (faults.sh) sets DCP_E2E_TMP=/tmp: a disk.
tmp_base=${DCP_E2E_TMP:-/dev/shm}
[ -d "$tmp_base" ] && [ -w "$tmp_base" ] || tmp_base=/tmp
E2E_DIR=$(mktemp -d "$tmp_base/dcp-e2e.XXXXXX")
chmod 755 "$E2E_DIR"
# The stack's cluster takes passwords only (deploy/stack.sh "Authentication"):
# psql and programs the tests run themselves read them from its passfile.
export PGPASSFILE="$E2E_DIR/pgpass"
# Ports ("stack.sh free-port") are reserved for this test until its cleanup.
export DCP_PORT_OWNER="$E2E_DIR"
FAILS=0
CHECKS=0

e2e_cleanup() {
    local rc=$?
    if [ -n "${E2E_WATCHDOG:-}" ]; then
        pkill -P "$E2E_WATCHDOG" 2>/dev/null || true
        kill "$E2E_WATCHDOG" 2>/dev/null || true
    fi
    "$STACK" down "$E2E_DIR" >/dev/null 2>&1 || true
    # any collector agent or helper started by the test
    if [ -d "$E2E_DIR/run" ]; then
        for p in "$E2E_DIR"/run/*.pid; do
            [ -f "$p" ] || continue
            pkill -KILL -P "$(cat "$p")" 2>/dev/null || true
            kill -KILL "$(cat "$p")" 2>/dev/null || true
        done
    fi
    "$SRC/tests/pg.sh" destroy "$E2E_DIR/pg" >/dev/null 2>&1 || true
    "$STACK" release-ports "$E2E_DIR" 2>/dev/null || true
    if [ "$rc" != 0 ] || [ "$FAILS" != 0 ]; then
        echo "--- logs of the failed test ($E2E_DIR/log)"
        tail -n 40 "$E2E_DIR"/log/*.log 2>/dev/null || true
    fi
    # E2E_KEEP_LOGS=DIR keeps the logs for a post-mortem.
    [ -n "${E2E_KEEP_LOGS:-}" ] && cp -r "$E2E_DIR/log" "$E2E_KEEP_LOGS" 2>/dev/null
    rm -rf "$E2E_DIR"
    exit "$rc"
}
trap e2e_cleanup EXIT
trap 'echo "test stopped (signal or time limit)"; exit 124' INT TERM
# Stop ourselves before ctest's own timeout kills us with no chance to clean
# up: the EXIT trap then stops every process this test started.
( sleep "${E2E_TIMEOUT:-270}"; kill -TERM $$ ) 2>/dev/null &
E2E_WATCHDOG=$!

# free_port: a loopback port nothing else will be given until this test's
# cleanup (the one allocator, deploy/stack.sh free-port).
free_port() { "$STACK" free-port; }

check() {  # check "description" command...
    local what=$1
    shift
    CHECKS=$((CHECKS + 1))
    if "$@"; then
        echo "ok   $what"
    else
        echo "FAIL $what"
        FAILS=$((FAILS + 1))
    fi
}

# log_lines FILE: the number of lines FILE has now (0 if it does not exist);
# give it to wait_log to look only at what is logged from now on.
log_lines() {
    if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi
}

# wait_log FILE REGEX SECONDS [AFTER]: waits until a line of FILE past line
# AFTER (default 0) matches the extended regular expression REGEX; returns 1
# after SECONDS without one.  awk reads the file itself: `tail | grep -q`
# under pipefail fails now and then (grep stops reading, tail gets SIGPIPE).
wait_log() {
    local file=$1 re=$2 secs=$3 after=${4:-0} i
    for ((i = 0; i < secs * 20; i++)); do
        awk -v n="$after" -v re="$re" 'NR > n && $0 ~ re { found = 1; exit }
                                       END { exit !found }' "$file" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "wait_log: no line matching '$re' in $file after ${secs} s" >&2
    return 1
}

# reload_registry NAME...: SIGHUP to the validators NAME (run/NAME.pid,
# log/NAME.log) and wait until each has loaded its partner registry again.
reload_registry() {
    local name marks=()
    for name in "$@"; do
        marks+=("$(log_lines "$E2E_DIR/log/$name.log")")
        kill -HUP "$(cat "$E2E_DIR/run/$name.pid")"
    done
    for name in "$@"; do
        wait_log "$E2E_DIR/log/$name.log" 'loaded partner registry' 10 "${marks[0]}"
        marks=("${marks[@]:1}")
    done
}

sql() { "$STACK" psql "$E2E_DIR" -qtA -c "$1"; }

sql_is() {  # sql_is "description" "query" expected
    local got
    got=$(sql "$2" 2>&1 || true)
    CHECKS=$((CHECKS + 1))
    if [ "$got" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$3', got '$got'"
        FAILS=$((FAILS + 1))
    fi
}

collector() {  # collector ISO3 args...
    local cc=$1
    shift
    "$STACK" collector "$E2E_DIR" "$cc" "$@"
}

finish() {
    echo "$((CHECKS - FAILS)) passed, $FAILS failed"
    [ "$FAILS" = 0 ]
}
