#!/usr/bin/env bash
# stack.sh: runs a whole pipeline (PostgreSQL, loader, validator, collector
# configuration) in one folder, for the quick start, the end-to-end tests and
# for reproducing faults by hand.  Everything lives under DIR; processes are
# found through DIR/run/*.pid.
#
#   stack.sh up DIR [ISO3...]    create keys and configs (once), start
#                                PostgreSQL, loader and validator; register
#                                one collector key per country given
#   stack.sh down DIR            stop validator and loader (SIGTERM), then
#                                PostgreSQL
#   stack.sh kill STAGE DIR      SIGKILL validator or loader (fault injection)
#   stack.sh start STAGE DIR     start validator or loader again
#   stack.sh pg-kill DIR         PostgreSQL immediate shutdown (as a crash)
#   stack.sh pg-start DIR        start PostgreSQL again
#   stack.sh register DIR ISO3...  add a collector key and config per country
#   stack.sh psql DIR [ARGS]     psql on the pipeline's database (as owner)
#   stack.sh analyst DIR [ARGS]  psql as the read-only analyst role
#   stack.sh collector DIR ISO3 ARGS...   run the collector of that country
#   stack.sh report DIR ARGS...  run the analysts' report as the analyst role
#                                (report html --year 2023 --out r.html)
#   stack.sh partner DIR add|rotate|revoke|list ARGS...   "validator partner"
#                                on DIR's registry, then SIGHUP its validator
#
# Environment: DCP_BUILD_DIR (default ./build), DCP_INSECURE=1 to run
# without CURVE (development only), DCP_PG_NO_FSYNC=1 to run PostgreSQL
# with fsync=off (tests/pg.sh --no-fsync: for tests that do not look at
# durability; never for the fault test, the benchmark or real data).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
build=${DCP_BUILD_DIR:-$src/build}

cmd=${1:?usage: stack.sh up|down|kill|start|pg-kill|pg-start|psql|collector ...}
shift

die() { echo "stack.sh: $*" >&2; exit 1; }

abs_dir() { mkdir -p "$1"; (cd "$1" && pwd); }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

setup() {
    local dir=$1
    mkdir -p "$dir"/{keys,etc,run,log,collectors}
    chmod 700 "$dir/keys"
    [ -f "$dir/ports" ] || echo "validator=$(free_port) loader=$(free_port) validator_metrics=$(free_port) loader_metrics=$(free_port)" > "$dir/ports"
    [ -f "$dir/keys/validator.key" ] || "$build/collector" keygen "$dir/keys/validator.key" >/dev/null
    [ -f "$dir/keys/loader.key" ] || "$build/collector" keygen "$dir/keys/loader.key" >/dev/null
    [ -f "$dir/etc/partners.txt" ] || echo "# <public key> <ISO3> <name>: collectors allowed to submit" > "$dir/etc/partners.txt"
    echo "$(awk '/public-key/ {print $3}' "$dir/keys/validator.key.pub") - validator" > "$dir/etc/validators.txt"
}

ports() { . <(tr ' ' '\n' < "$1/ports"); }

# Applies the schema as the database owner, then makes the login roles the
# services use: the loader runs as loader_svc (member of dcp_loader: insert
# and read its own tables, no DDL), analysts as analyst (dcp_analyst: read
# the views and reference tables only).
migrate_and_roles() {
    local dir=$1 admin
    admin=$(cat "$dir/pg/conninfo")
    "$build/loader" --database="$admin" --log_level=warn --metrics= migrate >/dev/null
    psql "$admin" -X -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'loader_svc') THEN
        CREATE ROLE loader_svc LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
        CREATE ROLE analyst LOGIN;
    END IF;
END $$;
GRANT dcp_loader TO loader_svc;
GRANT dcp_analyst TO analyst;
SQL
}

write_configs() {
    local dir=$1 insecure=false
    [ "${DCP_INSECURE:-0}" = 1 ] && insecure=true
    ports "$dir"
    cat > "$dir/etc/validator.conf" <<CONF
# validator configuration (see validator --help)
bind = tcp://127.0.0.1:$validator
loaders = tcp://127.0.0.1:$loader
key_file = $dir/keys/validator.key
partners = $dir/etc/partners.txt
loader_public_key = $dir/keys/loader.key.pub
insecure = $insecure
metrics = 127.0.0.1:$validator_metrics
CONF
    cat > "$dir/etc/loader.conf" <<CONF
# loader configuration (see loader --help)
bind = tcp://127.0.0.1:$loader
database = $(sed 's/user=postgres/user=loader_svc/' "$dir/pg/conninfo")
# the schema is migrated by its owner: stack.sh runs "loader migrate" first
migrate = false
key_file = $dir/keys/loader.key
validators = $dir/etc/validators.txt
insecure = $insecure
metrics = 127.0.0.1:$loader_metrics
CONF
}

# A running validator reads partners.txt again on SIGHUP; wait until it has
# (its log says so), so that the new key may connect as soon as we return.
# A registry it refuses (the test key "C00" of operations.sh is no ISO3
# code) leaves the previous one in force, as before: that is logged too.
reload_validator() {
    local dir=$1 log="$1/log/validator.log" mark i
    pid_alive "$dir/run/validator.pid" || return 0
    mark=$(wc -l < "$log")
    kill -HUP "$(cat "$dir/run/validator.pid")" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do   # 10 s
        log_has "$log" '(loaded|could not (re)?load) partner registry' "$mark" && return 0
        sleep 0.05
    done
    die "validator did not reload its partner registry (log $log)"
}

register_collector() {
    local dir=$1 cc=$2 insecure=false
    [ "${DCP_INSECURE:-0}" = 1 ] && insecure=true
    ports "$dir"
    local key="$dir/keys/collector-$cc.key"
    if [ ! -f "$key" ]; then
        "$build/collector" keygen "$key" >/dev/null
        echo "$(awk '/public-key/ {print $3}' "$key.pub") $cc focal point $cc" >> "$dir/etc/partners.txt"
        reload_validator "$dir"
    fi
    mkdir -p "$dir/collectors/$cc"
    cat > "$dir/etc/collector-$cc.conf" <<CONF
# collector configuration for the focal point of $cc (see collector --help)
endpoint = tcp://127.0.0.1:$validator
key_file = $key
validator_public_key = $dir/keys/validator.key.pub
outbox = $dir/collectors/$cc/outbox
inbox = $dir/collectors/$cc/inbox
insecure = $insecure
CONF
}

# log_has FILE REGEX [AFTER]: whether a line of FILE past line AFTER
# (default 0) matches REGEX (awk, extended).  awk reads the file itself: not
# `tail | grep -q`, which under pipefail fails when grep stops reading early
# and tail dies of SIGPIPE (a stage restarted under load logs a lot).
log_has() {
    awk -v n="${3:-0}" -v re="$2" 'NR > n && $0 ~ re { found = 1; exit }
                                   END { exit !found }' "$1" 2>/dev/null
}

start_stage() {
    local stage=$1 dir=$2
    pid_alive "$dir/run/$stage.pid" && return 0
    local log="$dir/log/$stage.log"
    : >> "$log"
    local mark
    mark=$(wc -l < "$log")
    setsid "$build/$stage" --config "$dir/etc/$stage.conf" >> "$log" 2>&1 < /dev/null &
    echo $! > "$dir/run/$stage.pid"
    for ((i = 0; i < 600; i++)); do   # 30 s
        log_has "$log" "msg=\"$stage ready\"" "$mark" && return 0
        kill -0 "$(cat "$dir/run/$stage.pid")" 2>/dev/null || { tail -n 20 "$log" >&2; die "$stage exited at start (log $log)"; }
        sleep 0.05
    done
    die "$stage did not become ready (log $log)"
}

stop_stage() {
    local stage=$1 dir=$2 sig=${3:-TERM}
    pid_alive "$dir/run/$stage.pid" || { rm -f "$dir/run/$stage.pid"; return 0; }
    local pid
    pid=$(cat "$dir/run/$stage.pid")
    kill -"$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/run/$stage.pid"
}

case "$cmd" in
up)
    dir=$(abs_dir "${1:?usage: stack.sh up DIR [ISO3...]}"); shift
    [ -x "$build/loader" ] || die "build the project first (cmake --build build)"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
        die "the postgres user cannot reach $dir; use a folder it can traverse (e.g. under /srv or /tmp)"
    fi
    setup "$dir"
    pg_opts=()
    [ "${DCP_PG_NO_FSYNC:-0}" = 1 ] && pg_opts+=(--no-fsync)
    "$src/tests/pg.sh" start "$dir/pg" "${pg_opts[@]}"
    migrate_and_roles "$dir"
    write_configs "$dir"
    for cc in "$@"; do register_collector "$dir" "$cc"; done
    start_stage loader "$dir"
    start_stage validator "$dir"
    ;;
down)
    dir=$(abs_dir "${1:?usage: stack.sh down DIR}")
    # Both at once: each takes a second or two to stop, and nothing is lost
    # if the loader goes first (the collectors resend what got no receipt).
    stop_stage validator "$dir" & v=$!
    stop_stage loader "$dir"
    wait "$v" || true
    "$src/tests/pg.sh" stop "$dir/pg"
    ;;
kill)
    stage=${1:?stage}; dir=$(abs_dir "${2:?dir}")
    stop_stage "$stage" "$dir" KILL
    ;;
start)
    stage=${1:?stage}; dir=$(abs_dir "${2:?dir}")
    start_stage "$stage" "$dir"
    ;;
pg-kill)
    dir=$(abs_dir "${1:?dir}")
    "$src/tests/pg.sh" kill "$dir/pg"
    ;;
pg-start)
    dir=$(abs_dir "${1:?dir}")
    "$src/tests/pg.sh" restart "$dir/pg"
    ;;
register)
    dir=$(abs_dir "${1:?dir}"); shift
    for cc in "$@"; do register_collector "$dir" "$cc"; done
    ;;
psql)
    dir=$(abs_dir "${1:?dir}"); shift
    psql "$(cat "$dir/pg/conninfo")" -X -v ON_ERROR_STOP=1 "$@"
    ;;
analyst)
    dir=$(abs_dir "${1:?dir}"); shift
    psql "$(sed 's/user=postgres/user=analyst/' "$dir/pg/conninfo")" -X -v ON_ERROR_STOP=1 "$@"
    ;;
collector)
    dir=$(abs_dir "${1:?dir}"); cc=${2:?ISO3}; shift 2
    [ -f "$dir/etc/collector-$cc.conf" ] || die "no collector registered for $cc (stack.sh register $dir $cc)"
    exec "$build/collector" --config "$dir/etc/collector-$cc.conf" "$@"
    ;;
partner)
    dir=$(abs_dir "${1:?usage: stack.sh partner DIR add|rotate|revoke|list ARGS...}"); shift
    exec "$build/validator" --config "$dir/etc/validator.conf" partner \
        --pid-file "$dir/run/validator.pid" "$@"
    ;;
report)
    dir=$(abs_dir "${1:?dir}"); shift
    exec "$build/report" --database="$(sed 's/user=postgres/user=analyst/' "$dir/pg/conninfo")" "$@"
    ;;
*)
    die "unknown command $cmd"
    ;;
esac
